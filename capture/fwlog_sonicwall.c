/*
 * SonicWall (SonicOS) syslog: space-separated key=value pairs ("enhanced
 * syslog" adds keys, never changes them):
 *
 *   id=firewall sn=0017C5000001 time="2026-11-24 05:01:02 UTC" fw=192.0.2.1
 *     pri=6 c=1024 m=537 msg="Connection Closed" src=192.0.2.5:40123:X0
 *     dst=203.0.113.10:123:X1 proto=udp/ntp sent=76 rcvd=76 spkt=1 rpkt=1
 *     cdur=180000 rule="7 (LAN->WAN)" n=1234 fw_action="NA"
 *
 * SonicOS Log Events reference: src= and dst= are
 * address[:port[:interface[:resolved name]]]; IPv6 addresses are written
 * "[2001:db8::1]:123:X1", or in srcV6=/dstV6= with src=/dst= keeping only
 * ":port:interface". m= is the event id: 36, 37, 38 TCP, UDP, ICMP packet
 * dropped; 98 connection opened, 537 connection closed (sent/rcvd bytes,
 * spkt/rpkt packets and cdur milliseconds, from the initiator, src); 97
 * web site hit; 1235 and others one packet with fw_action="forward" or
 * "drop" ("mgmt": to the firewall itself, "NA": not said). natSrc/natDst
 * are the translated addresses (not read). time= is local unless it ends
 * in a zone ("UTC").
 */
#include "config.h"

#include <string.h>

#include "capture/fwformat.h"

#define PROTO_ICMP 1
#define PROTO_ICMPV6 58

/* The keys read, collected in one pass over the line's pairs. */
#define CUT_QUOTE (1u << 31)

enum skey {
	K_SN,
	K_M,
	K_TIME,
	K_SRC,
	K_DST,
	K_SRC_V6,
	K_DST_V6,
	K_PROTO,
	K_TYPE,
	K_ICMP_CODE,
	K_RULE,
	K_FW_ACTION,
	K_SENT,
	K_RCVD,
	K_SPKT,
	K_RPKT,
	K_CDUR,
	K_DUR,
	K__N
};

static const struct fw_key keys[K__N] = {
	[K_SN] = { "sn", sizeof("sn") - 1 },
	[K_M] = { "m", sizeof("m") - 1 },
	[K_TIME] = { "time", sizeof("time") - 1 },
	[K_SRC] = { "src", sizeof("src") - 1 },
	[K_DST] = { "dst", sizeof("dst") - 1 },
	[K_SRC_V6] = { "srcV6", sizeof("srcV6") - 1 },
	[K_DST_V6] = { "dstV6", sizeof("dstV6") - 1 },
	[K_PROTO] = { "proto", sizeof("proto") - 1 },
	[K_TYPE] = { "type", sizeof("type") - 1 },
	[K_ICMP_CODE] = { "icmpCode", sizeof("icmpCode") - 1 },
	[K_RULE] = { "rule", sizeof("rule") - 1 },
	[K_FW_ACTION] = { "fw_action", sizeof("fw_action") - 1 },
	[K_SENT] = { "sent", sizeof("sent") - 1 },
	[K_RCVD] = { "rcvd", sizeof("rcvd") - 1 },
	[K_SPKT] = { "spkt", sizeof("spkt") - 1 },
	[K_RPKT] = { "rpkt", sizeof("rpkt") - 1 },
	[K_CDUR] = { "cdur", sizeof("cdur") - 1 },
	[K_DUR] = { "dur", sizeof("dur") - 1 },
};

struct kvl {
	struct fw_span v[K__N];
	uint32_t have;	/* bit i: key i was seen; CUT_QUOTE */
};

_Static_assert(K__N < 31, "key bits");

/* The first value of each key. */
static void
collect(struct kvl *k, const char *s, const char *end)
{
	uint64_t have = fw_kv_table(s, end, '=', keys, K__N, k->v, NULL);

	k->have = (uint32_t)(have & 0x7fffffff) | (have & FW_KV_CUT ? CUT_QUOTE : 0);
}

static bool
kv(const struct kvl *k, enum skey key, struct fw_span *v)
{
	if (!(k->have & (1u << key)))
		return false;
	*v = k->v[key];
	return true;
}

