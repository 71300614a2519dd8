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
	int *order;          /* count group indexes, largest group first (equal sizes by index) */
	int *size_desc;      /* count sizes in that order: size_desc[i] = size[order[i]] */
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

/* Sorts pairs[0..m-1] by (id, sample); the pairs arrive in increasing sample order and every id is in
 * 0..max_id. Answer ids usually number a problem's answers 0, 1, 2, ..., so a stable counting sort by id
 * does it in linear time (same order as sorting by (id, sample), since the samples arrive sorted); very
 * sparse ids fall back to qsort. Returns 0, or -1 when out of memory. */
static int sort_pairs(struct pair *pairs, int m, int max_id)
{
	struct pair *sorted = NULL;
	int *start = NULL;
	int i;

	if (m < 2)
		return 0;
	if (max_id > 4 * m + 64) {
		qsort(pairs, (size_t)m, sizeof *pairs, cmp_pair);
		return 0;
	}
	sorted = malloc((size_t)m * sizeof *sorted);
	start = calloc((size_t)max_id + 2, sizeof *start);
	if (sorted == NULL || start == NULL) {
		free(sorted);
		free(start);
		return -1;
	}
	/* start[id + 1] counts id; the prefix sums then make start[id] the first slot of id */
	for (i = 0; i < m; i++)
		start[pairs[i].id + 1]++;
	for (i = 1; i <= max_id + 1; i++)
		start[i] += start[i - 1];
	for (i = 0; i < m; i++)
		sorted[start[pairs[i].id]++] = pairs[i];
	memcpy(pairs, sorted, (size_t)m * sizeof *pairs);
	free(sorted);
	free(start);
	return 0;
}

static void groups_free(struct groups *g)
{
	free(g->size);
	free(g->good);
	free(g->label);
	free(g->order);
	free(g->size_desc);
}

/* A group's size and index, to sort groups by size. */
struct sized {
	int size;
	int group;
};

static int cmp_size_desc(const void *a, const void *b)
{
	const struct sized *x = a;
	const struct sized *y = b;

	if (x->size != y->size)
		return (x->size < y->size) - (x->size > y->size);
	return (x->group > y->group) - (x->group < y->group);
}

/* Fills g->order and g->size_desc (allocated by the caller) from g->size. Returns 0, or -1 when out of
 * memory. */
static int order_by_size(struct groups *g)
{
	struct sized *by_size = malloc((size_t)(g->count > 0 ? g->count : 1) * sizeof *by_size);
	int i;

	if (by_size == NULL)
		return -1;
	for (i = 0; i < g->count; i++) {
		by_size[i].size = g->size[i];
		by_size[i].group = i;
	}
	qsort(by_size, (size_t)g->count, sizeof *by_size, cmp_size_desc);
	for (i = 0; i < g->count; i++) {
		g->order[i] = by_size[i].group;
		g->size_desc[i] = by_size[i].size;
	}
	free(by_size);
	return 0;
}

/* Groups t's samples by answer id into g (zeroed by the caller); index names the problem in messages.
 * Frees its own partial work on error. */
static int groups_build(const struct cs_tally *t, int index, struct groups *g, struct cs_err *err)
{
	struct pair *pairs = NULL;
	int m = 0;
	int max_id = 0;
	int i;
	int rc;
	size_t cap = (size_t)(t->n > 0 ? t->n : 1);

	g->n = t->n;
	pairs = malloc(cap * sizeof *pairs);
	g->size = malloc(cap * sizeof *g->size);
	g->good = malloc(cap);
	g->label = malloc(cap * sizeof *g->label);
	g->order = malloc(cap * sizeof *g->order);
	g->size_desc = malloc(cap * sizeof *g->size_desc);
	if (pairs == NULL || g->size == NULL || g->good == NULL || g->label == NULL || g->order == NULL ||
	    g->size_desc == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory for %d samples", t->n);
		goto out;
	}
	for (i = 0; i < t->n; i++) {
		if (t->answer[i] < 0)
			continue;
		pairs[m].id = t->answer[i];
		pairs[m].sample = i;
		m++;
		if (t->answer[i] > max_id)
			max_id = t->answer[i];
	}
	g->none = t->n - m;
	if (sort_pairs(pairs, m, max_id) != 0) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory for %d samples", t->n);
		goto out;
	}
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
	if (order_by_size(g) != 0) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory for %d samples", t->n);
		goto out;
	}
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

