/* The common helpers: SHA-256, printable text, JSON escaping, CIDRs. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "common/addr.h"
#include "common/amap.h"
#include "common/json.h"
#include "common/netfmt.h"
#include "common/sha256.h"
#include "common/util.h"

static void
hex(const uint8_t *d, char *out)
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void
test_sha256(void **state)
{
	struct sha256 s;
	uint8_t d[32];
	char h[65];
	int i;

	(void)state;
	/* FIPS 180-4 examples. */
	sha256_init(&s);
	sha256_update(&s, "abc", 3);
	sha256_final(&s, d);
	hex(d, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_init(&s);
	for (i = 0; i < 1000000; i++)
		sha256_update(&s, "a", 1);
	sha256_final(&s, d);
	hex(d, h);
	assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	sha256_init(&s);
	sha256_update(&s, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56);
	sha256_final(&s, d);
	hex(d, h);
	assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void
test_printable(void **state)
{
	char out[64];

	(void)state;
	/* An escape sequence, a C1 control and invalid UTF-8 become '?'. */
	ns_printable(out, sizeof(out), "evil\x1b[31mred\x07", 14);
	assert_string_equal(out, "evil?[31mred?");
	ns_printable(out, sizeof(out), "a\xc2\x9b" "b", 4);
	assert_string_equal(out, "a?" "?b");
	ns_printable(out, sizeof(out), "caf\xc3\xa9 \xff", 7);
	assert_string_equal(out, "caf\xc3\xa9 ?");
	/* Bounded. */
	ns_printable(out, 5, "abcdefgh", 8);
	assert_string_equal(out, "abcd");
}

static void
test_json_escape(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json_w w;

	(void)state;
	json_init(&w, f, false);
	json_obj_open(&w, NULL);
	json_str(&w, "k", "a\"b\\c\n\x1b");
	json_arr_open(&w, "l");
	json_u64(&w, NULL, 1);
	json_dbl(&w, NULL, 0.5, 2);
	json_arr_close(&w);
	json_obj_close(&w);
	fclose(f);
	assert_string_equal(buf, "{\"k\":\"a\\\"b\\\\c\\u000a\\u001b\",\"l\":[1,0.50]}");
	free(buf);
	/* A key that needs escaping takes the slow path; DEL is escaped, UTF-8 is not. */
	buf = NULL;
	f = open_memstream(&buf, &len);
	json_init(&w, f, true);
	json_obj_open(&w, NULL);
	json_u64(&w, "a", 1);
	json_obj_open(&w, "b");
	json_str(&w, "q\"k", "\x7f\xc3\xa9");
	json_obj_close(&w);
	json_arr_open(&w, "e");
	json_arr_close(&w);
	json_obj_close(&w);
	fclose(f);
	assert_string_equal(buf, "{\n  \"a\": 1,\n  \"b\": {\n    \"q\\\"k\": \"\\u007f\xc3\xa9\"\n  },"
	    "\n  \"e\": []\n}");
	free(buf);
}

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* json_dbl's own "%.*f" must print what printf prints, ties and all. */
static void
test_fixed(void **state)
{
	static const double special[] = { 0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375,
		1e-300, -1e-300, 4503599627370495.5, 9007199254740991.0, 0.045, 1.005,
		2.675, 1234567.8915, 5e-10, 0.05, 0.15, 0.25, 1763971200.123456 };
	char mine[64], theirs[400];
	uint64_t seed = 88172645463325252ULL;
	long checked = 0;

	(void)state;
	for (int d = 0; d <= 9; d++)
		for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
			assert_true(json_fmt_fixed(mine, special[i], d) > 0);
			snprintf(theirs, sizeof(theirs), "%.*f", d, special[i]);
			assert_string_equal(mine, theirs);
		}
	for (long i = 0; i < 400000; i++) {
		uint64_t r = xorshift(&seed);
		int d = (int)(xorshift(&seed) % 10);
		double v;

		switch (i % 4) {
		case 0:		/* any bit pattern */
			memcpy(&v, &r, sizeof(v));
			break;
		case 1:		/* short binary fractions: exact ties */
			v = (double)(r % 100000000) / (double)(1ULL << (xorshift(&seed) % 40));
			break;
		case 2:		/* capture timestamps */
			v = 1.7e9 + (double)(r % 1000000000) / 1e9;
			break;
		default:
			v = ((double)(int64_t)(r % 2000001) - 1000000) /
			    (double)(1 + xorshift(&seed) % 100000);
			break;
		}
		if (!isfinite(v) || json_fmt_fixed(mine, v, d) == 0)
			continue;
		snprintf(theirs, sizeof(theirs), "%.*f", d, v);
		assert_string_equal(mine, theirs);
		checked++;
	}
	assert_true(checked > 300000);
	/* Out of its range it declines, and json_dbl uses printf. */
	assert_int_equal(json_fmt_fixed(mine, 1e300, 2), 0);
	assert_int_equal(json_fmt_fixed(mine, 1.5, 10), 0);
}

