/*
 * sFlow version 5 (sflow.org, "sFlow Version 5", July 2004): the
 * datagram's flow samples and, in them, the sampled packet headers,
 * which are packets: decoded by cap_decode_frame() as a capture's are,
 * and handed on as records that carry their header (struct flow_rec
 * hdr), each standing for as many packets as the sampling rate says.
 *
 * Datagram (XDR: every number a big-endian 32-bit word):
 *
 *  +---------------------------------------------------------------+
 *  |                         version (5)                           |
 *  |              agent address type (1 IPv4, 2 IPv6)              |
 *  |              agent address (4 or 16 bytes)                    |
 *  |                        sub-agent id                           |
 *  |               sequence number (datagrams)                     |
 *  |                     uptime (ms)                               |
 *  |                   number of samples                           |
 *  +---------------------------------------------------------------+
 *  sample: | enterprise (20 bits) | format (12 bits) | length | body |
 *
 * Flow sample (0, 1):          Expanded flow sample (0, 3):
 *  | sequence number |          | sequence number |
 *  | source id (type:8 index:24)| source id type | source id index |
 *  | sampling rate | sample pool | drops |  (the same three)
 *  | input | output |           | input format | value | output format | value |
 *  | number of records |        | number of records |
 *  record: | enterprise:20 format:12 | length | body |
 *
 * Raw packet header (record 0, 1):
 *  | header protocol (1 Ethernet, 11 IPv4, 12 IPv6) | frame length |
 *  | stripped | header length | header bytes, padded to 4 |
 *
 * Counter samples (0, 2 and 0, 4) and every other sample or record are
 * skipped by their lengths. Every length is checked against what is
 * left of its container before it is used: a sample or record that runs
 * past it refuses the rest of the datagram (what came before is kept);
 * a header longer than its record refuses that record.
 *
 * Time: a sample has none of its own. A datagram's flow samples are
 * spread evenly, in their order, over the time since the agent's
 * previous datagram (at most SFLOW_DGRAM_SPAN), ending when it came.
 * Each sample stands for the packets its data source's sample pool grew
 * by since the previous sample (N, on average, at 1 in N; N itself for
 * a source's first sample, or after a lost one): the sampled one at its
 * time, the others spread evenly back to the previous sample of its
 * data source (at most SFLOW_SOURCE_SPAN before): the next sample is
 * not known when this one is read, and the gap before it holds the
 * packets it stands for. flowfeed.c caps them as it caps flows.
 */
#include "config.h"

#include <string.h>

#include <pcap/pcap.h>

#include "capture/flowdec.h"
#include "common/util.h"

/* A datagram's samples are spread over at most this much before it came. */
#define SFLOW_DGRAM_SPAN 1.0
/* A sample's unsampled packets are spread over at most this much before it. */
#define SFLOW_SOURCE_SPAN 10.0

enum {
	SF_FLOW_SAMPLE = 1, SF_COUNTER_SAMPLE = 2, SF_FLOW_EXPANDED = 3,
	SF_COUNTER_EXPANDED = 4,
	SF_RAW_HEADER = 1,
	SF_HDR_ETHERNET = 1, SF_HDR_IPV4 = 11, SF_HDR_IPV6 = 12,
};

/* A sample pool that moved more than this many times the rate is not believed. */
#define SFLOW_POOL_SLACK 64

/* What one flow sample says about its packets. */
struct sample {
	uint32_t rate;			/* 1 in rate, as announced */
	uint32_t stands_for;		/* packets this sample stands for */
	uint32_t in_if, out_if;
	double ts, start;
};

/* The data source of a sample, made when new (the least recently heard replaced). */
static struct sflow_source *
source_get(struct dom *dm, uint32_t id)
{
	struct sflow_source *best = &dm->sf[0];

	for (unsigned i = 0; i < SFLOW_SOURCES; i++) {
		struct sflow_source *s = &dm->sf[i];

		if (s->used && s->id == id)
			return s;
		if (!best->used)
			continue;
		if (!s->used || s->last < best->last)
			best = s;
	}
	memset(best, 0, sizeof(*best));
	best->used = true;
	best->id = id;
	return best;
}

