/*
 * Sophos firewalls, two unrelated formats.
 *
 * Sophos UTM (ASG, 9.x), packet filter lines of ulogd (and the IPS's
 * snort), every value double-quoted, after the UTM's own stamp:
 *
 *   2026:11:24-05:01:02 utm ulogd[4321]: id="2001" severity="info"
 *     sys="SecureNet" sub="packetfilter" name="Packet dropped"
 *     action="drop" fwrule="60001" initf="eth1" srcip="203.0.113.10"
 *     dstip="192.0.2.5" proto="17" length="76" ... srcport="123"
 *     dstport="40123"
 *
 * name/action: "Packet dropped"/drop (2001; 2021... the GeoIP and other
 * drops), "Packet accepted"/accept (2002), "Packet rejected"/reject
 * (2003, answered with a TCP reset or ICMP error), "DNS request" (2014,
 * the DNS proxy's own). initf/outitf the interfaces, fwrule the rule
 * number, tcpflags="SYN ACK", ICMP type=/code=. The stamp has no zone
 * (the ctx's); forwarded lines may carry a syslog header instead. Lines of
 * the other subsystems (http proxy, dhcpd, ...) have no traffic for us.
 *
 * Sophos Firewall (XG, SFOS): key=value, values quoted or not:
 *
 *   device="SFW" date=2026-11-24 time=05:01:02 timezone="UTC"
 *     device_name="XG230" log_id=010102600002 log_type="Firewall"
 *     log_component="Firewall Rule" log_subtype="Denied" status="Deny"
 *     fw_rule_id=5 in_interface="Port2" out_interface="" src_ip=203.0.113.10
 *     dst_ip=192.0.2.5 protocol="UDP" src_port=123 dst_port=40123
 *     sent_pkts=0 recv_pkts=0 sent_bytes=0 recv_bytes=0 connevent="Stop"
 *
 * and since SFOS 19 (after a syslog header) timestamp="2026-11-24T05:01:02
 * +0000", log_subtype without status, con_event, packets_sent/
 * packets_received/bytes_sent/bytes_received, icmp_type/icmp_code.
 * Allowed lines with connevent Start/Stop are a connection's start and
 * end (src the initiator, sent counts from it); Interim lines are packets
 * of a live one. log_type IDP, ATP, Content Filtering and the like name
 * the session they judged; Event, System Health, Wireless Protection and
 * Authentication lines have no traffic for us.
 */
#include "config.h"

#include <string.h>

#include "capture/fwformat.h"

#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_ICMPV6 58

/* The pairs, after a syslog <pri> glued to the first key ("<185>date=..."). */
static bool
kv(const struct fw_line *l, const char *key, struct fw_span *v)
{
	const char *s = l->s, *end = l->end;

	if (s < end && *s == '<') {
		const char *p = s + 1;

		while (p < end && p - s <= 4 && *p >= '0' && *p <= '9')
			p++;
		if (p > s + 1 && p < end && *p == '>')
			s = p + 1;
	}
	return fw_kv(s, end, key, '=', v);
}

/* Whether every double-quoted value is closed (\" inside one is escaped). */
static bool
quotes_closed(const char *s, const char *end)
{
	bool in = false;

	for (; s < end; s++) {
		if (in && *s == '\\' && s + 1 < end)
			s++;
		else if (*s == '"')
			in = !in;
	}
	return !in;
}

static bool
digits(const char **p, const char *end, int n, int *v)
{
	int r = 0;

	if (end - *p < n)
		return false;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return false;
		r = r * 10 + (c - '0');
	}
	*p += n;
	*v = r;
	return true;
}

static bool
civil_ok(int mo, int d, int h, int mi, int s)
{
	return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 60;
}

/* An unsigned field, left alone when absent or empty. */
static enum fwlog_result
num_field(struct fw_line *l, const char *key, uint64_t max, uint64_t *out)
{
	struct fw_span v;

	if (!kv(l, key, &v) || v.n == 0)
		return FWR_OK;
	return fw_uint(v, max, out) ? FWR_OK : FWR_BADFIELD;
}

static enum fwlog_result
port_field(struct fw_line *l, const char *key, bool *has, uint16_t *port)
{
	struct fw_span v;
	enum fwlog_result res;

	if (!kv(l, key, &v) || v.n == 0)
		return FWR_OK;
	if ((res = fw_port(v, port)) != FWR_OK)
		return res;
	*has = true;
	return FWR_OK;
}

/* ---- Sophos UTM ---- */

