/* Validation and counting helpers for struct cs_tally. */
#include "tally.h"

#include <stddef.h>

int cs_tally_check(const struct cs_tally *t, int index, struct cs_err *err)
{
	int i;

	if (t->n < 0)
		return cs_fail(err, CS_INPUT, "problem %d: negative sample count %d", index, t->n);
	if (t->n > 0 && t->correct == NULL)
		return cs_fail(err, CS_INPUT, "problem %d: no correctness flags", index);
	for (i = 0; i < t->n; i++) {
		if (t->correct[i] > 1)
			return cs_fail(err, CS_INPUT, "problem %d, sample %d: correctness flag %d is not 0 or 1",
				       index, i, t->correct[i]);
		if (t->answer != NULL) {
			if (t->answer[i] < -1)
				return cs_fail(err, CS_INPUT, "problem %d, sample %d: answer id %d below -1",
					       index, i, t->answer[i]);
			if (t->answer[i] == -1 && t->correct[i])
				return cs_fail(err, CS_INPUT,
					       "problem %d, sample %d: marked correct but has no answer", index, i);
		}
		if (t->solution != NULL && t->correct[i] && t->solution[i] < 0)
			return cs_fail(err, CS_INPUT, "problem %d, sample %d: correct sample with solution id %d",
				       index, i, t->solution[i]);
	}
	return CS_OK;
}

int cs_tally_correct(const struct cs_tally *t)
{
	int c = 0;
	int i;

	for (i = 0; i < t->n; i++)
		c += t->correct[i];
	return c;
}
