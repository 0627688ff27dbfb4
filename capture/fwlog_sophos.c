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

/*
 * The keys each format reads, collected in one pass over the line's pairs
 * (an SFOS line has 40 to 70).
 */
#define CUT_QUOTE (1ull << 63)



enum ukey {
	U_SYS,
	U_SUB,
	U_ID,
	U_SEVERITY,
	U_SRCIP,
	U_DSTIP,
	U_ACTION,
	U_PROTO,
	U_SRCPORT,
	U_DSTPORT,
	U_TYPE,
	U_CODE,
	U_TCPFLAGS,
	U_LENGTH,
	U_INITF,
	U_OUTITF,
	U_FWRULE,
	U_SID,
	U__N
};

static const struct fw_key utm_keys[U__N] = {
	[U_SYS] = { "sys", sizeof("sys") - 1 },
	[U_SUB] = { "sub", sizeof("sub") - 1 },
	[U_ID] = { "id", sizeof("id") - 1 },
	[U_SEVERITY] = { "severity", sizeof("severity") - 1 },
	[U_SRCIP] = { "srcip", sizeof("srcip") - 1 },
	[U_DSTIP] = { "dstip", sizeof("dstip") - 1 },
	[U_ACTION] = { "action", sizeof("action") - 1 },
	[U_PROTO] = { "proto", sizeof("proto") - 1 },
	[U_SRCPORT] = { "srcport", sizeof("srcport") - 1 },
	[U_DSTPORT] = { "dstport", sizeof("dstport") - 1 },
	[U_TYPE] = { "type", sizeof("type") - 1 },
	[U_CODE] = { "code", sizeof("code") - 1 },
	[U_TCPFLAGS] = { "tcpflags", sizeof("tcpflags") - 1 },
	[U_LENGTH] = { "length", sizeof("length") - 1 },
	[U_INITF] = { "initf", sizeof("initf") - 1 },
	[U_OUTITF] = { "outitf", sizeof("outitf") - 1 },
	[U_FWRULE] = { "fwrule", sizeof("fwrule") - 1 },
	[U_SID] = { "sid", sizeof("sid") - 1 },
};

enum xkey {
	X_TIMESTAMP,
	X_DATE,
	X_TIME,
	X_TIMEZONE,
	X_LOG_TYPE,
	X_LOG_ID,
	X_SRC_IP,
	X_SOURCEIP,
	X_DST_IP,
	X_DESTINATIONIP,
	X_PROTOCOL,
	X_SRC_PORT,
	X_DST_PORT,
	X_ICMP_TYPE,
	X_ICMP_CODE,
	X_IN_INTERFACE,
	X_OUT_INTERFACE,
	X_FW_RULE_ID,
	X_STATUS,
	X_LOG_SUBTYPE,
	X_CONNEVENT,
	X_CON_EVENT,
	X_SENT_PKTS,
	X_PACKETS_SENT,
	X_RECV_PKTS,
	X_PACKETS_RECEIVED,
	X_SENT_BYTES,
	X_BYTES_SENT,
	X_RECV_BYTES,
	X_BYTES_RECEIVED,
	X_DURATION,
	X__N
};

