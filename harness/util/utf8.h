/* Validation of UTF-8 input. */
#ifndef COSEVAL_UTF8_H
#define COSEVAL_UTF8_H

#include <stddef.h>

/* Returns the offset of the first byte that is not part of valid UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF), or len when all of s[0..len) is valid. */
size_t cs_utf8_invalid_at(const char *s, size_t len);

#endif
