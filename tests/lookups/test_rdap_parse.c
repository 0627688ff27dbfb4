/*
 * Unit tests of the RDAP and whois parsers on hostile input: wrong types
 * everywhere, escape sequences, endless nesting, oversize strings. Each
 * case says what must come out, not only that nothing crashed.
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

#include "common/util.h"
#include "lookups/rdap.h"
#include "lookups/registry.h"
#include "lookups/whois.h"

static struct lk_rdap r;
static struct ns_addr lo, hi;

static int
parse(const char *json)
{
	memset(&r, 0, sizeof(r));
	return rdap_parse(json, strlen(json), &r, &lo, &hi);
}

static void
assert_printable(const char *s)
{
	for (; *s; s++) {
		assert_true((unsigned char)*s >= 0x20);
		assert_true(*s != 0x7f);
	}
}

static void
assert_all_printable(void)
{
	assert_printable(r.name);
	assert_printable(r.handle);
	assert_printable(r.cidr);
	assert_printable(r.org);
	assert_printable(r.country);
	assert_printable(r.reason);
	for (int i = 0; i < r.n_abuse; i++)
		assert_printable(r.abuse[i]);
}

static void
not_json(void **state)
{
	(void)state;
	assert_int_equal(parse(""), -1);
	assert_string_equal(r.reason, "RDAP answer is empty");
	assert_int_equal(parse("<html>"), -1);
	assert_non_null(strstr(r.reason, "not valid JSON (error at byte 0 of 6)"));
	assert_int_equal(parse("{\"name\": \"x\""), -1);
	assert_non_null(strstr(r.reason, "cut short"));
	assert_int_equal(parse("null"), -1);
	assert_string_equal(r.reason, "RDAP answer is not a JSON object");
	assert_int_equal(parse("[{\"name\": \"x\"}]"), -1);
	assert_int_equal(parse("\"just a string\""), -1);
}

static void
wrong_types(void **state)
{
	(void)state;
	/* Every member of the wrong type: nothing to report, and no crash. */
	assert_int_equal(parse("{\"name\": 5, \"handle\": [], \"country\": {},"
	    "\"startAddress\": 1, \"endAddress\": null, \"cidr0_cidrs\": \"x\","
	    "\"entities\": {\"roles\": \"abuse\"}, \"remarks\": 7}"), -1);
	assert_string_equal(r.reason, "RDAP answer has no network name, handle or range");

	/* Entities of every wrong shape around one good one. */
	assert_int_equal(parse("{\"name\": \"N\", \"entities\": [1, \"s\", null, [],"
	    "{\"roles\": [1, null, \"abuse\"], \"vcardArray\": [\"vcard\", [[\"email\"],"
	    "[\"email\", {}, \"text\"], [\"email\", {}, \"text\", 42], [null, {}, \"text\", \"x\"],"
	    "\"notarray\", [\"email\", {}, \"text\", \"ok@example.net\"]]]},"
	    "{\"roles\": [\"abuse\"], \"vcardArray\": \"vcard\"},"
	    "{\"roles\": [\"abuse\"], \"vcardArray\": [\"vcard\"]},"
	    "{\"roles\": [\"abuse\"], \"vcardArray\": [\"vcard\", {}]}]}"), 0);
	assert_string_equal(r.name, "N");
	assert_int_equal(r.n_abuse, 1);
	assert_string_equal(r.abuse[0], "ok@example.net");
}

