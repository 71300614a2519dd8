/* Edit distance and the nearest name of a list, for the "did you mean" of unknown commands, options and runs. */
#include "util/suggest.h"

#include <string.h>

int cs_edit_distance(const char *a, const char *b)
{
	/* three rows of the distance table: the one before last, the last and the one being filled */
	int rows[3][CS_SUGGEST_MAX_LEN + 1];
	int la = (int)strlen(a), lb = (int)strlen(b);
	int *before = rows[0], *last = rows[1], *row = rows[2];

	if (la > CS_SUGGEST_MAX_LEN || lb > CS_SUGGEST_MAX_LEN)
		return CS_SUGGEST_MAX_LEN + 1;
	for (int j = 0; j <= lb; j++)
		last[j] = j;
	for (int i = 1; i <= la; i++) {
		int *spare = before;

		row[0] = i;
		for (int j = 1; j <= lb; j++) {
			int best = last[j - 1] + (a[i - 1] != b[j - 1]);

			if (last[j] + 1 < best)
				best = last[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && before[j - 2] + 1 < best)
				best = before[j - 2] + 1;
			row[j] = best;
		}
		before = last;
		last = row;
		row = spare;
	}
	return last[lb];
}

int cs_suggest_limit(const char *name)
{
	size_t len = strlen(name + strspn(name, "-"));

	return len <= 3 ? 1 : len <= 8 ? 2 : 3;
}

const char *cs_nearest(const char *name, const char *const *candidates, size_t count)
{
	const char *best = NULL;
	int best_d = cs_suggest_limit(name) + 1;

	for (size_t i = 0; i < count; i++) {
		int d;

		if (candidates[i] == NULL || strcmp(candidates[i], name) == 0)
			continue;
		d = cs_edit_distance(name, candidates[i]);
		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	return best;
}
