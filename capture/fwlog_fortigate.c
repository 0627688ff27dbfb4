/*
 * Fortinet FortiGate (FortiOS) logs: space-separated key=value pairs, the
 * same on disk, in FortiAnalyzer and sent to syslog (with or without a
 * <pri> and a syslog header in front):
 *
 *   date=2026-11-24 time=05:01:02 devname="fw" devid="FG100F..."
 *     eventtime=1795496462000000000 tz="+0000" logid="0000000013"
 *     type="traffic" subtype="forward" level="notice" vd="root"
 *     srcip=203.0.113.10 srcport=123 srcintf="wan1" dstip=192.0.2.5
 *     dstport=40123 dstintf="internal" proto=17 action="deny" policyid=0
 *     service="NTP" duration=0 sentbyte=0 rcvdbyte=0 sentpkt=0 rcvdpkt=0
 *
 * FortiOS Log Message Reference: type "traffic" (subtypes forward, local,
 * multicast, sniffer) says what became of a session in action: "deny"
 * (blocked by policy), "start" (session start logging), "accept" (allowed;
 * with the session's counters it is the end log of a non-TCP session),
 * "close", "timeout", "client-rst", "server-rst" (how an allowed session
 * ended), "ip-conn" (failed connection attempt), "dns" (DNS error).
 * sentbyte/sentpkt count from the initiator (srcip) to the responder,
 * rcvdbyte/rcvdpkt back; duration is in seconds. Type "utm" (ips,
 * anomaly, webfilter, app-ctrl, virus, dlp, ...) and "dns" log a security
 * profile's verdict on one session: "detected", "dropped", "blocked",
 * "reset", "pass", "clear_session" (anomaly: DoS policy), with count= the
 * times the same anomaly was seen since the last log (one a minute).
 * Type "event" lines (system, VPN, user) are read as lines without traffic.
 *
 * Time: date= and time= are the device's local time; tz= (FortiOS 6.2 and
 * later, "+0000" or "-0500") gives their offset. eventtime= is the epoch
 * in seconds, ms, us or ns by its length. date+time+tz wins (the seconds
 * of eventtime are kept when both agree); then eventtime; then date+time
 * in the ctx zone; then the syslog header.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "capture/fwformat.h"

#define PROTO_ICMP 1
#define PROTO_ICMPV6 58

/*
 * The keys read, collected in one pass over the line's pairs (a FortiGate
 * line has 40 to 100; looking each key up among them would cost more than
 * splitting the line).
 */

enum fkey {
	K_LOGID,
	K_DEVID,
	K_DEVNAME,
	K_DATE,
	K_TIME,
	K_TZ,
	K_EVENTTIME,
	K_TYPE,
	K_SRCIP,
	K_DSTIP,
	K_ACTION,
	K_PROTO,
	K_SRCPORT,
	K_DSTPORT,
	K_ICMPTYPE,
	K_ICMPCODE,
	K_SRCINTF,
	K_DSTINTF,
	K_POLICYID,
	K_COUNT,
	K_SENTBYTE,
	K_RCVDBYTE,
	K_SENTPKT,
	K_RCVDPKT,
	K_DURATION,
	K__N
};

static const struct fw_key keys[K__N] = {
	[K_LOGID] = { "logid", sizeof("logid") - 1 },
	[K_DEVID] = { "devid", sizeof("devid") - 1 },
	[K_DEVNAME] = { "devname", sizeof("devname") - 1 },
	[K_DATE] = { "date", sizeof("date") - 1 },
	[K_TIME] = { "time", sizeof("time") - 1 },
	[K_TZ] = { "tz", sizeof("tz") - 1 },
	[K_EVENTTIME] = { "eventtime", sizeof("eventtime") - 1 },
	[K_TYPE] = { "type", sizeof("type") - 1 },
	[K_SRCIP] = { "srcip", sizeof("srcip") - 1 },
	[K_DSTIP] = { "dstip", sizeof("dstip") - 1 },
	[K_ACTION] = { "action", sizeof("action") - 1 },
	[K_PROTO] = { "proto", sizeof("proto") - 1 },
	[K_SRCPORT] = { "srcport", sizeof("srcport") - 1 },
	[K_DSTPORT] = { "dstport", sizeof("dstport") - 1 },
	[K_ICMPTYPE] = { "icmptype", sizeof("icmptype") - 1 },
	[K_ICMPCODE] = { "icmpcode", sizeof("icmpcode") - 1 },
	[K_SRCINTF] = { "srcintf", sizeof("srcintf") - 1 },
	[K_DSTINTF] = { "dstintf", sizeof("dstintf") - 1 },
	[K_POLICYID] = { "policyid", sizeof("policyid") - 1 },
	[K_COUNT] = { "count", sizeof("count") - 1 },
	[K_SENTBYTE] = { "sentbyte", sizeof("sentbyte") - 1 },
	[K_RCVDBYTE] = { "rcvdbyte", sizeof("rcvdbyte") - 1 },
	[K_SENTPKT] = { "sentpkt", sizeof("sentpkt") - 1 },
	[K_RCVDPKT] = { "rcvdpkt", sizeof("rcvdpkt") - 1 },
	[K_DURATION] = { "duration", sizeof("duration") - 1 },
};

