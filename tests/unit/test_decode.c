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

/*
 * nmap -f's first fragment (MF, offset 0): 8 bytes of a TCP header, the
 * ports and sequence number; the flags are in the next fragment.
 */
static const uint8_t raw_tiny_frag[] = {
	0x45, 0, 0, 28, 0, 4, 0x20, 0, 64, 6, 0, 0, 203, 0, 113, 43, 192, 0, 2, 10,
	0xa4, 0x10, 0, 80, 1, 2, 3, 4,
};

/* nmap -sY's SCTP INIT to port 80: common header, then an INIT chunk. */
static const uint8_t raw_sctp_init[] = {
	0x45, 0, 0, 52, 0, 5, 0, 0, 64, 132, 0, 0, 203, 0, 113, 49, 192, 0, 2, 10,
	0x9c, 0x41, 0, 80, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 0, 0, 20, 1, 2, 3, 4, 0, 1, 0, 0, 0, 10, 0, 10, 5, 6, 7, 8,
};

/* Raw IPv6 later fragment (offset 1448, identification 0x89abcdef) of a UDP datagram. */
static const uint8_t raw_frag6[] = {
	0x60, 0, 0, 0, 0, 16, 44, 64,
	0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x35,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
	17, 0, 0x05, 0xa9, 0x89, 0xab, 0xcd, 0xef,
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
	assert_true(ntp_dissect(p.payload, p.payload_caplen, p.payload_len, true, p.src.af, &m));
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
		int af;
		const char *want;
	} c[] = {
		{ 4, 1, { 'G', 'P', 'S', 0 }, 4, "GPS" },
		{ 4, 1, { 'P', 'P', 'S', 'X' }, 4, "PPSX" },
		{ 4, 0, { 'R', 'A', 'T', 'E' }, 4, "RATE" },
		{ 4, 1, { 'a', 0x07, 0x80, 'z' }, 4, "a??z" },
		{ 4, 2, { 192, 0, 2, 1 }, 4, "192.0.2.1" },
		{ 3, 2, { 0, 0, 0, 0 }, 4, "0.0.0.0" },
		{ 4, 3, { 255, 255, 255, 255 }, 4, "255.255.255.255" },
		{ 4, 2, { 0, 0x1a, 0x2b, 0xf0 }, 4, "0x001a2bf0" },
		{ 4, 15, { 0, 9, 99, 100 }, 4, "0x00096364" },
		/* Over IPv6, above stratum 1: an MD5 prefix, whatever its bytes. */
		{ 4, 2, { 192, 0, 2, 1 }, 6, "0xc0000201" },
		{ 4, 1, { 'G', 'P', 'S', 0 }, 6, "GPS" },
		{ 4, 0, { 'R', 'A', 'T', 'E' }, 6, "RATE" },
		/* Not known: judged by the bytes. */
		{ 4, 2, { 192, 0, 2, 1 }, 0, "192.0.2.1" },
	};
	uint8_t pk[48];
	struct ntp_msg m;

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		memset(pk, 0, sizeof(pk));
		pk[0] = (uint8_t)(c[i].vn << 3 | 4);	/* server reply */
		pk[1] = c[i].stratum;
		memcpy(pk + 12, c[i].r, 4);
		assert_true(ntp_dissect(pk, sizeof(pk), sizeof(pk), true, c[i].af, &m));
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
		assert_true(ntp_dissect(pk, sizeof(pk), sizeof(pk), true, 4, &m));
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
	assert_int_equal(p.ip_id, 3);
	/* IPv6: the Fragment header's 32-bit identification. */
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_RAW, raw_frag6, sizeof(raw_frag6)), PKT_OK);
	assert_int_equal(p.ipver, 6);
	assert_true(p.later_fragment);
	assert_int_equal(p.proto, 17);
	assert_int_equal(p.frag_id6, 0x89abcdef);
	assert_int_equal(p.ip_len, 56);
	/* A first fragment too short for the TCP flags: ports, no error (RFC 1858). */
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_RAW, raw_tiny_frag, sizeof(raw_tiny_frag)), PKT_OK);
	assert_true(p.fragment);
	assert_false(p.later_fragment);
	assert_true(p.has_ports);
	assert_true(p.tcp_split);
	assert_int_equal(p.sport, 0xa410);
	assert_int_equal(p.dport, 80);
	assert_int_equal(p.tcp_flags, 0);
	/* SCTP: ports, and the chunks as payload. */
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_RAW, raw_sctp_init, sizeof(raw_sctp_init)), PKT_OK);
	assert_int_equal(p.proto, 132);
	assert_true(p.has_ports);
	assert_int_equal(p.sport, 0x9c41);
	assert_int_equal(p.dport, 80);
	assert_int_equal(p.payload_len, 20);
	assert_int_equal(p.payload_caplen, 20);
	/* Not a fragment, the same bytes are a TCP header cut short. */
	memset(&p, 0, sizeof(p));
	{
		uint8_t whole[sizeof(raw_tiny_frag)];

		memcpy(whole, raw_tiny_frag, sizeof(whole));
		whole[6] = 0;
		assert_int_equal(cap_decode(&p, DLT_RAW, whole, sizeof(whole)), PKT_ERR_L4);
		assert_false(p.tcp_split);
	}
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
		{ raw_frag6, sizeof(raw_frag6), DLT_RAW },
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
				ntp_dissect(p.payload, p.payload_caplen, p.payload_len, true,
				    p.src.af, &m);
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

