#include "config.h"

#include <string.h>

#include "common/addr.h"
#include "common/netfmt.h"

const char *
ns_proto_name(uint8_t p)
{
	switch (p) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 58: return "icmp6";
	default: return "ip";
	}
}

/*
 * RFC 5905 section 7.3: at stratum 0 the reference id is a kiss code
 * ("RATE", "DENY"), at stratum 1 the name of the primary reference
 * ("GPS", "PPS"): up to four ASCII characters, NUL-padded. Anything else
 * in them is shown as '?': they come from the network and reach the
 * terminal. Above stratum 1 it names the server's own reference: its
 * IPv4 address, or for an IPv6 reference the first four octets of the
 * MD5 hash of the address, which cannot be turned back into one and is
 * shown in hex ("0x1a2b3c4d").
 *
 * The packet does not say which of the two it is. A server asked over
 * IPv6 (af 6) is taken to use an IPv6 reference; over IPv4, or when the
 * family is not known, it is an address unless it cannot be one: an
 * NTPv4 id in 0.0.0.0/8, which no source address is in, is a hash.
 * (NTPv3, RFC 1305, had only the IPv4 form.) The limit accepted: a
 * dual-stack server whose reference is of the other family is shown
 * wrongly, as ntpq shows it too.
 *
 * By hand, not snprintf: the analysis formats the id of every client
 * request and server reply, on the per-packet path (BENCHMARKS.md,
 * "History": dbf1755).
 */
void
ns_refid_fmt(char *buf, const uint8_t r[4], int stratum, int version, int af)
{
	static const char hex[] = "0123456789abcdef";

	if (stratum <= 1) {
		int i;

		for (i = 0; i < 4 && r[i] != 0; i++)
			buf[i] = (r[i] >= 0x20 && r[i] < 0x7f) ? (char)r[i] : '?';
		buf[i] = '\0';
	} else if (af != 6 && (version <= 3 || r[0] != 0)) {
		struct ns_addr a = { .af = 4 };

		memcpy(a.b, r, 4);
		ns_addr_fmt(&a, buf, NS_REFIDSTRLEN);
	} else {
		char *o = buf;

		*o++ = '0';
		*o++ = 'x';
		for (int i = 0; i < 4; i++) {
			*o++ = hex[r[i] >> 4];
			*o++ = hex[r[i] & 15];
		}
		*o = '\0';
	}
}
