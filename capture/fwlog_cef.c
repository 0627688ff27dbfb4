/*
 * CEF (ArcSight Common Event Format) and LEEF (IBM QRadar Log Event
 * Extended Format): the two formats any vendor's firewall may write, so
 * they come first in the format table and a FortiGate's or a Check
 * Point's CEF line is read here, not by the vendor's own parser.
 *
 *   [syslog header] CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|ext
 *       ext: key=value pairs separated by spaces; a value runs to the
 *       space before the next "key=" and may hold spaces; in the header
 *       \| and \\ are escapes, in the extension \= \\ \n \r.
 *   [syslog header] LEEF:1.0|Vendor|Product|Version|EventID|attrs
 *   [syslog header] LEEF:2.0|Vendor|Product|Version|EventID|Delim|attrs
 *       attrs: key=value separated by a tab (1.0) or by Delim, given as
 *       a character or as its hex code ("^", "0x5e", "x5E").
 *
 * The keys read are the published ones (ArcSight's CEF implementation
 * standard, IBM's LEEF guide) and the few vendor keys that carry what the
 * standard ones do not (Check Point's ifname/inzone/rule_name, FortiGate's
 * FTNTFGTpolicyid, ...); doc/fwlog.md lists them.
 *
 * Lines are untrusted text: every read is bounded by the line's end.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "common/util.h"
#include "capture/fwformat.h"

#define K(s, slot) FW_KSLOT(s, slot)


/* ---- small readers ---- */

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

/* Whether the span holds the lower-case word w (n bytes), ignoring case. */
static bool
contains_n(struct fw_span v, const char *w, size_t n)
{
	for (size_t i = 0; i + n <= v.n; i++) {
		size_t k = 0;

		if (lower(v.p[i]) != w[0])
			continue;
		while (k < n && lower(v.p[i + k]) == w[k])
			k++;
		if (k == n)
			return true;
	}
	return false;
}

#define contains(v, lit) contains_n(v, lit, sizeof(lit) - 1)

static bool
starts_with(struct fw_span v, const char *w)
{
	size_t n = strlen(w);

	if (v.n < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(v.p[i]) != w[i])
			return false;
	return true;
}

/* Digits at *pp, min..max of them: the value, *pp moved past. */
static bool
digits(const char **pp, const char *end, int min, int max, long *v)
{
	const char *p = *pp;
	long r = 0;
	int n = 0;

	while (p < end && is_digit(*p) && n < max) {
		r = r * 10 + (*p - '0');
		p++;
		n++;
	}
	if (n < min)
		return false;
	*v = r;
	*pp = p;
	return true;
}

/* "Nov", "november", "NOV": 1..12, *pp moved past the letters; 0 if none. */
static int
month_name(const char **pp, const char *end)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	const char *p = *pp;
	char m[3];

	if (end - p < 3)
		return 0;
	for (int i = 0; i < 3; i++)
		m[i] = lower(p[i]);
	for (int i = 0; i < 12; i++)
		if (memcmp(names + 3 * i, m, 3) == 0) {
			p += 3;
			while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
				p++;
			*pp = p;
			return i + 1;
		}
	return 0;
}

/*
 * A zone as CEF and LEEF stamps write it (Java's z, Z and X): "UTC",
 * "GMT", "Z", "+0100", "-05:00", "GMT+01:00", "UTC-5" and the North
 * American and European abbreviations Java knows. false for an empty or
 * unknown zone (the caller then takes the ctx's zone rules).
 */
static bool
zone_offset(struct fw_span z, long *off)
{
	static const struct {
		const char *name;
		long off;
	} abbr[] = {
		{ "ut", 0 }, { "wet", 0 }, { "west", 3600 }, { "cet", 3600 },
		{ "cest", 7200 }, { "eet", 7200 }, { "eest", 10800 }, { "jst", 32400 },
		{ "est", -18000 }, { "edt", -14400 }, { "cst", -21600 }, { "cdt", -18000 },
		{ "mst", -25200 }, { "mdt", -21600 }, { "pst", -28800 }, { "pdt", -25200 },
	};
	long h = 0, m = 0;
	const char *p;

	z = trim(z);
	if (z.n == 0)
		return false;
	if (fw_tz_offset(z, off))
		return true;
	if (starts_with(z, "gmt") || starts_with(z, "utc")) {
		z.p += 3;
		z.n -= 3;
		if (fw_tz_offset(z, off))
			return true;
		/* "+1", "-5", "+5:30" */
		p = z.p;
		if (z.n >= 2 && (*p == '+' || *p == '-')) {
			const char *e = z.p + z.n;
			int sign = *p == '-' ? -1 : 1;

			p++;
			if (!digits(&p, e, 1, 2, &h) || h > 14)
				return false;
			if (p < e && *p == ':' && (p++, !digits(&p, e, 2, 2, &m)))
				return false;
			if (p != e || m > 59)
				return false;
			*off = sign * (h * 3600 + m * 60);
			return true;
		}
		return false;
	}
	for (size_t i = 0; i < NS_ARRAY_LEN(abbr); i++)
		if (fw_ieq(z, abbr[i].name)) {
			*off = abbr[i].off;
			return true;
		}
	return false;
}

/*
 * A civil time without a year: the year that puts it nearest to the
 * line's syslog header stamp, else to the ctx's year (--fwlog-year,
 * the tests' "# year="), else to now.
 */
static double
civil_yearless(struct fw_line *l, int mo, int d, int h, int mi, int s, double frac,
    bool has_off, long off)
{
	struct fwlog_ctx *ctx = l->ctx;
	double ref, best = -1, t;
	time_t rt;
	struct tm tm;

	if (!fw_header_time(l, &ref)) {
		if (ctx->year > 0)
			return fw_time_civil(ctx, ctx->year, mo, d, h, mi, s, frac, has_off, off);
		ref = (double)(ctx->now != 0 ? ctx->now : time(NULL));
	}
	rt = (time_t)ref;
	if (gmtime_r(&rt, &tm) == NULL)
		return -1;
	for (int y = tm.tm_year + 1900 - 1; y <= tm.tm_year + 1900 + 1; y++) {
		t = fw_time_civil(ctx, y, mo, d, h, mi, s, frac, has_off, off);
		if (t < 0)
			continue;
		if (best < 0 || (t > ref ? t - ref : ref - t) < (best > ref ? best - ref : ref - best))
			best = t;
	}
	return best;
}

/*
 * Seconds, milliseconds, microseconds or nanoseconds since the epoch,
 * told apart by their number of digits (10, 13, 16, 19), with an
 * optional fraction.
 */