static void
test_utc(void **state)
{
	uint64_t seed = 1;
	char mine[64], theirs[64];

	(void)state;
	for (int i = 0; i < 200000; i++) {
		time_t t = (time_t)(xorshift(&seed) % 253402300800ULL);
		struct tm tm;

		if (i < 4)
			t = (time_t[]){ 0, 951782400, 253402300799, 1763971199 }[i];
		gmtime_r(&t, &tm);
		strftime(theirs, sizeof(theirs), "%Y-%m-%dT%H:%M:%SZ", &tm);
		assert_int_equal(ns_fmt_utc(mine, sizeof(mine), (int64_t)t), strlen(theirs));
		assert_string_equal(mine, theirs);
	}
}

/*
 * SipHash-c-d written from the paper, byte by byte: with c = 2, d = 4 it
 * must give the reference implementation's published vectors; with 1-3 it
 * must agree with the tables' ns_siphash, which loads words.
 */
static uint64_t
sip_ref(int c, int d, const uint8_t k[16], const uint8_t *m, size_t len)
{
	uint64_t k0 = 0, k1 = 0, v0, v1, v2, v3, w;
	size_t i;
	int r;

#define R64(x, b) (((x) << (b)) | ((x) >> (64 - (b))))
#define ROUND() do { \
	v0 += v1; v1 = R64(v1, 13); v1 ^= v0; v0 = R64(v0, 32); \
	v2 += v3; v3 = R64(v3, 16); v3 ^= v2; \
	v0 += v3; v3 = R64(v3, 21); v3 ^= v0; \
	v2 += v1; v1 = R64(v1, 17); v1 ^= v2; v2 = R64(v2, 32); } while (0)
	for (i = 0; i < 8; i++) {
		k0 |= (uint64_t)k[i] << (8 * i);
		k1 |= (uint64_t)k[8 + i] << (8 * i);
	}
	v0 = k0 ^ 0x736f6d6570736575ULL;
	v1 = k1 ^ 0x646f72616e646f6dULL;
	v2 = k0 ^ 0x6c7967656e657261ULL;
	v3 = k1 ^ 0x7465646279746573ULL;
	for (i = 0; i + 8 <= len; i += 8) {
		w = 0;
		for (int j = 0; j < 8; j++)
			w |= (uint64_t)m[i + (size_t)j] << (8 * j);
		v3 ^= w;
		for (r = 0; r < c; r++)
			ROUND();
		v0 ^= w;
	}
	w = (uint64_t)(len & 0xff) << 56;
	for (size_t j = 0; i + j < len; j++)
		w |= (uint64_t)m[i + j] << (8 * j);
	v3 ^= w;
	for (r = 0; r < c; r++)
		ROUND();
	v0 ^= w;
	v2 ^= 0xff;
	for (r = 0; r < d; r++)
		ROUND();
	return v0 ^ v1 ^ v2 ^ v3;
#undef ROUND
#undef R64
}

static void
test_siphash(void **state)
{
	uint8_t k[16], m[64];
	uint64_t seed = 7;

	(void)state;
	for (int i = 0; i < 16; i++)
		k[i] = (uint8_t)i;
	for (int i = 0; i < 64; i++)
		m[i] = (uint8_t)i;
	/* github.com/veorq/SipHash vectors.h, SipHash-2-4, lengths 0, 1, 7, 8, 15. */
	assert_true(sip_ref(2, 4, k, m, 0) == 0x726fdb47dd0e0e31ULL);
	assert_true(sip_ref(2, 4, k, m, 1) == 0x74f839c593dc67fdULL);
	assert_true(sip_ref(2, 4, k, m, 7) == 0xab0200f58b01d137ULL);
	assert_true(sip_ref(2, 4, k, m, 8) == 0x93f5f5799a932462ULL);
	assert_true(sip_ref(2, 4, k, m, 15) == 0xa129ca6149be45e5ULL);
	for (size_t len = 0; len <= 64; len++)
		assert_true(ns_siphash(k, m, len) == sip_ref(1, 3, k, m, len));
	for (int n = 0; n < 20000; n++) {
		size_t len = xorshift(&seed) % 65, off = xorshift(&seed) % 8;
		uint8_t buf[80];

		for (int i = 0; i < 16; i++)
			k[i] = (uint8_t)xorshift(&seed);
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = (uint8_t)xorshift(&seed);
		/* Any alignment: the words are loaded with memcpy. */
		assert_true(ns_siphash(k, buf + off, len) == sip_ref(1, 3, k, buf + off, len));
	}
}

