/* Reading a run's grades into per-problem tallies (correct flags, answer groups by canonical form, solution
 * groups under the chosen uniqueness), problem by problem in bounded memory, or all at once. */
#include "store/tallies.h"
#include "util/hash.h"
#include "util/strmap.h"
#include "util/tempfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cs_unique_parse(const char *name, enum cs_unique *out)
{
	if (strcmp(name, "exact") == 0)
		*out = CS_UNIQUE_EXACT;
	else if (strcmp(name, "normalized") == 0 || strcmp(name, "normalised") == 0)
		*out = CS_UNIQUE_NORMALIZED;
	else if (strcmp(name, "answer") == 0)
		*out = CS_UNIQUE_ANSWER;
	else
		return -1;
	return 0;
}

const char *cs_unique_name(enum cs_unique u)
{
	return u == CS_UNIQUE_EXACT ? "exact" : u == CS_UNIQUE_NORMALIZED ? "normalized" : "answer";
}

const char *cs_tag_find(const char *tags, const char *key, size_t *len)
{
	size_t klen = strlen(key);
	const char *s = tags;

	while (*s) {
		const char *sep = strchr(s, CS_TAG_SEP);
		size_t item = sep ? (size_t)(sep - s) : strlen(s);
		if (item > klen && strncmp(s, key, klen) == 0 && s[klen] == '=') {
			*len = item - klen - 1;
			return s + klen + 1;
		}
		s += item;
		if (*s == CS_TAG_SEP)
			s++;
	}
	*len = 0;
	return NULL;
}

static char *column_dup(sqlite3_stmt *stmt, int col)
{
	const unsigned char *v = sqlite3_column_text(stmt, col);
	return strdup(v ? (const char *)v : "");
}

/* Reads the run's attributes; fails on an unknown run. */
static int load_run_row(struct cs_store *st, const char *run, struct cs_run_data *d, sqlite3_int64 *run_id,
			struct cs_err *err)
{
	static const char sql[] =
		"SELECT r.id, r.name, r.model, r.dataset, COALESCE(r.params, 0), COALESCE(r.price_out, 0),"
		" COALESCE((SELECT group_concat(key || '=' || value, " CS_TAG_SEP_SQL ") FROM"
		"   (SELECT key, value FROM run_tags t WHERE t.run_id = r.id ORDER BY key)), '')"
		" FROM runs r WHERE r.name = ?";
	sqlite3_stmt *stmt = NULL;
	int rc;