static int
header_dlt(uint32_t proto)
{
	switch (proto) {
	case SF_HDR_ETHERNET:
		return DLT_EN10MB;
	case SF_HDR_IPV4:
	case SF_HDR_IPV6:
		return DLT_RAW;	/* told apart by the IP version */
	default:
		return -1;
	}
}

/* A raw packet header record (body at c) of sample s: a packet. */
static void
raw_header(struct msg *m, const struct sample *s, struct cur *c)
{
	struct flow_dec *d = m->d;
	struct dom *dm = m->dm;
	uint32_t frame_len = get_be32(c, 4), hlen = get_be32(c, 12);
	int dlt = header_dlt(get_be32(c, 0));
	const uint8_t *hdr;
	struct flow_rec r;
	struct pkt p;

	if (c->trunc || hlen > cur_left(c) - 16) {
		d->st.bad_length++;
		dm->st.bad++;
		return;
	}
	hdr = get_bytes(c, 16, hlen);
	if (hlen > FLOW_SFLOW_HEADER)
		hlen = FLOW_SFLOW_HEADER;	/* the rest is payload the analysis need not keep */
	if (frame_len < hlen)
		frame_len = hlen;
	if (dlt < 0 || hdr == NULL || hlen == 0 ||
	    cap_decode_frame(&p, 0, dlt, s->ts, 0, hdr, hlen, frame_len) != PKT_OK) {
		d->st.sflow_not_ip++;
		return;
	}
	memset(&r, 0, sizeof(r));
	r.src = p.src;
	r.dst = p.dst;
	r.ipver = p.ipver;
	r.proto = p.proto;
	r.has_ports = p.has_ports;
	r.sport = p.sport;
	r.dport = p.dport;
	r.tcp_flags = p.tcp_flags;
	r.icmp_type = p.icmp_type;
	r.icmp_code = p.icmp_code;
	r.sampling = s->rate;
	r.pkts = s->stands_for;
	r.octets = (uint64_t)p.ip_len * s->stands_for;
	r.start = s->start;
	r.end = s->ts;
	r.in_if = s->in_if;
	r.out_if = s->out_if;
	memcpy(r.via, dm->via, sizeof(r.via));
	r.version = FLOW_VER_SFLOW;
	r.hdr = hdr;
	r.hdr_len = (uint16_t)hlen;
	r.hdr_dlt = dlt;
	r.frame_len = frame_len;
	dm->st.records++;
	d->st.records++;
	m->decoded++;
	m->cb(m->arg, &r);
}

/*
 * A flow sample (expanded or not), body at c, the k-th of n in a
 * datagram whose samples are spread over [t0, t1].
 */
static bool
flow_sample(struct msg *m, struct cur *c, bool expanded, unsigned k, unsigned n, double t0,
    double t1)
{
	struct dom *dm = m->dm;
	struct sflow_source *src;
	struct sample s;
	uint32_t seq = get_be32(c, 0), id, nrec, pool;
	bool in_sequence;
	size_t off;

	if (expanded) {
		id = get_be32(c, 4) << 24 ^ get_be32(c, 8);
		off = 12;
	} else {
		id = get_be32(c, 4);
		off = 8;
	}
	s.rate = get_be32(c, off);
	pool = get_be32(c, off + 4);
	dm->st.sample_drops += get_be32(c, off + 8);
	if (expanded) {
		s.in_if = get_be32(c, off + 16);
		s.out_if = get_be32(c, off + 24);
		off += 28;
	} else {
		s.in_if = get_be32(c, off + 12);
		s.out_if = get_be32(c, off + 16);
		off += 20;
	}
	nrec = get_be32(c, off);
	off += 4;
	if (c->trunc) {
		m->d->st.truncated++;
		dm->st.bad++;
		return false;
	}
	if (s.rate == 0)
		s.rate = 1;
	dm->sampling = dm->st.sampling = s.rate;
	s.ts = t0 + (t1 - t0) * (double)(k + 1) / (double)n;
	src = source_get(dm, id);
	in_sequence = src->seen && seq == src->next_seq;
	if (src->seen && seq != src->next_seq) {
		/* Samples of this source the datagrams lost (or a restart). */
		uint32_t gap = seq - src->next_seq;

		if (gap < 0x10000000u)
			dm->st.samples_lost += gap;
		else
			dm->st.seq_jumps++;
	}
	/*
	 * The packets since the source's previous sample, this one
	 * included, are the sample pool's growth (the packets that could
	 * have been sampled): exact where the rate is only a mean (pmacct
	 * samples at random). Not after a lost sample (the growth holds
	 * the lost one's packets too), nor when it is none or far more
	 * than the rate: then the rate.
	 */
	s.stands_for = s.rate;
	if (in_sequence && pool - src->pool > 0 &&
	    pool - src->pool <= (uint64_t)s.rate * SFLOW_POOL_SLACK)
		s.stands_for = pool - src->pool;
	src->pool = pool;
	src->next_seq = seq + 1;
	s.start = s.ts;
	if (s.stands_for > 1 && src->seen && src->last < s.ts)
		s.start = NS_MAX(src->last, s.ts - SFLOW_SOURCE_SPAN);
	src->seen = true;
	src->last = s.ts;
	cur_advance(c, off);
	for (uint32_t i = 0; i < nrec && cur_left(c) > 0; i++) {
		uint32_t fmt = get_be32(c, 0), len = get_be32(c, 4);
		struct cur body;

		if (c->trunc || len > cur_left(c) - 8) {
			m->d->st.bad_length++;
			dm->st.bad++;
			return false;
		}
		cur_init(&body, c->p + 8, len);
		if (fmt == SF_RAW_HEADER)
			raw_header(m, &s, &body);
		else
			m->d->st.sflow_other++;
		cur_advance(c, 8 + (size_t)len);
	}
	return true;
}

