/* Formatting the data-quality and finetuning tables: a grid of text cells written as Markdown or LaTeX,
 * or the figures themselves as CSV. */
#include "table_format.h"
#include "csvout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CELL 512  /* bytes of a cell; a longer text is cut at a character boundary */

int cs_table_format_parse(const char *name, enum cs_table_format *out)
{
	if (strcmp(name, "md") == 0 || strcmp(name, "markdown") == 0)
		*out = CS_TABLE_MD;
	else if (strcmp(name, "latex") == 0 || strcmp(name, "tex") == 0)
		*out = CS_TABLE_LATEX;
	else if (strcmp(name, "csv") == 0)
		*out = CS_TABLE_CSV;
	else
		return -1;
	return 0;
}

/* A grid of text cells; a row whose first cell starts with '\1' is a section heading (the rest of the
 * text). */
struct grid {
	int ncols, nrows, cap;
	const char *align;     /* one 'l' or 'r' per column */
	char (*cells)[CELL];   /* nrows * ncols */
};

static char *cell(struct grid *g, int r, int c)
{
	return g->cells[r * g->ncols + c];
}

/* Appends an empty row; returns its index or -1. */
static int grid_row(struct grid *g)
{
	if (g->nrows == g->cap) {
		int cap = g->cap ? 2 * g->cap : 16;
		char (*grown)[CELL] = realloc(g->cells, (size_t)cap * (size_t)g->ncols * CELL);
		if (grown == NULL)
			return -1;
		g->cells = grown;
		g->cap = cap;
	}
	memset(g->cells[g->nrows * g->ncols], 0, (size_t)g->ncols * CELL);
	return g->nrows++;
}

