/* Coverage classes of a WC-SE pair: per-problem class probabilities and their expected counts with
 * bootstrap intervals. */
#include "classes.h"
#include "estimators.h"

#include <math.h>
#include <stdlib.h>

const char *cs_class_name(int c)
{
	static const char *const names[CS_CLASS_COUNT] = { "both", "wc_only", "se_only", "neither" };
	return c >= 0 && c < CS_CLASS_COUNT ? names[c] : "none";
}

void cs_class_probs(double p_wc, double p_se, double *out)
{
	out[CS_CLASS_BOTH] = p_wc * p_se;
	out[CS_CLASS_WC_ONLY] = p_wc * (1.0 - p_se);
	out[CS_CLASS_SE_ONLY] = (1.0 - p_wc) * p_se;
	out[CS_CLASS_NEITHER] = (1.0 - p_wc) * (1.0 - p_se);
}

unsigned cs_class_top(const double *probs)
{
	double best = probs[0];
	unsigned mask = 0;

	for (int c = 0; c < CS_CLASS_COUNT; c++) {
		if (isnan(probs[c]))
			return 0;
		if (probs[c] > best)
			best = probs[c];
	}
	for (int c = 0; c < CS_CLASS_COUNT; c++)
		if (probs[c] == best)
			mask |= 1u << c;
	return mask;
}

int cs_class_problem(const struct cs_class_input *in, double *p_wc, double *p_se, double *probs,
		     struct cs_err *err)
{
	if (in->wc_k < 1 || in->wc_k > in->wc_n || in->wc_c < 0 || in->wc_c > in->wc_n)
		return cs_fail(err, CS_INPUT, "classes: WC budget %d with %d of %d samples correct", in->wc_k, in->wc_c,
			       in->wc_n);
	if (in->se_k < 1 || in->se_k > in->se_n || in->se_c < 0 || in->se_c > in->se_n)
		return cs_fail(err, CS_INPUT, "classes: SE budget %d with %d of %d samples correct", in->se_k, in->se_c,
			       in->se_n);
	*p_wc = cs_coverage_one(in->wc_n, in->wc_c, in->wc_k);
	*p_se = cs_coverage_one(in->se_n, in->se_c, in->se_k);
	cs_class_probs(*p_wc, *p_se, probs);
	return CS_OK;
}

int cs_class_counts(const double *const *columns, int np, const int *subset, int m, const struct cs_boot_opts *opts,
		    struct cs_interval *out, struct cs_err *err)
{
	double *pool = NULL;
	const double *cols[CS_CLASS_COUNT];
	int rc;

	if (m < 1 || (subset == NULL && m != np))
		return cs_fail(err, CS_USAGE, "classes: no problem to count");
	if (subset != NULL) {
		pool = malloc((size_t)m * CS_CLASS_COUNT * sizeof *pool);
		if (pool == NULL)
			return cs_fail(err, CS_INTERNAL, "out of memory");
		for (int c = 0; c < CS_CLASS_COUNT; c++) {
			for (int i = 0; i < m; i++) {
				if (subset[i] < 0 || subset[i] >= np) {
					free(pool);
					return cs_fail(err, CS_USAGE, "classes: problem index %d outside 0..%d", subset[i],
						       np - 1);
				}
				pool[(size_t)c * m + i] = columns[c][subset[i]];
			}
			cols[c] = pool + (size_t)c * m;
		}
	} else {
		for (int c = 0; c < CS_CLASS_COUNT; c++)
			cols[c] = columns[c];
	}
	rc = cs_bootstrap_means(CS_CLASS_COUNT, cols, m, opts, out, err);
	if (rc == CS_OK) {
		/* a sum over m problems is m times their mean, in the original sample and in every replicate */
		for (int c = 0; c < CS_CLASS_COUNT; c++) {
			double sum = 0.0;
			for (int i = 0; i < m; i++)
				sum += cols[c][i];
			out[c].point = sum;
			out[c].lo *= m;
			out[c].hi *= m;
		}
	}
	free(pool);
	return rc;
}
