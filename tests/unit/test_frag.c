/*
 * IP fragments: the fragment table (analysis/frag.c) on its own, then
 * whole datagrams through the analysis, built here as a DNS server's
 * answer split in three IPv4 fragments (1480 + 1480 + 600 bytes of UDP).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "analysis/frag.h"
#include "analysis/internal.h"
#include "tests/unit/feed.h"

static const uint8_t LOCAL[4] = { 192, 0, 2, 10 };
static const uint8_t SRV[3][4] = {
	{ 198, 51, 100, 53 }, { 198, 51, 100, 54 }, { 198, 51, 100, 55 },
};

/* A struct pkt as cap_decode leaves a fragment. */
static void
pkt_frag(struct pkt *p, double ts, const uint8_t *src, uint16_t id, bool later, uint32_t len)
{
	memset(p, 0, sizeof(*p));
	p->ts = ts;
	p->ipver = 4;
	ns_addr_set4(&p->src, src);
	ns_addr_set4(&p->dst, LOCAL);
	p->proto = 17;
	p->ip_id = id;
	p->ip_len = len;
	p->fragment = true;
	p->later_fragment = later;
	if (!later) {
		p->has_ports = true;
		p->sport = 53;
		p->dport = 40000;
	}
}

static struct frag_info
info_reply(void)
{
	struct frag_info fi;

	memset(&fi, 0, sizeof(fi));
	fi.resp = fi.has_ports = true;
	fi.sport = 53;
	fi.dport = 40000;
	return fi;
}

static void
test_first_then_later(void **state)
{
	struct frag_table *t = frag_new(64);
	struct frag_info fi = info_reply(), got;
	struct pkt p;
	uint32_t n;
	uint64_t b;

	(void)state;
	pkt_frag(&p, 100, SRV[0], 7, false, 1500);
	frag_first(t, &p, &fi, &n, &b);
	assert_int_equal(n, 0);
	pkt_frag(&p, 100.001, SRV[0], 7, true, 1500);
	memset(&got, 0, sizeof(got));
	assert_true(frag_later(t, &p, &got));
	assert_true(got.resp);
	assert_true(got.has_ports);
	assert_int_equal(got.sport, 53);
	assert_int_equal(got.dport, 40000);
	/* Another datagram, another source, another protocol: not this one. */
	pkt_frag(&p, 100.002, SRV[0], 8, true, 620);
	assert_false(frag_later(t, &p, &got));
	pkt_frag(&p, 100.002, SRV[1], 7, true, 620);
	assert_false(frag_later(t, &p, &got));
	pkt_frag(&p, 100.002, SRV[0], 7, true, 620);
	p.proto = 6;
	assert_false(frag_later(t, &p, &got));
	/* Kept FRAG_TTL seconds from the first, not longer. */
	pkt_frag(&p, 100 + FRAG_TTL - 0.5, SRV[0], 7, true, 620);
	assert_true(frag_later(t, &p, &got));
	pkt_frag(&p, 100 + FRAG_TTL + 0.5, SRV[0], 7, true, 620);
	assert_false(frag_later(t, &p, &got));
	frag_free(t);
}

/* A later fragment from SRV[0] that finds no first: kept as an orphan, as host.c does. */
static void
orphan(struct frag_table *t, double ts, uint16_t id, uint32_t len)
{
	struct frag_info got;
	struct pkt p;

	pkt_frag(&p, ts, SRV[0], id, true, len);
	assert_false(frag_later(t, &p, &got));
	frag_orphan(t, &p);
}

/* A first fragment from SRV[0]: how many orphans it takes over, their bytes in *b. */
static uint32_t
first(struct frag_table *t, double ts, uint16_t id, uint64_t *b)
{
	struct frag_info fi = info_reply();
	struct pkt p;
	uint32_t n;

	pkt_frag(&p, ts, SRV[0], id, false, 1500);
	frag_first(t, &p, &fi, &n, b);
	return n;
}