static void
escapes(void **state)
{
	(void)state;
	assert_int_equal(parse("{\"name\": \"A\\u001b[31mB\\u001b]0;t\\u0007\","
	    "\"handle\": \"\\u009b2J\\u00c3\\u00a9\", \"country\": \"\\u001b[\","
	    "\"entities\": [{\"roles\": [\"registrant\"], \"vcardArray\": [\"vcard\","
	    "[[\"fn\", {}, \"text\", \"Org\\r\\nInjected\"]]]},"
	    "{\"roles\": [\"abuse\"], \"vcardArray\": [\"vcard\","
	    "[[\"email\", {}, \"text\", \"mailto:a\\u0000b@x\"],"
	    "[\"tel\", {}, \"uri\", \"tel:+1-555\\u007f-0100\"]]]}]}"), 0);
	assert_all_printable();
	assert_string_equal(r.name, "A?[31mB?]0;t?");
	/* U+009B (a C1 CSI) is refused; U+00C3 U+00A9 are ordinary letters. */
	assert_string_equal(r.handle, "??2J\xc3\x83\xc2\xa9");
	assert_string_equal(r.country, "");
	assert_string_equal(r.org, "Org??Injected");
	assert_int_equal(r.n_abuse, 2);
	assert_string_equal(r.abuse[0], "a");	/* cJSON stops at \u0000 */
	assert_string_equal(r.abuse[1], "+1-555?-0100");
}

static void
bounded_strings(void **state)
{
	size_t n = 100000;
	char *json = xmalloc(2 * n + 200), *big = xmalloc(n + 1);

	(void)state;
	memset(big, 'x', n);
	big[n] = '\0';
	snprintf(json, 2 * n + 200, "{\"name\": \"%s\", \"handle\": \"%s\"}", big, big);
	assert_int_equal(rdap_parse(json, strlen(json), &r, NULL, NULL), 0);
	assert_int_equal(strlen(r.name), sizeof(r.name) - 1);
	assert_int_equal(strlen(r.handle), sizeof(r.handle) - 1);
	free(json);
	free(big);
}

static void
deep_nesting(void **state)
{
	size_t depth = 5000, i, o = 0;
	char *json = xmalloc(depth * 40 + 100);

	(void)state;
	/* Arrays nested beyond cJSON's limit: refused, not a stack overflow. */
	for (i = 0; i < depth; i++)
		json[o++] = '[';
	for (i = 0; i < depth; i++)
		json[o++] = ']';
	json[o] = '\0';
	assert_int_equal(parse(json), -1);

	/* Entities nested 200 deep, an abuse contact at the bottom: the walk
	 * stops at its depth limit and does not reach it. */
	o = (size_t)sprintf(json, "{\"name\": \"N\", \"entities\": ");
	for (i = 0; i < 200; i++)
		o += (size_t)sprintf(json + o, "[{\"entities\": ");
	o += (size_t)sprintf(json + o, "[{\"roles\": [\"abuse\"], \"vcardArray\": [\"vcard\","
	    "[[\"email\", {}, \"text\", \"deep@x\"]]]}]");
	for (i = 0; i < 200; i++)
		o += (size_t)sprintf(json + o, "}]");
	sprintf(json + o, "}");
	assert_int_equal(parse(json), 0);
	assert_int_equal(r.n_abuse, 0);
	free(json);
}

static void
many_contacts(void **state)
{
	char json[20000];
	size_t o;

	(void)state;
	/* 50 abuse entities: at most LK_MAX_ABUSE kept, duplicates once. */
	o = (size_t)sprintf(json, "{\"handle\": \"H\", \"entities\": [");
	for (int i = 0; i < 50; i++)
		o += (size_t)sprintf(json + o, "%s{\"roles\": [\"abuse\"], \"vcardArray\": "
		    "[\"vcard\", [[\"email\", {}, \"text\", \"a%d@x\"], [\"email\", {}, \"text\","
		    " \"A0@X\"]]]}", i ? "," : "", i);
	sprintf(json + o, "]}");
	assert_int_equal(parse(json), 0);
	assert_int_equal(r.n_abuse, LK_MAX_ABUSE);
	assert_string_equal(r.abuse[0], "a0@x");
	assert_string_equal(r.abuse[1], "a1@x");
}