	rc = cs_store_prepare(st, sql, &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, run, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return cs_store_no_run(st, run, NULL, err);
	}
	*run_id = sqlite3_column_int64(stmt, 0);
	d->name = column_dup(stmt, 1);
	d->model = column_dup(stmt, 2);
	d->dataset = column_dup(stmt, 3);
	d->params = sqlite3_column_double(stmt, 4);
	d->price_out = sqlite3_column_double(stmt, 5);
	d->tags = column_dup(stmt, 6);
	d->run_id = *run_id;
	sqlite3_finalize(stmt);
	if (!d->name || !d->model || !d->dataset || !d->tags)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	return CS_OK;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The keys of versions in text order, comma-separated, into *out (malloc'd). */
static int join_versions(const struct cs_strmap *versions, char **out, struct cs_err *err)
{
	const char **keys = calloc(versions->count + 1, sizeof *keys);
	size_t n = 0, len = 1;
	int rc = CS_OK;

	*out = NULL;
	if (keys == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	for (size_t i = 0; i < versions->capacity; i++) {
		if (versions->slots[i].key != NULL) {
			keys[n++] = versions->slots[i].key;
			len += strlen(versions->slots[i].key) + 1;
		}
	}
	qsort(keys, n, sizeof *keys, compare_strings);
	*out = calloc(len, 1);
	if (*out == NULL)
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
	for (size_t i = 0; rc == CS_OK && i < n; i++) {
		if (i > 0)
			strcat(*out, ",");
		strcat(*out, keys[i]);
	}
	free(keys);
	return rc;
}

int cs_run_mean_tokens(struct cs_store *st, struct cs_run_data *d, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	/* the run's rowid range, then one sequential scan of it (in index order the rows would be read at random) */
	rc = cs_store_prepare(st, "SELECT COALESCE(AVG(tokens), 0) FROM samples WHERE id BETWEEN"
			      " (SELECT MIN(id) FROM samples WHERE run_id = ?1) AND (SELECT MAX(id) FROM samples WHERE run_id = ?1)"
			      " AND +run_id = ?1 AND tokens IS NOT NULL", &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, d->run_id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		d->mean_tokens = sqlite3_column_double(stmt, 0);
	else
		rc = cs_store_fail(st, "reading token counts", err);
	sqlite3_finalize(stmt);
	return rc;
}

/* How many samples are held in memory at once (32 bytes each): a larger run is read once and its grades are
 * spilled, by groups of whole problems of at most this many samples, to temporary files that are then read
 * back one group at a time, so that memory stays the same however many samples the run has. */
#define CHUNK_SAMPLES (1L << 20)

/* At most this many groups (one open temporary file each); a larger run gets larger groups. */
#define MAX_CHUNKS 256

/* One graded sample as gathered from the grades table; also the layout of a spill file's entries. */
struct record {
	uint64_t answer_key;    /* key of the canonical answer (when has_answer) */
	uint64_t solution_key;  /* key under the chosen uniqueness */
	sqlite3_int64 sample_index;
	int position;           /* the problem's position in d */
	unsigned char correct;
	unsigned char has_answer;
};

/* Small ids for 64-bit keys within one problem: an open-addressing table cleared in O(1) by a generation
 * stamp. */
struct keymap {
	uint64_t *keys;
	int *ids;
	unsigned *stamp;
	unsigned generation;
	size_t mask;            /* capacity - 1, capacity a power of two */
	int next;               /* the id the next new key gets */
};

/* Empties m and makes room for n keys. */
static int keymap_reset(struct keymap *m, int n)
{
	size_t want = 16;

	while (want < 2 * (size_t)n)
		want *= 2;
	if (m->keys == NULL || want > m->mask + 1) {
		free(m->keys);
		free(m->ids);
		free(m->stamp);
		m->keys = malloc(want * sizeof *m->keys);
		m->ids = malloc(want * sizeof *m->ids);
		m->stamp = calloc(want, sizeof *m->stamp);
		m->mask = want - 1;
		m->generation = 0;
		if (m->keys == NULL || m->ids == NULL || m->stamp == NULL)
			return -1;
	}
	m->generation++;
	m->next = 0;
	return 0;
}

/* The id of key, a new one (0, 1, 2, ... in order of first appearance) when it is new. */
static int keymap_id(struct keymap *m, uint64_t key)
{
	size_t i = (size_t)(key ^ (key >> 32)) & m->mask;

	while (m->stamp[i] == m->generation) {
		if (m->keys[i] == key)
			return m->ids[i];
		i = (i + 1) & m->mask;
	}
	m->stamp[i] = m->generation;
	m->keys[i] = key;
	m->ids[i] = m->next++;
	return m->ids[i];
}

static void keymap_free(struct keymap *m)
{
	free(m->keys);
	free(m->ids);
	free(m->stamp);
}

static int compare_records(const void *a, const void *b)
{
	const struct record *x = a, *y = b;

	return (x->sample_index > y->sample_index) - (x->sample_index < y->sample_index);
}

/* Grows *array to cap elements of size bytes; returns 0 when out of memory (the old array stays valid). */
static int grow(void **array, int cap, size_t size)
{
	void *grown = realloc(*array, (size_t)cap * size);

	if (grown == NULL)
		return 0;
	*array = grown;
	return 1;
}

/* Per-problem counts and attributes of the run, in problem id order, from the samples index; the run's
 * sample count is their sum. */
static int load_problems(struct cs_store *st, struct cs_run_data *d, long **counts, struct cs_err *err)
{
	static const char sql[] =
		"SELECT c.problem_id, c.n, p.problem_key, p.subject, COALESCE(p.level, 0) FROM"
		" (SELECT problem_id, COUNT(*) AS n FROM samples WHERE run_id = ?1 GROUP BY problem_id) c"
		" JOIN problems p ON p.id = c.problem_id ORDER BY c.problem_id";
	sqlite3_stmt *stmt = NULL;
	int cap = 0, step;
	int rc;

	*counts = NULL;
	rc = cs_store_prepare(st, sql, &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, d->run_id);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		int p = d->np;
		if (p == cap) {
			cap = cap ? 2 * cap : 256;
			if (!grow((void **)&d->problem_ids, cap, sizeof *d->problem_ids) ||
			    !grow((void **)&d->problem_keys, cap, sizeof *d->problem_keys) ||
			    !grow((void **)&d->subjects, cap, sizeof *d->subjects) ||
			    !grow((void **)&d->levels, cap, sizeof *d->levels) || !grow((void **)counts, cap, sizeof **counts)) {
				rc = cs_fail(err, CS_INTERNAL, "out of memory");
				break;
			}
		}
		d->problem_ids[p] = sqlite3_column_int64(stmt, 0);
		(*counts)[p] = (long)sqlite3_column_int64(stmt, 1);
		d->samples += (*counts)[p];
		d->problem_keys[p] = column_dup(stmt, 2);
		d->subjects[p] = sqlite3_column_type(stmt, 3) == SQLITE_NULL ? NULL : column_dup(stmt, 3);
		d->levels[p] = sqlite3_column_int(stmt, 4);
		d->np++;
		if (d->problem_keys[p] == NULL || (sqlite3_column_type(stmt, 3) != SQLITE_NULL && d->subjects[p] == NULL)) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			break;
		}
	}
	if (rc == CS_OK && step != SQLITE_DONE)
		rc = cs_store_fail(st, "counting samples per problem", err);
	sqlite3_finalize(stmt);
	return rc;
}

/* The state of one scan. */
struct scan {
	struct cs_store *st;
	struct cs_run_data *d;
	enum cs_unique unique;
	long *counts;           /* samples per problem (d->np) */
	long *filled;           /* grades gathered per problem of the current group */
	long *start;            /* where each problem of the current group starts in records */
	struct record *records; /* the current group's grades */
	int groups;             /* groups of whole problems, each at most the records' capacity */
	int *group_of;          /* each problem's group (d->np) */
	FILE **spill;           /* one temporary file per group, when there is more than one */
	struct keymap answers, solutions;
	unsigned char *correct; /* one problem's tally arrays, as long as the largest problem */
	int *answer, *solution;
	struct cs_strmap versions;
	char last_version[128];
	long ungraded;
};

static int grades_mismatch(const struct scan *s, sqlite3_int64 problem, struct cs_err *err)
{
	return cs_fail(err, CS_DB, "%s: run '%s': the grades do not match the samples (problem id %lld); regrade"
		       " with 'coseval grade --run %s --regrade'", s->st->path, s->d->name, (long long)problem,
		       s->d->name);
}

/* Decodes the grade row stmt points at into r, with the problem's position in d. */
static int decode_row(struct scan *s, sqlite3_stmt *stmt, struct record *r, struct cs_err *err)
{
	const struct cs_run_data *d = s->d;
	sqlite3_int64 problem = sqlite3_column_int64(stmt, 0);
	const char *verdict = (const char *)sqlite3_column_text(stmt, 2);
	const char *canonical = (const char *)sqlite3_column_text(stmt, 3);
	const char *version = (const char *)sqlite3_column_text(stmt, 5);
	int lo = 0, hi = d->np - 1;

	/* the problem's position: a binary search over the run's problem ids */
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (d->problem_ids[mid] < problem)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (d->np == 0 || d->problem_ids[lo] != problem || verdict == NULL)
		return grades_mismatch(s, problem, err);
	if (version != NULL && strcmp(version, s->last_version) != 0) {
		int64_t seen;
		if (!cs_strmap_get(&s->versions, version, &seen) && cs_strmap_put(&s->versions, version, 0) != 0)
			return cs_fail(err, CS_INTERNAL, "out of memory");
		snprintf(s->last_version, sizeof s->last_version, "%s", version);
	}
	memset(r, 0, sizeof *r);
	r->position = lo;
	r->sample_index = sqlite3_column_int64(stmt, 1);
	r->correct = strcmp(verdict, "correct") == 0;
	r->has_answer = canonical != NULL && strcmp(verdict, "no-answer") != 0;
	r->answer_key = r->has_answer ? cs_hash64(canonical, strlen(canonical)) : 0;
	if (s->unique == CS_UNIQUE_ANSWER) {
		/* the answer's key when there is one: hashed once */
		r->solution_key = r->has_answer ? r->answer_key
				  : canonical ? cs_hash64(canonical, strlen(canonical)) : cs_hash64("", 0);
	} else if (sqlite3_column_type(stmt, 4) == SQLITE_NULL) {
		/* only correct samples have text keys (diversity counts nothing else) */
		if (r->correct)
			return cs_fail(err, CS_DB, "%s: run '%s': a correct grade has no text key; regrade with"
				       " 'coseval grade --run %s --regrade'", s->st->path, d->name, d->name);
		r->solution_key = 0;
	} else {
		r->solution_key = (uint64_t)sqlite3_column_int64(stmt, 4);
	}
	return CS_OK;
}

/* Makes the records empty for the problems first..last (indexes into d), one group. */
static void group_start(struct scan *s, int first, int last)
{
	long total = 0;

	for (int p = first; p <= last; p++) {
		s->start[p - first] = total;
		s->filled[p - first] = 0;
		total += s->counts[p];
	}
}

/* Puts r in its problem's place among the records of the group that starts at problem first. */
static int group_place(struct scan *s, int first, const struct record *r, struct cs_err *err)
{
	int p = r->position;

	if (p < first || s->group_of[p] != s->group_of[first] || s->filled[p - first] >= s->counts[p])
		return grades_mismatch(s, s->d->problem_ids[p], err);
	s->records[s->start[p - first] + s->filled[p - first]++] = *r;
	return CS_OK;
}

/* Hands each complete problem of the group first..last to fn, as a tally in sample-index order. */
static int emit_group(struct scan *s, int first, int last, cs_problem_fn fn, void *ctx, struct cs_err *err)
{
	for (int p = first; p <= last; p++) {
		struct record *r = s->records + s->start[p - first];
		long n = s->filled[p - first];
		struct cs_tally t;
		int sorted = 1;

		if (n < s->counts[p]) {
			/* counted, and refused once the whole run is read */
			s->ungraded += s->counts[p] - n;
			continue;
		}
		if (s->ungraded > 0)
			continue;
		for (long i = 1; i < n && sorted; i++)
			sorted = r[i - 1].sample_index <= r[i].sample_index;
		if (!sorted)
			qsort(r, (size_t)n, sizeof *r, compare_records);
		if (keymap_reset(&s->answers, (int)n) != 0 || keymap_reset(&s->solutions, (int)n) != 0)
			return cs_fail(err, CS_INTERNAL, "out of memory");
		for (long i = 0; i < n; i++) {
			s->correct[i] = r[i].correct;
			s->answer[i] = r[i].has_answer ? keymap_id(&s->answers, r[i].answer_key) : -1;
			s->solution[i] = keymap_id(&s->solutions, r[i].solution_key);
		}
		t.n = (int)n;
		t.correct = s->correct;
		t.answer = s->answer;
		t.solution = s->solution;
		if (fn != NULL) {
			int rc = fn(ctx, p, &t, err);
			if (rc != CS_OK)
				return rc;
		}
	}
	return CS_OK;
}

/* Splits the run's problems into groups of whole problems of at most cap samples (a problem larger than cap
 * is a group of its own); returns the number of groups. */
static int assign_groups(struct scan *s, long cap)
{
	int groups = 0;

	for (int first = 0; first < s->d->np; groups++) {
		long total = s->counts[first];
		int last = first;

		while (last + 1 < s->d->np && total + s->counts[last + 1] <= cap)
			total += s->counts[++last];
		for (int p = first; p <= last; p++)
			s->group_of[p] = groups;
		first = last + 1;
	}
	return groups;
}

static int spill_failed(const struct scan *s, struct cs_err *err)
{
	return cs_fail(err, CS_INTERNAL, "run '%s': cannot write or read the temporary files that hold its grades"
		       " while they are sorted by problem (about 32 bytes per sample; is the disk full? set TMPDIR to"
		       " a directory with space)", s->d->name);
}

/* Reads every grade of the run once; with one group they go straight to the records and are handed on,
 * with several each goes to its group's temporary file, and the groups are then read back and handed on in
 * turn. */
static int scan_grades(struct scan *s, sqlite3_stmt *stmt, cs_problem_fn fn, void *ctx, struct cs_err *err)
{
	const struct cs_run_data *d = s->d;
	struct record r;
	int step, rc = CS_OK;

	if (d->np == 0)
		return CS_OK;
	if (s->groups == 1)
		group_start(s, 0, d->np - 1);
	while (rc == CS_OK && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
		rc = decode_row(s, stmt, &r, err);
		if (rc != CS_OK)
			break;
		if (s->groups == 1)
			rc = group_place(s, 0, &r, err);
		else if (fwrite(&r, sizeof r, 1, s->spill[s->group_of[r.position]]) != 1)
			rc = spill_failed(s, err);
	}
	if (rc != CS_OK)
		return rc;
	if (step != SQLITE_DONE)
		return cs_store_fail(s->st, "reading grades", err);
	if (s->groups == 1)
		return emit_group(s, 0, d->np - 1, fn, ctx, err);
	for (int g = 0, first = 0; g < s->groups && rc == CS_OK; g++) {
		FILE *f = s->spill[g];
		int last = first;

		while (last + 1 < d->np && s->group_of[last + 1] == g)
			last++;
		group_start(s, first, last);
		if (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0)
			return spill_failed(s, err);
		while (rc == CS_OK && fread(&r, sizeof r, 1, f) == 1)
			rc = group_place(s, first, &r, err);
		if (rc == CS_OK && ferror(f))
			rc = spill_failed(s, err);
		if (rc == CS_OK)
			rc = emit_group(s, first, last, fn, ctx, err);
		/* the group's file is no longer needed: give its space back now */
		fclose(f);
		s->spill[g] = NULL;
		first = last + 1;
	}
	return rc;
}

int cs_run_scan(struct cs_store *st, const char *run, enum cs_unique u, struct cs_run_data *d, cs_problem_fn fn,
		void *ctx, struct cs_err *err)
{
	return cs_run_scan_chunked(st, run, u, CHUNK_SAMPLES, d, fn, ctx, err);
}

int cs_run_scan_chunked(struct cs_store *st, const char *run, enum cs_unique u, long chunk_samples,
			struct cs_run_data *d, cs_problem_fn fn, void *ctx, struct cs_err *err)
{
	static const char *const sql[] = {
		[CS_UNIQUE_EXACT] = "SELECT problem_id, sample_index, verdict, canonical, text_key, grader_version"
				    " FROM grades WHERE sample_id BETWEEN ?2 AND ?3 AND run_id = ?1",
		[CS_UNIQUE_NORMALIZED] = "SELECT problem_id, sample_index, verdict, canonical, normalized_key,"
					 " grader_version FROM grades WHERE sample_id BETWEEN ?2 AND ?3 AND run_id = ?1",
		[CS_UNIQUE_ANSWER] = "SELECT problem_id, sample_index, verdict, canonical, NULL, grader_version"
				     " FROM grades WHERE sample_id BETWEEN ?2 AND ?3 AND run_id = ?1",
	};
	struct scan s;
	sqlite3_stmt *stmt = NULL;
	sqlite3_int64 run_id = 0, first_id = 0, last_id = -1;
	long largest = 1, cap = 1, group_cap = 1;
	int own_tx = 0;
	int rc;

	memset(d, 0, sizeof *d);
	memset(&s, 0, sizeof s);
	s.st = st;
	s.d = d;
	s.unique = u;
	cs_strmap_init(&s.versions);
	/* the counts and the grades are read in one transaction, so that they agree */
	if (sqlite3_get_autocommit(st->db)) {
		rc = cs_store_exec(st, "BEGIN", "starting a read", err);
		if (rc != CS_OK)
			return rc;
		own_tx = 1;
	}
	rc = load_run_row(st, run, d, &run_id, err);
	if (rc == CS_OK)
		rc = load_problems(st, d, &s.counts, err);
	if (rc == CS_OK)
		rc = cs_store_run_range(st, run_id, &first_id, &last_id, err);
	if (rc != CS_OK)
		goto done;
	s.group_of = malloc(((size_t)d->np + 1) * sizeof *s.group_of);
	if (s.group_of == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	for (int p = 0; p < d->np; p++) {
		if (s.counts[p] > largest)
			largest = s.counts[p];
	}
	/* groups of whole problems, as many as fit in chunk_samples, and never more than MAX_CHUNKS of them */
	cap = chunk_samples > 0 ? chunk_samples : 1;
	while ((s.groups = assign_groups(&s, cap)) > MAX_CHUNKS)
		cap *= 2;
	for (int first = 0, g = 0; first < d->np; g++) {
		long total = 0;
		while (first < d->np && s.group_of[first] == g)
			total += s.counts[first++];
		if (total > group_cap)
			group_cap = total;
	}
	s.records = malloc((size_t)group_cap * sizeof *s.records);
	s.filled = malloc(((size_t)d->np + 1) * sizeof *s.filled);
	s.start = malloc(((size_t)d->np + 1) * sizeof *s.start);
	s.correct = malloc((size_t)largest);
	s.answer = malloc((size_t)largest * sizeof *s.answer);
	s.solution = malloc((size_t)largest * sizeof *s.solution);
	if (!s.records || !s.filled || !s.start || !s.correct || !s.answer || !s.solution) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	if (s.groups > 1) {
		s.spill = calloc((size_t)s.groups, sizeof *s.spill);
		if (s.spill == NULL) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			goto done;
		}
		for (int g = 0; g < s.groups && rc == CS_OK; g++) {
			s.spill[g] = cs_temp_file("grades", err);
			if (s.spill[g] == NULL)
				rc = CS_INTERNAL;
		}
		if (rc != CS_OK)
			goto done;
	}
	rc = cs_store_prepare(st, sql[u], &stmt, err);
	if (rc != CS_OK)
		goto done;
	sqlite3_bind_int64(stmt, 1, run_id);
	sqlite3_bind_int64(stmt, 2, first_id);
	sqlite3_bind_int64(stmt, 3, last_id);
	rc = scan_grades(&s, stmt, fn, ctx, err);
	if (rc == CS_OK && s.ungraded > 0)
		rc = cs_fail(err, CS_INPUT, "run '%s' has %ld ungraded samples; run 'coseval grade --run %s' first", run,
			     s.ungraded, run);
	if (rc == CS_OK)
		rc = join_versions(&s.versions, &d->grader_versions, err);
done:
	sqlite3_finalize(stmt);
	if (own_tx)
		cs_store_rollback(st);
	if (s.spill != NULL) {
		for (int g = 0; g < s.groups; g++) {
			if (s.spill[g] != NULL)
				fclose(s.spill[g]);
		}
		free(s.spill);
	}
	free(s.group_of);
	free(s.counts);
	free(s.filled);
	free(s.start);
	free(s.records);
	free(s.correct);
	free(s.answer);
	free(s.solution);
	keymap_free(&s.answers);
	keymap_free(&s.solutions);
	cs_strmap_free(&s.versions);
	if (rc != CS_OK)
		cs_run_data_free(d);
	return rc;
}

int cs_run_max_samples(struct cs_store *st, const char *run, int *max_n, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc = cs_store_prepare(st, "SELECT r.id, (SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM samples s"
				  " WHERE s.run_id = r.id GROUP BY s.problem_id)) FROM runs r WHERE r.name = ?", &stmt, err);

	*max_n = 0;
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, run, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_ROW)
		rc = cs_store_no_run(st, run, NULL, err);
	else
		*max_n = sqlite3_column_int(stmt, 1);
	sqlite3_finalize(stmt);
	return rc;
}

/* cs_run_data_load's callback: copies one problem's tally into the run's pools, which it allocates on the
 * first call (the scan has read the run's sample and problem counts by then). */
static int keep_tally(void *ctx, int index, const struct cs_tally *t, struct cs_err *err)
{
	struct cs_run_data *d = ctx;
	long at = d->pooled;

	if (d->tallies == NULL) {
		d->correct = malloc((size_t)d->samples + 1);
		d->answer = malloc(((size_t)d->samples + 1) * sizeof *d->answer);
		d->solution = malloc(((size_t)d->samples + 1) * sizeof *d->solution);
		d->tallies = calloc((size_t)d->np + 1, sizeof *d->tallies);
		if (!d->correct || !d->answer || !d->solution || !d->tallies)
			return cs_fail(err, CS_INTERNAL, "out of memory");
	}
	if (at + t->n > d->samples)
		return cs_fail(err, CS_INTERNAL, "more grades than samples in run '%s'", d->name);
	memcpy(d->correct + at, t->correct, (size_t)t->n);
	memcpy(d->answer + at, t->answer, (size_t)t->n * sizeof *d->answer);
	memcpy(d->solution + at, t->solution, (size_t)t->n * sizeof *d->solution);
	d->tallies[index].n = t->n;
	d->tallies[index].correct = d->correct + at;
	d->tallies[index].answer = d->answer + at;
	d->tallies[index].solution = d->solution + at;
	d->pooled += t->n;
	return CS_OK;
}

int cs_run_data_load(struct cs_store *st, const char *run, enum cs_unique u, struct cs_run_data *d,
		     struct cs_err *err)
{
	int rc = cs_run_scan(st, run, u, d, keep_tally, d, err);

