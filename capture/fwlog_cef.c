/*
 * CEF and LEEF: the two event formats that most firewalls can send to a
 * SIEM, whatever their vendor.
 *
 * CEF (ArcSight "Implementing ArcSight Common Event Format", rev. 25):
 *
 *   [syslog header] CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|ext
 *
 * header fields escape '|' and '\' with '\'; the extension is key=value
 * pairs separated by spaces, a value running to the next " key=" ('=' and
 * '\' escaped with '\' inside values). Keys read: src, dst, c6a2 / c6a3
 * (IPv6 source and destination), spt, dpt, proto, act,
 * deviceInboundInterface, deviceOutboundInterface, deviceDirection (0
 * inbound, 1 outbound), csN with csNLabel naming a rule, cnt, in / out
 * (bytes), rt / end / start (ms since the epoch, or "MMM dd yyyy
 * HH:mm:ss").
 *
 * LEEF (IBM QRadar "Log Event Extended Format" 1.0 and 2.0):
 *
 *   LEEF:1.0|Vendor|Product|Version|EventID|k=v<TAB>k=v...
 *   LEEF:2.0|Vendor|Product|Version|EventID|^|k=v^k=v...
 *
 * 2.0 names its delimiter (a character, or its code as 0x5E / x5E); keys
 * read: src, dst, srcPort, dstPort, proto, action (or act), srcBytes,
 * dstBytes, srcPackets, dstPackets, devTime, policy / rule names, and the
 * interfaces some vendors add.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "capture/fwformat.h"

#define MAX_PAIRS 96

/* The header fields after "CEF:" or "LEEF:", '|'-separated with '\' escapes. */
static int
header_fields(const char *p, const char *end, struct fw_span *f, int max, const char **rest)
{
	int n = 0;
	const char *start = p;

	while (p < end && n < max) {
		if (*p == '\\' && p + 1 < end) {
			p += 2;
			continue;
		}
		if (*p == '|') {
			f[n].p = start;
			f[n].n = (size_t)(p - start);
			n++;
			start = p + 1;
		}
		p++;
	}
	*rest = start;
	return n;
}

static bool
cef_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '_' || c == '.' || c == '-' || c == '[' || c == ']';
}

/*
 * The extension's pairs: a key, an unescaped '=', and a value that runs
 * to the space before the next key=.
 */
static int
cef_pairs(const char *p, const char *end, struct fw_pair *pr, int max)
{
	int n = 0;

	while (p < end && *p == ' ')
		p++;
	while (p < end && n < max) {
		const char *k = p, *v, *q, *vend;

		while (p < end && cef_key_char(*p))
			p++;
		if (p == k || p >= end || *p != '=')
			return n;	/* not a key: the rest is not read */
		v = ++p;
		vend = end;
		for (q = v; q < end; q++) {
			if (*q == '\\' && q + 1 < end) {
				q++;
				continue;
			}
			if (*q == ' ') {
				const char *r = q + 1;

				while (r < end && cef_key_char(*r))
					r++;
				if (r > q + 1 && r < end && *r == '=') {
					vend = q;
					break;
				}
			}
		}
		pr[n].key.p = k;
		pr[n].key.n = (size_t)(v - 1 - k);
		pr[n].val.p = v;
		pr[n].val.n = (size_t)(vend - v);
		while (pr[n].val.n > 0 && pr[n].val.p[pr[n].val.n - 1] == ' ')
			pr[n].val.n--;
		pr[n].quoted = false;
		n++;
		p = vend;
		while (p < end && *p == ' ')
			p++;
	}
	return n;
}

/* LEEF's pairs: key=value separated by one delimiter character. */
static int
leef_pairs(const char *p, const char *end, char delim, struct fw_pair *pr, int max)
{
	int n = 0;

	while (p < end && n < max) {
		const char *q = memchr(p, delim, (size_t)(end - p));
		const char *fe = q != NULL ? q : end;
		const char *eq = memchr(p, '=', (size_t)(fe - p));

		if (eq != NULL && eq > p) {
			pr[n].key.p = p;
			pr[n].key.n = (size_t)(eq - p);
			pr[n].val.p = eq + 1;
			pr[n].val.n = (size_t)(fe - eq - 1);
			pr[n].quoted = false;
			n++;
		}
		if (q == NULL)
			break;
		p = q + 1;
	}
	return n;
}

static int
month_of(struct fw_span v)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	if (v.n < 3)
		return 0;
	for (int i = 0; i < 12; i++)
		if (memcmp(v.p, names + 3 * i, 3) == 0)
			return i + 1;
	return 0;
}

