/*
 * The serialized packets of a firewall log (capture/fwframe.h). Every
 * number is big-endian:
 *
 *   0      1      2      3      4      5      6      7
 *  +------+------+------+------+------+------+------+------+
 *  | ver  |ipver |proto |flags |tcpflg|icmp t|icmp c|action|
 *  +------+------+------+------+------+------+------+------+
 *  |          ip_len           |   ip_id     |   sport     |  8
 *  +------+------+------+------+------+------+------+------+
 *  |   dport     |        payload_len        |q.prot|  0   |  16
 *  +------+------+------+------+------+------+------+------+
 *  | src: af, 16 bytes | dst: af, 16 bytes                 |  24
 *  | quoted src: af, 16 | quoted dst: af, 16               |  58
 *  +------+------+------+------+------+------+------+------+
 *  | q.sport     | q.dport     |  rule_len   |                 92
 *  +------+------+------+------+------+------+------+------+
 *  | the rule text, rule_len bytes, not NUL-terminated ...    98
 *  with flag 0x40 (sFlow's sampled headers; a log line has none), then:
 *  | payload_caplen | the transport payload as captured ...
 *
 * flags: 0x01 has_ports, 0x02 fragment, 0x04 later_fragment,
 * 0x08 icmp_error, 0x10 quoted.valid, 0x20 quoted.has_ports, 0x40 payload,
 * 0x80 vantage (the rule text names a flow exporter).
 */
#include "config.h"

#include <string.h>

#include "common/cursor.h"
#include "capture/fwframe.h"

#define FWFRAME_VERSION 1

enum {
	F_PORTS = 0x01, F_FRAG = 0x02, F_LATER = 0x04, F_ICMPERR = 0x08,
	F_QVALID = 0x10, F_QPORTS = 0x20, F_PAYLOAD = 0x40, F_VANTAGE = 0x80,
};

static uint8_t *
put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
	return b + 2;
}

static uint8_t *
put32(uint8_t *b, uint32_t v)
{
	b = put16(b, (uint16_t)(v >> 16));
	return put16(b, (uint16_t)v);
}

static uint8_t *
put_addr(uint8_t *b, const struct ns_addr *a)
{
	b[0] = a->af;
	memcpy(b + 1, a->b, 16);
	return b + 17;
}

size_t
fwframe_encode(const struct pkt *p, uint8_t *buf, size_t len)
{
	uint8_t *b = buf;
	size_t rule = p->rule != NULL ? p->rule_len : 0;
	size_t pay = p->payload != NULL ? p->payload_caplen : 0;

	if (len < FWFRAME_HDR)
		return 0;
	if (rule > len - FWFRAME_HDR)
		rule = len - FWFRAME_HDR;
	if (pay > 0 && len - FWFRAME_HDR - rule < 2 + pay)
		pay = len - FWFRAME_HDR - rule < 3 ? 0 : len - FWFRAME_HDR - rule - 2;
	if (pay > UINT16_MAX)
		pay = UINT16_MAX;
	*b++ = FWFRAME_VERSION;
	*b++ = p->ipver;
	*b++ = p->proto;
	*b++ = (uint8_t)((p->has_ports ? F_PORTS : 0) | (p->fragment ? F_FRAG : 0) |
	    (p->later_fragment ? F_LATER : 0) | (p->icmp_error ? F_ICMPERR : 0) |
	    (p->quoted.valid ? F_QVALID : 0) | (p->quoted.has_ports ? F_QPORTS : 0) |
	    (pay > 0 ? F_PAYLOAD : 0) | (p->vantage ? F_VANTAGE : 0));
	*b++ = p->tcp_flags;
	*b++ = p->icmp_type;
	*b++ = p->icmp_code;
	*b++ = p->fw_action;
	b = put32(b, p->ip_len);
	b = put16(b, p->ip_id);
	b = put16(b, p->sport);
	b = put16(b, p->dport);
	b = put32(b, p->payload_len);
	*b++ = p->quoted.proto;
	*b++ = 0;
	b = put_addr(b, &p->src);
	b = put_addr(b, &p->dst);
	b = put_addr(b, &p->quoted.src);
	b = put_addr(b, &p->quoted.dst);
	b = put16(b, p->quoted.sport);
	b = put16(b, p->quoted.dport);
	b = put16(b, (uint16_t)rule);
	if (rule > 0)
		memcpy(b, p->rule, rule);
	if (pay == 0)
		return (size_t)(b - buf) + rule;
	b += rule;
	b = put16(b, (uint16_t)pay);
	memcpy(b, p->payload, pay);
	return (size_t)(b - buf) + pay;
}

