/*
 * RDAP, private to lookups/: the parser is here so that the unit tests
 * and the fuzzer can feed it hostile answers directly.
 */
#ifndef NS_LK_RDAP_H
#define NS_LK_RDAP_H

#include <stddef.h>

#include "common/addr.h"
#include "lookups/lookup.h"

#define RDAP_MAX_BODY (1u << 20)	/* bigger answers are refused */

/*
 * Parse an RDAP "ip network" answer into out (name, handle, cidr,
 * country, org, abuse; every string bounded and printable). lo and hi,
 * when not NULL, get the network's range (af 0 if the answer has none).
 * Returns 0, or -1 with out->reason set.
 */
int rdap_parse(const char *body, size_t len, struct lk_rdap *out,
    struct ns_addr *lo, struct ns_addr *hi);

#endif
