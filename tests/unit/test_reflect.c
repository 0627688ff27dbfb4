/*
 * The reflection vectors (analysis/reflect.c): the table, the payload
 * recognisers on real answers and requests recorded from real programs
 * (tests/unit/record-reflect.sh; the charon bytes from
 * tests/captures/ike-reflection.pcap), and the reflection incident's
 * count of reflectors.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "analysis/internal.h"
#include "analysis/login.h"
#include "analysis/reflect.h"
#include "tests/unit/feed.h"

/* dig 9.18 asking dnsmasq 2.90 for reflect.test A (with EDNS) */
static const uint8_t dig_query[] = {
	0x9e, 0xce, 0x01, 0x20, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x07, 0x72, 0x65, 0x66, 0x6c, 0x65, 0x63, 0x74, 0x04, 0x74, 0x65, 0x73,
	0x74, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x29, 0x04, 0xd0, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x0a, 0x00, 0x08, 0xd6, 0x3c, 0x48,
	0x8b, 0xd9, 0x1d, 0xa9, 0x6a,
};
/* dnsmasq 2.90's answer: 1 A record */
static const uint8_t dnsmasq_answer[] = {
	0x9e, 0xce, 0x85, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x07, 0x72, 0x65, 0x66, 0x6c, 0x65, 0x63, 0x74, 0x04, 0x74, 0x65, 0x73,
	0x74, 0x00, 0x00, 0x01, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0xc0, 0x00, 0x02, 0x35, 0x00, 0x00,
	0x29, 0x04, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
/* snmpget 5.9.3 -v2c -c public: GetRequest sysDescr.0 */
static const uint8_t snmpget_request[] = {
	0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69,
	0x63, 0xa0, 0x1c, 0x02, 0x04, 0x20, 0xd4, 0x5e, 0xaf, 0x02, 0x01, 0x00,
	0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01,
	0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00,
};
/* snmpd 5.9.3's GetResponse */
static const uint8_t snmpd_response[] = {
	0x30, 0x3d, 0x02, 0x01, 0x01, 0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69,
	0x63, 0xa2, 0x30, 0x02, 0x04, 0x20, 0xd4, 0x5e, 0xaf, 0x02, 0x01, 0x00,
	0x02, 0x01, 0x00, 0x30, 0x22, 0x30, 0x20, 0x06, 0x08, 0x2b, 0x06, 0x01,
	0x02, 0x01, 0x01, 0x01, 0x00, 0x04, 0x14, 0x6e, 0x74, 0x70, 0x73, 0x6c,
	0x65, 0x75, 0x74, 0x68, 0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x73, 0x6e,
	0x6d, 0x70, 0x64,
};
/* a UDP frame header and "stats" to memcached 1.6.18 -U 11211 */
static const uint8_t memcached_request[] = {
	0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x73, 0x74, 0x61, 0x74,
	0x73, 0x0d, 0x0a,
};
/* the first 48 bytes of memcached's first answer datagram (1400 bytes) */
static const uint8_t memcached_answer[] = {
	0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x53, 0x54, 0x41, 0x54,
	0x20, 0x70, 0x69, 0x64, 0x20, 0x32, 0x35, 0x36, 0x36, 0x35, 0x0d, 0x0a,
	0x53, 0x54, 0x41, 0x54, 0x20, 0x75, 0x70, 0x74, 0x69, 0x6d, 0x65, 0x20,
	0x34, 0x0d, 0x0a, 0x53, 0x54, 0x41, 0x54, 0x20, 0x74, 0x69, 0x6d, 0x65,
};
/* coap-client (libcoap 4.3.1): CON GET /.well-known/core */
static const uint8_t coap_request[] = {
	0x41, 0x01, 0x81, 0xb2, 0x01, 0xbb, 0x2e, 0x77, 0x65, 0x6c, 0x6c, 0x2d,
	0x6b, 0x6e, 0x6f, 0x77, 0x6e, 0x04, 0x63, 0x6f, 0x72, 0x65,
};
/* the first 24 bytes of coap-server's ACK 2.05 Content (159 bytes) */
static const uint8_t coap_answer[] = {
	0x61, 0x45, 0x81, 0xb2, 0x01, 0xc1, 0x28, 0xff, 0x3c, 0x2f, 0x3e, 0x3b,
	0x74, 0x69, 0x74, 0x6c, 0x65, 0x3d, 0x22, 0x47, 0x65, 0x6e, 0x65, 0x72,
};
/* nmap 7.93's -sU probe of port 161 (same capture) */
static const uint8_t nmap_snmp_probe[] = {
	0x30, 0x3a, 0x02, 0x01, 0x03, 0x30, 0x0f, 0x02, 0x02, 0x4a, 0x69, 0x02,
	0x03, 0x00, 0xff, 0xe3, 0x04, 0x01, 0x04, 0x02, 0x01, 0x03, 0x04, 0x10,
	0x30, 0x0e, 0x04, 0x00, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x04, 0x00,
	0x04, 0x00, 0x04, 0x00, 0x30, 0x12, 0x04, 0x00, 0x04, 0x00, 0xa0, 0x0c,
	0x02, 0x02, 0x37, 0xf0, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x00,
};
/* nmap 7.93's -sU probe of port 53 (same capture) */
static const uint8_t nmap_dns_probe[] = {
	0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
/* the first 48 bytes of strongSwan 5.9.8 charon's IKE_SA_INIT response (392 bytes), tests/captures/ike-reflection.pcap */
static const uint8_t charon_response[] = {
	0xef, 0x26, 0x8f, 0x89, 0xdb, 0x75, 0x75, 0x35, 0x58, 0x13, 0x86, 0xa9,
	0xc7, 0x08, 0x60, 0x7b, 0x21, 0x20, 0x22, 0x20, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x01, 0x88, 0x22, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x2c,
	0x01, 0x01, 0x00, 0x04, 0x03, 0x00, 0x00, 0x0c, 0x01, 0x00, 0x00, 0x0c,
};
/* ikelab.py's spoofed request (the attack tool's part), first 32 bytes. */
static const uint8_t ike_init_request[] = {
	0x4e, 0xb4, 0xb2, 0x5b, 0x0d, 0x58, 0xd4, 0x18, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x21, 0x20, 0x22, 0x08, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x01, 0x78, 0x22, 0x00, 0x00, 0x30,
};

#define KIND(port, a) refl_payload(port, a, sizeof(a))

static void
test_table(void **state)
{
	/* Every vector issue 15 names, by its answers' port. */
	static const uint16_t named[] = {
		500, 4500, 47808, 37810, 3702, 3283, 5683, 5353, 1900, 11211,
		389, 520, 69, 137, 19, 17, 27015, 1194, 443, 427, 33848, 161,
		123, 53, 111, 9987, 1604, 1434, 32414,
	};

	(void)state;
	for (size_t i = 1; i < refl_nvectors; i++)
		assert_true(refl_vectors[i - 1].port < refl_vectors[i].port);
	for (size_t i = 0; i < refl_nvectors; i++) {
		assert_non_null(refl_vectors[i].name);
		assert_true(strlen(refl_vectors[i].source) > 5);
		assert_ptr_equal(refl_vector(refl_vectors[i].port), &refl_vectors[i]);
	}
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		assert_non_null(refl_vector(named[i]));
	assert_null(refl_vector(0));
	assert_null(refl_vector(80));
	assert_null(refl_vector(65535));
}

static void
test_recognisers_real(void **state)
{
	(void)state;
	assert_int_equal(KIND(53, dnsmasq_answer), REFL_REPLY);
	assert_int_equal(KIND(53, dig_query), REFL_REQUEST);
	assert_int_equal(KIND(53, nmap_dns_probe), REFL_REQUEST);
	/* mDNS and the NetBIOS name service share the header and its bit. */
	assert_int_equal(KIND(5353, dnsmasq_answer), REFL_REPLY);
	assert_int_equal(KIND(137, dig_query), REFL_REQUEST);
	assert_int_equal(KIND(161, snmpd_response), REFL_REPLY);
	assert_int_equal(KIND(161, snmpget_request), REFL_REQUEST);
	/* SNMPv3 is not looked into. */
	assert_int_equal(KIND(161, nmap_snmp_probe), REFL_UNKNOWN);
	assert_int_equal(KIND(11211, memcached_answer), REFL_REPLY);
	assert_int_equal(KIND(11211, memcached_request), REFL_REQUEST);
	assert_int_equal(KIND(5683, coap_answer), REFL_REPLY);
	assert_int_equal(KIND(5683, coap_request), REFL_REQUEST);
	assert_int_equal(KIND(500, charon_response), REFL_REPLY);
	assert_int_equal(KIND(500, ike_init_request), REFL_REQUEST);
	/* The same bytes on another port are another protocol's. */
	assert_int_equal(KIND(161, charon_response), REFL_UNKNOWN);
	assert_int_equal(KIND(80, dnsmasq_answer), REFL_UNKNOWN);
}

static void
test_recognisers_truncated(void **state)
{
	(void)state;
	/* Every prefix of a real answer: no read past it, and no guess. */
	for (uint32_t n = 0; n < 28; n++)
		assert_int_equal(refl_payload(500, charon_response, n), REFL_UNKNOWN);
	for (uint32_t n = 0; n < 14; n++)
		assert_int_equal(refl_payload(161, snmpd_response, n), REFL_UNKNOWN);
	for (uint32_t n = 0; n < 3; n++)
		assert_int_equal(refl_payload(53, dnsmasq_answer, n), REFL_UNKNOWN);
	assert_int_equal(refl_payload(53, NULL, 0), REFL_UNKNOWN);
	/* A BER length that points past the end. */
	{
		static const uint8_t b[] = { 0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01 };

		assert_int_equal(KIND(389, b), REFL_UNKNOWN);
		assert_int_equal(KIND(161, b), REFL_UNKNOWN);
	}
}

/*
 * Protocols with no program here to record: the bytes follow each RFC's
 * header (see the diagrams in analysis/reflect.c).
 */
static void
test_recognisers_spec(void **state)
{
	/* IKEv1 main mode: message 1 (responder cookie 0), message 2 (set). */
	uint8_t ike1[28] = { 1, 2, 3, 4, 5, 6, 7, 8, [16] = 1, 0x10, 2, 0, [27] = 28 };
	uint8_t natt[32] = { 0 };
	static const uint8_t ssdp_ok[] = "HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\n";
	static const uint8_t ssdp_search[] = "M-SEARCH * HTTP/1.1\r\n";
	static const uint8_t wsd_match[] = "<soap:Envelope><soap:Body><d:ProbeMatches>";
	static const uint8_t wsd_probe[] = "<soap:Envelope><soap:Body><d:Probe>";
	static const uint8_t cldap_entry[] = {
		0x30, 0x84, 0x00, 0x00, 0x00, 0x10, 0x02, 0x01, 0x01, 0x64, 0x84, 0x00,
		0x00, 0x00, 0x07, 0x04, 0x00, 0x30, 0x84, 0x00, 0x00, 0x00, 0x00,
	};
	static const uint8_t cldap_search[] = {
		0x30, 0x25, 0x02, 0x01, 0x01, 0x63, 0x20, 0x04, 0x00, 0x0a, 0x01, 0x00,
	};
	static const uint8_t rpc_reply[] = { 0, 0, 0, 7, 0, 0, 0, 1, 0, 0, 0, 0 };
	static const uint8_t rpc_call[] = { 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 2 };
	static const uint8_t nbns_resp[] = { 0x80, 0x01, 0x84, 0x00, 0, 0, 0, 1 };
	static const uint8_t steam_info[] = { 0xff, 0xff, 0xff, 0xff, 'I', 0x11 };
	static const uint8_t steam_query[] = { 0xff, 0xff, 0xff, 0xff, 'T', 'S' };
	static const uint8_t dtls_hvr[] = { 22, 0xfe, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 23, 3 };
	static const uint8_t dtls_ch[] = { 22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 60, 1 };
	static const uint8_t quic[] = { 0xc3, 0, 0, 0, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t slp_rply[] = { 2, 2, 0, 0, 20 };
	static const uint8_t slp_rqst[] = { 2, 1, 0, 0, 20 };
	static const uint8_t bacnet_iam[] = { 0x81, 0x0b, 0, 0x19, 0x01, 0x20, 0xff, 0xff, 0, 0xff, 0x10, 0x00 };
	static const uint8_t bacnet_whois[] = { 0x81, 0x0b, 0, 0x0c, 0x01, 0x20, 0xff, 0xff, 0, 0xff, 0x10, 0x08 };
	static const uint8_t bacnet_cack[] = { 0x81, 0x0a, 0, 0x10, 0x01, 0x00, 0x30, 0x01, 0x0c };
	static const uint8_t ovpn_srv[] = { 0x40, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t ovpn_cli[] = { 0x38, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t sqlr_resp[] = { 0x05, 0x20, 0x00, 'S', 'e', 'r' };
	static const uint8_t sqlr_req[] = { 0x02 };
	static const uint8_t rip_resp[] = { 2, 1, 0, 0, 0, 2 };
	static const uint8_t tftp_err[] = { 0, 5, 0, 1, 'x', 0 };
	static const uint8_t tftp_rrq[] = { 0, 1, 'f', 0, 'o', 'c', 't', 'e', 't', 0 };
	static const uint8_t jenkins[] = "<hudson><version>2.1</version></hudson>";

	(void)state;
	assert_int_equal(KIND(500, ike1), REFL_REQUEST);
	ike1[8] = 9;
	assert_int_equal(KIND(500, ike1), REFL_REPLY);
	/* NAT-T: the non-ESP marker, then IKE; ESP is not IKE. */
	memcpy(natt + 4, charon_response, 28);
	assert_int_equal(KIND(4500, natt), REFL_REPLY);
	natt[0] = 0x11;
	assert_int_equal(KIND(4500, natt), REFL_UNKNOWN);
	assert_int_equal(refl_payload(1900, ssdp_ok, sizeof(ssdp_ok) - 1), REFL_REPLY);
	assert_int_equal(refl_payload(1900, ssdp_search, sizeof(ssdp_search) - 1), REFL_REQUEST);
	assert_int_equal(refl_payload(32414, ssdp_ok, sizeof(ssdp_ok) - 1), REFL_REPLY);
	assert_int_equal(refl_payload(3702, wsd_match, sizeof(wsd_match) - 1), REFL_REPLY);
	assert_int_equal(refl_payload(3702, wsd_probe, sizeof(wsd_probe) - 1), REFL_REQUEST);
	assert_int_equal(KIND(389, cldap_entry), REFL_REPLY);
	assert_int_equal(KIND(389, cldap_search), REFL_REQUEST);
	assert_int_equal(KIND(111, rpc_reply), REFL_REPLY);
	assert_int_equal(KIND(111, rpc_call), REFL_REQUEST);
	assert_int_equal(KIND(137, nbns_resp), REFL_REPLY);
	assert_int_equal(KIND(27015, steam_info), REFL_REPLY);
	assert_int_equal(KIND(27015, steam_query), REFL_REQUEST);
	assert_int_equal(KIND(443, dtls_hvr), REFL_REPLY);
	assert_int_equal(KIND(443, dtls_ch), REFL_REQUEST);
	assert_int_equal(KIND(443, quic), REFL_UNKNOWN);
	assert_int_equal(KIND(427, slp_rply), REFL_REPLY);
	assert_int_equal(KIND(427, slp_rqst), REFL_REQUEST);
	assert_int_equal(KIND(47808, bacnet_iam), REFL_REPLY);
	assert_int_equal(KIND(47808, bacnet_whois), REFL_REQUEST);
	assert_int_equal(KIND(47808, bacnet_cack), REFL_REPLY);
	assert_int_equal(KIND(1194, ovpn_srv), REFL_REPLY);
	assert_int_equal(KIND(1194, ovpn_cli), REFL_REQUEST);
	assert_int_equal(KIND(1434, sqlr_resp), REFL_REPLY);
	assert_int_equal(KIND(1434, sqlr_req), REFL_REQUEST);
	assert_int_equal(KIND(520, rip_resp), REFL_REPLY);
	assert_int_equal(KIND(69, tftp_err), REFL_REPLY);
	assert_int_equal(KIND(69, tftp_rrq), REFL_REQUEST);
	assert_int_equal(refl_payload(33848, jenkins, sizeof(jenkins) - 1), REFL_REPLY);
}

/* The rule: payload first, then port; peers of one service are not replies. */
static void
test_is_reply(void **state)
{
	static const uint8_t chargen[] = "!\"#$%&'()*+,-./0123456789:;<=>?@ABC";
	static const uint8_t quic[] = { 0xc3, 0, 0, 0, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8 };

	(void)state;
	assert_true(refl_is_reply(500, 40001, charon_response, sizeof(charon_response)));
	assert_false(refl_is_reply(500, 40001, ike_init_request, sizeof(ike_init_request)));
	/* Gateway to gateway, 500 to 500: IKE's own peer traffic. */
	assert_false(refl_is_reply(500, 500, charon_response, sizeof(charon_response)));
	/* SSDP clients ask from 1900: there the payload says (the sixth held-out check). */
	assert_true(refl_is_reply(1900, 1900, (const uint8_t *)"HTTP/1.1 200 OK\r\n", 17));
	assert_false(refl_is_reply(1900, 1900, (const uint8_t *)"M-SEARCH * HTTP/1.1\r\n", 21));
	assert_true(refl_is_reply(53, 33000, dnsmasq_answer, sizeof(dnsmasq_answer)));
	assert_false(refl_is_reply(53, 33000, dig_query, sizeof(dig_query)));
	assert_true(refl_is_reply(161, 40884, snmpd_response, sizeof(snmpd_response)));
	assert_false(refl_is_reply(161, 40884, snmpget_request, sizeof(snmpget_request)));
	/* No recogniser: the port decides, unless the answer goes to a vector port. */
	assert_true(refl_is_reply(19, 41000, chargen, sizeof(chargen) - 1));
	assert_true(refl_is_reply(37810, 41000, chargen, sizeof(chargen) - 1));
	assert_false(refl_is_reply(19, 53, chargen, sizeof(chargen) - 1));
	/* 443 is QUIC's too: only a DTLS answer counts there. */
	assert_false(refl_is_reply(443, 41000, quic, sizeof(quic)));
	assert_false(refl_is_reply(8080, 41000, dnsmasq_answer, sizeof(dnsmasq_answer)));
}

static const uint8_t LOCAL[4] = { 192, 0, 2, 10 };

/* An IPv4 UDP packet from src:sport to LOCAL:dport with the given payload. */
static size_t
build_udp(uint8_t *b, const uint8_t *src, uint16_t sport, uint16_t dport,
    const uint8_t *pl, size_t n)
{
	size_t len = 28 + n;

	memset(b, 0, 28);
	b[0] = 0x45;
	b[2] = (uint8_t)(len >> 8);
	b[3] = (uint8_t)len;
	b[8] = 64;
	b[9] = 17;
	memcpy(b + 12, src, 4);
	memcpy(b + 16, LOCAL, 4);
	b[20] = (uint8_t)(sport >> 8);
	b[21] = (uint8_t)sport;
	b[22] = (uint8_t)(dport >> 8);
	b[23] = (uint8_t)dport;
	b[24] = (uint8_t)((8 + n) >> 8);
	b[25] = (uint8_t)(8 + n);
	memcpy(b + 28, pl, n);
	return len;
}

/*
 * Three reflectors send dnsmasq's real answer, 200 times each, to random
 * ports of one local address, and four hosts send it a few dig queries
 * (probes, not replies): the incident names 3 reflectors, not 7, and
 * samples only them.
 */
static void
test_incident_counts_reflectors(void **state)
{
	struct ana_config c;
	struct ana *a;
	struct ana_incident inc[4];
	uint8_t b[128], src[4] = { 198, 51, 100, 0 };
	unsigned n, k;
	double ts = 5000;

	(void)state;
	memset(&c, 0, sizeof(c));
	ana_thresholds_default(&c.th);
	ns_cidr_parse(&c.local[0], "192.0.2.0/24");
	c.n_local = 1;
	c.local_mode = ANA_LOCAL_GIVEN;
	a = ana_new(&c);
	for (int i = 0; i < 200; i++)
		for (int r = 0; r < 3; r++) {
			src[3] = (uint8_t)(20 + r);
			n = (unsigned)build_udp(b, src, 53, (uint16_t)(20000 + i * 7 + r),
			    dnsmasq_answer, sizeof(dnsmasq_answer));
			feed_frame(a, DLT_RAW, ts, b, n);
			ts += 0.001;
		}
	for (int q = 0; q < 4; q++)
		for (int i = 0; i < 3; i++) {
			uint8_t prober[4] = { 203, 0, 113, (uint8_t)(70 + q) };

			n = (unsigned)build_udp(b, prober, (uint16_t)(40000 + q), 53,
			    dig_query, sizeof(dig_query));
			feed_frame(a, DLT_RAW, ts, b, n);
			ts += 0.01;
		}
	n = ana_incidents(a, inc, 4);
	assert_int_equal(n, 1);
	assert_int_equal(inc[0].kind, V_REFLECTION_FLOOD);
	assert_true(inc[0].any_port);
	assert_int_equal(inc[0].remote_hosts, 3);
	assert_int_equal(inc[0].packets, 600);
	assert_int_equal(inc[0].n_sample, 3);
	for (int i = 0; i < inc[0].n_sample; i++)
		assert_int_equal(inc[0].sample[i].b[0], 198);
	assert_non_null(strstr(inc[0].evidence[0], "3 reflectors sent 600 unsolicited replies"));
	assert_non_null(strstr(inc[0].evidence[1], "4 other remote addresses"));
	for (k = 0; k < 3; k++) {
		struct ana_host_info *h = test_malloc(sizeof(*h));
		struct ns_addr r;

		src[3] = (uint8_t)(20 + k);
		ns_addr_set4(&r, src);
		assert_true(ana_host(a, &r, h));
		assert_int_equal(h->verdict, V_REFLECTION_FLOOD);
		test_free(h);
	}
	ana_free(a);
}

/*
 * The refusals of a login, as the servers write them (RFC 9110, RFC 4954,
 * RFC 959, RFC 3206, RFC 5530; MySQL's ERR packet 1045, PostgreSQL's
 * ErrorResponse 28P01, Redis' -WRONGPASS, MQTT's refusing CONNACK), and
 * answers that are none; and the data port of an FTP server's 227 (RFC
 * 959) and 229 (RFC 2428).
 */
static void
test_login_refused(void **state)
{
	static const uint8_t mysql[] = { 0x48, 0, 0, 2, 0xff, 0x15, 0x04, '#', '2', '8', '0', '0', '0' };
	static const uint8_t mysql_ok[] = { 7, 0, 0, 2, 0x00, 0, 0, 2, 0, 0, 0 };
	static const uint8_t pg[] = "E\0\0\0\x60SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed";
	static const uint8_t pg_other[] = "E\0\0\0\x40SERROR\0C42P01\0Mrelation does not exist";
#define T(s) (const uint8_t *)(s), strlen(s)

	(void)state;
	assert_string_equal(login_refused(80, T("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n")), "HTTP");
	assert_string_equal(login_refused(8080, T("HTTP/1.0 401 Unauthorized\r\n\r\n")), "HTTP");
	assert_null(login_refused(80, T("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Negotiate\r\n\r\n")));
	assert_null(login_refused(80, T("HTTP/1.1 200 OK\r\n\r\n")));
	assert_string_equal(login_refused(587, T("535 5.7.8 Error: authentication failed\r\n")), "SMTP AUTH");
	assert_null(login_refused(587, T("250 2.0.0 Ok\r\n")));
	assert_null(login_refused(80, T("535 5.7.8 Error\r\n")));
	assert_string_equal(login_refused(21, T("530 Login incorrect.\r\n")), "FTP");
	assert_null(login_refused(21, T("5301 nonsense\r\n")));
	assert_string_equal(login_refused(110, T("-ERR [AUTH] Authentication failed.\r\n")), "POP3");
	assert_null(login_refused(110, T("-ERR Unknown command.\r\n")));
	assert_string_equal(login_refused(143, T("a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n")), "IMAP");
	assert_string_equal(login_refused(3306, mysql, sizeof(mysql)), "MySQL");
	assert_null(login_refused(3306, mysql_ok, sizeof(mysql_ok)));
	assert_null(login_refused(3306, mysql, 5));
	assert_string_equal(login_refused(5432, pg, sizeof(pg) - 1), "PostgreSQL");
	assert_null(login_refused(5432, pg_other, sizeof(pg_other) - 1));
	assert_string_equal(login_refused(6379, T("-WRONGPASS invalid username-password pair or user is disabled.\r\n")), "Redis");
	assert_string_equal(login_refused(6379, T("-ERR invalid password\r\n")), "Redis");
	assert_null(login_refused(6379, T("-ERR unknown command 'FOO'\r\n")));
	assert_null(login_refused(6379, T("+OK\r\n")));
	assert_string_equal(login_refused(1883, (const uint8_t *)"\x20\x02\x00\x05", 4), "MQTT");
	assert_string_equal(login_refused(1883, (const uint8_t *)"\x20\x03\x00\x86\x00", 5), "MQTT");
	assert_null(login_refused(1883, (const uint8_t *)"\x20\x02\x00\x00", 4));
	assert_null(login_refused(1883, (const uint8_t *)"\x30\x02\x00\x05", 4));
	assert_null(login_refused(80, (const uint8_t *)"", 0));
	assert_int_equal(ftp_passive_port(21, T("227 Entering Passive Mode (192,0,2,10,156,65).\r\n")), 40001);
	assert_int_equal(ftp_passive_port(21, T("227 =192,0,2,10,4,1\r\n")), 1025);
	assert_int_equal(ftp_passive_port(21, T("229 Entering Extended Passive Mode (|||40002|)\r\n")), 40002);
	assert_int_equal(ftp_passive_port(21, T("227 Entering Passive Mode (192,0,2,10,300,1).\r\n")), 0);
	assert_int_equal(ftp_passive_port(21, T("227 Entering Passive Mode (192,0,2,10,156)\r\n")), 0);
	assert_int_equal(ftp_passive_port(21, T("229 Entering Extended Passive Mode (|||)\r\n")), 0);
	assert_int_equal(ftp_passive_port(2121, T("227 Entering Passive Mode (192,0,2,10,156,65).\r\n")), 0);
	assert_int_equal(ftp_passive_port(21, T("230 Login successful.\r\n")), 0);
#undef T
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_login_refused),
		cmocka_unit_test(test_recognisers_real),
		cmocka_unit_test(test_recognisers_truncated),
		cmocka_unit_test(test_recognisers_spec),
		cmocka_unit_test(test_is_reply),
		cmocka_unit_test(test_incident_counts_reflectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
