/*
 * Frame decoding: link layer (Ethernet, Linux cooked, raw IP, loopback,
 * NFLOG), IPv4/IPv6, TCP/UDP/ICMP/ICMPv6.
 * Every byte is read through common/cursor.h.
 */
#include "config.h"

#include <string.h>

#include <pcap/pcap.h>

#include "common/util.h"
#include "common/cursor.h"
#include "capture/decode.h"
#include "capture/fwframe.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif
#ifndef DLT_NFLOG
#define DLT_NFLOG 239
#endif

#define ETHERTYPE_IP 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100

#define IPPROTO_ICMP_ 1
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define IPPROTO_ICMPV6_ 58
#define IPPROTO_SCTP_ 132

static enum pkt_err
fail(struct pkt *p, enum pkt_err e, const char *what)
{
	p->err = e;
	p->err_what = what;
	return e;
}

/*
 * TCP, RFC 9293 section 3.1:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * |                        Sequence Number                        |
 * |                    Acknowledgment Number                      |
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |           Checksum            |         Urgent Pointer        |
 *
 * UDP, RFC 768:
 * |     Source Port     |   Destination Port  |
 * |       Length        |       Checksum      |
 */
static enum pkt_err
decode_l4(struct pkt *p, struct cur *c, uint32_t l4len)
{
	switch (p->proto) {
	case IPPROTO_TCP_: {
		uint8_t off;

		p->sport = get_be16(c, 0);
		p->dport = get_be16(c, 2);
		if (c->trunc)
			return fail(p, PKT_ERR_L4, "TCP header cut short");
		/* An ICMP error quotes only 8 bytes: ports, but no flags. */
		p->has_ports = true;
		off = (uint8_t)((get_u8(c, 12) >> 4) * 4);
		p->tcp_flags = get_u8(c, 13);
		if (c->trunc && p->fragment && l4len < 14) {
			/* The fragment ends before the flags: they are in the next. */
			c->trunc = false;
			p->tcp_flags = 0;
			p->tcp_split = true;
			return PKT_OK;
		}
		if (c->trunc)
			return fail(p, PKT_ERR_L4, "TCP header cut short");
		if (off < 20)
			return fail(p, PKT_ERR_L4, "TCP data offset below 20 bytes");
		p->payload_len = l4len > off ? l4len - off : 0;
		if (cur_advance(c, off)) {
			p->payload = c->p;
			p->payload_caplen = (uint32_t)cur_left(c);
		}
		c->trunc = false;
		return PKT_OK;
	}
	case IPPROTO_UDP_: {
		uint16_t ulen;
		uint32_t avail = l4len >= 8 ? l4len - 8 : 0, claimed;

		p->sport = get_be16(c, 0);
		p->dport = get_be16(c, 2);
		ulen = get_be16(c, 4);
		if (c->trunc)
			return fail(p, PKT_ERR_L4, "UDP header cut short");
		p->has_ports = true;
		/* Trust the smaller of the UDP and IP lengths, as tcpdump does. */
		claimed = ulen >= 8 ? ulen - 8u : avail;
		p->payload_len = claimed < avail ? claimed : avail;
		/* Cut inside the checksum: the ports count, there is no payload. */
		if (!cur_advance(c, 8)) {
			c->trunc = false;
			return PKT_OK;
		}
		cur_limit(c, p->payload_len);
		p->payload = c->p;
		p->payload_caplen = (uint32_t)cur_left(c);
		return PKT_OK;
	}
	case IPPROTO_SCTP_:
		/*
		 * SCTP, RFC 9260 section 3.1: ports as TCP's, a verification
		 * tag and a checksum, then the chunks (the payload here). nmap
		 * -sY probes them with INIT chunks: without ports, a scan of
		 * SCTP ports was a flood at one address (the sixth held-out
		 * check).
		 */
		p->sport = get_be16(c, 0);
		p->dport = get_be16(c, 2);
		if (c->trunc)
			return fail(p, PKT_ERR_L4, "SCTP header cut short");
		p->has_ports = true;
		p->payload_len = l4len > 12 ? l4len - 12 : 0;
		if (cur_advance(c, 12)) {
			p->payload = c->p;
			p->payload_caplen = (uint32_t)cur_left(c);
		}
		c->trunc = false;
		return PKT_OK;
	default:
		p->payload = c->p;
		p->payload_caplen = (uint32_t)cur_left(c);
		p->payload_len = l4len;
		return PKT_OK;
	}
}

