#include "config.h"

#include <arpa/inet.h>
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/addr.h"

void
ns_addr_set4(struct ns_addr *a, const uint8_t *p)
{
	memset(a, 0, sizeof(*a));
	a->af = 4;
	memcpy(a->b, p, 4);
}

void
ns_addr_set6(struct ns_addr *a, const uint8_t *p)
{
	a->af = 6;
	memcpy(a->b, p, 16);
}

int
ns_addr_cmp(const struct ns_addr *a, const struct ns_addr *b)
{
	if (a->af != b->af)
		return a->af < b->af ? -1 : 1;
	return memcmp(a->b, b->b, a->af == 4 ? 4 : 16);
}

const char *
ns_addr_fmt(const struct ns_addr *a, char *buf, size_t len)
{
	if (a->af == 4 && len >= 16) {
		/* Dotted quad by hand: glibc's inet_ntop goes through sprintf. */
		char *p = buf;

		for (int i = 0; i < 4; i++) {
			unsigned v = a->b[i];

			if (v >= 100)
				*p++ = (char)('0' + v / 100);
			if (v >= 10)
				*p++ = (char)('0' + v / 10 % 10);
			*p++ = (char)('0' + v % 10);
			*p++ = i < 3 ? '.' : '\0';
		}
	} else if (a->af == 4)
		inet_ntop(AF_INET, a->b, buf, (socklen_t)len);
	else if (a->af == 6)
		inet_ntop(AF_INET6, a->b, buf, (socklen_t)len);
	else
		snprintf(buf, len, "-");
	return buf;
}

int
ns_addr_parse(struct ns_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->b) == 1) {
		a->af = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->b) == 1) {
		a->af = 6;
		return 0;
	}
	return -1;
}

bool
ns_addr_is_private(const struct ns_addr *a)
{
	const uint8_t *b = a->b;

	if (a->af == 4)
		return b[0] == 10 || b[0] == 127 ||
		    (b[0] == 172 && (b[1] & 0xf0) == 16) ||
		    (b[0] == 192 && b[1] == 168) ||
		    (b[0] == 169 && b[1] == 254) ||
		    (b[0] == 100 && (b[1] & 0xc0) == 64);
	if (a->af == 6) {
		static const uint8_t loop[16] = { [15] = 1 };

		return (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||
		    memcmp(b, loop, 16) == 0;
	}
	return false;
}

bool
ns_addr_is_multicast(const struct ns_addr *a)
{
	if (a->af == 4)
		return (a->b[0] & 0xf0) == 224 || (a->b[0] == 255 && a->b[1] == 255 &&
		    a->b[2] == 255 && a->b[3] == 255);
	return a->af == 6 && a->b[0] == 0xff;
}

bool
ns_addr_is_unspecified(const struct ns_addr *a)
{
	static const uint8_t zero[16];

	return (a->af == 4 || a->af == 6) && memcmp(a->b, zero, a->af == 4 ? 4 : 16) == 0;
}

const char *
ns_addr_no_admin(const struct ns_addr *a)
{
	if (ns_addr_is_unspecified(a))
		return "the unspecified address (a host with no address yet, such as a DHCP client)";
	if (ns_addr_is_multicast(a))
		return "a multicast or broadcast address";
	if (ns_addr_is_private(a))
		return "a private address (RFC 1918, RFC 6598, link-local, loopback or IPv6 ULA)";
	if (a->af == 4 && (a->b[0] == 0 || a->b[0] >= 240))
		return "a reserved address (0.0.0.0/8 or 240.0.0.0/4)";
	return NULL;
}

int
ns_cidr_parse(struct ns_cidr *c, const char *s)
{
	char buf[NS_CIDRSTRLEN], *slash, *end;
	long bits;
	int max;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash = '\0';
	if (ns_addr_parse(&c->addr, buf) != 0)
		return -1;
	max = c->addr.af == 4 ? 32 : 128;
	if (slash == NULL) {
		c->bits = (uint8_t)max;
		return 0;
	}
	bits = strtol(slash + 1, &end, 10);
	if (*end != '\0' || end == slash + 1 || bits < 0 || bits > max)
		return -1;
	c->bits = (uint8_t)bits;
	/* Clear host bits so that 10.1.2.3/8 means 10.0.0.0/8. */
	for (int i = c->bits; i < max; i++)
		c->addr.b[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
	return 0;
}

bool
ns_cidr_contains(const struct ns_cidr *c, const struct ns_addr *a)
{
	/* Masked words, not a memcmp of bits / 8 bytes. */
	unsigned bits = c->bits;

	if (a->af != c->addr.af)
		return false;
	if (a->af == 4) {
		uint32_t x, y;

		memcpy(&x, a->b, 4);
		memcpy(&y, c->addr.b, 4);
		return bits == 0 || ((ntohl(x ^ y) >> (32 - (bits > 32 ? 32 : bits))) == 0);
	}
	for (int half = 0; half < 2; half++, bits = bits > 64 ? bits - 64 : 0) {
		uint64_t x, y;

		if (bits == 0)
			return true;
		memcpy(&x, a->b + 8 * half, 8);
		memcpy(&y, c->addr.b + 8 * half, 8);
		if ((be64toh(x ^ y) >> (64 - (bits > 64 ? 64 : bits))) != 0)
			return false;
	}
	return true;
}

const char *
ns_cidr_fmt(const struct ns_cidr *c, char *buf, size_t len)
{
	char a[NS_ADDRSTRLEN];

	snprintf(buf, len, "%s/%u", ns_addr_fmt(&c->addr, a, sizeof(a)), c->bits);
	return buf;
}
