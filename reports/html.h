/* Writing text safely into an HTML page: escaped element text and attributes, and JSON that may sit inside
 * a <script type="application/json"> block. */
#ifndef COSEVAL_HTML_H
#define COSEVAL_HTML_H

#include <stddef.h>
#include <stdio.h>

/* Every function writes to f (caller-owned) and reports nothing: the caller checks ferror(f) at the end. */

/* Writes text (NULL: nothing) with &, <, >, " and ' replaced by character references, so that it reads as
 * text both between tags and inside a quoted attribute value. */
void cs_html_escape(FILE *f, const char *text);

/* Writes the len bytes of s as a JSON string (with its quotes) that is safe inside a script element: besides
 * the escapes JSON needs (" \ and the control characters), <, > and & are written as \u003c, \u003e and
 * \u0026 (so no "</script>" or "<!--" can appear), and U+2028 and U+2029 as \u2028 and \u2029. s is UTF-8;
 * it is written byte for byte otherwise. NULL is written as null. */
void cs_html_json_string(FILE *f, const char *s, size_t len);

/* cs_html_json_string of a NUL-terminated string (NULL: null). */
void cs_html_json_str(FILE *f, const char *s);

/* Copies JSON text (as SQLite's JSON functions write it) to f with the same replacements inside its
 * strings as cs_html_json_string; <, > and & occur only inside strings in JSON, so every one is replaced. */
void cs_html_json_raw(FILE *f, const char *json);

/* Writes a sample text as a JSON value for the page. When max is 0 or the text has at most max bytes: the
 * text as a string. Otherwise an array of strings with the number of bytes left out between each two:
 * ["head", 1234, "tail"] or, when the last occurrence of answer (may be NULL) lies in the part left out,
 * ["head", 800, "...answer...", 400, "tail"]. The head and the tail are about max / 2 bytes each, the
 * window around the answer about 200 bytes on each side of it; every cut falls on a UTF-8 character
 * boundary. Returns the number of bytes left out (0 when the text is whole). */
size_t cs_html_json_text(FILE *f, const char *text, size_t max, const char *answer);

#endif
