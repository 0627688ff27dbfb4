/*
 * RDAP and whois, private to lookups/: the parsers are here so that the
 * unit tests can feed them hostile answers directly.
 */
#ifndef NS_LK_RDAP_H
#define NS_LK_RDAP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "lookups/lookup.h"

#define RDAP_MAX_BODY (1u << 20)	/* bigger answers are refused */
#define WHOIS_MAX_BODY (256u << 10)

/* The five regional registries. */
struct rir {
	const char *name;
	const char *rdap;	/* base URL, with its trailing slash */
	const char *whois;	/* port-43 server */
};

/* The registry that holds addr per IANA's bootstrap, or NULL (reserved). */
const struct rir *rdap_rir(const struct ns_addr *);
/* Is host one of the five registries' whois servers? */
bool rdap_rir_whois(const char *host);

/*
 * Parse an RDAP "ip network" answer into out (name, handle, cidr,
 * country, org, abuse; every string bounded and printable). lo and hi,
 * when not NULL, get the network's range (af 0 if the answer has none).
 * Returns 0, or -1 with out->reason set.
 */
int rdap_parse(const char *body, size_t len, struct lk_rdap *out,
    struct ns_addr *lo, struct ns_addr *hi);

/*
 * Parse a whois answer into out the same way; *refer gets the referral
 * ("whois.ripe.net", or "host:port") if the answer has one, else "".
 * Returns 0 if the answer named a network, else -1 with out->reason set.
 */
int whois_parse(const char *body, size_t len, struct lk_rdap *out,
    char *refer, size_t referlen, struct ns_addr *lo, struct ns_addr *hi);

/*
 * Port-43 whois: ask whois.iana.org (or $NTPSLEUTH_WHOIS_SERVER) for the
 * registry, then ask the registry. Returns 0 or -1 with out->reason set.
 */
int whois_lookup(const struct ns_addr *, double timeout, const atomic_bool *cancel,
    struct lk_rdap *out, struct ns_addr *lo, struct ns_addr *hi);

/* "192.0.2.0/24" when [lo, hi] is one prefix, else "lo - hi". */
void lk_range_fmt(const struct ns_addr *lo, const struct ns_addr *hi, char *buf,
    size_t len);
/* Parse "a - b" or "a/len" (or a bare address) into [lo, hi]. */
int lk_range_parse(const char *s, struct ns_addr *lo, struct ns_addr *hi);
/* Add one abuse contact to out, without duplicates; strips mailto:/tel:. */
void lk_add_abuse(struct lk_rdap *out, const char *contact, size_t len);

#endif
