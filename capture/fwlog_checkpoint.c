/*
 * Check Point Log Exporter (sk122323, R80.10 and later), its own two
 * layouts:
 *
 *   syslog:  <134>1 2026-11-24T05:01:02Z gw CheckPoint 1234 - [action:"Drop";
 *            ifdir:"inbound"; ifname:"eth1"; time:"1795496462"; src:"203.0.113.10";
 *            s_port:"123"; dst:"192.0.2.5"; service:"40123"; proto:"17"; ...]
 *   splunk:  time=1795496462|hostname=gw|product=Firewall|action=Drop|ifdir=inbound|
 *            ifname=eth1|src=203.0.113.10|s_port=123|dst=192.0.2.5|service=40123|proto=17
 *
 * and the older OPSEC LEA export of the same fields (i/f_dir, i/f_name,
 * time=24Nov2026 5:01:02), which has the splunk layout. Log Exporter's CEF
 * and LEEF are read by capture/fwlog_cef.c.
 *
 * The field names are Check Point's (sk144192): service is the destination
 * port, s_port the source port, ifdir the direction of the connection at
 * ifname, the interface the log was taken on (inzone/outzone stand in
 * when there is none). Lines are untrusted text:
 * every read is bounded by the line's end.
 */
#include "config.h"

#include <string.h>

#include "common/util.h"
#include "capture/fwformat.h"

#define K(s, slot) FW_KSLOT(s, slot)

enum {
	P_NONE = 0,
	P_TIME, P_SRC, P_DST, P_PROTO, P_SPORT, P_SERVICE, P_DPORT, P_ACTION, P_RULEACT,
	P_IFDIR, P_IFNAME, P_INZONE, P_OUTZONE, P_RULENAME, P_RULE, P_RULEUID,
	P_ICMPTYPE, P_ICMPCODE, P_FWDBYTES, P_REVBYTES, P_BYTES, P_FWDPKTS, P_REVPKTS,
	P_CIN_BYTES, P_SIN_BYTES, P_CIN_PKTS, P_SIN_PKTS, P_CONNDIR,
	P__N
};

/*
 * The fields that matter here. client_outbound_* are what the client
 * (the connection's source) sent, server_outbound_* what the server sent
 * back; client_inbound_* (what the client received) and server_inbound_*
 * stand in for them when they are missing; sent_byte(s)/received_bytes
 * the same for older blades.
 */
static const struct fw_kslot cp_keys[] = {
	K("dst", P_DST), K("src", P_SRC), K("rule", P_RULE), K("time", P_TIME),
	K("bytes", P_BYTES), K("ifdir", P_IFDIR), K("proto", P_PROTO),
	K("action", P_ACTION), K("d_port", P_DPORT), K("ifname", P_IFNAME),
	K("inzone", P_INZONE), K("s_port", P_SPORT), K("i/f_dir", P_IFDIR),
	K("outzone", P_OUTZONE), K("service", P_SERVICE), K("i/f_name", P_IFNAME),
	K("rule_uid", P_RULEUID), K("icmp_code", P_ICMPCODE),
	K("icmp_type", P_ICMPTYPE), K("rule_name", P_RULENAME),
	K("sent_byte", P_FWDBYTES), K("sent_bytes", P_FWDBYTES),
	K("rule_action", P_RULEACT), K("received_byte", P_REVBYTES),
	K("conn_direction", P_CONNDIR), K("received_bytes", P_REVBYTES),
	K("client_inbound_bytes", P_CIN_BYTES), K("server_inbound_bytes", P_SIN_BYTES),
	K("client_outbound_bytes", P_FWDBYTES), K("server_outbound_bytes", P_REVBYTES),
	K("client_inbound_packets", P_CIN_PKTS),
	K("server_inbound_packets", P_SIN_PKTS),
	K("client_outbound_packets", P_FWDPKTS),
	K("server_outbound_packets", P_REVPKTS),
};


static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool
is_keychar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
	    c == '/' || c == '-' || c == '.';
}

static struct fw_span
trim(struct fw_span v)
{
	while (v.n > 0 && (v.p[0] == ' ' || v.p[0] == '\t'))
		v.p++, v.n--;
	while (v.n > 0 && (v.p[v.n - 1] == ' ' || v.p[v.n - 1] == '\t' ||
	    v.p[v.n - 1] == '\r'))
		v.n--;
	return v;
}

static bool
all_digits(struct fw_span v)
{
	if (v.n == 0)
		return false;
	for (size_t i = 0; i < v.n; i++)
		if (!is_digit(v.p[i]))
			return false;
	return true;
}