/*
 * A time value: milliseconds (or seconds, by length) since the epoch,
 * ISO 8601, or "MMM dd yyyy HH:mm:ss[.SSS]" in the ctx's zone.
 */
static bool
event_time(struct fwlog_ctx *ctx, struct fw_span v, double *ts)
{
	uint64_t u;
	struct fw_span f[4];
	int n, mo;
	unsigned y, d, h, mi, s;

	if (fw_uint(v, UINT64_MAX, &u)) {
		if (v.n >= 12)
			*ts = (double)u / 1000.0;
		else if (v.n >= 9)
			*ts = (double)u;
		else
			return false;
		return true;
	}
	if (fw_time_iso(ctx, v, ts))
		return true;
	n = fw_split(v.p, v.p + v.n, ' ', f, 4);
	if (n < 4 || (mo = month_of(f[0])) == 0)
		return false;
	{
		char buf[16];
		double frac = 0;

		if (f[3].n >= sizeof(buf))
			return false;
		memcpy(buf, f[3].p, f[3].n);
		buf[f[3].n] = '\0';
		if (f[1].n < 1 || f[1].n > 2 || f[2].n != 4 ||
		    sscanf(buf, "%2u:%2u:%2u", &h, &mi, &s) != 3)
			return false;
		{
			uint64_t dd, yy;

			if (!fw_uint(f[1], 31, &dd) || !fw_uint(f[2], 9999, &yy))
				return false;
			d = (unsigned)dd;
			y = (unsigned)yy;
		}
		if (f[3].n > 9 && buf[8] == '.') {
			double scale = 0.1;

			for (size_t i = 9; i < f[3].n && buf[i] >= '0' && buf[i] <= '9'; i++) {
				frac += (buf[i] - '0') * scale;
				scale /= 10;
			}
		}
		*ts = fw_time_civil(ctx, (int)y, mo, (int)d, (int)h, (int)mi, (int)s, frac,
		    false, 0);
		return *ts >= 0;
	}
}

/* The value of the first of the keys found. */
static bool
first_of(const struct fw_pair *pr, int n, const char *const *keys, struct fw_span *v)
{
	for (; *keys != NULL; keys++)
		if (fw_kv_get(pr, n, *keys, v) && v->n > 0)
			return true;
	return false;
}

/* What CEF and LEEF share once their pairs are split. */
struct names {
	const char *const *src, *const *dst, *const *spt, *const *dpt, *const *proto;
	const char *const *act, *const *in_if, *const *out_if, *const *rule;
	const char *const *bytes_in, *const *bytes_out, *const *pkts_in, *const *pkts_out;
	const char *const *count, *const *time;
};

static enum fwlog_result
fill(struct fw_line *l, struct fwlog_rec *r, const struct fw_pair *pr, int n,
    const struct names *k)
{
	struct ns_addr src, dst;
	struct fw_span v;
	enum fwlog_result res;
	uint64_t u;

	if (!first_of(pr, n, k->src, &v))
		return FWR_NOTRAFFIC;
	if ((res = fw_addr(v, &src)) != FWR_OK)
		return res;
	if (!first_of(pr, n, k->dst, &v))
		return FWR_NOTRAFFIC;	/* a source only: no pair of hosts */
	if ((res = fw_addr(v, &dst)) != FWR_OK)
		return res;
	if ((res = fw_set_addrs(r, &src, &dst)) != FWR_OK)
		return res;
	if (first_of(pr, n, k->spt, &v)) {
		if ((res = fw_port(v, &r->p.sport)) != FWR_OK)
			return res;
		r->has_sport = true;
	}
	if (first_of(pr, n, k->dpt, &v)) {
		if ((res = fw_port(v, &r->p.dport)) != FWR_OK)
			return res;
		r->has_dport = true;
	}
	r->p.proto = first_of(pr, n, k->proto, &v) ? fw_proto(v) : 255;
	if (first_of(pr, n, k->act, &v))
		r->action = fw_action(v);
	if (first_of(pr, n, k->in_if, &v))
		fw_text(r->in_if, sizeof(r->in_if), v);
	if (first_of(pr, n, k->out_if, &v))
		fw_text(r->out_if, sizeof(r->out_if), v);
	if (k->rule != NULL && first_of(pr, n, k->rule, &v))
		fw_text(r->rule, sizeof(r->rule), v);
	if (first_of(pr, n, k->bytes_out, &v) && fw_uint(v, UINT64_MAX, &u))
		r->bytes_fwd = u;
	if (first_of(pr, n, k->bytes_in, &v) && fw_uint(v, UINT64_MAX, &u))
		r->bytes_rev = u;
	if (k->pkts_out != NULL && first_of(pr, n, k->pkts_out, &v) && fw_uint(v, UINT64_MAX, &u))
		r->pkts_fwd = u;
	if (k->pkts_in != NULL && first_of(pr, n, k->pkts_in, &v) && fw_uint(v, UINT64_MAX, &u))
		r->pkts_rev = u;
	if (k->count != NULL && first_of(pr, n, k->count, &v)) {
		if (!fw_uint(v, UINT32_MAX, &u))
			return FWR_BADFIELD;
		r->count = u > 0 ? (uint32_t)u : 1;
	}
	/* counters name a session that ended; a deny is the packet it refused */
	r->event = (r->bytes_fwd || r->bytes_rev || r->pkts_fwd || r->pkts_rev) &&
	    r->action != FWA_DENY && r->action != FWA_RESET ? FWE_CONN_END : FWE_PACKET;
	if (first_of(pr, n, k->time, &v) && event_time(l->ctx, v, &r->p.ts))
		r->has_ts = true;
	else
		r->has_ts = fw_header_time(l, &r->p.ts);
	return FWR_OK;
}