static void
ranges(void **state)
{
	(void)state;
	/* start/end that make one prefix become a CIDR. */
	assert_int_equal(parse("{\"handle\": \"H\", \"startAddress\": \"192.0.2.0\","
	    "\"endAddress\": \"192.0.2.255\"}"), 0);
	assert_string_equal(r.cidr, "192.0.2.0/24");
	assert_int_equal(lo.af, 4);
	/* ...and those that do not stay a range. */
	assert_int_equal(parse("{\"handle\": \"H\", \"startAddress\": \"192.0.2.0\","
	    "\"endAddress\": \"192.0.2.99\"}"), 0);
	assert_string_equal(r.cidr, "192.0.2.0 - 192.0.2.99");
	/* Reversed, mixed families, junk: no range at all. */
	assert_int_equal(parse("{\"handle\": \"H\", \"startAddress\": \"192.0.2.9\","
	    "\"endAddress\": \"192.0.2.1\"}"), 0);
	assert_string_equal(r.cidr, "");
	assert_int_equal(lo.af, 0);
	assert_int_equal(parse("{\"handle\": \"H\", \"startAddress\": \"192.0.2.0\","
	    "\"endAddress\": \"2001:db8::\"}"), 0);
	assert_string_equal(r.cidr, "");
	/* cidr0: bad lengths and prefixes skipped, good ones joined. */
	assert_int_equal(parse("{\"handle\": \"H\", \"cidr0_cidrs\": ["
	    "{\"v4prefix\": \"10.0.0.0\", \"length\": 99},"
	    "{\"v4prefix\": \"10.0.0.0\", \"length\": -1},"
	    "{\"v4prefix\": \"10.0.0.0\", \"length\": 8.5},"
	    "{\"v4prefix\": \"\\u001b[2J\", \"length\": 8},"
	    "{\"v4prefix\": \"10.0.0.0\"},"
	    "{\"v6prefix\": \"2001:db8::\", \"length\": 32},"
	    "{\"v4prefix\": \"192.0.2.0\", \"length\": 24}]}"), 0);
	assert_string_equal(r.cidr, "2001:db8::/32, 192.0.2.0/24");
	assert_int_equal(lo.af, 6);
}

static void
errors_and_class(void **state)
{
	(void)state;
	assert_int_equal(parse("{\"errorCode\": 404, \"title\": \"Not \\u001b[1mFound\"}"), -1);
	assert_string_equal(r.reason, "RDAP server error 404: Not ?[1mFound");
	assert_int_equal(parse("{\"errorCode\": 1e300}"), -1);
	assert_string_equal(r.reason, "RDAP server error 0");
	assert_int_equal(parse("{\"objectClassName\": \"autnum\", \"name\": \"AS1\"}"), -1);
	assert_string_equal(r.reason, "RDAP answer is a \"autnum\", not an IP network");
	assert_int_equal(parse("{\"objectClassName\": \"ip network\", \"name\": \"ok\","
	    "\"country\": \"de\"}"), 0);
	assert_string_equal(r.country, "DE");
}

