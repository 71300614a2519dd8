/* Generates coseval's help texts (a C source and its header), man pages and bash completion from
 * docs/commands.md, checked against the command table of harness/cli/command_table.c.
 *
 * usage: gendoc --source commands.md --table command_table.c --version V --c OUT.c --header OUT.h
 *               --man-dir DIR --completion FILE
 *
 * The source's layout (docs/commands.md describes it too): text before the first "## " heading is a preface
 * and is skipped. "## coseval" is the overview: `coseval help` and coseval(1); its table whose header starts
 * with "command" lists every command with its summary. "## NAME" (one lowercase word) is the page of command
 * NAME: `coseval help NAME` and coseval-NAME(1). Any other "## " heading is a topic, written into coseval(1)
 * only. The overview and each command section start with a synopsis: an indented code block whose lines begin
 * "coseval NAME" or, indented, continue the line above; the completion takes each command's subcommands,
 * options and option values from it. "### " headings Examples, Options, Environment and Exit codes become
 * man page sections; others are subsections. The Markdown read: paragraphs, indented code blocks, tables,
 * "- " lists, `code`, **bold**, [links](url), ![images](url) (left out) and backslash escapes.
 *
 * Everything is checked and rendered in memory first; the files are written only when the source is sound.
 * A fault in the source is reported as FILE:LINE: message and the exit status is 1 (2 for a usage error). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COMMANDS 64
#define MAX_FORMS 8
#define MAX_OPTS 64
#define MAX_SECTIONS 128

/* A growable byte string, always NUL-terminated once something was added. */
struct buf {
	char *data;
	size_t len, cap;
};

/* One line of the source, without its line ending. */
struct line {
	char *text;
	int no; /* 1-based */
};

/* A command of the command table. */
struct command {
	char name[64];
	int line;         /* in the command table */
	int section;      /* index into sections, or -1 */
	int summary_row;  /* the source line of its row in the overview's command table, or 0 */
	char summary[512]; /* that row's second cell, as written (Markdown) */
};

enum section_kind { SEC_OVERVIEW, SEC_COMMAND, SEC_TOPIC };

/* A "## " section of the source: its body is lines [first, end); its synopsis is lines [syn_first, syn_end). */
struct section {
	enum section_kind kind;
	const char *name; /* the heading text */
	int heading;      /* index of the heading line */
	int first, end;
	int syn_first, syn_end;
	int command; /* index into commands for SEC_COMMAND, else -1 */
};

enum block_kind { BK_PARA, BK_CODE, BK_TABLE, BK_LIST, BK_HEADING, BK_IMAGE };

/* A block of a section's body: lines [first, end). */
struct block {
	enum block_kind kind;
	int first, end;
};

/* One option of a synopsis form, and what its value is. */
struct option {
	char name[48];
	char kind[160]; /* flag, run, runs, file, dir, none, or "=a|b|c" for one of those words */
};

/* One form of a synopsis ("coseval import samples FILE --run NAME ..."). */
struct form {
	char subs[160];     /* the subcommand words ("problems", "coverage|diversity|pass"), or "" */
	char pos_kind[16];  /* the kind of its positional arguments: command, run, file, none */
	struct option opts[MAX_OPTS];
	int nopts;
};

static const char *source_path, *table_path;
static struct line *lines;
static int nlines;
static char *source_text, *table_text;
static struct command commands[MAX_COMMANDS];
static int ncommands;
static struct section sections[MAX_SECTIONS];
static int nsections;
static int overview = -1;

/* Reports a fault in file at line (0: no line) and ends the program with status 1. */
static void fail_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (line > 0)
		fprintf(stderr, "%s:%d: ", file, line);
	else
		fprintf(stderr, "%s: ", file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void out_of_memory(void)
{
	fprintf(stderr, "gendoc: out of memory\n");
	exit(1);
}

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *p;

		while (b->len + n + 1 > cap)
			cap *= 2;
		p = realloc(b->data, cap);
		if (p == NULL)
			out_of_memory();
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void buf_putc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

static void buf_printf(struct buf *b, const char *fmt, ...)
{
	char small[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof small) {
		fprintf(stderr, "gendoc: internal error: formatted text too long\n");
		exit(1);
	}
	buf_add(b, small, (size_t)n);
}

static void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* Reads the whole file at path into a malloc'd, NUL-terminated string. */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = { 0 };
	char chunk[65536];
	size_t n;

	if (f == NULL)
		fail_at(path, 0, "cannot open: %s", strerror(errno));
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f))
		fail_at(path, 0, "cannot read: %s", strerror(errno));
	fclose(f);
	buf_add(&b, "", 0);
	return b.data;
}

/* Writes len bytes of data to path, or fails naming it. */
static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		fail_at(path, 0, "cannot create: %s", strerror(errno));
	if (fwrite(data, 1, len, f) != len || fflush(f) != 0 || ferror(f)) {
		fclose(f);
		fail_at(path, 0, "cannot write: %s", strerror(errno));
	}
	if (fclose(f) != 0)
		fail_at(path, 0, "cannot write: %s", strerror(errno));
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int is_blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0';
}

