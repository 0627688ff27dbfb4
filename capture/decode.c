/*
 * Frame decoding: link layer, IPv4/IPv6, TCP/UDP/ICMP/ICMPv6.
 * Every byte is read through capture/cursor.h.
 */
#include "config.h"

#include <string.h>

#include <pcap/pcap.h>

#include "common/util.h"
#include "capture/cursor.h"
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

#define ETHERTYPE_IP 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100

#define IPPROTO_ICMP_ 1
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define IPPROTO_ICMPV6_ 58

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
		cur_advance(c, 8);
		cur_limit(c, p->payload_len);
		p->payload = c->p;
		p->payload_caplen = (uint32_t)cur_left(c);
		return PKT_OK;
	}
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

static enum pkt_err
decode_ethertype(struct pkt *p, struct cur *c, uint16_t type)
{
	if (type == ETHERTYPE_IP || type == ETHERTYPE_IPV6)
		return decode_ip(p, c, false);
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
		return true;
	default:
		return false;
	}
}

const char *
cap_dlt_name(int dlt)
{
	const char *n = pcap_datalink_val_to_name(dlt);

	if (dlt == DLT_FWLOG)
		return "firewall log";
	return n != NULL ? n : "unknown";
}