int
flow_sflow(struct msg *m, struct cur *c, uint16_t port)
{
	struct flow_dec *d = m->d;
	uint32_t atype = get_be32(c, 4), nsamp, seq;
	struct ns_addr agent;
	size_t alen = atype == 1 ? 4 : atype == 2 ? 16 : 0;
	double t1, t0;
	unsigned k = 0, n;

	if (!cur_has(c, 0, 8 + alen + 16)) {
		d->st.truncated++;
		return -1;
	}
	if (alen == 0) {
		d->st.not_flow++;	/* no agent address of a kind sFlow knows */
		return -1;
	}
	if (alen == 4)
		ns_addr_set4(&agent, get_bytes(c, 8, 4));
	else
		ns_addr_set6(&agent, get_bytes(c, 8, 16));
	seq = get_be32(c, 8 + alen + 4);
	t1 = m->now > 0 ? m->now : get_be32(c, 8 + alen + 8) / 1000.0;
	nsamp = get_be32(c, 8 + alen + 12);
	m->dm = flow_dom_get(d, &agent, port, FLOW_VER_SFLOW, get_be32(c, 8 + alen), t1);
	m->dm->last = t1;
	m->dm->st.messages++;
	m->dm->st.last = t1;
	flow_sequence(m->dm, seq, 1, &m->dm->st.seq_lost);
	t0 = m->dm->sf_last > 0 && m->dm->sf_last < t1 ?
	    NS_MAX(m->dm->sf_last, t1 - SFLOW_DGRAM_SPAN) : t1;
	m->dm->sf_last = t1;
	cur_advance(c, 8 + alen + 16);
	/* Samples are spread by their place among those the datagram can hold. */
	n = (unsigned)NS_MIN(nsamp, (uint32_t)(cur_left(c) / 8));
	for (uint32_t i = 0; i < nsamp; i++) {
		uint32_t fmt, len;
		struct cur body;

		if (cur_left(c) < 8) {
			/* A count past the samples there are: those there were read. */
			d->st.truncated++;
			m->dm->st.bad++;
			return -1;
		}
		fmt = get_be32(c, 0);
		len = get_be32(c, 4);
		if (len > cur_left(c) - 8) {
			d->st.bad_length++;
			m->dm->st.bad++;
			return -1;
		}
		cur_init(&body, c->p + 8, len);
		if (fmt == SF_FLOW_SAMPLE || fmt == SF_FLOW_EXPANDED) {
			if (!flow_sample(m, &body, fmt == SF_FLOW_EXPANDED, k++, n, t0, t1))
				return -1;
		} else if (fmt == SF_COUNTER_SAMPLE || fmt == SF_COUNTER_EXPANDED) {
			d->st.sflow_counters++;
		} else {
			d->st.sflow_other++;
		}
		cur_advance(c, 8 + (size_t)len);
	}
	return m->decoded;
}