/* Why the exact method can work group by group, largest first.
 *
 * Fix a winning count M. A draw scores at M when the largest group count is exactly M; it then scores
 * (correct groups at M) / (groups at M). A group with fewer than M samples can never reach M draws, so it
 * neither beats nor ties at M: for this M it is just more filler, like the samples without an answer.
 * With the groups sorted by size, largest first, the groups that matter for M are the first J_M of them
 * (those of size >= M); everything after them is one filler pool that takes whatever draws are left.
 *
 * The draw is then built one group at a time: group i (in that order) meets the pool of the samples of
 * groups i, i + 1, ... and the blanks, pool_i = n - (sizes of groups 0..i-1), and takes x of the r draws
 * left with the hypergeometric probability H_i(r, x) = C(s_i, x) C(pool_i - s_i, r - x) / C(pool_i, r).
 * Chaining these gives the multivariate hypergeometric law of the counts. pool_i does not depend on M, so
 * the table H_i is computed once and serves every M.
 *
 * The state after some groups is (u = draws used so far, a = groups at exactly M so far); for each state
 * we carry its probability p and w = E[correct groups at M; state]. A group taking more than M ends the
 * case "largest count is M", so that branch is dropped. Once fewer than M draws are left (r = k - u < M),
 * no later group can reach M and the state is final: it "retires" with score w / a. After the J_M-th group
 * every state retires (its r draws go to the filler, which has room for them: H is 0 for placements the
 * pool cannot hold). So the states kept between groups have u <= k - M, and a <= u / M. maj@k is the sum
 * over M of the retired w / a; M above the largest group size contributes nothing. */

/* Upper bound of the exact method's inner-loop work, as documented in majority.h: the probability table
 * plus, for each M and each group i < J_M, (states kept) x (M + 1) placements. Stops counting once the
 * work passes limit. */
static double exact_work(const struct groups *g, int k, double limit)
{
	const int *size_desc = g->size_desc;
	int count = g->count;
	double work = 0.0;
	int big_m;
	int i;

	for (i = 0; i < count; i++)
		work += (k + 1.0) * (imin(size_desc[i], k) + 1.0);
	for (big_m = 1; count > 0 && big_m <= imin(k, size_desc[0]) && work <= limit; big_m++) {
		for (i = 0; i < count && size_desc[i] >= big_m; i++) {
			double rows = fmin((double)(k - big_m), (double)i * big_m) + 1.0;
			double a_states = (double)imin(i, k / big_m - 1) + 1.0;

			work += rows * a_states * (big_m + 1.0);
		}
	}
	return work;
}

/* Fills h[r * width + x] for r = 0..k and x = 0..width-1 (width <= s + 1) with the probability that r
 * draws without replacement from pool items, s of them marked, take exactly x marked ones; 0 when
 * impossible (r > pool included). Built up one draw at a time: the (r+1)-th draw takes an unmarked item
 * with probability (unmarked left) / (pool - r) and a marked one with (marked left) / (pool - r). Every
 * term is positive, so the relative rounding error grows only like r times the machine epsilon. */
static void hyper_table(int pool, int s, int k, int width, double *h)
{
	int r, x;

	memset(h, 0, (size_t)(k + 1) * (size_t)width * sizeof *h);
	h[0] = 1.0;
	for (r = 0; r < k && r < pool; r++) {
		const double *cur = h + (size_t)r * width;
		double *next = h + (size_t)(r + 1) * width;
		double inv = 1.0 / (pool - r);

		for (x = 0; x <= imin(r + 1, width - 1); x++) {
			int unmarked_left = (pool - s) - (r - x); /* when the r draws took x marked ones */
			int marked_left = s - (x - 1);            /* when they took x - 1 */
			double v = 0.0;

			if (x <= r && unmarked_left > 0)
				v += cur[x] * unmarked_left * inv;
			if (x >= 1)
				v += cur[x - 1] * marked_left * inv;
			next[x] = v;
		}
	}
}

