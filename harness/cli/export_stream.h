/* `coseval export stream`: a run's samples as the JSON Lines input of `coseval grade --stream`. */
#ifndef COSEVAL_EXPORT_STREAM_H
#define COSEVAL_EXPORT_STREAM_H

/* Runs the stream kind of `coseval export`; argv[0] is the name used in messages, the options follow.
 * Returns the exit status: 0, 2 (usage), 3 (unknown run, unwritable file), 4 or 5. */
int cs_export_stream(int argc, char **argv);

#endif
