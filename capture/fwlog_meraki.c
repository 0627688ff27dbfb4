/*
 * Cisco Meraki MX syslog ("cisco-meraki"): Meraki's "Syslog Server
 * Overview and Configuration" and "Syslog Event Types and Log Samples".
 *
 *   <134>1 1732424462.123456789 MX84 flows src=A dst=B mac=M protocol=udp
 *       sport=123 dport=40123 pattern: allow all
 *   <134>1 1732424462.123456789 MX84 flows deny src=A dst=B ... (newer)
 *   ... MX84 firewall src=A dst=B ... pattern: deny all   (MX 18.101 and
 *       later; also vpn_firewall, cellular_firewall,
 *       bridge_anyconnect_client_vpn_firewall, l7_firewall)
 *   ... MX84 ip_flow_start src=A dst=B protocol=tcp sport=p dport=p
 *       translated_src_ip=T translated_port=p
 *   ... MX84 ip_flow_end src=A dst=B ...
 *
 * The stamp is the device's own, seconds since the epoch with
 * nanoseconds; a relay's header may stand before it. The action is the
 * word after the event type or the "pattern:" tail: "allow ..." or
 * "deny ...", and, for inbound rules, "1" (deny) or "0" (allow), as
 * Meraki's documentation says. Addresses are the ones the MX saw
 * (src=, dst=); the NAT translations are not used. Other Meraki event
 * types (urls, events, security_event, ids-alerts, airmarshal_events)
 * are lines of the format without traffic here.
 */
#include "config.h"

#include <string.h>

#include "common/util.h"
#include "capture/fwformat.h"

static bool
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static struct fw_span
span(const char *a, const char *b)
{
	return (struct fw_span){ a, b > a ? (size_t)(b - a) : 0 };
}

enum mk_type {
	MK_NONE,
	MK_FLOWS,		/* flows, firewall, *_firewall */
	MK_L7,			/* l7_firewall: only denies */
	MK_START,
	MK_END,
	MK_OTHER,		/* a Meraki line without traffic */
};

static enum mk_type
mk_type(struct fw_span w)
{
	static const struct {
		const char *name;
		enum mk_type t;
	} types[] = {
		{ "flows", MK_FLOWS }, { "firewall", MK_FLOWS }, { "vpn_firewall", MK_FLOWS },
		{ "cellular_firewall", MK_FLOWS },
		{ "bridge_anyconnect_client_vpn_firewall", MK_FLOWS },
		{ "l7_firewall", MK_L7 }, { "ip_flow_start", MK_START },
		{ "ip_flow_end", MK_END }, { "urls", MK_OTHER }, { "events", MK_OTHER },
		{ "security_event", MK_OTHER }, { "ids-alerts", MK_OTHER },
		{ "airmarshal_events", MK_OTHER },
	};

	for (size_t i = 0; i < NS_ARRAY_LEN(types); i++)
		if (fw_eq(w, types[i].name))
			return types[i].t;
	return MK_NONE;
}

/*
 * The epoch stamp "1732424462.123456789 " in the first bytes of the line:
 * 9 or 10 digits, a dot, 1 to 9 digits, a space. Its start, or NULL.
 */
static const char *
mk_epoch(const char *s, const char *e, double *ts, const char **after)
{
	const char *lim = e - s > 200 ? s + 200 : e, *p = s;

	while (p < lim && (p = memchr(p, '.', (size_t)(lim - p))) != NULL) {
		const char *a = p, *b = p + 1;

		while (a > s && is_digit(a[-1]) && p - a < 11)
			a--;
		while (b < e && is_digit(*b) && b - p < 11)
			b++;
		if (p - a >= 9 && p - a <= 10 && (a == s || a[-1] == ' ' || a[-1] == '>') &&
		    b - p >= 2 && b - p <= 10 && b < e && *b == ' ') {
			uint64_t sec;
			double frac = 0, scale = 0.1;

			if (!fw_uint(span(a, p), UINT64_MAX, &sec))
				return NULL;
			for (const char *q = p + 1; q < b; q++) {
				frac += (*q - '0') * scale;
				scale /= 10;
			}
			*ts = (double)sec + frac;
			*after = b + 1;
			return a;
		}
		p++;
	}
	return NULL;
}

