/* maj@k by exact sums over the windows of answer-group counts that hold all but a bounded tail, or by seeded
 * Monte Carlo above a work budget. */
#include "majority.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

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

void cs_maj_groups_free(struct cs_maj_groups *g)
{
	free(g->size);
	free(g->good);
	free(g->label);
	free(g->work);
	free(g->iwork);
	memset(g, 0, sizeof *g);
}

int cs_maj_groups_build(const struct cs_tally *t, int index, struct cs_maj_groups *g, struct cs_err *err)
{
	struct pair *pairs = NULL;
	struct sized *by_size = NULL;
	int *rank = NULL;
	unsigned char *good_by_id = NULL;
	size_t cap = (size_t)(t->n > 0 ? t->n : 1);
	int m = 0, max_id = 0, count = 0;
	int i;
	double *work = g->work;
	size_t work_cap = g->work_cap;
	int rc;

	/* a previous problem's groups give way; their scratch stays */
	free(g->size);
	free(g->good);
	free(g->label);
	free(g->iwork);
	memset(g, 0, sizeof *g);
	g->work = work;
	g->work_cap = work_cap;
	g->n = t->n;
	g->index = index;
	pairs = malloc(cap * sizeof *pairs);
	by_size = malloc(cap * sizeof *by_size);
	rank = malloc(cap * sizeof *rank);
	good_by_id = malloc(cap);
	g->size = malloc(cap * sizeof *g->size);
	g->good = malloc(cap);
	g->label = malloc(cap * sizeof *g->label);
	if (pairs == NULL || by_size == NULL || rank == NULL || good_by_id == NULL || g->size == NULL ||
	    g->good == NULL || g->label == NULL) {
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
	if (sort_pairs(pairs, m, max_id) != 0) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory for %d samples", t->n);
		goto out;
	}
	/* groups in answer-id order first: by_size[c] = (size, c), labels by that order */
	for (i = 0; i < m; i++) {
		int s = pairs[i].sample;

		if (i == 0 || pairs[i].id != pairs[i - 1].id) {
			by_size[count].size = 0;
			by_size[count].group = count;
			good_by_id[count] = t->correct[s];
			count++;
		} else if (good_by_id[count - 1] != t->correct[s]) {
			rc = cs_fail(err, CS_INPUT,
				     "problem %d: samples %d and %d share answer id %d but differ in correctness",
				     index, pairs[i - 1].sample, s, pairs[i].id);
			goto out;
		}
		by_size[count - 1].size++;
		g->label[s] = count - 1;
	}
	/* then renumbered largest first */
	qsort(by_size, (size_t)count, sizeof *by_size, cmp_size_desc);
	for (i = 0; i < count; i++) {
		rank[by_size[i].group] = i;
		g->size[i] = by_size[i].size;
		g->good[i] = good_by_id[by_size[i].group];
	}
	for (i = 0; i < t->n; i++)
		g->label[i] = t->answer[i] < 0 ? count : rank[g->label[i]];
	g->count = count;
	g->iwork = malloc((7 * (size_t)count + 8) * sizeof *g->iwork);
	if (g->iwork == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory for %d samples", t->n);
		goto out;
	}
	rc = CS_OK;
out:
	free(pairs);
	free(by_size);
	free(rank);
	free(good_by_id);
	if (rc != CS_OK)
		cs_maj_groups_free(g);
	return rc;
}

/* The count X of one group of s samples in k draws without replacement from n: X is hypergeometric on
 * [xmin, xmax], with a mode at mode. */
struct hyp {
	double n, s, k;
	int xmin, xmax, mode;
};

static void hyp_init(struct hyp *h, int n, int s, int k)
{
	int mode = (int)floor(((double)k + 1.0) * ((double)s + 1.0) / ((double)n + 2.0));

	h->n = n;
	h->s = s;
	h->k = k;
	h->xmin = k - (n - s) > 0 ? k - (n - s) : 0;
	h->xmax = s < k ? s : k;
	h->mode = mode < h->xmin ? h->xmin : mode > h->xmax ? h->xmax : mode;
}

/* pmf(x + 1) / pmf(x) for xmin <= x < xmax: positive, and non-increasing in x (the pmf is log-concave). */
static double hyp_up(const struct hyp *h, int x)
{
	return ((h->s - x) * (h->k - x)) / ((x + 1.0) * (h->n - h->s - h->k + x + 1.0));
}

/* Tail bounds. pmf(x) <= the product of the ratios from the mode to x (pmf(mode) <= 1), and past x the
 * tail is at most pmf(x) / (1 - q), q the ratio of the next step away from the mode (ratios only shrink
 * further out). */

/* The smallest lo with P(X < lo) <= eps, as far as the bound shows. */
static int hyp_lower(const struct hyp *h, double eps)
{
	double b = 1.0;
	int x;

	for (x = h->mode; x > h->xmin; x--) {
		double tail;

		b /= hyp_up(h, x - 1); /* bounds pmf(x - 1) */
		tail = b;
		if (x - 2 >= h->xmin) {
			double q = 1.0 / hyp_up(h, x - 2);

			tail = q < 1.0 ? b / (1.0 - q) : INFINITY;
		}
		if (tail <= eps)
			return x;
	}
	return h->xmin;
}

/* The largest hi with P(X > hi) <= eps, as far as the bound shows. */
static int hyp_upper(const struct hyp *h, double eps)
{
	double b = 1.0;
	int x;

	for (x = h->mode; x < h->xmax; x++) {
		double tail;

		b *= hyp_up(h, x); /* bounds pmf(x + 1) */
		tail = b;
		if (x + 1 < h->xmax) {
			double q = hyp_up(h, x + 1);

			tail = q < 1.0 ? b / (1.0 - q) : INFINITY;
		}
		if (tail <= eps)
			return x;
	}
	return h->xmax;
}

