/* SHA-256 through OpenSSL's EVP interface. */
#include "util/sha256.h"

#include <openssl/evp.h>
#include <stdio.h>

int cs_sha256_init(struct cs_sha256 *h)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	h->ctx = ctx;
	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		cs_sha256_discard(h);
		return -1;
	}
	return 0;
}

void cs_sha256_update(struct cs_sha256 *h, const void *data, size_t len)
{
	if (h->ctx != NULL)
		EVP_DigestUpdate(h->ctx, data, len);
}

void cs_sha256_hex(struct cs_sha256 *h, char hex[65])
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	hex[0] = '\0';
	if (h->ctx == NULL || EVP_DigestFinal_ex(h->ctx, digest, &len) != 1 || len != 32) {
		cs_sha256_discard(h);
		return;
	}
	for (unsigned int i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	cs_sha256_discard(h);
}

void cs_sha256_discard(struct cs_sha256 *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}
