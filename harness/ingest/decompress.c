/* Streaming decompression of gzip (zlib), zstd (libzstd) and xz (liblzma) data read from a file descriptor,
 * recognised by its magic bytes; plain data passes through unchanged. */
#include "ingest/decompress.h"

#include <errno.h>
#include <lzma.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define IN_CAP (256u * 1024u)
#define MAGIC_BYTES 6
#define XZ_MEMORY_LIMIT (1ull << 30)

struct cs_inflate {
	int fd;
	char *name;
	enum cs_packing packing;
	unsigned char *in;    /* raw bytes read from fd: [in_pos, in_len) not yet used */
	size_t in_pos, in_len;
	int raw_eof;          /* fd has reached its end */
	int done;             /* the (decompressed) data has ended */
	int more_out;         /* the decoder filled the last output buffer: it may hold more */
	z_stream gz;
	int gz_ready;
	ZSTD_DStream *zs;
	size_t zs_last;       /* the last ZSTD_decompressStream result: 0 at the end of a frame */
	lzma_stream xz;
	int xz_ready;
};

const char *cs_packing_name(enum cs_packing p)
{
	switch (p) {
	case CS_PACKED_GZIP: return "gzip";
	case CS_PACKED_ZSTD: return "zstd";
	case CS_PACKED_XZ: return "xz";
	case CS_PACKED_ZIP: return "zip";
	case CS_PACKED_BZIP2: return "bzip2";
	default: return "plain";
	}
}

enum cs_packing cs_inflate_packing(const struct cs_inflate *z) { return z->packing; }