/* A bound on P(X >= at). */
static double hyp_tail_from(const struct hyp *h, int at)
{
	double b = 1.0, q;
	int x;

	if (at > h->xmax)
		return 0.0;
	if (at <= h->mode)
		return 1.0;
	for (x = h->mode; x < at; x++) {
		b *= hyp_up(h, x); /* bounds pmf(x + 1) */
		if (b < 1e-300)
			return (h->xmax - at + 1.0) * 1e-300; /* every pmf from at on is below b */
	}
	if (at == h->xmax)
		return b;
	q = hyp_up(h, at);
	return q < 1.0 ? b / (1.0 - q) : 1.0;
}

/* A bound on P(X < at). */
static double hyp_below(const struct hyp *h, int at)
{
	double b = 1.0, q;
	int x;

	if (at <= h->xmin)
		return 0.0;
	if (at - 1 >= h->mode)
		return 1.0;
	for (x = h->mode; x > at - 1; x--) {
		b /= hyp_up(h, x - 1); /* bounds pmf(x - 1) */
		if (b < 1e-300)
			return (at - h->xmin) * 1e-300; /* every pmf below at is below b */
	}
	if (at - 2 < h->xmin)
		return b;
	q = 1.0 / hyp_up(h, at - 2);
	return q < 1.0 ? fmin(b / (1.0 - q), 1.0) : 1.0;
}

/* A bound on P(every group has fewer than at draws): the counts of a multivariate hypergeometric law are
 * negatively associated, so this is at most the product of the groups' own P(X_j < at). Stops once the
 * product is at most eps. */
static double all_below(const struct cs_maj_groups *g, int k, int at, double eps)
{
	double prod = 1.0;
	int j;

	for (j = 0; j < g->count && prod > eps; j++) {
		struct hyp h;

		hyp_init(&h, g->n, g->size[j], k);
		if (at - 1 >= h.mode)
			break; /* this group and the smaller ones (whose modes are no larger) give factors <= 1 */
		prod *= hyp_below(&h, at);
	}
	return prod;
}

/* A bound on P(X_j >= X_0): group j (j >= 1) reaching the largest group's count. X_0's range is cut into
 * at most 16 intervals; given X_0 = v, X_j is hypergeometric with k - v draws from the n - s_0 other
 * samples, and its tail at v only shrinks as v grows, so an interval starting at v adds at most
 * P(X_0 in it) x P(X_j >= v | X_0 = v). Beyond the window [lo, hi] of X_0 (tails eps / 4 each) the
 * bound counts the whole tail. Stops once the bound passes eps. */
static double beats_largest(const struct cs_maj_groups *g, int k, int j, double eps)
{
	struct hyp h0, hj;
	double total = 0.0, b = 1.0;
	int lo, hi, step, v, x;

	hyp_init(&h0, g->n, g->size[0], k);
	lo = hyp_lower(&h0, eps / 4);
	hi = hyp_upper(&h0, eps / 4);
	if (lo > h0.xmin)
		total += eps / 4;
	if (hi < h0.xmax)
		total += eps / 4;
	/* b bounds pmf(x) / pmf(mode) >= pmf(x), from lo upwards */
	for (x = h0.mode; x > lo; x--)
		b /= hyp_up(&h0, x - 1);
	step = (hi - lo + 1 + 15) / 16;
	x = lo;
	for (v = lo; v <= hi && total <= eps; v += step) {
		double mass = 0.0;

		for (; x < v + step && x <= hi; x++) {
			mass += b;
			if (x < h0.xmax)
				b *= hyp_up(&h0, x);
		}
		if (k - v < v)
			break; /* X_j >= v needs v of the k - v draws left */
		hyp_init(&hj, g->n - g->size[0], g->size[j], k - v);
		total += fmin(mass, 1.0) * hyp_tail_from(&hj, v);
	}
	return total;
}

/* Makes room for n doubles of scratch in g->work. Returns 0, or -1 when out of memory. */
static int reserve(struct cs_maj_groups *g, size_t n)
{
	double *grown;

	if (n <= g->work_cap)
		return 0;
	if (n < 2 * g->work_cap)
		n = 2 * g->work_cap;
	grown = realloc(g->work, n * sizeof *grown);
	if (grown == NULL)
		return -1;
	g->work = grown;
	g->work_cap = n;
	return 0;
}

/* Fills w[0..hi-lo] with weights proportional to C(s, x) r^x for x = lo..hi (r = k / (n - k), so the
 * binomial law of s trials at k / n), 1 at the mode of that law clamped into [lo, hi], built by exact
 * ratios outward from there. */
static void tilted(double s, int lo, int hi, double k, double nk, double *w)
{
	int x0 = (int)floor((s + 1.0) * k / (k + nk));
	int x;

	if (x0 < lo)
		x0 = lo;
	if (x0 > hi)
		x0 = hi;
	w[x0 - lo] = 1.0;
	for (x = x0; x < hi; x++)
		w[x + 1 - lo] = w[x - lo] * (((s - x) * k) / ((x + 1.0) * nk));
	for (x = x0; x > lo; x--)
		w[x - 1 - lo] = w[x - lo] * ((x * nk) / ((s - x + 1.0) * k));
}

/* The exact method's plan for one problem and k: the competing groups (grp[0..c-1], indexes into g's
 * groups), their windows [lo, hi] and weights (at a + off[j]), and the weight gw[t - tlo] of the pooled
 * rest taking k - t draws, for t = tlo..thi. */
struct plan {
	int big_l; /* L: some group reaches it except with probability at most CS_MAJ_TAIL / 4 */
	int c;
	int *grp, *lo, *hi, *off;
	int tlo, thi;
	double *a, *gw;
};

