/*
 * A small map from address to a value (a small integer or a pointer), for
 * the cold tables: the lookup service's entries (lookups/lookup.c) and the
 * console's per-host bookkeeping (tui/list.c). Open addressing, linear
 * probing, grown at half full; keyed SipHash, because the addresses come
 * off the wire and could be chosen to collide. Not for the per-packet
 * tables of analysis/, which are laid out for their access pattern.
 * Not thread-safe: its owner locks it, as lookup.c does.
 */
#ifndef NS_AMAP_H
#define NS_AMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "common/addr.h"

struct ns_amap {
	struct ns_addr *keys;	/* af 0: an empty slot */
	uintptr_t *vals;
	uint32_t mask, n;
	uint8_t key[16];
};

void ns_amap_init(struct ns_amap *);
void ns_amap_free(struct ns_amap *);
/* Forget every address; the table keeps its size. */
void ns_amap_clear(struct ns_amap *);
bool ns_amap_get(const struct ns_amap *, const struct ns_addr *, uintptr_t *);
/* Add a, or replace its value. An address of af 0 is not stored. */
void ns_amap_put(struct ns_amap *, const struct ns_addr *, uintptr_t);
/* Remove a; false if it was not there. */
bool ns_amap_del(struct ns_amap *, const struct ns_addr *);

#endif
