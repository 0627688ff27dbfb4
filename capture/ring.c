#include "config.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "capture/ring.h"
#include "common/util.h"

#define RING_PREFETCH 4

struct cap_ring {
	/* Written by the producer. */
	alignas(64) _Atomic uint64_t head;
	uint64_t tail_cache;
	/* Written by the consumer. */
	alignas(64) _Atomic uint64_t tail;
	uint64_t head_cache;
	alignas(64) uint64_t mask;
	struct cap_slot *slots;
};

_Static_assert(sizeof(struct cap_slot) == CAP_SLOT_SIZE, "slot layout");

struct cap_ring *
cap_ring_new(unsigned order)
{
	struct cap_ring *r;

	if (order < 1 || order > 24)
		fatalx("ring order %u out of range", order);
	if (posix_memalign((void **)&r, 64, sizeof(*r)) != 0)
		fatalx("out of memory for the capture ring");
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	r->tail_cache = r->head_cache = 0;
	r->mask = ((uint64_t)1 << order) - 1;
	r->slots = ns_big_alloc((size_t)1 << order, sizeof(struct cap_slot));
	return r;
}

void
cap_ring_free(struct cap_ring *r)
{
	if (r == NULL)
		return;
	ns_big_free(r->slots, r->mask + 1, sizeof(struct cap_slot));
	free(r);
}

unsigned
cap_ring_size(const struct cap_ring *r)
{
	return (unsigned)(r->mask + 1);
}

struct cap_slot *
cap_ring_reserve(struct cap_ring *r)
{
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	if (head - r->tail_cache > r->mask) {
		r->tail_cache = atomic_load_explicit(&r->tail, memory_order_acquire);
		if (head - r->tail_cache > r->mask)
			return NULL;
	}
	return &r->slots[head & r->mask];
}

void
cap_ring_commit(struct cap_ring *r)
{
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	atomic_store_explicit(&r->head, head + 1, memory_order_release);
}

struct cap_slot *
cap_ring_peek(struct cap_ring *r)
{
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);

	if (tail == r->head_cache) {
		r->head_cache = atomic_load_explicit(&r->head, memory_order_acquire);
		if (tail == r->head_cache)
			return NULL;
	}
	/*
	 * The producer wrote the next slots from another core: ask for the
	 * headers of one a few places ahead now, so that it is in this
	 * core's cache when its turn comes.
	 */
	if (r->head_cache - tail > RING_PREFETCH) {
		const char *ahead = (const char *)&r->slots[(tail + RING_PREFETCH) & r->mask];

		__builtin_prefetch(ahead);
		__builtin_prefetch(ahead + 64);
		__builtin_prefetch(ahead + 128);
	}
	return &r->slots[tail & r->mask];
}

void
cap_ring_release(struct cap_ring *r)
{
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);

	atomic_store_explicit(&r->tail, tail + 1, memory_order_release);
}

unsigned
cap_ring_used(struct cap_ring *r)
{
	uint64_t h = atomic_load_explicit(&r->head, memory_order_acquire);
	uint64_t t = atomic_load_explicit(&r->tail, memory_order_acquire);

	return (unsigned)(h - t);
}