	if (rc == CS_OK && d->tallies == NULL) {
		/* a run without samples: an empty tally list */
		d->tallies = calloc(1, sizeof *d->tallies);
		if (d->tallies == NULL) {
			cs_run_data_free(d);
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
		}
	}
	return rc;
}

int cs_run_data_shared(const struct cs_run_data *a, const struct cs_run_data *b, int *ai, int *bi)
{
	int i = 0, j = 0, n = 0;

	while (i < a->np && j < b->np) {
		if (a->problem_ids[i] < b->problem_ids[j]) {
			i++;
		} else if (b->problem_ids[j] < a->problem_ids[i]) {
			j++;
		} else {
			ai[n] = i++;
			bi[n] = j++;
			n++;
		}
	}
	return n;
}

void cs_run_data_free(struct cs_run_data *d)
{
	for (int p = 0; p < d->np; p++) {
		free(d->problem_keys[p]);
		free(d->subjects[p]);
	}
	free(d->name);
	free(d->model);
	free(d->dataset);
	free(d->tags);
	free(d->grader_versions);
	free(d->problem_ids);
	free(d->problem_keys);
	free(d->subjects);
	free(d->levels);
	free(d->tallies);
	free(d->correct);
	free(d->answer);
	free(d->solution);
	memset(d, 0, sizeof *d);
}
