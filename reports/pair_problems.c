/* Formatting the problem-by-problem view of a WC-SE pair: text, CSV and JSON from one record layout. */
#include "pair_problems.h"
#include "csvout.h"
#include "json_out.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LISTING_RULE "a problem is listed as WC only (SE only) when that class is its most probable one, " \
		     "ties included (a tie is marked); highest probability first"

/* Column kinds of a record. */
enum kind { TEXT, INT, NUM };

struct column {
	const char *name;
	enum kind kind;
};

static const struct column columns[] = {
	{ "record", TEXT },      { "slice", TEXT },       { "problem", TEXT },       { "subject", TEXT },
	{ "level", INT },        { "wc_correct", INT },   { "wc_samples", INT },     { "se_correct", INT },
	{ "se_samples", INT },   { "match", TEXT },       { "se_k", INT },           { "wc_k", INT },
	{ "ratio", NUM },        { "wc_coverage", NUM },  { "se_coverage", NUM },    { "both", NUM },
	{ "both_lower", NUM },   { "both_upper", NUM },   { "wc_only", NUM },        { "wc_only_lower", NUM },
	{ "wc_only_upper", NUM }, { "se_only", NUM },     { "se_only_lower", NUM },  { "se_only_upper", NUM },
	{ "neither", NUM },      { "neither_lower", NUM }, { "neither_upper", NUM }, { "class", TEXT },
	{ "problems", INT },     { "wc_run", TEXT },      { "se_run", TEXT },        { "options", TEXT },
};
#define NCOLS ((int)(sizeof columns / sizeof columns[0]))

/* One record: text values (NULL = absent), integers (has_int 0 = absent), numbers (NaN = absent). */
struct record {
	const char *text[NCOLS];
	long integer[NCOLS];
	int has_int[NCOLS];
	double num[NCOLS];
	char classes[64]; /* the text of the class column */
};

static const char *const labels[CS_CLASS_COUNT] = { "both", "WC only", "SE only", "neither" };

/* The classes of mask joined by '|', with names (cs_class_name) or text labels, into buf. */
static void class_text(unsigned mask, int text, char *buf, size_t size)
{
	buf[0] = '\0';
	for (int c = 0; c < CS_CLASS_COUNT; c++)
		if (mask & (1u << c))
			snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", buf[0] ? "|" : "",
				 text ? labels[c] : cs_class_name(c));
}

static void rec_init(struct record *r, const struct cs_pair_header *h, const struct cs_pp_budget *b)
{
	memset(r, 0, sizeof *r);
	for (int i = 0; i < NCOLS; i++)
		r->num[i] = NAN;
	r->text[9] = h->match;
	r->integer[10] = b->se_k;
	r->integer[11] = b->wc_k;
	r->has_int[10] = r->has_int[11] = 1;
	r->num[12] = b->ratio;
	r->text[29] = h->wc_run;
	r->text[30] = h->se_run;
	r->text[31] = h->options;
}

static void rec_int(struct record *r, int col, long v)
{
	r->integer[col] = v;
	r->has_int[col] = 1;
}

/* The record of problem p at budget b. */
static void problem_record(struct record *r, const struct cs_pair_header *h, const struct cs_pp_result *res, int b,
			   int p)
{
	const struct cs_pp_budget *bu = &res->budgets[b];
	const struct cs_pp_problem *q = &res->problems[p];

	rec_init(r, h, bu);
	r->text[0] = "problem";
	r->text[2] = q->key;
	r->text[3] = q->subject;
	if (q->level != 0)
		rec_int(r, 4, q->level);
	rec_int(r, 5, q->wc_c);
	rec_int(r, 6, q->wc_n);
	rec_int(r, 7, q->se_c);
	rec_int(r, 8, q->se_n);
	r->num[13] = bu->p_wc[p];
	r->num[14] = bu->p_se[p];
	for (int c = 0; c < CS_CLASS_COUNT; c++)
		r->num[15 + 3 * c] = bu->probs[c][p];
	class_text(bu->top[p], 0, r->classes, sizeof r->classes);
	r->text[27] = r->classes[0] ? r->classes : NULL;
	rec_int(r, 28, 1);
}