static void
test_later_then_first(void **state)
{
	struct frag_table *t = frag_new(64);
	struct frag_info got;
	struct pkt p;
	uint64_t b;

	(void)state;
	/* The last fragment, then the middle one, then the first. */
	orphan(t, 200, 9, 620);
	orphan(t, 200.001, 9, 1500);
	assert_int_equal(first(t, 200.002, 9, &b), 2);
	assert_int_equal(b, 2120);
	/* Handed over once; a duplicate of a later fragment now finds the first. */
	pkt_frag(&p, 200.003, SRV[0], 9, true, 620);
	assert_true(frag_later(t, &p, &got));
	assert_int_equal(got.dport, 40000);
	assert_int_equal(first(t, 200.004, 9, &b), 0);
	frag_free(t);
}

static void
test_lost_first(void **state)
{
	struct frag_table *t = frag_new(64);
	uint64_t b;

	(void)state;
	orphan(t, 300, 11, 1500);
	orphan(t, 300.001, 11, 620);
	assert_int_equal(frag_used(t), 1);
	/* A first with that identification long after is another datagram. */
	assert_int_equal(first(t, 300 + FRAG_TTL + 1, 11, &b), 0);
	assert_int_equal(b, 0);
	frag_free(t);
}

/* IPv6's identification is 32 bits: two that share the low 16 are two datagrams. */
static void
test_ipv6_id(void **state)
{
	struct frag_table *t = frag_new(64);
	struct frag_info fi = info_reply(), got;
	struct pkt p;
	uint8_t s6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x35 };
	uint32_t n;
	uint64_t b;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.ts = 400;
	p.ipver = 6;
	ns_addr_set6(&p.src, s6);
	ns_addr_set6(&p.dst, s6);
	p.dst.b[15] = 0x10;
	p.proto = 17;
	p.fragment = true;
	p.frag_id6 = 0x00011234;
	frag_first(t, &p, &fi, &n, &b);
	p.later_fragment = true;
	assert_true(frag_later(t, &p, &got));
	p.frag_id6 = 0x00021234;
	assert_false(frag_later(t, &p, &got));
	frag_free(t);
}

/*
 * A flood of datagrams, each with a new identification: the table keeps
 * its size, the newest are found, the oldest are gone; a flood of
 * orphans (spoofed later fragments) does not push out a first.
 */
static void
test_eviction(void **state)
{
	struct frag_table *t = frag_new(1024);
	struct frag_info fi = info_reply(), got;
	struct pkt p, keep;
	uint8_t src[4];
	uint32_t n, i;
	uint64_t b;

	(void)state;
	assert_int_equal(frag_capacity(t), 1024);
	for (i = 0; i < 100000; i++) {
		memcpy(src, SRV[0], 4);
		src[3] = (uint8_t)i;
		pkt_frag(&p, 500 + i * 1e-5, src, (uint16_t)(i >> 8), false, 1500);
		frag_first(t, &p, &fi, &n, &b);
		assert_true(frag_used(t) <= frag_capacity(t) || (fail(), 0));
		if (i % 10000 == 0) {
			p.later_fragment = true;
			assert_true(frag_later(t, &p, &got));
		}
	}
	assert_int_equal(frag_used(t), 1024);
	pkt_frag(&p, 501, SRV[0], 0, true, 620);
	p.src.b[3] = 0;
	assert_false(frag_later(t, &p, &got));	/* the very first, long pushed out */

	pkt_frag(&keep, 502, SRV[2], 4242, false, 1500);
	frag_first(t, &keep, &fi, &n, &b);
	for (i = 0; i < 100000; i++) {
		memcpy(src, SRV[1], 4);
		src[2] = (uint8_t)(i >> 8);
		src[3] = (uint8_t)i;
		pkt_frag(&p, 502.5, src, (uint16_t)i, true, 620);
		frag_orphan(t, &p);
	}
	assert_int_equal(frag_used(t), 1024);
	keep.later_fragment = true;
	keep.ts = 503;
	assert_true(frag_later(t, &keep, &got));
	frag_free(t);
}

/*
 * Through the analysis. Raw IPv4 fragments of a UDP datagram of 3568
 * bytes (a DNS answer from port 53: QR set), offset in 8-byte units.
 */
