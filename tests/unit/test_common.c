/* The common helpers: SHA-256, printable text, JSON escaping, CIDRs. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/addr.h"
#include "common/json.h"
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
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_printable),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_cidr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
