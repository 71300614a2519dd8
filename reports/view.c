/* The study page of `coseval view`: report and pair tables, inline SVG plots, and every sample of the runs in
 * one inert JSON block per problem, parsed by the page's script only when that problem is opened. */
#include "view.h"

#include "html.h"
#include "view/assets.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The report's rows as a table: the columns and the rounding of `coseval report`'s text table. */
static void report_table(FILE *f, const struct cs_rows *rows)
{
	fputs("<div class=\"scroll\"><table id=\"cs-report\" class=\"report\">\n<thead><tr><th>metric</th><th>run</th><th>slice</th>"
	      "<th class=\"num\">k</th><th class=\"num\">value</th><th>interval</th><th class=\"num\">problems</th>"
	      "<th class=\"num\">samples</th><th class=\"num\">excluded</th></tr></thead>\n<tbody>\n", f);
	for (size_t i = 0; i < rows->count; i++) {
		const struct cs_row *r = &rows->items[i];

		fputs("<tr><td>", f);
		cs_html_escape(f, r->metric);
		fputs("</td><td>", f);
		cs_html_escape(f, r->run);
		fputs("</td><td>", f);
		cs_html_escape(f, r->slice);
		fputs("</td><td class=\"num\">", f);
		if (r->k > 0)
			fprintf(f, "%d", r->k);
		else
			fputs("-", f);
		fputs("</td><td class=\"num\">", f);
		if (!isnan(r->value))
			fprintf(f, "%.4f", r->value);
		else
			fputs("-", f);
		fputs("</td><td>", f);
		if (!isnan(r->lower) && !isnan(r->upper))
			fprintf(f, "[%.4f, %.4f]", r->lower, r->upper);
		else
			fputs("-", f);
		fprintf(f, "</td><td class=\"num\">%d</td><td class=\"num\">%ld</td><td class=\"num\">%d</td></tr>\n",
			r->problems, r->samples, r->excluded);
	}
	fputs("</tbody>\n</table></div>\n", f);
	/* each distinct options text once, below the table, as the text report does */
	for (size_t i = 0; i < rows->count; i++) {
		size_t j = 0;
		while (j < i && strcmp(rows->items[j].options, rows->items[i].options) != 0)
			j++;
		if (j != i)
			continue;
		fputs("<p class=\"options\">", f);
		fputs(strcmp(rows->items[i].metric, "maj") == 0 ? "maj options: " : "options: ", f);
		cs_html_escape(f, rows->items[i].options);
		fputs("</p>\n", f);
	}
}

/* An SVG document inline: without its XML declaration, which HTML does not take. */
static void inline_svg(FILE *f, const char *svg)
{
	if (strncmp(svg, "<?xml", 5) == 0) {
		const char *end = strstr(svg, "?>");
		if (end != NULL) {
			svg = end + 2;
			while (*svg == '\n' || *svg == '\r')
				svg++;
		}
	}
	fputs("<figure class=\"plot\">\n", f);
	fputs(svg, f);
	fputs("</figure>\n", f);
}