#define DGRAM 3568
static size_t
build_frag(uint8_t *b, const uint8_t *src, const uint8_t *dst, uint16_t id, int part,
    uint16_t sport, uint16_t dport)
{
	static const uint16_t off[3] = { 0, 1480, 2960 };
	size_t len = 20 + (part < 2 ? 1480 : DGRAM - 2960);
	uint16_t fl = (uint16_t)(off[part] / 8 | (part < 2 ? 0x2000 : 0));

	memset(b, 0, len);
	b[0] = 0x45;
	b[2] = (uint8_t)(len >> 8);
	b[3] = (uint8_t)len;
	b[4] = (uint8_t)(id >> 8);
	b[5] = (uint8_t)id;
	b[6] = (uint8_t)(fl >> 8);
	b[7] = (uint8_t)fl;
	b[8] = 64;
	b[9] = 17;
	memcpy(b + 12, src, 4);
	memcpy(b + 16, dst, 4);
	if (part == 0) {
		b[20] = (uint8_t)(sport >> 8);
		b[21] = (uint8_t)sport;
		b[22] = (uint8_t)(dport >> 8);
		b[23] = (uint8_t)dport;
		b[24] = DGRAM >> 8;
		b[25] = DGRAM & 0xff;
		b[28] = 0x12;		/* DNS id */
		b[30] = 0x84;		/* QR, AA */
	}
	return len;
}

/* A small UDP datagram, unfragmented: a query when QR is clear. */
static size_t
build_udp(uint8_t *b, const uint8_t *src, const uint8_t *dst, uint16_t sport, uint16_t dport,
    bool qr)
{
	size_t len = 20 + 8 + 40;

	memset(b, 0, len);
	b[0] = 0x45;
	b[3] = (uint8_t)len;
	b[8] = 64;
	b[9] = 17;
	memcpy(b + 12, src, 4);
	memcpy(b + 16, dst, 4);
	b[20] = (uint8_t)(sport >> 8);
	b[21] = (uint8_t)sport;
	b[22] = (uint8_t)(dport >> 8);
	b[23] = (uint8_t)dport;
	b[25] = 48;
	b[30] = qr ? 0x84 : 0x01;
	return len;
}

static struct ana *
new_ana(void)
{
	struct ana_config c;

	memset(&c, 0, sizeof(c));
	ana_thresholds_default(&c.th);
	ns_cidr_parse(&c.local[0], "192.0.2.0/24");
	c.n_local = 1;
	c.local_mode = ANA_LOCAL_GIVEN;
	return ana_new(&c);
}

static uint8_t fbuf[1600];


static void
feed_frag(struct ana *a, double ts, const uint8_t *src, uint16_t id, int part, uint16_t dport)
{
	size_t n = build_frag(fbuf, src, LOCAL, id, part, 53, dport);

	feed_frame(a, DLT_RAW, ts, fbuf, n);
}

static void
feed_udp(struct ana *a, double ts, const uint8_t *src, const uint8_t *dst, uint16_t sport,
    uint16_t dport, bool qr)
{
	size_t n = build_udp(fbuf, src, dst, sport, dport, qr);

	feed_frame(a, DLT_RAW, ts, fbuf, n);
}

static struct ana_host_info *
host_of(struct ana *a, const uint8_t *addr)
{
	static struct ana_host_info h;
	struct ns_addr r;

	ns_addr_set4(&r, addr);
	assert_true(ana_host(a, &r, &h));
	return &h;
}