static int is_lower_word(const char *s)
{
	if (*s < 'a' || *s > 'z')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

static int find_command(const char *name, size_t len)
{
	for (int i = 0; i < ncommands; i++)
		if (strlen(commands[i].name) == len && strncmp(commands[i].name, name, len) == 0)
			return i;
	return -1;
}

/* Copies at most n bytes of s into dst (of size cap), NUL-terminated; fails when it does not fit. */
static void copy_text(char *dst, size_t cap, const char *s, size_t n, int line)
{
	if (n >= cap)
		fail_at(source_path, line, "text too long (at most %zu bytes here): %.*s", cap - 1, (int)n, s);
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* Reads the command names of the command table: every entry of the form { "NAME", cmd_... }. */
static void load_table(void)
{
	int line = 1;

	table_text = read_file(table_path);
	for (const char *p = table_text; *p; p++) {
		if (*p == '\n') {
			line++;
			continue;
		}
		if (p[0] == '{' && p[1] == ' ' && p[2] == '"') {
			const char *name = p + 3, *q = strchr(name, '"');

			if (q == NULL || !starts_with(q, "\", cmd_"))
				continue;
			if (ncommands == MAX_COMMANDS)
				fail_at(table_path, line, "more than %d commands", MAX_COMMANDS);
			if (q - name >= (ptrdiff_t)sizeof commands[0].name || q == name)
				fail_at(table_path, line, "a command name of 1 to 63 bytes is expected");
			memcpy(commands[ncommands].name, name, (size_t)(q - name));
			commands[ncommands].name[q - name] = '\0';
			if (!is_lower_word(commands[ncommands].name))
				fail_at(table_path, line, "command '%s': a name is lowercase letters, digits and '-'",
					commands[ncommands].name);
			if (find_command(name, (size_t)(q - name)) >= 0)
				fail_at(table_path, line, "command '%s' is listed twice", commands[ncommands].name);
			commands[ncommands].line = line;
			commands[ncommands].section = -1;
			ncommands++;
		}
	}
	if (ncommands == 0)
		fail_at(table_path, 0, "no command found (entries look like { \"init\", cmd_init, ... })");
}

/* Splits the source into lines. */
static void load_source(void)
{
	int cap = 0;
	char *p;

	source_text = read_file(source_path);
	p = source_text;
	while (*p) {
		char *end = strchr(p, '\n');

		if (nlines == cap) {
			struct line *grown;

			cap = cap ? cap * 2 : 1024;
			grown = realloc(lines, (size_t)cap * sizeof *lines);
			if (grown == NULL)
				out_of_memory();
			lines = grown;
		}
		if (end != NULL)
			*end = '\0';
		if (end != NULL && end > p && end[-1] == '\r')
			end[-1] = '\0';
		lines[nlines].text = p;
		lines[nlines].no = nlines + 1;
		nlines++;
		if (end == NULL)
			break;
		p = end + 1;
	}
}

/* The block that begins at the first non-blank line at or after *i, before end; advances *i past it. Returns
 * 0 when there is none. Fails on Markdown this generator does not read. */
static int next_block(int *i, int end, struct block *b)
{
	int j;

	while (*i < end && is_blank(lines[*i].text))
		(*i)++;
	if (*i >= end)
		return 0;
	j = *i;
	b->first = j;
	if (starts_with(lines[j].text, "```") || starts_with(lines[j].text, "~~~"))
		fail_at(source_path, lines[j].no, "fenced code blocks are not read: indent the block by 4 spaces");
	if (lines[j].text[0] == '#') {
		if (!starts_with(lines[j].text, "### "))
			fail_at(source_path, lines[j].no, "only '## ' and '### ' headings may follow the preface");
		b->kind = BK_HEADING;
		j++;
	} else if (starts_with(lines[j].text, "    ")) {
		/* an indented code block: indented lines, and blank lines between them */
		b->kind = BK_CODE;
		while (j < end) {
			if (starts_with(lines[j].text, "    ")) {
				j++;
				continue;
			}
			if (is_blank(lines[j].text)) {
				int k = j;
				while (k < end && is_blank(lines[k].text))
					k++;
				if (k < end && starts_with(lines[k].text, "    ")) {
					j = k;
					continue;
				}
			}
			break;
		}
	} else if (lines[j].text[0] == '|') {
		b->kind = BK_TABLE;
		while (j < end && lines[j].text[0] == '|')
			j++;
	} else if (starts_with(lines[j].text, "- ")) {
		b->kind = BK_LIST;
		j++;
		while (j < end && (starts_with(lines[j].text, "- ") || starts_with(lines[j].text, "  ")) &&
		       !is_blank(lines[j].text))
			j++;
	} else if (starts_with(lines[j].text, "![")) {
		b->kind = BK_IMAGE;
		j++;
	} else {
		b->kind = BK_PARA;
		j++;
		while (j < end && !is_blank(lines[j].text) && lines[j].text[0] != '|' && lines[j].text[0] != '#' &&
		       !starts_with(lines[j].text, "- "))
			j++;
	}
	b->end = j;
	*i = j;
	return 1;
}

/* ---- inline Markdown ---- */

enum mode { TEXT, ROFF };

/* Appends one character (or UTF-8 sequence) of s at *i, escaped for mode, and advances *i. */
static void put_char(struct buf *out, const char *s, size_t n, size_t *i, enum mode mode)
{
	unsigned char c = (unsigned char)s[*i];

	if (mode == TEXT || (c < 0x80 && c != '\\' && c != '-')) {
		buf_putc(out, (char)c);
		(*i)++;
		return;
	}
	if (c == '\\') {
		buf_puts(out, "\\e");
		(*i)++;
		return;
	}
	if (c == '-') {
		buf_puts(out, "\\-");
		(*i)++;
		return;
	}
	{
		/* a UTF-8 sequence: groff reads it as \[uXXXX] */
		int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
		unsigned long cp = extra == 3 ? c & 0x07u : extra == 2 ? c & 0x0fu : c & 0x1fu;

		if (extra == 0 || *i + (size_t)extra >= n) {
			/* not UTF-8: shown as a question mark */
			buf_puts(out, "?");
			(*i)++;
			return;
		}
		for (int k = 1; k <= extra; k++)
			cp = (cp << 6) | ((unsigned char)s[*i + (size_t)k] & 0x3fu);
		buf_printf(out, "\\[u%04lX]", cp);
		*i += (size_t)extra + 1;
	}
}

static void put_text(struct buf *out, const char *s, size_t n, enum mode mode)
{
	for (size_t i = 0; i < n;)
		put_char(out, s, n, &i, mode);
}

static int is_punct(char c)
{
	return c != '\0' && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) != NULL;
}

/* Appends the inline Markdown s[0, n) rendered for mode: code spans, **bold**, links and images, backslash
 * escapes. *bold carries the state of ** across calls. */
static void put_inline(struct buf *out, const char *s, size_t n, enum mode mode, int *bold)
{
	size_t i = 0;

	while (i < n) {
		char c = s[i];

		if (c == '`') {
			size_t run = 0, j;

			while (i + run < n && s[i + run] == '`')
				run++;
			for (j = i + run; j < n; j++) {
				size_t r = 0;
				while (j + r < n && s[j + r] == '`')
					r++;
				if (r == run)
					break;
				if (r > 0)
					j += r - 1;
			}
			if (j >= n) {
				put_text(out, s + i, run, mode);
				i += run;
				continue;
			}
			{
				size_t a = i + run, z = j;
				int quote;

				if (z - a >= 2 && s[a] == ' ' && s[z - 1] == ' ') {
					a++;
					z--;
				}
				/* in plain text, a span of several words is quoted, unless it holds a quote itself */
				quote = mode == TEXT && memchr(s + a, ' ', z - a) != NULL && memchr(s + a, '\'', z - a) == NULL;

				if (mode == ROFF && !*bold)
					buf_puts(out, "\\fB");
				if (quote)
					buf_putc(out, '\'');
				put_text(out, s + a, z - a, mode);
				if (quote)
					buf_putc(out, '\'');
				if (mode == ROFF && !*bold)
					buf_puts(out, "\\fR");
			}
			i = j + run;
			continue;
		}
		if (c == '*' && i + 1 < n && s[i + 1] == '*') {
			*bold = !*bold;
			if (mode == ROFF)
				buf_puts(out, *bold ? "\\fB" : "\\fR");
			i += 2;
			continue;
		}
		if (c == '[' || (c == '!' && i + 1 < n && s[i + 1] == '[')) {
			int image = c == '!';
			size_t t = i + (image ? 2 : 1), close = t, url, url_end;

			/* the closing bracket, skipping code spans */
			while (close < n && s[close] != ']') {
				if (s[close] == '`') {
					size_t q = close + 1;
					while (q < n && s[q] != '`')
						q++;
					close = q;
				}
				close++;
			}
			if (close < n && close + 1 < n && s[close + 1] == '(') {
				url = close + 2;
				url_end = url;
				while (url_end < n && s[url_end] != ')' && s[url_end] != ' ' && s[url_end] != '\n')
					url_end++;
				if (url_end < n && s[url_end] == ')') {
					if (!image) {
						put_inline(out, s + t, close - t, mode, bold);
						if (starts_with(s + url, "http://") || starts_with(s + url, "https://")) {
							buf_puts(out, " <");
							put_text(out, s + url, url_end - url, mode);
							buf_puts(out, ">");
						} else if (s[url] != '#') {
							size_t file_end = url;
							while (file_end < url_end && s[file_end] != '#')
								file_end++;
							buf_puts(out, " (docs/");
							put_text(out, s + url, file_end - url, mode);
							buf_puts(out, ")");
						}
					}
					i = url_end + 1;
					continue;
				}
			}
			put_char(out, s, n, &i, mode);
			continue;
		}
		if (c == '\\' && i + 1 < n && is_punct(s[i + 1])) {
			i++;
			put_char(out, s, n, &i, mode);
			continue;
		}
		put_char(out, s, n, &i, mode);
	}
}

/* Appends text (lines separated by '\n') as roff text lines: leading spaces dropped, empty lines left out, a
 * line that would start with a control character protected by \&. */
static void put_roff_lines(struct buf *out, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		while (n > 0 && *p == ' ') {
			p++;
			n--;
		}
		if (n > 0) {
			if (*p == '.' || *p == '\'')
				buf_puts(out, "\\&");
			buf_add(out, p, n);
			buf_putc(out, '\n');
		}
		p += n;
		if (*p == '\n')
			p++;
	}
}