static const char *const cef_src[] = { "src", "c6a2", "sourceAddress", NULL };
static const char *const cef_dst[] = { "dst", "c6a3", "destinationAddress", NULL };
static const char *const cef_spt[] = { "spt", "sourcePort", NULL };
static const char *const cef_dpt[] = { "dpt", "destinationPort", NULL };
static const char *const cef_proto[] = { "proto", "transportProtocol", NULL };
static const char *const cef_act[] = { "act", "deviceAction", NULL };
static const char *const cef_in_if[] = { "deviceInboundInterface", NULL };
static const char *const cef_out_if[] = { "deviceOutboundInterface", NULL };
static const char *const cef_bin[] = { "in", "bytesIn", NULL };
static const char *const cef_bout[] = { "out", "bytesOut", NULL };
static const char *const cef_cnt[] = { "cnt", "baseEventCount", NULL };
static const char *const cef_time[] = { "rt", "end", "start", "deviceReceiptTime", NULL };

/* csN whose csNLabel names a rule or policy ("Rule", "Rule Name", "policy_id"). */
static bool
cef_rule(const struct fw_pair *pr, int n, struct fw_span *v)
{
	char label[12], key[8];

	for (int i = 1; i <= 6; i++) {
		struct fw_span lab;

		snprintf(label, sizeof(label), "cs%dLabel", i);
		snprintf(key, sizeof(key), "cs%d", i);
		if (!fw_kv_get(pr, n, label, &lab))
			continue;
		for (size_t j = 0; j + 4 <= lab.n; j++)
			if ((lab.p[j] | 0x20) == 'r' && (lab.p[j + 1] | 0x20) == 'u' &&
			    (lab.p[j + 2] | 0x20) == 'l' && (lab.p[j + 3] | 0x20) == 'e')
				return fw_kv_get(pr, n, key, v);
		for (size_t j = 0; j + 6 <= lab.n; j++)
			if ((lab.p[j] | 0x20) == 'p' && (lab.p[j + 1] | 0x20) == 'o' &&
			    (lab.p[j + 2] | 0x20) == 'l' && (lab.p[j + 3] | 0x20) == 'i' &&
			    (lab.p[j + 4] | 0x20) == 'c' && (lab.p[j + 5] | 0x20) == 'y')
				return fw_kv_get(pr, n, key, v);
	}
	return false;
}

static enum fwlog_result
cef_parse(struct fw_line *l, struct fwlog_rec *r)
{
	static const struct names k = {
		.src = cef_src, .dst = cef_dst, .spt = cef_spt, .dpt = cef_dpt,
		.proto = cef_proto, .act = cef_act, .in_if = cef_in_if,
		.out_if = cef_out_if, .rule = NULL, .bytes_in = cef_bin, .bytes_out = cef_bout,
		.count = cef_cnt, .time = cef_time,
	};
	struct fw_span h[8], v;
	struct fw_pair pr[MAX_PAIRS];
	const char *at, *ext;
	enum fwlog_result res;
	int nh, n;

	if ((at = fw_find(l->s, l->end, "CEF:")) == NULL)
		return FWR_NO;
	if (at + 4 >= l->end || at[4] < '0' || at[4] > '9')
		return FWR_NO;
	nh = header_fields(at + 4, l->end, h, 7, &ext);
	if (nh < 7)
		return FWR_CUT;
	n = cef_pairs(ext, l->end, pr, MAX_PAIRS);
	if ((res = fill(l, r, pr, n, &k)) != FWR_OK)
		return res;
	if (cef_rule(pr, n, &v))
		fw_text(r->rule, sizeof(r->rule), v);
	if (fw_kv_get(pr, n, "deviceDirection", &v)) {
		if (fw_eq(v, "0"))
			r->dir = FWD_IN;
		else if (fw_eq(v, "1"))
			r->dir = FWD_OUT;
	}
	/* no act: the event's name often starts with the verdict ("Deny udp") */
	if (r->action == FWA_NONE) {
		struct fw_span w = h[5];
		enum fwlog_action a;

		for (size_t i = 0; i < w.n; i++)
			if (w.p[i] == ' ' || w.p[i] == ':') {
				w.n = i;
				break;
			}
		a = fw_action(w);

		if (a != FWA_OTHER)
			r->action = a;
	}
	return FWR_OK;
}

