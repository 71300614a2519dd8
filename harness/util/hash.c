/* A 64-bit multiply-xorshift hash over 8-byte little-endian words, and its white-space-folding variant. */
#include "util/hash.h"


#define MUL1 UINT64_C(0x9e3779b97f4a7c15)
#define MUL2 UINT64_C(0xbf58476d1ce4e5b9)
#define MUL3 UINT64_C(0x94d049bb133111eb)

/* A full avalanche of one 64-bit value (every input bit affects every output bit). */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= MUL2;
	x ^= x >> 27;
	x *= MUL3;
	x ^= x >> 31;
	return x;
}

/* Folds one 8-byte word into the state. */
static uint64_t step(uint64_t h, uint64_t word)
{
	word *= MUL1;
	word ^= word >> 29;
	h ^= word;
	h *= MUL2;
	return (h << 23) | (h >> 41);
}

/* A running hash, fed up to eight bytes at a time. */
struct hasher {
	uint64_t h;
	uint64_t word;  /* bytes not yet folded, little-endian */
	int filled;     /* how many bytes word holds */
	uint64_t len;
};

static void hasher_init(struct hasher *s)
{
	s->h = MUL3;
	s->word = 0;
	s->filled = 0;
	s->len = 0;
}

/* Appends the n low bytes of v (n from 0 to 8; v has no bits above them), lowest first. */
static void hasher_put(struct hasher *s, uint64_t v, int n)
{
	int bits = 8 * s->filled;

	s->word |= v << bits;
	s->len += (uint64_t)n;
	s->filled += n;
	if (s->filled >= 8) {
		s->h = step(s->h, s->word);
		s->filled -= 8;
		s->word = bits ? v >> (64 - bits) : 0; /* what did not fit */
	}
}

static uint64_t hasher_end(struct hasher *s)
{
	/* the last partial word, then the length, so that texts differing only in trailing zero bytes differ */
	if (s->filled > 0)
		s->h = step(s->h, s->word);
	return mix(s->h ^ mix(s->len + MUL1));
}

/* The eight bytes at p as a little-endian number, whatever the host's byte order. */
static uint64_t load_le(const unsigned char *p)
{
	uint64_t word = 0;

	for (int b = 7; b >= 0; b--)
		word = (word << 8) | p[b];
	return word;
}

uint64_t cs_hash64(const void *data, size_t len)
{
	const unsigned char *p = data;
	struct hasher s;
	size_t i = 0;

	hasher_init(&s);
	for (; i + 8 <= len; i += 8)
		s.h = step(s.h, load_le(p + i));
	s.len = i;
	for (; i < len; i++)
		hasher_put(&s, p[i], 1);
	return hasher_end(&s);
}

/* White space and lowercase as isspace and tolower see them in the C locale. */
static int is_space(unsigned char c)
{
	return (c == ' ') | ((unsigned)(c - '\t') < 5u);
}

static unsigned char to_lower(unsigned char c)
{
	return (unsigned char)(c + (((unsigned)(c - 'A') < 26u) << 5));
}

/* Eight bytes at a time: a 1 in every byte, and tests on all the bytes of a word at once. */
#define ONES UINT64_C(0x0101010101010101)

/* Whether a byte of w is below n (n at most 128): the top bit of a byte of (w - n per byte) & ~w is set
 * only where that byte is below n, and a borrow only starts at such a byte. */
static int has_byte_below(uint64_t w, unsigned n)
{
	return ((w - ONES * n) & ~w & ONES * 0x80) != 0;
}

/* The top bit of each byte of w that equals c, and nothing else. */
static uint64_t bytes_equal(uint64_t w, unsigned c)
{
	uint64_t x = w ^ (ONES * c);
	uint64_t nonzero = (((x & ONES * 0x7f) + ONES * 0x7f) | x) & ONES * 0x80;

	return ~nonzero & ONES * 0x80;
}

/* w with every byte passed through to_lower (bytes of 128 and above are left alone). */
static uint64_t lower_word(uint64_t w)
{
	uint64_t low7 = w & ONES * 0x7f;
	uint64_t above_z = low7 + ONES * (0x7f - 'Z'); /* top bit set where the low 7 bits exceed 'Z' */
	uint64_t from_a = low7 + ONES * (0x80 - 'A');  /* top bit set where they are at least 'A' */
	uint64_t upper = from_a & ~above_z & ~w & ONES * 0x80;

	return w | (upper >> 2); /* 0x80 >> 2 is the 0x20 that lowercases an ASCII capital */
}

uint64_t cs_hash64_normalized(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	struct hasher s;
	size_t i = 0;
	int started = 0;    /* a non-space byte was seen */
	int pending = 0;    /* white space was seen since the last non-space byte: one space is owed */

	hasher_init(&s);
	while (i < len) {
		size_t end = i + 8 <= len ? i + 8 : len;

		/* Prose is mostly words between single spaces. Eight bytes with nothing below 14 (so no tab to
		 * carriage return and no NUL), no two spaces in a row (nor a space right after white space) and
		 * past the leading white space are kept as they are, lowercased, all at once, but a last space,
		 * which is owed until a non-space byte follows. */
		if (started && i + 8 <= len) {
			uint64_t w = load_le(p + i);
			uint64_t spaces = bytes_equal(w, ' ');

			if (!has_byte_below(w, 0x0e) && (spaces & (spaces << 8)) == 0 && !(pending && (spaces & 0x80))) {
				if (pending)
					hasher_put(&s, ' ', 1);
				pending = (int)(spaces >> 63);
				hasher_put(&s, lower_word(w) & (UINT64_MAX >> (8 * pending)), 8 - pending);
				i += 8;
				continue;
			}
		}
		/* otherwise byte by byte, up to the next eight: white space only sets the owed space */
		for (; i < end; i++) {
			unsigned char c = p[i];
			int space = is_space(c);
			int owed = pending & !space;

			if (c == '\0')
				return hasher_end(&s);
			if (owed)
				hasher_put(&s, ' ' | (uint64_t)to_lower(c) << 8, 2);
			else if (!space)
				hasher_put(&s, to_lower(c), 1);
			started |= !space;
			pending = space & started;
		}
	}
	return hasher_end(&s);
}