/* The lines [first, end) joined by '\n', each with its first skip bytes (when present) left out. */
static void join_lines(struct buf *out, int first, int end, size_t skip)
{
	for (int k = first; k < end; k++) {
		const char *t = lines[k].text;
		size_t len = strlen(t);

		if (k > first)
			buf_putc(out, '\n');
		if (k > first && skip > 0) {
			size_t s = 0;
			while (s < skip && s < len && t[s] == ' ')
				s++;
			t += s;
		}
		buf_puts(out, t);
	}
}

/* ---- tables ---- */

#define MAX_CELLS 8

struct row {
	char *cells[MAX_CELLS]; /* malloc'd, trimmed, Markdown as written */
	int ncells;
	int line;
};

/* Splits a table line into cells at each '|' that is not escaped. */
static void split_row(const struct line *l, struct row *r)
{
	const char *p = l->text;
	struct buf cell = { 0 };

	r->ncells = 0;
	r->line = l->no;
	if (*p != '|')
		fail_at(source_path, l->no, "a table row starts with '|'");
	p++;
	while (*p) {
		if (*p == '\\' && p[1] == '|') {
			buf_add(&cell, p, 2);
			p += 2;
			continue;
		}
		if (*p == '|') {
			const char *a, *z;

			buf_add(&cell, "", 0);
			a = cell.data;
			z = cell.data + cell.len;
			while (a < z && *a == ' ')
				a++;
			while (z > a && z[-1] == ' ')
				z--;
			if (r->ncells == MAX_CELLS)
				fail_at(source_path, l->no, "more than %d cells in a table row", MAX_CELLS);
			r->cells[r->ncells] = malloc((size_t)(z - a) + 1);
			if (r->cells[r->ncells] == NULL)
				out_of_memory();
			memcpy(r->cells[r->ncells], a, (size_t)(z - a));
			r->cells[r->ncells][z - a] = '\0';
			r->ncells++;
			cell.len = 0;
			p++;
			continue;
		}
		buf_putc(&cell, *p);
		p++;
	}
	if (cell.len > 0 && !is_blank(cell.data))
		fail_at(source_path, l->no, "a table row ends with '|'");
	buf_free(&cell);
}

static void free_row(struct row *r)
{
	for (int c = 0; c < r->ncells; c++)
		free(r->cells[c]);
	r->ncells = 0;
}

/* Reads the table block b into rows (the header first, the delimiter row left out); *nrows gets their number.
 * The caller frees each row. */
static void read_table(const struct block *b, struct row *rows, int max, int *nrows)
{
	int n = 0;

	if (b->end - b->first < 2 || !starts_with(lines[b->first + 1].text, "| -"))
		fail_at(source_path, lines[b->first].no, "a table has a header row, then a row such as '| --- | --- |'");
	for (int k = b->first; k < b->end; k++) {
		if (k == b->first + 1)
			continue;
		if (n == max)
			fail_at(source_path, lines[k].no, "a table of more than %d rows", max);
		split_row(&lines[k], &rows[n]);
		if (n > 0 && rows[n].ncells != rows[0].ncells)
			fail_at(source_path, lines[k].no, "this row has %d cells, the header %d", rows[n].ncells,
				rows[0].ncells);
		if (rows[n].ncells < 2)
			fail_at(source_path, lines[k].no, "a table has at least two columns");
		n++;
	}
	*nrows = n;
}

/* The display width of UTF-8 text: its characters. */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

static char *render_inline_alloc(const char *s, enum mode mode)
{
	struct buf b = { 0 };
	int bold = 0;

	put_inline(&b, s, strlen(s), mode, &bold);
	buf_add(&b, "", 0);
	return b.data;
}

#define MAX_ROWS 64

/* A table in plain text: two columns aligned, or one entry per row ("header: cell") for more. In roff: a
 * tagged paragraph per row. The header row is shown only as the labels of a wider table. */
static void put_table(struct buf *out, const struct block *b, enum mode mode)
{
	struct row rows[MAX_ROWS];
	int n;

	read_table(b, rows, MAX_ROWS, &n);
	if (mode == TEXT && rows[0].ncells == 2) {
		size_t w = 0;

		for (int r = 1; r < n; r++) {
			char *c0 = render_inline_alloc(rows[r].cells[0], TEXT);
			if (width(c0) > w)
				w = width(c0);
			free(c0);
		}
		for (int r = 1; r < n; r++) {
			char *c0 = render_inline_alloc(rows[r].cells[0], TEXT);
			char *c1 = render_inline_alloc(rows[r].cells[1], TEXT);

			buf_puts(out, "  ");
			buf_puts(out, c0);
			for (size_t k = width(c0); k < w + 2; k++)
				buf_putc(out, ' ');
			buf_puts(out, c1);
			buf_putc(out, '\n');
			free(c0);
			free(c1);
		}
	} else {
		for (int r = 1; r < n; r++) {
			char *c0 = render_inline_alloc(rows[r].cells[0], mode);

			if (mode == ROFF) {
				buf_puts(out, ".TP\n");
				put_roff_lines(out, c0);
			} else {
				buf_puts(out, "  ");
				buf_puts(out, c0);
				buf_putc(out, '\n');
			}
			free(c0);
			for (int c = 1; c < rows[r].ncells; c++) {
				char *h, *v;

				if (rows[r].cells[c][0] == '\0')
					continue;
				h = render_inline_alloc(rows[0].cells[c], mode);
				v = render_inline_alloc(rows[r].cells[c], mode);
				if (mode == ROFF) {
					struct buf t = { 0 };

					if (rows[0].ncells > 2) {
						buf_puts(&t, h);
						buf_puts(&t, ": ");
					}
					buf_puts(&t, v);
					put_roff_lines(out, t.data);
					if (c + 1 < rows[r].ncells)
						buf_puts(out, ".br\n");
					buf_free(&t);
				} else {
					buf_puts(out, "      ");
					buf_puts(out, h);
					buf_puts(out, ": ");
					buf_puts(out, v);
					buf_putc(out, '\n');
				}
				free(h);
				free(v);
			}
		}
	}
	for (int r = 0; r < n; r++)
		free_row(&rows[r]);
}

/* ---- blocks ---- */

/* The man page section that a "### " heading becomes, or NULL for a subsection. */
static const char *man_section(const char *heading)
{
	static const char *const map[][2] = { { "Examples", "EXAMPLES" }, { "Options", "OPTIONS" },
					       { "Environment", "ENVIRONMENT" }, { "Exit codes", "EXIT STATUS" } };

	for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
		if (strcmp(heading, map[k][0]) == 0)
			return map[k][1];
	return NULL;
}

/* Appends s as a quoted roff macro argument. */
static void put_roff_arg(struct buf *out, const char *s)
{
	buf_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_puts(out, "\\(dq");
		else
			buf_putc(out, *s);
	}
	buf_putc(out, '"');
}