/*
 * NFLOG frames (capture/decode.c decode_nflog), built as nfnetlink_log
 * writes them: the 4-byte header, then TLVs with length and type in host
 * byte order, each padded to 4 bytes.
 */
struct nfb {
	uint8_t b[512];
	size_t n;
};

static void
nfb_init(struct nfb *f, uint8_t family)
{
	memset(f, 0, sizeof(*f));
	f->b[0] = family;
	f->b[1] = 0;		/* version */
	f->b[2] = 0;		/* group 5, big-endian */
	f->b[3] = 5;
	f->n = 4;
}

/* A TLV whose length field says len_field (the real value length plus 4 when 0). */
static void
nfb_tlv_len(struct nfb *f, uint16_t type, const void *v, size_t vlen, uint16_t len_field)
{
	uint16_t len = len_field ? len_field : (uint16_t)(4 + vlen);

	assert_true(f->n + 4 + vlen + 3 <= sizeof(f->b));
	memcpy(f->b + f->n, &len, 2);
	memcpy(f->b + f->n + 2, &type, 2);
	memcpy(f->b + f->n + 4, v, vlen);
	f->n += (4 + vlen + 3) & ~(size_t)3;
}

static void
nfb_tlv(struct nfb *f, uint16_t type, const void *v, size_t vlen)
{
	nfb_tlv_len(f, type, v, vlen, 0);
}

static void
nfb_hdr(struct nfb *f, uint16_t hw_protocol, uint8_t hook)
{
	uint8_t v[4] = { (uint8_t)(hw_protocol >> 8), (uint8_t)hw_protocol, hook, 0 };

	nfb_tlv(f, 1, v, 4);
}

static void
nfb_ifindex(struct nfb *f, uint16_t type, uint32_t idx)
{
	uint8_t v[4] = { (uint8_t)(idx >> 24), (uint8_t)(idx >> 16), (uint8_t)(idx >> 8), (uint8_t)idx };

	nfb_tlv(f, type, v, 4);
}

/*
 * What `log prefix "drop-ntp" group 5` in an inet table's input chain
 * gives for an NTP reply 198.51.100.7:123 -> 192.0.2.1:40000 from eth0
 * (ifindex 3): header, prefix, in-interface, payload.
 */