/* Sets up p for g and k (count > 0, 1 <= k < n). Returns 0, or -1 when out of memory. */
static int make_plan(struct cs_maj_groups *g, int k, struct plan *p)
{
	const double tail = CS_MAJ_TAIL;
	struct hyp h;
	double kd = k, nk = (double)g->n - k;
	double cum = 0.0;
	int big_l, c, j, total, pooled;
	size_t need;

	p->grp = g->iwork;
	p->lo = g->iwork + g->count;
	p->hi = g->iwork + 2 * (size_t)g->count;
	p->off = g->iwork + 3 * (size_t)g->count;
	/* L: some group reaches it except with probability tail / 4; the largest group's bound alone first,
	 * then the largest L that the joint bound allows, by bisection (the bound grows with L) */
	hyp_init(&h, g->n, g->size[0], k);
	big_l = hyp_lower(&h, tail / 4);
	{
		int bad = h.mode + 2; /* above the largest group's mode the bound is no use */

		while (bad - big_l > 1) {
			int mid = big_l + (bad - big_l) / 2;

			if (all_below(g, k, mid, tail / 4) <= tail / 4)
				big_l = mid;
			else
				bad = mid;
		}
	}
	p->big_l = big_l;
	/* groups below L never reach it; of the others, the smallest ones whose chances of reaching it, or of
	 * reaching the largest group's count, sum to at most tail / 4 are pooled with the rest: they are
	 * below the largest count in every outcome kept */
	c = 0;
	while (c < g->count && g->size[c] >= big_l)
		c++;
	while (c > 1) {
		double chance;

		hyp_init(&h, g->n, g->size[c - 1], k);
		chance = hyp_tail_from(&h, big_l);
		if (cum + chance > tail / 4)
			chance = fmin(chance, beats_largest(g, k, c - 1, tail / 4 - cum));
		cum += chance;
		if (cum > tail / 4)
			break;
		c--;
	}
	/* windows of the competing groups; one that cannot reach L is pooled too */
	pooled = g->n;
	total = 0;
	p->c = 0;
	for (j = 0; j < c; j++) {
		int lo, hi;

		hyp_init(&h, g->n, g->size[j], k);
		lo = hyp_lower(&h, tail / (4.0 * c));
		hi = hyp_upper(&h, tail / (4.0 * c));
		if (hi < big_l)
			continue;
		p->grp[p->c] = j;
		p->lo[p->c] = lo;
		p->hi[p->c] = hi;
		p->off[p->c] = total;
		total += hi - lo + 1;
		pooled -= g->size[j];
		p->c++;
	}
	p->tlo = 0;
	p->thi = 0;
	for (j = 0; j < p->c; j++) {
		p->tlo += p->lo[j];
		p->thi += p->hi[j];
	}
	need = (size_t)total + (size_t)(p->thi - p->tlo + 1);
	if (reserve(g, need) != 0)
		return -1;
	p->a = g->work;
	p->gw = g->work + total;
	for (j = 0; j < p->c; j++)
		tilted(g->size[p->grp[j]], p->lo[j], p->hi[j], kd, nk, p->a + p->off[j]);
	/* the pooled rest: pooled samples taking u = k - t draws, u in [0, pooled] */
	{
		int ulo = k - p->thi, uhi = k - p->tlo;
		int t;

		if (ulo < 0)
			ulo = 0;
		if (uhi > pooled)
			uhi = pooled;
		for (t = p->tlo; t <= p->thi; t++)
			p->gw[t - p->tlo] = 0.0;
		if (ulo <= uhi) {
			/* weights of u in [ulo, uhi], written at t = k - u */
			double *f = p->gw + (k - uhi - p->tlo);
			int u;

			tilted(pooled, ulo, uhi, kd, nk, f);
			/* f[u - ulo] is u's weight; it belongs at t = k - u, so reverse the run in place */
			for (u = 0; u < (uhi - ulo + 1) / 2; u++) {
				double tmp = f[u];

				f[u] = f[uhi - ulo - u];
				f[uhi - ulo - u] = tmp;
			}
		}
	}
	return 0;
}

/* One competing group: S / Z with S = sum of the weights where it has at least one draw. */
static void sum_one(const struct cs_maj_groups *g, const struct plan *p, double *s, double *z)
{
	const double *a = p->a, *gw = p->gw - p->tlo;
	int x;

	*s = 0.0;
	*z = 0.0;
	for (x = p->lo[0]; x <= p->hi[0]; x++) {
		double w = a[x - p->lo[0]] * gw[x];

		*z += w;
		if (x >= 1)
			*s += w;
	}
	if (!g->good[p->grp[0]])
		*s = 0.0;
}

/* Two competing groups, every pair of counts (x, y). */
static void sum_two(const struct cs_maj_groups *g, const struct plan *p, double *s, double *z)
{
	const double *a0 = p->a + p->off[0] - p->lo[0], *a1 = p->a + p->off[1] - p->lo[1];
	const double *gw = p->gw - p->tlo;
	double good0 = g->good[p->grp[0]], good1 = g->good[p->grp[1]];
	int lo1 = p->lo[1], hi1 = p->hi[1];
	int x, y;

	*s = 0.0;
	*z = 0.0;
	for (x = p->lo[0]; x <= p->hi[0]; x++) {
		double below = 0.0, equal = 0.0, above = 0.0;
		const double *gx = gw + x;
		int end = x - 1 < hi1 ? x - 1 : hi1;

		for (y = lo1; y <= end; y++)
			below += a1[y] * gx[y];
		if (x >= lo1 && x <= hi1)
			equal = a1[x] * gx[x];
		for (y = x + 1 > lo1 ? x + 1 : lo1; y <= hi1; y++)
			above += a1[y] * gx[y];
		*z += a0[x] * (below + equal + above);
		*s += a0[x] * (good0 * below + good1 * above + (x >= 1 ? 0.5 * (good0 + good1) * equal : 0.0));
	}
}

static int imin(int a, int b)
{
	return a < b ? a : b;
}

static int imax(int a, int b)
{
	return a > b ? a : b;
}

