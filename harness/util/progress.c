/* The progress line on standard error: only on a terminal, at most five redraws a second, cleared at the end. */
#include "util/progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define REDRAW_SECONDS 0.2

static int quiet;

void cs_progress_set_quiet(int q)
{
	quiet = q;
}

int cs_progress_wanted(void)
{
	return !quiet && isatty(STDERR_FILENO);
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cs_progress_begin(struct cs_progress *p)
{
	struct winsize ws;

	memset(p, 0, sizeof *p);
	p->on = cs_progress_wanted();
	p->columns = 80;
	if (p->on && ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		p->columns = ws.ws_col;
	p->start = now_seconds();
}

int cs_progress_due(struct cs_progress *p)
{
	double now;

	if (!p->on)
		return 0;
	now = now_seconds();
	if (now < p->next)
		return 0;
	p->next = now + REDRAW_SECONDS;
	return 1;
}

double cs_progress_elapsed(const struct cs_progress *p)
{
	return now_seconds() - p->start;
}

void cs_progress_show(struct cs_progress *p, const char *fmt, ...)
{
	char text[512], line[1100];
	int len, width, at = 0;
	va_list ap;

	if (!p->on)
		return;
	va_start(ap, fmt);
	len = vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	/* one column short of the width, so that the line never wraps (a carriage return would then go back
	 * to the start of its last row only) */
	width = len < (int)sizeof text ? len : (int)sizeof text - 1;
	if (width > p->columns - 1)
		width = p->columns - 1 > 0 ? p->columns - 1 : 0;
	/* not inside a UTF-8 character; no control characters (a file name may hold any) */
	while (width > 0 && width < len && ((unsigned char)text[width] & 0xC0) == 0x80)
		width--;
	for (int i = 0; i < width; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			text[i] = '?';
	line[at++] = '\r';
	memcpy(line + at, text, (size_t)width);
	at += width;
	/* blank out what is left of a longer previous line */
	if (p->shown > width) {
		memset(line + at, ' ', (size_t)(p->shown - width));
		at += p->shown - width;
	} else {
		p->shown = width;
	}
	fwrite(line, 1, (size_t)at, stderr);
	fflush(stderr);
}

void cs_progress_clear(struct cs_progress *p)
{
	char line[1100];
	int at = 0;

	if (p->on && p->shown > 0) {
		line[at++] = '\r';
		memset(line + at, ' ', (size_t)p->shown);
		at += p->shown;
		line[at++] = '\r';
		fwrite(line, 1, (size_t)at, stderr);
		fflush(stderr);
	}
	p->shown = 0;
}

void cs_progress_end(struct cs_progress *p)
{
	cs_progress_clear(p);
	p->on = 0;
}

/* Writes a duration such as "42 s", "3 min 05 s" or "2 h 07 min" into buf. */
static void duration_text(char *buf, size_t size, double seconds)
{
	long s = seconds < 1 ? 1 : (long)(seconds + 0.5);

	if (s < 60)
		snprintf(buf, size, "%ld s", s);
	else if (s < 3600)
		snprintf(buf, size, "%ld min %02ld s", s / 60, s % 60);
	else
		snprintf(buf, size, "%ld h %02ld min", s / 3600, s / 60 % 60);
}

void cs_progress_rate(char *buf, size_t size, double done, double elapsed, const char *unit)
{
	double rate;

	buf[0] = '\0';
	if (elapsed < 0.1 || done <= 0)
		return;
	rate = done / elapsed;
	if (rate >= 1e6)
		snprintf(buf, size, ", %.1fM %s/s", rate / 1e6, unit);
	else if (rate >= 1e4)
		snprintf(buf, size, ", %.0fk %s/s", rate / 1e3, unit);
	else
		snprintf(buf, size, ", %.0f %s/s", rate, unit);
}

void cs_progress_eta(char *buf, size_t size, double fraction, double elapsed)
{
	char left[32];

	buf[0] = '\0';
	/* the pace of the first moments (opening, a first batch) says little about the rest */
	if (elapsed < 0.5 || fraction < 0.01 || fraction >= 1)
		return;
	duration_text(left, sizeof left, elapsed * (1 - fraction) / fraction);
	snprintf(buf, size, ", %s left", left);
}