static bool
epoch_time(struct fw_span v, double *ts)
{
	const char *p = v.p, *e = v.p + v.n;
	double r = 0, scale = 1;
	int n = 0;

	if (v.n == 0)
		return false;
	while (p < e && is_digit(*p)) {
		r = r * 10 + (*p - '0');
		p++;
		n++;
	}
	if (n == 0 || n > 19)
		return false;
	if (p < e && *p == '.') {
		double f = 0.1;

		p++;
		while (p < e && is_digit(*p)) {
			r += (*p - '0') * f;
			f /= 10;
			p++;
		}
	}
	if (p != e)
		return false;
	if (n > 16)
		scale = 1e9;
	else if (n > 13)
		scale = 1e6;
	else if (n > 10)
		scale = 1e3;
	*ts = r / scale;
	return true;
}

/*
 * The stamps CEF allows (rt, start, end; also LEEF's devTime without a
 * devTimeFormat): milliseconds since the epoch, "MMM dd yyyy HH:mm:ss",
 * "MMM dd HH:mm:ss", either with ".SSS" and a zone, or ISO 8601. A stamp
 * without a zone is in dtz's (when has_dtz), else in the ctx's rules.
 */
static bool
stamp_time(struct fw_line *l, struct fw_span v, bool has_dtz, long dtz, double *ts)
{
	const char *p, *e;
	long d, y = -1, h, mi, s;
	double frac = 0;
	int mo;
	long off = dtz;
	bool has_off = has_dtz;

	v = trim(v);
	if (epoch_time(v, ts))
		return true;
	if (v.n >= 10 && is_digit(v.p[0]))
		return fw_time_iso(l->ctx, v, ts);
	p = v.p;
	e = v.p + v.n;
	if ((mo = month_name(&p, e)) == 0)
		return false;
	while (p < e && *p == ' ')
		p++;
	if (!digits(&p, e, 1, 2, &d) || p >= e || *p != ' ')
		return false;
	while (p < e && *p == ' ')
		p++;
	{
		const char *q = p;
		long v4;

		if (digits(&q, e, 4, 4, &v4) && q < e && *q == ' ') {
			y = v4;
			p = q;
			while (p < e && *p == ' ')
				p++;
		}
	}
	if (!digits(&p, e, 1, 2, &h) || p >= e || *p++ != ':' || !digits(&p, e, 2, 2, &mi) ||
	    p >= e || *p++ != ':' || !digits(&p, e, 2, 2, &s))
		return false;
	if (p < e && (*p == '.' || *p == ',')) {
		double f = 0.1;

		p++;
		if (p >= e || !is_digit(*p))
			return false;
		while (p < e && is_digit(*p)) {
			frac += (*p - '0') * f;
			f /= 10;
			p++;
		}
	}
	if (p < e) {
		long zo;

		if (*p != ' ' && *p != '+' && *p != '-' && *p != 'Z')
			return false;
		if (zone_offset((struct fw_span){ p, (size_t)(e - p) }, &zo)) {
			off = zo;
			has_off = true;
		}
	}
	if (y < 0)
		*ts = civil_yearless(l, mo, (int)d, (int)h, (int)mi, (int)s, frac, has_off, off);
	else
		*ts = fw_time_civil(l->ctx, (int)y, mo, (int)d, (int)h, (int)mi, (int)s, frac,
		    has_off, off);
	return *ts >= 0;
}

/*
 * A stamp written as Java's SimpleDateFormat pattern says (LEEF's
 * devTimeFormat): y M d H h k K m s S a E z Z X and quoted literals.
 * Fractions (S) are read as fractions of a second.
 */
static bool
java_time(struct fw_line *l, struct fw_span fmt, struct fw_span val, double *ts)
{
	const char *f = fmt.p, *fe = fmt.p + fmt.n, *p = val.p, *e = val.p + val.n;
	long y = -1, mo = 0, d = 0, h = 0, mi = 0, s = 0, off = 0;
	double frac = 0;
	int pm = -1;
	bool h12 = false, has_off = false;

	while (f < fe) {
		char c = *f;
		int n = 0;

		if (c == '\'') {
			/* 'T', '' for a quote */
			f++;
			if (f < fe && *f == '\'') {
				if (p >= e || *p != '\'')
					return false;
				p++;
				f++;
				continue;
			}
			while (f < fe && *f != '\'') {
				if (p >= e || *p != *f)
					return false;
				p++;
				f++;
			}
			if (f < fe)
				f++;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
			if (c == ' ') {
				if (p >= e || *p != ' ')
					return false;
				while (p < e && *p == ' ')
					p++;
			} else {
				if (p >= e || *p != c)
					return false;
				p++;
			}
			f++;
			continue;
		}
		while (f < fe && *f == c) {
			f++;
			n++;
		}
		switch (c) {
		case 'y':
			if (!digits(&p, e, n == 2 ? 2 : 4, n == 2 ? 2 : 4, &y))
				return false;
			if (n == 2)
				y += 2000;
			break;
		case 'M':
			if (n >= 3) {
				if ((mo = month_name(&p, e)) == 0)
					return false;
			} else if (!digits(&p, e, 1, 2, &mo))
				return false;
			break;
		case 'd':
			if (!digits(&p, e, 1, 2, &d))
				return false;
			break;
		case 'H':
		case 'k':
			if (!digits(&p, e, 1, 2, &h))
				return false;
			if (c == 'k' && h == 24)
				h = 0;
			break;
		case 'h':
		case 'K':
			if (!digits(&p, e, 1, 2, &h))
				return false;
			h12 = true;
			if (h == 12)
				h = 0;
			break;
		case 'm':
			if (!digits(&p, e, 1, 2, &mi))
				return false;
			break;
		case 's':
			if (!digits(&p, e, 1, 2, &s))
				return false;
			break;
		case 'S': {
			double fr = 0.1;

			if (p >= e || !is_digit(*p))
				return false;
			while (p < e && is_digit(*p)) {
				frac += (*p - '0') * fr;
				fr /= 10;
				p++;
			}
			break;
		}
		case 'a':
			if (e - p < 2 || lower(p[1]) != 'm' ||
			    (lower(p[0]) != 'a' && lower(p[0]) != 'p'))
				return false;
			pm = lower(p[0]) == 'p';
			p += 2;
			break;
		case 'E':
			while (p < e && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
				p++;
			break;
		case 'z':
		case 'Z':
		case 'X': {
			const char *q = p;

			while (q < e && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
			    is_digit(*q) || *q == '+' || *q == '-' || *q == ':'))
				q++;
			if (q == p)
				return false;
			has_off = zone_offset((struct fw_span){ p, (size_t)(q - p) }, &off);
			p = q;
			break;
		}
		default:
			return false;
		}
	}
	while (p < e && *p == ' ')
		p++;
	if (p != e || mo == 0 || d == 0)
		return false;
	if (h12 && pm == 1)
		h += 12;
	if (y < 0)
		*ts = civil_yearless(l, (int)mo, (int)d, (int)h, (int)mi, (int)s, frac, has_off, off);
	else
		*ts = fw_time_civil(l->ctx, (int)y, (int)mo, (int)d, (int)h, (int)mi, (int)s, frac,
		    has_off, off);
	return *ts >= 0;
}