static enum pkt_err decode_ip(struct pkt *, struct cur *, bool quoted);

/*
 * ICMP, RFC 792: type, code, checksum, 4 bytes that depend on the type,
 * then for errors (3 unreachable, 4 source quench, 5 redirect,
 * 11 time exceeded, 12 parameter problem) the IP header and at least 8
 * bytes of the datagram that caused it.
 * ICMPv6, RFC 4443: errors are types 1-4, quoting as much of the invoking
 * packet as fits.
 */
static void
decode_icmp(struct pkt *p, struct cur *c)
{
	bool err;
	struct pkt inner;
	struct cur q;

	p->icmp_type = get_u8(c, 0);
	p->icmp_code = get_u8(c, 1);
	if (p->proto == IPPROTO_ICMP_)
		err = p->icmp_type == 3 || p->icmp_type == 4 || p->icmp_type == 5 ||
		    p->icmp_type == 11 || p->icmp_type == 12;
	else
		err = p->icmp_type >= 1 && p->icmp_type <= 4;
	p->icmp_error = err;
	if (p->icmp_type == 0 || p->icmp_type == 8 || p->icmp_type == 128 ||
	    p->icmp_type == 129)
		p->sport = p->dport = get_be16(c, 4);	/* echo identifier */
	if (!err || !cur_has(c, 0, 8))
		return;
	q = *c;
	cur_advance(&q, 8);
	memset(&inner, 0, sizeof(inner));
	decode_ip(&inner, &q, true);
	if (inner.ipver == 0)
		return;
	p->quoted.valid = true;
	p->quoted.proto = inner.proto;
	p->quoted.src = inner.src;
	p->quoted.dst = inner.dst;
	p->quoted.has_ports = inner.has_ports;
	p->quoted.sport = inner.sport;
	p->quoted.dport = inner.dport;
}

/*
 * IPv4, RFC 791 section 3.1:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * |         Identification        |Flags|      Fragment Offset    |
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * |                       Source Address                          |
 * |                    Destination Address                        |
 * |                    Options                    |    Padding    |
 */
static enum pkt_err
decode_ipv4(struct pkt *p, struct cur *c, bool quoted)
{
	uint8_t ihl;
	uint16_t total, frag;
	const uint8_t *s, *d;

	ihl = (uint8_t)((get_u8(c, 0) & 0x0f) * 4);
	total = get_be16(c, 2);
	p->ip_id = get_be16(c, 4);
	frag = get_be16(c, 6);
	p->proto = get_u8(c, 9);
	s = get_bytes(c, 12, 4);
	d = get_bytes(c, 16, 4);
	if (c->trunc)
		return fail(p, PKT_ERR_IP, "IPv4 header cut short");
	p->ipver = 4;
	ns_addr_set4(&p->src, s);
	ns_addr_set4(&p->dst, d);
	if (ihl < 20)
		return fail(p, PKT_ERR_IP, "IPv4 header length below 20 bytes");
	/*
	 * A quoted header may carry a total length larger than what was
	 * quoted; a TSO-offloaded capture may carry 0. Fall back to the
	 * captured length then.
	 */
	if (total == 0 && !quoted)
		total = (uint16_t)NS_MIN(cur_left(c), 0xffff);
	if (total < ihl)
		return fail(p, PKT_ERR_IP, "IPv4 total length below header length");
	p->ip_len = total;
	if (frag & 0x3fff) {
		p->fragment = true;
		p->later_fragment = (frag & 0x1fff) != 0;
	}
	if (!cur_advance(c, ihl)) {
		c->trunc = false;
		return fail(p, PKT_ERR_IP, "IPv4 options cut short");
	}
	if (!quoted)
		cur_limit(c, (size_t)(total - ihl));
	if (p->later_fragment) {
		p->payload = c->p;
		p->payload_caplen = (uint32_t)cur_left(c);
		return PKT_OK;
	}
	if (p->proto == IPPROTO_ICMP_) {
		decode_icmp(p, c);
		if (c->trunc && !quoted)
			return fail(p, PKT_ERR_L4, "ICMP header cut short");
		return PKT_OK;
	}
	return decode_l4(p, c, (uint32_t)(total - ihl));
}