/* "2026:11:24-05:01:02" at the start (after a <pri>), in the ctx zone. */
static bool
utm_stamp(struct fw_line *l, double *ts)
{
	const char *p = l->s, *end = l->end;
	int y, mo, d, h, mi, s;

	if (p < end && *p == '<') {
		const char *q = memchr(p, '>', (size_t)(end - p) < 6 ? (size_t)(end - p) : 6);

		if (q == NULL)
			return false;
		p = q + 1;
	}
	if (!digits(&p, end, 4, &y) || p >= end || *p++ != ':' ||
	    !digits(&p, end, 2, &mo) || p >= end || *p++ != ':' ||
	    !digits(&p, end, 2, &d) || p >= end || *p++ != '-' ||
	    !digits(&p, end, 2, &h) || p >= end || *p++ != ':' ||
	    !digits(&p, end, 2, &mi) || p >= end || *p++ != ':' ||
	    !digits(&p, end, 2, &s) || !civil_ok(mo, d, h, mi, s))
		return false;
	*ts = fw_time_civil(l->ctx, y, mo, d, h, mi, s, 0, false, 0);
	return true;
}

/* tcpflags="SYN ACK" */
static uint8_t
tcp_flags(struct fw_span v)
{
	static const struct {
		const char *name;
		uint8_t bit;
	} flags[] = {
		{ "FIN", 0x01 }, { "SYN", 0x02 }, { "RST", 0x04 }, { "PSH", 0x08 },
		{ "ACK", 0x10 }, { "URG", 0x20 }, { "ECE", 0x40 }, { "CWR", 0x80 },
	};
	const char *p = v.p, *end = v.p + v.n;
	uint8_t f = 0;

	while (p < end) {
		const char *q = memchr(p, ' ', (size_t)(end - p));
		struct fw_span w;

		if (q == NULL)
			q = end;
		w.p = p;
		w.n = (size_t)(q - p);
		for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
			if (fw_ieq(w, flags[i].name))
				f |= flags[i].bit;
		p = q + 1;
	}
	return f;
}

static enum fwlog_result
utm_parse(struct fw_line *l, struct fwlog_rec *r)
{
	struct fw_span v, sub, sv, dv, act;
	struct ns_addr src, dst;
	enum fwlog_result res;
	uint64_t n;
	bool ips;

	if (fw_find(l->s, l->end, "sys=\"") == NULL || !kv(l, "sys", &v) ||
	    !kv(l, "sub", &sub) || !kv(l, "id", &v) || !kv(l, "severity", &v))
		return FWR_NO;
	/* A UTM line from here on. */
	if (!quotes_closed(l->s, l->end))
		return FWR_CUT;
	ips = fw_ieq(sub, "ips");
	if (!fw_ieq(sub, "packetfilter") && !ips)
		return FWR_NOTRAFFIC;
	if (!kv(l, "srcip", &sv))
		return kv(l, "dstip", &dv) ? FWR_CUT : FWR_NOTRAFFIC;
	if (!kv(l, "dstip", &dv) || !kv(l, "action", &act))
		return FWR_CUT;
	if ((res = fw_addr(sv, &src)) != FWR_OK || (res = fw_addr(dv, &dst)) != FWR_OK)
		return res;
	if ((res = fw_set_addrs(r, &src, &dst)) != FWR_OK)
		return res;

	r->has_ts = utm_stamp(l, &r->p.ts) || fw_header_time(l, &r->p.ts);

	r->p.proto = 255;
	if (kv(l, "proto", &v) && v.n > 0) {
		r->p.proto = fw_proto(v);
		if (r->p.proto == 255 && !fw_eq(v, "255"))
			return FWR_BADFIELD;
	}
	if ((res = port_field(l, "srcport", &r->has_sport, &r->p.sport)) != FWR_OK ||
	    (res = port_field(l, "dstport", &r->has_dport, &r->p.dport)) != FWR_OK)
		return res;
	if (r->p.proto == PROTO_ICMP || r->p.proto == PROTO_ICMPV6) {
		n = 0;
		if ((res = num_field(l, "type", 255, &n)) != FWR_OK)
			return res;
		r->p.icmp_type = (uint8_t)n;
		n = 0;
		if ((res = num_field(l, "code", 255, &n)) != FWR_OK)
			return res;
		r->p.icmp_code = (uint8_t)n;
	}
	if (r->p.proto == PROTO_TCP && kv(l, "tcpflags", &v))
		r->p.tcp_flags = tcp_flags(v);
	n = 0;
	if ((res = num_field(l, "length", 65535, &n)) != FWR_OK)
		return res;
	r->p.ip_len = (uint32_t)n;
	if (kv(l, "initf", &v))
		fw_text(r->in_if, sizeof(r->in_if), v);
	if (kv(l, "outitf", &v))
		fw_text(r->out_if, sizeof(r->out_if), v);
	if (kv(l, "fwrule", &v) || (ips && kv(l, "sid", &v)))
		fw_text(r->rule, sizeof(r->rule), v);

	r->event = FWE_PACKET;
	if (fw_ieq(act, "drop"))
		r->action = FWA_DENY;
	else if (fw_ieq(act, "accept"))
		r->action = FWA_ALLOW;
	else if (fw_ieq(act, "reject"))
		r->action = FWA_RESET;
	else if ((r->action = fw_action(act)) == FWA_NONE)
		r->action = FWA_OTHER;	/* "DNS request", snort's "alert" */
	if (ips && r->action == FWA_ALLOW)
		r->action = FWA_OTHER;
	return FWR_OK;
}

