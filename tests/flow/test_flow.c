/*
 * The flow decoder (capture/flow.c) and the records-to-packets feed
 * (capture/flowfeed.c): softflowd's real exports of assets/lab-nat.pcap
 * (tests/captures/flow-*.pcap, recorded by tests/flow/record.sh), and bad
 * input made from them or by hand: cut messages, templates that never
 * came, a template redefined, lengths past the datagram, a flood of
 * templates from spoofed exporters, sequence gaps, template expiry;
 * and sFlow v5 (capture/sflow.c): pmacct's sfprobe export of the same
 * capture (tests/flow/record-pmacct.sh), and datagrams written by hand.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "capture/flow.h"
#include "common/util.h"

struct dgram {
	uint8_t *b;
	size_t len;
	double ts;
};

struct cap {
	struct dgram d[256];
	int n;
};

static const char *
path_of(const char *name)
{
	static char buf[4096];
	const char *srcdir = getenv("srcdir");

	snprintf(buf, sizeof(buf), "%s/tests/captures/%s", srcdir ? srcdir : ".", name);
	return buf;
}

/* The UDP payloads of a recorded export (Ethernet, IPv4 or IPv6 without extension headers, from lo). */
static void
load(const char *name, struct cap *c)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path_of(name), err);
	struct pcap_pkthdr *h;
	const u_char *data;

	assert_non_null(p);
	c->n = 0;
	while (pcap_next_ex(p, &h, &data) == 1 && c->n < 256) {
		bool v6 = h->caplen > 14 && (data[12] << 8 | data[13]) == 0x86dd;
		size_t ihl = v6 ? 40 : (size_t)(data[14] & 15) * 4, off = 14 + ihl + 8;
		size_t ulen = (size_t)(data[14 + ihl + 4] << 8 | data[14 + ihl + 5]);

		assert_true(h->caplen >= off && ulen >= 8 && off + ulen - 8 <= h->caplen);
		c->d[c->n].len = ulen - 8;
		c->d[c->n].b = xmalloc(ulen - 8);
		memcpy(c->d[c->n].b, data + off, ulen - 8);
		c->d[c->n].ts = (double)h->ts.tv_sec + h->ts.tv_usec / 1e6;
		c->n++;
	}
	pcap_close(p);
	assert_true(c->n > 0);
}

static void
unload(struct cap *c)
{
	for (int i = 0; i < c->n; i++)
		free(c->d[i].b);
}

struct got {
	uint64_t n, pkts, octets;
	struct flow_rec last;
	struct flow_rec scan;		/* 203.0.113.30:63777 -> 192.0.2.1:21 */
	int scan_seen;
};

static void
on_rec(void *arg, const struct flow_rec *r)
{
	struct got *g = arg;
	struct ns_addr scanner;

	g->n++;
	g->pkts += r->pkts;
	g->octets += r->octets;
	g->last = *r;
	ns_addr_parse(&scanner, "203.0.113.30");
	if (ns_addr_eq(&r->src, &scanner) && r->dport == 21) {
		g->scan = *r;
		g->scan_seen++;
	}
}

static struct ns_addr
lo(void)
{
	struct ns_addr a;

	ns_addr_parse(&a, "127.0.0.1");
	return a;
}

/* Every datagram but those for which skip() says so. */
static void
feed(struct flow_dec *d, const struct cap *c, struct got *g, int skip)
{
	struct ns_addr a = lo();

	for (int i = 0; i < c->n; i++)
		if (i != skip)
			flow_dec_message(d, &a, 40000, c->d[i].b, c->d[i].len, c->d[i].ts, true,
			    on_rec, g);
}

static void
recorded(const char *name, uint8_t version)
{
	struct cap c;
	struct flow_dec *d = flow_dec_new(NULL);
	struct got g = { 0 };
	const struct flow_stats *st;

	load(name, &c);
	feed(d, &c, &g, -1);
	st = flow_dec_stats(d);
	/* softflowd and pmacct: 344 conversations of lab-nat.pcap, two flows each. */
	assert_int_equal(g.n, 688);
	assert_int_equal(g.pkts, 688);
	assert_int_equal(g.octets, 25200 + 6688);
	assert_int_equal(st->records, 688);
	assert_int_equal(st->n_exp, 1);
	assert_int_equal(st->exp[0].version, version);
	assert_int_equal(st->exp[0].seq_lost, 0);
	assert_int_equal(st->exp[0].seq_jumps, 0);
	assert_int_equal(st->exp[0].no_template_sets, 0);
	assert_int_equal(st->exp[0].bad, 0);
	assert_int_equal(st->exp[0].sampling, 1);
	assert_int_equal(st->bad_length + st->truncated + st->not_flow, 0);
	/* The SYN to port 21, as tcpdump shows it: 05:09:51.899 UTC, 44 bytes. */
	assert_int_equal(g.scan_seen, 1);
	assert_int_equal(g.scan.proto, 6);
	assert_int_equal(g.scan.tcp_flags, 0x02);
	assert_int_equal(g.scan.octets, 44);
	assert_int_equal(g.scan.sport, 63777);
	/*
	 * tcpdump: 05:09:52.522374. v5 and IPFIX place it to the
	 * millisecond; v9's header has the export time in whole seconds,
	 * so its flows are up to a second early.
	 */
	if (version == 9)
		assert_true(g.scan.start > 1795496991.52 && g.scan.start < 1795496992.523);
	else
		assert_true(g.scan.start > 1795496992.521 && g.scan.start < 1795496992.524);
	assert_true(g.scan.end >= g.scan.start);
	assert_string_equal(g.scan.via, "exporter 127.0.0.1");
	if (version != 5)
		assert_true(st->exp[0].templates >= 4);
	flow_dec_free(d);
	unload(&c);
}

static void
test_recorded_v5(void **state)
{
	(void)state;
	recorded("flow-v5.pcap", 5);
}

static void
test_recorded_v9(void **state)
{
	(void)state;
	recorded("flow-v9.pcap", 9);
}

static void
test_recorded_ipfix(void **state)
{
	(void)state;
	recorded("flow-ipfix.pcap", 10);
}

/* pmacctd's nfprobe, a second exporter of the same capture: the same flows. */
static void
test_recorded_pmacct(void **state)
{
	(void)state;
	recorded("flow-pmacct-v9.pcap", 9);
	recorded("flow-pmacct-ipfix.pcap", 10);
}