int cs_view_begin(struct cs_view_writer *w, FILE *f, const struct cs_view_page *page, struct cs_err *err)
{
	memset(w, 0, sizeof *w);
	w->f = f;
	w->page = page;
	w->problem = -1;
	w->correct = calloc((size_t)(page->nruns > 0 ? page->nruns : 1), sizeof *w->correct);
	w->count = calloc((size_t)(page->nruns > 0 ? page->nruns : 1), sizeof *w->count);
	w->list = open_memstream(&w->list_buf, &w->list_len);
	if (w->correct == NULL || w->count == NULL || w->list == NULL) {
		cs_view_writer_free(w);
		return cs_fail(err, CS_INTERNAL, "out of memory");
	}
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"coseval " COSEVAL_VERSION "\">\n<title>", f);
	cs_html_escape(f, page->title);
	fputs("</title>\n<style>\n", f);
	fputs(cs_view_css, f);
	fputs("</style>\n</head>\n<body>\n<h1>", f);
	cs_html_escape(f, page->title);
	fputs("</h1>\n", f);
	if (page->subtitle != NULL) {
		fputs("<p class=\"sub\">", f);
		cs_html_escape(f, page->subtitle);
		fputs("</p>\n", f);
	}
	fputs("<p class=\"sub\">runs: ", f);
	for (int r = 0; r < page->nruns; r++) {
		fputs(r ? ", " : "", f);
		cs_html_escape(f, page->runs[r]);
		fputs(" (", f);
		cs_html_escape(f, page->models[r]);
		fputs(")", f);
	}
	fputs("</p>\n<nav id=\"cs-tabs\"><a id=\"cs-tab-summary\" href=\"#tab=summary\">Report and plots</a>"
	      "<a id=\"cs-tab-problems\" href=\"#tab=problems\">Problems and samples</a></nav>\n"
	      "<div id=\"cs-summary\">\n<section id=\"cs-report-section\">\n<h2>Report</h2>\n", f);
	report_table(f, page->rows);
	fputs("</section>\n", f);
	if (page->pair_text != NULL || page->pair_note != NULL) {
		fputs("<section id=\"cs-pair-section\">\n<h2>WC vs SE</h2>\n", f);
		if (page->pair_text != NULL) {
			fputs("<pre id=\"cs-pair\" class=\"pair\">", f);
			cs_html_escape(f, page->pair_text);
			fputs("</pre>\n", f);
		}
		if (page->pair_note != NULL) {
			fputs("<p class=\"note\">", f);
			cs_html_escape(f, page->pair_note);
			fputs("</p>\n", f);
		}
		fputs("</section>\n", f);
	}
	fputs("<section id=\"cs-plots\">\n<h2>Coverage and diversity</h2>\n<div class=\"plots\">\n", f);
	for (int i = 0; i < page->nsvgs; i++)
		inline_svg(f, page->svgs[i]);
	fputs("</div>\n", f);
	if (page->plot_note != NULL) {
		fputs("<p class=\"note\">", f);
		cs_html_escape(f, page->plot_note);
		fputs("</p>\n", f);
	}
	fputs("</section>\n</div>\n<div id=\"cs-browser\" hidden>\n"
	      "<noscript><p>The problem browser needs JavaScript.</p></noscript>\n"
	      "<section id=\"cs-problem\" hidden>\n<h2 id=\"cs-ptitle\"></h2>\n"
	      "<div class=\"question\" id=\"cs-question\"></div>\n<p>gold answer: <code id=\"cs-gold\"></code></p>\n"
	      "<div class=\"controls\"><label>verdict <select id=\"cs-verdict\"></select></label>"
	      "<label>rule <select id=\"cs-rule\"></select></label><label>run <select id=\"cs-run\"></select></label>"
	      "<span id=\"cs-scount\"></span><span id=\"cs-spager\"></span></div>\n"
	      "<ol id=\"cs-samples\" class=\"samples\"></ol>\n</section>\n"
	      "<section id=\"cs-problems\">\n<h2>Problems</h2>\n"
	      "<div class=\"controls\"><label>problem id or subject <input id=\"cs-q\" type=\"search\"></label>"
	      "<span id=\"cs-plist-count\"></span><span id=\"cs-plist-pager\"></span></div>\n"
	      "<div class=\"scroll\"><table id=\"cs-plist\"><thead><tr><th>problem</th><th id=\"cs-plist-dataset\" hidden>dataset</th>"
	      "<th>subject</th><th class=\"num\">level</th>", f);
	for (int r = 0; r < page->nruns; r++) {
		fputs("<th class=\"num\">", f);
		cs_html_escape(f, page->runs[r]);
		fputs(" correct</th>", f);
	}
	fputs("</tr></thead><tbody id=\"cs-plist-body\"></tbody></table></div>\n</section>\n</div>\n", f);
	return CS_OK;
}

/* Ends the open problem's block and adds its entry to the problem list. */
static void close_problem(struct cs_view_writer *w)
{
	FILE *l = w->list;

	if (w->problem < 0)
		return;
	fputs("]}</script>\n", w->f);
	fputs(w->nproblems > 1 ? ",\n{\"k\":" : "{\"k\":", l);
	cs_html_json_str(l, w->pkey);
	fputs(",\"d\":", l);
	cs_html_json_str(l, w->pdataset);
	fputs(",\"s\":", l);
	cs_html_json_str(l, w->psubject);
	fprintf(l, ",\"l\":%d,\"b\":\"cs-p%ld\",\"c\":[", w->plevel, w->nproblems);
	for (int r = 0; r < w->page->nruns; r++)
		fprintf(l, "%s%d", r ? "," : "", w->correct[r]);
	fputs("],\"n\":[", l);
	for (int r = 0; r < w->page->nruns; r++)
		fprintf(l, "%s%d", r ? "," : "", w->count[r]);
	fputs("]}", l);
	free(w->pkey);
	free(w->pdataset);
	free(w->psubject);
	w->pkey = w->pdataset = w->psubject = NULL;
	w->problem = -1;
}

