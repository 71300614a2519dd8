/* Writing text safely into an HTML page: escaped element text and attributes, and script-safe JSON. */
#include "html.h"

#include <string.h>

void cs_html_escape(FILE *f, const char *text)
{
	for (const char *p = text; p != NULL && *p != '\0'; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*p, f);
		}
	}
}

/* Writes the escaped bytes of a JSON string's content (no quotes). */
static void json_body(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"')
			fputs("\\\"", f);
		else if (c == '\\')
			fputs("\\\\", f);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\r')
			fputs("\\r", f);
		else if (c < 0x20 || c == '<' || c == '>' || c == '&')
			fprintf(f, "\\u%04x", c);
		else if (c == 0xe2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
			 ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)) {
			fputs((unsigned char)s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029", f);
			i += 2;
		} else
			fputc(c, f);
	}
}

void cs_html_json_string(FILE *f, const char *s, size_t len)
{
	if (s == NULL) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	json_body(f, s, len);
	fputc('"', f);
}

void cs_html_json_str(FILE *f, const char *s)
{
	cs_html_json_string(f, s, s ? strlen(s) : 0);
}

void cs_html_json_raw(FILE *f, const char *json)
{
	for (const char *p = json; p != NULL && *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '<' || c == '>' || c == '&')
			fprintf(f, "\\u%04x", c);
		else if (c == 0xe2 && (unsigned char)p[1] == 0x80 &&
			 ((unsigned char)p[2] == 0xa8 || (unsigned char)p[2] == 0xa9)) {
			fputs((unsigned char)p[2] == 0xa8 ? "\\u2028" : "\\u2029", f);
			p += 2;
		} else
			fputc(c, f);
	}
}

/* The largest position <= pos that starts a UTF-8 character of text (len bytes). */
static size_t char_start(const char *text, size_t len, size_t pos)
{
	if (pos >= len)
		return len;
	while (pos > 0 && ((unsigned char)text[pos] & 0xc0) == 0x80)
		pos--;
	return pos;
}

/* The position of the last occurrence of needle (nlen > 0 bytes) in text (len bytes), or len when none. */
static size_t last_occurrence(const char *text, size_t len, const char *needle, size_t nlen)
{
	if (nlen == 0 || nlen > len)
		return len;
	for (size_t i = len - nlen + 1; i-- > 0;)
		if (memcmp(text + i, needle, nlen) == 0)
			return i;
	return len;
}

#define ANSWER_WINDOW 200

size_t cs_html_json_text(FILE *f, const char *text, size_t max, const char *answer)
{
	size_t len = text ? strlen(text) : 0, alen = answer ? strlen(answer) : 0;
	size_t start[3], end[3], cut = 0;
	int n = 0;

	if (max == 0 || len <= max) {
		cs_html_json_string(f, text ? text : "", len);
		return 0;
	}
	/* the kept parts, in order: the head, a window around the answer when the cut would hide it, the tail */
	start[n] = 0;
	end[n++] = char_start(text, len, max / 2);
	{
		size_t at = last_occurrence(text, len, answer, alen), tail = char_start(text, len, len - max / 2);
		if (at < len && at + alen > end[0] && at < tail) {
			size_t ws = at > ANSWER_WINDOW ? at - ANSWER_WINDOW : 0;
			size_t we = at + alen + ANSWER_WINDOW < len ? at + alen + ANSWER_WINDOW : len;
			start[n] = char_start(text, len, ws);
			end[n++] = char_start(text, len, we);
		}
		start[n] = tail;
		end[n++] = len;
	}
	/* merge parts that touch or overlap */
	for (int i = 1; i < n; i++)
		if (start[i] <= end[i - 1]) {
			if (end[i] > end[i - 1])
				end[i - 1] = end[i];
			for (int j = i; j + 1 < n; j++) {
				start[j] = start[j + 1];
				end[j] = end[j + 1];
			}
			n--;
			i--;
		}
	if (n == 1) {
		cs_html_json_string(f, text + start[0], end[0] - start[0]);
		return 0;
	}
	fputc('[', f);
	for (int i = 0; i < n; i++) {
		if (i > 0) {
			fprintf(f, ",%zu,", start[i] - end[i - 1]);
			cut += start[i] - end[i - 1];
		}
		cs_html_json_string(f, text + start[i], end[i] - start[i]);
	}
	fputc(']', f);
	return cut;
}
