/*
 * A minimal pcapng writer (draft-ietf-opsawg-pcapng): one section, one
 * interface per link type, enhanced packet blocks with nanosecond
 * timestamps. Used for evidence captures.
 */
#ifndef NS_PCAPNG_H
#define NS_PCAPNG_H

#include <stdint.h>
#include <stdio.h>

#define PCAPNG_MAX_IFACES 8

struct pcapng_w {
	FILE *f;
	int dlts[PCAPNG_MAX_IFACES];
	int n_ifaces;
	uint64_t packets;
};

int pcapng_begin(struct pcapng_w *, FILE *, const char *comment);
int pcapng_packet(struct pcapng_w *, int dlt, double ts, const uint8_t *data,
    uint32_t caplen, uint32_t wirelen);

#endif