/* Appends the blocks of lines [i, end) rendered for mode. */
static void put_blocks(struct buf *out, int i, int end, enum mode mode)
{
	struct block b;
	int first = 1;

	while (next_block(&i, end, &b)) {
		struct buf t = { 0 };
		int bold = 0;

		if (b.kind == BK_IMAGE)
			continue;
		if (mode == TEXT && !first)
			buf_putc(out, '\n');
		first = 0;
		switch (b.kind) {
		case BK_HEADING: {
			const char *h = lines[b.first].text + 4;
			const char *sec = man_section(h);

			put_inline(&t, h, strlen(h), mode, &bold);
			if (mode == TEXT) {
				buf_puts(out, t.data);
				buf_puts(out, ":\n");
			} else if (sec != NULL) {
				buf_puts(out, ".SH ");
				put_roff_arg(out, sec);
				buf_putc(out, '\n');
			} else {
				buf_puts(out, ".SS ");
				put_roff_arg(out, t.data);
				buf_putc(out, '\n');
			}
			break;
		}
		case BK_PARA:
			join_lines(&t, b.first, b.end, 0);
			{
				struct buf r = { 0 };

				put_inline(&r, t.data, t.len, mode, &bold);
				if (bold)
					fail_at(source_path, lines[b.first].no, "a '**' is not closed in this paragraph");
				if (mode == TEXT) {
					buf_add(out, r.data, r.len);
					buf_putc(out, '\n');
				} else {
					buf_puts(out, ".PP\n");
					put_roff_lines(out, r.data);
				}
				buf_free(&r);
			}
			break;
		case BK_CODE:
			if (mode == ROFF)
				buf_puts(out, ".PP\n.RS 4\n.nf\n");
			for (int k = b.first; k < b.end; k++) {
				const char *l = lines[k].text;

				if (mode == TEXT) {
					buf_puts(out, l);
					buf_putc(out, '\n');
					continue;
				}
				l += strlen(l) >= 4 ? 4 : strlen(l);
				if (*l == '.' || *l == '\'')
					buf_puts(out, "\\&");
				put_text(out, l, strlen(l), ROFF);
				buf_putc(out, '\n');
			}
			if (mode == ROFF)
				buf_puts(out, ".fi\n.RE\n");
			break;
		case BK_TABLE:
			put_table(out, &b, mode);
			break;
		case BK_LIST:
			for (int k = b.first; k < b.end;) {
				int e = k + 1;
				struct buf r = { 0 };

				while (e < b.end && !starts_with(lines[e].text, "- "))
					e++;
				t.len = 0;
				join_lines(&t, k, e, 2);
				buf_add(&t, "", 0);
				put_inline(&r, t.data + 2, t.len - 2, mode, &bold);
				buf_add(&r, "", 0);
				if (mode == TEXT) {
					buf_puts(out, "- ");
					for (const char *p = r.data; *p; p++) {
						buf_putc(out, *p);
						if (*p == '\n')
							buf_puts(out, "  ");
					}
					buf_putc(out, '\n');
				} else {
					buf_puts(out, ".IP \\(bu 2\n");
					put_roff_lines(out, r.data);
				}
				buf_free(&r);
				k = e;
			}
			break;
		case BK_IMAGE:
			break;
		}
		buf_free(&t);
	}
}

/* ---- sections and synopses ---- */

/* Finds the "## " sections, classifies them and checks them against the command table. */
static void find_sections(void)
{
	for (int k = 0; k < nlines; k++) {
		const char *t = lines[k].text;
		struct section *s;

		if (!starts_with(t, "## "))
			continue;
		if (nsections == MAX_SECTIONS)
			fail_at(source_path, lines[k].no, "more than %d sections", MAX_SECTIONS);
		if (nsections > 0)
			sections[nsections - 1].end = k;
		s = &sections[nsections];
		s->name = t + 3;
		s->heading = k;
		s->first = k + 1;
		s->end = nlines;
		s->command = -1;
		if (strcmp(s->name, "coseval") == 0) {
			if (overview >= 0)
				fail_at(source_path, lines[k].no, "a second '## coseval' section");
			s->kind = SEC_OVERVIEW;
			overview = nsections;
		} else if (is_lower_word(s->name)) {
			int c = find_command(s->name, strlen(s->name));

			if (c < 0)
				fail_at(source_path, lines[k].no,
					"section '## %s' names no command of %s (a topic's heading is capitalised)", s->name,
					table_path);
			if (commands[c].section >= 0)
				fail_at(source_path, lines[k].no, "a second section for command '%s' (the first is at line %d)",
					s->name, lines[sections[commands[c].section].heading].no);
			s->kind = SEC_COMMAND;
			s->command = c;
			commands[c].section = nsections;
		} else {
			s->kind = SEC_TOPIC;
		}
		nsections++;
	}
	if (overview < 0)
		fail_at(source_path, 0, "no '## coseval' section (the overview)");
	for (int c = 0; c < ncommands; c++)
		if (commands[c].section < 0)
			fail_at(table_path, commands[c].line, "command '%s' has no section '## %s' in %s", commands[c].name,
				commands[c].name, source_path);
}

/* Checks each synopsis: the first block of the overview and of every command section. */
static void find_synopses(void)
{
	for (int s = 0; s < nsections; s++) {
		struct section *sec = &sections[s];
		struct block b;
		int i = sec->first;

		if (sec->kind == SEC_TOPIC)
			continue;
		if (!next_block(&i, sec->end, &b) || b.kind != BK_CODE)
			fail_at(source_path, lines[sec->heading].no,
				"section '## %s' starts with its synopsis: an indented code block of 'coseval %s ...' lines",
				sec->name, sec->kind == SEC_OVERVIEW ? "COMMAND" : sec->name);
		for (int k = b.first; k < b.end; k++) {
			const char *l = lines[k].text + 4;

			if (is_blank(lines[k].text))
				fail_at(source_path, lines[k].no, "a blank line inside the synopsis");
			if (*l == ' ') {
				if (k == b.first)
					fail_at(source_path, lines[k].no, "the synopsis starts with 'coseval'");
				continue;
			}
			if (!starts_with(l, "coseval "))
				fail_at(source_path, lines[k].no,
					"a synopsis line starts a form ('coseval %s ...') or, indented, continues one",
					sec->kind == SEC_OVERVIEW ? "COMMAND" : sec->name);
			if (sec->kind == SEC_COMMAND) {
				size_t n = strlen(sec->name);

				if (strncmp(l + 8, sec->name, n) != 0 || (l[8 + n] != ' ' && l[8 + n] != '\0'))
					fail_at(source_path, lines[k].no, "a form of the synopsis of '%s' starts 'coseval %s'",
						sec->name, sec->name);
			}
		}
		sec->syn_first = b.first;
		sec->syn_end = b.end;
	}
}

