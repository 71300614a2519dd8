/* Unit tests of the base-versus-candidate comparison on small runs built in memory. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "score/compare.h"

#define NP 40
#define NS 4

/* A run of np problems with ids ids[], n samples each, the first correct[i] of them correct. */
struct fake {
	struct cs_run_data d;
	sqlite3_int64 ids[NP];
	int levels[NP];
	char *subjects[NP];
	struct cs_tally t[NP];
	unsigned char flags[NP][NS];
	int answer[NP][NS];
};

static void build(struct fake *f, const char *name, int np, const sqlite3_int64 *ids, int n, const int *correct)
{
	memset(f, 0, sizeof *f);
	f->d.name = (char *)name;
	f->d.model = (char *)"m";
	f->d.np = np;
	f->d.problem_ids = f->ids;
	f->d.levels = f->levels;
	f->d.subjects = f->subjects;
	f->d.tallies = f->t;
	for (int i = 0; i < np; i++) {
		f->ids[i] = ids[i];
		f->levels[i] = 1 + (int)(ids[i] % 2);
		for (int s = 0; s < n; s++) {
			f->flags[i][s] = s < correct[i];
			f->answer[i][s] = s < correct[i] ? 0 : 1;
		}
		f->t[i].n = n;
		f->t[i].correct = f->flags[i];
		f->t[i].answer = f->answer[i];
		f->t[i].solution = NULL;
	}
}

static void default_opts(struct cs_compare_opts *o)
{
	memset(o, 0, sizeof *o);
	o->max_drop = 0.01;
	o->alpha = 0.05;
	o->score.ci = 0.95;
	o->score.replicates = 200;
	o->score.seed = 1;
}