/*
 * src=/dst=: "a.b.c.d[:port[:iface[:name]]]", "[v6]:port:iface[:name]",
 * or ":port:iface" when the address is in srcV6=/dstV6= (v6, may be
 * absent). An empty port ("1.2.3.4::X1") is none.
 */
static enum fwlog_result
endpoint(struct fw_span v, const struct fw_span *v6, struct ns_addr *a,
    bool *has_port, uint16_t *port, char *ifname, size_t ifcap)
{
	const char *p = v.p, *end = v.p + v.n, *q;
	struct fw_span as;
	enum fwlog_result res;

	*has_port = false;
	if (p < end && *p == '[') {
		q = memchr(p, ']', (size_t)(end - p));
		if (q == NULL)
			return FWR_BADADDR;
		as.p = p + 1;
		as.n = (size_t)(q - as.p);
		p = q + 1;
		if (p < end && *p != ':')
			return FWR_BADADDR;
	} else if (fw_addr(v, a) == FWR_OK) {
		return FWR_OK;	/* a bare IPv6 address, without port */
	} else {
		q = memchr(p, ':', (size_t)(end - p));
		if (q == NULL)
			q = end;
		as.p = p;
		as.n = (size_t)(q - p);
		p = q;
	}
	if (as.n == 0) {
		if (v6 == NULL)
			return FWR_BADADDR;
		as = *v6;
	}
	if ((res = fw_addr(as, a)) != FWR_OK)
		return res;
	if (p >= end)
		return FWR_OK;
	/* ":port" */
	p++;
	q = memchr(p, ':', (size_t)(end - p));
	if (q == NULL)
		q = end;
	if (q > p) {
		struct fw_span ps = { p, (size_t)(q - p) };

		if ((res = fw_port(ps, port)) != FWR_OK)
			return res;
		*has_port = true;
	}
	p = q;
	if (p >= end)
		return FWR_OK;
	/* ":iface[:name]" */
	p++;
	q = memchr(p, ':', (size_t)(end - p));
	if (q == NULL)
		q = end;
	if (q > p) {
		struct fw_span is = { p, (size_t)(q - p) };

		fw_text(ifname, ifcap, is);
	}
	return FWR_OK;
}

/* Event ids whose lines say what was done when fw_action does not. */
static const uint16_t deny_ids[] = {
	14, 22, 23, 27, 28, 36, 37, 38, 41, 46, 48, 81, 173, 175, 181, 267,
	347, 428, 522, 523, 524, 580, 590, 606, 609, 646, 647, 712, 713, 760,
	790, 797, 798, 883, 884, 885, 886, 888, 889, 890, 891, 892, 910,
	1198, 1199, 1200, 1201, 1254, 1257, 1301, 1302, 1303, 1304, 1387,
	1433, 1436, 1448, 1449, 1474, 1475, 1476, 1477, 1518, 1519, 1573,
};
static const uint16_t allow_ids[] = {
	16, 97, 98, 537, 597, 598, 1255, 1256,
};
static const uint16_t detect_ids[] = {
	25, 82, 83, 177, 178, 179, 608, 789, 1213, 1214, 1369, 1450, 1451, 1452,
};

static bool
in_ids(const uint16_t *ids, size_t n, uint64_t m)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == m)
			return true;
	return false;
}

#define IN(ids, m) in_ids(ids, sizeof(ids) / sizeof(ids[0]), m)

static enum fwlog_result
num_field(const struct kvl *k, enum skey key, uint64_t max, uint64_t *out)
{
	struct fw_span v;

	if (!kv(k, key, &v) || v.n == 0)
		return FWR_OK;
	return fw_uint(v, max, out) ? FWR_OK : FWR_BADFIELD;
}