static const struct fw_key xg_keys[X__N] = {
	[X_TIMESTAMP] = { "timestamp", sizeof("timestamp") - 1 },
	[X_DATE] = { "date", sizeof("date") - 1 },
	[X_TIME] = { "time", sizeof("time") - 1 },
	[X_TIMEZONE] = { "timezone", sizeof("timezone") - 1 },
	[X_LOG_TYPE] = { "log_type", sizeof("log_type") - 1 },
	[X_LOG_ID] = { "log_id", sizeof("log_id") - 1 },
	[X_SRC_IP] = { "src_ip", sizeof("src_ip") - 1 },
	[X_SOURCEIP] = { "sourceip", sizeof("sourceip") - 1 },
	[X_DST_IP] = { "dst_ip", sizeof("dst_ip") - 1 },
	[X_DESTINATIONIP] = { "destinationip", sizeof("destinationip") - 1 },
	[X_PROTOCOL] = { "protocol", sizeof("protocol") - 1 },
	[X_SRC_PORT] = { "src_port", sizeof("src_port") - 1 },
	[X_DST_PORT] = { "dst_port", sizeof("dst_port") - 1 },
	[X_ICMP_TYPE] = { "icmp_type", sizeof("icmp_type") - 1 },
	[X_ICMP_CODE] = { "icmp_code", sizeof("icmp_code") - 1 },
	[X_IN_INTERFACE] = { "in_interface", sizeof("in_interface") - 1 },
	[X_OUT_INTERFACE] = { "out_interface", sizeof("out_interface") - 1 },
	[X_FW_RULE_ID] = { "fw_rule_id", sizeof("fw_rule_id") - 1 },
	[X_STATUS] = { "status", sizeof("status") - 1 },
	[X_LOG_SUBTYPE] = { "log_subtype", sizeof("log_subtype") - 1 },
	[X_CONNEVENT] = { "connevent", sizeof("connevent") - 1 },
	[X_CON_EVENT] = { "con_event", sizeof("con_event") - 1 },
	[X_SENT_PKTS] = { "sent_pkts", sizeof("sent_pkts") - 1 },
	[X_PACKETS_SENT] = { "packets_sent", sizeof("packets_sent") - 1 },
	[X_RECV_PKTS] = { "recv_pkts", sizeof("recv_pkts") - 1 },
	[X_PACKETS_RECEIVED] = { "packets_received", sizeof("packets_received") - 1 },
	[X_SENT_BYTES] = { "sent_bytes", sizeof("sent_bytes") - 1 },
	[X_BYTES_SENT] = { "bytes_sent", sizeof("bytes_sent") - 1 },
	[X_RECV_BYTES] = { "recv_bytes", sizeof("recv_bytes") - 1 },
	[X_BYTES_RECEIVED] = { "bytes_received", sizeof("bytes_received") - 1 },
	[X_DURATION] = { "duration", sizeof("duration") - 1 },
};

struct kvl {
	struct fw_line *l;
	struct fw_span v[(int)X__N > (int)U__N ? (int)X__N : (int)U__N];
	uint64_t have;	/* bit i: key i was seen; CUT_QUOTE */
};

/* The first value of each key of t in [s, end). */
static void
collect(struct kvl *k, const struct fw_key *t, int nt, const char *s, const char *end)
{
	uint64_t have = fw_kv_table(s, end, '=', t, nt, k->v, NULL);

	k->have = (have & ~FW_KV_CUT) | (have & FW_KV_CUT ? CUT_QUOTE : 0);
}

static bool
kv(const struct kvl *k, int key, struct fw_span *v)
{
	if (!(k->have & (1ull << key)))
		return false;
	*v = k->v[key];
	return true;
}

_Static_assert(X__N < 63 && U__N < 63, "key bits");

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
num_field(const struct kvl *k, int key, uint64_t max, uint64_t *out)
{
	struct fw_span v;

	if (!kv(k, key, &v) || v.n == 0)
		return FWR_OK;
	return fw_uint(v, max, out) ? FWR_OK : FWR_BADFIELD;
}

