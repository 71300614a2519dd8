/* Open-addressing hash map from strings to integers (FNV-1a hash, linear probing). */
#include "util/strmap.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

void cs_strmap_init(struct cs_strmap *m)
{
	m->slots = NULL;
	m->capacity = 0;
	m->count = 0;
}

static struct cs_strmap_slot *find(struct cs_strmap_slot *slots, size_t capacity, const char *key)
{
	size_t i = (size_t)hash(key) & (capacity - 1);
	while (slots[i].key != NULL && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (capacity - 1);
	return &slots[i];
}

static int grow(struct cs_strmap *m)
{
	size_t capacity = m->capacity ? m->capacity * 2 : 64;
	struct cs_strmap_slot *slots = calloc(capacity, sizeof *slots);

	if (slots == NULL)
		return -1;
	for (size_t i = 0; i < m->capacity; i++) {
		if (m->slots[i].key != NULL)
			*find(slots, capacity, m->slots[i].key) = m->slots[i];
	}
	free(m->slots);
	m->slots = slots;
	m->capacity = capacity;
	return 0;
}

int cs_strmap_put(struct cs_strmap *m, const char *key, int64_t value)
{
	struct cs_strmap_slot *slot;

	if ((m->count + 1) * 2 > m->capacity && grow(m) != 0)
		return -1;
	slot = find(m->slots, m->capacity, key);
	if (slot->key == NULL) {
		slot->key = strdup(key);
		if (slot->key == NULL)
			return -1;
		m->count++;
	}
	slot->value = value;
	return 0;
}

int cs_strmap_get(const struct cs_strmap *m, const char *key, int64_t *value)
{
	struct cs_strmap_slot *slot;

	if (m->capacity == 0)
		return 0;
	slot = find(m->slots, m->capacity, key);
	if (slot->key == NULL)
		return 0;
	*value = slot->value;
	return 1;
}

void cs_strmap_free(struct cs_strmap *m)
{
	for (size_t i = 0; i < m->capacity; i++)
		free(m->slots[i].key);
	free(m->slots);
	cs_strmap_init(m);
}