/* A value as text, its backslash escapes (\" \\ \=) undone. */
static void
cp_text(char *dst, size_t cap, struct fw_span v)
{
	char buf[256];
	size_t o = 0;

	if (memchr(v.p, '\\', v.n) == NULL) {
		fw_text(dst, cap, v);
		return;
	}
	for (size_t i = 0; i < v.n && o < sizeof(buf); i++) {
		char c = v.p[i];

		if (c == '\\' && i + 1 < v.n)
			c = v.p[++i];
		buf[o++] = c;
	}
	fw_text(dst, cap, (struct fw_span){ buf, o });
}

/* ---- the two layouts ---- */

/*
 * The syslog layout's "[key:"value"; ...]" after "CheckPoint <pid> - ":
 * the '[' that opens it, or NULL.
 */
static const char *
cp_bracket(const char *s, const char *end)
{
	const char *m = fw_find(s, end, "CheckPoint"), *p;

	if (m == NULL)
		return NULL;
	for (p = m + 10; p < end && p - m < 80; p++) {
		const char *q;

		if (*p != '[')
			continue;
		q = p + 1;
		/* "CheckPoint 1234 - [" and nothing more: cut short */
		if (q == end && p - m >= 3 && p[-1] == ' ' && p[-2] == '-')
			return p;
		while (q < end && is_keychar(*q))
			q++;
		if (q > p + 1 && end - q >= 2 && q[0] == ':' && q[1] == '"')
			return p;
	}
	return NULL;
}

/* The splunk layout: "time=...|...|loguid=..." or the LEA export's "i/f_dir=". */
static bool
cp_is_splunk(const char *s, const char *end)
{
	if (memchr(s, '|', (size_t)(end - s)) == NULL || fw_find(s, end, "time=") == NULL)
		return false;
	if (fw_find(s, end, "|loguid=") == NULL && fw_find(s, end, "|origin=") == NULL &&
	    fw_find(s, end, "|ifdir=") == NULL && fw_find(s, end, "|i/f_dir=") == NULL)
		return false;
	/* Log Exporter's CEF and LEEF are the CEF and LEEF formats' */
	return fw_find(s, end, "CEF:") == NULL && fw_find(s, end, "LEEF:") == NULL;
}

#define CP_MAX_PAIRS 192

/*
 * "key=value|key=value|": '|' splits, the key runs to the first '=' (the
 * first field's after the last space, past a syslog header); "\=" and
 * "\|" are escapes in values.
 */
static int
cp_split_pipes(const char *s, const char *end, struct fw_pair *out, int max)
{
	const char *p = s;
	int n = 0;

	while (p < end && n < max) {
		const char *q = p, *eq = NULL;

		while (q < end && *q != '|') {
			if (*q == '\\' && q + 1 < end) {
				q += 2;
				continue;
			}
			if (*q == '=' && eq == NULL)
				eq = q;
			q++;
		}
		if (eq != NULL) {
			const char *k = eq;

			while (k > p && k[-1] != ' ')
				k--;
			out[n].key = (struct fw_span){ k, (size_t)(eq - k) };
			out[n].val = trim((struct fw_span){ eq + 1, (size_t)(q - eq - 1) });
			out[n].quoted = false;
			if (out[n].key.n > 0)
				n++;
		}
		p = q < end ? q + 1 : end;
	}
	return n;
}

/* ---- values ---- */

/* "Accept", "Drop", ...: what Check Point's actions mean here. */
static enum fwlog_action
cp_action(struct fw_span w)
{
	static const struct {
		const char *w;
		enum fwlog_action a;
	} words[] = {
		{ "accept", FWA_ALLOW }, { "allow", FWA_ALLOW }, { "encrypt", FWA_ALLOW },
		{ "decrypt", FWA_ALLOW }, { "bypass", FWA_ALLOW }, { "drop", FWA_DENY },
		{ "block", FWA_DENY }, { "prevent", FWA_DENY }, { "reject", FWA_RESET },
		{ "detect", FWA_OTHER }, { "inform", FWA_OTHER }, { "ask", FWA_OTHER },
		{ "redirect", FWA_OTHER },
	};

	w = trim(w);
	for (size_t i = 0; i < NS_ARRAY_LEN(words); i++)
		if (fw_ieq(w, words[i].w))
			return words[i].a;
	return fw_action(w);
}