/*
 * IPv6, RFC 8200 section 3:
 * |Version| Traffic Class |           Flow Label                  |
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * |                     Source Address (128 bits)                 |
 * |                  Destination Address (128 bits)               |
 * Extension headers (section 4) are walked until an upper layer.
 */
static enum pkt_err
decode_ipv6(struct pkt *p, struct cur *c, bool quoted)
{
	uint16_t plen;
	uint8_t nh;
	const uint8_t *s, *d;
	uint32_t left;
	int guard;

	plen = get_be16(c, 4);
	nh = get_u8(c, 6);
	s = get_bytes(c, 8, 16);
	d = get_bytes(c, 24, 16);
	if (c->trunc)
		return fail(p, PKT_ERR_IP, "IPv6 header cut short");
	p->ipver = 6;
	ns_addr_set6(&p->src, s);
	ns_addr_set6(&p->dst, d);
	/* A jumbogram (payload length 0, RFC 2675) counts what was captured. */
	if (plen == 0 && !quoted)
		plen = (uint16_t)NS_MIN(cur_left(c) > 40 ? cur_left(c) - 40 : 0, 0xffff);
	p->ip_len = 40u + plen;
	cur_advance(c, 40);
	if (!quoted)
		cur_limit(c, plen);
	left = plen;
	for (guard = 0; guard < 16; guard++) {
		uint32_t hlen;

		switch (nh) {
		case 0:		/* hop-by-hop */
		case 43:	/* routing */
		case 60:	/* destination options */
		case 135:	/* mobility */
		case 139:	/* HIP */
		case 140:	/* shim6 */
			hlen = ((uint32_t)get_u8(c, 1) + 1) * 8;
			break;
		case 44: {	/* fragment: next, reserved, offset+flags, id */
			uint16_t off = get_be16(c, 2);

			p->fragment = true;
			p->frag_id6 = get_be32(c, 4);
			p->later_fragment = (off & 0xfff8) != 0;
			hlen = 8;
			break;
		}
		case 51:	/* AH: length in 4-byte units minus 2 */
			hlen = ((uint32_t)get_u8(c, 1) + 2) * 4;
			break;
		default:
			goto upper;
		}
		{
			uint8_t next = get_u8(c, 0);

			if (c->trunc || hlen > left || !cur_advance(c, hlen)) {
				c->trunc = false;
				return fail(p, PKT_ERR_IP, "IPv6 extension header cut short");
			}
			nh = next;
			left -= hlen;
		}
		if (p->later_fragment) {
			p->proto = nh;
			p->payload = c->p;
			p->payload_caplen = (uint32_t)cur_left(c);
			return PKT_OK;
		}
	}
	return fail(p, PKT_ERR_IP, "IPv6 extension header chain too long");
upper:
	p->proto = nh;
	if (nh == IPPROTO_ICMPV6_) {
		decode_icmp(p, c);
		if (c->trunc && !quoted)
			return fail(p, PKT_ERR_L4, "ICMPv6 header cut short");
		return PKT_OK;
	}
	return decode_l4(p, c, left);
}

static enum pkt_err
decode_ip(struct pkt *p, struct cur *c, bool quoted)
{
	uint8_t v = get_u8(c, 0) >> 4;

	if (c->trunc)
		return fail(p, PKT_ERR_IP, "IP header cut short");
	if (v == 4)
		return decode_ipv4(p, c, quoted);
	if (v == 6)
		return decode_ipv6(p, c, quoted);
	return fail(p, PKT_ERR_IP, "IP version is neither 4 nor 6");
}

/*
 * ARP (RFC 826) for IPv4 over Ethernet: hardware type 1, protocol 0x0800,
 * lengths 6 and 4; the sender's protocol address follows its hardware
 * address. Not IP, but it says which addresses are on the captured
 * segment (a host beyond a router never ARPs there).
 */
static void
decode_arp(struct pkt *p, struct cur *c)
{
	if (!cur_has(c, 0, 28) || get_be16(c, 0) != 1 || get_be16(c, 2) != ETHERTYPE_IP ||
	    get_u8(c, 4) != 6 || get_u8(c, 5) != 4)
		return;
	p->arp = true;
	memset(&p->arp_sender, 0, sizeof(p->arp_sender));
	p->arp_sender.af = 4;
	for (int i = 0; i < 4; i++)
		p->arp_sender.b[i] = get_u8(c, 14 + (size_t)i);
}