/* Three competing groups or more.
 *
 * Two of them, C and D (the two whose windows reach highest), are summed out into tables over (t, m): t
 * the draws taken by the other competing groups (the "first" groups) and m the largest count among those:
 *   lt(t, m): the weight of C and D both below m (the pooled rest taking the draws left);
 *   ec, ed, ecd (t, m): the weight of C alone, D alone, or both at m, the other below;
 *   gtw(t, m), gts(t, m): the weight of max(C, D) > m, and that weight scored among C and D alone.
 * They are sums of layers, the weight of max(C, D) = mu: C alone c(mu) PD(t + mu, mu), D alone
 * d(mu) PC(t + mu, mu), both c(mu) d(mu) gw(t + 2 mu), with PD(t', mu) the sum over w < mu of
 * d(w) gw(t' + w), which grows by one term per mu (PC alike); lt adds up the layers below m and gtw, gts
 * those above, all terms positive. With one or two first groups, every count vector of the first groups
 * is visited once and scored against the tables: O(W^2) in all for windows of width W. With more, a
 * dynamic programme for each possible winning count M runs over the first groups and closes against the
 * tables at m = M:
 *
 * the first groups are taken in the order of their window tops, lowest first. Those whose window ends
 * below M cannot reach it: their weights are convolved once into a base (over the draws t they take
 * together), shared by every larger M. The others are added one at a time to states (t, a = groups at
 * exactly M so far) carrying the weight and the weighted number of correct groups at M; a group takes
 * x <= M draws (x = M adds one to a). A state with fewer than M draws left can see no more groups at M:
 * it "retires" at once against the weight R_q(t) of all its possible completions (the remaining first
 * groups, C, D and the pooled rest), scoring (correct at M) / a. So live states have t <= k - M, and every
 * count vector is scored once, at its largest count. */

/* The tables of C and D for m in [u0, u1]; each array holds (m - u0) * tw + (t - ta). */
struct pairtab {
	int ta, tb, tw; /* t in [ta, tb] */
	int u0, u1;     /* m in [u0, u1] */
	double gc, gd;  /* 1 when C, D is correct */
	double *lt, *ec, *ed, *ecd, *gtw, *gts;
	double *tot;    /* tw: the weight of every count of C and D */
};

/* Makes room for extra doubles after the plan's arrays in g->work, which may move them (p is updated).
 * Returns the room, or NULL when out of memory. */
static double *plan_room(struct cs_maj_groups *g, struct plan *p, size_t extra)
{
	size_t gw_at = (size_t)(p->gw - g->work), used = gw_at + (size_t)(p->thi - p->tlo + 1);

	if (reserve(g, used + extra) != 0)
		return NULL;
	p->a = g->work;
	p->gw = g->work + gw_at;
	return g->work + used;
}

/* The weight of the pooled rest taking k - t draws: 0 outside the plan's range. */
static double rest_at(const struct plan *p, int t)
{
	return t >= p->tlo && t <= p->thi ? p->gw[t - p->tlo] : 0.0;
}

/* Group j's weight of x draws: 0 outside its window. */
static double weight_at(const struct plan *p, int j, int x)
{
	return x >= p->lo[j] && x <= p->hi[j] ? p->a[p->off[j] + x - p->lo[j]] : 0.0;
}

/* Doubles pair_fill needs for t in [ta, tb], m in [u0, u1] and windows of C and D within [v0, v1]. */
static size_t pair_size(int ta, int tb, int u0, int u1, int v0, int v1)
{
	size_t tw = (size_t)(tb - ta + 1), uw = (size_t)(u1 - u0 + 1);

	return 6 * tw * uw + 3 * tw + 2 * (tw + (size_t)(v1 - v0) + 1) + (tw + 2 * (size_t)v1 + 1) + 3 * tw;
}

/* Fills the tables of groups jc, jd (plan indexes) for t in [ta, tb] and m in [u0, u1] into pt, its arrays
 * carved from mem (pair_size doubles); with_gt also fills gtw and gts. Layers are computed for every mu in
 * the union of the two windows and of [u0, u1]; only those at m in [u0, u1] are kept. */