/* The record of slice s. */
static void slice_record(struct record *r, const struct cs_pair_header *h, const struct cs_pp_result *res, int s)
{
	const struct cs_pp_slice *sl = &res->slices[s];

	rec_init(r, h, &res->budgets[sl->budget]);
	r->text[0] = "classes";
	r->text[1] = sl->name;
	r->num[13] = sl->wc_coverage;
	r->num[14] = sl->se_coverage;
	for (int c = 0; c < CS_CLASS_COUNT; c++) {
		r->num[15 + 3 * c] = sl->count[c].point;
		r->num[16 + 3 * c] = sl->count[c].lo;
		r->num[17 + 3 * c] = sl->count[c].hi;
	}
	rec_int(r, 28, sl->problems);
}

static int csv_record(FILE *out, const struct record *r)
{
	int bad = 0;

	for (int i = 0; i < NCOLS && !bad; i++) {
		int last = i == NCOLS - 1;
		char buf[32];

		if (columns[i].kind == TEXT) {
			bad |= cs_csv_field(out, r->text[i] ? r->text[i] : "", last);
		} else if (columns[i].kind == INT) {
			buf[0] = '\0';
			if (r->has_int[i])
				snprintf(buf, sizeof buf, "%ld", r->integer[i]);
			bad |= cs_csv_field(out, buf, last);
		} else {
			cs_num_text(r->num[i], buf, sizeof buf);
			bad |= cs_csv_field(out, buf, last);
		}
	}
	return bad ? -1 : 0;
}

static int json_record(cJSON *doc, const struct record *r)
{
	cJSON *o = cJSON_CreateObject();
	int bad = o == NULL || !cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(doc, "rows"), o);

	if (bad) {
		cJSON_Delete(o);
		return -1;
	}
	for (int i = 0; i < NCOLS && !bad; i++) {
		if (columns[i].kind == TEXT)
			bad |= (r->text[i] ? cJSON_AddStringToObject(o, columns[i].name, r->text[i])
					   : cJSON_AddNullToObject(o, columns[i].name)) == NULL;
		else if (columns[i].kind == INT)
			bad |= (r->has_int[i] ? cJSON_AddNumberToObject(o, columns[i].name, (double)r->integer[i])
					      : cJSON_AddNullToObject(o, columns[i].name)) == NULL;
		else
			bad |= cs_json_add_num(o, columns[i].name, r->num[i]);
	}
	return bad ? -1 : 0;
}

/* A listed problem: its index, the probability of its class, and the other classes tied with it. */
struct listed {
	int index;
	double p;
	unsigned tied;
};

