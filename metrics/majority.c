/* maj@k by an exact dynamic programme over answer groups, or by seeded Monte Carlo above a work budget. */
#include "majority.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

/* One problem's samples grouped by answer: group g has size[g] samples and is correct when good[g]. */
struct groups {
	int n;               /* samples */
	int none;            /* samples without an answer */
	int count;           /* answer groups */
	int *size;           /* count sizes */
	unsigned char *good; /* count flags */
	int *label;          /* n labels: the sample's group, or count for no answer */
};

struct pair {
	int id;
	int sample;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a;
	const struct pair *y = b;

	if (x->id != y->id)
		return (x->id > y->id) - (x->id < y->id);
	return (x->sample > y->sample) - (x->sample < y->sample);
}

static void groups_free(struct groups *g)
{
	free(g->size);
	free(g->good);
	free(g->label);
}

/* Groups t's samples by answer id into g (zeroed by the caller); index names the problem in messages.
 * Frees its own partial work on error. */
static int groups_build(const struct cs_tally *t, int index, struct groups *g, struct cs_err *err)
{
	struct pair *pairs = NULL;
	int m = 0;
	int i;
	int rc;
	size_t cap = (size_t)(t->n > 0 ? t->n : 1);

	g->n = t->n;
	pairs = malloc(cap * sizeof *pairs);
	g->size = malloc(cap * sizeof *g->size);
	g->good = malloc(cap);
	g->label = malloc(cap * sizeof *g->label);
	if (pairs == NULL || g->size == NULL || g->good == NULL || g->label == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory for %d samples", t->n);
		goto out;
	}
	for (i = 0; i < t->n; i++) {
		if (t->answer[i] < 0)
			continue;
		pairs[m].id = t->answer[i];
		pairs[m].sample = i;
		m++;
	}
	g->none = t->n - m;
	qsort(pairs, (size_t)m, sizeof *pairs, cmp_pair);
	g->count = 0;
	for (i = 0; i < m; i++) {
		int s = pairs[i].sample;

		if (i == 0 || pairs[i].id != pairs[i - 1].id) {
			g->size[g->count] = 0;
			g->good[g->count] = t->correct[s];
			g->count++;
		} else if (g->good[g->count - 1] != t->correct[s]) {
			rc = cs_fail(err, CS_INPUT,
				     "problem %d: samples %d and %d share answer id %d but differ in correctness",
				     index, pairs[i - 1].sample, s, pairs[i].id);
			goto out;
		}
		g->size[g->count - 1]++;
		g->label[s] = g->count - 1;
	}
	for (i = 0; i < t->n; i++)
		if (t->answer[i] < 0)
			g->label[i] = g->count;
	rc = CS_OK;
out:
	free(pairs);
	if (rc != CS_OK)
		groups_free(g);
	return rc;
}

static int imin(int a, int b)
{
	return a < b ? a : b;
}

/* Upper bound of the exact method's inner-loop work, as documented in majority.h; stops counting once
 * it passes limit. */
static double exact_work(const struct groups *g, int k, double limit)
{
	double work = 0.0;
	int big_m;
	int i;

	for (big_m = 1; big_m <= k; big_m++) {
		double a_states = (double)imin(g->count, k / big_m) + 1.0;

		for (i = 0; i < g->count; i++)
			work += (k + 1.0) * a_states * (imin(g->size[i], big_m) + 1.0);
		if (work > limit)
			break;
	}
	return work;
}

/* Log-factorial table lf[0..n]. */
static double lchoose(const double *lf, int a, int b)
{
	return lf[a] - lf[b] - lf[a - b];
}

/* Hypergeometric probability of drawing x of s marked items when r are drawn from pool items. */
static double hyper(const double *lf, int pool, int s, int r, int x)
{
	if (x < 0 || x > s || r - x < 0 || r - x > pool - s)
		return 0.0;
	return exp(lchoose(lf, s, x) + lchoose(lf, pool - s, r - x) - lchoose(lf, pool, r));
}