Test(compare, parses_metric_names)
{
	struct cs_compare_metric m;
	char name[32];

	cr_assert_eq(cs_compare_metric_parse("pass@1", &m), 0);
	cr_assert_eq(m.kind, CS_CMP_PASS1);
	cr_assert_eq(cs_compare_metric_parse("coverage@8", &m), 0);
	cr_assert(m.kind == CS_CMP_COVERAGE && m.k == 8);
	cr_assert_eq(cs_compare_metric_parse("pass@4", &m), 0);
	cs_compare_metric_name(&m, name, sizeof name);
	cr_assert_str_eq(name, "coverage@4");
	cr_assert_eq(cs_compare_metric_parse("maj@3", &m), 0);
	cr_assert(m.kind == CS_CMP_MAJ && m.k == 3);
	cr_assert_eq(cs_compare_metric_parse("diversity@2", &m), 0);
	cr_assert_eq(m.kind, CS_CMP_DIVERSITY);
	const char *bad[] = { "pass@0", "coverage@", "coverage@8x", "foo@1", "coverage", "maj@-1", "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert_eq(cs_compare_metric_parse(bad[i], &m), -1, "%s accepted", bad[i]);
}

Test(compare, shared_problems_and_default_metrics)
{
	sqlite3_int64 ib[] = { 1, 2, 3, 5 }, ic[] = { 2, 3, 4, 5 };
	int cb[] = { 4, 2, 1, 0 }, cc[] = { 1, 1, 0, 2 };
	struct fake b, c;
	struct cs_compare_opts o;
	struct cs_compare_result r;
	struct cs_err err;

	build(&b, "base", 4, ib, 4, cb);
	build(&c, "cand", 4, ic, 2, cc);
	default_opts(&o);
	cr_assert_eq(cs_compare_runs(&b.d, &c.d, &o, &r, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(r.shared, 3);
	cr_assert_eq(r.base_only, 1);
	cr_assert_eq(r.cand_only, 1);
	cr_assert_eq(r.count, 2);
	cr_assert_str_eq(r.rows[0].metric, "pass@1");
	cr_assert_str_eq(r.rows[1].metric, "coverage@2");
	/* shared problems 2, 3, 5: base pass@1 (2/4 + 1/4 + 0) / 3, cand (1/2 + 1/2 + 2/2) / 3 */
	cr_assert_float_eq(r.rows[0].base.point, 0.75 / 3, 1e-12);
	cr_assert_float_eq(r.rows[0].cand.point, 2.0 / 3, 1e-12);
	cr_assert_float_eq(r.rows[0].paired.diff.point, 1.25 / 3, 1e-12);
	cr_assert_eq(r.rows[0].regression, 0);
	cr_assert_eq(r.rows[0].problems, 3);
	cs_compare_result_free(&r);

	struct cs_compare_metric too_big = { CS_CMP_COVERAGE, 4 };
	o.metrics = &too_big;
	o.nmetrics = 1;
	cr_assert_eq(cs_compare_runs(&b.d, &c.d, &o, &r, &err), CS_INPUT);
	cr_assert(strstr(err.msg, "needs 4 samples") != NULL, "%s", err.msg);
	cr_assert_eq(r.count, 0);
}

Test(compare, itself_is_no_regression)
{
	sqlite3_int64 ids[NP];
	int cor[NP];
	struct fake b;
	struct cs_compare_opts o;
	struct cs_compare_result r;
	struct cs_err err;

	for (int i = 0; i < NP; i++) {
		ids[i] = i + 1;
		cor[i] = i % (NS + 1);
	}
	build(&b, "base", NP, ids, NS, cor);
	default_opts(&o);
	o.by = "level";
	cr_assert_eq(cs_compare_runs(&b.d, &b.d, &o, &r, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(r.count, 2 * 3); /* pass@1, coverage@4; all, level=1, level=2 */
	for (int i = 0; i < r.count; i++) {
		cr_assert_eq(r.rows[i].paired.diff.point, 0.0);
		cr_assert_eq(r.rows[i].paired.p_worse, 1.0);
		cr_assert_eq(r.rows[i].regression, 0);
	}
	cr_assert_str_eq(r.rows[1].slice, "level=1");
	cr_assert_eq(r.rows[1].problems + r.rows[2].problems, NP);
	cr_assert_eq(r.regressions, 0);
	cs_compare_result_free(&r);
}

Test(compare, a_clear_drop_regresses_unless_tolerated)
{
	sqlite3_int64 ids[NP];
	int good[NP], bad[NP];
	struct fake b, c;
	struct cs_compare_opts o;
	struct cs_compare_result r;
	struct cs_err err;

	for (int i = 0; i < NP; i++) {
		ids[i] = i + 1;
		good[i] = NS - (i % 2);
		bad[i] = i % 3 == 0;
	}
	build(&b, "base", NP, ids, NS, good);
	build(&c, "cand", NP, ids, NS, bad);
	default_opts(&o);
	cr_assert_eq(cs_compare_runs(&b.d, &c.d, &o, &r, &err), CS_OK, "%s", err.msg);
	cr_assert(r.rows[0].paired.diff.point < -0.5);
	cr_assert_float_eq(r.rows[0].paired.p_worse, 1.0 / 201, 1e-12);
	cr_assert_eq(r.rows[0].regression, 1);
	cr_assert_eq(r.regressions, r.count);
	cs_compare_result_free(&r);

	/* the reverse is an improvement, and a drop within --max-drop is tolerated */
	cr_assert_eq(cs_compare_runs(&c.d, &b.d, &o, &r, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(r.regressions, 0);
	cs_compare_result_free(&r);
	o.max_drop = 0.9;
	cr_assert_eq(cs_compare_runs(&b.d, &c.d, &o, &r, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(r.regressions, 0);
	cs_compare_result_free(&r);
}

Test(compare, rejects_bad_options_and_disjoint_runs)
{
	sqlite3_int64 ia[] = { 1, 2 }, ib[] = { 3, 4 };
	int cor[] = { 1, 1 };
	struct fake a, b;
	struct cs_compare_opts o;
	struct cs_compare_result r;
	struct cs_err err;

	build(&a, "a", 2, ia, 2, cor);
	build(&b, "b", 2, ib, 2, cor);
	default_opts(&o);
	cr_assert_eq(cs_compare_runs(&a.d, &b.d, &o, &r, &err), CS_INPUT);
	cr_assert(strstr(err.msg, "no problem in common") != NULL, "%s", err.msg);
	o.by = "dataset";
	cr_assert_eq(cs_compare_runs(&a.d, &a.d, &o, &r, &err), CS_USAGE);
	o.by = NULL;
	o.alpha = 1.0;
	cr_assert_eq(cs_compare_runs(&a.d, &a.d, &o, &r, &err), CS_USAGE);
	o.alpha = 0.05;
	o.max_drop = -0.1;
	cr_assert_eq(cs_compare_runs(&a.d, &a.d, &o, &r, &err), CS_USAGE);
}