static int cmp_listed(const void *a, const void *b)
{
	const struct listed *x = a, *y = b;
	if (x->p != y->p)
		return x->p > y->p ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/* The problems of budget b whose most probable class is c, highest probability first, into list (np
 * entries, caller-owned); returns how many. */
static int listing(const struct cs_pp_result *r, int b, int c, struct listed *list)
{
	int n = 0;

	for (int p = 0; p < r->np; p++) {
		if (r->budgets[b].top[p] & (1u << c)) {
			list[n].index = p;
			list[n].p = r->budgets[b].probs[c][p];
			list[n].tied = r->budgets[b].top[p] & ~(1u << c);
			n++;
		}
	}
	qsort(list, (size_t)n, sizeof *list, cmp_listed);
	return n;
}

static void write_head(const struct cs_pair_header *h, const struct cs_pair_result *pair, FILE *out)
{
	fprintf(out, "WC %s (%s) vs SE %s (%s), %s-matched, %d shared problems", h->wc_run, h->wc_model, h->se_run,
		h->se_model, h->match, pair->shared);
	if (pair->wc_only || pair->se_only)
		fprintf(out, " (left out: %d only in WC, %d only in SE)", pair->wc_only, pair->se_only);
	fputc('\n', out);
}

static void count_cell(char *buf, size_t size, const struct cs_interval *iv)
{
	snprintf(buf, size, "%.2f [%.2f, %.2f]", iv->point, iv->lo, iv->hi);
}

int cs_pp_write_table(const struct cs_pair_header *h, const struct cs_pair_result *pair,
		      const struct cs_pp_result *r, FILE *out, struct cs_err *err)
{
	struct listed *list = malloc(((size_t)r->np + 1) * sizeof *list);
	int wkey = 7, wsub = 7, wslice = 5;

	if (list == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	for (int p = 0; p < r->np; p++) {
		int lk = (int)strlen(r->problems[p].key);
		int ls = r->problems[p].subject ? (int)strlen(r->problems[p].subject) : 1;
		wkey = lk > wkey ? lk : wkey;
		wsub = ls > wsub ? ls : wsub;
	}
	for (int s = 0; s < r->nslices; s++) {
		int l = (int)strlen(r->slices[s].name);
		wslice = l > wslice ? l : wslice;
	}
	write_head(h, pair, out);
	fprintf(out, "\nper problem: correct/samples of each run; at each budget the probability that WC and SE cover "
		"the problem (p_WC, p_SE) and its most probable class (tied classes joined by |)\n");
	fprintf(out, "%-*s  %-*s  %5s  %9s  %9s", wkey, "problem", wsub, "subject", "level", "WC c/n", "SE c/n");
	for (int b = 0; b < r->nb; b++) {
		char label[64];
		snprintf(label, sizeof label, "SE k %d, WC k %d: p_WC p_SE class", r->budgets[b].se_k, r->budgets[b].wc_k);
		fprintf(out, "  %-30s", label);
	}
	fputc('\n', out);
	for (int p = 0; p < r->np; p++) {
		const struct cs_pp_problem *q = &r->problems[p];
		char level[16] = "-", wc[24], se[24];

		if (q->level != 0)
			snprintf(level, sizeof level, "%d", q->level);
		snprintf(wc, sizeof wc, "%d/%d", q->wc_c, q->wc_n);
		snprintf(se, sizeof se, "%d/%d", q->se_c, q->se_n);
		fprintf(out, "%-*s  %-*s  %5s  %9s  %9s", wkey, q->key, wsub, q->subject ? q->subject : "-", level, wc, se);
		for (int b = 0; b < r->nb; b++) {
			const struct cs_pp_budget *bu = &r->budgets[b];
			char cell[96], classes[64];
			class_text(bu->top[p], 1, classes, sizeof classes);
			snprintf(cell, sizeof cell, "%.4f %.4f %s", bu->p_wc[p], bu->p_se[p], classes);
			fprintf(out, "  %-30s", cell);
		}
		fputc('\n', out);
	}
	fprintf(out, "\nexpected number of problems in each class (the sum over problems of the class probability; "
		"%g%% bootstrap intervals over the problems of the slice)\n", 100.0 * r->level);
	fprintf(out, "%5s %5s  %-*s  %8s  %-24s  %-24s  %-24s  %-24s  %6s  %6s\n", "SE k", "WC k", wslice, "slice",
		"problems", labels[0], labels[1], labels[2], labels[3], "cov WC", "cov SE");
	for (int s = 0; s < r->nslices; s++) {
		const struct cs_pp_slice *sl = &r->slices[s];
		char cells[CS_CLASS_COUNT][80];

		for (int c = 0; c < CS_CLASS_COUNT; c++)
			count_cell(cells[c], sizeof cells[c], &sl->count[c]);
		fprintf(out, "%5d %5d  %-*s  %8d  %-24s  %-24s  %-24s  %-24s  %6.4f  %6.4f\n", r->budgets[sl->budget].se_k,
			r->budgets[sl->budget].wc_k, wslice, sl->name, sl->problems, cells[0], cells[1], cells[2], cells[3],
			sl->wc_coverage, sl->se_coverage);
	}
	for (int b = 0; b < r->nb; b++) {
		for (int c = CS_CLASS_WC_ONLY; c <= CS_CLASS_SE_ONLY; c++) {
			int n = listing(r, b, c, list);
			fprintf(out, "\n%s at SE k %d, WC k %d: %d problem%s (most probable class; probability)\n", labels[c],
				r->budgets[b].se_k, r->budgets[b].wc_k, n, n == 1 ? "" : "s");
			for (int i = 0; i < n; i++) {
				char tied[64];
				class_text(list[i].tied, 1, tied, sizeof tied);
				fprintf(out, "  %-*s  %.4f%s%s%s\n", wkey, r->problems[list[i].index].key, list[i].p,
					tied[0] ? "  (tied with " : "", tied, tied[0] ? ")" : "");
			}
		}
	}
	fprintf(out, "\nlisting: %s\noptions: %s\n", LISTING_RULE, h->options);
	free(list);
	if (ferror(out))
		return cs_fail(err, CS_INTERNAL, "error writing the problems");
	return CS_OK;
}

int cs_pp_write_csv(const struct cs_pair_header *h, const struct cs_pair_result *pair,
		    const struct cs_pp_result *r, FILE *out, struct cs_err *err)
{
	struct record rec;
	int bad = 0;

	(void)pair;
	for (int i = 0; i < NCOLS && !bad; i++)
		bad |= cs_csv_field(out, columns[i].name, i == NCOLS - 1);
	for (int b = 0; b < r->nb && !bad; b++) {
		for (int p = 0; p < r->np && !bad; p++) {
			problem_record(&rec, h, r, b, p);
			bad |= csv_record(out, &rec);
		}
	}
	for (int s = 0; s < r->nslices && !bad; s++) {
		slice_record(&rec, h, r, s);
		bad |= csv_record(out, &rec);
	}
	if (bad || ferror(out))
		return cs_fail(err, CS_INTERNAL, "error writing the problems");
	return CS_OK;
}

/* Adds to arr the problems of budget b listed as class c, each {"problem", "probability"}. 0 or -1. */
static int json_listing(cJSON *arr, const struct cs_pp_result *r, int b, int c, struct listed *list)
{
	int n = listing(r, b, c, list), bad = 0;

	for (int i = 0; i < n && !bad; i++) {
		cJSON *o = cJSON_CreateObject();
		bad |= o == NULL || !cJSON_AddItemToArray(arr, o);
		if (!bad) {
			bad |= cJSON_AddStringToObject(o, "problem", r->problems[list[i].index].key) == NULL;
			bad |= cs_json_add_num(o, "probability", list[i].p);
			bad |= cJSON_AddBoolToObject(o, "tied", list[i].tied != 0) == NULL;
		}
	}
	return bad ? -1 : 0;
}

int cs_json_pp_rows(cJSON *doc, const struct cs_pair_header *h, const struct cs_pair_result *pair,
		    const struct cs_pp_result *r, struct cs_err *err)
{
	cJSON *s = cJSON_AddObjectToObject(doc, "summary"), *listed = NULL;
	struct listed *list = malloc(((size_t)r->np + 1) * sizeof *list);
	struct record rec;
	int bad = s == NULL || list == NULL;

	if (!bad) {
		bad |= cJSON_AddStringToObject(s, "wc_run", h->wc_run) == NULL;
		bad |= cJSON_AddStringToObject(s, "se_run", h->se_run) == NULL;
		bad |= cJSON_AddStringToObject(s, "match", h->match) == NULL;
		bad |= cJSON_AddNumberToObject(s, "shared", pair->shared) == NULL;
		bad |= cJSON_AddNumberToObject(s, "wc_only", pair->wc_only) == NULL;
		bad |= cJSON_AddNumberToObject(s, "se_only", pair->se_only) == NULL;
		bad |= cJSON_AddStringToObject(s, "options", h->options) == NULL;
		bad |= cJSON_AddStringToObject(s, "listing", LISTING_RULE) == NULL;
		bad |= (listed = cJSON_AddArrayToObject(s, "listed")) == NULL;
	}
	for (int b = 0; b < r->nb && !bad; b++) {
		cJSON *o = cJSON_CreateObject(), *w = NULL, *e = NULL;
		bad |= o == NULL || !cJSON_AddItemToArray(listed, o);
		if (bad)
			break;
		bad |= cJSON_AddNumberToObject(o, "se_k", r->budgets[b].se_k) == NULL;
		bad |= cJSON_AddNumberToObject(o, "wc_k", r->budgets[b].wc_k) == NULL;
		bad |= (w = cJSON_AddArrayToObject(o, "wc_only")) == NULL;
		bad |= (e = cJSON_AddArrayToObject(o, "se_only")) == NULL;
		if (!bad)
			bad |= json_listing(w, r, b, CS_CLASS_WC_ONLY, list) || json_listing(e, r, b, CS_CLASS_SE_ONLY, list);
	}
	for (int b = 0; b < r->nb && !bad; b++) {
		for (int p = 0; p < r->np && !bad; p++) {
			problem_record(&rec, h, r, b, p);
			bad |= json_record(doc, &rec);
		}
	}
	for (int i = 0; i < r->nslices && !bad; i++) {
		slice_record(&rec, h, r, i);
		bad |= json_record(doc, &rec);
	}
	free(list);
	if (bad)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	return CS_OK;
}