const struct fw_format fw_cef = {
	.name = "cef",
	.vendor = "CEF (ArcSight Common Event Format), any vendor",
	.parse = cef_parse,
};

static const char *const leef_src[] = { "src", "srcIP", "srcip", NULL };
static const char *const leef_dst[] = { "dst", "dstIP", "dstip", NULL };
static const char *const leef_spt[] = { "srcPort", "srcport", "spt", NULL };
static const char *const leef_dpt[] = { "dstPort", "dstport", "dpt", NULL };
static const char *const leef_proto[] = { "proto", "protocol", NULL };
static const char *const leef_act[] = { "action", "act", "Action", NULL };
static const char *const leef_in_if[] = { "srcInterface", "inInterface", "ifname", "srcintf", NULL };
static const char *const leef_out_if[] = { "dstInterface", "outInterface", "dstintf", NULL };
static const char *const leef_rule[] = { "rule", "ruleName", "RuleName", "policy", "policyName", "rule_name", NULL };
static const char *const leef_bin[] = { "dstBytes", "bytesIn", NULL };
static const char *const leef_bout[] = { "srcBytes", "bytesOut", NULL };
static const char *const leef_pin[] = { "dstPackets", NULL };
static const char *const leef_pout[] = { "srcPackets", NULL };
static const char *const leef_time[] = { "devTime", NULL };

/* LEEF 2.0's delimiter: "^", "0x5E", "x5E"; empty: tab. */
static bool
leef_delim(struct fw_span v, char *d)
{
	uint64_t u = 0;
	size_t i = 0;

	if (v.n == 0) {
		*d = '\t';
		return true;
	}
	if (v.n == 1) {
		*d = v.p[0];
		return true;
	}
	if (v.n >= 2 && v.p[0] == '0' && (v.p[1] == 'x' || v.p[1] == 'X'))
		i = 2;
	else if (v.p[0] == 'x' || v.p[0] == 'X')
		i = 1;
	else
		return false;
	if (i >= v.n || v.n - i > 2)
		return false;
	for (; i < v.n; i++) {
		char c = v.p[i];
		int x = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ?
		    (c | 0x20) - 'a' + 10 : -1;

		if (x < 0)
			return false;
		u = u * 16 + (uint64_t)x;
	}
	if (u == 0 || u > 127)
		return false;
	*d = (char)u;
	return true;
}

static enum fwlog_result
leef_parse(struct fw_line *l, struct fwlog_rec *r)
{
	static const struct names k = {
		.src = leef_src, .dst = leef_dst, .spt = leef_spt, .dpt = leef_dpt,
		.proto = leef_proto, .act = leef_act, .in_if = leef_in_if,
		.out_if = leef_out_if, .rule = leef_rule, .bytes_in = leef_bin,
		.bytes_out = leef_bout, .pkts_in = leef_pin, .pkts_out = leef_pout,
		.count = NULL, .time = leef_time,
	};
	struct fw_span h[6];
	struct fw_pair pr[MAX_PAIRS];
	const char *at, *ext;
	char delim = '\t';
	int nh, n;

	if ((at = fw_find(l->s, l->end, "LEEF:")) == NULL)
		return FWR_NO;
	if (at + 5 >= l->end || (at[5] != '1' && at[5] != '2'))
		return FWR_NO;
	if (at[5] == '2') {
		nh = header_fields(at + 5, l->end, h, 6, &ext);
		if (nh < 6)
			return FWR_CUT;
		if (!leef_delim(h[5], &delim))
			return FWR_BADFIELD;
	} else {
		nh = header_fields(at + 5, l->end, h, 5, &ext);
		if (nh < 5)
			return FWR_CUT;
	}
	n = leef_pairs(ext, l->end, delim, pr, MAX_PAIRS);
	return fill(l, r, pr, n, &k);
}

const struct fw_format fw_leef = {
	.name = "leef",
	.vendor = "LEEF 1.0 and 2.0 (IBM QRadar), any vendor",
	.parse = leef_parse,
};