static enum pkt_err
decode_ethertype(struct pkt *p, struct cur *c, uint16_t type)
{
	if (type == ETHERTYPE_IP || type == ETHERTYPE_IPV6)
		return decode_ip(p, c, false);
	if (type == ETHERTYPE_ARP)
		decode_arp(p, c);
	p->err = PKT_NOT_IP;
	return PKT_NOT_IP;
}

/*
 * Ethernet II: destination (6), source (6), EtherType (2); IEEE 802.1Q
 * and 802.1ad (QinQ) tags insert TPID (2) and TCI (2) before the
 * EtherType, possibly several times.
 */
static enum pkt_err
decode_ether(struct pkt *p, struct cur *c)
{
	uint16_t type = get_be16(c, 12);
	int tags;

	if (c->trunc || !cur_advance(c, 14))
		return fail(p, PKT_ERR_LINK, "Ethernet header cut short");
	for (tags = 0; tags < 8 && (type == ETHERTYPE_VLAN ||
	    type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD); tags++) {
		type = get_be16(c, 2);
		if (c->trunc || !cur_advance(c, 4))
			return fail(p, PKT_ERR_LINK, "802.1Q tag cut short");
	}
	return decode_ethertype(p, c, type);
}

/* NFLOG attribute types (linux/netfilter/nfnetlink_log.h, pcap/nflog.h). */
#define NFULA_PACKET_HDR 1
#define NFULA_TIMESTAMP 3
#define NFULA_IFINDEX_INDEV 4
#define NFULA_IFINDEX_OUTDEV 5
#define NFULA_PAYLOAD 9
#define NFULA_PREFIX 10
/* The type without netlink's NLA_F_NESTED and NLA_F_NET_BYTEORDER bits. */
#define NLA_TYPE_MASK 0x3fff

/* Protocol families of the header: the hooks are the NF_INET_* ones. */
#define NFPROTO_IPV4_ 2
#define NFPROTO_BRIDGE_ 7
#define NFPROTO_IPV6_ 10

/*
 * How much earlier than its capture time an NFLOG frame's own timestamp
 * may be and still be taken: the kernel sends a group's messages in
 * batches, by default once a second, and libpcap stamps a batch when it
 * reads it. A stamp outside [capture time - 60 s, capture time + 1 s] is
 * from a clock we cannot vouch for (or a crafted frame) and is ignored.
 */
#define NFLOG_TS_BEFORE 60.0
#define NFLOG_TS_AFTER 1.0

/*
 * NFLOG, LINKTYPE_NFLOG 239 (pcap-linktype(7), libpcap's pcap/nflog.h):
 * what the kernel's nfnetlink_log sends the listener of a `log group N`
 * (nftables) or `-j NFLOG --nflog-group N` (iptables) rule.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Family     |   Version 0   |  Resource ID (group), big end |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Length (host byte order)   |     Type (host byte order)    |  TLV
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Value (Length - 4 bytes), padded to a multiple of 4 ...      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  more TLVs ...                                                |
 *
 * Values are in network byte order. Read here: NFULA_PACKET_HDR
 * (hw_protocol 2 bytes, hook 1, pad 1), NFULA_TIMESTAMP (seconds and
 * microseconds, 8 bytes each), NFULA_IFINDEX_INDEV and _OUTDEV (4 bytes
 * each), NFULA_PREFIX (the rule's prefix, NUL-terminated) and
 * NFULA_PAYLOAD (the packet from its network header); the first of each
 * counts. The timestamp, when the caller gave p->ts and it is close
 * enough before it (NFLOG_TS_BEFORE), replaces p->ts: it is when the
 * kernel logged the packet, while the capture time is when the batch it
 * came in was read, up to a second later. The kernel writes the payload last, so a snapshot length cuts
 * it and nothing else: a payload running past the end is decoded as far
 * as it was captured, like any frame cut short, while any other TLV that
 * does, a length below 4 and 1 to 3 bytes left over after the last TLV
 * are a broken frame.
 */
