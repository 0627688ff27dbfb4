/*
 * IPv4 and IPv6 addresses as one value type, and CIDR networks.
 */
#ifndef NS_ADDR_H
#define NS_ADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define NS_ADDRSTRLEN 46
#define NS_CIDRSTRLEN 50

struct ns_addr {
	uint8_t af;	/* 4 or 6; 0 for none */
	uint8_t b[16];	/* IPv4 in the first 4 bytes, the rest zero */
};

struct ns_cidr {
	struct ns_addr addr;
	uint8_t bits;
};

void ns_addr_set4(struct ns_addr *, const uint8_t *);
void ns_addr_set6(struct ns_addr *, const uint8_t *);
/* Inline: several times a frame (tables, targets, loopback), where memcmp was a call. */
static inline bool
ns_addr_eq(const struct ns_addr *a, const struct ns_addr *b)
{
	uint64_t x[2], y[2];
	uint32_t u, v;

	if (a->af != b->af)
		return false;
	if (a->af == 4) {
		memcpy(&u, a->b, 4);
		memcpy(&v, b->b, 4);
		return u == v;
	}
	memcpy(x, a->b, 16);
	memcpy(y, b->b, 16);
	return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
}
int ns_addr_cmp(const struct ns_addr *, const struct ns_addr *);
const char *ns_addr_fmt(const struct ns_addr *, char *, size_t);
int ns_addr_parse(struct ns_addr *, const char *);
/* RFC 1918, RFC 6598 CGNAT, loopback, link-local, ULA. */
bool ns_addr_is_private(const struct ns_addr *);
bool ns_addr_is_multicast(const struct ns_addr *);
/* 0.0.0.0 or ::: a host that has no address yet (a DHCP client). */
bool ns_addr_is_unspecified(const struct ns_addr *);
/*
 * Why no one outside can be called about this address (unspecified,
 * broadcast, multicast, private or reserved), or NULL when someone can.
 */
const char *ns_addr_no_admin(const struct ns_addr *);

/* "10.0.0.0/8", "2001:db8::/32" or a bare address (a host route). */
int ns_cidr_parse(struct ns_cidr *, const char *);
bool ns_cidr_contains(const struct ns_cidr *, const struct ns_addr *);
const char *ns_cidr_fmt(const struct ns_cidr *, char *, size_t);

#endif
