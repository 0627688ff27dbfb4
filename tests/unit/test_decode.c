/*
 * The decoder's bounds checks: well-formed packets decode to the right
 * fields, and every truncation of them decodes without reading past the
 * end (run under ASan, a read past the buffer is a crash).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "analysis/ntp.h"
#include "capture/decode.h"
#include "capture/fwframe.h"

/* Ethernet, IPv4, UDP 192.0.2.1:40000 -> 198.51.100.7:123, NTP mode 3. */
static const uint8_t eth_udp_ntp[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00,
	0x45, 0, 0, 76, 0, 1, 0x40, 0, 64, 17, 0, 0, 192, 0, 2, 1, 198, 51, 100, 7,
	0x9c, 0x40, 0, 123, 0, 56, 0, 0,
	0x23, 0, 6, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* 802.1ad + 802.1Q tags, IPv6 with a hop-by-hop header, TCP SYN. */
static const uint8_t qinq_v6_tcp[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
	0x88, 0xa8, 0, 13, 0x81, 0x00, 0, 10, 0x86, 0xdd,
	0x60, 0, 0, 0, 0, 28, 0, 64,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	6, 0, 1, 4, 0, 0, 0, 0,			/* hop-by-hop: next TCP, PadN */
	0x30, 0x39, 0, 22, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0x72, 0x10, 0, 0, 0, 0,
};

/* Raw IPv4 ICMP port unreachable quoting UDP 198.51.100.7:123 -> 192.0.2.1:40000. */
static const uint8_t raw_icmp_unreach[] = {
	0x45, 0, 0, 56, 0, 2, 0, 0, 64, 1, 0, 0, 192, 0, 2, 1, 198, 51, 100, 7,
	3, 3, 0, 0, 0, 0, 0, 0,
	0x45, 0, 0, 76, 0, 9, 0, 0, 64, 17, 0, 0, 198, 51, 100, 7, 192, 0, 2, 1,
	0, 123, 0x9c, 0x40, 0, 56, 0, 0,
};

/* Raw IPv4 later fragment (offset 185 * 8) of a UDP datagram. */
static const uint8_t raw_frag[] = {
	0x45, 0, 0, 28, 0, 3, 0, 185, 64, 17, 0, 0, 203, 0, 113, 9, 192, 0, 2, 1,
	1, 2, 3, 4, 5, 6, 7, 8,
};

static void
test_udp_ntp(void **state)
{
	struct pkt p;
	struct ntp_msg m;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_EN10MB, eth_udp_ntp, sizeof(eth_udp_ntp)), PKT_OK);
	assert_int_equal(p.ipver, 4);
	assert_int_equal(p.proto, 17);
	assert_int_equal(p.sport, 40000);
	assert_int_equal(p.dport, 123);
	assert_int_equal(p.ip_len, 76);
	assert_int_equal(p.payload_len, 48);
	assert_true(ntp_dissect(p.payload, p.payload_caplen, p.payload_len, true, &m));
	assert_int_equal(m.version, 4);
	assert_int_equal(m.mode, 3);
	assert_true(m.request);
}

