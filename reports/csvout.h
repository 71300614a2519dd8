/* Writing CSV fields through libcsv: each quoted where needed and followed by a comma, or by a newline
 * after the last field of a row. */
#ifndef COSEVAL_CSVOUT_H
#define COSEVAL_CSVOUT_H

#include <stdio.h>

/* Writes text as one field, then '\n' when last is set, else ','. Returns 0, or -1 on a write error. */
int cs_csv_field(FILE *out, const char *text, int last);

/* Writes into buf (at least 32 bytes) the shortest of "%.15g", "%.16g" and "%.17g" that strtod reads back
 * as exactly v, so that no digit of a computed figure is lost; NaN gives "" (an infinity is written as
 * snprintf spells it). */
void cs_num_text(double v, char *buf, size_t size);

/* Writes v in full precision (cs_num_text) as a field followed by ','; NaN gives an empty field (an
 * infinity is written as snprintf spells it). Returns 0 or -1. */
int cs_csv_num(FILE *out, double v);

/* As cs_csv_num, but an infinity too gives an empty field. */
int cs_csv_finite(FILE *out, double v);

/* Writes v in decimal as a field followed by ','. Returns 0 or -1. */
int cs_csv_long(FILE *out, long v);

#endif