static const uint8_t ipv4_ntp_reply[] = {
	0x45, 0, 0, 76, 0, 1, 0x40, 0, 64, 17, 0, 0, 198, 51, 100, 7, 192, 0, 2, 1,
	0, 123, 0x9c, 0x40, 0, 56, 0, 0,
	0x24, 1, 6, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 'G', 'P', 'S', 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static void
nflog_ntp(struct nfb *f, const char *prefix, size_t prefix_len)
{
	nfb_init(f, 2);
	nfb_hdr(f, 0x0800, 1);		/* NF_INET_LOCAL_IN */
	nfb_tlv(f, 10, prefix, prefix_len);
	nfb_ifindex(f, 4, 3);
	nfb_tlv(f, 9, ipv4_ntp_reply, sizeof(ipv4_ntp_reply));
}

static void
test_nflog(void **state)
{
	struct nfb f;
	struct pkt p;
	struct ntp_msg m;

	(void)state;
	assert_true(cap_dlt_supported(DLT_NFLOG));
	assert_string_equal(cap_dlt_name(DLT_NFLOG), "NFLOG");
	nflog_ntp(&f, "drop-ntp", sizeof("drop-ntp"));
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_NFLOG, f.b, (uint32_t)f.n), PKT_OK);
	assert_int_equal(p.ipver, 4);
	assert_int_equal(p.proto, 17);
	assert_int_equal(p.sport, 123);
	assert_int_equal(p.dport, 40000);
	assert_int_equal(p.ip_len, 76);
	assert_int_equal(p.payload_len, 48);
	assert_memory_equal(p.src.b, ((uint8_t[]){ 198, 51, 100, 7 }), 4);
	assert_true(ntp_dissect(p.payload, p.payload_caplen, p.payload_len, true, p.src.af, &m));
	assert_int_equal(m.mode, 4);
	/* The prefix, without its NUL, pointing into the frame. */
	assert_int_equal(p.rule_len, 8);
	assert_memory_equal(p.rule, "drop-ntp", 8);
	assert_true((const uint8_t *)p.rule > f.b && (const uint8_t *)p.rule < f.b + f.n);
	assert_int_equal(p.hook, PKT_HOOK_INPUT);
	assert_string_equal(cap_hook_name(p.hook), "input");
	assert_null(cap_hook_name(PKT_HOOK_NONE));
	assert_int_equal(p.in_ifindex, 3);
	assert_int_equal(p.out_ifindex, 0);

	/* Trailing spaces go (iptables users write "DROP: "); a prefix of spaces is none. */
	nflog_ntp(&f, "drop ntp  \0", 11);
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_NFLOG, f.b, (uint32_t)f.n), PKT_OK);
	assert_int_equal(p.rule_len, 8);
	assert_memory_equal(p.rule, "drop ntp", 8);
	nflog_ntp(&f, "   ", 4);
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_NFLOG, f.b, (uint32_t)f.n), PKT_OK);
	assert_null(p.rule);
	assert_int_equal(p.rule_len, 0);

	/* Netlink's flag bits on the type do not hide the payload; out-interface read. */
	nfb_init(&f, 2);
	nfb_hdr(&f, 0x0800, 2);		/* NF_INET_FORWARD */
	nfb_ifindex(&f, 4, 3);
	nfb_ifindex(&f, 5, 0x01020304);
	nfb_tlv(&f, 0x4000 | 9, ipv4_ntp_reply, sizeof(ipv4_ntp_reply));
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_NFLOG, f.b, (uint32_t)f.n), PKT_OK);
	assert_int_equal(p.hook, PKT_HOOK_FORWARD);
	assert_int_equal(p.out_ifindex, 0x01020304);
	assert_null(p.rule);
}

/* A prefix that fills its TLV to the last byte, with no NUL. */
static void
test_nflog_prefix_no_nul(void **state)
{
	struct nfb f;
	struct pkt p;

	(void)state;
	nflog_ntp(&f, "scan", 4);
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_NFLOG, f.b, (uint32_t)f.n), PKT_OK);
	assert_int_equal(p.rule_len, 4);
	assert_memory_equal(p.rule, "scan", 4);
	/* Odd length, no NUL, padding: the length field decides, not the padding. */
	nflog_ntp(&f, "drop-syn", 7);
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_NFLOG, f.b, (uint32_t)f.n), PKT_OK);
	assert_int_equal(p.rule_len, 7);
	assert_memory_equal(p.rule, "drop-sy", 7);
}