struct kvl {
	struct fw_line *l;
	struct fw_span v[K__N];
	uint32_t have;
};

/*
 * The first value of each key. An unquoted value ends at a comma too:
 * FortiOS's "csv" syslog format has the pairs separated by commas
 * (parse_csv), and no unquoted FortiOS value (a number, an address, a
 * date) holds one.
 */
static void
collect(struct kvl *k, const char *s, const char *end)
{
	uint64_t quoted, have = fw_kv_table(s, end, '=', keys, K__N, k->v, &quoted);
	const char *comma;

	for (int j = 0; j < K__N; j++)
		if ((have & (1ull << j)) && !(quoted & (1ull << j)) &&
		    (comma = memchr(k->v[j].p, ',', k->v[j].n)) != NULL)
			k->v[j].n = (size_t)(comma - k->v[j].p);
	k->have = (uint32_t)(have & 0x7fffffff) | (have & FW_KV_CUT ? (1u << 31) : 0);
}

static bool
kv(const struct kvl *k, enum fkey key, struct fw_span *v)
{
	if (!(k->have & (1u << key)))
		return false;
	*v = k->v[key];
	return true;
}

#define CUT_QUOTE (1u << 31)
_Static_assert(K__N < 31, "key bits");

/* n decimal digits at *p into *v; advances. */
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

/* "2026-11-24" (also '/' separated). */
static bool
parse_date(struct fw_span v, int *y, int *mo, int *d)
{
	const char *p = v.p, *end = v.p + v.n;

	if (!digits(&p, end, 4, y) || p >= end || (*p != '-' && *p != '/'))
		return false;
	p++;
	if (!digits(&p, end, 2, mo) || p >= end || (*p != '-' && *p != '/'))
		return false;
	p++;
	if (!digits(&p, end, 2, d) || p != end)
		return false;
	return *mo >= 1 && *mo <= 12 && *d >= 1 && *d <= 31;
}

/* "05:01:02" (a fraction is not written by FortiOS, but taken). */
static bool
parse_clock(struct fw_span v, int *h, int *mi, int *s, double *frac)
{
	const char *p = v.p, *end = v.p + v.n;
	double f = 0, scale = 0.1;

	if (!digits(&p, end, 2, h) || p >= end || *p++ != ':' ||
	    !digits(&p, end, 2, mi) || p >= end || *p++ != ':' ||
	    !digits(&p, end, 2, s))
		return false;
	if (p < end && *p == '.') {
		p++;
		if (p >= end)
			return false;
		for (; p < end && *p >= '0' && *p <= '9'; p++, scale /= 10)
			f += (*p - '0') * scale;
	}
	if (p != end)
		return false;
	*frac = f;
	return *h <= 23 && *mi <= 59 && *s <= 60;
}

/*
 * tz: "+0000", "-05:00", "Z", "UTC" (fw_tz_offset), and the human forms
 * some versions write, "UTC+1:00", "GMT-5".
 */
