/* Streaming SHA-256 (FIPS 180-4), used to fingerprint imported files. */
#ifndef COSEVAL_SHA256_H
#define COSEVAL_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct cs_sha256 {
	uint32_t state[8];
	uint64_t length;     /* bytes hashed so far */
	unsigned char block[64];
	size_t used;         /* bytes waiting in block */
};

/* Starts a new digest. */
void cs_sha256_init(struct cs_sha256 *h);
/* Adds len bytes. */
void cs_sha256_update(struct cs_sha256 *h, const void *data, size_t len);
/* Finishes the digest and writes it as 64 lowercase hex digits and a NUL into hex. */
void cs_sha256_hex(struct cs_sha256 *h, char hex[65]);

#endif