/* An ip6 table's prerouting hook, TCP SYN in IPv6 with a hop-by-hop header. */
static void
test_nflog_ipv6(void **state)
{
	struct nfb f;
	struct pkt p;

	(void)state;
	nfb_init(&f, 10);
	nfb_hdr(&f, 0x86dd, 0);		/* NF_INET_PRE_ROUTING */
	nfb_tlv(&f, 10, "scan6", 6);
	nfb_tlv(&f, 9, qinq_v6_tcp + 22, sizeof(qinq_v6_tcp) - 22);
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_NFLOG, f.b, (uint32_t)f.n), PKT_OK);
	assert_int_equal(p.ipver, 6);
	assert_int_equal(p.proto, 6);
	assert_int_equal(p.sport, 12345);
	assert_int_equal(p.dport, 22);
	assert_int_equal(p.tcp_flags, TCP_SYN);
	assert_int_equal(p.ip_len, 68);
	assert_int_equal(p.hook, PKT_HOOK_PREROUTING);
	assert_int_equal(p.rule_len, 5);
	/* A bridge table names the protocol in hw_protocol; ARP is not IP. */
	nfb_init(&f, 7);
	nfb_hdr(&f, 0x86dd, 4);
	nfb_tlv(&f, 9, qinq_v6_tcp + 22, sizeof(qinq_v6_tcp) - 22);
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_NFLOG, f.b, (uint32_t)f.n), PKT_OK);
	assert_int_equal(p.hook, PKT_HOOK_POSTROUTING);
	nfb_init(&f, 7);
	nfb_hdr(&f, 0x0806, 1);
	nfb_tlv(&f, 9, "\0\1\10\0\6\4\0\1", 8);
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_NFLOG, f.b, (uint32_t)f.n), PKT_NOT_IP);
}

static void
assert_nflog_error(const struct nfb *f, size_t n, const char *what)
{
	uint8_t *buf = malloc(n ? n : 1);
	struct pkt p;

	memcpy(buf, f->b, n);
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_NFLOG, buf, (uint32_t)n), PKT_ERR_LINK);
	assert_string_equal(p.err_what, what);
	free(buf);
}

/* Lengths that lie, zero lengths, tails and missing parts: errors, never reads past. */
static void
test_nflog_broken(void **state)
{
	struct nfb f;
	struct pkt p;
	uint8_t *buf;
	size_t n;

	(void)state;
	/* A prefix TLV claiming 200 bytes in a frame of 28. */
	nfb_init(&f, 2);
	nfb_hdr(&f, 0x0800, 1);
	nfb_tlv_len(&f, 10, "drop-ntp", 9, 200);
	assert_nflog_error(&f, f.n, "NFLOG attribute runs past the frame");
	/* A zero length would loop for ever; 1 to 3 is as bad. */
	for (uint16_t l = 0; l < 4; l++) {
		nfb_init(&f, 2);
		nfb_tlv_len(&f, 10, "x", 0, l ? l : 0xffff);
		memset(f.b + 4, 0, 2);
		memcpy(f.b + 4, &l, 2);
		f.n = 8;
		assert_nflog_error(&f, f.n, "NFLOG attribute length below 4 bytes");
	}
	/* 1 to 3 bytes after the last TLV: an unaligned tail. */
	nflog_ntp(&f, "drop-ntp", 9);
	for (n = 1; n <= 3; n++)
		assert_nflog_error(&f, f.n + n, "NFLOG attribute header cut short");
	/* No payload TLV: the rule is known, the packet is not. */
	nfb_init(&f, 2);
	nfb_hdr(&f, 0x0800, 1);
	nfb_tlv(&f, 10, "drop-ntp", 9);
	buf = malloc(f.n);
	memcpy(buf, f.b, f.n);
	memset(&p, 0, sizeof(p));
	assert_int_equal(cap_decode(&p, DLT_NFLOG, buf, (uint32_t)f.n), PKT_ERR_LINK);
	assert_string_equal(p.err_what, "NFLOG message without a payload");
	assert_int_equal(p.rule_len, 8);
	free(buf);
	/* Header only, or not even that; a version we do not know. */
	nfb_init(&f, 2);
	assert_nflog_error(&f, 4, "NFLOG message without a payload");
	assert_nflog_error(&f, 3, "NFLOG header cut short");
	f.b[1] = 1;
	assert_nflog_error(&f, 4, "NFLOG version is not 0");
	/* Known attributes shorter than their value. */
	nfb_init(&f, 2);
	nfb_tlv(&f, 1, "\x08", 1);
	assert_nflog_error(&f, f.n, "NFLOG packet header attribute too short");
	nfb_init(&f, 2);
	nfb_tlv(&f, 4, "\0\0", 2);
	assert_nflog_error(&f, f.n, "NFLOG interface attribute too short");
}