static enum pkt_err
decode_nflog(struct pkt *p, struct cur *c)
{
	uint8_t family = get_u8(c, 0), version = get_u8(c, 1), hook = 0xff;
	uint16_t hw = 0;
	double ts = 0;
	const uint8_t *pl = NULL, *prefix = NULL;
	size_t pl_len = 0, prefix_len = 0;
	struct cur pc;

	if (c->trunc || !cur_advance(c, 4))
		return fail(p, PKT_ERR_LINK, "NFLOG header cut short");
	if (version != 0)
		return fail(p, PKT_ERR_LINK, "NFLOG version is not 0");
	p->rule = NULL;
	p->rule_len = 0;
	p->in_ifindex = p->out_ifindex = 0;
	while (cur_left(c) > 0) {
		uint16_t len = get_he16(c, 0);
		uint16_t type = get_he16(c, 2) & NLA_TYPE_MASK;
		const uint8_t *v;
		size_t vlen, step;

		if (c->trunc)
			return fail(p, PKT_ERR_LINK, "NFLOG attribute header cut short");
		if (len < 4)
			return fail(p, PKT_ERR_LINK, "NFLOG attribute length below 4 bytes");
		vlen = len - 4u;
		v = get_bytes(c, 4, vlen);
		if (v == NULL) {
			if (type != NFULA_PAYLOAD)
				return fail(p, PKT_ERR_LINK, "NFLOG attribute runs past the frame");
			c->trunc = false;
			if (pl == NULL) {
				pl_len = cur_left(c) - 4;
				pl = get_bytes(c, 4, pl_len);
			}
			break;
		}
		switch (type) {
		case NFULA_PACKET_HDR:
			if (vlen < 4)
				return fail(p, PKT_ERR_LINK, "NFLOG packet header attribute too short");
			hw = get_be16(c, 4);
			hook = get_u8(c, 6);
			break;
		case NFULA_TIMESTAMP:
			if (vlen < 16)
				return fail(p, PKT_ERR_LINK, "NFLOG timestamp attribute too short");
			if (ts == 0) {
				uint64_t sec = (uint64_t)get_be32(c, 4) << 32 | get_be32(c, 8);
				uint64_t usec = (uint64_t)get_be32(c, 12) << 32 | get_be32(c, 16);

				if (usec < 1000000)
					ts = (double)sec + (double)usec / 1e6;
			}
			break;
		case NFULA_IFINDEX_INDEV:
		case NFULA_IFINDEX_OUTDEV:
			if (vlen < 4)
				return fail(p, PKT_ERR_LINK, "NFLOG interface attribute too short");
			if (type == NFULA_IFINDEX_INDEV)
				p->in_ifindex = get_be32(c, 4);
			else
				p->out_ifindex = get_be32(c, 4);
			break;
		case NFULA_PREFIX:
			if (prefix == NULL) {
				const uint8_t *nul = memchr(v, '\0', vlen);

				prefix = v;
				prefix_len = nul != NULL ? (size_t)(nul - v) : vlen;
			}
			break;
		case NFULA_PAYLOAD:
			if (pl == NULL) {
				pl = v;
				pl_len = vlen;
			}
			break;
		default:
			break;
		}
		/* The last TLV's padding may be missing: nothing follows it. */
		step = ((size_t)len + 3) & ~(size_t)3;
		cur_advance(c, NS_MIN(step, cur_left(c)));
	}
	if (ts > 0 && p->ts > 0 && ts >= p->ts - NFLOG_TS_BEFORE && ts <= p->ts + NFLOG_TS_AFTER)
		p->ts = ts;
	while (prefix_len > 0 && prefix[prefix_len - 1] == ' ')
		prefix_len--;
	if (prefix_len > 0) {
		p->rule = (const char *)prefix;
		p->rule_len = (uint16_t)NS_MIN(prefix_len, 0xffff);
	}
	if ((family == NFPROTO_IPV4_ || family == NFPROTO_IPV6_ ||
	    family == NFPROTO_BRIDGE_) && hook <= 4)
		p->hook = (uint8_t)(PKT_HOOK_PREROUTING + hook);
	else
		p->hook = PKT_HOOK_NONE;
	if (pl == NULL)
		return fail(p, PKT_ERR_LINK, "NFLOG message without a payload");
	/*
	 * The family says IPv4 or IPv6 for the ip, ip6 and inet tables; a
	 * bridge or netdev table's packet says what it is in hw_protocol.
	 */
	if (family != NFPROTO_IPV4_ && family != NFPROTO_IPV6_ &&
	    hw != ETHERTYPE_IP && hw != ETHERTYPE_IPV6) {
		p->err = PKT_NOT_IP;
		return PKT_NOT_IP;
	}
	cur_init(&pc, pl, pl_len);
	return decode_ip(p, &pc, false);
}

