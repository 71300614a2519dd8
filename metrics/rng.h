/* A portable seeded generator (xoshiro256** seeded by splitmix64): same seed, same stream, any machine. */
#ifndef COSEVAL_METRICS_RNG_H
#define COSEVAL_METRICS_RNG_H

#include <stdint.h>

/* Generator state; a plain value owned by whoever declares it, no resources to release. */
struct cs_rng {
	uint64_t s[4];
};

/* Initialises rng from seed: the four state words are successive outputs of splitmix64 started at seed,
 * so every seed (0 included) gives a valid, non-zero state. */
void cs_rng_seed(struct cs_rng *rng, uint64_t seed);

/* Initialises rng for an independent stream identified by (seed, stream), e.g. one stream per problem,
 * so that results do not depend on the order in which problems are visited. */
void cs_rng_seed_stream(struct cs_rng *rng, uint64_t seed, uint64_t stream);

/* Returns the next 64 uniformly distributed bits and advances rng. */
uint64_t cs_rng_next(struct cs_rng *rng);

/* Returns an integer uniformly distributed on [0, bound), without modulo bias; bound must be > 0
 * (returns 0 when bound is 0). */
uint64_t cs_rng_below(struct cs_rng *rng, uint64_t bound);

/* Returns a double uniformly distributed on [0, 1) with 53 random bits. */
double cs_rng_unit(struct cs_rng *rng);

#endif
