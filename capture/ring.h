/*
 * A fixed-slot single-producer/single-consumer ring between a capture
 * thread and the main thread. Power-of-two size; head and tail live on
 * separate cache lines and each side keeps a cached copy of the other's
 * index, as in concurrencykit's ck_ring. C11 acquire/release only.
 */
#ifndef NS_RING_H
#define NS_RING_H

#include <stdbool.h>
#include <stdint.h>

/* 2 KiB a slot: enough for every header and a full monlist reply. */
#define CAP_SLOT_SIZE 2048
#define CAP_SLOT_HDR 24
#define CAP_SLOT_DATA (CAP_SLOT_SIZE - CAP_SLOT_HDR)

struct cap_slot {
	double ts;
	uint32_t caplen;	/* bytes in data[] */
	uint32_t wirelen;	/* bytes on the wire */
	uint32_t frameno;	/* 1-based frame number within its source */
	uint16_t source;
	uint16_t dlt;
	uint8_t data[CAP_SLOT_DATA];
};

struct cap_ring;

struct cap_ring *cap_ring_new(unsigned order);
void cap_ring_free(struct cap_ring *);
unsigned cap_ring_size(const struct cap_ring *);
/* Producer: a free slot to fill, or NULL when the ring is full. */
struct cap_slot *cap_ring_reserve(struct cap_ring *);
void cap_ring_commit(struct cap_ring *);
/* Consumer: the oldest filled slot, or NULL when the ring is empty. */
struct cap_slot *cap_ring_peek(struct cap_ring *);
void cap_ring_release(struct cap_ring *);
/* Approximate fill (either side may call). */
unsigned cap_ring_used(struct cap_ring *);

#endif
