/* A string-keyed hash map to 64-bit integers, used to find problems by id or question text. */
#ifndef COSEVAL_STRMAP_H
#define COSEVAL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct cs_strmap_slot {
	char *key; /* owned by the map; NULL for an empty slot */
	int64_t value;
};

struct cs_strmap {
	struct cs_strmap_slot *slots;
	size_t capacity; /* a power of two */
	size_t count;
};

/* Initialises an empty map. */
void cs_strmap_init(struct cs_strmap *m);
/* Sets key (copied) to value, replacing an existing value. Returns 0, or -1 when out of memory. */
int cs_strmap_put(struct cs_strmap *m, const char *key, int64_t value);
/* Finds key; returns 1 and sets *value when present, else 0. */
int cs_strmap_get(const struct cs_strmap *m, const char *key, int64_t *value);
/* Frees the keys and slots; the map may be initialised again. */
void cs_strmap_free(struct cs_strmap *m);

#endif