static void
whois_hostile(void **state)
{
	char refer[64];
	const char *w =
	    "% Abuse contact for 'x' is 'abuse@a.example'\r\n"
	    "% Abuse contact for 'y' is '\x1b[31m'\r\n"
	    "refer: whois.evil.example:4444/../\r\n"
	    "inetnum: 203.0.113.0 - 203.0.113.255\r\n"
	    "netname: NET\x1b]0;x\x07NAME\r\n"
	    "country: zz\r\n"
	    "descr: First\r\n"
	    "descr: Second\r\n"
	    "abuse-mailbox: abuse@a.example\r\n"
	    "abuse-mailbox:\r\n"
	    "broken line without colon\r\n"
	    ":\r\n"
	    "country: DE\r\n";

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(whois_parse(w, strlen(w), &r, refer, sizeof(refer), &lo, &hi), 0);
	assert_all_printable();
	assert_string_equal(r.name, "NET?]0;x?NAME");
	assert_string_equal(r.cidr, "203.0.113.0/24");
	assert_string_equal(r.country, "ZZ");
	assert_string_equal(r.org, "First");
	assert_string_equal(refer, "");	/* a URL-ish refer is not followed */
	assert_int_equal(r.n_abuse, 2);	/* abuse@a.example once, and "?[31m" */

	/* The referral forms of IANA and ARIN. */
	memset(&r, 0, sizeof(r));
	whois_parse("refer:        whois.ripe.net\n", 29, &r, refer, sizeof(refer), NULL, NULL);
	assert_string_equal(refer, "whois.ripe.net");
	whois_parse("ReferralServer:  whois://whois.apnic.net:43/\n", 46, &r, refer,
	    sizeof(refer), NULL, NULL);
	assert_string_equal(refer, "whois.apnic.net:43");

	/* Nothing that names a network. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(whois_parse("% nothing\n", 10, &r, refer, sizeof(refer), NULL,
	    NULL), -1);
	assert_string_equal(r.reason, "whois answer names no network");
	/* Not NUL-terminated, and a refer to something not whois. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(whois_parse("ReferralServer: rwhois://x:4321\nNetName: Qgarbage", 42, &r,
	    refer, sizeof(refer), NULL, NULL), 0);
	assert_string_equal(refer, "");
	assert_string_equal(r.name, "Q");
}

static void
whois_lacnic(void **state)
{
	/* LACNIC: the abuse contact is a handle; its e-mail comes later. */
	const char *w =
	    "inetnum:     200.160.0.0/20\n"
	    "owner:       Example Telecom S.A.\n"
	    "country:     BR\n"
	    "owner-c:     OWN\n"
	    "tech-c:      TEC\n"
	    "abuse-c:     ABU\n"
	    "\n"
	    "nic-hdl-br:  OWN\n"
	    "person:      The Owner\n"
	    "e-mail:      owner@example.com.br\n"
	    "\n"
	    "nic-hdl-br:  ABU\n"
	    "person:      Abuse Desk\n"
	    "e-mail:      abuse@example.com.br\n";
	char refer[64];

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(whois_parse(w, strlen(w), &r, refer, sizeof(refer), &lo, &hi), 0);
	assert_string_equal(r.cidr, "200.160.0.0/20");
	assert_string_equal(r.org, "Example Telecom S.A.");
	assert_string_equal(r.country, "BR");
	assert_int_equal(r.n_abuse, 1);
	assert_string_equal(r.abuse[0], "abuse@example.com.br");
}

static void
range_helpers(void **state)
{
	char buf[128];

	(void)state;
	assert_int_equal(reg_range_parse("10.0.0.0 - 10.255.255.255", &lo, &hi), 0);
	reg_range_fmt(&lo, &hi, buf, sizeof(buf));
	assert_string_equal(buf, "10.0.0.0/8");
	assert_int_equal(reg_range_parse("2001:db8::/33", &lo, &hi), 0);
	reg_range_fmt(&lo, &hi, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::/33");
	assert_int_equal(reg_range_parse("0.0.0.0 - 255.255.255.255", &lo, &hi), 0);
	reg_range_fmt(&lo, &hi, buf, sizeof(buf));
	assert_string_equal(buf, "0.0.0.0/0");
	assert_int_equal(reg_range_parse("10.0.0.5 - 10.0.0.1", &lo, &hi), -1);
	assert_int_equal(reg_range_parse("x - y", &lo, &hi), -1);
	assert_int_equal(reg_range_parse("10.0.0.0/40", &lo, &hi), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(not_json),
		cmocka_unit_test(wrong_types),
		cmocka_unit_test(escapes),
		cmocka_unit_test(bounded_strings),
		cmocka_unit_test(deep_nesting),
		cmocka_unit_test(many_contacts),
		cmocka_unit_test(ranges),
		cmocka_unit_test(errors_and_class),
		cmocka_unit_test(whois_hostile),
		cmocka_unit_test(whois_lacnic),
		cmocka_unit_test(range_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