/* Reads the overview's command table: every command once, with its summary. */
static void read_command_list(void)
{
	const struct section *sec = &sections[overview];
	struct block b;
	int i = sec->first, found = 0;

	while (next_block(&i, sec->end, &b)) {
		struct row rows[MAX_ROWS];
		int n;

		if (b.kind != BK_TABLE || !starts_with(lines[b.first].text, "| command |"))
			continue;
		found = 1;
		read_table(&b, rows, MAX_ROWS, &n);
		if (rows[0].ncells != 2)
			fail_at(source_path, lines[b.first].no, "the command table has two columns: command, summary");
		for (int r = 1; r < n; r++) {
			char *name = render_inline_alloc(rows[r].cells[0], TEXT);
			int c = find_command(name, strlen(name));

			if (c < 0)
				fail_at(source_path, rows[r].line, "'%s' is not a command of %s", name, table_path);
			if (commands[c].summary_row > 0)
				fail_at(source_path, rows[r].line, "command '%s' is listed twice (first at line %d)", name,
					commands[c].summary_row);
			commands[c].summary_row = rows[r].line;
			copy_text(commands[c].summary, sizeof commands[c].summary, rows[r].cells[1],
				  strlen(rows[r].cells[1]), rows[r].line);
			free(name);
		}
		for (int r = 0; r < n; r++)
			free_row(&rows[r]);
	}
	if (!found)
		fail_at(source_path, lines[sec->heading].no, "the overview has no command table ('| command | ... |')");
	for (int c = 0; c < ncommands; c++)
		if (commands[c].summary_row == 0)
			fail_at(table_path, commands[c].line, "command '%s' is missing from the command table of '## coseval' in %s",
				commands[c].name, source_path);
}

/* The synopsis of section s as one string per form (continuation lines joined by a space). */
static int synopsis_forms(const struct section *sec, char forms[][1024], int max)
{
	int n = 0;

	for (int k = sec->syn_first; k < sec->syn_end; k++) {
		const char *l = lines[k].text + 4;

		if (*l != ' ') {
			if (n == max)
				fail_at(source_path, lines[k].no, "more than %d forms in one synopsis", max);
			forms[n][0] = '\0';
			n++;
		}
		while (*l == ' ')
			l++;
		if (strlen(forms[n - 1]) + strlen(l) + 2 >= sizeof forms[0])
			fail_at(source_path, lines[k].no, "a synopsis form longer than %zu bytes", sizeof forms[0] - 2);
		if (forms[n - 1][0] != '\0')
			strcat(forms[n - 1], " ");
		strcat(forms[n - 1], l);
	}
	return n;
}

static int is_upper_metavar(const char *s)
{
	int upper = 0;

	for (; *s; s++) {
		if (*s >= 'a' && *s <= 'z')
			return 0;
		if (*s >= 'A' && *s <= 'Z')
			upper = 1;
	}
	return upper;
}

/* What the value of option opt, written as value in the synopsis, is: see struct option. */
static void value_kind(const char *opt, const char *value, char *kind, size_t cap, int line)
{
	if (value == NULL) {
		snprintf(kind, cap, "flag");
	} else if (strcmp(opt, "--run") == 0 || strcmp(opt, "--wc") == 0 || strcmp(opt, "--se") == 0) {
		snprintf(kind, cap, "run");
	} else if (strcmp(opt, "--runs") == 0) {
		snprintf(kind, cap, "runs");
	} else if (strchr(value, '|') != NULL) {
		/* the lowercase alternatives, such as text|csv|json */
		struct buf w = { 0 };
		const char *p = value;

		while (*p) {
			size_t n = strcspn(p, "|");
			int ok = n > 0 && p[0] >= 'a' && p[0] <= 'z';

			for (size_t k = 0; k < n; k++)
				if (!((p[k] >= 'a' && p[k] <= 'z') || (p[k] >= '0' && p[k] <= '9') || p[k] == '-' ||
				      p[k] == '@'))
					ok = 0;
			if (ok) {
				buf_puts(&w, w.len ? "|" : "=");
				buf_add(&w, p, n);
			}
			p += n;
			if (*p == '|')
				p++;
		}
		if (w.len + 1 > cap)
			fail_at(source_path, line, "the values of %s are too long", opt);
		snprintf(kind, cap, "%s", w.len ? w.data : "none");
		buf_free(&w);
	} else if (strcmp(value, "DIR") == 0) {
		snprintf(kind, cap, "dir");
	} else if (starts_with(value, "FILE") || strcmp(opt, "--db") == 0 || strcmp(opt, "-o") == 0 ||
		   (strlen(value) > 3 && strcmp(value + strlen(value) - 3, ".db") == 0)) {
		snprintf(kind, cap, "file");
	} else {
		snprintf(kind, cap, "none");
	}
}

/* The kind of the positional arguments named by metavariable name. */
static const char *positional_kind(const char *name)
{
	size_t n = strlen(name);

	if (strcmp(name, "COMMAND") == 0)
		return "command";
	if (strcmp(name, "BASE") == 0 || strcmp(name, "CAND") == 0 || strcmp(name, "RUN") == 0)
		return "run";
	if (starts_with(name, "FILE") || strcmp(name, "DIR") == 0 || (n > 3 && strcmp(name + n - 3, ".db") == 0))
		return "file";
	return "none";
}

/* Reads one synopsis form: its subcommand words, positional arguments and options. skip is the number of
 * leading words ("coseval NAME": 2). */
static void parse_form(const char *text, int skip, struct form *f, int line)
{
	char copy[1024], *words[256];
	int n = 0;

	memset(f, 0, sizeof *f);
	snprintf(f->pos_kind, sizeof f->pos_kind, "none");
	snprintf(copy, sizeof copy, "%s", text);
	for (char *p = strtok(copy, " "); p != NULL; p = strtok(NULL, " ")) {
		if (n == 256)
			fail_at(source_path, line, "a synopsis form of more than 256 words");
		words[n++] = p;
	}
	if (n > skip && (words[skip][0] >= 'a' && words[skip][0] <= 'z')) {
		for (const char *p = words[skip]; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || *p == '|' || *p == '-'))
				fail_at(source_path, line, "subcommand words are lowercase, separated by '|': %s", words[skip]);
		snprintf(f->subs, sizeof f->subs, "%s", words[skip]);
		skip++;
	}
	for (int k = skip; k < n; k++) {
		char *w = words[k], *name;
		size_t len;

		if (strcmp(w, "<") == 0 || strcmp(w, ">") == 0) {
			k++;
			continue;
		}
		while (*w == '[' || *w == '(')
			w++;
		if (w[0] == '-' && ((w[1] >= 'a' && w[1] <= 'z') || w[1] == '-')) {
			const char *value = NULL;
			char vbuf[160];
			struct option *o;

			name = w;
			len = strspn(name, "-abcdefghijklmnopqrstuvwxyz0123456789");
			if (f->nopts == MAX_OPTS)
				fail_at(source_path, line, "more than %d options in one form", MAX_OPTS);
			o = &f->opts[f->nopts++];
			copy_text(o->name, sizeof o->name, name, len, line);
			/* a value follows unless the option's bracket closes or an option, '[', '|' or '...' follows */
			if (name[len] == '\0' && k + 1 < n && !strchr("[-|<>(", words[k + 1][0]) &&
			    strcmp(words[k + 1], "...") != 0) {
				size_t vlen;

				k++;
				vlen = strlen(words[k]);
				while (vlen > 0 && words[k][vlen - 1] == ']')
					vlen--;
				copy_text(vbuf, sizeof vbuf, words[k], vlen, line);
				value = vbuf;
			}
			value_kind(o->name, value, o->kind, sizeof o->kind, line);
			continue;
		}
		len = strcspn(w, "]");
		w[len] = '\0';
		if (is_upper_metavar(w) && strcmp(f->pos_kind, "none") == 0)
			snprintf(f->pos_kind, sizeof f->pos_kind, "%s", positional_kind(w));
	}
}

/* ---- the outputs ---- */