/* softflowd -s 4: options records announce 1 in 4; counts are scaled. */
static void
test_sampled(void **state)
{
	struct cap c;
	struct flow_dec *d = flow_dec_new(NULL);
	struct got g = { 0 };
	const struct flow_stats *st;

	(void)state;
	load("flow-ipfix-sampled.pcap", &c);
	feed(d, &c, &g, -1);
	st = flow_dec_stats(d);
	assert_true(g.n > 0 && g.n < 688);
	assert_int_equal(st->exp[0].sampling, 4);
	assert_int_equal(g.last.sampling, 4);
	assert_int_equal(g.pkts % 4, 0);
	assert_int_equal(g.pkts, 4 * g.n);	/* every flow was one sampled packet */
	flow_dec_free(d);
	unload(&c);
}

/*
 * Every datagram cut at every length, after the templates are known:
 * no read past the cut (ASan), never more records than whole, and an
 * IPFIX or v5 message shorter than it says is refused whole.
 */
static void
cut_all(const char *name)
{
	struct cap c;
	struct ns_addr a = lo();

	load(name, &c);
	for (int i = 0; i < c.n; i++) {
		struct flow_dec *d = flow_dec_new(NULL);
		struct got full = { 0 };
		size_t len = c.d[i].len;

		flow_dec_message(d, &a, 1, c.d[0].b, c.d[0].len, c.d[0].ts, true, on_rec, &full);
		full.n = 0;
		flow_dec_message(d, &a, 1, c.d[i].b, len, c.d[i].ts, true, on_rec, &full);
		for (size_t cut = 0; cut < len; cut++) {
			struct got g = { 0 };
			uint8_t *b = xmalloc(cut ? cut : 1);
			int r;

			memcpy(b, c.d[i].b, cut);
			r = flow_dec_message(d, &a, 1, b, cut, c.d[i].ts, true, on_rec, &g);
			assert_true(g.n <= full.n);
			if (c.d[i].b[1] == 10 || c.d[i].b[1] == 5) {
				assert_int_equal(r, -1);
				assert_int_equal(g.n, 0);
			}
			free(b);
		}
		assert_true(flow_dec_stats(d)->bad_length + flow_dec_stats(d)->truncated > 0);
		flow_dec_free(d);
	}
	unload(&c);
}

static void
test_truncated(void **state)
{
	(void)state;
	cut_all("flow-v5.pcap");
	cut_all("flow-v9.pcap");
	cut_all("flow-ipfix.pcap");
}

/*
 * The first datagram (the templates) lost: data sets are counted, not
 * guessed, until softflowd sends its templates again.
 */
static void
no_template(const char *name)
{
	struct cap c;
	struct flow_dec *d = flow_dec_new(NULL), *whole = flow_dec_new(NULL);
	struct got g = { 0 }, w = { 0 };
	struct ns_addr a = lo();
	uint64_t before_refresh = 0;
	int refresh = -1;

	load(name, &c);
	for (int i = 0; i < c.n; i++) {
		uint64_t t0 = flow_dec_stats(whole)->exp[0].templates, n0 = w.n;

		flow_dec_message(whole, &a, 1, c.d[i].b, c.d[i].len, c.d[i].ts, true, on_rec, &w);
		if (i > 0 && refresh < 0 && flow_dec_stats(whole)->exp[0].templates > t0)
			refresh = i;
		if (refresh < 0)
			before_refresh += w.n - n0;
	}
	assert_true(refresh > 1);
	feed(d, &c, &g, 0);
	assert_int_equal(g.n, 688 - before_refresh);
	assert_int_equal(flow_dec_stats(d)->exp[0].no_template_sets, refresh - 1);
	assert_true(flow_dec_stats(d)->exp[0].no_template_bytes > 0);
	flow_dec_free(d);
	flow_dec_free(whole);
	unload(&c);
}

static void
test_no_template(void **state)
{
	(void)state;
	no_template("flow-v9.pcap");
	no_template("flow-ipfix.pcap");
}

/* A datagram lost: v9 counts export packets, v5 and IPFIX records. */
static void
gap(const char *name, int lost_index, uint64_t want)
{
	struct cap c;
	struct flow_dec *d = flow_dec_new(NULL);
	struct got g = { 0 };

	load(name, &c);
	feed(d, &c, &g, lost_index);
	assert_int_equal(flow_dec_stats(d)->exp[0].seq_lost, want);
	assert_int_equal(flow_dec_stats(d)->exp[0].seq_jumps, 0);
	flow_dec_free(d);
	unload(&c);
}

static void
test_sequence_gaps(void **state)
{
	(void)state;
	gap("flow-v9.pcap", 5, 1);
	gap("flow-v5.pcap", 5, 30);
	gap("flow-ipfix.pcap", 5, 32);
	gap("flow-ipfix.pcap", -1, 0);
}

/* ---- messages made by hand ---- */

struct msgb {
	uint8_t b[65536];
	size_t n, set;
};

static void
put16(struct msgb *m, unsigned v)
{
	m->b[m->n++] = (uint8_t)(v >> 8);
	m->b[m->n++] = (uint8_t)v;
}

static void
put32(struct msgb *m, uint32_t v)
{
	put16(m, v >> 16);
	put16(m, v & 0xffff);
}

static void
ipfix_begin(struct msgb *m, uint32_t export_time, uint32_t seq, uint32_t domain)
{
	m->n = 0;
	put16(m, 10);
	put16(m, 0);
	put32(m, export_time);
	put32(m, seq);
	put32(m, domain);
}

static void
set_begin(struct msgb *m, unsigned id)
{
	m->set = m->n;
	put16(m, id);
	put16(m, 0);
}

static void
set_end(struct msgb *m)
{
	m->b[m->set + 2] = (uint8_t)((m->n - m->set) >> 8);
	m->b[m->set + 3] = (uint8_t)(m->n - m->set);
}

static void
ipfix_end(struct msgb *m)
{
	m->b[2] = (uint8_t)(m->n >> 8);
	m->b[3] = (uint8_t)m->n;
}

static void
put_bytes(struct msgb *m, const char *addr)
{
	struct ns_addr a;

	ns_addr_parse(&a, addr);
	memcpy(m->b + m->n, a.b, 4);
	m->n += 4;
}

/* Template 300: src, dst, sport, dport, proto. */
static void
tmpl_a(struct msgb *m)
{
	set_begin(m, 2);
	put16(m, 300);
	put16(m, 5);
	put16(m, 8), put16(m, 4);
	put16(m, 12), put16(m, 4);
	put16(m, 7), put16(m, 2);
	put16(m, 11), put16(m, 2);
	put16(m, 4), put16(m, 1);
	set_end(m);
}

/* A data set of template 300: the scanner's probe of a port. */
static void
scan_set(struct msgb *m, unsigned dport)
{
	set_begin(m, 300);
	put_bytes(m, "203.0.113.30");
	put_bytes(m, "192.0.2.1");
	put16(m, 63777), put16(m, dport), m->b[m->n++] = 6;
	set_end(m);
}