/* The reference id as text, each of its three forms, against snprintf. */
static void
test_ntp_refid(void **state)
{
	static const struct {
		uint8_t vn, stratum, r[4];
		const char *want;
	} c[] = {
		{ 4, 1, { 'G', 'P', 'S', 0 }, "GPS" },
		{ 4, 1, { 'P', 'P', 'S', 'X' }, "PPSX" },
		{ 4, 0, { 'R', 'A', 'T', 'E' }, "RATE" },
		{ 4, 1, { 'a', 0x07, 0x80, 'z' }, "a??z" },
		{ 4, 2, { 192, 0, 2, 1 }, "192.0.2.1" },
		{ 3, 2, { 0, 0, 0, 0 }, "0.0.0.0" },
		{ 4, 3, { 255, 255, 255, 255 }, "255.255.255.255" },
		{ 4, 2, { 0, 0x1a, 0x2b, 0xf0 }, "0x001a2bf0" },
		{ 4, 15, { 0, 9, 99, 100 }, "0x00096364" },
	};
	uint8_t pk[48];
	struct ntp_msg m;

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		memset(pk, 0, sizeof(pk));
		pk[0] = (uint8_t)(c[i].vn << 3 | 4);	/* server reply */
		pk[1] = c[i].stratum;
		memcpy(pk + 12, c[i].r, 4);
		assert_true(ntp_dissect(pk, sizeof(pk), sizeof(pk), true, &m));
		assert_string_equal(m.refid, c[i].want);
	}
	/* Every IPv4 form, as printf writes it. */
	for (unsigned v = 0; v < 256; v++) {
		char want[16];

		memset(pk, 0, sizeof(pk));
		pk[0] = 3 << 3 | 4;
		pk[1] = 2;
		pk[12] = (uint8_t)v;
		pk[13] = (uint8_t)(255 - v);
		pk[14] = (uint8_t)(v / 3);
		pk[15] = (uint8_t)(v * 7);
		snprintf(want, sizeof(want), "%u.%u.%u.%u", pk[12], pk[13], pk[14], pk[15]);
		assert_true(ntp_dissect(pk, sizeof(pk), sizeof(pk), true, &m));
		assert_string_equal(m.refid, want);
	}
}

static void
test_qinq_v6(void **state)
{
	struct pkt p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_EN10MB, qinq_v6_tcp, sizeof(qinq_v6_tcp)), PKT_OK);
	assert_int_equal(p.ipver, 6);
	assert_int_equal(p.proto, 6);
	assert_int_equal(p.sport, 12345);
	assert_int_equal(p.dport, 22);
	assert_int_equal(p.tcp_flags, 0x02);
	assert_int_equal(p.ip_len, 68);
}

static void
test_icmp_quote(void **state)
{
	struct pkt p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_RAW, raw_icmp_unreach, sizeof(raw_icmp_unreach)), PKT_OK);
	assert_true(p.icmp_error);
	assert_int_equal(p.icmp_type, 3);
	assert_int_equal(p.icmp_code, 3);
	assert_true(p.quoted.valid);
	assert_int_equal(p.quoted.proto, 17);
	assert_int_equal(p.quoted.sport, 123);
	assert_int_equal(p.quoted.dport, 40000);
	assert_memory_equal(p.quoted.src.b, ((uint8_t[]){ 198, 51, 100, 7 }), 4);
}

static void
test_later_fragment(void **state)
{
	struct pkt p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_RAW, raw_frag, sizeof(raw_frag)), PKT_OK);
	assert_true(p.fragment);
	assert_true(p.later_fragment);
	assert_false(p.has_ports);
	assert_int_equal(p.ip_len, 28);
}

/* Every prefix of every sample, copied to an exact-size heap buffer. */
static void
test_truncations(void **state)
{
	static const struct {
		const uint8_t *b;
		size_t n;
		int dlt;
	} s[] = {
		{ eth_udp_ntp, sizeof(eth_udp_ntp), DLT_EN10MB },
		{ qinq_v6_tcp, sizeof(qinq_v6_tcp), DLT_EN10MB },
		{ raw_icmp_unreach, sizeof(raw_icmp_unreach), DLT_RAW },
		{ raw_frag, sizeof(raw_frag), DLT_RAW },
	};
	size_t i, len;
	int errors = 0;

	(void)state;
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		for (len = 0; len < s[i].n; len++) {
			uint8_t *buf = malloc(len ? len : 1);
			struct pkt p;
			struct ntp_msg m;

			memcpy(buf, s[i].b, len);
			memset(&p, 0, sizeof(p));
			if (cap_decode(&p, s[i].dlt, buf, (uint32_t)len) >= PKT_ERR_LINK)
				errors++;
			if (p.payload != NULL) {
				assert_true(p.payload >= buf && p.payload + p.payload_caplen <= buf + len);
				ntp_dissect(p.payload, p.payload_caplen, p.payload_len, true, &m);
			}
			free(buf);
		}
	}
	/* Short link and IP headers are errors, not silently accepted. */
	assert_true(errors > 40);
}

