/*
 * The regional Internet registries, and what their RDAP and whois
 * answers are read into, shared by lookups/rdap.c, rdap_json.c and
 * whois.c: the registry of an address (IANA's bootstrap), a network's
 * address range, abuse contacts.
 */
#ifndef NS_LK_REGISTRY_H
#define NS_LK_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "common/addr.h"
#include "lookups/lookup.h"

/* The five regional registries. */
struct rir {
	const char *name;
	const char *rdap;	/* base URL, with its trailing slash */
	const char *whois;	/* port-43 server */
};

/* The registry that holds addr per IANA's bootstrap, or NULL (reserved). */
const struct rir *reg_rir(const struct ns_addr *);
/* Is host one of the five registries' whois servers? */
bool reg_is_whois_server(const char *host);

/* "192.0.2.0/24" when [lo, hi] is one prefix, else "lo - hi". */
void reg_range_fmt(const struct ns_addr *lo, const struct ns_addr *hi, char *buf,
    size_t len);
/* Parse "a - b" or "a/len" (or a bare address) into [lo, hi]. */
int reg_range_parse(const char *s, struct ns_addr *lo, struct ns_addr *hi);
/* Add one abuse contact to out, without duplicates; strips mailto:/tel:. */
void reg_add_abuse(struct lk_rdap *out, const char *contact, size_t len);

#endif