/* Reads more raw bytes from fd into z->in (moving the unread ones to the front). Sets raw_eof at the end. */
static int read_raw(struct cs_inflate *z, struct cs_err *err)
{
	ssize_t n;

	if (z->in_pos > 0) {
		memmove(z->in, z->in + z->in_pos, z->in_len - z->in_pos);
		z->in_len -= z->in_pos;
		z->in_pos = 0;
	}
	if (z->in_len == IN_CAP)
		return CS_OK;
	do {
		n = read(z->fd, z->in + z->in_len, IN_CAP - z->in_len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return cs_fail(err, CS_INPUT, "%s: read error: %s", z->name, strerror(errno));
	if (n == 0)
		z->raw_eof = 1;
	z->in_len += (size_t)n;
	return CS_OK;
}

/* Recognises the packing from the first bytes in z->in. */
static enum cs_packing recognise(const unsigned char *p, size_t len)
{
	if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return CS_PACKED_GZIP;
	if (len >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
		return CS_PACKED_ZSTD;
	if (len >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
		return CS_PACKED_XZ;
	if (len >= 4 && memcmp(p, "PK\x03\x04", 4) == 0)
		return CS_PACKED_ZIP;
	if (len >= 3 && memcmp(p, "BZh", 3) == 0 && len >= 4 && p[3] >= '1' && p[3] <= '9')
		return CS_PACKED_BZIP2;
	return CS_PACKED_NONE;
}

int cs_inflate_open(int fd, const char *name, struct cs_inflate **out, struct cs_err *err)
{
	struct cs_inflate *z;
	int rc = CS_OK;

	*out = NULL;
	z = calloc(1, sizeof *z);
	if (z == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	z->fd = fd;
	z->name = strdup(name);
	z->in = malloc(IN_CAP);
	if (z->name == NULL || z->in == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	while (!z->raw_eof && z->in_len < MAGIC_BYTES) {
		rc = read_raw(z, err);
		if (rc != CS_OK)
			goto done;
	}
	z->packing = recognise(z->in, z->in_len);
	if (z->packing == CS_PACKED_GZIP) {
		/* 16 + MAX_WBITS: gzip framing only */
		if (inflateInit2(&z->gz, 16 + MAX_WBITS) != Z_OK) {
			rc = cs_fail(err, CS_INTERNAL, "%s: cannot start the gzip decoder", name);
			goto done;
		}
		z->gz_ready = 1;
	} else if (z->packing == CS_PACKED_ZSTD) {
		z->zs = ZSTD_createDStream();
		if (z->zs == NULL || ZSTD_isError(ZSTD_initDStream(z->zs))) {
			rc = cs_fail(err, CS_INTERNAL, "%s: cannot start the zstd decoder", name);
			goto done;
		}
	} else if (z->packing == CS_PACKED_XZ) {
		lzma_stream init = LZMA_STREAM_INIT;
		z->xz = init;
		if (lzma_stream_decoder(&z->xz, XZ_MEMORY_LIMIT, LZMA_CONCATENATED) != LZMA_OK) {
			rc = cs_fail(err, CS_INTERNAL, "%s: cannot start the xz decoder", name);
			goto done;
		}
		z->xz_ready = 1;
	}
done:
	if (rc != CS_OK)
		cs_inflate_close(z);
	else
		*out = z;
	return rc;
}

int cs_inflate_pending(const struct cs_inflate *z)
{
	return z->in_pos < z->in_len || z->more_out;
}

/* One step of the gzip decoder into buf; *n bytes made. A finished member followed by another is
 * continued (concatenated gzip files are one stream, as for gunzip). */
static int gzip_step(struct cs_inflate *z, char *buf, size_t cap, size_t *n, struct cs_err *err)
{
	int zrc;

	z->gz.next_in = z->in + z->in_pos;
	z->gz.avail_in = (uInt)(z->in_len - z->in_pos);
	z->gz.next_out = (Bytef *)buf;
	z->gz.avail_out = (uInt)(cap > UINT32_MAX ? UINT32_MAX : cap);
	zrc = inflate(&z->gz, Z_NO_FLUSH);
	*n = (size_t)((char *)z->gz.next_out - buf);
	z->in_pos = (size_t)(z->gz.next_in - z->in);
	z->more_out = z->gz.avail_out == 0;
	if (zrc == Z_STREAM_END) {
		if (z->in_pos == z->in_len && z->raw_eof) {
			z->done = 1;
			return CS_OK;
		}
		if (z->in_pos == z->in_len)
			return read_raw(z, err);
		if (z->in_len - z->in_pos >= 2 && z->in[z->in_pos] == 0x1f && z->in[z->in_pos + 1] == 0x8b) {
			inflateReset(&z->gz);
			return CS_OK;
		}
		if (z->in_len - z->in_pos < 2 && !z->raw_eof)
			return read_raw(z, err);
		return cs_fail(err, CS_INPUT, "%s: this is gzip-compressed data followed by bytes that are not; "
			       "check the file (gzip -t)", z->name);
	}
	if (zrc == Z_DATA_ERROR || zrc == Z_NEED_DICT)
		return cs_fail(err, CS_INPUT, "%s: corrupt gzip-compressed data (%s); check the file (gzip -t)",
			       z->name, z->gz.msg ? z->gz.msg : "bad data");
	if (zrc == Z_MEM_ERROR)
		return cs_fail(err, CS_INTERNAL, "%s: out of memory decompressing", z->name);
	if (*n == 0 && z->in_pos == z->in_len) {
		if (z->raw_eof)
			return cs_fail(err, CS_INPUT, "%s: the gzip-compressed data ends early (truncated file?); check "
				       "it with gzip -t", z->name);
		return read_raw(z, err);
	}
	return CS_OK;
}

/* One step of the zstd decoder into buf; frames follow one another until the data ends. */
static int zstd_step(struct cs_inflate *z, char *buf, size_t cap, size_t *n, struct cs_err *err)
{
	ZSTD_inBuffer in = { z->in + z->in_pos, z->in_len - z->in_pos, 0 };
	ZSTD_outBuffer out = { buf, cap, 0 };

	if (in.size == 0 && !z->more_out) {
		if (z->raw_eof) {
			if (z->zs_last != 0)
				return cs_fail(err, CS_INPUT, "%s: the zstd-compressed data ends early (truncated file?); "
					       "check it with zstd -t", z->name);
			z->done = 1;
			*n = 0;
			return CS_OK;
		}
		*n = 0;
		return read_raw(z, err);
	}
	z->zs_last = ZSTD_decompressStream(z->zs, &out, &in);
	z->in_pos += in.pos;
	*n = out.pos;
	z->more_out = out.pos == out.size;
	if (ZSTD_isError(z->zs_last))
		return cs_fail(err, CS_INPUT, "%s: corrupt zstd-compressed data (%s); check the file (zstd -t)", z->name,
			       ZSTD_getErrorName(z->zs_last));
	return CS_OK;
}

/* One step of the xz decoder into buf (concatenated .xz streams are one stream, as for xz -d). */
static int xz_step(struct cs_inflate *z, char *buf, size_t cap, size_t *n, struct cs_err *err)
{
	lzma_ret ret;

	if (z->in_pos == z->in_len && !z->raw_eof && !z->more_out) {
		*n = 0;
		return read_raw(z, err);
	}
	z->xz.next_in = z->in + z->in_pos;
	z->xz.avail_in = z->in_len - z->in_pos;
	z->xz.next_out = (uint8_t *)buf;
	z->xz.avail_out = cap;
	ret = lzma_code(&z->xz, z->raw_eof ? LZMA_FINISH : LZMA_RUN);
	*n = (size_t)((char *)z->xz.next_out - buf);
	z->in_pos = (size_t)(z->xz.next_in - z->in);
	z->more_out = z->xz.avail_out == 0;
	if (ret == LZMA_STREAM_END) {
		z->done = 1;
		return CS_OK;
	}
	if (ret == LZMA_OK)
		return CS_OK;
	if (ret == LZMA_BUF_ERROR)
		return cs_fail(err, CS_INPUT, "%s: the xz-compressed data ends early (truncated file?); check it with "
			       "xz -t", z->name);
	if (ret == LZMA_MEM_ERROR || ret == LZMA_MEMLIMIT_ERROR)
		return cs_fail(err, CS_INPUT, "%s: the xz-compressed data needs more than 1 GiB of memory to "
			       "decompress; decompress it first (xz -d)", z->name);
	return cs_fail(err, CS_INPUT, "%s: corrupt xz-compressed data (error %d); check the file (xz -t)", z->name,
		       (int)ret);
}

int cs_inflate_read(struct cs_inflate *z, char *buf, size_t cap, size_t *n, struct cs_err *err)
{
	int rc = CS_OK;

	*n = 0;
	while (*n == 0 && !z->done && rc == CS_OK) {
		switch (z->packing) {
		case CS_PACKED_GZIP:
			rc = gzip_step(z, buf, cap, n, err);
			break;
		case CS_PACKED_ZSTD:
			rc = zstd_step(z, buf, cap, n, err);
			break;
		case CS_PACKED_XZ:
			rc = xz_step(z, buf, cap, n, err);
			break;
		default:
			if (z->in_pos < z->in_len) {
				*n = z->in_len - z->in_pos < cap ? z->in_len - z->in_pos : cap;
				memcpy(buf, z->in + z->in_pos, *n);
				z->in_pos += *n;
			} else if (z->raw_eof) {
				z->done = 1;
			} else {
				/* plain data goes straight into the caller's buffer */
				ssize_t got;
				do {
					got = read(z->fd, buf, cap);
				} while (got < 0 && errno == EINTR);
				if (got < 0)
					rc = cs_fail(err, CS_INPUT, "%s: read error: %s", z->name, strerror(errno));
				else if (got == 0)
					z->raw_eof = z->done = 1;
				else
					*n = (size_t)got;
			}
			break;
		}
	}
	return rc;
}

void cs_inflate_close(struct cs_inflate *z)
{
	if (z == NULL)
		return;
	if (z->gz_ready)
		inflateEnd(&z->gz);
	ZSTD_freeDStream(z->zs);
	if (z->xz_ready)
		lzma_end(&z->xz);
	free(z->in);
	free(z->name);
	free(z);
}
