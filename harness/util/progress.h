/* A progress line on standard error for long commands (import, grade, report): drawn only when standard
 * error is a terminal and --quiet was not given, rewritten in place with a carriage return at most five
 * times a second, and cleared before anything else is written to standard error. Standard output is never
 * touched. */
#ifndef COSEVAL_PROGRESS_H
#define COSEVAL_PROGRESS_H

#include <stddef.h>

/* One progress line; the caller owns it (on its stack) and uses it from one thread. */
struct cs_progress {
	int on;          /* drawing: set by cs_progress_begin */
	int columns;     /* the terminal's width, or 80 */
	double start;    /* when it began, in seconds of the monotonic clock */
	double next;     /* the earliest time of the next redraw */
	int shown;       /* the width of the line now on the terminal, 0 when none is */
};

/* Sets, for every later cs_progress_begin in this process, whether progress is wanted (the --quiet option
 * turns it off). */
void cs_progress_set_quiet(int quiet);

/* 1 when a progress line would be drawn: standard error is a terminal and --quiet was not given. */
int cs_progress_wanted(void);

/* Starts a progress line: p->on is cs_progress_wanted(); nothing is drawn yet. */
void cs_progress_begin(struct cs_progress *p);

/* 1 when the line is on and due for a redraw (the first call, then at most every 0.2 s); the caller then
 * formats and calls cs_progress_show. Cheap: one read of the clock, so it may be called per record. */
int cs_progress_due(struct cs_progress *p);

/* Seconds since cs_progress_begin. */
double cs_progress_elapsed(const struct cs_progress *p);

/* Draws the line formatted by fmt in place of the previous one (cut to the terminal's width) when p is on,
 * whether or not it is due. */
void cs_progress_show(struct cs_progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Clears the line from the terminal (the cursor ends at the start of an empty line), for something else to
 * be written there, such as a result on standard output; the next draw still waits until it is due. */
void cs_progress_clear(struct cs_progress *p);

/* Clears the line and turns p off; call it before writing anything else to standard error. Safe on a line
 * never drawn or already ended. */
void cs_progress_end(struct cs_progress *p);

/* Writes into buf ", RATE UNIT/s" for done units in elapsed seconds (RATE shortened with k or M from 10,000
 * on); "" until there is a rate to speak of. */
void cs_progress_rate(char *buf, size_t size, double done, double elapsed, const char *unit);

/* Writes into buf ", TIME left" (such as "42 s", "3 min 05 s", "2 h 07 min"; at least "1 s") for the share
 * fraction of the work done in elapsed seconds, at the same pace; "" before 1% and half a second, and at 1. */
void cs_progress_eta(char *buf, size_t size, double fraction, double elapsed);

#endif