static void pair_fill(const struct cs_maj_groups *g, const struct plan *p, int jc, int jd, int ta, int tb, int u0,
		      int u1, int with_gt, double *mem, struct pairtab *pt)
{
	int loc = p->lo[jc], hic = p->hi[jc], lod = p->lo[jd], hid = p->hi[jd];
	int v0 = imin(imin(loc, lod), u0), v1 = imax(imax(hic, hid), u1);
	int tw = tb - ta + 1, uw = u1 - u0 + 1, pw = tw + (v1 - v0), gl = tw + 2 * v1 - v0;
	double *run, *top, *pcol, *pdcol, *rest, *lay;
	int mu, i;

	pt->ta = ta;
	pt->tb = tb;
	pt->tw = tw;
	pt->u0 = u0;
	pt->u1 = u1;
	pt->gc = g->good[p->grp[jc]];
	pt->gd = g->good[p->grp[jd]];
	pt->lt = mem;
	pt->ec = pt->lt + (size_t)tw * uw;
	pt->ed = pt->ec + (size_t)tw * uw;
	pt->ecd = pt->ed + (size_t)tw * uw;
	pt->gtw = pt->ecd + (size_t)tw * uw;
	pt->gts = pt->gtw + (size_t)tw * uw;
	pt->tot = pt->gts + (size_t)tw * uw;
	run = pt->tot; /* the running sum of the layers below mu, which ends as the total */
	top = run + tw;  /* two rows: the weight and the score of the layers above u1 */
	pcol = top + 2 * (size_t)tw;
	pdcol = pcol + pw + 1;
	rest = pdcol + pw + 1; /* rest[t - ta - v0]: the pooled rest's weight, 0 outside its range */
	lay = rest + gl;       /* the layers not kept */
	/* PC(t', mu) and PD(t', mu) at index t' - ta - v0: 0 at mu = v0, below both windows */
	memset(run, 0, (size_t)(3 * tw + 2 * pw + 2) * sizeof *run);
	for (i = 0; i < gl; i++)
		rest[i] = rest_at(p, ta + v0 + i);
	for (mu = v0; mu <= v1; mu++) {
		double cm = weight_at(p, jc, mu), dm = weight_at(p, jd, mu);
		int keep = mu >= u0 && mu <= u1;
		double *ec = keep ? pt->ec + (size_t)(mu - u0) * tw : lay;
		double *ed = keep ? pt->ed + (size_t)(mu - u0) * tw : lay + tw;
		double *ecd = keep ? pt->ecd + (size_t)(mu - u0) * tw : lay + 2 * (size_t)tw;
		const double *pd = pdcol + (mu - v0), *pc = pcol + (mu - v0), *r2 = rest + (2 * mu - v0);

		if (keep)
			memcpy(pt->lt + (size_t)(mu - u0) * tw, run, (size_t)tw * sizeof *run);
		for (i = 0; i < tw; i++)
			ec[i] = cm * pd[i];
		for (i = 0; i < tw; i++)
			ed[i] = dm * pc[i];
		for (i = 0; i < tw; i++)
			ecd[i] = cm * dm * r2[i];
		for (i = 0; i < tw; i++)
			run[i] += ec[i] + ed[i] + ecd[i];
		if (mu > u1) {
			double gc = pt->gc, gd = pt->gd, gcd = 0.5 * (pt->gc + pt->gd);

			for (i = 0; i < tw; i++) {
				top[i] += ec[i] + ed[i] + ecd[i];
				top[tw + i] += gc * ec[i] + gd * ed[i] + gcd * ecd[i];
			}
		}
		/* PC(t', mu + 1) = PC(t', mu) + c(mu) gw(t' + mu), needed later only at t' = t + mu' with
		 * mu < mu' <= (the top of D's window, where PC is read); PD alike */
		if (cm != 0.0)
			for (i = mu + 1 - v0; i <= tw - 1 + hid - v0; i++)
				pcol[i] += cm * rest[i + mu];
		if (dm != 0.0)
			for (i = mu + 1 - v0; i <= tw - 1 + hic - v0; i++)
				pdcol[i] += dm * rest[i + mu];
	}
	if (!with_gt)
		return;
	/* gt(t, u1) is the layers above u1; each lower m adds the layer at m + 1 */
	memcpy(pt->gtw + (size_t)(u1 - u0) * tw, top, (size_t)tw * sizeof *top);
	memcpy(pt->gts + (size_t)(u1 - u0) * tw, top + tw, (size_t)tw * sizeof *top);
	for (mu = u1; mu > u0; mu--) {
		const double *ec = pt->ec + (size_t)(mu - u0) * tw, *ed = pt->ed + (size_t)(mu - u0) * tw;
		const double *ecd = pt->ecd + (size_t)(mu - u0) * tw;
		const double *gw_hi = pt->gtw + (size_t)(mu - u0) * tw, *gs_hi = pt->gts + (size_t)(mu - u0) * tw;
		double *gw_lo = pt->gtw + (size_t)(mu - 1 - u0) * tw, *gs_lo = pt->gts + (size_t)(mu - 1 - u0) * tw;

		for (i = 0; i < tw; i++) {
			gw_lo[i] = gw_hi[i] + ec[i] + ed[i] + ecd[i];
			gs_lo[i] = gs_hi[i] + pt->gc * ec[i] + pt->gd * ed[i] + 0.5 * (pt->gc + pt->gd) * ecd[i];
		}
	}
}

/* Scores first groups that took t draws in all, m the largest of their counts, a of them at m (good of
 * those correct), weight w, against C and D: adds to *s and *z. */
static void pair_close(const struct pairtab *pt, int t, int m, int a, int good, double w, double *s, double *z)
{
	size_t at = (size_t)(m - pt->u0) * pt->tw + (size_t)(t - pt->ta);
	double lt = pt->lt[at], ec = pt->ec[at], ed = pt->ed[at], ecd = pt->ecd[at];

	if (m == 0) {
		/* no winner among the first groups: C or D above 0, or nothing drawn */
		*z += w * (pt->gtw[at] + ecd);
		*s += w * pt->gts[at];
		return;
	}
	*z += w * (lt + ec + ed + ecd + pt->gtw[at]);
	*s += w * (lt * good / a + ec * (good + pt->gc) / (a + 1) + ed * (good + pt->gd) / (a + 1) +
		   ecd * (good + pt->gc + pt->gd) / (a + 2) + pt->gts[at]);
}

/* Builds the plan's group order (by window top, ascending) into order[0..c-1]; returns the largest window
 * top and sets *m_lo to the smallest winning count kept, max(1, L, largest window bottom). */
static int order_by_top(const struct plan *p, int *order, int *m_lo)
{
	int m_hi = 0, j;

	*m_lo = imax(1, p->big_l);
	for (j = 0; j < p->c; j++) {
		int at = j;

		while (at > 0 && p->hi[order[at - 1]] > p->hi[j]) {
			order[at] = order[at - 1];
			at--;
		}
		order[at] = j;
		*m_lo = imax(*m_lo, p->lo[j]);
		m_hi = imax(m_hi, p->hi[j]);
	}
	return m_hi;
}

/* The range of the first groups order[0..nf-1]: draws [*ta, *tb] (tb capped at k) and largest count
 * [*mlo, *mhi]. */
static void first_range(const struct plan *p, const int *order, int nf, int k, int *ta, int *tb, int *mlo, int *mhi)
{
	int q;

	*ta = *tb = *mlo = *mhi = 0;
	for (q = 0; q < nf; q++) {
		*ta += p->lo[order[q]];
		*tb += p->hi[order[q]];
		*mlo = imax(*mlo, p->lo[order[q]]);
		*mhi = imax(*mhi, p->hi[order[q]]);
	}
	*tb = imin(*tb, k);
}

/* The work of sum_many, in the units of CS_MAJ_EXACT_BUDGET (one multiply-add and its bookkeeping),
 * stopping once it passes limit. */