/* The length of s without a UTF-8 sequence that a cut at the end of its cell left incomplete. */
static size_t utf8_length(const char *s)
{
	size_t n = strlen(s), k = n, lead;

	while (k > 0 && n - k < 3 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
		k--;
	if (k == 0 || ((unsigned char)s[k - 1] & 0x80) == 0)
		return n;
	lead = (unsigned char)s[k - 1];
	/* the sequence starting at k - 1 has n - k + 1 bytes of the ones its lead byte announces */
	if ((lead & 0xE0) == 0xC0)
		return n - k + 1 >= 2 ? n : k - 1;
	if ((lead & 0xF0) == 0xE0)
		return n - k + 1 >= 3 ? n : k - 1;
	if ((lead & 0xF8) == 0xF0)
		return n - k + 1 >= 4 ? n : k - 1;
	return n;
}

static void md_text(FILE *f, const char *str)
{
	for (const char *s = str, *end = str + utf8_length(str); s < end; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void tex_text(FILE *f, const char *str)
{
	for (const char *s = str, *end = str + utf8_length(str); s < end; s++) {
		switch (*s) {
		case '\\': fputs("\\textbackslash{}", f); break;
		case '~': fputs("\\textasciitilde{}", f); break;
		case '^': fputs("\\textasciicircum{}", f); break;
		case '_': case '%': case '&': case '#': case '$': case '{': case '}':
			fputc('\\', f);
			fputc(*s, f);
			break;
		default: fputc(*s, f);
		}
	}
}

static void grid_md(const struct grid *g, const char *const *header, FILE *f)
{
	int open = 0;
	for (int r = 0; r < g->nrows; r++) {
		const char *first = g->cells[r * g->ncols];
		if (first[0] == '\1') {
			fputs(open ? "\n### " : "### ", f);
			md_text(f, first + 1);
			fputs("\n\n", f);
			for (int c = 0; c < g->ncols; c++) {
				fputs("| ", f);
				md_text(f, header[c]);
				fputc(' ', f);
			}
			fputs("|\n", f);
			for (int c = 0; c < g->ncols; c++)
				fputs(g->align[c] == 'r' ? "|---:" : "|---", f);
			fputs("|\n", f);
			open = 1;
			continue;
		}
		for (int c = 0; c < g->ncols; c++) {
			fputs("| ", f);
			md_text(f, g->cells[r * g->ncols + c]);
			fputc(' ', f);
		}
		fputs("|\n", f);
	}
}

/* Whether s has a byte outside ASCII. */
static int non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

/* The first lines of a LaTeX table with text outside ASCII (run, model, dataset or tag names): which engine and
 * fonts typeset it. */
static const char tex_unicode_note[] =
	"% coseval: this table has characters outside ASCII. pdflatex cannot typeset Cyrillic, Greek or CJK\n"
	"% letters as is: compile with lualatex and fonts that have them, for instance with this preamble\n"
	"% (DejaVu Serif has Latin, Greek and Cyrillic letters; for CJK ones name a CJK font you have, such as\n"
	"% Noto Serif CJK SC or WenQuanYi Micro Hei: fc-list :lang=zh lists them):\n"
	"%   \\usepackage{fontspec}\n"
	"%   \\directlua{luaotfload.add_fallback(\"cjk\", {\"Noto Serif CJK SC:mode=node;\"})}\n"
	"%   \\setmainfont{DejaVu Serif}[RawFeature={fallback=cjk}]\n"
	"%   \\usepackage{booktabs}\n";

static void grid_latex(const struct grid *g, const char *const *header, FILE *f)
{
	int note = 0;

	for (int c = 0; c < g->ncols; c++)
		note |= non_ascii(header[c]);
	for (int k = 0; k < g->nrows * g->ncols && !note; k++)
		note = non_ascii(g->cells[k]);
	if (note)
		fputs(tex_unicode_note, f);
	fprintf(f, "\\begin{tabular}{%s}\n\\toprule\n", g->align);
	for (int c = 0; c < g->ncols; c++) {
		if (c > 0)
			fputs(" & ", f);
		tex_text(f, header[c]);
	}
	fputs(" \\\\\n", f);
	for (int r = 0; r < g->nrows; r++) {
		const char *first = g->cells[r * g->ncols];
		if (first[0] == '\1') {
			fprintf(f, "\\midrule\n\\multicolumn{%d}{l}{\\textbf{", g->ncols);
			tex_text(f, first + 1);
			fputs("}} \\\\\n", f);
			continue;
		}
		if (r == 0)
			fputs("\\midrule\n", f);
		for (int c = 0; c < g->ncols; c++) {
			if (c > 0)
				fputs(" & ", f);
			tex_text(f, g->cells[r * g->ncols + c]);
		}
		fputs(" \\\\\n", f);
	}
	fputs("\\bottomrule\n\\end{tabular}\n", f);
}

/* A figure with its interval in a cell: "-" when absent, the interval left out when unknown; sign writes
 * the + of positive numbers too. */
static void fig(char *buf, double v, double lo, double hi, int sign)
{
	if (isnan(v))
		snprintf(buf, CELL, "-");
	else if (isnan(lo) || isnan(hi))
		snprintf(buf, CELL, sign ? "%+.4f" : "%.4f", v);
	else
		snprintf(buf, CELL, sign ? "%+.4f [%+.4f, %+.4f]" : "%.4f [%.4f, %.4f]", v, lo, hi);
}

static void pct(char *buf, double v)
{
	if (isnan(v) || isinf(v))
		snprintf(buf, CELL, "-");
	else
		snprintf(buf, CELL, "%+.1f%%", 100.0 * v);
}

static int dq_csv(const struct cs_dq_table *t, FILE *f)
{
	int bad = fputs("dataset,wc_run,wc_model,se_run,se_model,match,budget,metric,se_k,wc_k,ratio,wc,wc_lower,"
			"wc_upper,se,se_lower,se_upper,diff,diff_lower,diff_upper,gain,wc_n,se_n,options\n", f) == EOF;
	const char *match = cs_pair_match_name(t->match);

	for (int i = 0; i < t->count && !bad; i++) {
		const struct cs_dq_block *b = &t->blocks[i];
		for (int j = 0; j < t->nbudgets * 2 + 1; j++) {
			const struct cs_pair_row *r = j < t->nbudgets * 2 ? (j % 2 == 0 ? &b->coverage[j / 2] : &b->diversity[j / 2])
									  : NULL;
			bad |= cs_csv_field(f, b->dataset, 0);
			bad |= cs_csv_field(f, b->wc_run, 0);
			bad |= cs_csv_field(f, b->wc_model, 0);
			bad |= cs_csv_field(f, b->se_run, 0);
			bad |= cs_csv_field(f, b->se_model, 0);
			bad |= cs_csv_field(f, match, 0);
			if (r != NULL) {
				bad |= cs_csv_field(f, t->budget_names[j / 2], 0);
				bad |= cs_csv_field(f, r->metric, 0);
				bad |= cs_csv_long(f, r->se_k);
				bad |= cs_csv_long(f, r->wc_k);
				bad |= cs_csv_finite(f, r->ratio);
				bad |= cs_csv_finite(f, r->wc.point);
				bad |= cs_csv_finite(f, r->wc.lo);
				bad |= cs_csv_finite(f, r->wc.hi);
				bad |= cs_csv_finite(f, r->se.point);
				bad |= cs_csv_finite(f, r->se.lo);
				bad |= cs_csv_finite(f, r->se.hi);
				bad |= cs_csv_finite(f, r->diff.point);
				bad |= cs_csv_finite(f, r->diff.lo);
				bad |= cs_csv_finite(f, r->diff.hi);
				bad |= cs_csv_finite(f, r->gain);
				bad |= cs_csv_long(f, r->problems);
				bad |= cs_csv_long(f, r->problems);
			} else {
				const struct cs_dq_fpr *p = &b->fpr;
				bad |= cs_csv_field(f, "", 0);
				bad |= cs_csv_field(f, "fpr", 0);
				bad |= cs_csv_field(f, "", 0);
				bad |= cs_csv_field(f, "", 0);
				bad |= cs_csv_field(f, "", 0);
				bad |= cs_csv_finite(f, p->wc.rate);
				bad |= cs_csv_finite(f, p->wc.lo);
				bad |= cs_csv_finite(f, p->wc.hi);
				bad |= cs_csv_finite(f, p->se.rate);
				bad |= cs_csv_finite(f, p->se.lo);
				bad |= cs_csv_finite(f, p->se.hi);
				bad |= cs_csv_finite(f, p->diff);
				bad |= cs_csv_finite(f, p->diff_lo);
				bad |= cs_csv_finite(f, p->diff_hi);
				bad |= cs_csv_finite(f, p->gain);
				bad |= cs_csv_long(f, p->wc.n_judged);
				bad |= cs_csv_long(f, p->se.n_judged);
			}
			bad |= cs_csv_field(f, b->options, 1);
		}
	}
	return bad;
}

int cs_dq_table_write(const struct cs_dq_table *t, enum cs_table_format fmt, FILE *out, struct cs_err *err)
{
	static const char *const header[] = { "pair (WC vs SE)", "budget", "metric", "SE k", "WC k", "WC", "SE",
					      "WC - SE", "gain" };
	struct grid g = { 9, 0, 0, "lllrrllll", NULL };
	int bad = 0, rc = CS_OK;

	if (fmt == CS_TABLE_CSV) {
		bad = dq_csv(t, out);
		goto done;
	}
	for (int i = 0; i < t->count; i++) {
		const struct cs_dq_block *b = &t->blocks[i];
		const struct cs_dq_fpr *p = &b->fpr;
		int r;

		if (i == 0 || strcmp(b->dataset, t->blocks[i - 1].dataset) != 0) {
			if ((r = grid_row(&g)) < 0)
				goto oom;
			snprintf(cell(&g, r, 0), CELL, "\1%s", b->dataset);
		}
		for (int j = 0; j < t->nbudgets * 2; j++) {
			const struct cs_pair_row *row = j % 2 == 0 ? &b->coverage[j / 2] : &b->diversity[j / 2];
			if ((r = grid_row(&g)) < 0)
				goto oom;
			if (j == 0)
				snprintf(cell(&g, r, 0), CELL, "%s (%s) vs %s (%s)", b->wc_run, b->wc_model, b->se_run,
					 b->se_model);
			if (j % 2 == 0)
				snprintf(cell(&g, r, 1), CELL, "%s", t->budget_names[j / 2]);
			snprintf(cell(&g, r, 2), CELL, "%s", row->metric);
			snprintf(cell(&g, r, 3), CELL, "%d", row->se_k);
			snprintf(cell(&g, r, 4), CELL, "%d", row->wc_k);
			fig(cell(&g, r, 5), row->wc.point, row->wc.lo, row->wc.hi, 0);
			fig(cell(&g, r, 6), row->se.point, row->se.lo, row->se.hi, 0);
			fig(cell(&g, r, 7), row->diff.point, row->diff.lo, row->diff.hi, 1);
			pct(cell(&g, r, 8), row->gain);
		}
		if ((r = grid_row(&g)) < 0)
			goto oom;
		snprintf(cell(&g, r, 1), CELL, "-");
		snprintf(cell(&g, r, 2), CELL, "FPR");
		snprintf(cell(&g, r, 3), CELL, "-");
		snprintf(cell(&g, r, 4), CELL, "-");
		fig(cell(&g, r, 5), p->wc.rate, p->wc.lo, p->wc.hi, 0);
		if (!isnan(p->wc.rate))
			snprintf(cell(&g, r, 5) + strlen(cell(&g, r, 5)), 24, " n=%ld", p->wc.n_judged);
		fig(cell(&g, r, 6), p->se.rate, p->se.lo, p->se.hi, 0);
		if (!isnan(p->se.rate))
			snprintf(cell(&g, r, 6) + strlen(cell(&g, r, 6)), 24, " n=%ld", p->se.n_judged);
		fig(cell(&g, r, 7), p->diff, p->diff_lo, p->diff_hi, 1);
		pct(cell(&g, r, 8), p->gain);
	}
	if (fmt == CS_TABLE_MD) {
		grid_md(&g, header, out);
		fprintf(out, "\nWC budgets %s-matched to each SE budget; intervals: bootstrap over problems (FPR: Wilson; "
			"WC - SE: paired bootstrap, FPR: Newcombe)%s%s; options: %s\n", cs_pair_match_name(t->match),
			t->judge ? "; FPR by judge " : "", t->judge ? t->judge : "", t->count > 0 ? t->blocks[0].options : "");
	} else {
		grid_latex(&g, header, out);
	}
	goto done;
oom:
	rc = cs_fail(err, CS_INTERNAL, "out of memory");
done:
	free(g.cells);
	if (rc == CS_OK && (bad || ferror(out)))
		rc = cs_fail(err, CS_INTERNAL, "error writing the table");
	return rc;
}

static int ft_csv(const struct cs_ft_table *t, FILE *f)
{
	int bad = cs_csv_field(f, t->rows_tag, 0);

	for (int c = 0; c < t->ncols; c++) {
		char name[600];
		static const char *const suffix[] = { "", "_lower", "_upper", "_run" };
		for (int s = 0; s < 4; s++) {
			snprintf(name, sizeof name, "%s%s", t->col_values[c], suffix[s]);
			bad |= cs_csv_field(f, name, 0);
		}
	}
	if (t->gains != NULL)
		bad |= fputs("gain,gain_lower,gain_upper,diff,diff_lower,diff_upper,gain_problems,", f) == EOF;
	bad |= cs_csv_field(f, "options", 1);
	for (int r = 0; r < t->nrows && !bad; r++) {
		bad |= cs_csv_field(f, t->row_values[r], 0);
		for (int c = 0; c < t->ncols; c++) {
			const struct cs_ft_cell *x = &t->cells[r * t->ncols + c];
			if (x->run == NULL) {
				for (int i = 0; i < 4; i++)
					bad |= cs_csv_field(f, "", 0);
			} else {
				bad |= cs_csv_finite(f, x->v.point);
				bad |= cs_csv_finite(f, x->v.lo);
				bad |= cs_csv_finite(f, x->v.hi);
				bad |= cs_csv_field(f, x->run, 0);
			}
		}
		if (t->gains != NULL) {
			const struct cs_ft_gain *g = &t->gains[r];
			if (g->present) {
				bad |= cs_csv_finite(f, g->rel.point);
				bad |= cs_csv_finite(f, g->rel.lo);
				bad |= cs_csv_finite(f, g->rel.hi);
				bad |= cs_csv_finite(f, g->diff.point);
				bad |= cs_csv_finite(f, g->diff.lo);
				bad |= cs_csv_finite(f, g->diff.hi);
				bad |= cs_csv_long(f, g->problems);
			} else {
				for (int i = 0; i < 7; i++)
					bad |= cs_csv_field(f, "", 0);
			}
		}
		bad |= cs_csv_field(f, t->options, 1);
	}
	return bad;
}

int cs_ft_table_write(const struct cs_ft_table *t, enum cs_table_format fmt, FILE *out, struct cs_err *err)
{
	int ncols = 1 + t->ncols + (t->gains != NULL);
	struct grid g = { ncols, 0, 0, NULL, NULL };
	char (*head)[CELL] = calloc((size_t)ncols, CELL);
	const char **header = calloc((size_t)ncols, sizeof *header);
	char *align = calloc((size_t)ncols + 1, 1);
	int bad = 0, rc = CS_OK, r;

	if (head == NULL || header == NULL || align == NULL)
		goto oom;
	if (fmt == CS_TABLE_CSV) {
		bad = ft_csv(t, out);
		goto done;
	}
	memset(align, 'l', (size_t)ncols);
	g.align = align;
	snprintf(head[0], CELL, "%s", t->rows_tag);
	for (int c = 0; c < t->ncols; c++)
		snprintf(head[1 + c], CELL, "%s=%s", t->cols_tag, t->col_values[c]);
	if (t->gains != NULL)
		snprintf(head[ncols - 1], CELL, "gain %s over %s", t->gain_a, t->gain_b);
	for (int c = 0; c < ncols; c++)
		header[c] = head[c];
	if ((r = grid_row(&g)) < 0)
		goto oom;
	snprintf(cell(&g, r, 0), CELL, "\1%s by %s (rows) and %s (columns)", t->metric, t->rows_tag, t->cols_tag);
	for (int i = 0; i < t->nrows; i++) {
		if ((r = grid_row(&g)) < 0)
			goto oom;
		snprintf(cell(&g, r, 0), CELL, "%s", t->row_values[i]);
		for (int c = 0; c < t->ncols; c++) {
			const struct cs_ft_cell *x = &t->cells[i * t->ncols + c];
			if (x->run == NULL)
				snprintf(cell(&g, r, 1 + c), CELL, "-");
			else
				fig(cell(&g, r, 1 + c), x->v.point, x->v.lo, x->v.hi, 0);
		}
		if (t->gains != NULL) {
			const struct cs_ft_gain *gn = &t->gains[i];
			char *s = cell(&g, r, ncols - 1);
			if (!gn->present || isnan(gn->rel.point))
				snprintf(s, CELL, "-");
			else if (isnan(gn->rel.lo) || isnan(gn->rel.hi))
				snprintf(s, CELL, "%+.1f%%", 100 * gn->rel.point);
			else
				snprintf(s, CELL, "%+.1f%% [%+.1f%%, %+.1f%%]", 100 * gn->rel.point, 100 * gn->rel.lo,
					 100 * gn->rel.hi);
		}
	}
	if (fmt == CS_TABLE_MD) {
		grid_md(&g, header, out);
		fprintf(out, "\nEach cell: the run's %s with a bootstrap interval over its problems", t->metric);
		if (t->gains != NULL)
			fprintf(out, "; gain: (%s - %s) / %s on the problems both runs have, interval from a bootstrap of "
				"the ratio over the same resampled problems", t->gain_a, t->gain_b, t->gain_b);
		fprintf(out, ". options: %s\n", t->options);
	} else {
		grid_latex(&g, header, out);
	}
	goto done;
oom:
	rc = cs_fail(err, CS_INTERNAL, "out of memory");
done:
	free(g.cells);
	free(head);
	free(header);
	free(align);
	if (rc == CS_OK && (bad || ferror(out)))
		rc = cs_fail(err, CS_INTERNAL, "error writing the table");
	return rc;
}
