/*
 * A single-producer/single-consumer ring of variable-length records
 * between a capture thread and the main thread. Each record is a struct
 * cap_slot header and the frame, rounded up to whole cache lines, so that
 * a ring holds as many frames as their sizes allow (six times as many as
 * fixed 2 KiB slots for the benchmark's mix) and producer and consumer
 * never write the same line. A record never wraps: the producer pads the
 * end of the buffer with a skip record instead. Head and tail (byte
 * counts) live on separate cache lines and each side keeps a cached copy
 * of the other's, as in concurrencykit's ck_ring. C11 acquire/release
 * only.
 */
#ifndef NS_RING_H
#define NS_RING_H

#include <stdbool.h>
#include <stdint.h>

/* Up to 2024 bytes of a frame: every header and a full monlist reply. */
#define CAP_SLOT_DATA 2024
#define CAP_REC_ALIGN 64

struct cap_slot {
	double ts;
	uint32_t caplen;	/* bytes in data[] */
	uint32_t wirelen;	/* bytes on the wire */
	uint32_t frameno;	/* 1-based frame number within its source */
	uint16_t source;
	uint16_t dlt;
	uint32_t size;		/* of the record, header included (ring use) */
	uint32_t skip;		/* nonzero: padding to the end of the buffer */
	const uint8_t *pkt;	/* the frame: data[], or a block of the capture file */
	uint8_t data[];
};

struct cap_ring;

/* A ring of 2^order bytes (order 12 to 30). */
struct cap_ring *cap_ring_new(unsigned order);
void cap_ring_free(struct cap_ring *);
/* Its size in bytes. */
uint64_t cap_ring_size(const struct cap_ring *);
/*
 * Producer: a record with room for caplen (<= CAP_SLOT_DATA) bytes of
 * frame, or NULL when the ring has no room. Fill it, then commit it.
 */
struct cap_slot *cap_ring_reserve(struct cap_ring *, uint32_t caplen);
void cap_ring_commit(struct cap_ring *);
/* Consumer: the oldest record, or NULL when the ring is empty. */
struct cap_slot *cap_ring_peek(struct cap_ring *);
void cap_ring_release(struct cap_ring *);
/*
 * Bytes committed (producer side) and released (either side) since the
 * start: a record committed when the first read c is released when the
 * second reads at least c.
 */
uint64_t cap_ring_committed(struct cap_ring *);
uint64_t cap_ring_released(struct cap_ring *);
/* Approximate bytes in use (either side may call). */
uint64_t cap_ring_used(struct cap_ring *);

#endif
