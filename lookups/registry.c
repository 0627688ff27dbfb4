/*
 * The registries (lookups/registry.h). The table is IANA's bootstrap
 * (RFC 9224), embedded: there is no network at start-up to fetch it, and
 * the RIRs redirect queries for each other's space anyway, so a stale
 * table costs one redirect, not a wrong answer.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/util.h"
#include "lookups/registry.h"

enum { ARIN, RIPE, APNIC, LACNIC, AFRINIC };

static const struct rir rirs[] = {
	[ARIN] = { "ARIN", "https://rdap.arin.net/registry/", "whois.arin.net" },
	[RIPE] = { "RIPE NCC", "https://rdap.db.ripe.net/", "whois.ripe.net" },
	[APNIC] = { "APNIC", "https://rdap.apnic.net/", "whois.apnic.net" },
	[LACNIC] = { "LACNIC", "https://rdap.lacnic.net/rdap/", "whois.lacnic.net" },
	[AFRINIC] = { "AFRINIC", "https://rdap.afrinic.net/rdap/", "whois.afrinic.net" },
};

/*
 * IANA's IPv4 bootstrap, one letter per /8: A ARIN, R RIPE NCC, P APNIC,
 * L LACNIC, F AFRINIC, - none (reserved, private, multicast).
 */
static const char v4_by_8[] =
    "-PRAARAAAA-AAAPAAAAAAAAAARAPAAAR"	/*   0- 31 */
    "AAAAPRAPAFPPAARAAPARARAAARPPPPRA"	/*  32- 63 */
    "AAAAAAAAAAAAARRRRRRRRRRRRRRRRRRR"	/*  64- 95 */
    "AAAAAPFPAFPAARPPPPPPPPPPPPPPPPP-"	/*  96-127 */
    "AAAAAPAAAAAAARAAARAAAAPRAPFAAAAA"	/* 128-159 */
    "AAAPAAAAAAAPAAAPRLRLPLPPARLLRLLL"	/* 160-191 */
    "ARRRFFAALLPPAAAAAAPPRRAAARPPPPPP"	/* 192-223 */
    "--------------------------------";	/* 224-255 */

/* IANA's IPv6 bootstrap: prefix (first 32 bits), length, registry. */
static const struct {
	uint32_t prefix;
	uint8_t len;
	uint8_t rir;
} v6_blocks[] = {
	{ 0x20010200, 23, APNIC }, { 0x20010400, 23, ARIN }, { 0x20010600, 23, RIPE },
	{ 0x20010800, 22, RIPE }, { 0x20010c00, 23, APNIC }, { 0x20010e00, 23, APNIC },
	{ 0x20011200, 23, LACNIC }, { 0x20011400, 22, RIPE }, { 0x20011800, 23, ARIN },
	{ 0x20011a00, 23, RIPE }, { 0x20011c00, 22, RIPE }, { 0x20012000, 19, RIPE },
	{ 0x20014000, 23, RIPE }, { 0x20014200, 23, AFRINIC }, { 0x20014400, 23, APNIC },
	{ 0x20014600, 23, RIPE }, { 0x20014800, 23, ARIN }, { 0x20014a00, 23, RIPE },
	{ 0x20014c00, 23, RIPE }, { 0x20015000, 20, RIPE }, { 0x20018000, 19, APNIC },
	{ 0x2001a000, 20, APNIC }, { 0x2001b000, 20, APNIC }, { 0x20030000, 18, RIPE },
	{ 0x24000000, 12, APNIC }, { 0x24100000, 12, APNIC }, { 0x26000000, 12, ARIN },
	{ 0x26100000, 23, ARIN }, { 0x26200000, 23, ARIN }, { 0x26300000, 12, ARIN },
	{ 0x28000000, 12, LACNIC }, { 0x2a000000, 12, RIPE }, { 0x2a100000, 12, RIPE },
	{ 0x2c000000, 12, AFRINIC },
};

