/* Formatting two judges' agreement: tab-separated text and JSON rows. */
#include "agreement_report.h"
#include "json_out.h"

#include <math.h>

/* A figure with four decimals, or text when it is undefined (NaN). */
static void figure(char *buf, size_t size, double v, const char *undefined)
{
	if (isnan(v))
		snprintf(buf, size, "%s", undefined);
	else
		snprintf(buf, size, "%.4f", v);
}

int cs_agreement_write_text(const struct cs_agreement_row *rows, int n, FILE *out, struct cs_err *err)
{
	fprintf(out, "run\tjudge_a\tjudge_b\tscope\tboth_judged\tagree\tagreement\tagreement_low\tagreement_high\tkappa\t"
		"kappa_low\tkappa_high\tcorrect_correct\tcorrect_wrong\twrong_correct\twrong_wrong\tlevel\n");
	for (int i = 0; i < n; i++) {
		const struct cs_agreement *g = &rows[i].g;
		char po[32], po_lo[32], po_hi[32], k[32], k_lo[32], k_hi[32];

		figure(po, sizeof po, g->observed, "undefined");
		figure(po_lo, sizeof po_lo, g->observed_ci.lo, "-");
		figure(po_hi, sizeof po_hi, g->observed_ci.hi, "-");
		figure(k, sizeof k, g->kappa_defined ? g->kappa : NAN, "undefined");
		figure(k_lo, sizeof k_lo, g->kappa_defined ? g->kappa_ci.lo : NAN, "-");
		figure(k_hi, sizeof k_hi, g->kappa_defined ? g->kappa_ci.hi : NAN, "-");
		fprintf(out, "%s\t%s\t%s\t%s\t%d\t%ld\t%s\t%s\t%s\t%s\t%s\t%s\t%ld\t%ld\t%ld\t%ld\t%g\n", rows[i].run,
			rows[i].judge_a, rows[i].judge_b, rows[i].scope, g->n, g->table[0][0] + g->table[1][1], po, po_lo,
			po_hi, k, k_lo, k_hi, g->table[1][1], g->table[1][0], g->table[0][1], g->table[0][0],
			rows[i].level);
	}
	if (ferror(out))
		return cs_fail(err, CS_INTERNAL, "error writing the agreement");
	return CS_OK;
}

int cs_json_agreement_rows(cJSON *doc, const struct cs_agreement_row *rows, int n, struct cs_err *err)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, "rows");
	int bad = arr == NULL;

	for (int i = 0; i < n && !bad; i++) {
		const struct cs_agreement *g = &rows[i].g;
		cJSON *o = cJSON_CreateObject();

		bad |= o == NULL || !cJSON_AddItemToArray(arr, o);
		if (bad)
			break;
		bad |= cJSON_AddStringToObject(o, "run", rows[i].run) == NULL;
		bad |= cJSON_AddStringToObject(o, "judge_a", rows[i].judge_a) == NULL;
		bad |= cJSON_AddStringToObject(o, "judge_b", rows[i].judge_b) == NULL;
		bad |= cJSON_AddStringToObject(o, "scope", rows[i].scope) == NULL;
		bad |= cJSON_AddNumberToObject(o, "both_judged", g->n) == NULL;
		bad |= cJSON_AddNumberToObject(o, "agree", (double)(g->table[0][0] + g->table[1][1])) == NULL;
		bad |= cs_json_add_num(o, "agreement", g->observed);
		bad |= cs_json_add_num(o, "agreement_low", g->observed_ci.lo);
		bad |= cs_json_add_num(o, "agreement_high", g->observed_ci.hi);
		bad |= cs_json_add_num(o, "expected_agreement", g->expected);
		bad |= cJSON_AddBoolToObject(o, "kappa_defined", g->kappa_defined) == NULL;
		bad |= cs_json_add_num(o, "kappa", g->kappa_defined ? g->kappa : NAN);
		bad |= cs_json_add_num(o, "kappa_low", g->kappa_defined ? g->kappa_ci.lo : NAN);
		bad |= cs_json_add_num(o, "kappa_high", g->kappa_defined ? g->kappa_ci.hi : NAN);
		bad |= cJSON_AddNumberToObject(o, "correct_correct", (double)g->table[1][1]) == NULL;
		bad |= cJSON_AddNumberToObject(o, "correct_wrong", (double)g->table[1][0]) == NULL;
		bad |= cJSON_AddNumberToObject(o, "wrong_correct", (double)g->table[0][1]) == NULL;
		bad |= cJSON_AddNumberToObject(o, "wrong_wrong", (double)g->table[0][0]) == NULL;
		bad |= cs_json_add_num(o, "level", rows[i].level);
	}
	if (bad)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	return CS_OK;
}