static int exact_maj(const struct groups *g, int k, double *value, struct cs_err *err)
{
	double *lf = NULL;
	double *buf = NULL;
	double *table = NULL;
	size_t *offset = NULL;
	double total = 0.0;
	size_t cells;
	size_t entries = 0;
	int big_m;
	int i;
	int rc;

	lf = malloc((size_t)(g->n + 1) * sizeof *lf);
	cells = (size_t)(k + 1) * (size_t)(imin(g->count, k) + 1);
	buf = malloc(4 * cells * sizeof *buf);
	offset = malloc(((size_t)g->count + 1) * sizeof *offset);
	if (lf == NULL || buf == NULL || offset == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory for maj@%d over %d samples", k, g->n);
		goto out;
	}
	for (i = 0; i <= g->n; i++)
		lf[i] = lgamma((double)i + 1.0);
	/* table[offset[i] + r * (min(s_i, k) + 1) + x]: probability that group i, met with r draws left,
	 * receives x of them; the pool left at group i is fixed by the processing order. */
	for (i = 0; i < g->count; i++) {
		offset[i] = entries;
		entries += (size_t)(k + 1) * (size_t)(imin(g->size[i], k) + 1);
	}
	offset[g->count] = entries;
	table = malloc((entries > 0 ? entries : 1) * sizeof *table);
	if (table == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory for maj@%d over %d samples", k, g->n);
		goto out;
	}
	{
		int pool = g->n - g->none;

		for (i = 0; i < g->count; i++) {
			int row = imin(g->size[i], k) + 1;
			int r, x;

			for (r = 0; r <= k; r++)
				for (x = 0; x < row; x++)
					table[offset[i] + (size_t)r * row + x] = hyper(lf, pool, g->size[i], r, x);
			pool -= g->size[i];
		}
	}
	for (big_m = 1; big_m <= k; big_m++) {
		int amax = imin(g->count, k / big_m);
		int width = amax + 1;
		double *p = buf, *w = buf + cells, *np = buf + 2 * cells, *nw = buf + 3 * cells;
		size_t used = (size_t)(k + 1) * (size_t)width;
		int r, a, x;

		memset(p, 0, used * sizeof *p);
		memset(w, 0, used * sizeof *w);
		/* The samples without an answer come first: they take any number of the draws. */
		for (x = 0; x <= imin(g->none, k); x++)
			p[(k - x) * width] = hyper(lf, g->n, g->none, k, x);
		for (i = 0; i < g->count; i++) {
			int row = imin(g->size[i], k) + 1;
			const double *hrow = table + offset[i];

			memset(np, 0, used * sizeof *np);
			memset(nw, 0, used * sizeof *nw);
			for (r = 0; r <= k; r++) {
				int xmax = imin(imin(row - 1, r), big_m);

				for (a = 0; a <= amax; a++) {
					double pp = p[r * width + a];
					double ww = w[r * width + a];

					if (pp == 0.0 && ww == 0.0)
						continue;
					for (x = 0; x <= xmax; x++) {
						double h = hrow[(size_t)r * row + x];
						int to;

						if (h == 0.0)
							continue;
						if (x == big_m) {
							if (a + 1 > amax)
								continue;
							to = (r - x) * width + a + 1;
							np[to] += pp * h;
							nw[to] += (ww + (g->good[i] ? pp : 0.0)) * h;
						} else {
							to = (r - x) * width + a;
							np[to] += pp * h;
							nw[to] += ww * h;
						}
					}
				}
			}
			memcpy(p, np, used * sizeof *p);
			memcpy(w, nw, used * sizeof *w);
		}
		/* Every draw is placed once all groups are done, so only r = 0 carries mass. */
		for (a = 1; a <= amax; a++)
			total += w[a] / a;
	}
	*value = total;
	rc = CS_OK;
out:
	free(lf);
	free(buf);
	free(table);
	free(offset);
	return rc;
}

static int monte_carlo_maj(const struct groups *g, int k, const struct cs_maj_opts *opts, uint64_t stream,
			   double *value, struct cs_err *err)
{
	struct cs_rng rng;
	int *perm = NULL;
	int *hits = NULL;
	double total = 0.0;
	int d;
	int i;
	int rc;

	perm = malloc((size_t)(g->n > 0 ? g->n : 1) * sizeof *perm);
	hits = calloc((size_t)g->count + 1, sizeof *hits);
	if (perm == NULL || hits == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory for maj@%d over %d samples", k, g->n);
		goto out;
	}
	memcpy(perm, g->label, (size_t)g->n * sizeof *perm);
	cs_rng_seed_stream(&rng, opts->seed ^ ((uint64_t)(unsigned)k * UINT64_C(0x9e3779b97f4a7c15)), stream);
	for (d = 0; d < opts->mc_draws; d++) {
		int best = 0, tied = 0, good = 0;

		/* A partial Fisher-Yates shuffle puts a uniform k-subset in perm[0..k-1]; starting from any
		 * arrangement left by the previous draw keeps it uniform. */
		for (i = 0; i < k; i++) {
			int j = i + (int)cs_rng_below(&rng, (uint64_t)(g->n - i));
			int tmp = perm[i];

			perm[i] = perm[j];
			perm[j] = tmp;
			hits[perm[i]]++;
		}
		for (i = 0; i < k; i++) {
			int lab = perm[i];

			if (lab == g->count || hits[lab] == 0)
				continue;
			if (hits[lab] > best) {
				best = hits[lab];
				tied = 0;
				good = 0;
			}
			if (hits[lab] == best) {
				tied++;
				good += g->good[lab];
			}
			hits[lab] = 0; /* counted once; also resets for the next draw */
		}
		hits[g->count] = 0;
		if (tied > 0)
			total += (double)good / tied;
	}
	*value = total / opts->mc_draws;
	rc = CS_OK;
out:
	free(perm);
	free(hits);
	return rc;
}

