/*
 * Palo Alto Networks PAN-OS syslog in its default CSV form: TRAFFIC and
 * THREAT logs (PAN-OS "Syslog Field Descriptions": Traffic Log Fields,
 * Threat Log Fields). Both begin with the same 31 columns:
 *
 *    0 FUTURE_USE ("1")       1 receive time          2 serial number
 *    3 type (TRAFFIC, ...)    4 subtype               5 config version
 *    6 generated time         7 source address        8 destination address
 *    9 NAT source            10 NAT destination      11 rule name
 *   12 source user           13 destination user     14 application
 *   15 virtual system        16 source zone          17 destination zone
 *   18 inbound interface     19 outbound interface   20 log action
 *   21 time logged           22 session id           23 repeat count
 *   24 source port           25 destination port     26 NAT source port
 *   27 NAT destination port  28 flags                29 protocol
 *   30 action
 *
 * then TRAFFIC: 31 bytes, 32 bytes sent, 33 bytes received, 34 packets,
 * 35 start time, 36 elapsed time, 37 category, 38 FUTURE_USE, 39 sequence
 * number, 40 action flags, 41 source location, 42 destination location,
 * 43 FUTURE_USE, 44 packets sent, 45 packets received, 46 session end
 * reason, ... (PAN-OS 6.0 and later write at least the 46 through
 * packets received); THREAT: 31 URL/filename, 32 threat id, 33 category,
 * 34 severity, 35 direction, ... 41 content type.
 *
 * The CSV follows whatever syslog header the firewall or a relay wrote
 * (BSD "Nov 30 16:44:36 PA-220 1,2026/...", RFC 5424 "<14>1 2026-...
 * PA-220 - - - - 1,2026/..."), or none; some exports leave out the
 * leading FUTURE_USE column: the line is found by its receive time
 * "YYYY/MM/DD HH:MM:SS" followed by the serial number and an upper-case
 * type. The times carry no zone: they are the firewall's local time,
 * read in the ctx's zone rules (--fwlog-tz).
 *
 * A traffic log's source is the session's initiator (the client): start
 * is FWE_CONN_START, end FWE_CONN_END with the client-to-server (sent)
 * and server-to-client (received) counts, drop and deny FWE_PACKET. A
 * threat log is one FWE_PACKET of the session it names; the scan and
 * flood subtypes are the zone protection's reports of a port scan, host
 * sweep or flood, with the scanner as source (a zone's aggregate report,
 * "0.0.0.0 -> 0.0.0.0", names no host: FWR_NOTRAFFIC, as are the other
 * log types, SYSTEM, CONFIG, HIPMATCH, ...). The repeat count ("sessions
 * with the same source, destination, application and subtype seen within
 * 5 seconds") gives count, over 5 s. The generated time is the record's.
 *
 * What the log does not say: TCP flags (a drop or deny is taken as the
 * session's SYN, a threat inside a session as an ACK, a scan's or
 * flood's probe as a SYN), ICMP type and code, the packet's length
 * (bytes count whole sessions). Ports are 0 for protocols without them:
 * 0 is read as no port.
 */
#include "config.h"

#include <string.h>

#include "common/util.h"
#include "capture/decode.h"
#include "capture/fwformat.h"

enum {
	PF_RECV = 1, PF_SERIAL = 2, PF_TYPE = 3, PF_SUBTYPE = 4, PF_GEN = 6,
	PF_SRC = 7, PF_DST = 8, PF_RULE = 11, PF_IN_IF = 18, PF_OUT_IF = 19,
	PF_REPEAT = 23, PF_SPORT = 24, PF_DPORT = 25, PF_PROTO = 29, PF_ACTION = 30,
	/* TRAFFIC */
	PF_BYTES = 31, PF_BYTES_SENT = 32, PF_BYTES_RCVD = 33, PF_PKTS = 34,
	PF_ELAPSED = 36, PF_PKTS_SENT = 44, PF_PKTS_RCVD = 45,
	/* THREAT */
	PF_THREAT_ID = 32,
};

/* Fewer columns than these: the line was cut short. */
#define PF_TRAFFIC_MIN 46
#define PF_THREAT_MIN 42
/* Split no further than needed (the rest stays in the last field). */
#define PF_MAX 48

/* The repeat count's window (Traffic Log Fields, Repeat Count). */
#define PF_REPEAT_SPAN 5.0

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "DDDD/DD/DD DD:DD:DD" at p (19 bytes, checked to be inside the line). */
static bool
is_stamp(const char *p)
{
	static const char shape[] = "dddd/dd/dd dd:dd:dd";

	for (int i = 0; i < 19; i++) {
		if (shape[i] == 'd' ? !is_digit(p[i]) : p[i] != shape[i])
			return false;
	}
	return true;
}

/*
 * The start of the CSV: the FUTURE_USE column before the first receive
 * time that is followed by ",", or the receive time itself when the line
 * has no FUTURE_USE column (*has_fu false). NULL when there is none.
 */
