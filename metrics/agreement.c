/* Raw agreement and Cohen's kappa of two judges, with bootstrap intervals over the items judged by both. */
#include "agreement.h"

#include <math.h>
#include <string.h>

int cs_agreement_point(const long table[2][2], double *observed, double *expected, double *kappa)
{
	long n = table[0][0] + table[0][1] + table[1][0] + table[1][1];
	long a_yes = table[1][0] + table[1][1], b_yes = table[0][1] + table[1][1];
	double po = NAN, pe = NAN, k = NAN;
	int defined = 0;

	if (n > 0) {
		double pa = (double)a_yes / (double)n, pb = (double)b_yes / (double)n;
		po = (double)(table[0][0] + table[1][1]) / (double)n;
		pe = pa * pb + (1.0 - pa) * (1.0 - pb);
		/* expected agreement is 1 exactly when both judges gave every item the same single verdict */
		defined = !((a_yes == n && b_yes == n) || (a_yes == 0 && b_yes == 0));
		if (defined)
			k = (po - pe) / (1.0 - pe);
		else
			pe = 1.0;
	}
	if (observed != NULL)
		*observed = po;
	if (expected != NULL)
		*expected = pe;
	if (kappa != NULL)
		*kappa = k;
	return defined;
}

struct verdicts {
	const unsigned char *a, *b;
	int kappa; /* 1: the statistic is kappa, 0: observed agreement */
};

/* The weighted table of a replicate and its statistic. */
static int replicate_stat(const int *weight, int np, void *ctx, double *value, struct cs_err *err)
{
	const struct verdicts *v = ctx;
	long table[2][2] = { { 0, 0 }, { 0, 0 } };
	double po, k;

	(void)err;
	for (int i = 0; i < np; i++)
		table[v->a[i]][v->b[i]] += weight[i];
	cs_agreement_point(table, &po, NULL, &k);
	*value = v->kappa ? k : po;
	return CS_OK;
}

static void undefined_interval(struct cs_interval *iv, int n)
{
	iv->point = iv->lo = iv->hi = NAN;
	iv->n_used = n;
	iv->n_replicates = 0;
}

int cs_agreement_compute(const unsigned char *a, const unsigned char *b, int n, const struct cs_boot_opts *opts,
			 struct cs_agreement *out, struct cs_err *err)
{
	struct verdicts v = { a, b, 0 };
	int rc;

	memset(out, 0, sizeof *out);
	if (n < 0 || (n > 0 && (a == NULL || b == NULL)))
		return cs_fail(err, CS_USAGE, "agreement: no verdicts");
	out->n = n;
	for (int i = 0; i < n; i++) {
		if (a[i] > 1 || b[i] > 1)
			return cs_fail(err, CS_INPUT, "agreement: item %d has a verdict other than 0 or 1", i);
		out->table[a[i]][b[i]]++;
	}
	out->kappa_defined = cs_agreement_point(out->table, &out->observed, &out->expected, &out->kappa);
	undefined_interval(&out->observed_ci, n);
	undefined_interval(&out->kappa_ci, n);
	if (n == 0)
		return CS_OK;
	rc = cs_bootstrap_stat(replicate_stat, &v, n, opts, &out->observed_ci, err);
	if (rc != CS_OK || !out->kappa_defined)
		return rc;
	v.kappa = 1;
	return cs_bootstrap_stat(replicate_stat, &v, n, opts, &out->kappa_ci, err);
}
