/* xoshiro256** generator with splitmix64 seeding, written out in plain C11 integer arithmetic. */
#include "rng.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z;

	*x += UINT64_C(0x9e3779b97f4a7c15);
	z = *x;
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

void cs_rng_seed(struct cs_rng *rng, uint64_t seed)
{
	uint64_t x = seed;
	int i;

	for (i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&x);
}

void cs_rng_seed_stream(struct cs_rng *rng, uint64_t seed, uint64_t stream)
{
	uint64_t x = stream;

	/* Mix the stream number before combining so that neighbouring (seed, stream) pairs are far apart. */
	cs_rng_seed(rng, seed ^ splitmix64(&x));
}

uint64_t cs_rng_next(struct cs_rng *rng)
{
	uint64_t *s = rng->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t cs_rng_below(struct cs_rng *rng, uint64_t bound)
{
	uint64_t threshold;
	uint64_t x;

	if (bound == 0)
		return 0;
	/* (2^64 - bound) mod bound: values below it would make some residues more likely than others. */
	threshold = (0 - bound) % bound;
	do
		x = cs_rng_next(rng);
	while (x < threshold);
	return x % bound;
}

double cs_rng_unit(struct cs_rng *rng)
{
	return (double)(cs_rng_next(rng) >> 11) * 0x1.0p-53;
}
