/* Parsing the scoring options shared by several commands. */
#include "cli/args.h"
#include "cli/score_options.h"

#include <stdio.h>
#include <stdlib.h>

int cs_parse_score_options(const char *unique, const char *ci, const char *boot, const char *seed,
			   struct cs_score_opts *o)
{
	char *end;
	double level = 0.95;
	long replicates = 1000;

	o->unique = CS_UNIQUE_EXACT;
	if (unique != NULL && cs_unique_parse(unique, &o->unique) != 0) {
		fprintf(stderr, "coseval: --unique is exact, normalized or answer\n");
		return 2;
	}
	if (ci != NULL) {
		level = strtod(ci, &end);
		if (*end != '\0' || !(level > 0.0 && level < 1.0)) {
			fprintf(stderr, "coseval: --ci wants a level between 0 and 1 such as 0.95\n");
			return 2;
		}
	}
	if (boot != NULL) {
		replicates = strtol(boot, &end, 10);
		if (*end != '\0' || end == boot || replicates < 2 || replicates > 1000000) {
			fprintf(stderr, "coseval: --bootstrap wants a number of replicates between 2 and 1000000, got '%s'\n",
				boot);
			return 2;
		}
	}
	o->ci = level;
	o->replicates = (int)replicates;
	o->seed = 1;
	if (seed != NULL) {
		o->seed = strtoull(seed, &end, 10);
		if (*end != '\0' || seed[0] == '-' || seed[0] == '\0') {
			fprintf(stderr, "coseval: --seed wants a non-negative whole number\n");
			return 2;
		}
	}
	return 0;
}
