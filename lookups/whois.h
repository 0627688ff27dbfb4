/*
 * Port-43 whois, the fallback of lookups/rdap.c, private to lookups/: the
 * parser is here so that the unit tests and the fuzzer can feed it
 * hostile answers directly.
 */
#ifndef NS_LK_WHOIS_H
#define NS_LK_WHOIS_H

#include <stdatomic.h>
#include <stddef.h>

#include "common/addr.h"
#include "lookups/lookup.h"

#define WHOIS_MAX_BODY (256u << 10)

/*
 * Parse a whois answer into out the same way as rdap_parse(); *refer gets
 * the referral ("whois.ripe.net", or "host:port") if the answer has one,
 * else "". Returns 0 if the answer named a network, else -1 with
 * out->reason set.
 */
int whois_parse(const char *body, size_t len, struct lk_rdap *out,
    char *refer, size_t referlen, struct ns_addr *lo, struct ns_addr *hi);

/*
 * Ask whois.iana.org (or $NTPSLEUTH_WHOIS_SERVER) for the registry, then
 * ask the registry. Returns 0 or -1 with out->reason set.
 */
int whois_lookup(const struct ns_addr *, double timeout, const atomic_bool *cancel,
    struct lk_rdap *out, struct ns_addr *lo, struct ns_addr *hi);

#endif