/* Opens the block of the problem of s. */
static int open_problem(struct cs_view_writer *w, const struct cs_browse_sample *s, struct cs_err *err)
{
	size_t cut;
	int known = 0;

	w->nproblems++;
	w->problem = s->problem_row;
	w->pkey = dup_or_null(s->problem_key ? s->problem_key : "");
	w->pdataset = dup_or_null(s->dataset ? s->dataset : "");
	w->psubject = dup_or_null(s->subject);
	w->plevel = s->level;
	w->nsamples_block = 0;
	if (w->pkey == NULL || w->pdataset == NULL || (s->subject != NULL && w->psubject == NULL))
		return cs_fail(err, CS_INTERNAL, "out of memory");
	memset(w->correct, 0, (size_t)w->page->nruns * sizeof *w->correct);
	memset(w->count, 0, (size_t)w->page->nruns * sizeof *w->count);
	for (int i = 0; i < w->ndatasets && !known; i++)
		known = strcmp(w->datasets[i], w->pdataset) == 0;
	if (!known) {
		char **grown = realloc(w->datasets, (size_t)(w->ndatasets + 1) * sizeof *grown);
		if (grown == NULL)
			return cs_fail(err, CS_INTERNAL, "out of memory");
		w->datasets = grown;
		if ((w->datasets[w->ndatasets] = strdup(w->pdataset)) == NULL)
			return cs_fail(err, CS_INTERNAL, "out of memory");
		w->ndatasets++;
	}
	fprintf(w->f, "<script type=\"application/json\" id=\"cs-p%ld\">{\"q\":", w->nproblems);
	cut = cs_html_json_text(w->f, s->question, w->page->max_text, NULL);
	if (cut > 0) {
		w->ncut++;
		w->cut_bytes += (long long)cut;
	}
	fputs(",\"g\":", w->f);
	cs_html_json_str(w->f, s->gold);
	fputs(",\"s\":[\n", w->f);
	return CS_OK;
}

int cs_view_sample(void *ctx, const struct cs_browse_sample *s, struct cs_err *err)
{
	struct cs_view_writer *w = ctx;
	FILE *f = w->f;
	size_t cut;
	int rc;

	if (s->problem_row != w->problem) {
		close_problem(w);
		if ((rc = open_problem(w, s, err)) != CS_OK)
			return rc;
	}
	if (s->run >= 0 && s->run < w->page->nruns) {
		w->count[s->run]++;
		if (s->verdict != NULL && strcmp(s->verdict, "correct") == 0)
			w->correct[s->run]++;
	}
	fprintf(f, "%s{\"r\":%d,\"i\":%d,\"v\":", w->nsamples_block++ ? ",\n" : "", s->run, s->sample_index);
	cs_html_json_str(f, s->verdict ? s->verdict : "ungraded");
	fputs(",\"ru\":", f);
	cs_html_json_str(f, s->rule);
	fputs(",\"a\":", f);
	cs_html_json_str(f, s->answer);
	fputs(",\"re\":", f);
	cs_html_json_str(f, s->reason);
	if (s->tokens >= 0)
		fprintf(f, ",\"tok\":%d", s->tokens);
	else
		fputs(",\"tok\":null", f);
	fprintf(f, ",\"st\":%d,\"j\":", s->stopped);
	cs_html_json_raw(f, s->judgments);
	fputs(",\"t\":", f);
	cut = cs_html_json_text(f, s->text, w->page->max_text, s->answer);
	if (cut > 0) {
		w->ncut++;
		w->cut_bytes += (long long)cut;
	}
	fputs("}", f);
	w->nsamples++;
	if (ferror(f))
		return cs_fail(err, CS_INTERNAL, "error writing the page");
	return CS_OK;
}

int cs_view_end(struct cs_view_writer *w, struct cs_err *err)
{
	FILE *f = w->f;
	int rc = CS_OK;

	close_problem(w);
	if (fflush(w->list) != 0 || ferror(w->list)) {
		cs_view_writer_free(w);
		return cs_fail(err, CS_INTERNAL, "out of memory");
	}
	fputs("<script type=\"application/json\" id=\"cs-data\">{\"runs\":[", f);
	for (int r = 0; r < w->page->nruns; r++) {
		fputs(r ? "," : "", f);
		cs_html_json_str(f, w->page->runs[r]);
	}
	fprintf(f, "],\"datasets\":%d,\"samples\":%ld,\"problems\":[\n", w->ndatasets, w->nsamples);
	fwrite(w->list_buf, 1, w->list_len, f);
	fputs("]}</script>\n<script>\n", f);
	fputs(cs_view_js, f);
	fputs("</script>\n</body>\n</html>\n", f);
	if (ferror(f))
		rc = cs_fail(err, CS_INTERNAL, "error writing the page");
	cs_view_writer_free(w);
	return rc;
}

void cs_view_writer_free(struct cs_view_writer *w)
{
	if (w->list != NULL)
		fclose(w->list);
	free(w->list_buf);
	free(w->correct);
	free(w->count);
	free(w->pkey);
	free(w->pdataset);
	free(w->psubject);
	for (int i = 0; i < w->ndatasets; i++)
		free(w->datasets[i]);
	free(w->datasets);
	w->list = NULL;
	w->list_buf = NULL;
	w->correct = w->count = NULL;
	w->pkey = w->pdataset = w->psubject = NULL;
	w->datasets = NULL;
	w->ndatasets = 0;
}
