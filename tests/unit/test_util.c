/* Unit tests of the utilities: SHA-256, UTF-8 validation, the string map. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/hash.h"
#include "util/sha256.h"
#include "util/strmap.h"
#include "util/text.h"
#include "util/utf8.h"

static void digest(const char *data, size_t len, char hex[65])
{
	struct cs_sha256 h;
	cr_assert_eq(cs_sha256_init(&h), 0);
	cs_sha256_update(&h, data, len);
	cs_sha256_hex(&h, hex);
}

Test(sha256, known_vectors)
{
	char hex[65];

	digest("", 0, hex);
	cr_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	digest("abc", 3, hex);
	cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	cr_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

Test(sha256, streaming_equals_one_shot)
{
	char data[1000], one[65], many[65];
	struct cs_sha256 h;

	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (char)(i * 7 + 3);
	digest(data, sizeof data, one);
	cr_assert_eq(cs_sha256_init(&h), 0);
	for (size_t i = 0; i < sizeof data; i += 13)
		cs_sha256_update(&h, data + i, i + 13 <= sizeof data ? 13 : sizeof data - i);
	cs_sha256_hex(&h, many);
	cr_assert_str_eq(one, many);
}

Test(utf8, accepts_valid_and_finds_the_first_bad_byte)
{
	const char ok[] = "plain ascii, caf\xc3\xa9, \xe2\x82\xac, \xf0\x9f\x98\x80 and more ascii text";
	cr_assert_eq(cs_utf8_invalid_at(ok, strlen(ok)), strlen(ok));
	cr_assert_eq(cs_utf8_invalid_at("abc\xff", 4), 3);
	cr_assert_eq(cs_utf8_invalid_at("\xc0\xaf", 2), 0, "overlong");
	cr_assert_eq(cs_utf8_invalid_at("ab\xed\xa0\x80", 5), 2, "surrogate");
	cr_assert_eq(cs_utf8_invalid_at("abcdefghij\xe2\x82", 12), 10, "truncated at the end");
	cr_assert_eq(cs_utf8_invalid_at("\xf4\x90\x80\x80", 4), 0, "above U+10FFFF");
}

Test(strmap, put_get_replace_and_grow)
{
	struct cs_strmap m;
	char key[32];
	int64_t v;

	cs_strmap_init(&m);
	cr_assert_eq(cs_strmap_get(&m, "missing", &v), 0);
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		cr_assert_eq(cs_strmap_put(&m, key, i), 0);
	}
	cr_assert_eq(cs_strmap_put(&m, "k42", -1), 0);
	cr_assert_eq(m.count, 5000);
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		cr_assert_eq(cs_strmap_get(&m, key, &v), 1);
		cr_assert_eq(v, i == 42 ? -1 : i);
	}
	cr_assert_eq(cs_strmap_get(&m, "k5000", &v), 0);
	cs_strmap_free(&m);
}

Test(hash64, values_are_pinned)
{
	/* keys are stored in databases: these values must never change */
	cr_assert_eq(cs_hash64("", 0), UINT64_C(0xe4cfa65fe1e6ac22));
	cr_assert_eq(cs_hash64("abc", 3), UINT64_C(0x4a4375293fe6d232));
	cr_assert_eq(cs_hash64("The answer is \\boxed{42}.", 25), UINT64_C(0xc559cdfa9659dbaa));
}

Test(hash64, normalized_equals_the_hash_of_the_normalised_copy)
{
	/* spaces of every kind, capitals and their neighbours ('@' '[' '`' '{'), control and high bytes, and
	 * long runs without space (read eight bytes at a time) */
	static const char alphabet[] = "aB \t\n\r\v\fzZ{}9@[`AYy\x1f\x21\x7f\x80\xc3\xa9\xdaxyzwq";
	char text[160];
	unsigned seed = 12345;

	for (int round = 0; round < 40000; round++) {
		int len = round % 150;
		char *copy;

		for (int i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			text[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		text[len] = '\0';
		copy = cs_text_normalize(text, 1);
		cr_assert_not_null(copy);
		cr_assert_eq(cs_hash64_normalized(text, (size_t)len), cs_hash64(copy, strlen(copy)),
			     "text '%s' normalised '%s'", text, copy);
		free(copy);
	}
	cr_assert_eq(cs_hash64_normalized("  A  b\n", 7), cs_hash64("a b", 3));
	cr_assert_neq(cs_hash64_normalized("ab", 2), cs_hash64_normalized("a b", 3));
	cr_assert_eq(cs_hash64_normalized("The Answer Is FORTY-TWO", 23), cs_hash64("the answer is forty-two", 23));
	/* the text ends at len bytes, or sooner at a NUL byte */
	cr_assert_eq(cs_hash64_normalized("abcdefghijkl", 3), cs_hash64("abc", 3));
	cr_assert_eq(cs_hash64_normalized("abcdefgh\0ijklmnopq", 18), cs_hash64("abcdefgh", 8));
	cr_assert_eq(cs_hash64_normalized("ab\0cdefghijklmnopq", 18), cs_hash64("ab", 2));
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

Test(hash64, near_identical_texts_get_distinct_keys)
{
	enum { N = 200000 };
	uint64_t *keys = malloc(N * sizeof *keys);
	char text[64];

	cr_assert_not_null(keys);
	for (int i = 0; i < N; i++) {
		int len = snprintf(text, sizeof text, "so the answer is \\boxed{%d}", i);
		keys[i] = cs_hash64(text, (size_t)len);
	}
	qsort(keys, N, sizeof *keys, compare_u64);
	for (int i = 1; i < N; i++)
		cr_assert_neq(keys[i], keys[i - 1], "two of %d texts share a key", N);
	/* texts that differ only by trailing zero bytes or by one bit */
	cr_assert_neq(cs_hash64("ab", 2), cs_hash64("ab\0", 3));
	cr_assert_neq(cs_hash64("ab", 2), cs_hash64("ac", 2));
	free(keys);
}
