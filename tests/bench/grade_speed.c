/* Benchmark: grades every sample of the real GSM8K and MATH dumps and prints samples per second and the slowest pair. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grade/grade.h"

struct sample {
	const char *set;
	int line;
	enum cs_profile profile;
	char *gold;
	char *text;
	size_t len;
	double best;  /* fastest of the rounds, so that one preemption does not count as slowness */
};

struct bench {
	struct sample *v;
	size_t n, cap;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int add(struct bench *b, const char *set, int line, enum cs_profile p, const char *gold, const char *text)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 1024;
		struct sample *v = realloc(b->v, cap * sizeof *v);
		if (v == NULL)
			return -1;
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n].set = set;
	b->v[b->n].line = line;
	b->v[b->n].profile = p;
	b->v[b->n].gold = strdup(gold);
	b->v[b->n].text = strdup(text);
	b->v[b->n].len = strlen(text);
	b->v[b->n].best = 1e9;
	if (b->v[b->n].gold == NULL || b->v[b->n].text == NULL)
		return -1;
	b->n++;
	return 0;
}

/* Loads one dump; kind 0: GSM8K example_model_solutions, 1: Qwen2.5-Math, 2: ToRA GSM8K outputs. */
static int load(struct bench *b, const char *dir, const char *rel, int kind, const struct cs_grader *gsm)
{
	static const char *const fields[4] = { "6b_finetuning", "6b_verification", "175b_finetuning",
					       "175b_verification" };
	char path[4096], *line = NULL;
	size_t cap = 0;
	int lineno = 0, rc = 0;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "grade_speed: cannot open %s\n", path);
		return -1;
	}
	while (rc == 0 && getline(&line, &cap, f) >= 0) {
		cJSON *row = cJSON_Parse(line);
		lineno++;
		if (row == NULL) {
			fprintf(stderr, "%s:%d: bad JSON\n", path, lineno);
			rc = -1;
			break;
		}
		if (kind == 0) {
			const char *truth = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "ground_truth"));
			struct cs_extraction ex = { NULL, "none", NULL };
			if (truth != NULL && cs_extract(gsm, truth, strlen(truth), &ex, NULL) == CS_OK && ex.answer != NULL)
				for (int k = 0; k < 4 && rc == 0; k++) {
					const char *s = cJSON_GetStringValue(
						cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(row, fields[k]), "solution"));
					if (s != NULL)
						rc = add(b, rel, lineno, CS_PROFILE_GSM8K, ex.answer, s);
				}
			free(ex.answer);
		} else if (kind == 1) {
			const char *gold = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "answer"));
			cJSON *code = cJSON_GetObjectItemCaseSensitive(row, "code");
			for (int k = 0; gold != NULL && k < cJSON_GetArraySize(code) && rc == 0; k++)
				rc = add(b, rel, lineno, CS_PROFILE_MATH, gold, cJSON_GetStringValue(cJSON_GetArrayItem(code, k)));
		} else {
			const char *gold = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "gt"));
			cJSON *code = cJSON_GetObjectItemCaseSensitive(row, "code");
			for (int k = 0; gold != NULL && k < cJSON_GetArraySize(code) && rc == 0; k++)
				rc = add(b, rel, lineno, CS_PROFILE_GSM8K, gold, cJSON_GetStringValue(cJSON_GetArrayItem(code, k)));
		}
		cJSON_Delete(row);
	}
	free(line);
	fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("COSEVAL_DATA");
	int rounds = argc > 2 ? atoi(argv[2]) : 20;
	struct cs_grader *g[3] = { NULL, NULL, NULL };
	struct bench b = { NULL, 0, 0 };
	double t0, total, worst = 0.0;
	size_t worst_i = 0, graded = 0, correct = 0;
	int status = 0;

	if (dir == NULL)
		dir = "../shared/data";
	for (int k = 0; k < 3; k++)
		if (cs_grader_new((enum cs_profile)k, NULL, &g[k], NULL) != CS_OK) {
			fprintf(stderr, "grade_speed: cannot create a grader\n");
			status = 5;
			goto out;
		}
	t0 = now();
	if (load(&b, dir, "gsm8k/example_model_solutions.jsonl", 0, g[CS_PROFILE_GSM8K]) != 0 ||
	    load(&b, dir, "qwen25_math/math_cot_100.jsonl", 1, NULL) != 0 ||
	    load(&b, dir, "tora/gsm8k_test_tora-70b-v1.0_greedy.jsonl", 2, NULL) != 0 ||
	    load(&b, dir, "tora/gsm8k_test_tora-code-34b-v1.0_greedy.jsonl", 2, NULL) != 0) {
		status = 3;
		goto out;
	}
	printf("loaded %zu samples in %.3f s\n", b.n, now() - t0);
	t0 = now();
	for (int r = 0; r < rounds; r++) {
		for (size_t i = 0; i < b.n; i++) {
			struct cs_grade gr;
			double s = now(), d;
			if (cs_grade_sample(g[b.v[i].profile], b.v[i].gold, b.v[i].text, b.v[i].len, &gr, NULL) != CS_OK) {
				fprintf(stderr, "grade_speed: grading failed\n");
				status = 5;
				goto out;
			}
			d = now() - s;
			if (d < b.v[i].best)
				b.v[i].best = d;
			if (r == 0 && strcmp(gr.verdict, "correct") == 0)
				correct++;
			graded++;
			cs_grade_clear(&gr);
		}
	}
	total = now() - t0;
	for (size_t i = 0; i < b.n; i++)
		if (b.v[i].best > worst) {
			worst = b.v[i].best;
			worst_i = i;
		}
	printf("graded %zu samples (%d rounds of %zu) in %.3f s: %.0f samples/s, %.2f us/sample; %zu of %zu correct\n",
	       graded, rounds, b.n, total, (double)graded / total, 1e6 * total / (double)graded, correct, b.n);
	if (b.n > 0)
		printf("slowest pair (fastest of %d rounds): %.1f us, %s:%d, gold \"%s\", text of %zu bytes\n", rounds, worst * 1e6, b.v[worst_i].set,
		       b.v[worst_i].line, b.v[worst_i].gold, b.v[worst_i].len);
	if (fflush(stdout) != 0)
		status = 5;
out:
	for (size_t i = 0; i < b.n; i++) {
		free(b.v[i].gold);
		free(b.v[i].text);
	}
	free(b.v);
	for (int k = 0; k < 3; k++)
		cs_grader_free(g[k]);
	return status;
}
