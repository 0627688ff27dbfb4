#include "config.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "capture/ring.h"
#include "common/util.h"

/* Records a few places ahead are fetched to the consumer's cache early. */
#define RING_PREFETCH_BYTES 1024
/*
 * And the frames of the next few records: a frame the capture thread read
 * into a block of a capture file is not in this core's cache when its
 * turn comes.
 */
#define RING_LOOKAHEAD 8

struct cap_ring {
	/* Written by the producer. */
	alignas(64) _Atomic uint64_t head;	/* bytes committed, ever */
	uint64_t tail_cache;
	uint64_t pending;			/* bytes the reserved record takes */
	/* Written by the consumer. */
	alignas(64) _Atomic uint64_t tail;	/* bytes released, ever */
	uint64_t head_cache;
	uint64_t ahead;				/* the next record whose frame to prefetch */
	unsigned n_ahead;			/* frames prefetched past the tail's */
	alignas(64) uint64_t mask;
	uint8_t *buf;
};

static uint32_t
rec_size(uint32_t caplen)
{
	return (uint32_t)((sizeof(struct cap_slot) + caplen + CAP_REC_ALIGN - 1) &
	    ~(uint32_t)(CAP_REC_ALIGN - 1));
}

struct cap_ring *
cap_ring_new(unsigned order)
{
	struct cap_ring *r;

	if (order < 12 || order > 30)
		fatalx("ring order %u out of range", order);
	if (posix_memalign((void **)&r, 64, sizeof(*r)) != 0)
		fatalx("out of memory for the capture ring");
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	r->tail_cache = r->head_cache = r->pending = 0;
	r->ahead = 0;
	r->n_ahead = 0;
	r->mask = ((uint64_t)1 << order) - 1;
	r->buf = ns_big_alloc((size_t)1 << order, 1);
	return r;
}

void
cap_ring_free(struct cap_ring *r)
{
	if (r == NULL)
		return;
	ns_big_free(r->buf, r->mask + 1, 1);
	free(r);
}

uint64_t
cap_ring_size(const struct cap_ring *r)
{
	return r->mask + 1;
}

struct cap_slot *
cap_ring_reserve(struct cap_ring *r, uint32_t caplen)
{
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	uint64_t pos = head & r->mask, room = r->mask + 1 - pos;
	uint32_t need = rec_size(caplen > CAP_SLOT_DATA ? CAP_SLOT_DATA : caplen);
	uint64_t total = room < need ? room + need : need;
	struct cap_slot *s;

	if (head + total - r->tail_cache > r->mask + 1) {
		r->tail_cache = atomic_load_explicit(&r->tail, memory_order_acquire);
		if (head + total - r->tail_cache > r->mask + 1)
			return NULL;
	}
	if (room < need) {
		/* Pad to the end; the record starts over at 0. */
		s = (struct cap_slot *)(void *)(r->buf + pos);
		s->size = (uint32_t)room;
		s->skip = 1;
		pos = 0;
	}
	s = (struct cap_slot *)(void *)(r->buf + pos);
	s->size = need;
	s->skip = 0;
	r->pending = total;
	return s;
}

void
cap_ring_commit(struct cap_ring *r)
{
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	atomic_store_explicit(&r->head, head + r->pending, memory_order_release);
	r->pending = 0;
}

struct cap_slot *
cap_ring_peek(struct cap_ring *r)
{
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	struct cap_slot *s;

	for (;;) {
		if (tail == r->head_cache) {
			r->head_cache = atomic_load_explicit(&r->head, memory_order_acquire);
			if (tail == r->head_cache)
				return NULL;
		}
		s = (struct cap_slot *)(void *)(r->buf + (tail & r->mask));
		if (!s->skip)
			break;
		tail += s->size;
		atomic_store_explicit(&r->tail, tail, memory_order_release);
	}
	/*
	 * The producer wrote the next records from another core: ask for
	 * what lies a few records ahead now, so that it is in this core's
	 * cache when its turn comes.
	 */
	if (r->head_cache - tail > RING_PREFETCH_BYTES + 128) {
		const uint8_t *ahead = r->buf + ((tail + RING_PREFETCH_BYTES) & r->mask);

		__builtin_prefetch(ahead);
		__builtin_prefetch(ahead + 64);
	}
	if (r->ahead <= tail) {
		r->ahead = tail + s->size;
		r->n_ahead = 0;
	}
	while (r->n_ahead < RING_LOOKAHEAD && r->ahead < r->head_cache) {
		const struct cap_slot *x = (const struct cap_slot *)(const void *)
		    (r->buf + (r->ahead & r->mask));

		if (!x->skip) {
			/* pkt is the producer's to set; a record without one has nothing to fetch. */
			if (x->pkt != NULL) {
				/* The second line may lie past the frame's buffer: an address, not a pointer. */
				__builtin_prefetch(x->pkt);
				__builtin_prefetch((const void *)((uintptr_t)x->pkt + 64));
			}
			r->n_ahead++;
		}
		r->ahead += x->size;
	}
	return s;
}

void
cap_ring_release(struct cap_ring *r)
{
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	const struct cap_slot *s = (const struct cap_slot *)(const void *)(r->buf + (tail & r->mask));

	/* The record after this one is the tail's next: its frame was one of those prefetched. */
	if (r->n_ahead > 0)
		r->n_ahead--;
	atomic_store_explicit(&r->tail, tail + s->size, memory_order_release);
}

uint64_t
cap_ring_committed(struct cap_ring *r)
{
	return atomic_load_explicit(&r->head, memory_order_relaxed);
}

uint64_t
cap_ring_released(struct cap_ring *r)
{
	return atomic_load_explicit(&r->tail, memory_order_acquire);
}

uint64_t
cap_ring_used(struct cap_ring *r)
{
	uint64_t h = atomic_load_explicit(&r->head, memory_order_acquire);
	uint64_t t = atomic_load_explicit(&r->tail, memory_order_acquire);

	return h - t;
}