static void
nfb_ts(struct nfb *f, uint64_t sec, uint64_t usec)
{
	uint8_t v[16];

	for (int i = 0; i < 8; i++) {
		v[i] = (uint8_t)(sec >> (56 - 8 * i));
		v[8 + i] = (uint8_t)(usec >> (56 - 8 * i));
	}
	nfb_tlv(f, 3, v, 16);
}

/*
 * The kernel's stamp replaces the capture time (when libpcap read the
 * batch) only when the caller gave one and it is at most 60 s earlier.
 */
static void
test_nflog_timestamp(void **state)
{
	static const struct {
		double given;
		uint64_t sec, usec;
		double want;
	} c[] = {
		{ 1700000001.5, 1700000000, 250000, 1700000000.25 },
		{ 1700000000.25, 1700000000, 250000, 1700000000.25 },
		{ 1700000000.0, 1700000000, 900000, 1700000000.9 },	/* 1 s of clock slack */
		{ 1700000100.0, 1700000000, 0, 1700000100.0 },		/* too early */
		{ 1700000000.0, 1700000002, 0, 1700000000.0 },		/* later than read */
		{ 1700000000.0, 1700000000, 1000000, 1700000000.0 },	/* usec out of range */
		{ 1700000000.0, UINT64_MAX, 0, 1700000000.0 },
		{ 0, 1700000000, 0, 0 },				/* no capture time: none given */
	};
	struct nfb f;
	struct pkt p;

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		nfb_init(&f, 2);
		nfb_hdr(&f, 0x0800, 1);
		nfb_ts(&f, c[i].sec, c[i].usec);
		nfb_tlv(&f, 9, ipv4_ntp_reply, sizeof(ipv4_ntp_reply));
		memset(&p, 0, sizeof(p));
		p.ts = c[i].given;
		assert_int_equal(cap_decode(&p, DLT_NFLOG, f.b, (uint32_t)f.n), PKT_OK);
		assert_float_equal(p.ts, c[i].want, 1e-6);
	}
	nfb_init(&f, 2);
	nfb_tlv(&f, 3, "\0\0\0\0\0\0\0\0", 8);
	assert_nflog_error(&f, f.n, "NFLOG timestamp attribute too short");
}

/*
 * Every prefix of a whole frame, in an exact-size heap buffer (ASan sees
 * a read past it): cut inside the TLVs before the payload, an error; cut
 * in the payload (the snapshot length), the packet as far as captured.
 */
