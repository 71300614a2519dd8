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

/* A running hash that takes bytes one at a time or eight at a time. */
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

static void hasher_byte(struct hasher *s, unsigned char c)
{
	s->word |= (uint64_t)c << (8 * s->filled);
	s->len++;
	if (++s->filled == 8) {
		s->h = step(s->h, s->word);
		s->word = 0;
		s->filled = 0;
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
		hasher_byte(&s, p[i]);
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

uint64_t cs_hash64_normalized(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	unsigned char out[16];
	struct hasher s;
	int n = 0;          /* bytes waiting in out */
	int started = 0;    /* a non-space byte was seen */
	int pending = 0;    /* white space was seen since the last non-space byte */

	hasher_init(&s);
	/* written without branches on the bytes (text is full of spaces at unpredictable places): every byte
	 * stores a space and itself, and the counts say which of them are kept */
	for (; *p; p++) {
		int space = is_space(*p);

		out[n] = ' ';
		n += pending & !space;
		out[n] = to_lower(*p);
		n += !space;
		started |= !space;
		pending = space & started;
		if (n >= 8) {
			s.h = step(s.h, load_le(out));
			s.len += 8;
			out[0] = out[8];
			n -= 8;
		}
	}
	for (int i = 0; i < n; i++)
		hasher_byte(&s, out[i]);
	return hasher_end(&s);
}