/* Our query, its answer in three fragments: all three solicited. */
static void
test_ana_solicited(void **state)
{
	struct ana *a = new_ana();
	struct ana_host_info *h;

	(void)state;
	for (int i = 0; i < 5; i++) {
		double t = 1000 + i;

		feed_udp(a, t, LOCAL, SRV[0], (uint16_t)(41000 + i), 53, false);
		for (int part = 0; part < 3; part++)
			feed_frag(a, t + 0.01 + part * 1e-4, SRV[0], (uint16_t)(100 + i), part,
			    (uint16_t)(41000 + i));
	}
	/* The first fragment of a sixth answer was lost: the rest is still ours. */
	feed_udp(a, 1010, LOCAL, SRV[0], 41010, 53, false);
	feed_frag(a, 1010.01, SRV[0], 110, 1, 41010);
	feed_frag(a, 1010.0101, SRV[0], 110, 2, 41010);
	h = host_of(a, SRV[0]);
	assert_int_equal(h->packets_in, 17);
	assert_int_equal(h->in_solicited, 17);
	assert_int_equal(h->in_unsolicited, 0);
	assert_int_equal(h->in_probes, 0);
	assert_int_equal(h->bytes_in, 5 * (DGRAM + 60) + 1500 + 628);
	assert_int_equal(h->verdict, V_SOLICITED);
	ana_free(a);
}

/*
 * Three reflectors, 60 unsolicited answers each in a second, to random
 * ports: one reflection incident; the later fragments are replies, not
 * an incident of their own on "port 0". The last reflector's fragments
 * come last first, its first fragment of one answer never.
 */
static void
test_ana_reflection(void **state)
{
	struct ana *a = new_ana();
	struct ana_incident inc[8];
	struct ana_host_info *h;
	unsigned n, reflections = 0;

	(void)state;
	for (int i = 0; i < 60; i++) {
		for (int s = 0; s < 3; s++) {
			double t = 2000 + i / 60.0 + s * 1e-3;
			uint16_t id = (uint16_t)(1000 + i), port = (uint16_t)(20000 + 7 * i + s);

			for (int k = 0; k < 3; k++) {
				int part = s == 2 ? 2 - k : k;

				if (s == 2 && i == 59 && part == 0)
					continue;
				feed_frag(a, t + k * 1e-4, SRV[s], id, part, port);
			}
		}
	}
	for (int s = 0; s < 3; s++) {
		h = host_of(a, SRV[s]);
		assert_int_equal(h->packets_in, s == 2 ? 179 : 180);
		assert_int_equal(h->in_probes, 0);
		assert_int_equal(h->in_responses_unsolicited, h->packets_in);
		/* The first orphans, counted as probes of the address until their first came, stay in this set. */
		assert_int_equal(h->probed_addrs, s == 2 ? 1 : 0);
	}
	n = ana_incidents(a, inc, 8);
	for (unsigned i = 0; i < n; i++) {
		assert_false(!inc[i].any_port && inc[i].port == 0);
		reflections += inc[i].kind == V_REFLECTION_FLOOD;
	}
	assert_int_equal(reflections, 1);
	assert_int_equal(n, 1);
	assert_int_equal(inc[0].remote_hosts, 3);
	assert_int_equal(inc[0].packets, 539);
	assert_int_equal(inc[0].bytes, 3 * 60 * (DGRAM + 60) - 1500);
	ana_free(a);
}

/*
 * A spoofed flood of later fragments alone (no first, no stream): probes
 * of the address, an incident on the address, none on "port 0".
 */
static void
test_ana_orphan_flood(void **state)
{
	struct ana *a = new_ana();
	struct ana_incident inc[8];
	uint8_t src[4] = { 203, 0, 113, 0 };
	unsigned n;

	(void)state;
	for (int i = 0; i < 600; i++) {
		src[3] = (uint8_t)(i % 200 + 1);
		feed_frag(a, 3000 + i / 600.0, src, (uint16_t)i, 1, 0);
	}
	n = ana_incidents(a, inc, 8);
	assert_int_equal(n, 1);
	assert_true(inc[0].any_port);
	assert_int_equal(inc[0].kind, V_FLOOD);
	assert_int_equal(inc[0].packets, 600);
	ana_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_then_later),
		cmocka_unit_test(test_later_then_first),
		cmocka_unit_test(test_lost_first),
		cmocka_unit_test(test_ipv6_id),
		cmocka_unit_test(test_eviction),
		cmocka_unit_test(test_ana_solicited),
		cmocka_unit_test(test_ana_reflection),
		cmocka_unit_test(test_ana_orphan_flood),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