const struct rir *
reg_rir(const struct ns_addr *a)
{
	if (a->af == 4) {
		switch (v4_by_8[a->b[0]]) {
		case 'A': return &rirs[ARIN];
		case 'R': return &rirs[RIPE];
		case 'P': return &rirs[APNIC];
		case 'L': return &rirs[LACNIC];
		case 'F': return &rirs[AFRINIC];
		default: return NULL;
		}
	}
	if (a->af == 6) {
		uint32_t top = (uint32_t)a->b[0] << 24 | (uint32_t)a->b[1] << 16 |
		    (uint32_t)a->b[2] << 8 | a->b[3];
		const struct rir *best = NULL;
		int bestlen = -1;

		for (size_t i = 0; i < NS_ARRAY_LEN(v6_blocks); i++) {
			uint32_t mask = ~0u << (32 - v6_blocks[i].len);

			if ((top & mask) == v6_blocks[i].prefix && v6_blocks[i].len > bestlen) {
				best = &rirs[v6_blocks[i].rir];
				bestlen = v6_blocks[i].len;
			}
		}
		/* Global unicast outside the table: ARIN will redirect. */
		if (best == NULL && (a->b[0] & 0xe0) == 0x20)
			best = &rirs[ARIN];
		return best;
	}
	return NULL;
}

bool
reg_is_whois_server(const char *host)
{
	for (size_t i = 0; i < NS_ARRAY_LEN(rirs); i++)
		if (strcasecmp(rirs[i].whois, host) == 0)
			return true;
	return false;
}

static int
addr_bits(const struct ns_addr *a)
{
	return a->af == 4 ? 32 : 128;
}

static int
bit(const struct ns_addr *a, int i)
{
	return (a->b[i / 8] >> (7 - i % 8)) & 1;
}

void
reg_range_fmt(const struct ns_addr *lo, const struct ns_addr *hi, char *buf,
    size_t len)
{
	char a[NS_ADDRSTRLEN], b[NS_ADDRSTRLEN];
	int max = addr_bits(lo), p = 0, i;

	if (lo->af != hi->af || ns_addr_cmp(lo, hi) > 0) {
		snprintf(buf, len, "%s - %s", ns_addr_fmt(lo, a, sizeof(a)),
		    ns_addr_fmt(hi, b, sizeof(b)));
		return;
	}
	while (p < max && bit(lo, p) == bit(hi, p))
		p++;
	for (i = p; i < max; i++)
		if (bit(lo, i) != 0 || bit(hi, i) != 1)
			break;
	if (i == max)
		snprintf(buf, len, "%s/%d", ns_addr_fmt(lo, a, sizeof(a)), p);
	else
		snprintf(buf, len, "%s - %s", ns_addr_fmt(lo, a, sizeof(a)),
		    ns_addr_fmt(hi, b, sizeof(b)));
}

static void
trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (isspace((unsigned char)s[i]))
		i++;
	memmove(s, s + i, n - i + 1);
}

int
reg_range_parse(const char *s, struct ns_addr *lo, struct ns_addr *hi)
{
	char buf[2 * NS_ADDRSTRLEN + 8], *dash;
	struct ns_cidr c;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	if ((dash = strchr(buf, '-')) != NULL) {
		*dash = '\0';
		trim(buf);
		trim(dash + 1);
		if (ns_addr_parse(lo, buf) != 0 || ns_addr_parse(hi, dash + 1) != 0 ||
		    lo->af != hi->af || ns_addr_cmp(lo, hi) > 0)
			return -1;
		return 0;
	}
	trim(buf);
	if (ns_cidr_parse(&c, buf) != 0)
		return -1;
	*lo = *hi = c.addr;
	for (int i = c.bits; i < addr_bits(&c.addr); i++)
		hi->b[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	return 0;
}

void
reg_add_abuse(struct lk_rdap *out, const char *s, size_t len)
{
	char buf[sizeof(out->abuse[0])];

	if (len >= 7 && strncasecmp(s, "mailto:", 7) == 0) {
		s += 7;
		len -= 7;
	} else if (len >= 4 && strncasecmp(s, "tel:", 4) == 0) {
		s += 4;
		len -= 4;
	}
	ns_printable(buf, sizeof(buf), s, len);
	trim(buf);
	if (buf[0] == '\0' || out->n_abuse >= LK_MAX_ABUSE)
		return;
	for (int i = 0; i < out->n_abuse; i++)
		if (strcasecmp(out->abuse[i], buf) == 0)
			return;
	strcpy(out->abuse[out->n_abuse++], buf);
}