static void
test_redefined(void **state)
{
	struct msgb *m = xcalloc(1, sizeof(*m));
	struct flow_dec *d = flow_dec_new(NULL);
	struct got g = { 0 };
	struct ns_addr a = lo(), want;

	(void)state;
	ipfix_begin(m, 1795583391, 0, 7);
	tmpl_a(m);
	scan_set(m, 21);
	ipfix_end(m);
	assert_int_equal(flow_dec_message(d, &a, 1, m->b, m->n, 1000, true, on_rec, &g), 1);
	assert_int_equal(g.last.dport, 21);
	/* Template 300 again, another layout: dst first, then a variable-length field. */
	ipfix_begin(m, 1795583392, 1, 7);
	set_begin(m, 2);
	put16(m, 300);
	put16(m, 5);
	put16(m, 12), put16(m, 4);
	put16(m, 8), put16(m, 4);
	put16(m, 82), put16(m, 65535);	/* interfaceName, variable */
	put16(m, 11), put16(m, 2);
	put16(m, 4), put16(m, 1);
	set_end(m);
	set_begin(m, 300);
	put_bytes(m, "192.0.2.1");
	put_bytes(m, "198.51.100.10");
	m->b[m->n++] = 3, memcpy(m->b + m->n, "lo0", 3), m->n += 3;
	put16(m, 123), m->b[m->n++] = 17;
	set_end(m);
	ipfix_end(m);
	assert_int_equal(flow_dec_message(d, &a, 1, m->b, m->n, 1001, true, on_rec, &g), 1);
	ns_addr_parse(&want, "198.51.100.10");
	assert_true(ns_addr_eq(&g.last.src, &want));
	assert_int_equal(g.last.dport, 123);
	assert_int_equal(g.last.proto, 17);
	assert_int_equal(flow_dec_stats(d)->exp[0].templates_redefined, 1);
	assert_int_equal(flow_dec_stats(d)->exp[0].templates_live, 1);
	assert_int_equal(flow_dec_stats(d)->exp[0].seq_lost, 0);
	/* The same again is a refresh, not a redefinition. */
	assert_int_equal(flow_dec_message(d, &a, 1, m->b, m->n, 1002, true, on_rec, &g), 1);
	assert_int_equal(flow_dec_stats(d)->exp[0].templates_redefined, 1);
	/* Variable length past the record: refused, nothing decoded. */
	m->b[m->n - 7] = 200;	/* the length byte of "lo0" */
	g.n = 0;
	flow_dec_message(d, &a, 1, m->b, m->n, 1003, true, on_rec, &g);
	assert_int_equal(g.n, 0);
	assert_true(flow_dec_stats(d)->truncated > 0);
	flow_dec_free(d);
	free(m);
}

static void
test_past_datagram(void **state)
{
	struct msgb *m = xcalloc(1, sizeof(*m));
	struct flow_dec *d = flow_dec_new(NULL);
	struct got g = { 0 };
	struct ns_addr a = lo();
	struct cap c;

	(void)state;
	/* IPFIX: the message says 1000 bytes, the datagram has fewer. */
	ipfix_begin(m, 1795583391, 0, 1);
	tmpl_a(m);
	ipfix_end(m);
	m->b[2] = 0x03, m->b[3] = 0xe8;
	assert_int_equal(flow_dec_message(d, &a, 1, m->b, m->n, 1, true, on_rec, &g), -1);
	assert_int_equal(flow_dec_stats(d)->bad_length, 1);
	assert_int_equal(flow_dec_stats(d)->templates_live, 0);
	/* A set that says it is longer than the message. */
	ipfix_begin(m, 1795583391, 0, 1);
	tmpl_a(m);
	ipfix_end(m);
	m->b[16 + 3] += 40;
	assert_int_equal(flow_dec_message(d, &a, 1, m->b, m->n, 1, true, on_rec, &g), -1);
	assert_int_equal(flow_dec_stats(d)->bad_length, 2);
	/* A set length below its own header. */
	m->b[16 + 2] = 0, m->b[16 + 3] = 2;
	assert_int_equal(flow_dec_message(d, &a, 1, m->b, m->n, 1, true, on_rec, &g), -1);
	assert_int_equal(flow_dec_stats(d)->bad_length, 3);
	/* A template whose fields run past its set. */
	ipfix_begin(m, 1795583391, 0, 1);
	tmpl_a(m);
	ipfix_end(m);
	m->b[16 + 4 + 3] = 9;	/* 9 fields said, 5 there */
	flow_dec_message(d, &a, 1, m->b, m->n, 1, true, on_rec, &g);
	assert_int_equal(flow_dec_stats(d)->templates_refused, 1);
	assert_int_equal(flow_dec_stats(d)->templates_live, 0);
	/* v5: a count of 30 records in a datagram of 2. */
	load("flow-v5.pcap", &c);
	c.d[0].b[3] = 30;
	assert_int_equal(flow_dec_message(d, &a, 1, c.d[0].b, 24 + 2 * 48, 1, true, on_rec, &g), -1);
	assert_int_equal(flow_dec_stats(d)->bad_length, 4);
	unload(&c);
	/* v9: a flowset longer than the datagram. */
	load("flow-v9.pcap", &c);
	c.d[0].b[20 + 2] = 0xff;
	assert_int_equal(flow_dec_message(d, &a, 1, c.d[0].b, c.d[0].len, 1, true, on_rec, &g), -1);
	assert_int_equal(flow_dec_stats(d)->bad_length, 5);
	unload(&c);
	assert_int_equal(g.n, 0);
	flow_dec_free(d);
	free(m);
}

/*
 * 100,000 spoofed exporters, 20 templates of 100 fields each (more
 * than the 4,096 templates held): the store stays under its bound all
 * along, and a real exporter that had sent records keeps its template
 * through the flood.
 */
