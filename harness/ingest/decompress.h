/* Reading a file descriptor as plain bytes whether the data is plain or gzip-, zstd- or xz-compressed,
 * recognised by its first bytes and decompressed as it is read. */
#ifndef COSEVAL_DECOMPRESS_H
#define COSEVAL_DECOMPRESS_H

#include <stddef.h>

#include "util/error.h"

/* What the first bytes of the data say it is. CS_PACKED_ZIP and CS_PACKED_BZIP2 are recognised, not
 * decompressed: cs_inflate_read hands their bytes out as they are. */
enum cs_packing { CS_PACKED_NONE, CS_PACKED_GZIP, CS_PACKED_ZSTD, CS_PACKED_XZ, CS_PACKED_ZIP, CS_PACKED_BZIP2 };

struct cs_inflate; /* opaque */

/* Starts reading fd (not owned: the caller closes it after cs_inflate_close), whose data is named name in
 * messages. Reads the first bytes at once (blocking until 6 bytes or the end of the data) to recognise
 * the packing. Errors: CS_INPUT (read error), CS_INTERNAL (out of memory). *out is owned by the caller. */
int cs_inflate_open(int fd, const char *name, struct cs_inflate **out, struct cs_err *err);

/* Reads up to cap plain bytes into buf; *n is 0 only at the end of the data. Blocks until at least one
 * byte is ready or the data ends. Errors: CS_INPUT with a message naming the data ("...: the
 * gzip-compressed data ends early (truncated file?)", "...: corrupt zstd data: ..."). */
int cs_inflate_read(struct cs_inflate *z, char *buf, size_t cap, size_t *n, struct cs_err *err);

/* 1 when cs_inflate_read can hand out bytes without reading fd (decompressed bytes are waiting, or read
 * bytes are not yet decompressed), else 0: a caller that polls fd before reading must skip the poll then. */
int cs_inflate_pending(const struct cs_inflate *z);

/* The packing recognised by cs_inflate_open. */
enum cs_packing cs_inflate_packing(const struct cs_inflate *z);

/* "plain", "gzip", "zstd", "xz", "zip" or "bzip2". */
const char *cs_packing_name(enum cs_packing p);

/* Frees z (NULL is allowed); does not close its fd. */
void cs_inflate_close(struct cs_inflate *z);

#endif
