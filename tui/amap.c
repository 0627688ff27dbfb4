/*
 * A small open-addressing map from address to uint32_t, for the console's
 * per-host bookkeeping (frozen order, reverse-DNS names). Keyed SipHash,
 * as the analysis tables are, because the addresses come off the wire
 * and could be chosen to collide.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "tui/tui.h"

#define AMAP_INIT 64

static uint32_t
slot_of(const struct tui_amap *m, const struct ns_addr *a)
{
	return (uint32_t)ns_siphash(m->key, a, sizeof(*a)) & m->mask;
}

void
tui_amap_init(struct tui_amap *m)
{
	memset(m, 0, sizeof(*m));
	ns_random_bytes(m->key, sizeof(m->key));
	m->mask = AMAP_INIT - 1;
	m->keys = xcalloc(AMAP_INIT, sizeof(*m->keys));
	m->vals = xcalloc(AMAP_INIT, sizeof(*m->vals));
}

void
tui_amap_free(struct tui_amap *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
}

void
tui_amap_clear(struct tui_amap *m)
{
	memset(m->keys, 0, ((size_t)m->mask + 1) * sizeof(*m->keys));
	m->n = 0;
}

bool
tui_amap_get(const struct tui_amap *m, const struct ns_addr *a, uint32_t *val)
{
	uint32_t i = slot_of(m, a);

	/* af 0 marks an empty slot; the load stays below 1/2. */
	while (m->keys[i].af != 0) {
		if (ns_addr_eq(&m->keys[i], a)) {
			*val = m->vals[i];
			return true;
		}
		i = (i + 1) & m->mask;
	}
	return false;
}

static void
grow(struct tui_amap *m)
{
	struct ns_addr *ok = m->keys;
	uint32_t *ov = m->vals, osize = m->mask + 1;

	m->mask = osize * 2 - 1;
	m->keys = xcalloc((size_t)osize * 2, sizeof(*m->keys));
	m->vals = xcalloc((size_t)osize * 2, sizeof(*m->vals));
	m->n = 0;
	for (uint32_t i = 0; i < osize; i++)
		if (ok[i].af != 0)
			tui_amap_put(m, &ok[i], ov[i]);
	free(ok);
	free(ov);
}

void
tui_amap_put(struct tui_amap *m, const struct ns_addr *a, uint32_t val)
{
	uint32_t i;

	if (a->af == 0)
		return;
	if ((m->n + 1) * 2 > m->mask + 1)
		grow(m);
	i = slot_of(m, a);
	while (m->keys[i].af != 0) {
		if (ns_addr_eq(&m->keys[i], a)) {
			m->vals[i] = val;
			return;
		}
		i = (i + 1) & m->mask;
	}
	m->keys[i] = *a;
	m->vals[i] = val;
	m->n++;
}