/* Exact maj@k of g, by the method described above exact_work. */
static int exact_maj(const struct groups *g, int k, double *value, struct cs_err *err)
{
	const int *size_desc = g->size_desc;
	double *table = NULL;
	size_t *offset = NULL;
	double *p = NULL, *w = NULL; /* p[u * width + a], w[u * width + a]: the kept states */
	double *done = NULL;         /* done[a]: sum of w over the retired states with a groups at M */
	size_t entries = 0;
	size_t cells;
	double total = 0.0;
	int a_cap = imin(g->count, k) + 1; /* bound on the number of a values, for the buffers */
	int big_m;
	int i;
	int rc;

	/* table + offset[i] holds H_i(r, x) as h[r * (min(s_i, k) + 1) + x]. */
	offset = malloc(((size_t)g->count + 1) * sizeof *offset);
	if (offset == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory for maj@%d over %d samples", k, g->n);
		goto out;
	}
	for (i = 0; i < g->count; i++) {
		offset[i] = entries;
		entries += (size_t)(k + 1) * (size_t)(imin(size_desc[i], k) + 1);
	}
	offset[g->count] = entries;
	cells = (size_t)(k + 1) * (size_t)a_cap;
	table = malloc((entries > 0 ? entries : 1) * sizeof *table);
	p = malloc(cells * sizeof *p);
	w = malloc(cells * sizeof *w);
	done = malloc(((size_t)a_cap + 1) * sizeof *done);
	if (table == NULL || p == NULL || w == NULL || done == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory for maj@%d over %d samples", k, g->n);
		goto out;
	}
	{
		int pool = g->n;

		for (i = 0; i < g->count; i++) {
			hyper_table(pool, size_desc[i], k, imin(size_desc[i], k) + 1, table + offset[i]);
			pool -= size_desc[i];
		}
	}
	for (big_m = 1; g->count > 0 && big_m <= imin(k, size_desc[0]); big_m++) {
		int j_m = 0;              /* groups of size >= M: the first j_m in size order */
		int last_row = k - big_m; /* kept states have u <= k - M: at least M draws left */
		int width, a;

		while (j_m < g->count && size_desc[j_m] >= big_m)
			j_m++;
		/* kept states have a <= j_m - 1 (the last group retires everything) and a <= (k - M) / M */
		width = imin(j_m - 1, k / big_m - 1) + 1;
		memset(p, 0, (size_t)(last_row + 1) * (size_t)width * sizeof *p);
		memset(w, 0, (size_t)(last_row + 1) * (size_t)width * sizeof *w);
		memset(done, 0, ((size_t)width + 1) * sizeof *done);
		p[0] = 1.0; /* nothing drawn yet */
		for (i = 0; i < j_m; i++) {
			int last = i == j_m - 1;
			int row = imin(size_desc[i], k) + 1;
			int good = g->good[g->order[i]];
			const double *h = table + offset[i];
			/* before group i, u <= i * M (each earlier group took at most M) */
			int top = (double)i * big_m < last_row ? i * big_m : last_row;
			int u, x;

			/* Descending u, updating in place: a state only moves to a larger u, which has already
			 * been visited, so every state is read before anything lands on it. Row u itself is
			 * pushed to the rows above first and only then scaled for x = 0. */
			for (u = top; u >= 0; u--) {
				const double *hr = h + (size_t)(k - u) * row; /* r = k - u draws left */
				double *pu = p + (size_t)u * width;
				double *wu = w + (size_t)u * width;
				int amax = imin(imin(i, u / big_m), width - 1);
				int keep = last ? -1 : imin(big_m - 1, last_row - u); /* x <= keep stays kept */
				double h_retire = 0.0;
				double hm = hr[big_m];

				/* 0 < x < M draws to group i: a unchanged; kept while at least M draws are left */
				for (x = 1; x <= keep; x++) {
					double hx = hr[x];
					double *pd = p + (size_t)(u + x) * width;
					double *wd = w + (size_t)(u + x) * width;

					if (hx == 0.0)
						continue;
					for (a = 0; a <= amax; a++) {
						pd[a] += pu[a] * hx;
						wd[a] += wu[a] * hx;
					}
				}
				/* ... or retired, with a unchanged */
				for (x = keep + 1; x < big_m; x++)
					h_retire += hr[x];
				if (h_retire != 0.0)
					for (a = 1; a <= amax; a++)
						done[a] += wu[a] * h_retire;
				/* exactly M draws to group i: one more group at M, kept or retired */
				if (hm != 0.0 && !last && u + big_m <= last_row) {
					double *pd = p + (size_t)(u + big_m) * width;
					double *wd = w + (size_t)(u + big_m) * width;

					for (a = 0; a <= amax; a++) {
						pd[a + 1] += pu[a] * hm;
						wd[a + 1] += (wu[a] + (good ? pu[a] : 0.0)) * hm;
					}
				} else if (hm != 0.0) {
					for (a = 0; a <= amax; a++)
						done[a + 1] += (wu[a] + (good ? pu[a] : 0.0)) * hm;
				}
				/* no draw to group i: the state stays at u (after the last group it has been
				 * retired above and the row is not read again) */
				if (keep >= 0) {
					for (a = 0; a <= amax; a++) {
						pu[a] *= hr[0];
						wu[a] *= hr[0];
					}
				}
			}
		}
		for (a = 1; a <= width; a++)
			total += done[a] / a;
	}
	*value = total;
	rc = CS_OK;
out:
	free(table);
	free(offset);
	free(p);
	free(w);
	free(done);
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