/* "24Nov2026 5:01:02": the LEA export's time, in the ctx's zone. */
static bool
lea_time(struct fwlog_ctx *ctx, struct fw_span v, double *ts)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	const char *p = v.p, *e = v.p + v.n;
	long f[5] = { 0 };
	int mo = 0, k = 0;

	while (p < e && is_digit(*p) && p - v.p < 2)
		f[0] = f[0] * 10 + (*p++ - '0');
	if (p == v.p || e - p < 3)
		return false;
	for (int i = 0; i < 12; i++)
		if (lower(p[0]) == names[3 * i] && lower(p[1]) == names[3 * i + 1] &&
		    lower(p[2]) == names[3 * i + 2])
			mo = i + 1;
	if (mo == 0)
		return false;
	p += 3;
	for (k = 1; k < 5; k++) {
		const char *q;
		int max = k == 1 ? 4 : 2;

		if (k == 2)
			while (p < e && *p == ' ')
				p++;
		else if (k > 2 && (p >= e || *p++ != ':'))
			return false;
		q = p;
		while (p < e && is_digit(*p) && p - q < max)
			f[k] = f[k] * 10 + (*p++ - '0');
		if (p == q || (k == 1 && p - q != 4))
			return false;
	}
	if (p != e)
		return false;
	*ts = fw_time_civil(ctx, (int)f[1], mo, (int)f[0], (int)f[2], (int)f[3], (int)f[4], 0,
	    false, 0);
	return *ts >= 0;
}

static enum fwlog_result
cp_uint(struct fw_span v, uint64_t *out)
{
	v = trim(v);
	if (v.n == 0)
		return FWR_OK;
	return fw_uint(v, UINT64_MAX, out) ? FWR_OK : FWR_BADFIELD;
}

