/* Normal quantile by rational first guess plus Halley refinement, and Wilson intervals built on it. */
#include "stats.h"

#include <math.h>

#define SQRT_2PI 2.5066282746310005024  /* sqrt(2 pi) */
#define SQRT_HALF 0.70710678118654752440 /* sqrt(1/2) */

/* Lower-tail quantile for 0 < p <= 0.5. */
static double lower_quantile(double p)
{
	/* First guess: the three-term rational approximation in t = sqrt(-2 ln p) tabulated by Abramowitz
	 * and Stegun (26.2.23), absolute error below 4.5e-4. */
	double t = sqrt(-2.0 * log(p));
	double x = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) /
			     (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
	int i;

	/* Halley steps on f(x) = Phi(x) - p, each roughly tripling the correct digits. The error term is
	 * divided by the density, so the step stays accurate in the far tail where Phi(x) is tiny. */
	for (i = 0; i < 4; i++) {
		double e = 0.5 * erfc(-x * SQRT_HALF) - p;
		double u = e * SQRT_2PI * exp(0.5 * x * x);
		double step = u / (1.0 + 0.5 * x * u);

		x -= step;
		if (fabs(step) <= 1e-16 * fabs(x))
			break;
	}
	return x;
}

double cs_normal_quantile(double p)
{
	if (isnan(p) || p < 0.0 || p > 1.0)
		return NAN;
	if (p == 0.0)
		return -INFINITY;
	if (p == 1.0)
		return INFINITY;
	if (p == 0.5)
		return 0.0;
	if (p < 0.5)
		return lower_quantile(p);
	return -lower_quantile(1.0 - p);
}

double cs_normal_critical(double level)
{
	if (!(level > 0.0 && level < 1.0))
		return NAN;
	/* (1 - level) / 2 is the upper tail; its lower-tail mirror keeps full precision. */
	return -cs_normal_quantile(0.5 * (1.0 - level));
}

int cs_wilson(long successes, long trials, double level, double *lo, double *hi, struct cs_err *err)
{
	double z, z2, n, p, denom, centre, half;

	if (trials < 1 || successes < 0 || successes > trials)
		return cs_fail(err, CS_INPUT, "Wilson interval: %ld successes out of %ld trials", successes,
			       trials);
	if (!(level > 0.0 && level < 1.0))
		return cs_fail(err, CS_INPUT, "Wilson interval: confidence level %g is not in (0, 1)", level);
	z = cs_normal_critical(level);
	z2 = z * z;
	n = (double)trials;
	p = (double)successes / n;
	denom = 1.0 + z2 / n;
	centre = (p + z2 / (2.0 * n)) / denom;
	half = z / denom * sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
	*lo = successes == 0 ? 0.0 : fmax(0.0, centre - half);
	*hi = successes == trials ? 1.0 : fmin(1.0, centre + half);
	return CS_OK;
}

int cs_fpr_compute(long n_judged, long n_wrong, double level, struct cs_fpr *out, struct cs_err *err)
{
	if (n_judged < 0 || n_wrong < 0 || n_wrong > n_judged)
		return cs_fail(err, CS_INPUT, "false-positive rate: %ld judged wrong out of %ld judged", n_wrong,
			       n_judged);
	if (!(level > 0.0 && level < 1.0))
		return cs_fail(err, CS_INPUT, "false-positive rate: confidence level %g is not in (0, 1)",
			       level);
	out->n_judged = n_judged;
	out->n_wrong = n_wrong;
	out->level = level;
	if (n_judged == 0) {
		out->rate = NAN;
		out->lo = NAN;
		out->hi = NAN;
		return CS_OK;
	}
	out->rate = (double)n_wrong / (double)n_judged;
	return cs_wilson(n_wrong, n_judged, level, &out->lo, &out->hi, err);
}

void cs_newcombe_diff(const struct cs_fpr *a, const struct cs_fpr *b, double *diff, double *lo, double *hi)
{
	if (a->n_judged == 0 || b->n_judged == 0) {
		*diff = *lo = *hi = NAN;
		return;
	}
	*diff = a->rate - b->rate;
	*lo = *diff - sqrt((a->rate - a->lo) * (a->rate - a->lo) + (b->hi - b->rate) * (b->hi - b->rate));
	*hi = *diff + sqrt((a->hi - a->rate) * (a->hi - a->rate) + (b->rate - b->lo) * (b->rate - b->lo));
}