static bool
forti_tz(struct fw_span v, long *off)
{
	const char *p = v.p, *end = v.p + v.n;
	int sign, h = 0, m = 0, nd = 0;

	if (fw_tz_offset(v, off))
		return true;
	while (p < end && ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
		p++;
	if (p == v.p || p >= end || (*p != '+' && *p != '-'))
		return false;
	sign = *p++ == '-' ? -1 : 1;
	while (p < end && *p >= '0' && *p <= '9' && nd < 2) {
		h = h * 10 + (*p++ - '0');
		nd++;
	}
	if (nd == 0)
		return false;
	if (p < end && *p == ':')
		p++;
	if (p < end && !digits(&p, end, 2, &m))
		return false;
	if (p != end || h > 14 || m > 59)
		return false;
	*off = sign * (h * 3600L + m * 60L);
	return true;
}

/* eventtime: seconds, ms, us or ns since the epoch, by its length. */
static bool
event_time(struct fw_span v, double *ts)
{
	uint64_t n;
	double div;

	if (v.n < 9 || v.n > 19 || !fw_uint(v, UINT64_MAX, &n))
		return false;
	if (v.n >= 18)
		div = 1e9;
	else if (v.n >= 15)
		div = 1e6;
	else if (v.n >= 12)
		div = 1e3;
	else
		div = 1;
	*ts = (double)n / div;
	return true;
}

static enum fwlog_result
record_time(const struct kvl *k, struct fwlog_rec *r)
{
	struct fw_span dv, tv, zv, ev;
	bool has_dt = kv(k, K_DATE, &dv) && kv(k, K_TIME, &tv);
	bool has_et = kv(k, K_EVENTTIME, &ev);
	double et = 0, frac;
	int y, mo, d, h, mi, s;
	long off = 0;

	if (has_et && !event_time(ev, &et))
		return FWR_BADFIELD;
	if (has_dt) {
		bool has_off;

		if (!parse_date(dv, &y, &mo, &d) || !parse_clock(tv, &h, &mi, &s, &frac))
			return FWR_BADFIELD;
		has_off = kv(k, K_TZ, &zv) && zv.n > 0;
		if (has_off && !forti_tz(zv, &off))
			return FWR_BADFIELD;
		if (has_off || !has_et) {
			r->p.ts = fw_time_civil(k->l->ctx, y, mo, d, h, mi, s, frac, has_off, off);
			/* eventtime has the sub-second part when it is the same second. */
			if (has_et && fabs(et - r->p.ts) < 1)
				r->p.ts = et;
			r->has_ts = true;
			return FWR_OK;
		}
	}
	if (has_et) {
		r->p.ts = et;
		r->has_ts = true;
		return FWR_OK;
	}
	r->has_ts = fw_header_time(k->l, &r->p.ts);
	return FWR_OK;
}

/* A counter of the session, 0 when absent. */
static enum fwlog_result
counter(const struct kvl *k, enum fkey key, uint64_t *out, bool *any)
{
	struct fw_span v;

	if (!kv(k, key, &v) || v.n == 0)
		return FWR_OK;
	if (!fw_uint(v, UINT64_MAX, out))
		return FWR_BADFIELD;
	if (*out != 0)
		*any = true;
	return FWR_OK;
}

/* icmptype=0x08 (IPS logs write hex) or 8. */
static bool
icmp_field(struct fw_span v, uint8_t *out)
{
	uint64_t n = 0;

	if (v.n > 2 && v.p[0] == '0' && (v.p[1] == 'x' || v.p[1] == 'X')) {
		if (v.n > 4)
			return false;
		for (size_t i = 2; i < v.n; i++) {
			char c = v.p[i];
			int x;

			if (c >= '0' && c <= '9')
				x = c - '0';
			else if (c >= 'a' && c <= 'f')
				x = c - 'a' + 10;
			else if (c >= 'A' && c <= 'F')
				x = c - 'A' + 10;
			else
				return false;
			n = n * 16 + (uint64_t)x;
		}
	} else if (!fw_uint(v, 255, &n)) {
		return false;
	}
	*out = (uint8_t)n;
	return true;
}

/* What the session-level action of a traffic log says. */
enum tact { T_DENY, T_START, T_ACCEPT, T_END, T_FAILED, T_OTHER };

static enum tact
traffic_action(struct fw_span a)
{
	if (fw_ieq(a, "deny"))
		return T_DENY;
	if (fw_ieq(a, "start"))
		return T_START;
	if (fw_ieq(a, "accept"))
		return T_ACCEPT;
	if (fw_ieq(a, "close") || fw_ieq(a, "timeout") || fw_ieq(a, "client-rst") ||
	    fw_ieq(a, "server-rst"))
		return T_END;
	if (fw_ieq(a, "ip-conn") || fw_ieq(a, "dns"))
		return T_FAILED;
	return T_OTHER;
}

/* A security profile's verdict (utm and dns logs). */
static enum fwlog_action
utm_action(struct fw_span a)
{
	static const char *const deny[] = {
		"dropped", "blocked", "block", "deny", "drop", "clear_session",
		"quarantine", "quarantine-src-ip", "banned", NULL,
	};
	static const char *const allow[] = {
		"pass", "passthrough", "allow", "accept", "permit", "exempt", NULL,
	};

	for (int i = 0; deny[i] != NULL; i++)
		if (fw_ieq(a, deny[i]))
			return FWA_DENY;
	for (int i = 0; allow[i] != NULL; i++)
		if (fw_ieq(a, allow[i]))
			return FWA_ALLOW;
	if (fw_ieq(a, "reset") || fw_ieq(a, "reset-both") || fw_ieq(a, "reset-client") ||
	    fw_ieq(a, "reset-server"))
		return FWA_RESET;
	return FWA_OTHER;	/* detected, monitored, log-only, ... */
}

static bool
is_utm_type(struct fw_span t)
{
	/* "utm" since FortiOS 5.0; the others are the 4.x type names. */
	static const char *const types[] = {
		"utm", "dns", "ips", "anomaly", "webfilter", "app-ctrl", "virus",
		"dlp", "emailfilter", NULL,
	};

	for (int i = 0; types[i] != NULL; i++)
		if (fw_ieq(t, types[i]))
			return true;
	return false;
}

/* A FortiGate line's pairs in k. */
static enum fwlog_result
parse_pairs(struct kvl *k, struct fwlog_rec *r)
{
	struct fw_span v, type, sv, dv, act;
	struct ns_addr src, dst;
	enum fwlog_result res;
	bool traffic, any = false;
	uint16_t port;

	if (!kv(k, K_LOGID, &v) || (!kv(k, K_DEVID, &v) && !kv(k, K_DEVNAME, &v) &&
	    !kv(k, K_DATE, &v) && !kv(k, K_EVENTTIME, &v)))
		return FWR_NO;
	/* A FortiGate line from here on. */
	if ((k->have & CUT_QUOTE) || !kv(k, K_TYPE, &type))
		return FWR_CUT;
	traffic = fw_ieq(type, "traffic");
	if (!traffic && !is_utm_type(type))
		return FWR_NOTRAFFIC;	/* event, system, ... */

	if (!kv(k, K_SRCIP, &sv)) {
		/* Every traffic log names its source; a utm one may not. */
		return traffic ? FWR_CUT : FWR_NOTRAFFIC;
	}
	if (!kv(k, K_DSTIP, &dv))
		return FWR_CUT;
	if (!kv(k, K_ACTION, &act)) {
		if (traffic)
			return FWR_CUT;
		act.p = "";	/* dns-query logs may say none */
		act.n = 0;
	}
	if ((res = fw_addr(sv, &src)) != FWR_OK || (res = fw_addr(dv, &dst)) != FWR_OK)
		return res;
	if ((res = fw_set_addrs(r, &src, &dst)) != FWR_OK)
		return res;

	if ((res = record_time(k, r)) != FWR_OK)
		return res;

	r->p.proto = 255;
	if (kv(k, K_PROTO, &v)) {
		uint64_t n;

		if (!fw_uint(v, 255, &n))
			return FWR_BADFIELD;
		r->p.proto = (uint8_t)n;
	}
	if (kv(k, K_SRCPORT, &v)) {
		if ((res = fw_port(v, &port)) != FWR_OK)
			return res;
		r->p.sport = port;
		r->has_sport = true;
	}
	if (kv(k, K_DSTPORT, &v)) {
		if ((res = fw_port(v, &port)) != FWR_OK)
			return res;
		r->p.dport = port;
		r->has_dport = true;
	}
	if (r->p.proto == PROTO_ICMP || r->p.proto == PROTO_ICMPV6) {
		if (kv(k, K_ICMPTYPE, &v) && !icmp_field(v, &r->p.icmp_type))
			return FWR_BADFIELD;
		if (kv(k, K_ICMPCODE, &v) && !icmp_field(v, &r->p.icmp_code))
			return FWR_BADFIELD;
	}
	if (kv(k, K_SRCINTF, &v))
		fw_text(r->in_if, sizeof(r->in_if), v);
	if (kv(k, K_DSTINTF, &v))
		fw_text(r->out_if, sizeof(r->out_if), v);
	if (kv(k, K_POLICYID, &v))
		fw_text(r->rule, sizeof(r->rule), v);
	r->event = FWE_PACKET;

	if (!traffic) {
		r->action = utm_action(act);
		if (kv(k, K_COUNT, &v)) {
			uint64_t n;

			if (!fw_uint(v, UINT32_MAX, &n))
				return FWR_BADFIELD;
			if (n > 1) {
				r->count = (uint32_t)n;
				/* Anomaly logs repeat once a minute while it lasts. */
				r->count_span = 60;
			}
		}
		return FWR_OK;
	}

	if ((res = counter(k, K_SENTBYTE, &r->bytes_fwd, &any)) != FWR_OK ||
	    (res = counter(k, K_RCVDBYTE, &r->bytes_rev, &any)) != FWR_OK ||
	    (res = counter(k, K_SENTPKT, &r->pkts_fwd, &any)) != FWR_OK ||
	    (res = counter(k, K_RCVDPKT, &r->pkts_rev, &any)) != FWR_OK)
		return res;
	if (kv(k, K_DURATION, &v) && v.n > 0) {
		uint64_t n;

		if (!fw_uint(v, UINT32_MAX, &n))
			return FWR_BADFIELD;
		r->duration = (double)n;
	}
	switch (traffic_action(act)) {
	case T_DENY:
		r->action = FWA_DENY;
		break;
	case T_START:
		r->action = FWA_ALLOW;
		r->event = FWE_CONN_START;
		break;
	case T_ACCEPT:
		/* With counters: the end of a UDP/ICMP session; without: its start. */
		r->action = FWA_ALLOW;
		r->event = any ? FWE_CONN_END : FWE_CONN_START;
		break;
	case T_END:
		r->action = FWA_ALLOW;
		r->event = FWE_CONN_END;
		break;
	case T_FAILED:
		/* Allowed, but it never got an answer (ip-conn) or a name (dns). */
		r->action = FWA_OTHER;
		r->event = FWE_CONN_END;
		break;
	case T_OTHER:
		r->action = fw_action(act);
		if (r->action == FWA_NONE)
			r->action = FWA_OTHER;
		break;
	}
	if (r->event != FWE_CONN_END) {
		r->pkts_fwd = r->pkts_rev = r->bytes_fwd = r->bytes_rev = 0;
		r->duration = 0;
	}
	return FWR_OK;
}

/*
 * The csv format: a copy with the commas between pairs made spaces (those
 * inside quoted values kept), split like the default format.
 */
static enum fwlog_result
parse_csv(struct kvl *k, const char *s, const char *end, struct fwlog_rec *r)
{
	char buf[FWLOG_MAX_LINE];
	size_t n = (size_t)(end - s);
	bool in = false;

	if (n > sizeof(buf))
		return FWR_CUT;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (in && c == '\\' && i + 1 < n) {
			buf[i] = c;
			buf[i + 1] = s[i + 1];
			i++;
			continue;
		}
		if (c == '"')
			in = !in;
		buf[i] = !in && c == ',' ? ' ' : c;
	}
	collect(k, buf, buf + n);
	return parse_pairs(k, r);
}

static enum fwlog_result
fortigate_parse(struct fw_line *l, struct fwlog_rec *r)
{
	struct kvl k;
	const char *s = l->s, *end = l->end, *logid;

	/* Cheap rejection first. */
	if ((logid = fw_find(s, end, "logid=")) == NULL)
		return FWR_NO;
	/* A syslog <pri> glued to the first key: "<185>date=..." */
	if (s < end && *s == '<') {
		const char *p = s + 1;

		while (p < end && p - s <= 4 && *p >= '0' && *p <= '9')
			p++;
		if (p > s + 1 && p < end && *p == '>')
			s = p + 1;
	}
	k.l = l;
	if (logid > s && logid[-1] == ',')
		return parse_csv(&k, s, end, r);
	collect(&k, s, end);
	return parse_pairs(&k, r);
}

const struct fw_format fw_fortigate = {
	.name = "fortigate",
	.vendor = "Fortinet FortiGate (FortiOS)",
	.parse = fortigate_parse,
};