static enum fwlog_result
cp_parse(struct fw_line *l, struct fwlog_rec *r)
{
	const char *end = l->end, *br;
	struct fw_pair pairs[CP_MAX_PAIRS];
	struct fw_span v[P__N];
	struct ns_addr s, d;
	enum fwlog_result res;
	int np;
	uint64_t u;

	while (end > l->s && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	if ((br = cp_bracket(l->s, end)) != NULL) {
		/* Log Exporter's CEF and LEEF are the CEF and LEEF formats' */
		if (fw_find(l->s, br, "CEF:") != NULL || fw_find(l->s, br, "LEEF:") != NULL)
			return FWR_NO;
		np = fw_kv_split(br + 1, end, ':', pairs, CP_MAX_PAIRS);
		/* cut short: no closing bracket, or the last value's quote left open */
		if (end[-1] != ']')
			return FWR_CUT;
		if (np > 0 && pairs[np - 1].quoted &&
		    pairs[np - 1].val.p + pairs[np - 1].val.n >= end)
			return FWR_CUT;
	} else if (cp_is_splunk(l->s, end)) {
		np = cp_split_pipes(l->s, end, pairs, CP_MAX_PAIRS);
	} else {
		return FWR_NO;
	}
	memset(v, 0, sizeof(v));
	for (int i = 0; i < np; i++) {
		int sl = fw_kslot_find(cp_keys, NS_ARRAY_LEN(cp_keys), pairs[i].key);

		if (sl != 0 && v[sl].p == NULL)
			v[sl] = pairs[i].val;
	}

	/* addresses and ports */
	v[P_SRC] = trim(v[P_SRC]);
	v[P_DST] = trim(v[P_DST]);
	if (v[P_SRC].n == 0 || v[P_DST].n == 0)
		return FWR_NOTRAFFIC;
	if (fw_addr(v[P_SRC], &s) != FWR_OK || fw_addr(v[P_DST], &d) != FWR_OK)
		return FWR_BADADDR;
	if ((res = fw_set_addrs(r, &s, &d)) != FWR_OK)
		return res;
	r->p.proto = v[P_PROTO].n > 0 ? fw_proto(trim(v[P_PROTO])) : 255;
	if ((v[P_SPORT] = trim(v[P_SPORT])).n > 0) {
		if (fw_port(v[P_SPORT], &r->p.sport) != FWR_OK)
			return FWR_BADPORT;
		r->has_sport = true;
	}
	/* service is the destination port; older logs name it ("domain-udp") */
	{
		struct fw_span dp = trim(v[P_SERVICE]);

		if (!all_digits(dp))
			dp = trim(v[P_DPORT]);
		if (dp.n > 0) {
			if (fw_port(dp, &r->p.dport) != FWR_OK)
				return FWR_BADPORT;
			r->has_dport = true;
		}
	}
	if (v[P_ICMPTYPE].n > 0 && fw_uint(trim(v[P_ICMPTYPE]), 255, &u)) {
		r->p.icmp_type = (uint8_t)u;
		r->has_icmp_type = true;
	}
	if (v[P_ICMPCODE].n > 0 && fw_uint(trim(v[P_ICMPCODE]), 255, &u))
		r->p.icmp_code = (uint8_t)u;

	r->action = cp_action(v[P_ACTION].n > 0 ? v[P_ACTION] : v[P_RULEACT]);

	/* ifdir is the connection's direction where it crossed ifname */
	{
		struct fw_span dir = trim(v[P_IFDIR]);

		if (fw_ieq(dir, "inbound"))
			r->dir = FWD_IN;
		else if (fw_ieq(dir, "outbound"))
			r->dir = FWD_OUT;
		else if (fw_ieq(trim(v[P_CONNDIR]), "incoming"))
			r->dir = FWD_IN;
		else if (fw_ieq(trim(v[P_CONNDIR]), "outgoing"))
			r->dir = FWD_OUT;
	}
	if (v[P_IFNAME].n > 0)
		cp_text(r->dir == FWD_OUT ? r->out_if : r->in_if, sizeof(r->in_if), trim(v[P_IFNAME]));
	/* zones, when the line names no interface */
	if (v[P_IFNAME].n == 0) {
		if (v[P_INZONE].n > 0)
			cp_text(r->in_if, sizeof(r->in_if), trim(v[P_INZONE]));
		if (v[P_OUTZONE].n > 0)
			cp_text(r->out_if, sizeof(r->out_if), trim(v[P_OUTZONE]));
	}
	if (v[P_RULENAME].n > 0)
		cp_text(r->rule, sizeof(r->rule), trim(v[P_RULENAME]));
	else if (v[P_RULE].n > 0)
		cp_text(r->rule, sizeof(r->rule), trim(v[P_RULE]));
	else if (v[P_RULEUID].n > 0)
		cp_text(r->rule, sizeof(r->rule), trim(v[P_RULEUID]));

	/* accounting: what each side sent, or the total */
	if (cp_uint(v[P_FWDBYTES].n > 0 ? v[P_FWDBYTES] : v[P_SIN_BYTES], &r->bytes_fwd) != FWR_OK ||
	    cp_uint(v[P_REVBYTES].n > 0 ? v[P_REVBYTES] : v[P_CIN_BYTES], &r->bytes_rev) != FWR_OK ||
	    cp_uint(v[P_FWDPKTS].n > 0 ? v[P_FWDPKTS] : v[P_SIN_PKTS], &r->pkts_fwd) != FWR_OK ||
	    cp_uint(v[P_REVPKTS].n > 0 ? v[P_REVPKTS] : v[P_CIN_PKTS], &r->pkts_rev) != FWR_OK)
		return FWR_BADFIELD;
	if (r->bytes_fwd == 0 && r->bytes_rev == 0 &&
	    cp_uint(v[P_BYTES], &r->bytes_total) != FWR_OK)
		return FWR_BADFIELD;

	/* time: seconds since the epoch, else ISO 8601 or the LEA export's */
	if ((v[P_TIME] = trim(v[P_TIME])).n > 0) {
		if (fw_uint(v[P_TIME], UINT32_MAX * 4ULL, &u))
			r->p.ts = (double)u;
		else if (!fw_time_iso(l->ctx, v[P_TIME], &r->p.ts) &&
		    !lea_time(l->ctx, v[P_TIME], &r->p.ts))
			return FWR_BADFIELD;
		r->has_ts = true;
	} else {
		r->has_ts = fw_header_time(l, &r->p.ts);
	}

	/*
	 * Accept (Encrypt, Decrypt, Bypass) logs a connection: its start, or
	 * with Accounting its counters, taken as its end (the last update of
	 * a long connection's counters is its total).
	 */
	r->event = FWE_PACKET;
	if (r->action == FWA_ALLOW)
		r->event = r->bytes_fwd != 0 || r->bytes_rev != 0 || r->bytes_total != 0 ||
		    r->pkts_fwd != 0 || r->pkts_rev != 0 ? FWE_CONN_END : FWE_CONN_START;
	return FWR_OK;
}

const struct fw_format fw_checkpoint = {
	.name = "checkpoint",
	.vendor = "Check Point Log Exporter (syslog, splunk) and OPSEC LEA export",
	.parse = cp_parse,
};
