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

static uint32_t
home(const struct ns_amap *m, const struct ns_addr *c)
{
	return (uint32_t)ns_siphash(m->key, c, sizeof(*c)) & m->mask;
}

/* The slot of c, or of the empty slot where it would go. */
static uint32_t
probe(const struct ns_amap *m, const struct ns_addr *c)
{
	uint32_t i = home(m, c);

	/* The load stays below 1/2: there is always an empty slot. */
	while (m->keys[i].af != 0 && !ns_addr_eq(&m->keys[i], c))
		i = (i + 1) & m->mask;
	return i;
}

static void
alloc(struct ns_amap *m, uint32_t size)
{
	m->mask = size - 1;
	m->n = 0;
	m->keys = xcalloc(size, sizeof(*m->keys));
	m->vals = xcalloc(size, sizeof(*m->vals));
}

void
ns_amap_init(struct ns_amap *m)
{
	memset(m, 0, sizeof(*m));
	ns_random_bytes(m->key, sizeof(m->key));
	alloc(m, AMAP_INIT);
}

void
ns_amap_free(struct ns_amap *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
	m->n = 0;
}

void
ns_amap_clear(struct ns_amap *m)
{
	memset(m->keys, 0, ((size_t)m->mask + 1) * sizeof(*m->keys));
	m->n = 0;
}

bool
ns_amap_get(const struct ns_amap *m, const struct ns_addr *a, uintptr_t *val)
{
	struct ns_addr c = canonical(a);
	uint32_t i;

	if (c.af == 0)
		return false;
	i = probe(m, &c);
	if (m->keys[i].af == 0)
		return false;
	*val = m->vals[i];
	return true;
}

static void
grow(struct ns_amap *m)
{
	struct ns_addr *ok = m->keys;
	uintptr_t *ov = m->vals;
	uint32_t osize = m->mask + 1;

	alloc(m, osize * 2);
	for (uint32_t i = 0; i < osize; i++)
		if (ok[i].af != 0)
			ns_amap_put(m, &ok[i], ov[i]);
	free(ok);
	free(ov);
}

void
ns_amap_put(struct ns_amap *m, const struct ns_addr *a, uintptr_t val)
{
	struct ns_addr c = canonical(a);
	uint32_t i;

	if (c.af == 0)
		return;
	if ((m->n + 1) * 2 > m->mask + 1)
		grow(m);
	i = probe(m, &c);
	if (m->keys[i].af == 0) {
		m->keys[i] = c;
		m->n++;
	}
	m->vals[i] = val;
}

/*
 * Deletion without tombstones (Knuth's algorithm R): the entries after
 * the hole move back into it unless their home slot lies cyclically after
 * the hole, so that every probe still finds them.
 */
bool
ns_amap_del(struct ns_amap *m, const struct ns_addr *a)
{
	struct ns_addr c = canonical(a);
	uint32_t hole, j;

	if (c.af == 0)
		return false;
	hole = probe(m, &c);
	if (m->keys[hole].af == 0)
		return false;
	for (j = (hole + 1) & m->mask; m->keys[j].af != 0; j = (j + 1) & m->mask) {
		uint32_t h = home(m, &m->keys[j]);

		/* Stays if its home is in (hole, j]. */
		if (((j - h) & m->mask) < ((j - hole) & m->mask))
			continue;
		m->keys[hole] = m->keys[j];
		m->vals[hole] = m->vals[j];
		hole = j;
	}
	memset(&m->keys[hole], 0, sizeof(m->keys[hole]));
	m->vals[hole] = 0;
	m->n--;
	return true;
}