/* ns_addr_fmt's own dotted quad, against inet_ntop. */
static void
test_addr_fmt(void **state)
{
	uint64_t seed = 3;
	char mine[64], theirs[64];
	struct ns_addr a;

	(void)state;
	for (int i = 0; i < 100000; i++) {
		uint32_t v = (uint32_t)xorshift(&seed);

		if (i < 256)
			v = (uint32_t)i * 0x01010101u;	/* every width of every byte */
		memset(&a, 0, sizeof(a));
		a.af = 4;
		memcpy(a.b, &v, 4);
		inet_ntop(AF_INET, a.b, theirs, sizeof(theirs));
		assert_string_equal(ns_addr_fmt(&a, mine, sizeof(mine)), theirs);
	}
	/* The longest quad fits INET_ADDRSTRLEN (16) exactly. */
	memset(a.b, 255, 4);
	assert_string_equal(ns_addr_fmt(&a, mine, INET_ADDRSTRLEN), "255.255.255.255");
}

static void
test_cidr(void **state)
{
	struct ns_cidr c;
	struct ns_addr a;

	(void)state;
	assert_int_equal(ns_cidr_parse(&c, "10.1.2.3/8"), 0);
	assert_int_equal(ns_addr_parse(&a, "10.200.0.1"), 0);
	assert_true(ns_cidr_contains(&c, &a));
	assert_int_equal(ns_addr_parse(&a, "11.0.0.1"), 0);
	assert_false(ns_cidr_contains(&c, &a));
	assert_int_equal(ns_cidr_parse(&c, "2001:db8::/33"), 0);
	assert_int_equal(ns_addr_parse(&a, "2001:db8:7fff::1"), 0);
	assert_true(ns_cidr_contains(&c, &a));
	assert_int_equal(ns_addr_parse(&a, "2001:db8:8000::1"), 0);
	assert_false(ns_cidr_contains(&c, &a));
	assert_int_equal(ns_cidr_parse(&c, "192.0.2.1"), 0);
	assert_int_equal(c.bits, 32);
	assert_int_equal(ns_cidr_parse(&c, "192.0.2.0/33"), -1);
	assert_int_equal(ns_cidr_parse(&c, "nonsense"), -1);
	assert_int_equal(ns_cidr_parse(&c, "10.0.0.0/"), -1);
	/* Every prefix length: flipping address bit i leaves the network iff i < bits. */
	for (int v6 = 0; v6 < 2; v6++) {
		unsigned nbits = v6 ? 128 : 32;

		assert_int_equal(ns_cidr_parse(&c, v6 ? "2001:db8:a5a5:5a5a:1234:5678:9abc:def0" :
		    "198.51.100.165"), 0);
		for (unsigned bits = 0; bits <= nbits; bits++) {
			c.bits = (uint8_t)bits;
			assert_true(ns_cidr_contains(&c, &c.addr));
			for (unsigned i = 0; i < nbits; i++) {
				a = c.addr;
				a.b[i / 8] ^= (uint8_t)(0x80 >> (i % 8));
				assert_int_equal(ns_cidr_contains(&c, &a), i >= bits);
			}
			a = c.addr;
			a.af = v6 ? 4 : 6;
			assert_false(ns_cidr_contains(&c, &a));
		}
	}
}

/* The reference id as the probe and the analysis both show it. */
static void
test_refid(void **state)
{
	static const struct {
		int stratum, vn, af;
		uint8_t r[4];
		const char *want;
	} c[] = {
		{ 0, 4, 4, { 'R', 'A', 'T', 'E' }, "RATE" },
		{ 1, 4, 6, { 'G', 'P', 'S', 0 }, "GPS" },
		{ 1, 4, 0, { 0xc3, 0xa9, 0x1b, 'x' }, "???x" },	/* ASCII only */
		{ 2, 4, 4, { 192, 0, 2, 1 }, "192.0.2.1" },
		{ 2, 4, 0, { 192, 0, 2, 1 }, "192.0.2.1" },
		{ 2, 4, 6, { 192, 0, 2, 1 }, "0xc0000201" },	/* an MD5 hash */
		{ 3, 3, 6, { 0, 1, 2, 3 }, "0x00010203" },
		{ 2, 4, 4, { 0, 0x1a, 0x2b, 0xf0 }, "0x001a2bf0" },
		{ 2, 3, 4, { 0, 0, 0, 0 }, "0.0.0.0" },
		{ 16, 4, 0, { 255, 255, 255, 255 }, "255.255.255.255" },
	};
	char buf[NS_REFIDSTRLEN];

	(void)state;
	for (size_t i = 0; i < NS_ARRAY_LEN(c); i++) {
		ns_refid_fmt(buf, c[i].r, c[i].stratum, c[i].vn, c[i].af);
		assert_string_equal(buf, c[i].want);
	}
	assert_string_equal(ns_proto_name(6), "tcp");
	assert_string_equal(ns_proto_name(58), "icmp6");
	assert_string_equal(ns_proto_name(47), "ip");
}

