/* CSV fields and numbers for the report writers, quoted by libcsv. */
#include "csvout.h"

#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int cs_csv_field(FILE *out, const char *text, int last)
{
	if (csv_fwrite(out, text, strlen(text)) != 0)
		return -1;
	return fputc(last ? '\n' : ',', out) == EOF ? -1 : 0;
}

void cs_num_text(double v, char *buf, size_t size)
{
	static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };

	buf[0] = '\0';
	if (isnan(v))
		return;
	for (int i = 0; i < 3; i++) {
		snprintf(buf, size, formats[i], v);
		if (isinf(v) || strtod(buf, NULL) == v)
			return;
	}
}

int cs_csv_num(FILE *out, double v)
{
	char buf[40];

	cs_num_text(v, buf, sizeof buf);
	return cs_csv_field(out, buf, 0);
}

int cs_csv_finite(FILE *out, double v)
{
	return cs_csv_num(out, isinf(v) ? NAN : v);
}

int cs_csv_long(FILE *out, long v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%ld", v);
	return cs_csv_field(out, buf, 0);
}