/* An address, refused unless of family 0, 4 or 6 (IPv4: the rest zero). */
static bool
get_addr(struct cur *c, size_t off, struct ns_addr *a)
{
	const uint8_t zero[12] = { 0 };

	if (!cur_has(c, off, 17))
		return false;
	a->af = c->p[off];
	memcpy(a->b, c->p + off + 1, 16);
	if (a->af == 0)
		return memcmp(a->b, zero, 12) == 0 && memcmp(a->b + 12, zero, 4) == 0;
	if (a->af == 4)
		return memcmp(a->b + 4, zero, 12) == 0;
	return a->af == 6;
}

enum pkt_err
fwframe_decode(struct pkt *p, const uint8_t *data, uint32_t caplen)
{
	struct cur c;
	uint8_t flags;
	uint16_t rule;

	cur_init(&c, data, caplen);
	if (!cur_has(&c, 0, FWFRAME_HDR) || get_u8(&c, 0) != FWFRAME_VERSION)
		goto bad;
	p->ipver = get_u8(&c, 1);
	if (p->ipver != 4 && p->ipver != 6)
		goto bad;
	p->proto = get_u8(&c, 2);
	flags = get_u8(&c, 3);
	p->has_ports = flags & F_PORTS;
	p->fragment = flags & F_FRAG;
	p->later_fragment = flags & F_LATER;
	p->icmp_error = flags & F_ICMPERR;
	p->quoted.valid = flags & F_QVALID;
	p->quoted.has_ports = flags & F_QPORTS;
	p->vantage = flags & F_VANTAGE;
	p->tcp_flags = get_u8(&c, 4);
	p->icmp_type = get_u8(&c, 5);
	p->icmp_code = get_u8(&c, 6);
	p->fw_action = get_u8(&c, 7);
	p->ip_len = get_be32(&c, 8);
	p->ip_id = get_be16(&c, 12);
	p->sport = get_be16(&c, 14);
	p->dport = get_be16(&c, 16);
	p->payload_len = get_be32(&c, 18);
	p->quoted.proto = get_u8(&c, 22);
	if (!get_addr(&c, 24, &p->src) || !get_addr(&c, 41, &p->dst) ||
	    !get_addr(&c, 58, &p->quoted.src) || !get_addr(&c, 75, &p->quoted.dst))
		goto bad;
	if (p->src.af != p->ipver || p->dst.af != p->ipver)
		goto bad;
	p->quoted.sport = get_be16(&c, 92);
	p->quoted.dport = get_be16(&c, 94);
	rule = get_be16(&c, 96);
	if (!cur_has(&c, FWFRAME_HDR, rule))
		goto bad;
	p->rule = rule > 0 ? (const char *)data + FWFRAME_HDR : NULL;
	p->rule_len = rule;
	p->payload = NULL;
	p->payload_caplen = 0;
	if (flags & F_PAYLOAD) {
		size_t at = FWFRAME_HDR + (size_t)rule;

		p->payload_caplen = get_be16(&c, at);
		if (c.trunc || p->payload_caplen == 0 || p->payload_caplen > p->payload_len ||
		    caplen != at + 2 + p->payload_caplen)
			goto bad;	/* cut, or more payload bytes than the packet had */
		p->payload = data + at + 2;
	} else if (caplen != FWFRAME_HDR + (uint32_t)rule) {
		goto bad;
	}
	/*
	 * A log line has no packet bytes; a sampled header's payload
	 * travels in the frame, which keeps it while the packet waits.
	 */
	p->frame = p->payload != NULL ? data : NULL;
	return p->err = PKT_OK;
bad:
	p->ipver = 0;
	p->err_what = "firewall log record cut short or malformed";
	return p->err = PKT_ERR_LINK;
}