/* The cold tables' map: grows, replaces, forgets, and deletes without losing the rest. */
static void
test_amap(void **state)
{
	struct ns_amap m;
	struct ns_addr a;
	uintptr_t v = 0;
	uint32_t i;

	(void)state;
	ns_amap_init(&m);
	for (i = 0; i < 1000; i++) {
		uint8_t b[4] = { 10, 0, (uint8_t)(i >> 8), (uint8_t)i };

		ns_addr_set4(&a, b);
		ns_amap_put(&m, &a, i * 3);
	}
	assert_int_equal(m.n, 1000);
	for (i = 0; i < 1000; i++) {
		uint8_t b[4] = { 10, 0, (uint8_t)(i >> 8), (uint8_t)i };

		ns_addr_set4(&a, b);
		assert_true(ns_amap_get(&m, &a, &v));
		assert_int_equal(v, i * 3);
	}
	/* Every other one goes; the others stay reachable whatever their probe chains. */
	for (i = 0; i < 1000; i += 2) {
		uint8_t b[4] = { 10, 0, (uint8_t)(i >> 8), (uint8_t)i };

		ns_addr_set4(&a, b);
		assert_true(ns_amap_del(&m, &a));
		assert_false(ns_amap_del(&m, &a));
	}
	assert_int_equal(m.n, 500);
	for (i = 0; i < 1000; i++) {
		uint8_t b[4] = { 10, 0, (uint8_t)(i >> 8), (uint8_t)i };

		ns_addr_set4(&a, b);
		assert_int_equal(ns_amap_get(&m, &a, &v), i % 2 == 1);
		if (i % 2 == 1)
			assert_int_equal(v, i * 3);
	}
	/* IPv4 and IPv6 apart; a value replaced in place. */
	ns_addr_parse(&a, "2001:db8::1");
	ns_amap_put(&m, &a, 7);
	ns_amap_put(&m, &a, 8);
	assert_true(ns_amap_get(&m, &a, &v));
	assert_int_equal(v, 8);
	assert_int_equal(m.n, 501);
	ns_addr_parse(&a, "192.0.2.1");
	assert_false(ns_amap_get(&m, &a, &v));
	memset(&a, 0, sizeof(a));
	ns_amap_put(&m, &a, 1);
	assert_int_equal(m.n, 501);
	ns_amap_clear(&m);
	ns_addr_parse(&a, "10.0.0.5");
	assert_false(ns_amap_get(&m, &a, &v));
	assert_int_equal(m.n, 0);
	ns_amap_free(&m);
}

/* Keys of any fixed length (the local-side inference's address pairs): grown, deleted, a set. */
static void
test_amap_keys(void **state)
{
	struct ns_amap m;
	uint8_t k[34];
	uintptr_t v = 0;
	uint32_t i;

	(void)state;
	ns_amap_init_len(&m, sizeof(k));
	for (i = 0; i < 3000; i++) {
		memset(k, 0, sizeof(k));
		memcpy(k, &i, sizeof(i));
		k[33] = (uint8_t)(i * 7);
		assert_true(ns_amap_add_key(&m, k));
		assert_false(ns_amap_add_key(&m, k));
		ns_amap_put_key(&m, k, i + 1);
	}
	assert_int_equal(m.n, 3000);
	/* The same bytes but the last: another key. */
	memset(k, 0, sizeof(k));
	k[33] = 1;
	assert_false(ns_amap_get_key(&m, k, &v));
	/* An all-zero key is a key like any other. */
	k[33] = 0;
	assert_true(ns_amap_get_key(&m, k, &v));
	assert_int_equal(v, 1);
	for (i = 0; i < 3000; i += 3) {
		memset(k, 0, sizeof(k));
		memcpy(k, &i, sizeof(i));
		k[33] = (uint8_t)(i * 7);
		assert_true(ns_amap_del_key(&m, k));
	}
	for (i = 0; i < 3000; i++) {
		memset(k, 0, sizeof(k));
		memcpy(k, &i, sizeof(i));
		k[33] = (uint8_t)(i * 7);
		assert_int_equal(ns_amap_get_key(&m, k, &v), i % 3 != 0);
		if (i % 3 != 0)
			assert_int_equal(v, i + 1);
	}
	ns_amap_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_printable),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_utc),
		cmocka_unit_test(test_siphash),
		cmocka_unit_test(test_addr_fmt),
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_refid),
		cmocka_unit_test(test_amap),
		cmocka_unit_test(test_amap_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