static double many_work(const struct plan *p, int k, int *order, double limit)
{
	int c = p->c, nf = c - 2;
	int m_lo, m_hi = order_by_top(p, order, &m_lo);
	int jc = order[c - 2], jd = order[c - 1];
	int ta, tb, flo, fhi, u0, u1, q;
	int added = 0, base_len = 1, base_off = 0, big_m;
	double work;

	first_range(p, order, nf, k, &ta, &tb, &flo, &fhi);
	u0 = imin(imin(p->lo[jc], p->lo[jd]), nf <= 2 ? flo : m_lo);
	u1 = imax(imax(p->hi[jc], p->hi[jd]), nf <= 2 ? fhi : m_hi);
	/* the tables: a layer and two column updates for each mu */
	work = 3.0 * (tb - ta + 1.0) * (u1 - u0 + 1.0) + 2.0 * (u1 - u0 + 1.0) * (tb - ta + u1 - u0 + 1.0);
	if (nf <= 2) {
		work += nf == 1 ? p->hi[order[0]] - p->lo[order[0]] + 1.0
				: (p->hi[order[0]] - p->lo[order[0]] + 1.0) * (p->hi[order[1]] - p->lo[order[1]] + 1.0);
		return work;
	}
	for (q = 0; q < nf; q++)
		work += (double)imax(m_hi, 1) * (p->hi[order[q]] - p->lo[order[q]] + 1);
	for (big_m = m_lo; big_m <= m_hi && work <= limit; big_m++) {
		int top = k - big_m, len, off, a_max = 0;

		while (added < nf && p->hi[order[added]] < big_m) {
			int j = order[added++];

			work += (double)base_len * (p->hi[j] - p->lo[j] + 1);
			base_len = imin(base_len + p->hi[j] - p->lo[j], top - base_off - p->lo[j] + 1);
			base_off += p->lo[j];
		}
		len = imin(base_len, top - base_off + 1);
		if (len <= 0)
			break;
		off = base_off;
		for (q = added; q < nf && len > 0; q++) {
			int j = order[q];

			work += 2.0 * len * (big_m - p->lo[j] + 1) * (a_max + 1);
			a_max = imin(a_max + 1, k / big_m);
			len = imin(len + big_m - p->lo[j], top - off - p->lo[j] + 1);
			off += p->lo[j];
		}
		if (len > 0)
			work += 4.0 * len * (a_max + 1);
	}
	return work;
}

/* Convolves src[0..len-1] (draws counted from off) with group j's window weights into dst (zeroed here);
 * returns the new length, capped so that no count passes top. */
static int convolve(const struct plan *p, int j, const double *src, int len, int off, int top, double *dst)
{
	const double *a = p->a + p->off[j];
	int width = p->hi[j] - p->lo[j] + 1;
	int out = imin(len + width - 1, top - (off + p->lo[j]) + 1);
	int i, x;

	if (out <= 0)
		return 0;
	memset(dst, 0, (size_t)out * sizeof *dst);
	for (i = 0; i < len; i++) {
		double v = src[i];
		int xmax = imin(width, out - i);

		if (v == 0.0)
			continue;
		for (x = 0; x < xmax; x++)
			dst[i + x] += v * a[x];
	}
	return out;
}

/* Three or four competing groups: every count vector of the one or two first groups against the tables. */
static int sum_few(struct cs_maj_groups *g, struct plan *p, int k, const int *order, double *s, double *z)
{
	int c = p->c, nf = c - 2;
	int jc = order[c - 2], jd = order[c - 1];
	int ta, tb, flo, fhi, x, y;
	struct pairtab pt;
	double *mem;

	first_range(p, order, nf, k, &ta, &tb, &flo, &fhi);
	mem = plan_room(g, p,
			pair_size(ta, tb, flo, fhi, imin(imin(p->lo[jc], p->lo[jd]), flo),
				  imax(imax(p->hi[jc], p->hi[jd]), fhi)));
	if (mem == NULL)
		return -1;
	pair_fill(g, p, jc, jd, ta, tb, flo, fhi, 1, mem, &pt);
	*s = 0.0;
	*z = 0.0;
	if (nf == 1) {
		int j = order[0], good = g->good[p->grp[j]];

		for (x = p->lo[j]; x <= imin(p->hi[j], tb); x++)
			pair_close(&pt, x, x, 1, good, weight_at(p, j, x), s, z);
	} else {
		int j1 = order[0], j2 = order[1];
		int g1 = g->good[p->grp[j1]], g2 = g->good[p->grp[j2]];

		for (x = p->lo[j1]; x <= p->hi[j1]; x++) {
			double w1 = weight_at(p, j1, x);

			for (y = p->lo[j2]; y <= p->hi[j2] && x + y <= tb; y++) {
				double w = w1 * weight_at(p, j2, y);

				if (x > y)
					pair_close(&pt, x + y, x, 1, g1, w, s, z);
				else if (y > x)
					pair_close(&pt, x + y, y, 1, g2, w, s, z);
				else
					pair_close(&pt, x + y, x, 2, g1 + g2, w, s, z);
			}
		}
	}
	return 0;
}

