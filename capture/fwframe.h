/*
 * A firewall log's packets through a capture ring: each packet a log
 * line stands for travels as a frame of a private link type whose bytes
 * are the struct pkt fields the analysis uses, then the rule text and
 * what was captured of the payload (sampled packets of sFlow). Only
 * this program writes these frames, but cap_decode() reads them as it
 * reads any frame: with bounds checks, a cut frame an error.
 */
#ifndef NS_FWFRAME_H
#define NS_FWFRAME_H

#include <stddef.h>
#include <stdint.h>

#include "capture/decode.h"

/* DLT_USER15: for private use, never in a capture file we read. */
#define DLT_FWLOG 162
#define FWFRAME_HDR 98		/* fixed part, before the rule text */
#define FWFRAME_MAX (FWFRAME_HDR + UINT16_MAX)

/*
 * Write p's fields (ts aside: the ring slot has it) into buf; returns the
 * frame's length, or 0 when buf is shorter. The rule is cut to what fits
 * in len.
 */
size_t fwframe_encode(const struct pkt *p, uint8_t *buf, size_t len);
/*
 * Rebuild p from a frame: p->rule points into data, and so do payload
 * and frame when the frame carries payload bytes (NULL otherwise).
 */
enum pkt_err fwframe_decode(struct pkt *p, const uint8_t *data, uint32_t caplen);

#endif
