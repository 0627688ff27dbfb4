#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/amap.h"
#include "common/util.h"

#define AMAP_INIT 64

/* The address as it is stored and hashed: af, then 4 or 16 bytes, the rest 0. */
static struct ns_addr
canonical(const struct ns_addr *a)
{
	struct ns_addr c;

	memset(&c, 0, sizeof(c));
	c.af = a->af;
	memcpy(c.b, a->b, a->af == 4 ? 4 : 16);
	return c;
}

static const uint8_t *
key_at(const struct ns_amap *m, uint32_t i)
{
	return m->keys + (size_t)i * m->klen;
}

static uint32_t
home(const struct ns_amap *m, const void *k)
{
	return (uint32_t)ns_siphash(m->key, k, m->klen) & m->mask;
}

/* The slot of k, or of the empty slot where it would go. */
static uint32_t
probe(const struct ns_amap *m, const void *k)
{
	uint32_t i = home(m, k);

	/* The load stays below 1/2: there is always an empty slot. */
	while (m->used[i] && memcmp(key_at(m, i), k, m->klen) != 0)
		i = (i + 1) & m->mask;
	return i;
}

static void
alloc(struct ns_amap *m, uint32_t size)
{
	m->mask = size - 1;
	m->n = 0;
	m->keys = xcalloc(size, m->klen);
	m->vals = xcalloc(size, sizeof(*m->vals));
	m->used = xcalloc(size, 1);
}

void
ns_amap_init_len(struct ns_amap *m, size_t klen)
{
	memset(m, 0, sizeof(*m));
	m->klen = klen;
	ns_random_bytes(m->key, sizeof(m->key));
	alloc(m, AMAP_INIT);
}

void
ns_amap_init(struct ns_amap *m)
{
	ns_amap_init_len(m, sizeof(struct ns_addr));
}

void
ns_amap_free(struct ns_amap *m)
{
	free(m->keys);
	free(m->vals);
	free(m->used);
	m->keys = NULL;
	m->vals = NULL;
	m->used = NULL;
	m->n = 0;
}

void
ns_amap_clear(struct ns_amap *m)
{
	memset(m->used, 0, (size_t)m->mask + 1);
	m->n = 0;
}

bool
ns_amap_get_key(const struct ns_amap *m, const void *k, uintptr_t *val)
{
	uint32_t i = probe(m, k);

	if (!m->used[i])
		return false;
	*val = m->vals[i];
	return true;
}

static void
grow(struct ns_amap *m)
{
	uint8_t *ok = m->keys, *ou = m->used;
	uintptr_t *ov = m->vals;
	uint32_t osize = m->mask + 1;

	alloc(m, osize * 2);
	for (uint32_t i = 0; i < osize; i++)
		if (ou[i])
			ns_amap_put_key(m, ok + (size_t)i * m->klen, ov[i]);
	free(ok);
	free(ov);
	free(ou);
}

/* The slot k is in, added if it was not: *fresh says which. */
static uint32_t
slot_for(struct ns_amap *m, const void *k, bool *fresh)
{
	uint32_t i;

	if ((m->n + 1) * 2 > m->mask + 1)
		grow(m);
	i = probe(m, k);
	*fresh = !m->used[i];
	if (*fresh) {
		memcpy(m->keys + (size_t)i * m->klen, k, m->klen);
		m->used[i] = 1;
		m->vals[i] = 0;
		m->n++;
	}
	return i;
}

void
ns_amap_put_key(struct ns_amap *m, const void *k, uintptr_t val)
{
	bool fresh;
	uint32_t i = slot_for(m, k, &fresh);	/* first: it may move m->vals */

	m->vals[i] = val;
}

bool
ns_amap_add_key(struct ns_amap *m, const void *k)
{
	bool fresh;

	slot_for(m, k, &fresh);
	return fresh;
}

/*
 * Deletion without tombstones (Knuth's algorithm R): the entries after
 * the hole move back into it unless their home slot lies cyclically after
 * the hole, so that every probe still finds them.
 */
bool
ns_amap_del_key(struct ns_amap *m, const void *k)
{
	uint32_t hole = probe(m, k), j;

	if (!m->used[hole])
		return false;
	for (j = (hole + 1) & m->mask; m->used[j]; j = (j + 1) & m->mask) {
		uint32_t h = home(m, key_at(m, j));

		/* Stays if its home is in (hole, j]. */
		if (((j - h) & m->mask) < ((j - hole) & m->mask))
			continue;
		memcpy(m->keys + (size_t)hole * m->klen, key_at(m, j), m->klen);
		m->vals[hole] = m->vals[j];
		hole = j;
	}
	m->used[hole] = 0;
	m->vals[hole] = 0;
	m->n--;
	return true;
}

bool
ns_amap_get(const struct ns_amap *m, const struct ns_addr *a, uintptr_t *val)
{
	struct ns_addr c = canonical(a);

	return c.af != 0 && ns_amap_get_key(m, &c, val);
}

void
ns_amap_put(struct ns_amap *m, const struct ns_addr *a, uintptr_t val)
{
	struct ns_addr c = canonical(a);

	if (c.af != 0)
		ns_amap_put_key(m, &c, val);
}

bool
ns_amap_del(struct ns_amap *m, const struct ns_addr *a)
{
	struct ns_addr c = canonical(a);

	return c.af != 0 && ns_amap_del_key(m, &c);
}
