/* `coseval export sft`: a run's correct samples as a JSONL training set. */
#ifndef COSEVAL_EXPORT_SFT_H
#define COSEVAL_EXPORT_SFT_H

/* Runs the sft kind of `coseval export`; argv[0] is the name used in messages, the options follow.
 * Returns the exit status: 0, 2 (usage), 3 (unknown or ungraded run, unwritable file), 4 or 5. */
int cs_export_sft(int argc, char **argv);

#endif