/* ---- what a line says was done ---- */

/* What an action word says of the connection: nothing, its start, its end. */
enum ev_hint {
	EH_NONE = 0,
	EH_START,
	EH_END,
};

/*
 * CEF act, LEEF action and header words: the common ones first (the rest
 * as fw_action reads them), FortiGate's session ends (close, timeout,
 * server-rst, client-rst) and start, Check Point's Encrypt, Decrypt,
 * Bypass and Prevent (Detect, Inform, Ask: other), PAN-OS's "drop ICMP",
 * Firepower's Trust and "Block with reset".
 */
static enum fwlog_action
action_word(struct fw_span w, enum ev_hint *hint)
{
#define W(s, a, h) { s, sizeof(s) - 1, a, h }
	static const struct {
		const char *w;
		size_t n;
		enum fwlog_action a;
		enum ev_hint h;
	} words[] = {
		W("deny", FWA_DENY, EH_NONE), W("drop", FWA_DENY, EH_NONE),
		W("block", FWA_DENY, EH_NONE), W("denied", FWA_DENY, EH_NONE),
		W("blocked", FWA_DENY, EH_NONE), W("allow", FWA_ALLOW, EH_NONE),
		W("accept", FWA_ALLOW, EH_NONE), W("permit", FWA_ALLOW, EH_NONE),
		W("reject", FWA_RESET, EH_NONE),
		W("start", FWA_ALLOW, EH_START), W("close", FWA_ALLOW, EH_END),
		W("end", FWA_ALLOW, EH_END), W("timeout", FWA_ALLOW, EH_END),
		W("teardown", FWA_ALLOW, EH_END), W("server-rst", FWA_ALLOW, EH_END),
		W("client-rst", FWA_ALLOW, EH_END), W("encrypt", FWA_ALLOW, EH_NONE),
		W("decrypt", FWA_ALLOW, EH_NONE), W("bypass", FWA_ALLOW, EH_NONE),
		W("trust", FWA_ALLOW, EH_NONE), W("prevent", FWA_DENY, EH_NONE),
		W("prevented", FWA_DENY, EH_NONE), W("drop icmp", FWA_DENY, EH_NONE),
		W("interactive block", FWA_DENY, EH_NONE),
		W("block with reset", FWA_RESET, EH_NONE),
		W("interactive block with reset", FWA_RESET, EH_NONE),
	};
#undef W

	*hint = EH_NONE;
	w = trim(w);
	for (size_t i = 0; i < NS_ARRAY_LEN(words); i++) {
		size_t k = 0;

		if (words[i].n != w.n)
			continue;
		while (k < w.n && lower(w.p[k]) == words[i].w[k])
			k++;
		if (k == w.n) {
			*hint = words[i].h;
			return words[i].a;
		}
	}
	return fw_action(w);
}

/*
 * What the header says of the connection: PAN-OS puts "start", "end",
 * "deny" as the signature id, FortiGate ends its name with the action
 * ("traffic:forward close").
 */
static enum ev_hint
header_hint(struct fw_span w)
{
	enum ev_hint h;
	const char *p;

	w = trim(w);
	p = w.p + w.n;
	while (p > w.p && p[-1] != ' ' && p[-1] != ':')
		p--;
	w = (struct fw_span){ p, (size_t)(w.p + w.n - p) };
	if (action_word(w, &h) == FWA_ALLOW)
		return h;
	return EH_NONE;
}

/*
 * A packet line, a connection's start or end: a line that allows and
 * counts bytes or packets (or says "end") is the connection's end, src its
 * initiator; one that allows without counting, its start; an allowed
 * summary ("cnt=5") stays packets.
 */
static void
set_event(struct fwlog_rec *r, enum ev_hint hint)
{
	bool counted = r->bytes_fwd != 0 || r->bytes_rev != 0 || r->bytes_total != 0 ||
	    r->pkts_fwd != 0 || r->pkts_rev != 0;

	r->event = FWE_PACKET;
	if (r->action != FWA_ALLOW)
		return;
	if (hint == EH_START)
		r->event = FWE_CONN_START;
	else if (hint == EH_END || counted)
		r->event = FWE_CONN_END;
	else if (r->count <= 1)
		r->event = FWE_CONN_START;
}

/* ---- values ---- */

static enum fwlog_result
num_field(struct fw_span v, uint64_t max, uint64_t *out)
{
	v = trim(v);
	if (v.n == 0)
		return FWR_OK;
	return fw_uint(v, max, out) ? FWR_OK : FWR_BADFIELD;
}

/*
 * The addresses and ports of a line; src/dst must be there (else the
 * line carries no traffic), ports may not. A port that is there must be
 * a number up to 65535.
 */
static enum fwlog_result
set_traffic(struct fwlog_rec *r, struct fw_span src, struct fw_span dst, struct fw_span spt,
    struct fw_span dpt)
{
	struct ns_addr s, d;
	enum fwlog_result res;

	src = trim(src);
	dst = trim(dst);
	if (src.n == 0 || dst.n == 0)
		return FWR_NOTRAFFIC;
	if (fw_addr(src, &s) != FWR_OK || fw_addr(dst, &d) != FWR_OK)
		return FWR_BADADDR;
	if ((res = fw_set_addrs(r, &s, &d)) != FWR_OK)
		return res;
	spt = trim(spt);
	dpt = trim(dpt);
	if (spt.n > 0) {
		if (fw_port(spt, &r->p.sport) != FWR_OK)
			return FWR_BADPORT;
		r->has_sport = true;
	}
	if (dpt.n > 0) {
		if (fw_port(dpt, &r->p.dport) != FWR_OK)
			return FWR_BADPORT;
		r->has_dport = true;
	}
	return FWR_OK;
}

/* "inbound"/"outbound", "0"/"1" (CEF deviceDirection), "in"/"out". */
static enum fwlog_dir
dir_word(struct fw_span v)
{
	v = trim(v);
	if (fw_eq(v, "0") || fw_ieq(v, "inbound") || fw_ieq(v, "in") || fw_ieq(v, "incoming"))
		return FWD_IN;
	if (fw_eq(v, "1") || fw_ieq(v, "outbound") || fw_ieq(v, "out") || fw_ieq(v, "outgoing"))
		return FWD_OUT;
	return FWD_UNKNOWN;
}

/* ---- CEF ---- */

enum {
	C_NONE = 0,
	C_SRC, C_DST, C_SPT, C_DPT, C_PROTO, C_ACT, C_DIN, C_DOUT, C_DDIR,
	C_RT, C_START, C_END, C_IN, C_OUT, C_CNT, C_C6A2, C_C6A3, C_DTZ,
	C_CS1, C_CS1L = C_CS1 + 6, C_CN1 = C_CS1L + 6, C_CN1L = C_CN1 + 3,
	C_FN1 = C_CN1L + 3, C_FN1L,
	C_IFNAME, C_IFDIR, C_INZONE, C_OUTZONE, C_RULENAME, C_RULEID, C_RULEACT,
	C_POLICYID, C_FT_SENTPKT, C_FT_RCVDPKT, C_FT_DURATION,	/* FortiGate's, PAN-OS's */
	C__N
};