static enum fwlog_result
port_field(const struct kvl *k, int key, bool *has, uint16_t *port)
{
	struct fw_span v;
	enum fwlog_result res;

	if (!kv(k, key, &v) || v.n == 0)
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

	if (p < end && *p == '<') {
		const char *q = memchr(p, '>', (size_t)(end - p) < 6 ? (size_t)(end - p) : 6);

		if (q == NULL)
			return false;
		p = q + 1;
	}
	/* 19 bytes, then the host */
	if (end - p < 20 || p[4] != ':' || p[10] != '-' || p[19] != ' ')
		return false;
	return fw_time_iso(l->ctx, (struct fw_span){ p, 19 }, ts);
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

	struct kvl kl, *k = &kl;

	/* Cheap rejection first. */
	if (fw_find(l->s, l->end, "sys=\"") == NULL)
		return FWR_NO;
	kl.l = l;
	collect(k, utm_keys, U__N, l->s, l->end);
	if (!kv(k, U_SYS, &v) || !kv(k, U_SUB, &sub) || !kv(k, U_ID, &v) ||
	    !kv(k, U_SEVERITY, &v))
		return FWR_NO;
	/* A UTM line from here on. */
	if (k->have & CUT_QUOTE)
		return FWR_CUT;
	ips = fw_ieq(sub, "ips");
	if (!fw_ieq(sub, "packetfilter") && !ips)
		return FWR_NOTRAFFIC;
	if (!kv(k, U_SRCIP, &sv))
		return kv(k, U_DSTIP, &dv) ? FWR_CUT : FWR_NOTRAFFIC;
	if (!kv(k, U_DSTIP, &dv) || !kv(k, U_ACTION, &act))
		return FWR_CUT;
	if ((res = fw_addr(sv, &src)) != FWR_OK || (res = fw_addr(dv, &dst)) != FWR_OK)
		return res;
	if ((res = fw_set_addrs(r, &src, &dst)) != FWR_OK)
		return res;

	r->has_ts = utm_stamp(l, &r->p.ts) || fw_header_time(l, &r->p.ts);

	r->p.proto = 255;
	if (kv(k, U_PROTO, &v) && v.n > 0) {
		r->p.proto = fw_proto(v);
		if (r->p.proto == 255 && !fw_eq(v, "255"))
			return FWR_BADFIELD;
	}
	if ((res = port_field(k, U_SRCPORT, &r->has_sport, &r->p.sport)) != FWR_OK ||
	    (res = port_field(k, U_DSTPORT, &r->has_dport, &r->p.dport)) != FWR_OK)
		return res;
	if (r->p.proto == PROTO_ICMP || r->p.proto == PROTO_ICMPV6) {
		n = 0;
		if ((res = num_field(k, U_TYPE, 255, &n)) != FWR_OK)
			return res;
		r->p.icmp_type = (uint8_t)n;
		n = 0;
		if ((res = num_field(k, U_CODE, 255, &n)) != FWR_OK)
			return res;
		r->p.icmp_code = (uint8_t)n;
	}
	if (r->p.proto == PROTO_TCP && kv(k, U_TCPFLAGS, &v))
		r->p.tcp_flags = tcp_flags(v);
	n = 0;
	if ((res = num_field(k, U_LENGTH, 65535, &n)) != FWR_OK)
		return res;
	r->p.ip_len = (uint32_t)n;
	if (kv(k, U_INITF, &v))
		fw_text(r->in_if, sizeof(r->in_if), v);
	if (kv(k, U_OUTITF, &v))
		fw_text(r->out_if, sizeof(r->out_if), v);
	if (kv(k, U_FWRULE, &v) || (ips && kv(k, U_SID, &v)))
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
xg_time(const struct kvl *k, struct fwlog_rec *r)
{
	struct fw_span dv, tv, zv;

	if (kv(k, X_TIMESTAMP, &dv)) {
		if (!fw_time_iso(k->l->ctx, dv, &r->p.ts))
			return FWR_BADFIELD;
		r->has_ts = true;
		return FWR_OK;
	}
	if (kv(k, X_DATE, &dv) && kv(k, X_TIME, &tv)) {
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
		has_off = kv(k, X_TIMEZONE, &zv) && xg_zone(zv, &off);
		r->p.ts = fw_time_civil(k->l->ctx, y, mo, d, h, mi, s, 0, has_off, off);
		r->has_ts = true;
		return FWR_OK;
	}
	r->has_ts = fw_header_time(k->l, &r->p.ts);
	return FWR_OK;
}

/* The first of two spellings of a key (SFOS renamed some in 19). */
static bool
kv2(const struct kvl *k, int a, int b, struct fw_span *v)
{
	return kv(k, a, v) || kv(k, b, v);
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

	struct kvl kl, *k = &kl;

	/* Cheap rejection first. */
	if (fw_find(l->s, l->end, "log_type=") == NULL)
		return FWR_NO;
	kl.l = l;
	collect(k, xg_keys, X__N, l->s, l->end);
	if (!kv(k, X_LOG_TYPE, &type) || !kv(k, X_LOG_ID, &v))
		return FWR_NO;
	/* An SFOS line from here on. */
	if (k->have & CUT_QUOTE)
		return FWR_CUT;
	firewall = fw_ieq(type, "Firewall");
	if (fw_ieq(type, "Event") || fw_ieq(type, "System Health") ||
	    fw_ieq(type, "Wireless Protection") || fw_ieq(type, "Authentication"))
		return FWR_NOTRAFFIC;
	if (!kv2(k, X_SRC_IP, X_SOURCEIP, &sv)) {
		if (!firewall)
			return FWR_NOTRAFFIC;
		return FWR_CUT;
	}
	if (!kv2(k, X_DST_IP, X_DESTINATIONIP, &dv))
		return FWR_CUT;
	if (!firewall && (sv.n == 0 || dv.n == 0))
		return FWR_NOTRAFFIC;
	if ((res = fw_addr(sv, &src)) != FWR_OK || (res = fw_addr(dv, &dst)) != FWR_OK)
		return res;
	if ((res = fw_set_addrs(r, &src, &dst)) != FWR_OK)
		return res;
	if ((res = xg_time(k, r)) != FWR_OK)
		return res;

	r->p.proto = 255;
	if (kv(k, X_PROTOCOL, &v) && v.n > 0)
		r->p.proto = fw_proto(v);
	if ((res = port_field(k, X_SRC_PORT, &r->has_sport, &r->p.sport)) != FWR_OK ||
	    (res = port_field(k, X_DST_PORT, &r->has_dport, &r->p.dport)) != FWR_OK)
		return res;
	if (r->p.proto == PROTO_ICMP || r->p.proto == PROTO_ICMPV6) {
		uint64_t n = 0;

		if ((res = num_field(k, X_ICMP_TYPE, 255, &n)) != FWR_OK)
			return res;
		r->p.icmp_type = (uint8_t)n;
		n = 0;
		if ((res = num_field(k, X_ICMP_CODE, 255, &n)) != FWR_OK)
			return res;
		r->p.icmp_code = (uint8_t)n;
	}
	if (kv(k, X_IN_INTERFACE, &v))
		fw_text(r->in_if, sizeof(r->in_if), v);
	if (kv(k, X_OUT_INTERFACE, &v))
		fw_text(r->out_if, sizeof(r->out_if), v);
	if (kv(k, X_FW_RULE_ID, &v))
		fw_text(r->rule, sizeof(r->rule), v);

	r->action = FWA_NONE;
	if (kv(k, X_STATUS, &v))
		r->action = xg_action(v);
	if (r->action == FWA_NONE && kv(k, X_LOG_SUBTYPE, &v)) {
		r->action = xg_action(v);
		if (r->action == FWA_NONE)
			r->action = fw_action(v);
	}
	if (r->action == FWA_NONE && !firewall)
		r->action = FWA_OTHER;	/* IDP "Alert", ATP "Detect", ... */

	r->event = FWE_PACKET;
	if (firewall && r->action == FWA_ALLOW && kv2(k, X_CONNEVENT, X_CON_EVENT, &ce)) {
		if (fw_ieq(ce, "Start")) {
			r->event = FWE_CONN_START;
		} else if (fw_ieq(ce, "Stop")) {
			uint64_t dur = 0;

			r->event = FWE_CONN_END;
			if ((res = num_field(k, X_SENT_PKTS, UINT64_MAX, &r->pkts_fwd)) != FWR_OK ||
			    (res = num_field(k, X_PACKETS_SENT, UINT64_MAX, &r->pkts_fwd)) != FWR_OK ||
			    (res = num_field(k, X_RECV_PKTS, UINT64_MAX, &r->pkts_rev)) != FWR_OK ||
			    (res = num_field(k, X_PACKETS_RECEIVED, UINT64_MAX, &r->pkts_rev)) != FWR_OK ||
			    (res = num_field(k, X_SENT_BYTES, UINT64_MAX, &r->bytes_fwd)) != FWR_OK ||
			    (res = num_field(k, X_BYTES_SENT, UINT64_MAX, &r->bytes_fwd)) != FWR_OK ||
			    (res = num_field(k, X_RECV_BYTES, UINT64_MAX, &r->bytes_rev)) != FWR_OK ||
			    (res = num_field(k, X_BYTES_RECEIVED, UINT64_MAX, &r->bytes_rev)) != FWR_OK ||
			    (res = num_field(k, X_DURATION, UINT32_MAX, &dur)) != FWR_OK)
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
