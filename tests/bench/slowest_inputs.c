/* Benchmark: the fuzz corpora's inputs (and a campaign's) that the grader is slowest on; exit 1 over 1 ms. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "grade/grade.h"

#define BUDGET_US 1000.0
#define ROUNDS 3
#define SHOW 20

/* What an input is fed to, as the fuzz target of the same name does. */
enum kind { K_COMPARE, K_EXTRACT };

struct input {
	char *path;
	enum kind kind;
	unsigned char *data;
	size_t size;
	double us;  /* fastest of the rounds, so that one preemption does not count as slowness */
};

struct inputs {
	struct input *v;
	size_t n, cap;
};

static struct cs_grader *graders[3];

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec * 1e-3;
}

/* Reads the whole file path into a malloc'd buffer; NULL when it cannot. */
static unsigned char *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long len;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		goto out;
	buf = malloc((size_t)len + 1);
	if (buf == NULL)
		goto out;
	if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
		goto out;
	}
	*size = (size_t)len;
out:
	fclose(f);
	return buf;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds every regular file of dir as an input of kind k (in name order); returns how many, -1 on an error. A
 * folder that does not exist is no error when optional is set (git keeps no empty corpus folder). */
static int add_dir(struct inputs *in, const char *dir, enum kind k, int optional)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int added = 0;

	if (d == NULL && optional && errno == ENOENT) {
		fprintf(stderr, "bench_slowest_inputs: no %s (no inputs of that target)\n", dir);
		return 0;
	}
	if (d == NULL) {
		fprintf(stderr, "bench_slowest_inputs: cannot open %s\n", dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **v = realloc(names, (cap = cap ? 2 * cap : 256) * sizeof *v);
			if (v == NULL)
				break;
			names = v;
		}
		names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
		if (names[n] == NULL)
			break;
		sprintf(names[n], "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, by_name);
	for (size_t j = 0; j < n; j++) {
		struct stat st;
		struct input *x;
		if (stat(names[j], &st) != 0 || !S_ISREG(st.st_mode)) {
			free(names[j]);
			continue;
		}
		if (in->n == in->cap) {
			struct input *v = realloc(in->v, (in->cap = in->cap ? 2 * in->cap : 1024) * sizeof *v);
			if (v == NULL) {
				free(names[j]);
				continue;
			}
			in->v = v;
		}
		x = &in->v[in->n];
		x->path = names[j];
		x->kind = k;
		x->us = 0;
		x->data = slurp(names[j], &x->size);
		if (x->data == NULL) {
			fprintf(stderr, "bench_slowest_inputs: cannot read %s\n", names[j]);
			free(names[j]);
			continue;
		}
		in->n++;
		added++;
	}
	free(names);
	return added;
}

/* One comparison of the input in one argument order (the fuzz target's split: the first byte picks the profile,
 * the rest is gold, a newline, pred); its time in microseconds, or a negative value when the target would skip
 * the input. */
static double time_compare(const struct input *x, int swap)
{
	char *buf, *gold, *pred;
	const char *reason = "";
	int equal = 0;
	double t0, t1;
	enum cs_profile p;

	if (x->size < 1 || x->size > 8192)
		return -1;
	p = (enum cs_profile)(x->data[0] % 3);
	buf = malloc(x->size);
	if (buf == NULL)
		return -1;
	memcpy(buf, x->data + 1, x->size - 1);
	buf[x->size - 1] = '\0';
	gold = buf;
	pred = strchr(buf, '\n');
	if (pred != NULL)
		*pred++ = '\0';
	else
		pred = buf;
	if (swap) {
		char *t = gold;
		gold = pred;
		pred = t;
	}
	t0 = now_us();
	cs_compare(p, gold, pred, &equal, &reason, NULL);
	t1 = now_us();
	free(buf);
	return t1 - t0;
}

/* Grading of one text against the gold answer 42 (the fuzz target's split: the first byte picks the profile
 * and whether the text was stopped at its length limit); its time in microseconds, or a negative value. */
static double time_extract(const struct input *x)
{
	struct cs_grade gr;
	enum cs_profile p;
	unsigned flags;
	double t0, t1;
	int rc;

	if (x->size < 1 || x->size > 65536)
		return -1;
	p = (enum cs_profile)(x->data[0] % 3);
	flags = (x->data[0] & 0x10) ? CS_TEXT_STOPPED : 0;
	t0 = now_us();
	rc = cs_grade_sample_flags(graders[p], "42", (const char *)x->data + 1, x->size - 1, flags, &gr, NULL);
	t1 = now_us();
	if (rc == CS_OK)
		cs_grade_clear(&gr);
	return t1 - t0;
}

/* The input's time: the fastest of ROUNDS runs (a comparison: of the slower argument order). */
static double time_input(const struct input *x)
{
	double best[2] = { -1, -1 };

	for (int r = 0; r < ROUNDS; r++) {
		for (int swap = 0; swap < (x->kind == K_COMPARE ? 2 : 1); swap++) {
			double us = x->kind == K_COMPARE ? time_compare(x, swap) : time_extract(x);
			if (us < 0)
				return -1;
			if (best[swap] < 0 || us < best[swap])
				best[swap] = us;
		}
	}
	return best[1] > best[0] ? best[1] : best[0];
}

static int slower_first(const void *a, const void *b)
{
	const struct input *x = a, *y = b;

	return (x->us < y->us) - (x->us > y->us);
}

/* The kind of a folder given on the command line: "compare:DIR" / "extract:DIR", else from its name. */
static int parse_dir_arg(const char *arg, const char **dir, enum kind *k)
{
	const char *base;

	if (strncmp(arg, "compare:", 8) == 0 || strncmp(arg, "extract:", 8) == 0) {
		*k = arg[0] == 'c' ? K_COMPARE : K_EXTRACT;
		*dir = arg + 8;
		return 0;
	}
	*dir = arg;
	base = strrchr(arg, '/');
	base = base != NULL && base[1] != '\0' ? base + 1 : arg;
	if (strstr(base, "fuzz_compare") != NULL || strstr(arg, "fuzz_compare") != NULL)
		*k = K_COMPARE;
	else if (strstr(base, "fuzz_extract") != NULL || strstr(arg, "fuzz_extract") != NULL)
		*k = K_EXTRACT;
	else
		return -1;
	return 0;
}

/* The source tree: $COSEVAL_SOURCE, else the one this was built from; malloc'd, resolved when it can be. */
static char *source_dir(void)
{
	const char *s = getenv("COSEVAL_SOURCE");
	char *real = realpath(s != NULL ? s : COSEVAL_DEMO_DIR "/../..", NULL);

	return real != NULL ? real : strdup(s != NULL ? s : COSEVAL_DEMO_DIR "/../..");
}

int main(int argc, char **argv)
{
	struct inputs in = { NULL, 0, 0 };
	char dir[4096], *src;
	size_t timed = 0, over = 0, skipped = 0;
	double total = 0;
	int status = 0;

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		printf("usage: bench_slowest_inputs [[compare:|extract:]DIR ...]\n"
		       "Times every input of tests/fuzz/corpus/fuzz_compare and fuzz_extract (under $COSEVAL_SOURCE,\n"
		       "default the source tree) and of each DIR (a fuzz campaign's folder; its kind from its name,\n"
		       "fuzz_compare or fuzz_extract, or the prefix), best of %d runs, and prints the %d slowest.\n"
		       "Exit status: 0 when every input takes at most %.0f us, 1 when one takes more, 2 on an error.\n",
		       ROUNDS, SHOW, BUDGET_US);
		return 0;
	}
	for (int p = 0; p < 3; p++) {
		if (cs_grader_new((enum cs_profile)p, NULL, &graders[p], NULL) != CS_OK) {
			fprintf(stderr, "bench_slowest_inputs: cannot make a grader\n");
			return 2;
		}
	}
	src = source_dir();
	if (src == NULL)
		return 2;
	snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/fuzz_compare", src);
	if (add_dir(&in, dir, K_COMPARE, 1) < 0)
		return 2;
	snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/fuzz_extract", src);
	free(src);
	if (add_dir(&in, dir, K_EXTRACT, 1) < 0)
		return 2;
	for (int a = 1; a < argc; a++) {
		const char *d;
		enum kind k;
		if (parse_dir_arg(argv[a], &d, &k) != 0) {
			fprintf(stderr, "bench_slowest_inputs: %s: say compare:%s or extract:%s\n", argv[a], argv[a],
				argv[a]);
			return 2;
		}
		if (add_dir(&in, d, k, 0) < 0)
			return 2;
	}
	for (size_t j = 0; j < in.n; j++) {
		in.v[j].us = time_input(&in.v[j]);
		if (in.v[j].us < 0) {
			skipped++;
			continue;
		}
		timed++;
		total += in.v[j].us;
		over += in.v[j].us > BUDGET_US;
	}
	if (in.n > 0)
		qsort(in.v, in.n, sizeof *in.v, slower_first);
	printf("%zu inputs timed (%zu skipped: beyond the fuzz targets' size limits), best of %d runs, %.1f us in all\n",
	       timed, skipped, ROUNDS, total);
	printf("%-8s %10s  %s\n", "kind", "us", "input");
	for (size_t j = 0; j < in.n && j < SHOW && in.v[j].us >= 0; j++)
		printf("%-8s %10.1f  %s\n", in.v[j].kind == K_COMPARE ? "compare" : "extract", in.v[j].us,
		       in.v[j].path);
	printf("max %.1f us; budget %.0f us; %zu over it\n", timed > 0 ? in.v[0].us : 0.0, BUDGET_US, over);
	if (over > 0)
		status = 1;
	for (size_t j = 0; j < in.n; j++) {
		free(in.v[j].path);
		free(in.v[j].data);
	}
	free(in.v);
	for (int p = 0; p < 3; p++)
		cs_grader_free(graders[p]);
	if (fflush(stdout) != 0)
		return 2;
	return status;
}