/*
 * The CEF dictionary's keys (short and full names) that matter here, and
 * the vendor keys for what it has no key for. Sorted by length, then bytes.
 */
static const struct fw_kslot cef_keys[] = {
	K("in", C_IN), K("rt", C_RT), K("act", C_ACT), K("cn1", C_CN1 + 0),
	K("cn2", C_CN1 + 1), K("cn3", C_CN1 + 2), K("cnt", C_CNT), K("cs1", C_CS1 + 0),
	K("cs2", C_CS1 + 1), K("cs3", C_CS1 + 2), K("cs4", C_CS1 + 3),
	K("cs5", C_CS1 + 4), K("cs6", C_CS1 + 5), K("dpt", C_DPT), K("dst", C_DST),
	K("dtz", C_DTZ), K("end", C_END), K("out", C_OUT), K("spt", C_SPT),
	K("src", C_SRC), K("c6a2", C_C6A2), K("c6a3", C_C6A3), K("rule", C_RULEID),
	K("ifdir", C_IFDIR), K("proto", C_PROTO), K("start", C_START),
	K("ifname", C_IFNAME), K("inzone", C_INZONE), K("bytesIn", C_IN),
	K("endTime", C_END), K("outzone", C_OUTZONE), K("bytesOut", C_OUT),
	K("cn1Label", C_CN1L + 0), K("cn2Label", C_CN1L + 1),
	K("cn3Label", C_CN1L + 2), K("cs1Label", C_CS1L + 0),
	K("cs2Label", C_CS1L + 1), K("cs3Label", C_CS1L + 2),
	K("cs4Label", C_CS1L + 3), K("cs5Label", C_CS1L + 4),
	K("cs6Label", C_CS1L + 5), K("policyid", C_POLICYID),
	K("rule_name", C_RULENAME), K("startTime", C_START), K("sourcePort", C_SPT),
	K("flexNumber1", C_FN1), K("receiptTime", C_RT), K("rule_action", C_RULEACT),
	K("deviceAction", C_ACT), K("sourceAddress", C_SRC),
	K("FTNTFGTrcvdpkt", C_FT_RCVDPKT), K("FTNTFGTsentpkt", C_FT_SENTPKT),
	K("baseEventCount", C_CNT), K("deviceTimeZone", C_DTZ),
	K("FTNTFGTduration", C_FT_DURATION), K("FTNTFGTpolicyid", C_POLICYID),
	K("destinationPort", C_DPT), K("deviceDirection", C_DDIR),
	K("PanOSPacketsSent", C_FT_SENTPKT), K("flexNumber1Label", C_FN1L),
	K("deviceFlexNumber1", C_FN1), K("deviceReceiptTime", C_RT),
	K("transportProtocol", C_PROTO), K("destinationAddress", C_DST),
	K("deviceCustomNumber1", C_CN1 + 0), K("deviceCustomNumber2", C_CN1 + 1),
	K("deviceCustomNumber3", C_CN1 + 2), K("deviceCustomString1", C_CS1 + 0),
	K("deviceCustomString2", C_CS1 + 1), K("deviceCustomString3", C_CS1 + 2),
	K("deviceCustomString4", C_CS1 + 3), K("deviceCustomString5", C_CS1 + 4),
	K("deviceCustomString6", C_CS1 + 5), K("PanOSPacketsReceived", C_FT_RCVDPKT),
	K("deviceFlexNumber1Label", C_FN1L), K("deviceInboundInterface", C_DIN),
	K("DeviceOutboundInterface", C_DOUT), K("deviceOutboundInterface", C_DOUT),
	K("deviceCustomIPv6Address2", C_C6A2), K("deviceCustomIPv6Address3", C_C6A3),
	K("deviceCustomNumber1Label", C_CN1L + 0),
	K("deviceCustomNumber2Label", C_CN1L + 1),
	K("deviceCustomNumber3Label", C_CN1L + 2),
	K("deviceCustomString1Label", C_CS1L + 0),
	K("deviceCustomString2Label", C_CS1L + 1),
	K("deviceCustomString3Label", C_CS1L + 2),
	K("deviceCustomString4Label", C_CS1L + 3),
	K("deviceCustomString5Label", C_CS1L + 4),
	K("deviceCustomString6Label", C_CS1L + 5),
};

/* A key of the extension: alphanumeric (the standard), '_', '.', '[', ']' (vendors'). */
static bool
cef_keychar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
	    c == '.' || c == '[' || c == ']';
}

struct cef_pair {
	struct fw_span key, val;
	bool esc;		/* the value holds backslash escapes */
};

#define CEF_MAX_PAIRS 160

/*
 * Split a CEF extension: a key is a run of key characters right after the
 * extension's start or a space and right before an unescaped '='; its
 * value runs to the space before the next key. Returns the number of
 * pairs (at most max; the rest are dropped), or -1 when the line ends in
 * the middle of an escape (cut short).
 */
static int
cef_split(const char *s, const char *end, struct cef_pair *out, int max)
{
	const char *q = s, *eq, *b;
	struct cef_pair cur;
	bool open = false;
	int n = 0;

	/* an odd run of backslashes at the end: cut in an escape */
	for (b = end; b > s && b[-1] == '\\'; b--)
		;
	if ((end - b) % 2 != 0)
		return -1;
	memset(&cur, 0, sizeof(cur));
	while (q < end && (eq = memchr(q, '=', (size_t)(end - q))) != NULL) {
		const char *k = eq;

		q = eq + 1;
		for (b = eq; b > s && b[-1] == '\\'; b--)
			;
		if ((eq - b) % 2 != 0)
			continue;	/* "\=" */
		while (k > s && cef_keychar(k[-1]))
			k--;
		if (k == eq || (k > s && k[-1] != ' ' && k[-1] != '\t'))
			continue;
		if (open && n < max) {
			cur.val.n = (size_t)((k > cur.val.p ? k : cur.val.p) - cur.val.p);
			cur.val = trim(cur.val);
			cur.esc = memchr(cur.val.p, '\\', cur.val.n) != NULL;
			out[n++] = cur;
		}
		cur.key = (struct fw_span){ k, (size_t)(eq - k) };
		cur.val.p = eq + 1;
		open = true;
	}
	if (open && n < max) {
		cur.val.n = (size_t)(end - cur.val.p);
		cur.val = trim(cur.val);
		cur.esc = memchr(cur.val.p, '\\', cur.val.n) != NULL;
		out[n++] = cur;
	}
	return n;
}