static const char *
csv_start(const char *s, const char *end, bool *has_fu)
{
	const char *p = s;

	while (p < end) {
		const char *q = memchr(p, '/', (size_t)(end - p)), *t, *b;

		if (q == NULL)
			return NULL;
		p = q + 1;
		if (q - s < 4 || end - q < 16)
			continue;
		t = q - 4;
		if (!is_stamp(t) || t[19] != ',')
			continue;
		if (t == s || t[-1] == ' ') {
			*has_fu = false;
			return t;
		}
		if (t[-1] != ',')
			continue;
		/* the FUTURE_USE column: a word after a space or the line's start */
		b = t - 1;
		while (b > s && b[-1] != ' ' && b[-1] != ',')
			b--;
		if (b > s && b[-1] == ',')
			continue;
		*has_fu = true;
		return b;
	}
	return NULL;
}

static bool
unspecified(const struct ns_addr *a)
{
	for (size_t i = 0; i < sizeof(a->b); i++)
		if (a->b[i] != 0)
			return false;
	return true;
}

/* An upper-case log type: TRAFFIC, THREAT, SYSTEM, HIPMATCH, GLOBALPROTECT, ... */
static bool
is_type_word(struct fw_span v)
{
	if (v.n == 0 || v.n > 20)
		return false;
	for (size_t i = 0; i < v.n; i++) {
		char c = v.p[i];

		if (!(c >= 'A' && c <= 'Z') && c != '-' && c != '_')
			return false;
	}
	return true;
}