static enum fwlog_result
sonicwall_parse(struct fw_line *l, struct fwlog_rec *r)
{
	struct fw_span v, sv, dv, s6, d6;
	struct ns_addr src, dst;
	enum fwlog_result res;
	bool has_s6, has_d6;
	uint64_t m;
	struct kvl kl, *k = &kl;

	/* Cheap rejection first. */
	if (fw_find(l->s, l->end, "sn=") == NULL)
		return FWR_NO;
	collect(k, l->s, l->end);
	if (!kv(k, K_SN, &v) || !kv(k, K_M, &v))
		return FWR_NO;
	/* A SonicWall line from here on. */
	if (!fw_uint(v, 65535, &m))
		return FWR_BADFIELD;
	if (k->have & CUT_QUOTE)
		return FWR_CUT;
	has_s6 = kv(k, K_SRC_V6, &s6);
	has_d6 = kv(k, K_DST_V6, &d6);
	if (!kv(k, K_SRC, &sv)) {
		if (!has_s6)
			return FWR_NOTRAFFIC;	/* system events name no host */
		sv.p = s6.p;
		sv.n = 0;
	}
	if (!kv(k, K_DST, &dv)) {
		if (!has_d6)
			return FWR_CUT;
		dv.p = d6.p;
		dv.n = 0;
	}
	if ((res = endpoint(sv, has_s6 ? &s6 : NULL, &src, &r->has_sport, &r->p.sport,
	    r->in_if, sizeof(r->in_if))) != FWR_OK)
		return res;
	if ((res = endpoint(dv, has_d6 ? &d6 : NULL, &dst, &r->has_dport, &r->p.dport,
	    r->out_if, sizeof(r->out_if))) != FWR_OK)
		return res;
	if ((res = fw_set_addrs(r, &src, &dst)) != FWR_OK)
		return res;

	if (kv(k, K_TIME, &v)) {
		/* "2026-11-24 05:01:02[.frac][ UTC]": without a zone, the ctx's */
		if (!fw_time_iso(l->ctx, v, &r->p.ts))
			return FWR_BADFIELD;
		r->has_ts = true;
	} else {
		r->has_ts = fw_header_time(l, &r->p.ts);
	}

	/* proto=udp/ntp, tcp/443, icmp */
	r->p.proto = 255;
	if (kv(k, K_PROTO, &v)) {
		const char *slash = memchr(v.p, '/', v.n);

		if (slash != NULL)
			v.n = (size_t)(slash - v.p);
		r->p.proto = fw_proto(v);
	}
	if (r->p.proto == PROTO_ICMP || r->p.proto == PROTO_ICMPV6) {
		uint64_t n = 0;

		if ((res = num_field(k, K_TYPE, 255, &n)) != FWR_OK)
			return res;
		r->p.icmp_type = (uint8_t)n;
		n = 0;
		if ((res = num_field(k, K_ICMP_CODE, 255, &n)) != FWR_OK)
			return res;
		r->p.icmp_code = (uint8_t)n;
	}
	if (kv(k, K_RULE, &v))
		fw_text(r->rule, sizeof(r->rule), v);

	r->action = FWA_NONE;
	if (kv(k, K_FW_ACTION, &v)) {
		if (fw_ieq(v, "drop"))
			r->action = FWA_DENY;
		else if (fw_ieq(v, "forward") || fw_ieq(v, "mgmt"))
			r->action = FWA_ALLOW;
		else if (!fw_ieq(v, "NA"))
			r->action = fw_action(v);
	}
	if (r->action == FWA_NONE) {
		if (IN(deny_ids, m))
			r->action = FWA_DENY;
		else if (IN(allow_ids, m))
			r->action = FWA_ALLOW;
		else if (IN(detect_ids, m))
			r->action = FWA_OTHER;
	}

	r->event = FWE_PACKET;
	if (m == 98) {
		r->event = FWE_CONN_START;
	} else if (m == 537) {
		uint64_t ms = 0, s = 0;

		r->event = FWE_CONN_END;
		if ((res = num_field(k, K_SENT, UINT64_MAX, &r->bytes_fwd)) != FWR_OK ||
		    (res = num_field(k, K_RCVD, UINT64_MAX, &r->bytes_rev)) != FWR_OK ||
		    (res = num_field(k, K_SPKT, UINT64_MAX, &r->pkts_fwd)) != FWR_OK ||
		    (res = num_field(k, K_RPKT, UINT64_MAX, &r->pkts_rev)) != FWR_OK ||
		    (res = num_field(k, K_CDUR, UINT32_MAX, &ms)) != FWR_OK ||
		    (res = num_field(k, K_DUR, UINT32_MAX, &s)) != FWR_OK)
			return res;
		r->duration = ms > 0 ? (double)ms / 1000 : (double)s;
	}
	return FWR_OK;
}

const struct fw_format fw_sonicwall = {
	.name = "sonicwall",
	.vendor = "SonicWall (SonicOS)",
	.parse = sonicwall_parse,
};