static void
test_lying_lengths(void **state)
{
	uint8_t b[sizeof(eth_udp_ntp)];
	struct pkt p;

	(void)state;
	/* IHL of 4 bytes is invalid. */
	memcpy(b, eth_udp_ntp, sizeof(b));
	b[14] = 0x41;
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_EN10MB, b, sizeof(b)), PKT_ERR_IP);
	/* A total length larger than captured is fine (snaplen), payload stays in bounds. */
	memcpy(b, eth_udp_ntp, sizeof(b));
	b[16] = 0x05;
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_EN10MB, b, sizeof(b)), PKT_OK);
	assert_true(p.payload + p.payload_caplen <= b + sizeof(b));
	/* A UDP length below 8 falls back to the IP length. */
	memcpy(b, eth_udp_ntp, sizeof(b));
	b[38] = 0;
	b[39] = 3;
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_EN10MB, b, sizeof(b)), PKT_OK);
	assert_int_equal(p.payload_len, 48);
	/* An unknown link type is reported. */
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, 9999, b, sizeof(b)), PKT_ERR_LINKTYPE);
}

/* A firewall log's packet through a DLT_FWLOG frame and back. */
static void
fwlog_sample(struct pkt *p)
{
	static const uint8_t s[4] = { 198, 51, 100, 7 }, d[4] = { 192, 0, 2, 1 };
	static const uint8_t qs[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t qd[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

	memset(p, 0, sizeof(*p));
	p->ipver = 4;
	ns_addr_set4(&p->src, s);
	ns_addr_set4(&p->dst, d);
	p->proto = 1;
	p->ip_len = 76;
	p->ip_id = 0xbeef;
	p->fragment = true;
	p->icmp_type = 3;
	p->icmp_code = 3;
	p->icmp_error = true;
	p->quoted.valid = true;
	p->quoted.proto = 17;
	p->quoted.has_ports = true;
	ns_addr_set6(&p->quoted.src, qs);
	ns_addr_set6(&p->quoted.dst, qd);
	p->quoted.sport = 123;
	p->quoted.dport = 40000;
	p->payload_len = 48;
	p->wirelen = 76;
	p->rule = "drop-ntp-in";
	p->rule_len = 11;
	p->fw_action = 2;
}

static void
test_fwframe_round_trip(void **state)
{
	struct pkt p, q;
	uint8_t buf[256];
	size_t n;

	(void)state;
	fwlog_sample(&p);
	n = fwframe_encode(&p, buf, sizeof(buf));
	assert_int_equal(n, FWFRAME_HDR + 11);
	memset(&q, 0xa5, sizeof(q));
	assert_int_equal(cap_decode(&q, DLT_FWLOG, buf, (uint32_t)n), PKT_OK);
	assert_int_equal(q.ipver, 4);
	assert_true(ns_addr_eq(&q.src, &p.src));
	assert_true(ns_addr_eq(&q.dst, &p.dst));
	assert_int_equal(q.proto, 1);
	assert_int_equal(q.ip_len, 76);
	assert_int_equal(q.ip_id, 0xbeef);
	assert_true(q.fragment);
	assert_false(q.later_fragment);
	assert_false(q.has_ports);
	assert_int_equal(q.icmp_type, 3);
	assert_int_equal(q.icmp_code, 3);
	assert_true(q.icmp_error);
	assert_true(q.quoted.valid);
	assert_true(q.quoted.has_ports);
	assert_int_equal(q.quoted.proto, 17);
	assert_true(ns_addr_eq(&q.quoted.src, &p.quoted.src));
	assert_true(ns_addr_eq(&q.quoted.dst, &p.quoted.dst));
	assert_int_equal(q.quoted.sport, 123);
	assert_int_equal(q.quoted.dport, 40000);
	assert_int_equal(q.payload_len, 48);
	assert_int_equal(q.fw_action, 2);
	assert_int_equal(q.rule_len, 11);
	assert_ptr_equal(q.rule, (const char *)buf + FWFRAME_HDR);
	assert_memory_equal(q.rule, "drop-ntp-in", 11);
	assert_null(q.payload);
	assert_null(q.frame);
	assert_string_equal(cap_dlt_name(DLT_FWLOG), "firewall log");
	assert_true(cap_dlt_supported(DLT_FWLOG));

	/* TCP over IPv6, no rule. */
	memset(&p, 0, sizeof(p));
	p.ipver = 6;
	ns_addr_set6(&p.src, (const uint8_t[16]){ 0x20, 0x01, [15] = 9 });
	ns_addr_set6(&p.dst, (const uint8_t[16]){ 0x20, 0x01, [15] = 8 });
	p.proto = 6;
	p.has_ports = true;
	p.sport = 443;
	p.dport = 55555;
	p.tcp_flags = TCP_SYN | TCP_ACK;
	n = fwframe_encode(&p, buf, sizeof(buf));
	assert_int_equal(n, FWFRAME_HDR);
	assert_int_equal(cap_decode(&q, DLT_FWLOG, buf, (uint32_t)n), PKT_OK);
	assert_int_equal(q.sport, 443);
	assert_int_equal(q.dport, 55555);
	assert_int_equal(q.tcp_flags, TCP_SYN | TCP_ACK);
	assert_true(q.has_ports);
	assert_int_equal(q.rule_len, 0);
	assert_null(q.rule);
	/* Too short a buffer: nothing written. */
	assert_int_equal(fwframe_encode(&p, buf, FWFRAME_HDR - 1), 0);
}

/* Every cut of a frame, and frames that lie, are decode errors, in bounds. */
static void
test_fwframe_cut(void **state)
{
	struct pkt p, q;
	uint8_t buf[256], *cut;
	size_t n;

	(void)state;
	fwlog_sample(&p);
	n = fwframe_encode(&p, buf, sizeof(buf));
	for (size_t len = 0; len < n; len++) {
		/* an exact-size copy: ASan sees any read past it */
		cut = malloc(len ? len : 1);
		memcpy(cut, buf, len);
		assert_int_equal(cap_decode(&q, DLT_FWLOG, cut, (uint32_t)len), PKT_ERR_LINK);
		assert_non_null(q.err_what);
		free(cut);
	}
	/* A rule longer than the frame says, or shorter. */
	buf[96] = 0;
	buf[97] = 200;
	assert_int_equal(cap_decode(&q, DLT_FWLOG, buf, (uint32_t)n), PKT_ERR_LINK);
	buf[97] = 5;
	assert_int_equal(cap_decode(&q, DLT_FWLOG, buf, (uint32_t)n), PKT_ERR_LINK);
	buf[97] = 11;
	assert_int_equal(cap_decode(&q, DLT_FWLOG, buf, (uint32_t)n), PKT_OK);
	/* Another version, an IP version not 4 or 6, an address of another family. */
	buf[0] = 2;
	assert_int_equal(cap_decode(&q, DLT_FWLOG, buf, (uint32_t)n), PKT_ERR_LINK);
	buf[0] = 1;
	buf[1] = 5;
	assert_int_equal(cap_decode(&q, DLT_FWLOG, buf, (uint32_t)n), PKT_ERR_LINK);
	buf[1] = 4;
	buf[24] = 6;
	assert_int_equal(cap_decode(&q, DLT_FWLOG, buf, (uint32_t)n), PKT_ERR_LINK);
	buf[24] = 4;
	buf[24 + 1 + 10] = 1;	/* an IPv4 address with bytes past its four */
	assert_int_equal(cap_decode(&q, DLT_FWLOG, buf, (uint32_t)n), PKT_ERR_LINK);
	/* Random bytes never crash. */
	srand(16);
	for (int i = 0; i < 20000; i++) {
		size_t len = (size_t)rand() % 160;

		for (size_t j = 0; j < len; j++)
			buf[j] = (uint8_t)rand();
		if (rand() % 2) {
			buf[0] = 1;
			buf[1] = 4;
		}
		(void)cap_decode(&q, DLT_FWLOG, buf, (uint32_t)len);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udp_ntp),
		cmocka_unit_test(test_ntp_refid),
		cmocka_unit_test(test_qinq_v6),
		cmocka_unit_test(test_icmp_quote),
		cmocka_unit_test(test_later_fragment),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_lying_lengths),
		cmocka_unit_test(test_fwframe_round_trip),
		cmocka_unit_test(test_fwframe_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