void cs_maj_default_opts(struct cs_maj_opts *opts, uint64_t seed)
{
	opts->exact_budget = CS_MAJ_EXACT_BUDGET;
	opts->mc_draws = CS_MAJ_MC_DRAWS;
	opts->seed = seed;
}

static int maj_checked(const struct cs_tally *t, int index, uint64_t stream, int k,
		       const struct cs_maj_opts *opts, double *value, enum cs_maj_method *method,
		       struct cs_err *err)
{
	struct groups g = { 0 };
	int rc;

	if (t->n < k) {
		*value = NAN;
		*method = CS_MAJ_NONE;
		return CS_OK;
	}
	rc = groups_build(t, index, &g, err);
	if (rc != CS_OK)
		return rc;
	if (exact_work(&g, k, opts->exact_budget) <= opts->exact_budget) {
		*method = CS_MAJ_EXACT;
		rc = exact_maj(&g, k, value, err);
	} else {
		*method = CS_MAJ_MONTE_CARLO;
		rc = monte_carlo_maj(&g, k, opts, stream, value, err);
	}
	groups_free(&g);
	return rc;
}

static int check_args(const struct cs_tally *t, int np, int k, const struct cs_maj_opts *opts,
		      struct cs_err *err)
{
	int i;

	if (k < 1)
		return cs_fail(err, CS_USAGE, "maj@k needs k >= 1, got %d", k);
	if (opts == NULL || opts->mc_draws < 1 || !(opts->exact_budget >= 0.0))
		return cs_fail(err, CS_USAGE, "maj@k: bad options (need mc_draws >= 1, exact_budget >= 0)");
	if (np < 0 || (np > 0 && t == NULL))
		return cs_fail(err, CS_USAGE, "maj@k: bad problem array (np = %d)", np);
	for (i = 0; i < np; i++) {
		int rc;

		if (t[i].n > 0 && t[i].answer == NULL)
			return cs_fail(err, CS_USAGE, "maj@k: problem %d has no answer ids", i);
		rc = cs_tally_check(&t[i], i, err);
		if (rc != CS_OK)
			return rc;
	}
	return CS_OK;
}

int cs_maj_one(const struct cs_tally *t, int k, const struct cs_maj_opts *opts, uint64_t stream,
	       double *value, enum cs_maj_method *method, struct cs_err *err)
{
	enum cs_maj_method used;
	int rc;

	rc = check_args(t, 1, k, opts, err);
	if (rc != CS_OK)
		return rc;
	rc = maj_checked(t, 0, stream, k, opts, value, &used, err);
	if (method != NULL)
		*method = used;
	return rc;
}

int cs_maj_values(const struct cs_tally *t, int np, int k, const struct cs_maj_opts *opts, double *values,
		  struct cs_maj_summary *sum, struct cs_err *err)
{
	int n_exact = 0, n_mc = 0;
	int rc;
	int i;

	if (np > 0 && values == NULL)
		return cs_fail(err, CS_USAGE, "maj@k: no output array");
	rc = check_args(t, np, k, opts, err);
	if (rc != CS_OK)
		return rc;
	for (i = 0; i < np; i++) {
		enum cs_maj_method used;

		rc = maj_checked(&t[i], i, (uint64_t)i, k, opts, &values[i], &used, err);
		if (rc != CS_OK)
			return rc;
		n_exact += used == CS_MAJ_EXACT;
		n_mc += used == CS_MAJ_MONTE_CARLO;
	}
	if (sum != NULL) {
		cs_summarise(values, np, &sum->base);
		sum->n_exact = n_exact;
		sum->n_monte_carlo = n_mc;
		sum->mc_draws = opts->mc_draws;
	}
	return CS_OK;
}
