/* `coseval grade --stream`: the database-free grading filter, JSON Lines samples in, verdicts out. */
#ifndef COSEVAL_GRADE_STREAM_CLI_H
#define COSEVAL_GRADE_STREAM_CLI_H

/* Runs `coseval grade --stream ...` (argv[0] is "grade"); returns the exit status: 0, 2 (usage), 3 (a bad
 * input line, named on stderr), 5 (internal). Called by cmd_grade when --stream is among the arguments. */
int cmd_grade_stream(int argc, char **argv);

#endif
