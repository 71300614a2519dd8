/* `coseval check-db` as a library: SQLite's integrity check and coseval's own invariants over a store. */
#ifndef COSEVAL_CHECK_H
#define COSEVAL_CHECK_H

#include "store/store.h"

/* Receives one problem the check found: one line of text without a newline, valid during the call. */
typedef void (*cs_check_report_fn)(void *ctx, const char *problem);

/* Checks the open store st: PRAGMA integrity_check (its first 20 lines reported one by one, the rest counted),
 * then, when that found nothing, coseval's invariants: every sample's run, problem and import exist, every
 * grade's and judgment's sample exists, every grade's run, problem and sample index agree with its sample's,
 * and every import's sample range covers its samples (up to the largest id any import recorded; see
 * cs_store_run_range). Calls report once per finding and sets *problems to their number; a check that SQLite
 * cannot run because the file is damaged is a finding too. Returns CS_OK when the checks ran, whatever they
 * found; CS_DB with err filled when the database could not be read (it is busy, say). */
int cs_check_db(struct cs_store *st, cs_check_report_fn report, void *ctx, long *problems, struct cs_err *err);

#endif