/* A CEF value as text: \= \\ undone, \n \r as spaces. */
static void
cef_text(char *dst, size_t cap, struct fw_span v, bool esc)
{
	char buf[256];
	size_t o = 0;

	if (!esc) {
		fw_text(dst, cap, v);
		return;
	}
	for (size_t i = 0; i < v.n && o < sizeof(buf); i++) {
		char c = v.p[i];

		if (c == '\\' && i + 1 < v.n) {
			c = v.p[++i];
			if (c == 'n' || c == 'r')
				c = ' ';
		}
		buf[o++] = c;
	}
	fw_text(dst, cap, (struct fw_span){ buf, o });
}

/*
 * "CEF:0|" or FortiGate's "CEF: 0|" at the start of the line or after a
 * space or the syslog header: *hdr is set past "CEF:".
 */
static const char *
cef_marker(const char *s, const char *end, const char **hdr)
{
	const char *m = s, *p;

	while ((m = fw_find(m, end, "CEF:")) != NULL) {
		p = m + 4;
		while (p < end && *p == ' ')
			p++;
		if (p < end && is_digit(*p)) {
			const char *q = p;

			while (q < end && is_digit(*q) && q - p < 3)
				q++;
			if (q < end && (*q == '|' || *q == '.')) {
				*hdr = p;
				return m;
			}
		}
		m += 4;
	}
	return NULL;
}

/* How much a CS label says it names the rule: 0 not at all .. 4 the rule's name. */
static int
rule_label(struct fw_span l)
{
	if (contains(l, "uid") || contains(l, "type") || contains(l, "profile") ||
	    contains(l, "action") || contains(l, "categor"))
		return 0;
	if (contains(l, "rule"))
		return contains(l, "name") ? 4 : 3;
	if (contains(l, "policy"))
		return contains(l, "name") ? 2 : 1;
	return 0;
}

/* Whether a CS label names the ingress (1) or egress (2) zone. */
static int
zone_label(struct fw_span l)
{
	if (!contains(l, "zone"))
		return 0;
	if (contains(l, "source") || contains(l, "src") || starts_with(l, "from") ||
	    contains(l, "ingress") || contains(l, "inbound"))
		return 1;
	if (contains(l, "destination") || contains(l, "dst") || starts_with(l, "to") ||
	    contains(l, "egress") || contains(l, "outbound"))
		return 2;
	return 0;
}