/* A serial number: letters and digits (a Panorama-forwarded log may say "Panorama"). */
static bool
is_serial(struct fw_span v)
{
	if (v.n == 0 || v.n > 32)
		return false;
	for (size_t i = 0; i < v.n; i++) {
		char c = v.p[i];

		if (!is_digit(c) && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z'))
			return false;
	}
	return true;
}

/*
 * The action column of either type. Traffic: allow, deny, drop, drop
 * ICMP (dropped, and an ICMP unreachable sent), reset-both, -client,
 * -server. Threat: alert (detected, not blocked: the traffic went
 * through), allow (a flood alert), deny, drop, drop-all-packets,
 * reset-*, block-url, block-ip, random-drop, sinkhole, syncookie-sent,
 * and the URL filter's block-continue, continue, block-override,
 * override-lockout, override, and WildFire's block.
 */
static enum fwlog_action
pan_action(struct fw_span v)
{
	static const struct {
		const char *word;
		enum fwlog_action act;
	} words[] = {
		{ "alert", FWA_ALLOW }, { "continue", FWA_ALLOW }, { "override", FWA_ALLOW },
		{ "drop ICMP", FWA_RESET }, { "drop-icmp", FWA_RESET },
		{ "drop-all-packets", FWA_DENY }, { "block-url", FWA_DENY },
		{ "block-ip", FWA_DENY }, { "random-drop", FWA_DENY },
		{ "block-continue", FWA_DENY }, { "block-override", FWA_DENY },
		{ "override-lockout", FWA_DENY }, { "sinkhole", FWA_OTHER },
		{ "syncookie-sent", FWA_OTHER },
	};

	for (size_t i = 0; i < NS_ARRAY_LEN(words); i++)
		if (fw_ieq(v, words[i].word))
			return words[i].act;
	/* allow, deny, drop, block, reset-both, reset-client, reset-server */
	return fw_action(v);
}

/* A counter column: empty is 0, anything but a number is a bad field. */
static bool
pan_count(struct fw_span v, uint64_t *out)
{
	if (v.n == 0) {
		*out = 0;
		return true;
	}
	return fw_uint(v, UINT64_MAX, out);
}

/* A port column: 0 (what PAN-OS writes for ICMP and other protocols) is none. */
static enum fwlog_result
pan_port(struct fw_span v, bool *has, uint16_t *port)
{
	uint16_t pt;

	if (v.n == 0) {
		*has = false;
		return FWR_OK;
	}
	if (fw_port(v, &pt) != FWR_OK)
		return FWR_BADPORT;
	*has = pt != 0;
	*port = pt;
	return FWR_OK;
}

static enum fwlog_result
pan_parse(struct fw_line *l, struct fwlog_rec *r)
{
	struct fw_span f[PF_MAX + 1];
	struct ns_addr src, dst;
	const char *csv;
	bool has_fu, traffic;
	uint64_t u;
	int n;
	enum fwlog_result res;

	csv = csv_start(l->s, l->end, &has_fu);
	if (csv == NULL)
		return FWR_NO;
	if (has_fu) {
		n = fw_split(csv, l->end, ',', f, PF_MAX);
	} else {
		f[0] = (struct fw_span){ csv, 0 };
		n = 1 + fw_split(csv, l->end, ',', f + 1, PF_MAX - 1);
	}
	if (n <= PF_TYPE)
		return FWR_NO;
	if (!is_serial(f[PF_SERIAL]) || !is_type_word(f[PF_TYPE]))
		return FWR_NO;
	if (fw_eq(f[PF_TYPE], "TRAFFIC"))
		traffic = true;
	else if (fw_eq(f[PF_TYPE], "THREAT"))
		traffic = false;
	else
		return FWR_NOTRAFFIC;	/* SYSTEM, CONFIG, HIPMATCH, USERID, ... */
	if (n < (traffic ? PF_TRAFFIC_MIN : PF_THREAT_MIN))
		return FWR_CUT;

	/* the generated time; the receive time if that one is unreadable */
	if (fw_time_iso(l->ctx, f[PF_GEN], &r->p.ts) ||
	    fw_time_iso(l->ctx, f[PF_RECV], &r->p.ts))
		r->has_ts = true;
	else
		return FWR_BADFIELD;

	if (fw_addr(f[PF_SRC], &src) != FWR_OK || fw_addr(f[PF_DST], &dst) != FWR_OK)
		return FWR_BADADDR;
	if ((res = fw_set_addrs(r, &src, &dst)) != FWR_OK)
		return res;
	/* a zone's aggregate flood or session limit report: "0.0.0.0 -> 0.0.0.0" */
	if (unspecified(&src) && unspecified(&dst))
		return FWR_NOTRAFFIC;
	if ((res = pan_port(f[PF_SPORT], &r->has_sport, &r->p.sport)) != FWR_OK ||
	    (res = pan_port(f[PF_DPORT], &r->has_dport, &r->p.dport)) != FWR_OK)
		return res;
	/* IANA's keywords: "tcp", "udp", "icmp", "ipv6-icmp", ..., "hopopt" for 0 */
	r->p.proto = fw_eq(f[PF_PROTO], "hopopt") ? 0 :
	    f[PF_PROTO].n > 0 ? fw_proto(f[PF_PROTO]) : 255;
	r->action = pan_action(f[PF_ACTION]);
	fw_text(r->rule, sizeof(r->rule), f[PF_RULE]);
	fw_text(r->in_if, sizeof(r->in_if), f[PF_IN_IF]);
	fw_text(r->out_if, sizeof(r->out_if), f[PF_OUT_IF]);

	if (!pan_count(f[PF_REPEAT], &u) || u > UINT32_MAX)
		return FWR_BADFIELD;
	r->count = u > 0 ? (uint32_t)u : 1;
	if (r->count > 1)
		r->count_span = PF_REPEAT_SPAN;

	if (!traffic) {
		bool zone = fw_eq(f[PF_SUBTYPE], "scan") || fw_eq(f[PF_SUBTYPE], "flood");

		/* a zone protection report has no rule: its threat name says what it saw */
		if (r->rule[0] == '\0')
			fw_text(r->rule, sizeof(r->rule), f[PF_THREAT_ID]);
		/*
		 * The log gives no TCP flags, and none would read as a NULL
		 * scan: a scan's or flood's probes are taken as SYNs, any other
		 * threat is inside a session, ACK.
		 */
		if (r->p.proto == 6)
			r->p.tcp_flags = zone ? TCP_SYN : TCP_ACK;
		r->event = FWE_PACKET;
		return FWR_OK;
	}
	if (fw_eq(f[PF_SUBTYPE], "start")) {
		r->event = FWE_CONN_START;
		r->count = 1;
		r->count_span = 0;
	} else if (fw_eq(f[PF_SUBTYPE], "end")) {
		uint64_t bytes, sent, rcvd, pkts, elapsed, psent, prcvd;

		/* packets (the sum) is read only to check it is a number */

		if (!pan_count(f[PF_BYTES], &bytes) || !pan_count(f[PF_BYTES_SENT], &sent) ||
		    !pan_count(f[PF_BYTES_RCVD], &rcvd) || !pan_count(f[PF_PKTS], &pkts) ||
		    !pan_count(f[PF_ELAPSED], &elapsed) ||
		    !pan_count(f[PF_PKTS_SENT], &psent) || !pan_count(f[PF_PKTS_RCVD], &prcvd))
			return FWR_BADFIELD;
		r->event = FWE_CONN_END;
		r->count = 1;
		r->count_span = 0;
		r->bytes_total = bytes;
		r->bytes_fwd = sent;
		r->bytes_rev = rcvd;
		r->pkts_fwd = psent;
		r->pkts_rev = prcvd;
		r->duration = (double)elapsed;
	} else {
		/*
		 * drop, deny, and any subtype to come: the policy's verdict on a
		 * session's first packet, for TCP its SYN (the log gives no flags)
		 */
		r->event = FWE_PACKET;
		if (r->p.proto == 6)
			r->p.tcp_flags = TCP_SYN;
	}
	return FWR_OK;
}

const struct fw_format fw_panos = {
	.name = "panos",
	.vendor = "Palo Alto Networks PAN-OS",
	.parse = pan_parse,
};