static void
test_template_flood(void **state)
{
	struct msgb *m = xcalloc(1, sizeof(*m));
	struct flow_dec *d = flow_dec_new(NULL);
	struct got g = { 0 };
	struct ns_addr real = lo();
	const struct flow_stats *st;
	size_t peak = 0;
	struct timespec t0, t1;

	(void)state;
	ipfix_begin(m, 1795583391, 0, 0);
	tmpl_a(m);
	scan_set(m, 21);
	ipfix_end(m);
	assert_int_equal(flow_dec_message(d, &real, 1, m->b, m->n, 1, true, on_rec, &g), 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint32_t i = 0; i < 100000; i++) {
		struct ns_addr spoofed;
		uint8_t v4[4] = { 10, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };

		ns_addr_set4(&spoofed, v4);
		ipfix_begin(m, 1795583391, 0, i);
		set_begin(m, 2);
		for (unsigned t = 0; t < 20; t++) {
			put16(m, 256 + t);
			put16(m, 100);
			for (unsigned f = 0; f < 100; f++)
				put16(m, 1 + f), put16(m, 4);
		}
		set_end(m);
		ipfix_end(m);
		flow_dec_message(d, &spoofed, 2055, m->b, m->n, 2 + i / 1000.0, true, on_rec, &g);
		if (flow_dec_mem(d) > peak)
			peak = flow_dec_mem(d);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	st = flow_dec_stats(d);
	assert_true(peak <= st->mem_limit);
	assert_true(st->domains_live <= 256);
	assert_true(st->templates_live <= 4096);
	assert_true(st->templates_evicted > 100000 * 19);
	assert_true(st->domains_evicted >= 100000 - 256);
	print_message("flood: 100000 exporters x 20 templates: peak %zu bytes (bound %zu), %u domains, %u templates held, %.2f s\n",
	    peak, st->mem_limit, st->domains_live, st->templates_live,
	    (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	/* The real exporter's data still decodes: it was not the one evicted. */
	g.n = 0;
	ipfix_begin(m, 1795583391, 1, 0);
	scan_set(m, 22);
	ipfix_end(m);
	assert_int_equal(flow_dec_message(d, &real, 1, m->b, m->n, 200, true, on_rec, &g), 1);
	assert_int_equal(g.last.dport, 22);
	flow_dec_free(d);
	free(m);
}

/* RFC 7011 8.4: over UDP, a template not refreshed within its lifetime is gone. */
static void
test_expiry(void **state)
{
	struct cap c;
	struct flow_limits lim;
	struct ns_addr a = lo();
	struct got g = { 0 };
	struct flow_dec *d, *file;

	(void)state;
	flow_limits_default(&lim);
	lim.template_life = 60;
	d = flow_dec_new(&lim);
	file = flow_dec_new(&lim);
	load("flow-ipfix.pcap", &c);
	flow_dec_message(d, &a, 1, c.d[0].b, c.d[0].len, 1000, true, on_rec, &g);
	g.n = 0;
	flow_dec_message(d, &a, 1, c.d[1].b, c.d[1].len, 1061, true, on_rec, &g);
	assert_int_equal(g.n, 0);
	assert_int_equal(flow_dec_stats(d)->exp[0].templates_expired, 5);
	assert_int_equal(flow_dec_stats(d)->exp[0].no_template_sets, 1);
	/* Within the lifetime, and in a file (no UDP), they stay. */
	flow_dec_message(d, &a, 1, c.d[0].b, c.d[0].len, 2000, true, on_rec, &g);
	g.n = 0;
	flow_dec_message(d, &a, 1, c.d[1].b, c.d[1].len, 2059, true, on_rec, &g);
	assert_int_equal(g.n, 32);
	flow_dec_message(file, &a, 1, c.d[0].b, c.d[0].len, 1000, false, on_rec, &g);
	g.n = 0;
	flow_dec_message(file, &a, 1, c.d[1].b, c.d[1].len, 99999, false, on_rec, &g);
	assert_int_equal(g.n, 32);
	flow_dec_free(d);
	flow_dec_free(file);
	unload(&c);
}

/* ---- the feed ---- */

struct pkts {
	struct pkt p[64];
	char rule[64][64];
	int n;
};

static void
on_pkt(void *arg, struct pkt *p)
{
	struct pkts *o = arg;

	assert_true(o->n < 64);
	o->p[o->n] = *p;
	memcpy(o->rule[o->n], p->rule, p->rule_len);
	o->rule[o->n][p->rule_len] = '\0';
	o->n++;
}

static uint64_t counted;
static double last_ts;

static void
count_pkt(void *arg, struct pkt *p)
{
	(void)arg;
	counted++;
	last_ts = p->ts;
}

static struct flow_rec
rec(const char *src, uint16_t sport, const char *dst, uint16_t dport, uint8_t proto,
    uint8_t flags, uint64_t pkts, double start, double end, const char *via)
{
	struct flow_rec r;

	memset(&r, 0, sizeof(r));
	ns_addr_parse(&r.src, src);
	ns_addr_parse(&r.dst, dst);
	r.ipver = 4;
	r.proto = proto;
	r.has_ports = true;
	r.sport = sport;
	r.dport = dport;
	r.tcp_flags = flags;
	r.pkts = pkts;
	r.octets = pkts * 60;
	r.start = start;
	r.end = end;
	r.sampling = 1;
	snprintf(r.via, sizeof(r.via), "exporter %s", via);
	return r;
}

static void
test_feed(void **state)
{
	struct flow_stats st;
	struct pkts *o = xcalloc(1, sizeof(*o));
	struct flow_feed *f;
	struct flow_rec r;
	struct ns_addr client;

	(void)state;
	memset(&st, 0, sizeof(st));
	f = flow_feed_new(on_pkt, o, &st);
	ns_addr_parse(&client, "192.0.2.1");
	/* The reply first, as exporters often send it, at the same millisecond. */
	r = rec("198.51.100.10", 443, "192.0.2.1", 40000, 6, TCP_SYN | TCP_ACK | TCP_FIN, 2,
	    10.0, 10.2, "192.0.2.254");
	flow_feed_add(f, &r);
	r = rec("192.0.2.1", 40000, "198.51.100.10", 443, 6, TCP_SYN | TCP_ACK | TCP_FIN, 3,
	    10.0, 10.2, "192.0.2.254");
	flow_feed_add(f, &r);
	/* The same flow from a second router, 4 ms later: counted once. */
	r.start += 0.004;
	r.end += 0.004;
	snprintf(r.via, sizeof(r.via), "exporter 198.51.100.1");
	flow_feed_add(f, &r);
	/* A long flow and a short one inside it: packets in time order. */
	r = rec("203.0.113.20", 5000, "192.0.2.1", 123, 17, 0, 3, 9.0, 19.0, "192.0.2.254");
	flow_feed_add(f, &r);
	flow_feed_flush(f);
	assert_int_equal(st.duplicates, 1);
	assert_int_equal(o->n, 8);
	for (int i = 1; i < o->n; i++)
		assert_true(o->p[i].ts >= o->p[i - 1].ts);
	assert_true(o->p[0].ts == 9.0 && o->p[0].proto == 17);
	/* The initiator's SYN, then the answer's SYN-ACK, then the rest. */
	assert_true(ns_addr_eq(&o->p[1].src, &client));
	assert_int_equal(o->p[1].tcp_flags, TCP_SYN);
	assert_false(ns_addr_eq(&o->p[2].src, &client));
	assert_int_equal(o->p[2].tcp_flags, TCP_SYN | TCP_ACK);
	assert_int_equal(o->p[3].tcp_flags, TCP_ACK | TCP_FIN);
	assert_string_equal(o->rule[1], "exporter 192.0.2.254");
	assert_int_equal(o->p[1].ip_len, 60);
	assert_true(o->p[7].ts == 19.0);
	assert_int_equal(st.packets_made, 8);
	/* A SYN scan's probe: a SYN without ACK, every packet a SYN. */
	o->n = 0;
	r = rec("203.0.113.30", 63777, "192.0.2.1", 22, 6, TCP_SYN, 2, 30.0, 31.0, "x");
	flow_feed_add(f, &r);
	flow_feed_flush(f);
	assert_int_equal(o->n, 2);
	assert_int_equal(o->p[0].tcp_flags, TCP_SYN);
	assert_int_equal(o->p[1].tcp_flags, TCP_SYN);
	/* Every packet says it is an exporter's, a vantage point. */
	assert_true(o->p[0].vantage);
	/*
	 * nmap -sS against an open port, as softflowd exports it at 1 ms:
	 * its flow SYN|RST of 2 packets, ours SYN|ACK of 1, both starting in
	 * the same millisecond. Packets: its SYN, our SYN-ACK, its RST.
	 */
	o->n = 0;
	r = rec("192.0.2.1", 80, "203.0.113.61", 64546, 6, TCP_SYN | TCP_ACK, 1, 35.0, 35.0, "x");
	flow_feed_add(f, &r);
	r = rec("203.0.113.61", 64546, "192.0.2.1", 80, 6, TCP_SYN | TCP_RST, 2, 35.0, 35.0, "x");
	flow_feed_add(f, &r);
	flow_feed_flush(f);
	assert_int_equal(o->n, 3);
	assert_false(ns_addr_eq(&o->p[0].src, &client));
	assert_int_equal(o->p[0].tcp_flags, TCP_SYN);
	assert_true(ns_addr_eq(&o->p[1].src, &client));
	assert_int_equal(o->p[1].tcp_flags, TCP_SYN | TCP_ACK);
	assert_int_equal(o->p[2].tcp_flags, TCP_RST);
	/*
	 * A DNS answer's later fragments, as softflowd exports them: UDP from
	 * port 0 to port 0. Fragments without a transport header, not probes
	 * of a port 0 (tests/lab's dns-fragments through softflowd).
	 */
	o->n = 0;
	r = rec("198.51.100.60", 0, "192.0.2.1", 0, 17, 0, 2, 40.0, 40.5, "x");
	r.octets = 2 * 1500;
	flow_feed_add(f, &r);
	flow_feed_flush(f);
	assert_int_equal(o->n, 2);
	assert_false(o->p[0].has_ports);
	assert_true(o->p[0].fragment && o->p[0].later_fragment);
	assert_int_equal(o->p[0].payload_len, 1500 - 20);
	flow_feed_free(f);
	/* A flow of a million packets: FLOW_MAX_EXPAND of them, at its rate. */
	memset(&st, 0, sizeof(st));
	f = flow_feed_new(count_pkt, &counted, &st);
	r = rec("203.0.113.40", 53, "192.0.2.1", 5353, 17, 0, 1000000, 0.0, 100.0, "x");
	flow_feed_add(f, &r);
	flow_feed_flush(f);
	assert_int_equal(counted, FLOW_MAX_EXPAND);
	assert_int_equal(st.packets_capped, 1000000 - FLOW_MAX_EXPAND);
	assert_true(last_ts < 100.0 * FLOW_MAX_EXPAND / 1000000 + 1e-9);
	free(o);
	flow_feed_free(f);
}

/* ---- sFlow v5 (capture/sflow.c) ---- */

#define SFLOW_GOT 688
#define SFLOW_NTP 88

/* pmacct's sfprobe export of lab-nat.pcap (tests/flow/record-pmacct.sh). */
struct sgot {
	uint64_t n, pkts, with_ntp, modes[8];
	uint32_t sampling;
	char via[64];
};

static void
on_sample(void *arg, const struct flow_rec *r)
{
	struct sgot *g = arg;
	struct pkt p;

	g->n++;
	g->pkts += r->pkts;
	g->sampling = r->sampling;
	snprintf(g->via, sizeof(g->via), "%s", r->via);
	assert_int_equal(r->version, FLOW_VER_SFLOW);
	assert_non_null(r->hdr);
	assert_true(r->hdr_len > 0 && r->hdr_len <= FLOW_SFLOW_HEADER);
	assert_true(r->start <= r->end);
	/* The header is a packet: decoded again, the same packet. */
	assert_int_equal(cap_decode_frame(&p, 0, r->hdr_dlt, r->end, 0, r->hdr, r->hdr_len,
	    r->frame_len), PKT_OK);
	assert_true(ns_addr_eq(&p.src, &r->src) && ns_addr_eq(&p.dst, &r->dst));
	if (p.proto == 17 && (p.sport == 123 || p.dport == 123) && p.payload_caplen >= 48) {
		g->with_ntp++;
		g->modes[p.payload[0] & 7]++;
	}
}

static void
sflow_feed(struct flow_dec *d, const struct cap *c, struct sgot *g)
{
	struct ns_addr a = lo();

	for (int i = 0; i < c->n; i++)
		flow_dec_message(d, &a, 40000, c->d[i].b, c->d[i].len, c->d[i].ts, true, on_sample, g);
}

static void
test_sflow_recorded(void **state)
{
	struct cap c;
	struct flow_dec *d = flow_dec_new(NULL);
	struct sgot g = { 0 };
	const struct flow_stats *st;

	(void)state;
	load("flow-sflow.pcap", &c);
	sflow_feed(d, &c, &g);
	st = flow_dec_stats(d);
	/* 688 IP packets in lab-nat.pcap; pmacctd 1.7.7 sends SFLOW_GOT of them. */
	assert_int_equal(g.n, SFLOW_GOT);
	assert_int_equal(g.pkts, SFLOW_GOT);
	assert_int_equal(g.sampling, 1);
	assert_string_equal(g.via, "exporter 192.0.2.254");
	/* Every NTP packet's header has its mode: 44 clients' (3), 43 servers' (4). */
	assert_int_equal(g.with_ntp, SFLOW_NTP);
	assert_true(g.modes[3] > 0 && g.modes[4] > 0);
	assert_int_equal(st->n_exp, 1);
	assert_int_equal(st->exp[0].version, FLOW_VER_SFLOW);
	assert_int_equal(st->exp[0].messages, (uint64_t)c.n);
	assert_int_equal(st->exp[0].seq_lost, 0);
	assert_int_equal(st->exp[0].samples_lost, 0);
	assert_int_equal(st->exp[0].seq_jumps, 0);
	assert_int_equal(st->exp[0].bad, 0);
	assert_int_equal(st->bad_length + st->truncated + st->not_flow + st->sflow_not_ip, 0);
	/* A datagram lost: its samples are counted lost, and the datagram. */
	flow_dec_free(d);
	d = flow_dec_new(NULL);
	memset(&g, 0, sizeof(g));
	for (int i = 0; i < c.n; i++)
		if (i != 3)
			flow_dec_message(d, &(struct ns_addr){ 0 }, 1, c.d[i].b, c.d[i].len, c.d[i].ts,
			    true, on_sample, &g);
	st = flow_dec_stats(d);
	assert_int_equal(st->exp[0].seq_lost, 1);
	assert_int_equal(st->exp[0].samples_lost, SFLOW_GOT - g.n);
	flow_dec_free(d);
	unload(&c);
}

/*
 * pmacctd's sfprobe with an IPv6 agent (sfprobe_agentip 2001:db8::fe, to
 * [::1]): its first datagram is malformed (Wireshark says so too: the
 * first sample's length is 1), refused whole; the next two are read.
 */
static void
test_sflow_v6_agent(void **state)
{
	struct cap c;
	struct flow_dec *d = flow_dec_new(NULL);
	struct sgot g = { 0 };
	const struct flow_stats *st;
	struct ns_addr a;

	(void)state;
	load("flow-sflow-v6.pcap", &c);
	assert_int_equal(c.n, 3);
	ns_addr_parse(&a, "::1");
	assert_int_equal(flow_dec_message(d, &a, 40000, c.d[0].b, c.d[0].len, c.d[0].ts, true,
	    on_sample, &g), -1);
	assert_int_equal(g.n, 0);
	assert_int_equal(flow_dec_stats(d)->truncated, 1);
	for (int i = 1; i < 3; i++)
		assert_int_equal(flow_dec_message(d, &a, 40000, c.d[i].b, c.d[i].len, c.d[i].ts,
		    true, on_sample, &g), 7);
	st = flow_dec_stats(d);
	assert_int_equal(g.n, 14);
	assert_string_equal(g.via, "exporter 2001:db8::fe");
	assert_int_equal(st->n_exp, 1);
	assert_int_equal(st->exp[0].addr.af, 6);
	assert_int_equal(st->exp[0].messages, 3);
	assert_int_equal(st->exp[0].bad, 1);
	/* The first datagram's samples were never read: not counted lost. */
	assert_int_equal(st->exp[0].seq_lost, 0);
	assert_int_equal(st->exp[0].samples_lost, 0);
	flow_dec_free(d);
	unload(&c);
}

/*
 * sampling_rate 4: pmacct samples at random, 1 in 4 on average; each
 * sample stands for the packets its sample pool grew by (2 at the first
 * sample, 685 at the last: 683 after the first, which stands for 4).
 */
static void
test_sflow_sampled(void **state)
{
	struct cap c;
	struct flow_dec *d = flow_dec_new(NULL);
	struct sgot g = { 0 };
	const struct flow_stats *st;

	(void)state;
	load("flow-sflow-sampled.pcap", &c);
	sflow_feed(d, &c, &g);
	st = flow_dec_stats(d);
	assert_true(g.n > 0 && g.n < 688);
	assert_int_equal(g.n, 176);
	assert_int_equal(g.sampling, 4);
	assert_int_equal(g.pkts, 683 + 4);
	assert_int_equal(st->exp[0].sampling, 4);
	assert_int_equal(st->exp[0].samples_lost, 0);
	flow_dec_free(d);
	unload(&c);
}

/* Every datagram cut at every length: in bounds, never more samples than whole. */
static void
test_sflow_cut(void **state)
{
	struct cap c;
	struct ns_addr a = lo();

	(void)state;
	load("flow-sflow.pcap", &c);
	for (int i = 0; i < c.n && i < 12; i++) {
		struct flow_dec *d = flow_dec_new(NULL);
		struct sgot full = { 0 };

		flow_dec_message(d, &a, 1, c.d[i].b, c.d[i].len, c.d[i].ts, true, on_sample, &full);
		for (size_t cut = 0; cut < c.d[i].len; cut++) {
			struct sgot g = { 0 };
			uint8_t *b = xmalloc(cut ? cut : 1);

			memcpy(b, c.d[i].b, cut);
			flow_dec_message(d, &a, 1, b, cut, c.d[i].ts, true, on_sample, &g);
			assert_true(g.n <= full.n);
			free(b);
		}
		assert_true(flow_dec_stats(d)->bad_length + flow_dec_stats(d)->truncated > 0);
		flow_dec_free(d);
	}
	unload(&c);
}

/* An sFlow datagram written by hand: XDR words. */
struct xdr {
	uint8_t b[2048];
	size_t n;
};

static size_t
xw(struct xdr *x, uint32_t v)
{
	size_t at = x->n;

	assert_true(x->n + 4 <= sizeof(x->b));
	x->b[x->n++] = (uint8_t)(v >> 24);
	x->b[x->n++] = (uint8_t)(v >> 16);
	x->b[x->n++] = (uint8_t)(v >> 8);
	x->b[x->n++] = (uint8_t)v;
	return at;
}

static void
xset(struct xdr *x, size_t at, uint32_t v)
{
	x->b[at] = (uint8_t)(v >> 24);
	x->b[at + 1] = (uint8_t)(v >> 16);
	x->b[at + 2] = (uint8_t)(v >> 8);
	x->b[at + 3] = (uint8_t)v;
}

/* The header; returns where the sample count is. */
static size_t
sf_head(struct xdr *x, bool v6, uint32_t seq, uint32_t nsamp)
{
	x->n = 0;
	xw(x, 5);
	xw(x, v6 ? 2 : 1);
	xw(x, v6 ? 0x20010db8 : 0xc00002fe);	/* 2001:db8::fe or 192.0.2.254 */
	if (v6) {
		xw(x, 0);
		xw(x, 0);
		xw(x, 0xfe);
	}
	xw(x, 7);	/* sub-agent */
	xw(x, seq);
	xw(x, 1000);
	return xw(x, nsamp);
}

/* An NTP client's request, 192.0.2.1:40000 -> 198.51.100.10:123, as Ethernet. */
static const uint8_t ntp_frame[14 + 20 + 8 + 48] = {
	[12] = 0x08, [13] = 0x00,
	[14] = 0x45, [16] = 0, [17] = 76, [22] = 64, [23] = 17,
	[26] = 192, [27] = 0, [28] = 2, [29] = 1, [30] = 198, [31] = 51, [32] = 100, [33] = 10,
	[34] = 0x9c, [35] = 0x40, [36] = 0, [37] = 123, [38] = 0, [39] = 56,
	[42] = 0x23,	/* LI 0, version 4, mode 3 */
};

/* A flow sample (format 1, or 3 expanded) with one raw header record. */
static void
sf_sample(struct xdr *x, bool expanded, uint32_t seq, uint32_t source, uint32_t rate,
    uint32_t hproto, const uint8_t *hdr, uint32_t hlen)
{
	size_t len_at, rlen_at;

	xw(x, expanded ? 3 : 1);
	len_at = xw(x, 0);
	xw(x, seq);
	if (expanded) {
		xw(x, 0);
		xw(x, source);
	} else {
		xw(x, source);
	}
	xw(x, rate);
	xw(x, seq * rate);	/* sample pool */
	xw(x, 0);		/* drops */
	if (expanded) {
		xw(x, 0);
		xw(x, 3);
		xw(x, 0);
		xw(x, 4);
	} else {
		xw(x, 3);
		xw(x, 4);
	}
	xw(x, 2);		/* records */
	xw(x, 1001);		/* extended switch: skipped */
	xw(x, 16);
	for (int i = 0; i < 4; i++)
		xw(x, 0);
	xw(x, 1);		/* raw packet header */
	rlen_at = xw(x, 0);
	xw(x, hproto);
	xw(x, hlen + 4);	/* frame length, with the FCS */
	xw(x, 4);
	xw(x, hlen);
	memcpy(x->b + x->n, hdr, hlen);
	x->n += (hlen + 3) & ~3u;
	xset(x, rlen_at, (uint32_t)(x->n - rlen_at - 4));
	xset(x, len_at, (uint32_t)(x->n - len_at - 4));
}

static int
sf_send(struct flow_dec *d, struct xdr *x, double now, struct sgot *g)
{
	struct ns_addr a = lo();

	return flow_dec_message(d, &a, 6343, x->b, x->n, now, true, on_sample, g);
}

/* Formats, agents and lengths: what is read, skipped, refused and lost. */
static void
test_sflow_lies(void **state)
{
	struct flow_dec *d = flow_dec_new(NULL);
	const struct flow_stats *st;
	struct sgot g = { 0 };
	struct xdr x;
	size_t at, n;

	(void)state;
	/* An IPv6 agent; a flow sample, an expanded one, a counter sample, an unknown one. */
	sf_head(&x, true, 1, 4);
	sf_sample(&x, false, 1, 3, 1, 1, ntp_frame, sizeof(ntp_frame));
	sf_sample(&x, true, 1, 9, 1, 11, ntp_frame + 14, sizeof(ntp_frame) - 14);
	xw(&x, 2);		/* counter sample, 8 bytes of body */
	xw(&x, 8);
	xw(&x, 1);
	xw(&x, 2);
	xw(&x, 4096 << 12 | 1);	/* enterprise 4096's format 1 */
	xw(&x, 0);
	assert_int_equal(sf_send(d, &x, 100.0, &g), 2);
	st = flow_dec_stats(d);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.modes[3], 2);
	assert_string_equal(g.via, "exporter 2001:db8::fe");
	assert_int_equal(st->exp[0].domain, 7);
	assert_int_equal(st->sflow_counters, 1);
	assert_int_equal(st->sflow_other, 3);	/* two extended switch records, the unknown sample */
	/* An IPv6 header (protocol 12): 2001:db8::1 -> 2001:db8::2, UDP to 123, mode 3. */
	{
		uint8_t ip6[40 + 8 + 48] = {
			0x60, [5] = 56, [6] = 17, [7] = 64,
			[8] = 0x20, [9] = 0x01, [10] = 0x0d, [11] = 0xb8, [23] = 1,
			[24] = 0x20, [25] = 0x01, [26] = 0x0d, [27] = 0xb8, [39] = 2,
			[40] = 0x9c, [41] = 0x40, [43] = 123, [45] = 56, [48] = 0x23,
		};
		struct sgot g6 = { 0 };

		sf_head(&x, false, 1, 1);
		sf_sample(&x, true, 1, 5, 1, 12, ip6, sizeof(ip6));
		assert_int_equal(sf_send(d, &x, 100.0, &g6), 1);
		assert_int_equal(g6.modes[3], 1);
		assert_int_equal(g6.with_ntp, 1);
	}
	/* Sequence gaps: 3 datagrams, and source 3's samples 2-5, lost. */
	sf_head(&x, true, 5, 1);
	sf_sample(&x, false, 6, 3, 1, 1, ntp_frame, sizeof(ntp_frame));
	assert_int_equal(sf_send(d, &x, 101.0, &g), 1);
	st = flow_dec_stats(d);
	assert_int_equal(st->exp[0].seq_lost, 3);
	assert_int_equal(st->exp[0].samples_lost, 4);
	/* A restart: the sequence goes back, a jump, not loss. */
	sf_head(&x, true, 1, 1);
	sf_sample(&x, false, 1, 3, 1, 1, ntp_frame, sizeof(ntp_frame));
	assert_int_equal(sf_send(d, &x, 102.0, &g), 1);
	st = flow_dec_stats(d);
	assert_int_equal(st->exp[0].seq_lost, 3);
	assert_int_equal(st->exp[0].samples_lost, 4);
	assert_int_equal(st->exp[0].seq_jumps, 2);
	/* A huge sample count: the one there is read, the rest is counted cut short. */
	g.n = 0;
	at = sf_head(&x, false, 1, 0);
	xset(&x, at, 0xffffffffu);
	sf_sample(&x, false, 1, 3, 1, 1, ntp_frame, sizeof(ntp_frame));
	assert_int_equal(sf_send(d, &x, 103.0, &g), -1);
	assert_int_equal(g.n, 1);
	assert_int_equal(flow_dec_stats(d)->truncated, 1);
	/* A sample longer than the datagram: refused, nothing read. */
	g.n = 0;
	sf_head(&x, false, 2, 1);
	at = x.n;
	sf_sample(&x, false, 2, 3, 1, 1, ntp_frame, sizeof(ntp_frame));
	xset(&x, at + 4, (uint32_t)(x.n - at - 4 + 1));
	assert_int_equal(sf_send(d, &x, 104.0, &g), -1);
	assert_int_equal(g.n, 0);
	assert_int_equal(flow_dec_stats(d)->bad_length, 1);
	/* A record longer than its sample, a header longer than its record: refused. */
	sf_head(&x, false, 3, 1);
	at = x.n;
	sf_sample(&x, false, 3, 3, 1, 1, ntp_frame, sizeof(ntp_frame));
	n = x.n;
	/* the raw header record's length is at at + 8 + 32 + 24 + 4 */
	xset(&x, at + 68, (uint32_t)(n - at - 72 + 4));
	assert_int_equal(sf_send(d, &x, 105.0, &g), -1);
	assert_int_equal(flow_dec_stats(d)->bad_length, 2);
	sf_head(&x, false, 4, 1);
	at = x.n;
	sf_sample(&x, false, 4, 3, 1, 1, ntp_frame, sizeof(ntp_frame));
	xset(&x, at + 84, 200);	/* header length past the record */
	assert_int_equal(sf_send(d, &x, 106.0, &g), 0);
	assert_int_equal(flow_dec_stats(d)->bad_length, 3);
	assert_int_equal(g.n, 0);
	/* A header of a protocol not decoded (2: token ring), and ARP: counted. */
	sf_head(&x, false, 5, 2);
	sf_sample(&x, false, 5, 3, 1, 2, ntp_frame, sizeof(ntp_frame));
	{
		uint8_t arp[42] = { [12] = 0x08, [13] = 0x06 };

		sf_sample(&x, false, 6, 3, 1, 1, arp, sizeof(arp));
	}
	assert_int_equal(sf_send(d, &x, 107.0, &g), 0);
	assert_int_equal(flow_dec_stats(d)->sflow_not_ip, 2);
	/*
	 * What a sample stands for: its pool's growth (7 at 1 in 4), the rate
	 * for a source's first sample, after a lost one, or when the pool
	 * did not grow or grew by more than 64 times the rate.
	 */
	{
		static const uint32_t pools[][2] = {
			/* seq, pool: packets expected */
			{ 1, 100 }, { 2, 107 }, { 3, 107 }, { 4, 1000 }, { 6, 1010 }, { 7, 1013 },
		};
		static const uint64_t want[] = { 4, 7, 4, 4, 4, 3 };

		for (unsigned i = 0; i < 6; i++) {
			g.pkts = 0;
			sf_head(&x, false, 100 + i, 1);
			at = x.n;
			sf_sample(&x, false, pools[i][0], 77, 4, 1, ntp_frame, sizeof(ntp_frame));
			xset(&x, at + 20, pools[i][1]);
			assert_int_equal(sf_send(d, &x, 110.0 + i, &g), 1);
			assert_int_equal(g.pkts, want[i]);
		}
	}
	/* An agent address of no known type, a datagram cut in its header. */
	sf_head(&x, false, 7, 0);
	xset(&x, 4, 3);
	assert_int_equal(sf_send(d, &x, 108.0, &g), -1);
	assert_int_equal(flow_dec_stats(d)->not_flow, 1);
	x.n = 12;
	assert_int_equal(sf_send(d, &x, 109.0, &g), -1);
	/* Two agents, two exporters; the NetFlow v5 decoder never saw any of it. */
	st = flow_dec_stats(d);
	assert_int_equal(st->n_exp, 2);
	assert_int_equal(st->exp[0].version, FLOW_VER_SFLOW);
	assert_int_equal(st->exp[1].version, FLOW_VER_SFLOW);
	flow_dec_free(d);
}

/* The feed: a sample of 1 in 4 is 4 packets, spread back to its source's previous. */
struct spkts {
	int n;
	double ts[16];
	int mode[16];
	bool payload_in_frame;
};

static void
on_spkt(void *arg, struct pkt *p)
{
	struct spkts *o = arg;

	assert_true(o->n < 16);
	o->ts[o->n] = p->ts;
	o->mode[o->n] = p->payload != NULL && p->payload_caplen >= 48 ? p->payload[0] & 7 : -1;
	assert_memory_equal(p->rule, "exporter 192.0.2.254", p->rule_len);
	o->n++;
}

static void
on_rec_feed(void *arg, const struct flow_rec *r)
{
	flow_feed_add(arg, r);
}

static void
test_sflow_feed(void **state)
{
	struct flow_stats st;
	struct spkts *o = xcalloc(1, sizeof(*o));
	struct flow_feed *f;
	struct flow_dec *d = flow_dec_new(NULL);
	struct ns_addr a = lo();
	struct xdr x;

	(void)state;
	memset(&st, 0, sizeof(st));
	f = flow_feed_new(on_spkt, o, &st);
	/* Two datagrams of one sample each, 0.4 s apart; the same 5-tuple. */
	sf_head(&x, false, 1, 1);
	sf_sample(&x, false, 1, 3, 4, 1, ntp_frame, sizeof(ntp_frame));
	flow_dec_message(d, &a, 6343, x.b, x.n, 50.0, true, on_rec_feed, f);
	sf_head(&x, false, 2, 1);
	sf_sample(&x, false, 2, 3, 4, 1, ntp_frame, sizeof(ntp_frame));
	flow_dec_message(d, &a, 6343, x.b, x.n, 50.4, true, on_rec_feed, f);
	flow_feed_flush(f);
	/* The first: 4 at its time (no sample before); the second, 4 over (50.0, 50.4]. */
	assert_int_equal(o->n, 8);
	assert_int_equal(st.duplicates, 0);
	for (int i = 0; i < 4; i++)
		assert_true(o->ts[i] == 50.0);
	assert_true(o->ts[4] == 50.0 && o->ts[7] == 50.4);
	assert_true(o->ts[5] > 50.13 && o->ts[5] < 50.14);
	for (int i = 0; i < 8; i++)
		assert_int_equal(o->mode[i], 3);	/* the payload came along */
	assert_int_equal(st.packets_made, 8);
	/* A rate of 1 in 100,000: FLOW_MAX_EXPAND packets, the last the sampled one. */
	o->n = 0;
	counted = 0;
	flow_feed_free(f);
	f = flow_feed_new(count_pkt, &counted, &st);
	sf_head(&x, false, 3, 1);
	sf_sample(&x, false, 3, 3, 100000, 1, ntp_frame, sizeof(ntp_frame));
	flow_dec_message(d, &a, 6343, x.b, x.n, 51.4, true, on_rec_feed, f);
	flow_feed_flush(f);
	assert_int_equal(counted, FLOW_MAX_EXPAND);
	assert_true(last_ts == 51.4);
	flow_feed_free(f);
	flow_dec_free(d);
	free(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_v5),
		cmocka_unit_test(test_recorded_v9),
		cmocka_unit_test(test_recorded_ipfix),
		cmocka_unit_test(test_recorded_pmacct),
		cmocka_unit_test(test_sampled),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_no_template),
		cmocka_unit_test(test_sequence_gaps),
		cmocka_unit_test(test_redefined),
		cmocka_unit_test(test_past_datagram),
		cmocka_unit_test(test_template_flood),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_feed),
		cmocka_unit_test(test_sflow_recorded),
		cmocka_unit_test(test_sflow_sampled),
		cmocka_unit_test(test_sflow_v6_agent),
		cmocka_unit_test(test_sflow_cut),
		cmocka_unit_test(test_sflow_lies),
		cmocka_unit_test(test_sflow_feed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