static enum fwlog_result
cef_parse(struct fw_line *l, struct fwlog_rec *r)
{
	const char *hdr, *p, *end = l->end;
	struct fw_span h[7], v[C__N];
	bool esc[C__N];
	struct cef_pair pairs[CEF_MAX_PAIRS];
	int nh = 0, np, last_slot = 0;
	enum fwlog_result res;
	enum ev_hint hint = EH_NONE;
	bool fortinet, has_dtz = false;
	long dtz = 0;
	double t_rt = 0, t_start = 0, t_end = 0;
	bool h_rt = false, h_start = false, h_end = false;
	uint64_t u;

	if (cef_marker(l->s, end, &hdr) == NULL)
		return FWR_NO;
	/* version|vendor|product|version|signature|name|severity| */
	p = hdr;
	h[0].p = p;
	while (p < end && nh < 7) {
		if (*p == '\\' && p + 1 < end) {
			p += 2;
			continue;
		}
		if (*p == '|') {
			h[nh].n = (size_t)(p - h[nh].p);
			nh++;
			if (nh < 7)
				h[nh].p = p + 1;
		}
		p++;
	}
	if (nh < 7)
		return FWR_CUT;
	while (end > p && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	np = cef_split(p, end, pairs, CEF_MAX_PAIRS);
	if (np < 0)
		return FWR_CUT;
	memset(v, 0, sizeof(v));
	memset(esc, 0, sizeof(esc));
	for (int i = 0; i < np; i++) {
		int sl = fw_kslot_find(cef_keys, NS_ARRAY_LEN(cef_keys), pairs[i].key);

		if (sl != 0 && v[sl].p == NULL) {
			v[sl] = pairs[i].val;
			esc[sl] = pairs[i].esc;
		}
		if (i == np - 1)
			last_slot = sl;
	}
	/* A line cut right after "dst=" or in the middle of the ports. */
	if (np > 0 && pairs[np - 1].val.n == 0 && (last_slot == C_SRC || last_slot == C_DST ||
	    last_slot == C_SPT || last_slot == C_DPT || last_slot == C_PROTO))
		return FWR_CUT;

	res = set_traffic(r, v[C_SRC].n > 0 ? v[C_SRC] : v[C_C6A2],
	    v[C_DST].n > 0 ? v[C_DST] : v[C_C6A3], v[C_SPT], v[C_DPT]);
	if (res != FWR_OK)
		return res;
	r->p.proto = v[C_PROTO].n > 0 ? fw_proto(trim(v[C_PROTO])) : 255;

	/* what was done */
	if (v[C_ACT].n > 0)
		r->action = action_word(v[C_ACT], &hint);
	else if (v[C_RULEACT].n > 0)
		r->action = action_word(v[C_RULEACT], &hint);
	else {
		/*
		 * A header word, when it is one of the known ones: the name
		 * or signature id ("Drop"), or the name's first word
		 * ("Deny udp by access-group").
		 */
		enum fwlog_action a = action_word(h[5], &hint);

		if (a == FWA_OTHER)
			a = action_word(h[4], &hint);
		if (a == FWA_OTHER || a == FWA_NONE) {
			struct fw_span w = trim(h[5]);
			const char *sp = memchr(w.p, ' ', w.n);

			if (sp != NULL) {
				w.n = (size_t)(sp - w.p);
				a = action_word(w, &hint);
			}
		}
		r->action = a == FWA_OTHER ? FWA_NONE : a;
	}
	if (hint == EH_NONE)
		hint = header_hint(h[4]);
	if (hint == EH_NONE)
		hint = header_hint(h[5]);

	/* direction, interfaces, zones */
	r->dir = dir_word(v[C_DDIR].n > 0 ? v[C_DDIR] : v[C_IFDIR]);
	if (v[C_DIN].n > 0)
		cef_text(r->in_if, sizeof(r->in_if), v[C_DIN], esc[C_DIN]);
	if (v[C_DOUT].n > 0)
		cef_text(r->out_if, sizeof(r->out_if), v[C_DOUT], esc[C_DOUT]);
	if (v[C_IFNAME].n > 0 && r->in_if[0] == '\0' && r->out_if[0] == '\0') {
		/* Check Point: the interface the log was taken on, in its direction */
		if (r->dir == FWD_OUT)
			cef_text(r->out_if, sizeof(r->out_if), v[C_IFNAME], esc[C_IFNAME]);
		else
			cef_text(r->in_if, sizeof(r->in_if), v[C_IFNAME], esc[C_IFNAME]);
	}

	/* custom strings: the rule and the zones */
	{
		int best = 0, bi = -1, zin = -1, zout = -1;
		bool named = r->in_if[0] != '\0' || r->out_if[0] != '\0';

		for (int i = 0; i < 6; i++) {
			int sc, z;

			if (v[C_CS1 + i].n == 0 || v[C_CS1L + i].n == 0)
				continue;
			sc = rule_label(v[C_CS1L + i]);
			if (sc > best) {
				best = sc;
				bi = i;
			}
			z = zone_label(v[C_CS1L + i]);
			if (z == 1 && zin < 0)
				zin = i;
			else if (z == 2 && zout < 0)
				zout = i;
		}
		if (bi >= 0 && best >= 3)
			cef_text(r->rule, sizeof(r->rule), v[C_CS1 + bi], esc[C_CS1 + bi]);
		else if (v[C_RULENAME].n > 0)
			cef_text(r->rule, sizeof(r->rule), v[C_RULENAME], esc[C_RULENAME]);
		else if (bi >= 0)
			cef_text(r->rule, sizeof(r->rule), v[C_CS1 + bi], esc[C_CS1 + bi]);
		else if (v[C_RULEID].n > 0)
			cef_text(r->rule, sizeof(r->rule), v[C_RULEID], esc[C_RULEID]);
		else if (v[C_POLICYID].n > 0)
			cef_text(r->rule, sizeof(r->rule), v[C_POLICYID], esc[C_POLICYID]);
		/* zones, when the line names no interface */
		if (r->in_if[0] == '\0' && !named) {
			if (zin >= 0)
				cef_text(r->in_if, sizeof(r->in_if), v[C_CS1 + zin], esc[C_CS1 + zin]);
			else if (v[C_INZONE].n > 0)
				cef_text(r->in_if, sizeof(r->in_if), v[C_INZONE], esc[C_INZONE]);
		}
		if (r->out_if[0] == '\0' && !named) {
			if (zout >= 0)
				cef_text(r->out_if, sizeof(r->out_if), v[C_CS1 + zout],
				    esc[C_CS1 + zout]);
			else if (v[C_OUTZONE].n > 0)
				cef_text(r->out_if, sizeof(r->out_if), v[C_OUTZONE], esc[C_OUTZONE]);
		}
	}

	/* custom numbers: packets, duration, ICMP type and code */
	for (int i = 0; i < 3; i++) {
		struct fw_span lb = v[C_CN1L + i], nv = trim(v[C_CN1 + i]);

		if (nv.n == 0 || lb.n == 0)
			continue;
		if (!fw_uint(nv, UINT64_MAX, &u))
			continue;	/* a vendor's number we do not use */
		if (contains(lb, "icmp type")) {
			r->p.icmp_type = (uint8_t)(u > 255 ? 255 : u);
			r->has_icmp_type = true;
		} else if (contains(lb, "icmp code"))
			r->p.icmp_code = (uint8_t)(u > 255 ? 255 : u);
		else if (contains(lb, "packets sent") || contains(lb, "sent packets"))
			r->pkts_fwd = u;
		else if (contains(lb, "packets received") || contains(lb, "received packets"))
			r->pkts_rev = u;
		else if (contains(lb, "duration") || contains(lb, "elapsed time"))
			r->duration = (double)u;
	}
	if (v[C_FN1].n > 0 && contains(v[C_FN1L], "total bytes") &&
	    fw_uint(trim(v[C_FN1]), UINT64_MAX, &u))
		r->bytes_total = u;
	if (v[C_FT_SENTPKT].n > 0 && fw_uint(trim(v[C_FT_SENTPKT]), UINT64_MAX, &u))
		r->pkts_fwd = u;
	if (v[C_FT_RCVDPKT].n > 0 && fw_uint(trim(v[C_FT_RCVDPKT]), UINT64_MAX, &u))
		r->pkts_rev = u;
	if (v[C_FT_DURATION].n > 0 && fw_uint(trim(v[C_FT_DURATION]), UINT32_MAX, &u))
		r->duration = (double)u;

	/*
	 * Bytes: the standard's "in" flows from source to destination and
	 * "out" back; FortiGate's mapping puts sentbyte in out and rcvdbyte
	 * in in, the other way round.
	 */
	fortinet = fw_ieq(trim(h[1]), "Fortinet");
	{
		uint64_t bin = 0, bout = 0;

		if (num_field(v[C_IN], UINT64_MAX, &bin) != FWR_OK ||
		    num_field(v[C_OUT], UINT64_MAX, &bout) != FWR_OK)
			return FWR_BADFIELD;
		r->bytes_fwd = fortinet ? bout : bin;
		r->bytes_rev = fortinet ? bin : bout;
		if (bin != 0 || bout != 0)
			r->bytes_total = 0;	/* the sum of the two */
	}
	u = 0;
	if (num_field(v[C_CNT], UINT64_MAX, &u) != FWR_OK)
		return FWR_BADFIELD;
	r->count = u > UINT32_MAX ? UINT32_MAX : (uint32_t)(u == 0 ? 1 : u);

	/* time: rt, else end, else start, else the syslog header */
	if (v[C_DTZ].n > 0)
		has_dtz = zone_offset(v[C_DTZ], &dtz);
	if (v[C_RT].n > 0 && !(h_rt = stamp_time(l, v[C_RT], has_dtz, dtz, &t_rt)))
		return FWR_BADFIELD;
	if (v[C_START].n > 0 && !(h_start = stamp_time(l, v[C_START], has_dtz, dtz, &t_start)))
		return FWR_BADFIELD;
	if (v[C_END].n > 0 && !(h_end = stamp_time(l, v[C_END], has_dtz, dtz, &t_end)))
		return FWR_BADFIELD;
	if (h_start && h_end && t_end >= t_start) {
		if (r->count > 1)
			r->count_span = t_end - t_start;
		else if (r->duration == 0)
			r->duration = t_end - t_start;
	}
	if (r->count > 1 && h_end) {
		/* a summary ends at its last event */
		r->p.ts = t_end;
		r->has_ts = true;
	} else if (h_rt || h_end || h_start) {
		r->p.ts = h_rt ? t_rt : h_end ? t_end : t_start;
		r->has_ts = true;
	} else {
		r->has_ts = fw_header_time(l, &r->p.ts);
	}
	set_event(r, hint);
	return FWR_OK;
}

const struct fw_format fw_cef = {
	.name = "cef",
	.vendor = "ArcSight Common Event Format (any vendor)",
	.parse = cef_parse,
};

/* ---- LEEF ---- */

enum {
	L_NONE = 0,
	L_SRC, L_DST, L_SPT, L_DPT, L_PROTO, L_ACT, L_DEVTIME, L_DEVTIMEFMT, L_CAT,
	L_SRCBYTES, L_DSTBYTES, L_TOTBYTES, L_SRCPKTS, L_DSTPKTS, L_SRCPRENAT, L_DSTPRENAT,
	L_SRCPRENATPORT, L_DSTPRENATPORT, L_INIF, L_OUTIF, L_IFNAME, L_DIR, L_INZONE,
	L_OUTZONE, L_RULENAME, L_RULEID, L_POLICY, L_ICMPTYPE, L_ICMPCODE, L_DURATION,
	L_CNT, L_RULEACT,
	L__N
};

/*
 * IBM's predefined attributes that matter here, and the vendors' own keys
 * for what they have none for: FortiGate's srcintf, dstintf, sentbyte,
 * rcvdbyte, policyid; Check Point's ifname, ifdir, inzone, outzone,
 * rule_name; PAN-OS's RuleName. Sorted by length, then bytes.
 */
static const struct fw_kslot leef_keys[] = {
	K("act", L_ACT), K("cat", L_CAT), K("cnt", L_CNT), K("dpt", L_DPT),
	K("dst", L_DST), K("spt", L_SPT), K("src", L_SRC), K("rule", L_RULEID),
	K("ifdir", L_DIR), K("proto", L_PROTO), K("action", L_ACT),
	K("ifname", L_IFNAME), K("inzone", L_INZONE), K("policy", L_POLICY),
	K("devTime", L_DEVTIME), K("dstPort", L_DPT), K("dstZone", L_OUTZONE),
	K("dstintf", L_OUTIF), K("outzone", L_OUTZONE), K("rcvdpkt", L_DSTPKTS),
	K("sentpkt", L_SRCPKTS), K("srcPort", L_SPT), K("srcZone", L_INZONE),
	K("srcintf", L_INIF), K("RuleName", L_RULENAME), K("dstBytes", L_DSTBYTES),
	K("duration", L_DURATION), K("policyid", L_RULEID), K("rcvdbyte", L_DSTBYTES),
	K("ruleName", L_RULENAME), K("sentbyte", L_SRCBYTES),
	K("srcBytes", L_SRCBYTES), K("dstPreNAT", L_DSTPRENAT),
	K("icmp_code", L_ICMPCODE), K("icmp_type", L_ICMPTYPE),
	K("rule_name", L_RULENAME), K("srcPreNAT", L_SRCPRENAT),
	K("dstPackets", L_DSTPKTS), K("srcPackets", L_SRCPKTS),
	K("totalBytes", L_TOTBYTES), K("rule_action", L_RULEACT),
	K("devTimeFormat", L_DEVTIMEFMT), K("dstPreNATPort", L_DSTPRENATPORT),
	K("srcPreNATPort", L_SRCPRENATPORT), K("deviceDirection", L_DIR),
};

#define LEEF_MAX_PAIRS 160

/* "LEEF:1.0|" or "LEEF:2.0|" (also "LEEF: 1.0|"): *hdr past the version's '|', *major. */
static bool
leef_marker(const char *s, const char *end, const char **hdr, int *major)
{
	const char *m = s, *p;

	while ((m = fw_find(m, end, "LEEF:")) != NULL) {
		p = m + 5;
		while (p < end && *p == ' ')
			p++;
		if (p < end && (*p == '1' || *p == '2')) {
			const char *q = p + 1;

			if (q < end && *q == '.') {
				q++;
				while (q < end && is_digit(*q) && q - p < 6)
					q++;
			}
			if (q < end && *q == '|') {
				*major = *p - '0';
				*hdr = q + 1;
				return true;
			}
		}
		m += 5;
	}
	return false;
}

/* A LEEF 2.0 delimiter field: "^", "0x5e", "x5E" (one to four hex digits, UTF-8). */
static bool
leef_delim(struct fw_span f, char *d, size_t *dn)
{
	unsigned long c = 0;
	size_t i = 0;

	if (f.n == 1) {
		d[0] = f.p[0];
		*dn = 1;
		return true;
	}
	if (f.n >= 2 && f.p[0] == '0' && (f.p[1] == 'x' || f.p[1] == 'X'))
		i = 2;
	else if (f.n >= 2 && (f.p[0] == 'x' || f.p[0] == 'X'))
		i = 1;
	else
		return false;
	if (f.n - i < 1 || f.n - i > 4)
		return false;
	for (; i < f.n; i++) {
		char ch = lower(f.p[i]);

		if (is_digit(ch))
			c = c * 16 + (unsigned long)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			c = c * 16 + (unsigned long)(ch - 'a' + 10);
		else
			return false;
	}
	if (c == 0)
		return false;
	if (c < 0x80) {
		d[0] = (char)c;
		*dn = 1;
	} else if (c < 0x800) {
		d[0] = (char)(0xc0 | (c >> 6));
		d[1] = (char)(0x80 | (c & 0x3f));
		*dn = 2;
	} else {
		d[0] = (char)(0xe0 | (c >> 12));
		d[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		d[2] = (char)(0x80 | (c & 0x3f));
		*dn = 3;
	}
	return true;
}

/* Split attributes on a delimiter: key=value, the key up to the first '='. */
static int
leef_split(const char *s, const char *end, const char *d, size_t dn, struct cef_pair *out,
    int max)
{
	const char *p = s;
	int n = 0;

	while (p < end && n < max) {
		const char *q = p, *eq;

		while (q < end && !((size_t)(end - q) >= dn && memcmp(q, d, dn) == 0))
			q++;
		eq = memchr(p, '=', (size_t)(q - p));
		if (eq != NULL) {
			out[n].key = trim((struct fw_span){ p, (size_t)(eq - p) });
			out[n].val = trim((struct fw_span){ eq + 1, (size_t)(q - eq - 1) });
			out[n].esc = false;
			if (out[n].key.n > 0)
				n++;
		}
		p = q < end ? q + dn : end;
	}
	return n;
}

static enum fwlog_result
leef_parse(struct fw_line *l, struct fwlog_rec *r)
{
	const char *hdr, *p, *end = l->end, *attrs;
	struct fw_span h[5], v[L__N];
	struct cef_pair pairs[LEEF_MAX_PAIRS];
	char delim[4] = "\t";
	size_t dn = 1;
	int nh = 0, np, major, last_slot = 0;
	enum fwlog_result res;
	enum ev_hint hint = EH_NONE;
	uint64_t u;

	if (!leef_marker(l->s, end, &hdr, &major))
		return FWR_NO;
	/* vendor|product|version|eventid| */
	p = hdr;
	h[0].p = p;
	while (p < end && nh < 4) {
		if (*p == '|') {
			h[nh].n = (size_t)(p - h[nh].p);
			nh++;
			h[nh].p = p + 1;
		}
		p++;
	}
	if (nh < 4)
		return FWR_CUT;
	while (end > p && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	attrs = p;
	if (major == 2) {
		/* the delimiter field, when there is one: "^|", "x5E|" */
		const char *q = memchr(p, '|', (size_t)(end - p));

		if (q != NULL) {
			struct fw_span f = { p, (size_t)(q - p) };

			if (f.n == 0)
				attrs = q + 1;
			else if (memchr(f.p, '=', f.n) == NULL && leef_delim(f, delim, &dn))
				attrs = q + 1;
		}
	}
	if (dn == 1 && delim[0] == '\t' && memchr(attrs, '\t', (size_t)(end - attrs)) == NULL) {
		/*
		 * no tab: senders that use '^', '|' (PAN-OS's LEEF 1.0 profile)
		 * or spaces as CEF does
		 */
		if (memchr(attrs, '^', (size_t)(end - attrs)) != NULL)
			delim[0] = '^';
		else if (memchr(attrs, '|', (size_t)(end - attrs)) != NULL)
			delim[0] = '|';
		else
			dn = 0;
	}
	if (dn == 0)
		np = cef_split(attrs, end, pairs, LEEF_MAX_PAIRS);
	else
		np = leef_split(attrs, end, delim, dn, pairs, LEEF_MAX_PAIRS);
	if (np < 0)
		return FWR_CUT;
	memset(v, 0, sizeof(v));
	for (int i = 0; i < np; i++) {
		int sl = fw_kslot_find(leef_keys, NS_ARRAY_LEN(leef_keys), pairs[i].key);

		if (sl != 0 && v[sl].p == NULL)
			v[sl] = pairs[i].val;
		if (i == np - 1)
			last_slot = sl;
	}
	if (np > 0 && pairs[np - 1].val.n == 0 && pairs[np - 1].val.p + pairs[np - 1].val.n >= end &&
	    (last_slot == L_SRC || last_slot == L_DST || last_slot == L_SPT ||
	    last_slot == L_DPT || last_slot == L_PROTO))
		return FWR_CUT;

	res = set_traffic(r, v[L_SRC].n > 0 ? v[L_SRC] : v[L_SRCPRENAT],
	    v[L_DST].n > 0 ? v[L_DST] : v[L_DSTPRENAT],
	    v[L_SPT].n > 0 ? v[L_SPT] : v[L_SRCPRENATPORT],
	    v[L_DPT].n > 0 ? v[L_DPT] : v[L_DSTPRENATPORT]);
	if (res != FWR_OK)
		return res;
	r->p.proto = v[L_PROTO].n > 0 ? fw_proto(v[L_PROTO]) : 255;
	if (v[L_ICMPTYPE].n > 0 && fw_uint(v[L_ICMPTYPE], 255, &u)) {
		r->p.icmp_type = (uint8_t)u;
		r->has_icmp_type = true;
	}
	if (v[L_ICMPCODE].n > 0 && fw_uint(v[L_ICMPCODE], 255, &u))
		r->p.icmp_code = (uint8_t)u;

	/* what was done: the action, else the category or event id when it is an action word */
	if (v[L_ACT].n > 0)
		r->action = action_word(v[L_ACT], &hint);
	else if (v[L_RULEACT].n > 0)
		r->action = action_word(v[L_RULEACT], &hint);
	else {
		enum fwlog_action a = v[L_CAT].n > 0 ? action_word(v[L_CAT], &hint) : FWA_OTHER;

		if (a == FWA_OTHER)
			a = action_word(h[3], &hint);
		r->action = a == FWA_OTHER ? FWA_NONE : a;
	}
	if (hint == EH_NONE)
		hint = header_hint(h[3]);
	if (hint == EH_NONE && v[L_CAT].n > 0)
		hint = header_hint(v[L_CAT]);

	r->dir = dir_word(v[L_DIR]);
	if (v[L_INIF].n > 0)
		fw_text(r->in_if, sizeof(r->in_if), v[L_INIF]);
	if (v[L_OUTIF].n > 0)
		fw_text(r->out_if, sizeof(r->out_if), v[L_OUTIF]);
	if (v[L_IFNAME].n > 0 && r->in_if[0] == '\0' && r->out_if[0] == '\0') {
		if (r->dir == FWD_OUT)
			fw_text(r->out_if, sizeof(r->out_if), v[L_IFNAME]);
		else
			fw_text(r->in_if, sizeof(r->in_if), v[L_IFNAME]);
	}
	/* zones, when the line names no interface */
	if (r->in_if[0] == '\0' && r->out_if[0] == '\0') {
		if (v[L_INZONE].n > 0)
			fw_text(r->in_if, sizeof(r->in_if), v[L_INZONE]);
		if (v[L_OUTZONE].n > 0)
			fw_text(r->out_if, sizeof(r->out_if), v[L_OUTZONE]);
	}
	if (v[L_RULENAME].n > 0)
		fw_text(r->rule, sizeof(r->rule), v[L_RULENAME]);
	else if (v[L_RULEID].n > 0)
		fw_text(r->rule, sizeof(r->rule), v[L_RULEID]);
	else if (v[L_POLICY].n > 0)
		fw_text(r->rule, sizeof(r->rule), v[L_POLICY]);

	/* srcBytes flow from the source, dstBytes from the destination */
	if (num_field(v[L_SRCBYTES], UINT64_MAX, &r->bytes_fwd) != FWR_OK ||
	    num_field(v[L_DSTBYTES], UINT64_MAX, &r->bytes_rev) != FWR_OK ||
	    num_field(v[L_TOTBYTES], UINT64_MAX, &r->bytes_total) != FWR_OK ||
	    num_field(v[L_SRCPKTS], UINT64_MAX, &r->pkts_fwd) != FWR_OK ||
	    num_field(v[L_DSTPKTS], UINT64_MAX, &r->pkts_rev) != FWR_OK)
		return FWR_BADFIELD;
	if (r->bytes_fwd != 0 || r->bytes_rev != 0)
		r->bytes_total = 0;	/* the sum of the two */
	u = 0;
	if (num_field(v[L_DURATION], UINT32_MAX, &u) != FWR_OK)
		return FWR_BADFIELD;
	r->duration = (double)u;
	u = 0;
	if (num_field(v[L_CNT], UINT64_MAX, &u) != FWR_OK)
		return FWR_BADFIELD;
	r->count = u > UINT32_MAX ? UINT32_MAX : (uint32_t)(u == 0 ? 1 : u);

	/* devTime with devTimeFormat; an epoch or a CEF-like stamp without */
	if (v[L_DEVTIME].n > 0) {
		bool ok = false;

		if (v[L_DEVTIMEFMT].n > 0)
			ok = java_time(l, v[L_DEVTIMEFMT], v[L_DEVTIME], &r->p.ts);
		if (!ok)
			ok = stamp_time(l, v[L_DEVTIME], false, 0, &r->p.ts);
		if (!ok)
			return FWR_BADFIELD;
		r->has_ts = true;
	} else {
		r->has_ts = fw_header_time(l, &r->p.ts);
	}
	set_event(r, hint);
	return FWR_OK;
}

const struct fw_format fw_leef = {
	.name = "leef",
	.vendor = "IBM QRadar Log Event Extended Format 1.0, 2.0 (any vendor)",
	.parse = leef_parse,
};
