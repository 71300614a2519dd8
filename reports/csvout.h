/* Writing CSV fields through libcsv: each quoted where needed and followed by a comma, or by a newline
 * after the last field of a row. */
#ifndef COSEVAL_CSVOUT_H
#define COSEVAL_CSVOUT_H

#include <stdio.h>

/* Writes text as one field, then '\n' when last is set, else ','. Returns 0, or -1 on a write error. */
int cs_csv_field(FILE *out, const char *text, int last);

/* Writes v with 6 decimals ("%.6f") as a field followed by ','; NaN gives an empty field (an infinity is
 * written as snprintf spells it). Returns 0 or -1. */
int cs_csv_num(FILE *out, double v);

/* As cs_csv_num, but an infinity too gives an empty field. */
int cs_csv_finite(FILE *out, double v);

/* Writes v in decimal as a field followed by ','. Returns 0 or -1. */
int cs_csv_long(FILE *out, long v);

#endif
