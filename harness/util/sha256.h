/* Streaming SHA-256 of imported files, computed by OpenSSL's libcrypto (which uses the CPU's SHA
 * instructions where there are any). */
#ifndef COSEVAL_SHA256_H
#define COSEVAL_SHA256_H

#include <stddef.h>

struct cs_sha256 {
	void *ctx; /* an EVP_MD_CTX, owned */
};

/* Starts a new digest. Returns 0, or -1 when out of memory. */
int cs_sha256_init(struct cs_sha256 *h);
/* Adds len bytes. */
void cs_sha256_update(struct cs_sha256 *h, const void *data, size_t len);
/* Finishes the digest, writes it as 64 lowercase hex digits and a NUL into hex, and frees the context. */
void cs_sha256_hex(struct cs_sha256 *h, char hex[65]);
/* Frees the context of an unfinished digest; a finished or never-started one is fine too. */
void cs_sha256_discard(struct cs_sha256 *h);

#endif
