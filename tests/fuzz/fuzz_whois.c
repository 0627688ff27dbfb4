/*
 * libFuzzer target: the port-43 whois reader (lookups/whois.c,
 * whois_parse()) and the range parser it and the cache use
 * (reg_range_parse()). The whole input is the answer; its first line,
 * NUL-terminated, is also given to reg_range_parse().
 */
#include "config.h"

#include "tests/fuzz/lk_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lk_rdap r;
	struct ns_addr lo, hi;
	char refer[256], line[256];
	const uint8_t *nl;
	size_t n;
	int rc;

	if (size > WHOIS_MAX_BODY)
		return 0;
	memset(&r, 0, sizeof(r));
	rc = whois_parse((const char *)data, size, &r, refer, sizeof(refer), &lo, &hi);
	fuzz_lk_check("fuzz_whois", &r, rc, &lo, &hi);
	fuzz_lk_string("fuzz_whois", "referral", refer, sizeof(refer));

	nl = memchr(data, '\n', size);
	n = nl != NULL ? (size_t)(nl - data) : size;
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, data, n);
	line[n] = '\0';
	if (reg_range_parse(line, &lo, &hi) == 0)
		fuzz_lk_check("fuzz_whois", &r, rc, &lo, &hi);
	return 0;
}