static void
test_nflog_truncations(void **state)
{
	struct nfb f;
	size_t len, payload_tlv;

	(void)state;
	nflog_ntp(&f, "drop-ntp", 9);
	payload_tlv = f.n - ((4 + sizeof(ipv4_ntp_reply) + 3) & ~(size_t)3);
	for (len = 0; len <= f.n; len++) {
		uint8_t *buf = malloc(len ? len : 1);
		struct pkt p;
		enum pkt_err e;

		memcpy(buf, f.b, len);
		memset(&p, 0, sizeof(p));
		e = cap_decode(&p, DLT_NFLOG, buf, (uint32_t)len);
		if (len < payload_tlv + 4)
			assert_int_equal(e, PKT_ERR_LINK);
		else if (len < payload_tlv + 4 + 20)
			assert_int_equal(e, PKT_ERR_IP);
		else if (len < payload_tlv + 4 + 26)
			assert_int_equal(e, PKT_ERR_L4);
		else
			assert_int_equal(e, PKT_OK);	/* the UDP checksum is not needed */
		if (e == PKT_OK && len < payload_tlv + 4 + 28)
			assert_int_equal(p.payload_caplen, 0);
		else if (e == PKT_OK) {
			assert_int_equal(p.rule_len, 8);
			assert_true(p.payload >= buf && p.payload + p.payload_caplen <= buf + len);
			assert_int_equal(p.payload_len, 48);
			assert_int_equal(p.payload_caplen, len - payload_tlv - 4 - 28);
		}
		free(buf);
	}
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

	/* A sampled packet's payload (sFlow) travels after the rule. */
	{
		uint8_t ntp[48] = { 0x23 };

		fwlog_sample(&p);
		p.payload = ntp;
		p.payload_caplen = 48;
		n = fwframe_encode(&p, buf, sizeof(buf));
		assert_int_equal(n, FWFRAME_HDR + 11 + 2 + 48);
		assert_int_equal(cap_decode(&q, DLT_FWLOG, buf, (uint32_t)n), PKT_OK);
		assert_int_equal(q.rule_len, 11);
		assert_int_equal(q.payload_caplen, 48);
		assert_ptr_equal(q.payload, buf + FWFRAME_HDR + 13);
		assert_int_equal(q.payload[0], 0x23);
		assert_ptr_equal(q.frame, buf);
		/* Cut, or saying more than the packet had: refused. */
		for (size_t len = FWFRAME_HDR; len < n; len++)
			assert_int_equal(cap_decode(&q, DLT_FWLOG, buf, (uint32_t)len), PKT_ERR_LINK);
		buf[FWFRAME_HDR + 12] = 49;
		assert_int_equal(cap_decode(&q, DLT_FWLOG, buf, (uint32_t)n + 1), PKT_ERR_LINK);
		/* A buffer too short for all of it: the payload cut to fit. */
		n = fwframe_encode(&p, buf, FWFRAME_HDR + 11 + 2 + 20);
		assert_int_equal(n, FWFRAME_HDR + 11 + 2 + 20);
		assert_int_equal(cap_decode(&q, DLT_FWLOG, buf, (uint32_t)n), PKT_OK);
		assert_int_equal(q.payload_caplen, 20);
	}
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


/* ARP: the IPv4 sender of a request, from bytes as tcpdump showed them in the lab. */
static void
test_arp_sender(void **state)
{
	static const uint8_t arp[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0xfe, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
		0x02, 0x00, 0x00, 0x00, 0x00, 0xfe, 192, 0, 2, 254,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 192, 0, 2, 10,
	};
	struct pkt p;

	(void)state;
	assert_int_equal(cap_decode_frame(&p, 0, DLT_EN10MB, 1, 1, arp, sizeof(arp), sizeof(arp)),
	    PKT_NOT_IP);
	assert_true(p.arp);
	assert_int_equal(p.arp_sender.af, 4);
	assert_memory_equal(p.arp_sender.b, ((uint8_t[]){ 192, 0, 2, 254 }), 4);
	/* cut short: not IP, and no sender */
	for (size_t n = 14; n < sizeof(arp); n++) {
		assert_int_equal(cap_decode_frame(&p, 0, DLT_EN10MB, 1, 1, arp, (uint32_t)n,
		    (uint32_t)n), PKT_NOT_IP);
		assert_false(p.arp);
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
		cmocka_unit_test(test_nflog),
		cmocka_unit_test(test_nflog_prefix_no_nul),
		cmocka_unit_test(test_nflog_ipv6),
		cmocka_unit_test(test_nflog_broken),
		cmocka_unit_test(test_nflog_timestamp),
		cmocka_unit_test(test_nflog_truncations),
		cmocka_unit_test(test_fwframe_round_trip),
		cmocka_unit_test(test_fwframe_cut),
		cmocka_unit_test(test_arp_sender),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