static enum fwlog_result
mk_parse(struct fw_line *l, struct fwlog_rec *r)
{
	const char *p, *e = l->end, *q, *kv;
	struct fw_span dev, type, v;
	struct fw_pair pr[32];
	struct ns_addr src, dst;
	enum mk_type t;
	enum fwlog_result res;
	bool hp;
	uint16_t port;
	double ts;
	int n;

	if (mk_epoch(l->s, e, &ts, &p) == NULL)
		return FWR_NO;
	q = p;
	while (q < e && *q != ' ')
		q++;
	dev = span(p, q);
	if (dev.n == 0 || q >= e)
		return FWR_NO;
	p = q + 1;
	q = p;
	while (q < e && *q != ' ')
		q++;
	type = span(p, q);
	t = mk_type(type);
	if (t == MK_NONE)
		return FWR_NO;
	r->has_ts = true;
	r->p.ts = ts;
	if (t == MK_OTHER)
		return FWR_NOTRAFFIC;
	kv = q;
	/* "flows allow src=...", "flows deny src=..." */
	while (kv < e && *kv == ' ')
		kv++;
	q = kv;
	while (q < e && *q != ' ' && *q != '=')
		q++;
	if (q < e && *q == ' ') {
		struct fw_span w = span(kv, q);

		if (fw_eq(w, "allow") || fw_eq(w, "deny"))
			r->action = fw_action(w);
	}
	n = fw_kv_split(kv, e, '=', pr, (int)NS_ARRAY_LEN(pr));
	if (!fw_kv_get(pr, n, "src", &v))
		return FWR_CUT;
	hp = false;
	if ((res = fw_addr_port(v, &src, &hp, &port)) != FWR_OK)
		return res;
	if (hp) {
		r->has_sport = true;
		r->p.sport = port;
	}
	if (!fw_kv_get(pr, n, "dst", &v))
		return FWR_CUT;
	hp = false;
	if ((res = fw_addr_port(v, &dst, &hp, &port)) != FWR_OK)
		return res;
	if (hp) {
		r->has_dport = true;
		r->p.dport = port;
	}
	if ((res = fw_set_addrs(r, &src, &dst)) != FWR_OK)
		return res;
	if (!fw_kv_get(pr, n, "protocol", &v))
		return FWR_CUT;
	r->p.proto = fw_proto(v);
	if (r->p.ipver == 6 && r->p.proto == 1)
		r->p.proto = 58;
	if (fw_kv_get(pr, n, "sport", &v)) {
		if (fw_port(v, &r->p.sport) != FWR_OK)
			return FWR_BADPORT;
		r->has_sport = true;
	}
	if (fw_kv_get(pr, n, "dport", &v)) {
		if (fw_port(v, &r->p.dport) != FWR_OK)
			return FWR_BADPORT;
		r->has_dport = true;
	}
	if ((r->p.proto == 1 || r->p.proto == 58) && fw_kv_get(pr, n, "type", &v)) {
		uint64_t ty;

		if (fw_uint(v, 255, &ty))
			r->p.icmp_type = (uint8_t)ty;
	}
	/* "pattern: allow all", "pattern: 1 all" (inbound: 1 deny, 0 allow) */
	if ((q = fw_find(kv, e, " pattern: ")) != NULL) {
		const char *w = q + 10, *we = w;

		while (we < e && *we != ' ')
			we++;
		if (fw_eq(span(w, we), "1"))
			r->action = FWA_DENY;
		else if (fw_eq(span(w, we), "0"))
			r->action = FWA_ALLOW;
		else
			r->action = fw_action(span(w, we));
		/* the rule's own pattern; "all" is the default rule */
		if (we < e && !fw_eq(span(we + 1, e), "all"))
			fw_text(r->rule, sizeof(r->rule), span(w, e));
	}
	switch (t) {
	case MK_START:
		r->event = FWE_CONN_START;
		r->action = FWA_ALLOW;
		break;
	case MK_END:
		r->event = FWE_CONN_END;
		r->action = FWA_ALLOW;
		break;
	case MK_L7:
		if (r->action == FWA_NONE)
			r->action = FWA_DENY;
		break;
	default:
		/* one line per new flow: a TCP one's first packet is its SYN */
		r->event = r->action == FWA_ALLOW ? FWE_CONN_START : FWE_PACKET;
		if (r->p.proto == 6)
			r->p.tcp_flags = 0x02;
		break;
	}
	return FWR_OK;
}

const struct fw_format fw_cisco_meraki = {
	.name = "cisco-meraki",
	.vendor = "Cisco Meraki MX",
	.parse = mk_parse,
};