/* Five competing groups or more: the dynamic programme over the first groups for each M. */
static int sum_many(struct cs_maj_groups *g, struct plan *p, int k, int *order, double *s, double *z)
{
	int c = p->c, nf = c - 2;
	int jc = order[c - 2], jd = order[c - 1];
	int m_lo, m_hi, big_m, q, j, i, a, x;
	int ta, tb, flo, fhi, u0, u1;
	int rlo, rlen, stride = k + 2, a_cap;
	int added = 0, base_len = 1, base_off = 0;
	double *r, *base, *tmp, *sp, *sw, *inv, *mem;
	double sacc = 0.0, zacc = 0.0;
	struct pairtab pt;
	size_t psize;
	/* the rows' ranges: row a may be non-zero only at [rfirst[a], rlast[a]], zero elsewhere */
	int *rfirst = order + c, *rlast = rfirst + (c + 4);

	m_hi = order_by_top(p, order, &m_lo);
	first_range(p, order, nf, k, &ta, &tb, &flo, &fhi);
	u0 = m_lo;
	u1 = m_hi;
	a_cap = imin(nf, k / m_lo) + 2;
	rlo = imax(k - m_hi + 1, 0);
	rlen = k - rlo + 1;
	psize = pair_size(ta, tb, u0, u1, imin(imin(p->lo[jc], p->lo[jd]), u0), imax(imax(p->hi[jc], p->hi[jd]), u1));
	mem = plan_room(g, p, psize + (size_t)(nf + 1) * rlen + 2 * (size_t)stride + 2 * (size_t)a_cap * stride +
				      (size_t)a_cap + 2);
	if (mem == NULL)
		return -1;
	r = mem + psize;
	base = r + (size_t)(nf + 1) * rlen;
	tmp = base + stride;
	sp = tmp + stride;
	sw = sp + (size_t)a_cap * stride;
	inv = sw + (size_t)a_cap * stride;
	pair_fill(g, p, jc, jd, ta, tb, u0, u1, 0, mem, &pt);
	for (a = 1; a < a_cap + 2; a++)
		inv[a] = 1.0 / a;
	{
		const double *pa = p->a;
		double *rf = r + (size_t)nf * rlen - rlo;
		int u;

		/* R_nf: C, D and the pooled rest, every count below the top; R_q from R_{q+1} */
		for (u = rlo; u <= k; u++)
			rf[u] = u >= ta && u <= tb ? pt.tot[u - ta] : 0.0;
		for (q = nf - 1; q >= 0; q--) {
			double *rq = r + (size_t)q * rlen - rlo;
			const double *rn = rq + rlen;
			const double *aj;

			j = order[q];
			aj = pa + p->off[j] - p->lo[j];
			for (u = rlo; u <= k; u++) {
				double v = 0.0;
				int xmax = imin(p->hi[j], k - u);

				for (x = p->lo[j]; x <= xmax; x++)
					v += aj[x] * rn[u + x];
				rq[u] = v;
			}
		}
		base[0] = 1.0;
		for (big_m = m_lo; big_m <= m_hi; big_m++) {
			int top = k - big_m, len, off, a_max = 0;

			/* the first groups whose windows end below M join the base */
			while (added < nf && p->hi[order[added]] < big_m) {
				j = order[added++];
				base_len = convolve(p, j, base, base_len, base_off, top, tmp);
				base_off += p->lo[j];
				memcpy(base, tmp, (size_t)imax(base_len, 1) * sizeof *base);
			}
			len = imin(base_len, top - base_off + 1);
			if (len <= 0)
				break;
			off = base_off;
			memcpy(sp, base, (size_t)len * sizeof *sp);
			memset(sw, 0, (size_t)len * sizeof *sw);
			rfirst[0] = 0;
			rlast[0] = len - 1;
			for (q = added; q < nf && len > 0; q++) {
				const double *aj, *rn = r + (size_t)(q + 1) * rlen - rlo;
				int lo, new_len, new_a, out;
				double good;

				j = order[q];
				lo = p->lo[j];
				aj = pa + p->off[j] - lo;
				good = g->good[p->grp[j]];
				new_len = top - (off + lo) + 1; /* the states kept have at least M draws left */
				out = imin(len + big_m - lo, new_len);
				new_a = imin(a_max + 1, k / big_m);
				for (a = 0; a <= a_max && out > len; a++) {
					memset(sp + (size_t)a * stride + len, 0, (size_t)(out - len) * sizeof *sp);
					memset(sw + (size_t)a * stride + len, 0, (size_t)(out - len) * sizeof *sw);
				}
				if (new_a > a_max && out > 0) {
					memset(sp + (size_t)new_a * stride, 0, (size_t)out * sizeof *sp);
					memset(sw + (size_t)new_a * stride, 0, (size_t)out * sizeof *sw);
					rfirst[new_a] = out;
					rlast[new_a] = -1;
				}
				/* in place: rows a downwards and t downwards, since a state only moves to a larger t
				 * or to row a + 1, both already visited */
				for (a = a_max; a >= 0; a--) {
					double *pa_row = sp + (size_t)a * stride, *wa_row = sw + (size_t)a * stride;
					double *pb_row = sp + (size_t)(a + 1) * stride, *wb_row = sw + (size_t)(a + 1) * stride;
					int first = rfirst[a], last = rlast[a];

					/* the ranges after this group: x < M keeps the row, x = M moves to row a + 1 */
					if (first <= last) {
						if (big_m > lo) {
							rlast[a] = imin(last + big_m - 1 - lo, out - 1);
						} else {
							rfirst[a] = out;
							rlast[a] = -1;
						}
						if (a + 1 <= new_a && first + big_m - lo < out) {
							rfirst[a + 1] = imin(rfirst[a + 1], first + big_m - lo);
							rlast[a + 1] = imax(rlast[a + 1], imin(last + big_m - lo, out - 1));
						}
					}
					for (i = last; i >= first; i--) {
						double pv = pa_row[i], wv = wa_row[i];
						int t = off + i;
						int xkeep = imin(big_m - 1, lo + out - 1 - i);
						int xmax = imin(big_m - 1, k - t);

						pa_row[i] = 0.0;
						wa_row[i] = 0.0;
						if (pv == 0.0 && wv == 0.0)
							continue;
						/* x < M: kept while at least M draws are left, else retired (row 0 has no
						 * group at M, so no correct one either: its w is 0) */
						if (a == 0) {
							for (x = lo; x <= xkeep; x++)
								pa_row[i + x - lo] += pv * aj[x];
						} else {
							for (x = lo; x <= xkeep; x++) {
								pa_row[i + x - lo] += pv * aj[x];
								wa_row[i + x - lo] += wv * aj[x];
							}
						}
						if (a >= 1) {
							double ps = 0.0;

							for (x = imax(lo, xkeep + 1); x <= xmax; x++)
								ps += aj[x] * rn[t + x];
							zacc += pv * ps;
							sacc += wv * ps * inv[a];
						}
						/* x = M: one more group at M */
						if (big_m <= k - t) {
							double v = aj[big_m], nw = wv + good * pv;
							int i2 = i + big_m - lo;

							if (i2 < out) {
								pb_row[i2] += pv * v;
								wb_row[i2] += nw * v;
							} else {
								zacc += pv * v * rn[t + big_m];
								sacc += nw * v * rn[t + big_m] * inv[a + 1];
							}
						}
					}
				}
				a_max = new_a;
				off += lo;
				len = out;
			}
			/* the states left after the first groups close against C and D at M */
			for (a = 0; a <= a_max && len > 0; a++) {
				const double *pa_row = sp + (size_t)a * stride, *wa_row = sw + (size_t)a * stride;

				for (i = rfirst[a]; i <= rlast[a]; i++) {
					size_t at = (size_t)(big_m - u0) * pt.tw + (size_t)(off + i - ta);
					double pv = pa_row[i], wv = wa_row[i];

					if (pv == 0.0 && wv == 0.0)
						continue;
					if (a >= 1) {
						zacc += pv * pt.lt[at];
						sacc += wv * pt.lt[at] * inv[a];
					}
					zacc += pv * (pt.ec[at] + pt.ed[at] + pt.ecd[at]);
					sacc += ((wv + pt.gc * pv) * pt.ec[at] + (wv + pt.gd * pv) * pt.ed[at]) * inv[a + 1] +
						(wv + (pt.gc + pt.gd) * pv) * pt.ecd[at] * inv[a + 2];
				}
			}
		}
		/* the count vector with no draw at all to any group, when it is kept */
		if (p->big_l <= 0 && p->tlo == 0) {
			double v = rest_at(p, 0);

			for (q = 0; q < c; q++)
				v *= weight_at(p, q, 0);
			zacc += v;
		}
	}
	*s = sacc;
	*z = zacc;
	return 0;
}