const struct fw_format fw_sophos_utm = {
	.name = "sophos-utm",
	.vendor = "Sophos UTM (ASG)",
	.parse = utm_parse,
};

/* ---- Sophos Firewall (XG, SFOS) ---- */

/*
 * timezone="UTC", "+05:30", or a zone abbreviation. Only the ones with
 * one meaning are taken; IST (India, Ireland, Israel), CST (US, China) and
 * the like are the ctx's zone (--fwlog-tz).
 */
static bool
xg_zone(struct fw_span v, long *off)
{
	static const struct {
		const char *name;
		int min;
	} zones[] = {
		{ "GMT", 0 }, { "WET", 0 }, { "WEST", 60 }, { "BST", 60 },
		{ "CET", 60 }, { "CEST", 120 }, { "EET", 120 }, { "EEST", 180 },
		{ "MSK", 180 }, { "GST", 240 }, { "PKT", 300 }, { "NPT", 345 },
		{ "ICT", 420 }, { "WIB", 420 }, { "SGT", 480 }, { "HKT", 480 },
		{ "AWST", 480 }, { "JST", 540 }, { "KST", 540 }, { "ACST", 570 },
		{ "AEST", 600 }, { "AEDT", 660 }, { "NZST", 720 }, { "NZDT", 780 },
		{ "EST", -300 }, { "EDT", -240 }, { "CDT", -300 }, { "MST", -420 },
		{ "MDT", -360 }, { "PST", -480 }, { "PDT", -420 }, { "AKST", -540 },
		{ "AKDT", -480 }, { "HST", -600 },
	};

	if (fw_tz_offset(v, off))
		return true;
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (fw_ieq(v, zones[i].name)) {
			*off = zones[i].min * 60L;
			return true;
		}
	return false;
}

static enum fwlog_result
xg_time(struct fw_line *l, struct fwlog_rec *r)
{
	struct fw_span dv, tv, zv;

	if (kv(l, "timestamp", &dv)) {
		if (!fw_time_iso(l->ctx, dv, &r->p.ts))
			return FWR_BADFIELD;
		r->has_ts = true;
		return FWR_OK;
	}
	if (kv(l, "date", &dv) && kv(l, "time", &tv)) {
		const char *p = dv.p, *end = dv.p + dv.n;
		int y, mo, d, h, mi, s;
		long off = 0;
		bool has_off;

		if (!digits(&p, end, 4, &y) || p >= end || *p++ != '-' ||
		    !digits(&p, end, 2, &mo) || p >= end || *p++ != '-' ||
		    !digits(&p, end, 2, &d) || p != end)
			return FWR_BADFIELD;
		p = tv.p;
		end = tv.p + tv.n;
		if (!digits(&p, end, 2, &h) || p >= end || *p++ != ':' ||
		    !digits(&p, end, 2, &mi) || p >= end || *p++ != ':' ||
		    !digits(&p, end, 2, &s) || p != end || !civil_ok(mo, d, h, mi, s))
			return FWR_BADFIELD;
		has_off = kv(l, "timezone", &zv) && xg_zone(zv, &off);
		r->p.ts = fw_time_civil(l->ctx, y, mo, d, h, mi, s, 0, has_off, off);
		r->has_ts = true;
		return FWR_OK;
	}
	r->has_ts = fw_header_time(l, &r->p.ts);
	return FWR_OK;
}

/* The first of two spellings of a key (SFOS renamed some in 19). */
static bool
kv2(struct fw_line *l, const char *a, const char *b, struct fw_span *v)
{
	return kv(l, a, v) || kv(l, b, v);
}

static enum fwlog_action
xg_action(struct fw_span v)
{
	if (fw_ieq(v, "Denied") || fw_ieq(v, "Deny") || fw_ieq(v, "Drop") ||
	    fw_ieq(v, "Dropped") || fw_ieq(v, "Blocked") || fw_ieq(v, "Block"))
		return FWA_DENY;
	if (fw_ieq(v, "Allowed") || fw_ieq(v, "Allow"))
		return FWA_ALLOW;
	if (fw_ieq(v, "Reset") || fw_ieq(v, "Rejected") || fw_ieq(v, "Reject"))
		return FWA_RESET;
	return FWA_NONE;
}

