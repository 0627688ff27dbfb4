/*
 * The unit tests' way to give the analysis a frame: decode it as the
 * session's pump does, then the one entry point.
 */
#ifndef NS_TEST_FEED_H
#define NS_TEST_FEED_H

#include "analysis/ana.h"
#include "capture/decode.h"

static inline void
feed_frame(struct ana *a, int dlt, double ts, const uint8_t *b, size_t n)
{
	struct pkt p;

	cap_decode_frame(&p, 0, dlt, ts, 1, b, (uint32_t)n, (uint32_t)n);
	ana_packet(a, &p);
}

#endif