/* Appends text as the body of a C string literal, one literal per line. */
static void put_c_string(struct buf *out, const char *text)
{
	const char *p = text;

	if (*p == '\0') {
		buf_puts(out, "\t\"\"");
		return;
	}
	while (*p) {
		buf_puts(out, "\t\"");
		for (; *p && *p != '\n'; p++) {
			if (*p == '\\' || *p == '"')
				buf_printf(out, "\\%c", *p);
			else if (*p == '\t')
				buf_puts(out, "\\t");
			else if (*p == '?' && p > text && p[-1] == '?')
				buf_puts(out, "\\?"); /* never a trigraph */
			else
				buf_putc(out, *p);
		}
		if (*p == '\n') {
			buf_puts(out, "\\n");
			p++;
		}
		buf_puts(out, *p ? "\"\n" : "\"");
	}
}

/* The help text of a section (the overview or a command): its synopsis after "usage: ", then its body. */
static void help_text(struct buf *out, const struct section *sec)
{
	for (int k = sec->syn_first; k < sec->syn_end; k++) {
		buf_puts(out, k == sec->syn_first ? "usage: " : "       ");
		buf_puts(out, lines[k].text + 4);
		buf_putc(out, '\n');
	}
	buf_putc(out, '\n');
	put_blocks(out, sec->syn_end, sec->end, TEXT);
}

/* The C identifier of a command name: '-' becomes '_'. */
static void c_name(char *dst, size_t cap, const char *name)
{
	snprintf(dst, cap, "%s", name);
	for (char *p = dst; *p; p++)
		if (*p == '-')
			*p = '_';
}

static void gen_c(struct buf *c, struct buf *h, const char *header_name)
{
	struct buf t = { 0 };
	char id[80];

	buf_puts(h, "/* The help texts of coseval's commands, generated from docs/commands.md by tools/gendoc.c: do not "
		    "edit. */\n#ifndef COSEVAL_CLI_HELP_H\n#define COSEVAL_CLI_HELP_H\n\n"
		    "/* `coseval help`: the section \"coseval\" of docs/commands.md as plain text. */\n"
		    "extern const char cs_help_overview[];\n");
	buf_printf(c, "/* The help texts of coseval's commands, generated from docs/commands.md by tools/gendoc.c: do not "
		      "edit. */\n#include \"%s\"\n\nconst char cs_help_overview[] =\n", header_name);
	help_text(&t, &sections[overview]);
	put_c_string(c, t.data);
	buf_puts(c, ";\n");
	for (int k = 0; k < ncommands; k++) {
		char *summary = render_inline_alloc(commands[k].summary, TEXT);

		c_name(id, sizeof id, commands[k].name);
		buf_printf(h, "\n/* %s: its summary (the command table of \"coseval\") and its help (the section \"%s\"). */\n"
			      "extern const char cs_summary_%s[];\nextern const char cs_help_%s[];\n",
			   commands[k].name, commands[k].name, id, id);
		buf_printf(c, "\nconst char cs_summary_%s[] =\n", id);
		put_c_string(c, summary);
		buf_printf(c, ";\nconst char cs_help_%s[] =\n", id);
		t.len = 0;
		help_text(&t, &sections[commands[k].section]);
		put_c_string(c, t.data);
		buf_puts(c, ";\n");
		free(summary);
	}
	buf_puts(h, "\n#endif\n");
	buf_free(&t);
}

/* Appends one synopsis line in roff: the program and command names and the options bold, metavariables
 * italic. */