static enum fwlog_result
xg_parse(struct fw_line *l, struct fwlog_rec *r)
{
	struct fw_span v, type, sv, dv, ce;
	struct ns_addr src, dst;
	enum fwlog_result res;
	bool firewall;

	if (fw_find(l->s, l->end, "log_type=") == NULL || !kv(l, "log_type", &type) ||
	    !kv(l, "log_id", &v))
		return FWR_NO;
	/* An SFOS line from here on. */
	if (!quotes_closed(l->s, l->end))
		return FWR_CUT;
	firewall = fw_ieq(type, "Firewall");
	if (fw_ieq(type, "Event") || fw_ieq(type, "System Health") ||
	    fw_ieq(type, "Wireless Protection") || fw_ieq(type, "Authentication"))
		return FWR_NOTRAFFIC;
	if (!kv2(l, "src_ip", "sourceip", &sv)) {
		if (!firewall)
			return FWR_NOTRAFFIC;
		return FWR_CUT;
	}
	if (!kv2(l, "dst_ip", "destinationip", &dv))
		return FWR_CUT;
	if (!firewall && (sv.n == 0 || dv.n == 0))
		return FWR_NOTRAFFIC;
	if ((res = fw_addr(sv, &src)) != FWR_OK || (res = fw_addr(dv, &dst)) != FWR_OK)
		return res;
	if ((res = fw_set_addrs(r, &src, &dst)) != FWR_OK)
		return res;
	if ((res = xg_time(l, r)) != FWR_OK)
		return res;

	r->p.proto = 255;
	if (kv(l, "protocol", &v) && v.n > 0)
		r->p.proto = fw_proto(v);
	if ((res = port_field(l, "src_port", &r->has_sport, &r->p.sport)) != FWR_OK ||
	    (res = port_field(l, "dst_port", &r->has_dport, &r->p.dport)) != FWR_OK)
		return res;
	if (r->p.proto == PROTO_ICMP || r->p.proto == PROTO_ICMPV6) {
		uint64_t n = 0;

		if ((res = num_field(l, "icmp_type", 255, &n)) != FWR_OK)
			return res;
		r->p.icmp_type = (uint8_t)n;
		n = 0;
		if ((res = num_field(l, "icmp_code", 255, &n)) != FWR_OK)
			return res;
		r->p.icmp_code = (uint8_t)n;
	}
	if (kv(l, "in_interface", &v))
		fw_text(r->in_if, sizeof(r->in_if), v);
	if (kv(l, "out_interface", &v))
		fw_text(r->out_if, sizeof(r->out_if), v);
	if (kv(l, "fw_rule_id", &v))
		fw_text(r->rule, sizeof(r->rule), v);

	r->action = FWA_NONE;
	if (kv(l, "status", &v))
		r->action = xg_action(v);
	if (r->action == FWA_NONE && kv(l, "log_subtype", &v)) {
		r->action = xg_action(v);
		if (r->action == FWA_NONE)
			r->action = fw_action(v);
	}
	if (r->action == FWA_NONE && !firewall)
		r->action = FWA_OTHER;	/* IDP "Alert", ATP "Detect", ... */

	r->event = FWE_PACKET;
	if (firewall && r->action == FWA_ALLOW && kv2(l, "connevent", "con_event", &ce)) {
		if (fw_ieq(ce, "Start")) {
			r->event = FWE_CONN_START;
		} else if (fw_ieq(ce, "Stop")) {
			uint64_t dur = 0;

			r->event = FWE_CONN_END;
			if ((res = num_field(l, "sent_pkts", UINT64_MAX, &r->pkts_fwd)) != FWR_OK ||
			    (res = num_field(l, "packets_sent", UINT64_MAX, &r->pkts_fwd)) != FWR_OK ||
			    (res = num_field(l, "recv_pkts", UINT64_MAX, &r->pkts_rev)) != FWR_OK ||
			    (res = num_field(l, "packets_received", UINT64_MAX, &r->pkts_rev)) != FWR_OK ||
			    (res = num_field(l, "sent_bytes", UINT64_MAX, &r->bytes_fwd)) != FWR_OK ||
			    (res = num_field(l, "bytes_sent", UINT64_MAX, &r->bytes_fwd)) != FWR_OK ||
			    (res = num_field(l, "recv_bytes", UINT64_MAX, &r->bytes_rev)) != FWR_OK ||
			    (res = num_field(l, "bytes_received", UINT64_MAX, &r->bytes_rev)) != FWR_OK ||
			    (res = num_field(l, "duration", UINT32_MAX, &dur)) != FWR_OK)
				return res;
			r->duration = (double)dur;
		}
	}
	return FWR_OK;
}

const struct fw_format fw_sophos_xg = {
	.name = "sophos-xg",
	.vendor = "Sophos Firewall (XG, SFOS)",
	.parse = xg_parse,
};