/* The exact value of g at k (1 <= k <= n), when its work is within budget: *done is 1 and *value set, else
 * *done is 0. Returns CS_OK or CS_INTERNAL. */
static int exact_maj(struct cs_maj_groups *g, int k, double budget, double *value, int *done, struct cs_err *err)
{
	struct plan p;
	double s = 0.0, z = 0.0, work;
	int i;

	*done = 1;
	if (g->count == 0) {
		*value = 0.0; /* no answer can be drawn */
		return CS_OK;
	}
	if (k == g->n) {
		/* one subset: every sample; the groups of the largest size tie */
		int tied = 0, good = 0;

		for (i = 0; i < g->count && g->size[i] == g->size[0]; i++) {
			tied++;
			good += g->good[i];
		}
		*value = (double)good / tied;
		return CS_OK;
	}
	if (make_plan(g, k, &p) != 0)
		return cs_fail(err, CS_INTERNAL, "out of memory for maj@%d over %d samples", k, g->n);
	if (p.c == 1)
		work = p.hi[0] - p.lo[0] + 1.0;
	else if (p.c == 2)
		work = (p.hi[0] - p.lo[0] + 1.0) * (p.hi[1] - p.lo[1] + 1.0);
	else
		work = many_work(&p, k, g->iwork + 4 * (size_t)g->count, budget);
	if (work > budget) {
		*done = 0;
		return CS_OK;
	}
	if (p.c == 1)
		sum_one(g, &p, &s, &z);
	else if (p.c == 2)
		sum_two(g, &p, &s, &z);
	else if ((p.c <= 4 ? sum_few(g, &p, k, g->iwork + 4 * (size_t)g->count, &s, &z)
			   : sum_many(g, &p, k, g->iwork + 4 * (size_t)g->count, &s, &z)) != 0)
		return cs_fail(err, CS_INTERNAL, "out of memory for maj@%d over %d samples", k, g->n);
	if (!(z > 0.0) || !isfinite(z) || !isfinite(s))
		return cs_fail(err, CS_INTERNAL, "maj@%d of problem %d: the exact sum has no weight", k, g->index);
	*value = s / z;
	return CS_OK;
}

static int monte_carlo_maj(const struct cs_maj_groups *g, int k, const struct cs_maj_opts *opts,
			   uint64_t stream, double *value, struct cs_err *err)
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

int cs_maj_groups_eval(struct cs_maj_groups *g, int k, const struct cs_maj_opts *opts, uint64_t stream,
		       double *value, enum cs_maj_method *method, struct cs_err *err)
{
	enum cs_maj_method used = CS_MAJ_EXACT;
	int done = 0;
	int rc = CS_OK;

	if (g->n < k) {
		*value = NAN;
		used = CS_MAJ_NONE;
	} else if (opts->exact_budget > 0.0 || g->count == 0 || k == g->n) {
		rc = exact_maj(g, k, opts->exact_budget, value, &done, err);
	}
	if (rc == CS_OK && used == CS_MAJ_EXACT && !done) {
		used = CS_MAJ_MONTE_CARLO;
		rc = monte_carlo_maj(g, k, opts, stream, value, err);
	}
	if (method != NULL)
		*method = used;
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

/* maj@k of checked problem t at position index. */
static int maj_checked(const struct cs_tally *t, int index, uint64_t stream, int k, const struct cs_maj_opts *opts,
		       double *value, enum cs_maj_method *method, struct cs_err *err)
{
	struct cs_maj_groups g = { 0 };
	int rc;

	if (t->n < k) {
		*value = NAN;
		*method = CS_MAJ_NONE;
		return CS_OK;
	}
	rc = cs_maj_groups_build(t, index, &g, err);
	if (rc != CS_OK)
		return rc;
	rc = cs_maj_groups_eval(&g, k, opts, stream, value, method, err);
	cs_maj_groups_free(&g);
	return rc;
}

int cs_maj_one(const struct cs_tally *t, int k, const struct cs_maj_opts *opts, uint64_t stream,
	       double *value, enum cs_maj_method *method, struct cs_err *err)
{
	enum cs_maj_method used = CS_MAJ_NONE;
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
		enum cs_maj_method used = CS_MAJ_NONE;

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
