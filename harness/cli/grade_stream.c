/* `coseval grade --stream`: reads JSON Lines samples on standard input and writes one verdict per line on
 * standard output, in input order, without a database (a map step for Spark, Hadoop streaming, parallel). */
#include "cli/grade_stream.h"
#include "cli/args.h"
#include "grade/stream.h"

#include <stdio.h>
#include <unistd.h>

int cmd_grade_stream(int argc, char **argv)
{
	const char *threads_text = NULL, *pattern = NULL, *profile_name = "generic";
	int stream = 0;
	struct cs_list maps = { 0 };
	const struct cs_opt opts[] = {
		{ "--stream", CS_OPT_FLAG, &stream }, { "--profile", CS_OPT_VALUE, &profile_name },
		{ "--threads", CS_OPT_VALUE, &threads_text }, { "--answer-pattern", CS_OPT_VALUE, &pattern },
		{ "--map", CS_OPT_LIST, &maps }, { NULL, 0, NULL }
	};
	struct cs_stream_opts opt = { 0 };
	struct cs_stream_stats stats;
	struct cs_fieldmap map;
	struct cs_err err;
	long threads = 0;
	int npos, rc;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0)
		return 2;
	if (threads_text != NULL && (cs_parse_count("--threads", threads_text, &threads) != 0 || threads > 64)) {
		if (threads > 64)
			fprintf(stderr, "coseval grade: --threads is at most 64\n");
		return 2;
	}
	if (cs_profile_parse(profile_name, &opt.profile) != 0) {
		fprintf(stderr, "coseval grade: unknown profile '%s' (math, gsm8k or generic)\n", profile_name);
		return 2;
	}
	if (threads == 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		threads = cores > 0 ? (cores > 64 ? 64 : cores) : 1;
	}
	rc = cs_stream_fieldmap(&map, &err);
	for (size_t i = 0; rc == 0 && i < maps.count; i++)
		rc = cs_fieldmap_option(&map, maps.items[i], &err);
	if (rc == 0) {
		opt.threads = (int)threads;
		opt.answer_pattern = pattern;
		opt.name = "<stdin>";
		opt.map = &map;
		rc = cs_grade_stream(stdin, stdout, &opt, &stats, &err);
	}
	if (rc == 0 && fflush(stdout) != 0) {
		fprintf(stderr, "coseval grade: cannot write the verdicts\n");
		rc = 5;
	} else if (rc != 0) {
		fprintf(stderr, "coseval grade: %s\n", err.msg);
	}
	cs_fieldmap_free(&map);
	return rc;
}
