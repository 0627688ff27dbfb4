/*
 * libFuzzer target: the flow decoders (capture/flow.c, capture/sflow.c)
 * and the feed that turns their records into packets (capture/flowfeed.c).
 *
 * Input: one flags byte, then datagrams, each a big-endian 16-bit length
 * and that many bytes (a length past the input takes what is left).
 * Flags: bit 0, over UDP (templates expire, withdrawals are ignored);
 * bit 1, small limits (4 domains, 8 templates, a lifetime of 150 s), so
 * that eviction and expiry run; bit 2, datagrams alternate between two
 * exporters. The n-th datagram arrives at n * 100 s. Seeds:
 * tests/fuzz/seeds/flow/, softflowd's first datagrams of each version,
 * pmacct's first four sFlow datagrams (tests/captures/flow-sflow.pcap,
 * flow-sflow-sampled.pcap), its first two from an IPv6 agent (the first
 * malformed: flow-sflow-v6.pcap), and an sFlow datagram from an IPv6 agent
 * with an expanded flow sample of an IPv6 header and a counter sample.
 *
 * Checked besides ASan and UBSan: the template store never grows past
 * its bound, every record has addresses of its IP version and a start
 * not after its end, and the packets come out in time order per flush.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/flow.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static double last_ts;
static int flushing;

static void
broken(const char *what)
{
	fprintf(stderr, "broken: %s\n", what);
	abort();
}

static void
on_pkt(void *arg, struct pkt *p)
{
	(void)arg;
	if (p->src.af != p->ipver || p->dst.af != p->ipver)
		broken("a packet whose addresses are not of its IP version");
	if (flushing && p->ts < last_ts)
		broken("packets out of time order within a flush");
	last_ts = p->ts;
}

static void
on_rec(void *arg, const struct flow_rec *r)
{
	if (r->src.af != r->ipver || r->dst.af != r->ipver || (r->ipver != 4 && r->ipver != 6))
		broken("a record without addresses of its version");
	if (!(r->start <= r->end))
		broken("a record that starts after it ends");
	if (r->pkts == 0)
		broken("a record of no packets");
	if (r->hdr != NULL && (r->hdr_len == 0 || r->hdr_len > FLOW_SFLOW_HEADER))
		broken("a sampled header of no bytes, or more than are kept");
	flow_feed_add(arg, r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct flow_limits lim;
	struct flow_dec *d;
	struct flow_feed *f;
	struct ns_addr a[2];
	uint8_t flags;
	size_t off = 1;
	double now = 100;
	unsigned k = 0;

	if (size < 1)
		return 0;
	flags = data[0];
	flow_limits_default(&lim);
	if (flags & 2) {
		lim.max_domains = 4;
		lim.max_templates = 8;
		lim.max_domain_templates = 3;
		lim.template_life = 150;
	}
	ns_addr_parse(&a[0], "192.0.2.254");
	ns_addr_parse(&a[1], "2001:db8::fe");
	d = flow_dec_new(&lim);
	f = flow_feed_new(on_pkt, NULL, flow_dec_counters(d));
	while (off + 2 <= size) {
		size_t n = (size_t)data[off] << 8 | data[off + 1];

		off += 2;
		if (n > size - off)
			n = size - off;
		flow_dec_message(d, &a[(flags & 4) ? k & 1 : 0], 2055, data + off, n, now,
		    flags & 1, on_rec, f);
		if (flow_dec_mem(d) > flow_dec_counters(d)->mem_limit)
			broken("the template store past its bound");
		off += n;
		now += 100;
		k++;
	}
	flushing = 1;
	last_ts = -1e300;
	flow_feed_flush(f);
	flushing = 0;
	flow_feed_free(f);
	flow_dec_free(d);
	return 0;
}