static void put_roff_synopsis_line(struct buf *out, const char *l, const char *command)
{
	size_t n = strlen(l), i = 0;

	if (*l == '.' || *l == '\'')
		buf_puts(out, "\\&");
	if (starts_with(l, "coseval")) {
		buf_puts(out, "\\fBcoseval");
		i = 7;
		if (command != NULL && l[i] == ' ' && strncmp(l + i + 1, command, strlen(command)) == 0) {
			buf_putc(out, ' ');
			put_text(out, command, strlen(command), ROFF);
			i += 1 + strlen(command);
		}
		buf_puts(out, "\\fR");
	}
	while (i < n) {
		char prev = i > 0 ? l[i - 1] : ' ';
		int word_start = prev == ' ' || prev == '[' || prev == '|' || prev == '(';

		if (word_start && l[i] == '-' && i + 1 < n && ((l[i + 1] >= 'a' && l[i + 1] <= 'z') || l[i + 1] == '-')) {
			size_t len = strspn(l + i, "-abcdefghijklmnopqrstuvwxyz0123456789");

			buf_puts(out, "\\fB");
			put_text(out, l + i, len, ROFF);
			buf_puts(out, "\\fR");
			i += len;
			continue;
		}
		if (l[i] >= 'A' && l[i] <= 'Z' && !(prev >= 'a' && prev <= 'z') && !(prev >= 'A' && prev <= 'Z')) {
			size_t len = strspn(l + i, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

			if (!(l[i + len] >= 'a' && l[i + len] <= 'z')) {
				buf_puts(out, "\\fI");
				put_text(out, l + i, len, ROFF);
				buf_puts(out, "\\fR");
				i += len;
				continue;
			}
		}
		put_char(out, l, n, &i, ROFF);
	}
	buf_putc(out, '\n');
}

/* Appends the SEE ALSO section: coseval(1) and the pages of the commands that section sec mentions as
 * "coseval NAME" (every command's page for the overview). */
static void put_see_also(struct buf *out, const struct section *sec)
{
	struct buf body = { 0 };
	int first = 1;

	join_lines(&body, sec->first, sec->end, 0);
	buf_add(&body, "", 0);
	buf_puts(out, ".SH \"SEE ALSO\"\n");
	if (sec->kind != SEC_OVERVIEW) {
		buf_puts(out, ".BR coseval (1)");
		first = 0;
	}
	for (int c = 0; c < ncommands; c++) {
		int mentioned = sec->kind == SEC_OVERVIEW;
		char pattern[80];

		if (sec->kind == SEC_COMMAND && sec->command == c)
			continue;
		snprintf(pattern, sizeof pattern, "coseval %.63s", commands[c].name);
		for (const char *p = strstr(body.data, pattern); p != NULL && !mentioned; p = strstr(p + 1, pattern)) {
			char after = p[strlen(pattern)];
			if (!((after >= 'a' && after <= 'z') || after == '-'))
				mentioned = 1;
		}
		if (!mentioned)
			continue;
		buf_puts(out, first ? "" : ",\n");
		buf_puts(out, ".BR coseval\\-");
		put_text(out, commands[c].name, strlen(commands[c].name), ROFF);
		buf_puts(out, " (1)");
		first = 0;
	}
	buf_puts(out, "\n");
	buf_free(&body);
}

/* The roff heading of a page: title, NAME, SYNOPSIS, and DESCRIPTION's heading. */
static void put_man_head(struct buf *out, const char *page, const char *summary_md, const struct section *sec,
			 const char *version)
{
	char title[96], *summary = render_inline_alloc(summary_md, ROFF);

	snprintf(title, sizeof title, "%s", page);
	for (char *p = title; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	buf_puts(out, ".\\\" The coseval manual, generated from docs/commands.md by tools/gendoc.c: do not edit.\n.TH ");
	put_roff_arg(out, title);
	buf_puts(out, " 1 \"\" ");
	{
		char v[96];
		snprintf(v, sizeof v, "coseval %s", version);
		put_roff_arg(out, v);
	}
	/* no hyphenation and a ragged right margin: options and paths stay whole */
	buf_puts(out, " \"coseval manual\"\n.nh\n.ad l\n.SH NAME\n");
	put_text(out, page, strlen(page), ROFF);
	buf_puts(out, " \\- ");
	put_roff_lines(out, summary);
	buf_puts(out, ".SH SYNOPSIS\n.nf\n");
	for (int k = sec->syn_first; k < sec->syn_end; k++)
		put_roff_synopsis_line(out, lines[k].text + 4, sec->kind == SEC_COMMAND ? sec->name : NULL);
	buf_puts(out, ".fi\n.SH DESCRIPTION\n");
	free(summary);
}

/* The first sentence of the overview's first paragraph, without a leading "coseval ": coseval(1)'s NAME. */
static char *overview_summary(void)
{
	const struct section *sec = &sections[overview];
	struct block b;
	struct buf t = { 0 };
	int i = sec->syn_end;
	char *end;

	while (next_block(&i, sec->end, &b) && b.kind != BK_PARA)
		;
	if (b.kind != BK_PARA)
		fail_at(source_path, lines[sec->heading].no, "the overview has no paragraph after its synopsis");
	join_lines(&t, b.first, b.end, 0);
	buf_add(&t, "", 0);
	for (char *p = t.data; *p; p++)
		if (*p == '\n')
			*p = ' ';
	end = strstr(t.data, ". ");
	if (end != NULL)
		end[0] = '\0';
	else if (t.len > 0 && t.data[t.len - 1] == '.')
		t.data[t.len - 1] = '\0';
	if (starts_with(t.data, "coseval "))
		memmove(t.data, t.data + 8, strlen(t.data + 8) + 1);
	return t.data;
}

static void gen_man(struct buf *pages, int *npages, char names[][96], const char *version)
{
	char *summary = overview_summary();
	struct buf *p = &pages[0];

	snprintf(names[0], sizeof names[0], "coseval.1");
	put_man_head(p, "coseval", summary, &sections[overview], version);
	put_blocks(p, sections[overview].syn_end, sections[overview].end, ROFF);
	for (int s = 0; s < nsections; s++) {
		if (sections[s].kind != SEC_TOPIC)
			continue;
		{
			char heading[160];

			snprintf(heading, sizeof heading, "%s", sections[s].name);
			for (char *q = heading; *q; q++)
				if (*q >= 'a' && *q <= 'z')
					*q = (char)(*q - 'a' + 'A');
			buf_puts(p, ".SH ");
			put_roff_arg(p, heading);
			buf_putc(p, '\n');
		}
		put_blocks(p, sections[s].first, sections[s].end, ROFF);
	}
	put_see_also(p, &sections[overview]);
	free(summary);
	*npages = 1;
	for (int c = 0; c < ncommands; c++) {
		const struct section *sec = &sections[commands[c].section];
		char page[80];

		snprintf(page, sizeof page, "coseval-%.63s", commands[c].name);
		snprintf(names[*npages], sizeof names[0], "%.79s.1", page);
		p = &pages[*npages];
		put_man_head(p, page, commands[c].summary, sec, version);
		put_blocks(p, sec->syn_end, sec->end, ROFF);
		put_see_also(p, sec);
		(*npages)++;
	}
}

/* Appends the lines "opt NAME KIND" (and "pos KIND") of forms[0, n) to out, each option once. */
static void put_spec_lines(struct buf *out, const struct form *forms, int n, const char *indent)
{
	char seen[MAX_OPTS * MAX_FORMS][48];
	int nseen = 0;

	buf_printf(out, "%sprintf '%%s\\n' 'pos %s'", indent, n > 0 ? forms[0].pos_kind : "none");
	for (int f = 0; f < n; f++) {
		for (int o = 0; o < forms[f].nopts; o++) {
			int dup = 0;

			for (int k = 0; k < nseen; k++)
				if (strcmp(seen[k], forms[f].opts[o].name) == 0)
					dup = 1;
			if (dup)
				continue;
			snprintf(seen[nseen++], sizeof seen[0], "%s", forms[f].opts[o].name);
			buf_printf(out, " \\\n%s\t'opt %s %s'", indent, forms[f].opts[o].name, forms[f].opts[o].kind);
		}
	}
	buf_puts(out, "\n");
}

static void gen_completion(struct buf *out)
{
	char text[MAX_FORMS][1024];
	struct form forms[MAX_FORMS], global[MAX_FORMS];
	struct buf top = { 0 };
	int nglobal = 0, n;

	/* the overview: options of every command ("coseval COMMAND ...") and of coseval alone ("coseval --x") */
	n = synopsis_forms(&sections[overview], text, MAX_FORMS);
	for (int f = 0; f < n; f++) {
		int line = lines[sections[overview].syn_first].no;

		if (starts_with(text[f], "coseval COMMAND")) {
			parse_form(text[f], 2, &global[nglobal++], line);
		} else if (starts_with(text[f], "coseval -")) {
			struct form g;

			parse_form(text[f], 1, &g, line);
			for (int o = 0; o < g.nopts; o++)
				buf_printf(&top, " %s", g.opts[o].name);
		}
	}
	buf_puts(out, "# bash completion for coseval: commands, their subcommands, options and option values, and the\n"
		      "# run names of the database. Generated from docs/commands.md by tools/gendoc.c: do not edit.\n\n"
		      "_coseval_commands='");
	for (int c = 0; c < ncommands; c++)
		buf_printf(out, "%s%s", c ? " " : "", commands[c].name);
	buf_printf(out, "'\n_coseval_options='%s'\n\n", top.len ? top.data + 1 : "");
	buf_free(&top);
	buf_puts(out,
		 "# _coseval_spec COMMAND FIRST_ARGUMENT: what COMMAND takes, one item a line: 'sub WORD' (a subcommand),\n"
		 "# 'pos KIND' (its other arguments) and 'opt NAME KIND'. KIND: flag (no value), run, runs (a comma-separated\n"
		 "# list), file, dir, command, none (any value), or =A|B|C (one of those words).\n"
		 "_coseval_spec()\n{\n\tcase $1 in\n");
	for (int c = 0; c < ncommands; c++) {
		const struct section *sec = &sections[commands[c].section];
		int has_subs = 0;

		n = synopsis_forms(sec, text, MAX_FORMS);
		for (int f = 0; f < n; f++) {
			parse_form(text[f], 2, &forms[f], lines[sec->syn_first].no);
			if (forms[f].subs[0] != '\0')
				has_subs = 1;
		}
		buf_printf(out, "\t%s)\n", commands[c].name);
		if (!has_subs) {
			put_spec_lines(out, forms, n, "\t\t");
			buf_puts(out, "\t\t;;\n");
			continue;
		}
		buf_puts(out, "\t\tprintf '%s\\n'");
		for (int f = 0; f < n; f++) {
			char subs[160], *save = NULL;

			memcpy(subs, forms[f].subs, sizeof subs);
			for (char *w = strtok_r(subs, "|", &save); w != NULL; w = strtok_r(NULL, "|", &save))
				buf_printf(out, " 'sub %s'", w);
		}
		buf_puts(out, "\n\t\tcase $2 in\n");
		for (int f = 0; f < n; f++) {
			if (forms[f].subs[0] == '\0')
				continue;
			buf_printf(out, "\t\t%s)\n", forms[f].subs);
			put_spec_lines(out, &forms[f], 1, "\t\t\t");
			buf_puts(out, "\t\t\t;;\n");
		}
		buf_puts(out, "\t\t*)\n");
		put_spec_lines(out, forms, n, "\t\t\t");
		buf_puts(out, "\t\t\t;;\n\t\tesac\n\t\t;;\n");
	}
	buf_puts(out, "\tesac\n");
	for (int f = 0; f < nglobal; f++)
		for (int o = 0; o < global[f].nopts; o++)
			buf_printf(out, "\techo 'opt %s %s'\n", global[f].opts[o].name, global[f].opts[o].kind);
	buf_puts(out, "}\n\n");
	buf_puts(out,
		 "# _coseval_add WORD...: adds to COMPREPLY the words that start with $cur.\n"
		 "_coseval_add()\n{\n\tlocal w\n\tfor w in \"$@\"; do\n\t\t[[ $w == \"$cur\"* ]] && COMPREPLY+=(\"$w\")\n"
		 "\tdone\n}\n\n"
		 "# _coseval_runs PREFIX: adds to COMPREPLY PREFIX followed by each run name that, so prefixed, starts with\n"
		 "# $cur: the runs of the database named on the command line (--db PATH), else of $COSEVAL_DB or\n"
		 "# ./coseval.db, as 'coseval runs --names' lists them (nothing when there is no such database).\n"
		 "_coseval_runs()\n{\n"
		 "\tlocal prefix=$1 prog=${COMP_WORDS[0]} db= name i\n"
		 "\tfor ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do\n"
		 "\t\tif [[ ${COMP_WORDS[i]} == --db ]]; then\n"
		 "\t\t\tdb=${COMP_WORDS[i + 1]-}\n"
		 "\t\t\t[[ $db == = ]] && db=${COMP_WORDS[i + 2]-}\n"
		 "\t\telif [[ ${COMP_WORDS[i]} == --db=* ]]; then\n"
		 "\t\t\tdb=${COMP_WORDS[i]#--db=}\n"
		 "\t\tfi\n"
		 "\tdone\n"
		 "\tprog=${prog/#\\~/$HOME}\n"
		 "\tdb=${db/#\\~/$HOME}\n"
		 "\twhile IFS= read -r name; do\n"
		 "\t\t[[ $prefix$name == \"$cur\"* ]] && COMPREPLY+=(\"$prefix$name\")\n"
		 "\tdone < <(\"$prog\" runs --names --wait 1 ${db:+--db \"$db\"} 2>/dev/null)\n"
		 "}\n\n"
		 "# _coseval_value KIND: completes $cur as a value of that kind (see _coseval_spec).\n"
		 "_coseval_value()\n{\n"
		 "\tcase $1 in\n"
		 "\trun) _coseval_runs '' ;;\n"
		 "\truns) if [[ $cur == *,* ]]; then _coseval_runs \"${cur%,*},\"; else _coseval_runs ''; fi ;;\n"
		 "\tfile) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- \"$cur\") ;;\n"
		 "\tdir) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- \"$cur\") ;;\n"
		 "\tcommand) _coseval_add $_coseval_commands ;;\n"
		 "\t=*)\n\t\tlocal IFS='|'\n\t\t_coseval_add ${1#=}\n\t\t;;\n"
		 "\tesac\n}\n\n"
		 "_coseval()\n{\n"
		 "\tlocal cur=${COMP_WORDS[COMP_CWORD]-} prev= what name kind pos_kind=none opt_kind=\n"
		 "\tlocal -a subs=() opts=()\n"
		 "\tCOMPREPLY=()\n"
		 "\t((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
		 "\t# bash splits --option=value at '=' (COMP_WORDBREAKS)\n"
		 "\tif [[ $cur == = ]]; then\n\t\tcur=\n"
		 "\telif [[ $prev == = ]] && ((COMP_CWORD > 1)); then\n\t\tprev=${COMP_WORDS[COMP_CWORD - 2]}\n\tfi\n"
		 "\tif ((COMP_CWORD <= 1)); then\n"
		 "\t\t_coseval_add $_coseval_commands $_coseval_options\n"
		 "\t\treturn 0\n\tfi\n"
		 "\twhile read -r what name kind; do\n"
		 "\t\tcase $what in\n"
		 "\t\tsub) subs+=(\"$name\") ;;\n"
		 "\t\tpos) pos_kind=$name ;;\n"
		 "\t\topt)\n\t\t\topts+=(\"$name\")\n\t\t\t[[ $name == \"$prev\" ]] && opt_kind=$kind\n\t\t\t;;\n"
		 "\t\tesac\n"
		 "\tdone < <(_coseval_spec \"${COMP_WORDS[1]}\" \"${COMP_WORDS[2]-}\")\n"
		 "\tif [[ -n $opt_kind && $opt_kind != flag ]]; then\n"
		 "\t\t_coseval_value \"$opt_kind\"\n"
		 "\telif [[ $cur == -* ]]; then\n"
		 "\t\t_coseval_add \"${opts[@]}\"\n"
		 "\telif ((COMP_CWORD == 2 && ${#subs[@]} > 0)); then\n"
		 "\t\t_coseval_add \"${subs[@]}\"\n"
		 "\telse\n"
		 "\t\t_coseval_value \"$pos_kind\"\n"
		 "\tfi\n"
		 "\treturn 0\n}\n\n"
		 "complete -F _coseval coseval\n");
}

static void usage(void)
{
	fprintf(stderr, "usage: gendoc --source commands.md --table command_table.c --version V --c OUT.c --header OUT.h\n"
			"              --man-dir DIR --completion FILE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *version = NULL, *c_path = NULL, *h_path = NULL, *man_dir = NULL, *completion_path = NULL;
	struct buf c = { 0 }, h = { 0 }, completion = { 0 }, pages[MAX_COMMANDS + 1];
	char names[MAX_COMMANDS + 1][96];
	const char *header_name;
	int npages = 0;

	for (int i = 1; i < argc; i++) {
		const char **target = NULL;

		if (strcmp(argv[i], "--source") == 0)
			target = &source_path;
		else if (strcmp(argv[i], "--table") == 0)
			target = &table_path;
		else if (strcmp(argv[i], "--version") == 0)
			target = &version;
		else if (strcmp(argv[i], "--c") == 0)
			target = &c_path;
		else if (strcmp(argv[i], "--header") == 0)
			target = &h_path;
		else if (strcmp(argv[i], "--man-dir") == 0)
			target = &man_dir;
		else if (strcmp(argv[i], "--completion") == 0)
			target = &completion_path;
		if (target == NULL || i + 1 == argc)
			usage();
		*target = argv[++i];
	}
	if (!source_path || !table_path || !version || !c_path || !h_path || !man_dir || !completion_path)
		usage();
	header_name = strrchr(h_path, '/') ? strrchr(h_path, '/') + 1 : h_path;

	load_table();
	load_source();
	find_sections();
	find_synopses();
	read_command_list();

	memset(pages, 0, sizeof pages);
	gen_c(&c, &h, header_name);
	gen_man(pages, &npages, names, version);
	gen_completion(&completion);

	write_file(c_path, c.data, c.len);
	write_file(h_path, h.data, h.len);
	for (int k = 0; k < npages; k++) {
		char path[4096];

		if (snprintf(path, sizeof path, "%s/%s", man_dir, names[k]) >= (int)sizeof path)
			fail_at(man_dir, 0, "path too long");
		write_file(path, pages[k].data, pages[k].len);
		buf_free(&pages[k]);
	}
	write_file(completion_path, completion.data, completion.len);

	buf_free(&c);
	buf_free(&h);
	buf_free(&completion);
	free(lines);
	free(source_text);
	free(table_text);
	return 0;
}
