/*
 * A small map from a key to a value (a small integer or a pointer), for
 * the cold tables: the lookup service's entries (lookups/lookup.c), the
 * console's per-host bookkeeping (tui/list.c) and the local-side
 * inference's addresses, pairs and SYNs (analysis/ana.c). Keys are an
 * address (ns_amap_init) or bytes of a length fixed at ns_amap_init_len.
 * Open addressing, linear probing, grown at half full; keyed SipHash,
 * because the keys come off the wire and could be chosen to collide. Not
 * for the per-packet tables of analysis/, which are laid out for their
 * access pattern (analysis/internal.h). Not thread-safe: its owner locks
 * it, as lookup.c does.
 */
#ifndef NS_AMAP_H
#define NS_AMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/addr.h"

struct ns_amap {
	uint8_t *keys;		/* klen bytes a slot */
	uintptr_t *vals;
	uint8_t *used;		/* 0: an empty slot */
	uint32_t mask, n;
	size_t klen;
	uint8_t key[16];
};

/* Keyed by address. */
void ns_amap_init(struct ns_amap *);
/* Keyed by klen bytes (the _key functions). */
void ns_amap_init_len(struct ns_amap *, size_t klen);
void ns_amap_free(struct ns_amap *);
/* Forget every key; the table keeps its size. */
void ns_amap_clear(struct ns_amap *);
bool ns_amap_get(const struct ns_amap *, const struct ns_addr *, uintptr_t *);
/* Add a, or replace its value. An address of af 0 is not stored. */
void ns_amap_put(struct ns_amap *, const struct ns_addr *, uintptr_t);
/* Remove a; false if it was not there. */
bool ns_amap_del(struct ns_amap *, const struct ns_addr *);
/* The same for the klen bytes at k. */
bool ns_amap_get_key(const struct ns_amap *, const void *k, uintptr_t *);
void ns_amap_put_key(struct ns_amap *, const void *k, uintptr_t);
bool ns_amap_del_key(struct ns_amap *, const void *k);
/* Add k if it is not there: whether it was new. */
bool ns_amap_add_key(struct ns_amap *, const void *k);

#endif
