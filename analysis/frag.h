/*
 * The fragments of one IP datagram (RFC 791 section 3.2; RFC 8200
 * section 4.5): only the first carries the transport header, so the
 * later ones are told what it said by a small bounded table keyed by
 * (source, destination, protocol, identification). Only analysis/
 * includes this header.
 */
#ifndef NS_ANA_FRAG_H
#define NS_ANA_FRAG_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/decode.h"

/* Seconds a datagram's fragments are kept together: Linux's ipfrag_time. */
#define FRAG_TTL 30.0
#define FRAG_WAYS 4		/* entries per bucket */
#define FRAG_DEFAULT 4096	/* entries: 72 bytes each */

/* What the first fragment of a datagram said, for its later ones. */
#define FRAG_NTP_REQUEST 0x01
#define FRAG_NTP_RESPONSE 0x02
#define FRAG_NTP_MODE67 0x04
struct frag_info {
	bool resp;		/* an inbound reply by its kind (is_response_kind) */
	bool has_ports;
	uint8_t ntp;		/* FRAG_NTP_ bits, 0 when not NTP */
	uint8_t tcp_flags, icmp_type, icmp_code;
	uint16_t sport, dport;
};

struct frag_table;

/* max_entries is rounded up to a multiple of FRAG_WAYS; memory is allocated once. */
struct frag_table *frag_new(uint32_t max_entries);
void frag_free(struct frag_table *);
/*
 * A first fragment: what it says is kept for FRAG_TTL seconds. *n and
 * *bytes are the later fragments of the same datagram that came before
 * it and were counted unattributed (frag_orphan), now forgotten.
 */
void frag_first(struct frag_table *, const struct pkt *, const struct frag_info *,
    uint32_t *n, uint64_t *bytes);
/* A later fragment: true, and *fi, when its first fragment was kept. */
bool frag_later(struct frag_table *, const struct pkt *, struct frag_info *);
/* A later fragment counted without its first: kept for frag_first to return. */
void frag_orphan(struct frag_table *, const struct pkt *);
/* Entries in use (live or expired but not yet reused), and their bound. */
uint32_t frag_used(const struct frag_table *);
uint32_t frag_capacity(const struct frag_table *);

#endif
