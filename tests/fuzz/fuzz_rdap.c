/*
 * libFuzzer target: the RDAP "ip network" reader (lookups/rdap_json.c,
 * rdap_parse()), the answer of a remote server and so hostile. The whole
 * input is the HTTP body. Checked besides ASan and UBSan: what
 * lookups/rdap.h promises of the result (lk_check.h).
 */
#include "config.h"

#include "tests/fuzz/lk_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lk_rdap r;
	struct ns_addr lo, hi;
	int rc;

	if (size > RDAP_MAX_BODY)
		return 0;
	memset(&r, 0, sizeof(r));
	rc = rdap_parse((const char *)data, size, &r, &lo, &hi);
	fuzz_lk_check("fuzz_rdap", &r, rc, &lo, &hi);
	return 0;
}
