/* A 64-bit hash of text, used as the stored key of a sample's exact and normalised text and of an answer,
 * so that `report` groups identical solutions without reading the texts again. */
#ifndef COSEVAL_HASH_H
#define COSEVAL_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The hash of len bytes at data. Stable across machines and versions (it is stored in databases): bytes
 * are read as little-endian words whatever the host. Not cryptographic: two different texts share a value
 * with probability about 2^-64, so among the m distinct texts of one problem a false match has probability
 * below m^2 / 2^65 (under 3e-12 for 10,000 texts). */
uint64_t cs_hash64(const void *data, size_t len);

/* The hash of the text as "normalized" uniqueness sees it (cs_text_normalize with lowercase set: leading and
 * trailing white space removed, inner runs folded into one space, ASCII letters lowercased), computed
 * without a copy. Equal to cs_hash64 of the normalised string. The text is its first len bytes, or less
 * when a NUL byte comes sooner; all len bytes must be readable (they are read eight at a time). */
uint64_t cs_hash64_normalized(const char *text, size_t len);

#endif