enum pkt_err
cap_decode(struct pkt *p, int dlt, const uint8_t *data, uint32_t caplen)
{
	struct cur c;
	uint32_t fam;

	p->err = PKT_OK;
	p->err_what = NULL;
	cur_init(&c, data, caplen);
	switch (dlt) {
	case DLT_FWLOG:
		return fwframe_decode(p, data, caplen);
	case DLT_EN10MB:
		return decode_ether(p, &c);
	case DLT_LINUX_SLL:
		/* Packet type, ARPHRD, address length, 8 address bytes, protocol. */
		if (!cur_has(&c, 0, 16))
			return fail(p, PKT_ERR_LINK, "Linux cooked header cut short");
		{
			uint16_t type = get_be16(&c, 14);

			cur_advance(&c, 16);
			return decode_ethertype(p, &c, type);
		}
	case DLT_LINUX_SLL2:
		/* Protocol, reserved, ifindex, ARPHRD, packet type, address length, 8 address bytes. */
		if (!cur_has(&c, 0, 20))
			return fail(p, PKT_ERR_LINK, "Linux cooked v2 header cut short");
		{
			uint16_t type = get_be16(&c, 0);

			cur_advance(&c, 20);
			return decode_ethertype(p, &c, type);
		}
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
#ifdef DLT_RAW_OPENBSD
	case 14:
#endif
		return decode_ip(p, &c, false);
	case DLT_NULL:
	case DLT_LOOP:
		/*
		 * A 4-byte address family: host byte order of the capturing
		 * machine for NULL, network order for LOOP. Try both.
		 */
		if (!cur_has(&c, 0, 4))
			return fail(p, PKT_ERR_LINK, "loopback header cut short");
		fam = dlt == DLT_LOOP ? get_be32(&c, 0) : get_le32(&c, 0);
		if (fam > 0xffff)
			fam = dlt == DLT_LOOP ? get_le32(&c, 0) : get_be32(&c, 0);
		cur_advance(&c, 4);
		/* AF_INET is 2 everywhere; AF_INET6 is 10, 24, 28 or 30. */
		if (fam == 2 || fam == 10 || fam == 24 || fam == 28 || fam == 30)
			return decode_ip(p, &c, false);
		p->err = PKT_NOT_IP;
		return PKT_NOT_IP;
	case DLT_NFLOG:
		return decode_nflog(p, &c);
	default:
		return fail(p, PKT_ERR_LINKTYPE, "unsupported link type");
	}
}

bool
cap_dlt_supported(int dlt)
{
	switch (dlt) {
	case DLT_FWLOG:
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP:
	case DLT_NFLOG:
		return true;
	default:
		return false;
	}
}

const char *
cap_hook_name(uint8_t hook)
{
	static const char *const names[] = {
		[PKT_HOOK_PREROUTING] = "prerouting",
		[PKT_HOOK_INPUT] = "input",
		[PKT_HOOK_FORWARD] = "forward",
		[PKT_HOOK_OUTPUT] = "output",
		[PKT_HOOK_POSTROUTING] = "postrouting",
	};

	return hook < sizeof(names) / sizeof(names[0]) ? names[hook] : NULL;
}

const char *
cap_dlt_name(int dlt)
{
	const char *n = pcap_datalink_val_to_name(dlt);

	if (dlt == DLT_FWLOG)
		return "firewall log";
	return n != NULL ? n : "unknown";
}

enum pkt_err
cap_decode_frame(struct pkt *p, int source, int dlt, double ts, uint32_t frameno,
    const uint8_t *data, uint32_t caplen, uint32_t wirelen)
{
	memset(p, 0, sizeof(*p));
	p->ts = ts;
	p->caplen = caplen;
	p->wirelen = wirelen;
	p->source = source;
	p->frameno = frameno;
	p->frame = data;
	p->dlt = dlt;
	return cap_decode(p, dlt, data, caplen);
}
