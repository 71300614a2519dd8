/* The options that report, pair and compare share: uniqueness, confidence level, bootstrap size, seed. */
#ifndef COSEVAL_SCORE_OPTIONS_H
#define COSEVAL_SCORE_OPTIONS_H

#include "score/score.h"

/* Parses --unique, --ci, --bootstrap and --seed (each NULL when not given) into o; defaults: exact, 0.95,
 * 1000, 1. Prints a usage error and returns 2 on a bad value, else 0. */
int cs_parse_score_options(const char *unique, const char *ci, const char *boot, const char *seed,
			   struct cs_score_opts *o);

#endif
