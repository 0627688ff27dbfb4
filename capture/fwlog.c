/*
 * Netfilter log lines to struct pkt.
 *
 * The kernel writes one line per logged packet (net/netfilter/
 * nf_log_syslog.c), the same for iptables' LOG target and nftables' log
 * statement:
 *
 *   PREFIX IN=eth0 OUT= MAC=.. SRC=a DST=b LEN=76 TOS=0x00 PREC=0x00
 *       TTL=64 ID=1 DF PROTO=UDP SPT=123 DPT=40000 LEN=56
 *   PREFIX IN=eth0 OUT= MAC=.. SRC=a DST=b LEN=84 .. PROTO=ICMP TYPE=3
 *       CODE=3 [SRC=b DST=a LEN=56 .. PROTO=UDP SPT=40000 DPT=123 LEN=36 ]
 *   PREFIX IN=eth0 OUT= MAC=.. SRC=2001:0db8:..:0001 DST=.. LEN=96 TC=0
 *       HOPLIMIT=64 FLOWLBL=0 PROTO=TCP SPT=.. DPT=.. WINDOW=1024
 *       RES=0x00 SYN URGP=0
 *
 * IPv4 LEN= is the total length; IPv6 LEN= is the payload length plus the
 * 40-byte header, so both are the IP-layer length. The prefix is the
 * admin's free text (nftables allows 127 bytes, no trailing space added),
 * so the fields are found by the "IN=<ifname> OUT=" pattern, not by
 * position. Whatever is in front (syslog stamp and host, journalctl,
 * dmesg, /dev/kmsg record header) only gives the time.
 *
 * Lines are untrusted text: every read is bounded by the line's length,
 * nothing assumes a NUL, and no number is trusted to fit.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <zlib.h>

#include "common/util.h"
#include "capture/fwlog.h"
#include "capture/fwformat.h"

#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ICMPV6 58
#define PROTO_UDPLITE 136
#define PROTO_UNKNOWN 255	/* no PROTO= in the line (truncated packet) */

/* A bounded view of the line. */
struct cur {
	const char *p, *end;
};

static size_t
cur_left(const struct cur *c)
{
	return (size_t)(c->end - c->p);
}

static bool
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Advance past the literal s if the cursor starts with it. */
static bool
lit(struct cur *c, const char *s)
{
	size_t n = strlen(s);

	if (cur_left(c) < n || memcmp(c->p, s, n) != 0)
		return false;
	c->p += n;
	return true;
}

static bool
chr(struct cur *c, char ch)
{
	if (c->p >= c->end || *c->p != ch)
		return false;
	c->p++;
	return true;
}

static size_t
skip_spaces(struct cur *c)
{
	size_t n = 0;

	while (c->p < c->end && *c->p == ' ') {
		c->p++;
		n++;
	}
	return n;
}

/* mindig..maxdig decimal digits into *v; nothing consumed on failure. */
static bool
num(struct cur *c, int mindig, int maxdig, long *v)
{
	const char *s = c->p;
	long r = 0;
	int n = 0;

	while (s < c->end && is_digit(*s) && n < maxdig) {
		/* Saturate: /dev/kmsg sequence numbers may be 20 digits long. */
		if (r > (LONG_MAX - (*s - '0')) / 10)
			r = LONG_MAX;
		else
			r = r * 10 + (*s - '0');
		s++;
		n++;
	}
	if (n < mindig)
		return false;
	c->p = s;
	*v = r;
	return true;
}

/* ".123456": the fraction of a second, any number of digits (up to 9 used). */
static double
frac(struct cur *c)
{
	double f = 0, scale = 0.1;
	int n = 0;

	if (cur_left(c) < 2 || c->p[0] != '.' || !is_digit(c->p[1]))
		return 0;
	c->p++;
	while (c->p < c->end && is_digit(*c->p)) {
		if (n++ < 9) {
			f += (*c->p - '0') * scale;
			scale /= 10;
		}
		c->p++;
	}
	return f;
}

static int
month(struct cur *c)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	if (cur_left(c) < 3)
		return 0;
	for (int i = 0; i < 12; i++)
		if ((c->p[0] | 0x20) == (names[3 * i] | 0x20) &&
		    memcmp(c->p + 1, names + 3 * i + 1, 2) == 0) {
			c->p += 3;
			return i + 1;
		}
	return 0;
}

static bool
weekday(struct cur *c)
{
	static const char names[] = "MonTueWedThuFriSatSun";

	if (cur_left(c) < 4 || c->p[3] != ' ')
		return false;
	for (int i = 0; i < 7; i++)
		if (memcmp(c->p, names + 3 * i, 3) == 0) {
			c->p += 4;
			return true;
		}
	return false;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long
days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct civil {
	long y;
	int mo, d, h, mi, s;
	double frac;
};

static bool
civil_valid(const struct civil *t)
{
	return t->y >= 1970 && t->y <= 9999 && t->mo >= 1 && t->mo <= 12 &&
	    t->d >= 1 && t->d <= 31 && t->h <= 23 && t->mi <= 59 && t->s <= 60;
}

static double
civil_utc(const struct civil *t)
{
	return (double)days_from_civil(t->y, t->mo, t->d) * 86400.0 +
	    t->h * 3600.0 + t->mi * 60.0 + t->s + t->frac;
}

/*
 * Seconds east of UTC for a civil time in the stamps' zone. With the
 * process's TZ, mktime() answers per hour (DST changes mid-file are
 * followed) and the last answer is kept: logs are mostly in order.
 */
static long
zone_offset(struct fwlog_ctx *ctx, const struct civil *t)
{
	long key;
	struct tm tm;

	if (ctx->utc_offset_s != FWLOG_TZ_LOCAL)
		return ctx->utc_offset_s;
	key = ((t->y * 13 + t->mo) * 32 + t->d) * 24 + t->h;
	if (key == ctx->tz_key)
		return ctx->tz_off;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)t->y - 1900;
	tm.tm_mon = t->mo - 1;
	tm.tm_mday = t->d;
	tm.tm_hour = t->h;
	tm.tm_min = 30;
	tm.tm_isdst = -1;
	ctx->tz_off = mktime(&tm) == (time_t)-1 ? 0 : tm.tm_gmtoff;
	ctx->tz_key = key;
	return ctx->tz_off;
}

static double
civil_local(struct fwlog_ctx *ctx, const struct civil *t)
{
	return civil_utc(t) - (double)zone_offset(ctx, t);
}

/* HH:MM:SS[.frac] */
static bool
clock_time(struct cur *c, struct civil *t)
{
	long h, mi, s;

	if (!num(c, 2, 2, &h) || !chr(c, ':') || !num(c, 2, 2, &mi) ||
	    !chr(c, ':') || !num(c, 2, 2, &s))
		return false;
	t->h = (int)h;
	t->mi = (int)mi;
	t->s = (int)s;
	t->frac = frac(c);
	return true;
}

/*
 * The year of a year-less stamp. An explicit year is that of the first
 * stamp and goes up when the months wrap (December to January). Year 0:
 * this year, unless that puts the stamp more than a day in the future.
 */
static double
yearless(struct fwlog_ctx *ctx, struct civil *t)
{
	struct tm now_tm;
	time_t now;
	double ts;

	if (ctx->year != 0) {
		if (ctx->cur_year == 0)
			ctx->cur_year = ctx->year;
		else if (t->mo + 6 <= ctx->last_mon)
			ctx->cur_year++;
		ctx->last_mon = t->mo;
		t->y = ctx->cur_year;
		return civil_local(ctx, t);
	}
	now = ctx->now;
	if (ctx->utc_offset_s == FWLOG_TZ_LOCAL) {
		if (localtime_r(&now, &now_tm) == NULL)
			return 0;
	} else {
		now += ctx->utc_offset_s;
		if (gmtime_r(&now, &now_tm) == NULL)
			return 0;
	}
	t->y = now_tm.tm_year + 1900L;
	ts = civil_local(ctx, t);
	if (ts > (double)ctx->now + 86400.0) {
		t->y--;
		ts = civil_local(ctx, t);
	}
	return ts;
}

/* Z, +HH:MM, +HHMM, +HH, " UTC"; absent: the stamps' zone. */
static bool
zone(struct cur *c, long *off)
{
	long hh, mm = 0;
	int sign;

	struct cur save = *c;

	if (chr(c, 'Z')) {
		*off = 0;
		return true;
	}
	/* journalctl -o short-full names the zone: only UTC is known here */
	if ((lit(c, " UTC") || lit(c, " GMT")) && (c->p == c->end || *c->p == ' ')) {
		*off = 0;
		return true;
	}
	*c = save;
	if (c->p >= c->end || (*c->p != '+' && *c->p != '-'))
		return false;
	sign = *c->p == '-' ? -1 : 1;
	c->p++;
	if (!num(c, 2, 2, &hh))
		return false;
	chr(c, ':');
	num(c, 2, 2, &mm);
	*off = sign * (hh * 3600 + mm * 60);
	return true;
}

/*
 * The time of a line, from whatever stands at its start:
 *   <13>1 ...                              RFC 5424 priority and version
 *   Nov 24 05:01:02[.123456] host kernel:  syslog, journalctl (-o short,
 *                                          short-precise)
 *   2026-11-24T05:01:02[.frac][zone] host  RFC 3339 syslog, journalctl
 *                                          -o short-iso[-precise]
 *   [Tue Nov 24 05:01:02 2026] ...         dmesg -T
 *   [12345.678901] ...                     dmesg: seconds since boot
 *   6,1234,12345678901,-;...               /dev/kmsg: microseconds since boot
 *   1732424462.123456 host kernel: ...     journalctl -o short-unix
 *   kern  :warn  : [ 1.2] ...              dmesg -x
 * Returns false when none matches (the caller keeps the previous time).
 */
static bool
line_time(struct fwlog_ctx *ctx, struct cur *line, double *ts)
{
	struct cur c = *line, save;
	struct civil t;
	long v, sec, off;

	memset(&t, 0, sizeof(t));
	/* <pri> and the RFC 5424 version */
	save = c;
	if (chr(&c, '<') && num(&c, 1, 3, &v) && chr(&c, '>'))
		lit(&c, "1 ");
	else
		c = save;

	/* /dev/kmsg: priority,sequence,usec,flags[,...];message */
	save = c;
	if (num(&c, 1, 4, &v) && chr(&c, ',') && num(&c, 1, 20, &v) &&
	    chr(&c, ',') && num(&c, 1, 18, &v) && chr(&c, ',')) {
		*ts = (double)v / 1e6;
		return true;
	}
	c = save;

	/* dmesg -x: facility and level */
	save = c;
	{
		int n = 0;

		while (c.p < c.end && *c.p >= 'a' && *c.p <= 'z' && n < 8) {
			c.p++;
			n++;
		}
		skip_spaces(&c);
		if (n > 0 && chr(&c, ':')) {
			n = 0;
			while (c.p < c.end && *c.p >= 'a' && *c.p <= 'z' && n < 8) {
				c.p++;
				n++;
			}
			skip_spaces(&c);
			if (n == 0 || !chr(&c, ':'))
				c = save;
			else
				skip_spaces(&c);
		} else
			c = save;
	}

	if (chr(&c, '[')) {
		skip_spaces(&c);
		save = c;
		/* dmesg, journalctl -o short-monotonic */
		if (num(&c, 1, 12, &sec) && c.p < c.end && *c.p == '.') {
			*ts = (double)sec + frac(&c);
			return chr(&c, ']');
		}
		c = save;
		/* dmesg -T */
		weekday(&c);
		if ((t.mo = month(&c)) == 0 || skip_spaces(&c) == 0 ||
		    !num(&c, 1, 2, &v))
			return false;
		t.d = (int)v;
		if (!chr(&c, ' ') || !clock_time(&c, &t) || !chr(&c, ' ') ||
		    !num(&c, 4, 4, &t.y) || !chr(&c, ']') || !civil_valid(&t))
			return false;
		*ts = civil_local(ctx, &t);
		return true;
	}

	/* RFC 3339 and journalctl's ISO forms, optionally after a weekday */
	save = c;
	weekday(&c);
	if (num(&c, 4, 4, &t.y) && chr(&c, '-')) {
		if (!num(&c, 2, 2, &v) || !chr(&c, '-'))
			return false;
		t.mo = (int)v;
		if (!num(&c, 2, 2, &v) || c.p >= c.end ||
		    (*c.p != 'T' && *c.p != ' '))
			return false;
		t.d = (int)v;
		c.p++;
		if (!clock_time(&c, &t) || !civil_valid(&t))
			return false;
		if (zone(&c, &off))
			*ts = civil_utc(&t) - (double)off;
		else
			*ts = civil_local(ctx, &t);
		return true;
	}
	c = save;

	/* RFC 3164 syslog and journalctl's default */
	if ((t.mo = month(&c)) != 0) {
		/* RouterOS's memory log: "nov/24 05:03:10", "dec/31/2025 23:59:59" */
		if (chr(&c, '/')) {
			if (!num(&c, 1, 2, &v))
				return false;
			t.d = (int)v;
			if (chr(&c, '/') && !num(&c, 4, 4, &t.y))
				return false;
			if (!chr(&c, ' ') || !clock_time(&c, &t))
				return false;
			if (t.y != 0) {
				if (!civil_valid(&t))
					return false;
				*ts = civil_local(ctx, &t);
				return true;
			}
			t.y = 2000;
			if (!civil_valid(&t))
				return false;
			*ts = yearless(ctx, &t);
			return true;
		}
		if (skip_spaces(&c) == 0 || !num(&c, 1, 2, &v))
			return false;
		t.d = (int)v;
		if (!chr(&c, ' '))
			return false;
		/* Cisco's "Nov 24 2026 05:01:02" */
		save = c;
		if (num(&c, 4, 4, &t.y) && chr(&c, ' ') && clock_time(&c, &t)) {
			if (!civil_valid(&t))
				return false;
			*ts = civil_local(ctx, &t);
			return true;
		}
		c = save;
		if (!clock_time(&c, &t))
			return false;
		t.y = 2000;	/* checked below with the real year */
		if (!civil_valid(&t))
			return false;
		*ts = yearless(ctx, &t);
		return true;
	}
	c = save;

	/* journalctl -o short-unix */
	if (num(&c, 9, 12, &sec) && c.p < c.end && *c.p == '.') {
		*ts = (double)sec + frac(&c);
		return c.p < c.end && *c.p == ' ';
	}
	return false;
}

/* ---- the netfilter fields ---- */

/* One level of the dump: the packet, or the header an ICMP error quotes. */
struct level {
	bool src, dst, proto, spt, dpt;
	uint8_t proto_num;
	struct ns_addr a_src, a_dst;
	uint16_t sport, dport;
};

static bool
tok_is(const char *t, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(t, s, n) == 0;
}

/* "KEY=" at the start of the token: the value is what follows. */
static bool
tok_key(const char *t, size_t n, const char *key, const char **v, size_t *vn)
{
	size_t k = strlen(key);

	if (n < k || memcmp(t, key, k) != 0)
		return false;
	*v = t + k;
	*vn = n - k;
	return true;
}

/* A whole token as an unsigned decimal no larger than max. */
static bool
tok_uint(const char *v, size_t n, unsigned long max, unsigned long *out)
{
	unsigned long r = 0;

	if (n == 0 || n > 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(v[i]))
			return false;
		r = r * 10 + (unsigned long)(v[i] - '0');
	}
	if (r > max)
		return false;
	*out = r;
	return true;
}

static bool
tok_addr(const char *v, size_t n, struct ns_addr *a)
{
	char buf[NS_ADDRSTRLEN];

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, v, n);
	buf[n] = '\0';
	return ns_addr_parse(a, buf) == 0;
}

static uint8_t
proto_number(const char *v, size_t n)
{
	static const struct {
		const char *name;
		uint8_t num;
	} names[] = {
		{ "TCP", PROTO_TCP },
		{ "UDP", PROTO_UDP },
		{ "UDPLITE", PROTO_UDPLITE },
		{ "ICMP", PROTO_ICMP },
		{ "ICMPv6", PROTO_ICMPV6 },
		{ "ESP", 50 },
		{ "AH", 51 },
	};
	unsigned long u;

	for (size_t i = 0; i < NS_ARRAY_LEN(names); i++)
		if (tok_is(v, n, names[i].name))
			return names[i].num;
	if (tok_uint(v, n, 255, &u))
		return (uint8_t)u;
	return PROTO_UNKNOWN;
}

static uint8_t
tcp_flag(const char *t, size_t n)
{
	static const struct {
		const char *name;
		uint8_t bit;
	} flags[] = {
		{ "FIN", TCP_FIN }, { "SYN", TCP_SYN }, { "RST", TCP_RST },
		{ "PSH", TCP_PSH }, { "ACK", TCP_ACK }, { "URG", TCP_URG },
	};

	for (size_t i = 0; i < NS_ARRAY_LEN(flags); i++)
		if (tok_is(t, n, flags[i].name))
			return flags[i].bit;
	return 0;
}

/*
 * Find "IN=<ifname> OUT=" (the kernel's first field after the prefix).
 * Returns the position of "IN=" or NULL.
 */
static const char *
find_in(const char *s, const char *end)
{
	while (s < end) {
		const char *hit = memmem(s, (size_t)(end - s), "IN=", 3);
		const char *q;

		if (hit == NULL)
			return NULL;
		q = hit + 3;
		/* Interface names are at most 15 bytes, no spaces or '='. */
		while (q < end && *q != ' ' && *q != '=' && q - hit < 3 + 32)
			q++;
		if ((size_t)(end - q) >= 5 && memcmp(q, " OUT=", 5) == 0)
			return hit;
		s = hit + 3;
	}
	return NULL;
}

/* The kernel prints SPT= and DPT= for these only. */
static bool
has_ports(const struct level *l)
{
	return l->spt && l->dpt && l->proto && (l->proto_num == PROTO_TCP ||
	    l->proto_num == PROTO_UDP || l->proto_num == PROTO_UDPLITE);
}

static void
level_to_quoted(const struct level *l, struct pkt_quoted *q)
{
	if (!l->src || !l->dst || l->a_src.af != l->a_dst.af)
		return;
	q->valid = true;
	q->proto = l->proto ? l->proto_num : PROTO_UNKNOWN;
	q->src = l->a_src;
	q->dst = l->a_dst;
	q->has_ports = has_ports(l);
	q->sport = l->sport;
	q->dport = l->dport;
}

/*
 * The fields from "IN=" to the end of the line. LEN and ID mean the IP
 * header's before PROTO= and the transport's (UDP length, ICMP echo id)
 * after it; "[SRC=" opens the quoted header of an ICMP error and "]"
 * closes it (the kernel recurses once only; so do we).
 */
static enum fwlog_result
parse_fields(const char *s, const char *end, struct pkt *p)
{
	struct level lv[2], *l;
	int depth = 0, quotes = 0;
	bool ip_len = false, after_frag = false, echo = false, saw_addr = false;
	unsigned long u;

	memset(lv, 0, sizeof(lv));
	while (s < end) {
		const char *t, *v;
		size_t n, vn;
		bool was_frag = after_frag;

		while (s < end && *s == ' ')
			s++;
		t = s;
		while (s < end && *s != ' ')
			s++;
		n = (size_t)(s - t);
		if (n == 0)
			break;
		after_frag = false;
		l = &lv[depth];

		if (n >= 5 && t[0] == '[' && memcmp(t + 1, "SRC=", 4) == 0) {
			if (depth != 0 || quotes++ != 0)
				continue;	/* the kernel never nests */
			depth = 1;
			l = &lv[1];
			t++;
			n--;
		} else if (tok_is(t, n, "]")) {
			depth = 0;
			continue;
		}

		if (tok_key(t, n, "SRC=", &v, &vn)) {
			saw_addr = true;
			if (!l->src)
				l->src = tok_addr(v, vn, &l->a_src);
		} else if (tok_key(t, n, "DST=", &v, &vn)) {
			saw_addr = true;
			if (!l->dst)
				l->dst = tok_addr(v, vn, &l->a_dst);
		} else if (tok_key(t, n, "PROTO=", &v, &vn)) {
			if (!l->proto) {
				l->proto = true;
				l->proto_num = proto_number(v, vn);
			}
		} else if (tok_key(t, n, "LEN=", &v, &vn)) {
			if (!tok_uint(v, vn, 65535 + 40, &u) || depth != 0)
				continue;
			if (!l->proto && !ip_len) {
				p->ip_len = (uint32_t)u;
				ip_len = true;
			} else if (l->proto && (l->proto_num == PROTO_UDP ||
			    l->proto_num == PROTO_UDPLITE) && u >= 8)
				p->payload_len = (uint32_t)(u - 8);
		} else if (tok_key(t, n, "ID=", &v, &vn)) {
			if (!tok_uint(v, vn, 65535, &u) || depth != 0)
				continue;
			if (!l->proto)
				p->ip_id = (uint16_t)u;
			else if (echo)
				p->sport = p->dport = (uint16_t)u;
		} else if (tok_key(t, n, "SPT=", &v, &vn)) {
			if (l->proto && !l->spt) {
				if (!tok_uint(v, vn, 65535, &u))
					return FWR_BADPORT;
				l->spt = true;
				l->sport = (uint16_t)u;
			}
		} else if (tok_key(t, n, "DPT=", &v, &vn)) {
			if (l->proto && !l->dpt) {
				if (!tok_uint(v, vn, 65535, &u))
					return FWR_BADPORT;
				l->dpt = true;
				l->dport = (uint16_t)u;
			}
		} else if (tok_key(t, n, "TYPE=", &v, &vn)) {
			if (depth == 0 && l->proto && tok_uint(v, vn, 255, &u))
				p->icmp_type = (uint8_t)u;
		} else if (tok_key(t, n, "CODE=", &v, &vn)) {
			if (depth == 0 && l->proto && tok_uint(v, vn, 255, &u))
				p->icmp_code = (uint8_t)u;
		} else if (tok_key(t, n, "FRAG:", &v, &vn) ||
		    tok_key(t, n, "FRAG=", &v, &vn)) {
			/* IPv4: offset in 8-byte units; IPv6: in bytes */
			if (depth != 0 || l->proto || !tok_uint(v, vn, 65535, &u))
				continue;
			if (l->src && l->a_src.af == 6)
				p->fragment = true;	/* a fragment header */
			if (u != 0)
				p->fragment = p->later_fragment = true;
			after_frag = true;
		} else if (tok_is(t, n, "INCOMPLETE")) {
			/* right after IPv6 FRAG:n it is the M (more) flag */
			if (was_frag)
				p->fragment = true;
		} else if (tok_is(t, n, "MF")) {
			if (depth == 0 && !l->proto)
				p->fragment = true;
		} else if (tok_is(t, n, "Unknown")) {
			/* IPv6 "Unknown Ext Hdr 60": the dump ends there */
			struct cur c = { s, end };
			long hdr;

			if (!l->proto && lit(&c, " Ext Hdr ") &&
			    num(&c, 1, 3, &hdr) && hdr <= 255) {
				l->proto = true;
				l->proto_num = (uint8_t)hdr;
			}
		} else if (depth == 0 && l->proto && l->proto_num == PROTO_TCP) {
			p->tcp_flags |= tcp_flag(t, n);
		}
		if (depth == 0 && l->proto && (l->proto_num == PROTO_ICMP ||
		    l->proto_num == PROTO_ICMPV6)) {
			uint8_t ty = p->icmp_type;

			echo = l->proto_num == PROTO_ICMP ? ty == 0 || ty == 8 :
			    ty == 128 || ty == 129;
		}
	}

	l = &lv[0];
	if (!l->src || !l->dst || l->a_src.af != l->a_dst.af)
		return saw_addr ? FWR_BADADDR : FWR_CUT;
	p->ipver = l->a_src.af;
	p->src = l->a_src;
	p->dst = l->a_dst;
	p->proto = l->proto ? l->proto_num : PROTO_UNKNOWN;
	if (p->proto == PROTO_ICMP || p->proto == PROTO_ICMPV6) {
		uint8_t ty = p->icmp_type;

		if (p->proto == PROTO_ICMP)
			p->icmp_error = ty == 3 || ty == 4 || ty == 5 || ty == 11 ||
			    ty == 12;
		else
			p->icmp_error = ty >= 1 && ty <= 4;
		if (p->icmp_error)
			level_to_quoted(&lv[1], &p->quoted);
	} else if (has_ports(l)) {
		p->has_ports = true;
		p->sport = l->sport;
		p->dport = l->dport;
	}
	if (p->proto != PROTO_UDP && p->proto != PROTO_UDPLITE)
		p->payload_len = 0;
	if (!ip_len)
		p->ip_len = p->ipver == 6 ? 40 : 20;
	p->wirelen = p->ip_len;
	return FWR_OK;
}

/* ---- the time helpers of the other formats (capture/fwformat.h) ---- */

bool
fw_header_time(struct fw_line *l, double *ts)
{
	if (!l->hdr_done) {
		struct cur c = { l->s, l->end };

		l->hdr_done = true;
		l->hdr_has_ts = line_time(l->ctx, &c, &l->hdr_ts);
	}
	*ts = l->hdr_ts;
	return l->hdr_has_ts;
}

double
fw_time_civil(struct fwlog_ctx *ctx, int y, int mo, int d, int h, int mi, int s,
    double fr, bool has_off, long off_s)
{
	struct civil t = { y, mo, d, h, mi, s, fr };

	if (!civil_valid(&t))
		return -1;
	return has_off ? civil_utc(&t) - (double)off_s : civil_local(ctx, &t);
}

bool
fw_tz_offset(struct fw_span v, long *off_s)
{
	struct cur c = { v.p, v.p + v.n };
	long off;

	while (c.p < c.end && *c.p == ' ')
		c.p++;
	if (fw_ieq((struct fw_span){ c.p, (size_t)(c.end - c.p) }, "UTC") ||
	    fw_ieq((struct fw_span){ c.p, (size_t)(c.end - c.p) }, "GMT")) {
		*off_s = 0;
		return true;
	}
	if (!zone(&c, &off) || c.p != c.end)
		return false;
	*off_s = off;
	return true;
}

bool
fw_time_iso(struct fwlog_ctx *ctx, struct fw_span v, double *ts)
{
	struct cur c = { v.p, v.p + v.n };
	struct civil t;
	long y, mo, d, off;
	char sep;

	memset(&t, 0, sizeof(t));
	if (!num(&c, 4, 4, &y) || c.p >= c.end)
		return false;
	sep = *c.p;
	if (sep != '-' && sep != '/' && sep != ':')
		return false;
	c.p++;
	if (!num(&c, 1, 2, &mo) || !chr(&c, sep) || !num(&c, 1, 2, &d) || c.p >= c.end ||
	    (*c.p != 'T' && *c.p != ' ' && *c.p != '-'))
		return false;
	c.p++;
	t.y = y;
	t.mo = (int)mo;
	t.d = (int)d;
	if (!clock_time(&c, &t) || !civil_valid(&t))
		return false;
	if (zone(&c, &off))
		*ts = civil_utc(&t) - (double)off;
	else
		*ts = civil_local(ctx, &t);
	return true;
}

/* ---- the netfilter format ---- */

/* A token's value after KEY= at p, up to the next space. */
static struct fw_span
nf_value(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && *q != ' ')
		q++;
	return (struct fw_span){ p, (size_t)(q - p) };
}

/* "6,1234,5678,-;": /dev/kmsg's record header before k (the ';'). */
static bool
line_is_kmsg(const char *s, const char *k)
{
	int commas = 0;

	for (const char *q = s; q < k; q++) {
		if (*q == ',')
			commas++;
		else if (!is_digit(*q) && *q != '-' && *q != '<' && *q != '>')
			return false;
	}
	return commas >= 3;
}

/*
 * What the admin's prefix says was done: Ubiquiti EdgeOS/UniFi write
 * "[RULESET-RULE-A]" (A accept, D drop, R reject) right before "IN=";
 * ufw "[UFW BLOCK]", firewalld "FINAL_REJECT:", most admins a word.
 */
static void
nf_prefix(struct fwlog_rec *r, const char *s, const char *in)
{
	static const struct {
		const char *word;
		enum fwlog_action act;
	} words[] = {
		{ "REJECT", FWA_RESET }, { "DROP", FWA_DENY }, { "DENY", FWA_DENY },
		{ "BLOCK", FWA_DENY }, { "ACCEPT", FWA_ALLOW }, { "ALLOW", FWA_ALLOW },
		{ "PASS", FWA_ALLOW },
	};
	const char *p = s, *k, *e = in;
	char up[64];
	size_t n;

	/* after "kernel: " or /dev/kmsg's ';', else the last word before IN= */
	if ((k = fw_find(s, in, "kernel: ")) != NULL)
		p = k + 8;
	else if ((k = memchr(s, ';', (size_t)(in - s))) != NULL && line_is_kmsg(s, k))
		p = k + 1;
	else {
		const char *q = in;

		while (q > s && q[-1] == ' ')
			q--;
		while (q > s && q[-1] != ' ')
			q--;
		p = q;
	}
	while (p < e && *p == ' ')
		p++;
	/* the kernel's own "[12345.678901] " */
	if (p < e && *p == '[') {
		const char *q = p + 1;

		while (q < e && *q == ' ')
			q++;
		while (q < e && ((*q >= '0' && *q <= '9') || *q == '.'))
			q++;
		if (q < e && *q == ']' && q > p + 1)
			p = q + 1;
	}
	while (p < e && *p == ' ')
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == ':'))
		e--;
	n = (size_t)(e - p);
	if (n == 0)
		return;
	fw_text(r->prefix, sizeof(r->prefix), (struct fw_span){ p, n });
	if (n >= 5 && p[0] == '[' && in[-1] == ']' && in[-3] == '-' &&
	    (in[-2] == 'A' || in[-2] == 'D' || in[-2] == 'R')) {
		/* "[wan-lan-default-D]": rule set wan-lan, rule default, drop */
		const char *q = in - 3;

		while (q > p + 1 && q[-1] != '-')
			q--;
		if (q > p + 2) {
			fw_text(r->rule, sizeof(r->rule), (struct fw_span){ p + 1,
			    (size_t)(q - 1 - (p + 1)) });
			r->action = in[-2] == 'A' ? FWA_ALLOW : in[-2] == 'D' ? FWA_DENY : FWA_RESET;
			return;
		}
	}
	n = NS_MIN(n, sizeof(up) - 1);
	for (size_t i = 0; i < n; i++)
		up[i] = p[i] >= 'a' && p[i] <= 'z' ? (char)(p[i] - 'a' + 'A') : p[i];
	up[n] = '\0';
	for (size_t i = 0; i < NS_ARRAY_LEN(words); i++)
		if (strstr(up, words[i].word) != NULL) {
			r->action = words[i].act;
			return;
		}
}

static enum fwlog_result
nf_parse(struct fw_line *l, struct fwlog_rec *r)
{
	struct cur c = { l->s, l->end };
	const char *in;
	struct fw_span v;
	enum fwlog_result res;
	double ts = 0;

	in = find_in(l->s, l->end);
	if (in == NULL)
		return FWR_NO;
	if ((res = parse_fields(in, l->end, &r->p)) != FWR_OK)
		return res;
	/* Only what stands before the fields can be a stamp. */
	c.end = in;
	r->has_ts = line_time(l->ctx, &c, &ts);
	r->p.ts = ts;
	v = nf_value(in + 3, l->end);
	fw_text(r->in_if, sizeof(r->in_if), v);
	if (v.p + v.n + 5 <= l->end)
		fw_text(r->out_if, sizeof(r->out_if), nf_value(v.p + v.n + 5, l->end));
	r->dir = r->in_if[0] != '\0' ? FWD_IN : r->out_if[0] != '\0' ? FWD_OUT : FWD_UNKNOWN;
	nf_prefix(r, l->s, in);
	if (r->p.has_ports)
		r->has_sport = r->has_dport = true;
	/* the kernel prints the flags and the ICMP type of every such packet */
	r->has_tcp_flags = r->has_icmp_type = true;
	return FWR_OK;
}

const struct fw_format fw_netfilter = {
	.name = "netfilter",
	.vendor = "Linux netfilter (iptables, nftables, ufw, firewalld, Ubiquiti)",
	.parse = nf_parse,
};

/* ---- the formats ---- */

/*
 * In the order they are tried. A format carried by other vendors (CEF,
 * LEEF) comes before the vendors' own, so that a FortiGate's CEF line is
 * read as CEF.
 */
static const struct fw_format *const fw_formats[] = {
	&fw_cef,
	&fw_leef,
	&fw_netfilter,
	&fw_pfsense,
	&fw_windows,
	&fw_mikrotik,
	&fw_checkpoint,
	&fw_fortigate,
	&fw_sonicwall,
	&fw_sophos_utm,
	&fw_sophos_xg,
	&fw_panos,
	&fw_junos_srx,
	&fw_cisco_asa, &fw_cisco_ios, &fw_cisco_meraki,
};
_Static_assert(NS_ARRAY_LEN(fw_formats) <= FWLOG_MAX_FORMATS, "FWLOG_MAX_FORMATS");

const char *
fwlog_format_name(int i)
{
	return i >= 0 && (size_t)i < NS_ARRAY_LEN(fw_formats) ? fw_formats[i]->name : NULL;
}

const char *
fwlog_format_vendor(int i)
{
	return i >= 0 && (size_t)i < NS_ARRAY_LEN(fw_formats) ? fw_formats[i]->vendor : NULL;
}

int
fwlog_format_find(const char *name)
{
	for (size_t i = 0; i < NS_ARRAY_LEN(fw_formats); i++)
		if (strcmp(fw_formats[i]->name, name) == 0)
			return (int)i;
	return -1;
}

const char *
fwlog_format_list(void)
{
	static char buf[FWLOG_MAX_FORMATS * 16];
	size_t o = 0;

	if (buf[0] != '\0')
		return buf;
	for (size_t i = 0; i < NS_ARRAY_LEN(fw_formats) && o < sizeof(buf); i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s", i ? ", " : "",
		    fw_formats[i]->name);
	return buf;
}

const char *
fwlog_result_name(enum fwlog_result r)
{
	static const char *const names[FWR__COUNT] = {
		[FWR_NO] = "not a firewall line of a known format",
		[FWR_OK] = "read",
		[FWR_NOTRAFFIC] = "no traffic in the line",
		[FWR_CUT] = "cut short",
		[FWR_BADADDR] = "bad address",
		[FWR_BADPORT] = "bad port",
		[FWR_BADFIELD] = "bad field",
		[FWR_TOOLONG] = "too long",
	};

	return (unsigned)r < FWR__COUNT ? names[r] : "?";
}

const char *
fwlog_result_key(enum fwlog_result r)
{
	static const char *const keys[FWR__COUNT] = {
		[FWR_NO] = "no_known_format", [FWR_OK] = "read",
		[FWR_NOTRAFFIC] = "no_traffic", [FWR_CUT] = "cut_short",
		[FWR_BADADDR] = "bad_address", [FWR_BADPORT] = "bad_port",
		[FWR_BADFIELD] = "bad_field", [FWR_TOOLONG] = "too_long",
	};

	return (unsigned)r < FWR__COUNT ? keys[r] : "?";
}

const char *
fwlog_action_name(enum fwlog_action a)
{
	static const char *const names[] = {
		[FWA_NONE] = "", [FWA_ALLOW] = "allow", [FWA_DENY] = "deny",
		[FWA_RESET] = "reset", [FWA_OTHER] = "other",
	};

	return (unsigned)a < NS_ARRAY_LEN(names) ? names[a] : "?";
}

static bool
has_transport_ports(uint8_t proto)
{
	return proto == PROTO_TCP || proto == PROTO_UDP || proto == PROTO_UDPLITE || proto == 132;
}

/* What every format leaves to the caller: the packet's invariants. */
static void
finish(struct fwlog_ctx *ctx, struct fwlog_rec *r)
{
	struct pkt *p = &r->p;

	if (r->has_ts)
		ctx->last_ts = p->ts;
	else
		p->ts = ctx->last_ts;
	if (!p->has_ports && r->has_sport && r->has_dport && has_transport_ports(p->proto) &&
	    !p->later_fragment)
		p->has_ports = true;
	if (p->ip_len == 0)
		p->ip_len = p->ipver == 6 ? 40 : 20;
	/* "ICMP" between IPv6 addresses is ICMPv6: many vendors name both alike */
	if (p->ipver == 6 && p->proto == PROTO_ICMP)
		p->proto = PROTO_ICMPV6;
	else if (p->ipver == 4 && p->proto == PROTO_ICMPV6)
		p->proto = PROTO_ICMP;
	if (p->proto == PROTO_TCP && p->tcp_flags == 0 && !r->has_tcp_flags &&
	    r->event == FWE_PACKET)
		p->tcp_flags = TCP_SYN;
	if ((p->proto == PROTO_ICMP || p->proto == PROTO_ICMPV6) && !r->has_icmp_type &&
	    p->icmp_type == 0 && p->icmp_code == 0)
		p->icmp_type = 255;
	p->wirelen = p->ip_len;
	p->err = PKT_OK;
	p->payload = NULL;
	if (r->count == 0)
		r->count = 1;
	p->fw_action = (uint8_t)r->action;
	if (r->rule[0] != '\0') {
		p->rule = r->rule;
		p->rule_len = (uint16_t)strlen(r->rule);
	} else if (r->prefix[0] != '\0') {
		p->rule = r->prefix;
		p->rule_len = (uint16_t)strlen(r->prefix);
	}
}

static enum fwlog_result
try_format(int i, struct fw_line *l, struct fwlog_rec *r)
{
	enum fwlog_result res = fw_formats[i]->parse(l, r);

	if (res == FWR_NO || res != FWR_OK) {
		memset(r, 0, sizeof(*r));
		r->format = res == FWR_NO ? -1 : i;
	} else {
		r->format = i;
	}
	return res;
}

enum fwlog_result
fwlog_parse(struct fwlog_ctx *ctx, const char *line, size_t len, struct fwlog_rec *r)
{
	struct fw_line l;
	enum fwlog_result res;
	int n = (int)NS_ARRAY_LEN(fw_formats), first;

	memset(r, 0, sizeof(*r));
	r->format = -1;
	if (len > FWLOG_MAX_LINE)
		return FWR_TOOLONG;
	memset(&l, 0, sizeof(l));
	l.ctx = ctx;
	l.s = line;
	l.end = line + len;
	if (ctx->format >= 0 && ctx->format < n) {
		res = try_format(ctx->format, &l, r);
	} else {
		first = ctx->last_format >= 0 && ctx->last_format < n ? ctx->last_format : 0;
		res = try_format(first, &l, r);
		for (int i = 0; res == FWR_NO && i < n; i++)
			if (i != first)
				res = try_format(i, &l, r);
		if (res != FWR_NO)
			ctx->last_format = r->format;
	}
	if (res == FWR_OK)
		finish(ctx, r);
	return res;
}

bool
fwlog_parse_line(struct fwlog_ctx *ctx, const char *line, size_t len, struct pkt *p)
{
	struct fwlog_rec r;

	if (fwlog_parse(ctx, line, len, &r) != FWR_OK) {
		memset(p, 0, sizeof(*p));
		return false;
	}
	*p = r.p;
	/* the rule points into r, which ends here */
	p->rule = NULL;
	p->rule_len = 0;
	return true;
}

/* ---- records to packets ---- */

static void
reverse(struct pkt *q, const struct pkt *p)
{
	*q = *p;
	q->src = p->dst;
	q->dst = p->src;
	q->sport = p->dport;
	q->dport = p->sport;
}

static uint32_t
share(uint64_t bytes, uint64_t n, uint64_t i, uint32_t floor_len)
{
	uint64_t b;

	if (bytes == 0 || n == 0)
		return floor_len;
	b = bytes / n + (i < bytes % n ? 1 : 0);
	if (b < floor_len)
		b = floor_len;
	return b > UINT32_MAX ? UINT32_MAX : (uint32_t)b;
}

uint64_t
fwlog_expand(const struct fwlog_rec *r, void (*cb)(void *, struct pkt *), void *arg,
    uint64_t *capped)
{
	struct pkt p = r->p, q;
	uint32_t hdr = r->p.ipver == 6 ? 40 : 20;
	uint64_t n, made = 0, fwd, rev, i;
	double span;

	*capped = 0;
	switch (r->event) {
	case FWE_PACKET:
		/*
		 * The packets of a summary, spread after the line's time: the
		 * analysis takes packets in time order, and what decides a
		 * verdict is their number and rate, which this keeps. Past
		 * FWLOG_MAX_EXPAND, that many at the same rate.
		 */
		n = r->count > 0 ? r->count : 1;
		span = r->count_span > 0 ? r->count_span : 0;
		if (n > FWLOG_MAX_EXPAND) {
			*capped = n - FWLOG_MAX_EXPAND;
			span = span * FWLOG_MAX_EXPAND / (double)n;
			n = FWLOG_MAX_EXPAND;
		}
		for (i = 0; i < n; i++) {
			q = p;
			q.ts = p.ts + span * (double)i / (double)n;
			cb(arg, &q);
			made++;
		}
		return made;
	case FWE_CONN_START:
		if (p.proto == PROTO_TCP && p.tcp_flags == 0)
			p.tcp_flags = TCP_SYN;
		cb(arg, &p);
		return 1;
	case FWE_CONN_END:
		break;
	}
	/*
	 * A connection's end: the packets each side sent, at the line's time
	 * (its start may be hours before, and the analysis counts a packet
	 * out of order in the second it is in), the initiator's first. A
	 * log that gives bytes but no packet counts gives one packet a side.
	 * At most FWLOG_CONN_EXPAND a side, the bytes shared among them:
	 * what a connection record tells is who started it and whether the
	 * other side answered, and all its packets at one instant would be
	 * a burst that never was (and the slow part of reading a log of
	 * session ends: 15 packets a line on average in the benchmark's).
	 */
	fwd = r->pkts_fwd;
	rev = r->pkts_rev;
	if (fwd == 0 && rev == 0) {
		fwd = 1;
		rev = r->bytes_rev > 0 || r->bytes_total > 0 ? 1 : 0;
	}
	if (fwd > FWLOG_CONN_EXPAND) {
		*capped += fwd - FWLOG_CONN_EXPAND;
		fwd = FWLOG_CONN_EXPAND;
	}
	if (rev > FWLOG_CONN_EXPAND) {
		*capped += rev - FWLOG_CONN_EXPAND;
		rev = FWLOG_CONN_EXPAND;
	}
	{
		uint64_t bf = r->bytes_fwd, br = r->bytes_rev;

		if (bf == 0 && br == 0 && r->bytes_total > 0) {
			bf = rev > 0 ? r->bytes_total / 2 : r->bytes_total;
			br = r->bytes_total - bf;
		}
		for (i = 0; i < fwd || i < rev; i++) {
			if (i < fwd) {
				q = p;
				if (p.proto == PROTO_TCP && p.tcp_flags == 0)
					q.tcp_flags = i == 0 ? TCP_SYN : TCP_ACK;
				q.ip_len = q.wirelen = share(bf, fwd, i, hdr);
				cb(arg, &q);
				made++;
			}
			if (i < rev) {
				reverse(&q, &p);
				if (p.proto == PROTO_TCP && p.tcp_flags == 0)
					q.tcp_flags = i == 0 ? TCP_SYN | TCP_ACK : TCP_ACK;
				q.ip_len = q.wirelen = share(br, rev, i, hdr);
				cb(arg, &q);
				made++;
			}
		}
	}
	return made;
}

void
fwlog_ctx_init(struct fwlog_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->utc_offset_s = FWLOG_TZ_LOCAL;
	ctx->now = time(NULL);
	ctx->tz_key = -1;
	ctx->format = -1;
}

/* ---- files ---- */

struct reader {
	struct fwlog_ctx *ctx;
	void (*cb)(void *, struct pkt *);
	void *arg;
	struct fwlog_stats *st;
};

static void
skipped(struct fwlog_stats *st, const char *line, size_t len)
{
	st->skipped++;
	if (st->first_skipped == 0) {
		st->first_skipped = st->lines;
		ns_printable(st->first_skipped_text, sizeof(st->first_skipped_text),
		    line, NS_MIN(len, sizeof(st->first_skipped_text) - 1));
	}
}

static bool
blank(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			return false;
	return true;
}

static void
quote(struct fwlog_stats *st, const char *line, size_t len, enum fwlog_result why,
    int format)
{
	if (st->n_quotes >= FWLOG_QUOTES)
		return;
	st->quote[st->n_quotes].line = st->lines;
	st->quote[st->n_quotes].reason = why;
	st->quote[st->n_quotes].format = format;
	ns_printable(st->quote[st->n_quotes].text, sizeof(st->quote[0].text), line,
	    NS_MIN(len, sizeof(st->quote[0].text) - 1));
	st->n_quotes++;
}

static void
one_line(struct reader *r, const char *line, size_t len)
{
	struct fwlog_stats *st = r->st;
	struct fwlog_rec rec;
	enum fwlog_result rc;
	uint64_t capped;

	st->lines++;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > FWLOG_MAX_LINE) {
		st->too_long++;
		st->reason[FWR_TOOLONG]++;
		skipped(st, line, len);
		quote(st, line, len, FWR_TOOLONG, -1);
		return;
	}
	if (blank(line, len)) {
		st->blank++;
		return;
	}
	rc = fwlog_parse(r->ctx, line, len, &rec);
	if (rc == FWR_NOTRAFFIC) {
		/* a known format's own message: neither traffic nor an error */
		st->format_notraffic[rec.format]++;
		return;
	}
	if (rc != FWR_OK) {
		st->reason[rc]++;
		skipped(st, line, len);
		/* Quoted: the broken lines of a known format first. */
		if (rc != FWR_NO || st->n_quotes == 0)
			quote(st, line, len, rc, rec.format);
		return;
	}
	st->parsed++;
	st->format_records[rec.format]++;
	if (!rec.has_ts)
		st->untimed++;
	if (rec.p.ipver == 4)
		st->ipv4++;
	else
		st->ipv6++;
	if (r->cb != NULL) {
		st->packets_made += fwlog_expand(&rec, r->cb, r->arg, &capped);
		st->packets_capped += capped;
	}
}

/* A descriptor of the file, or a copy of standard input's for "-". */
static int
open_input(const char *path)
{
	struct stat sb;
	int fd;

	if (strcmp(path, "-") == 0)
		return dup(STDIN_FILENO);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		close(fd);
		errno = EISDIR;
		return -1;
	}
	return fd;
}

int
fwlog_open(const char *path, char *err, size_t errlen)
{
	int fd = open_input(path);

	if (fd < 0)
		snprintf(err, errlen, "cannot open %s: %s",
		    strcmp(path, "-") == 0 ? "standard input" : path, strerror(errno));
	return fd;
}

int
fwlog_read(const char *path, struct fwlog_ctx *ctx,
    void (*cb)(void *arg, struct pkt *), void *arg,
    struct fwlog_stats *stats, char *err, size_t errlen)
{
	int fd = fwlog_open(path, err, errlen);

	if (fd < 0) {
		if (stats != NULL)
			memset(stats, 0, sizeof(*stats));
		return -1;
	}
	return fwlog_read_fd(fd, strcmp(path, "-") == 0 ? "standard input" : path, ctx, cb,
	    arg, stats, err, errlen);
}

int
fwlog_read_fd(int fd, const char *name, struct fwlog_ctx *ctx,
    void (*cb)(void *arg, struct pkt *), void *arg,
    struct fwlog_stats *stats, char *err, size_t errlen)
{
	return fwlog_read_follow(fd, name, ctx, cb, arg, stats, NULL, err, errlen);
}

bool
fwlog_fd_is_gzip(int fd)
{
	uint8_t m[2];

	return pread(fd, m, 2, 0) == 2 && m[0] == 0x1f && m[1] == 0x8b;
}

/* ---- following a growing file ---- */

enum follow_next { FOLLOW_STOP, FOLLOW_MORE, FOLLOW_TRUNCATED, FOLLOW_ROTATED };

static bool
stopped(const struct fwlog_follow *fo)
{
	return fo->stop != NULL && atomic_load_explicit(fo->stop, memory_order_relaxed);
}

static void
follow_warn(const struct fwlog_follow *fo, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
follow_warn(const struct fwlog_follow *fo, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (fo->warn != NULL)
		fo->warn(fo->arg, msg);
}

/*
 * At the end of the file, as tail -F does: wait for it to grow; start
 * again from 0 when it got shorter than what was read (truncated); open
 * the path again when it names another file (rotated), once the old one
 * is read to its end. A path that cannot be opened again (gone for now,
 * or not readable by the user privileges were dropped to) is tried again
 * at each poll, with one warning.
 */
static enum follow_next
follow_wait(const struct fwlog_follow *fo, const char *name, int *fd, off_t *off,
    bool *warned)
{
	unsigned slept = 0, poll_ms = fo->poll_ms ? fo->poll_ms : 250;
	struct stat cur, now;

	for (;;) {
		if (stopped(fo))
			return FOLLOW_STOP;
		nanosleep(&(struct timespec){ 0, 50 * 1000000L }, NULL);
		slept += 50;
		if (slept < poll_ms)
			continue;
		slept = 0;
		if (fstat(*fd, &cur) != 0)
			return FOLLOW_STOP;
		if (cur.st_size < *off) {
			if (lseek(*fd, 0, SEEK_SET) != 0)
				return FOLLOW_STOP;
			*off = 0;
			return FOLLOW_TRUNCATED;
		}
		if (cur.st_size > *off)
			return FOLLOW_MORE;
		if (stat(fo->path, &now) != 0) {
			if (errno != ENOENT && !*warned) {
				follow_warn(fo, "cannot follow %s: %s; still trying", name,
				    strerror(errno));
				*warned = true;
			}
			continue;
		}
		if (now.st_ino == cur.st_ino && now.st_dev == cur.st_dev)
			continue;
		{
			int nfd = open(fo->path, O_RDONLY | O_CLOEXEC);

			if (nfd < 0) {
				if (!*warned)
					follow_warn(fo, "cannot open %s again after its rotation: %s%s; "
					    "still trying", name, strerror(errno), errno == EACCES ?
					    " (privileges were dropped after the first open: run with -Z root, "
					    "or give the user read access, e.g. the adm group)" : "");
				*warned = true;
				continue;
			}
			close(*fd);
			*fd = nfd;
			*off = 0;
			*warned = false;
			return FOLLOW_ROTATED;
		}
	}
}

int
fwlog_read_follow(int fd, const char *name, struct fwlog_ctx *ctx,
    void (*cb)(void *arg, struct pkt *), void *arg,
    struct fwlog_stats *stats, const struct fwlog_follow *fo, char *err, size_t errlen)
{
	/* Room for a whole line of the longest accepted length and a read. */
	enum { CHUNK = 65536, CAP = FWLOG_MAX_LINE + 1 + CHUNK };
	struct fwlog_stats dummy;
	struct reader r = { ctx, cb, arg, stats != NULL ? stats : &dummy };
	bool discarding = false, follow = fo != NULL && fo->path != NULL, warned = false;
	size_t have = 0;
	off_t off = 0;
	char *buf;
	gzFile gz = NULL;
	int rc = 0;

	memset(r.st, 0, sizeof(*r.st));
	/* A followed file is read as it is: gzip's stream cannot grow. */
	if (!follow && (gz = gzdopen(fd, "rb")) == NULL) {
		close(fd);
		snprintf(err, errlen, "cannot open %s: %s", name, strerror(ENOMEM));
		return -1;
	}
	if (gz != NULL)
		gzbuffer(gz, CHUNK);
	else if ((off = lseek(fd, 0, SEEK_CUR)) < 0)
		off = 0;
	buf = xmalloc(CAP);
	for (;;) {
		size_t want = NS_MIN((size_t)CHUNK, CAP - have), start = 0;
		ssize_t n;
		const char *nl;
		int zerr;

		if (fo != NULL && stopped(fo))
			break;
		if (gz != NULL) {
			n = gzread(gz, buf + have, (unsigned)want);
		} else {
			while ((n = read(fd, buf + have, want)) < 0 && errno == EINTR)
				;
			if (n > 0)
				off += n;
		}
		if (n < 0) {
			const char *msg = gz != NULL ? gzerror(gz, &zerr) : NULL;

			/* zlib's text of a system error names its "<fd:3>" */
			snprintf(err, errlen, "cannot read %s after line %llu: %s",
			    name, (unsigned long long)r.st->lines,
			    gz == NULL || zerr == Z_ERRNO ? strerror(errno) : msg);
			rc = -1;
			break;
		}
		have += (size_t)n;
		while ((nl = memchr(buf + start, '\n', have - start)) != NULL) {
			size_t len = (size_t)(nl - (buf + start));

			if (discarding)
				discarding = false;	/* the tail of a long line */
			else
				one_line(&r, buf + start, len);
			start += len + 1;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		if (have > FWLOG_MAX_LINE) {
			if (!discarding)
				one_line(&r, buf, have);	/* counted as too long */
			discarding = true;
			have = 0;
		}
		if (n == 0 && follow) {
			/*
			 * A line without its newline yet is waited for: the
			 * logger may be writing it. After a rotation it is the
			 * old file's last; after a truncation it is lost.
			 */
			if (fo->progress != NULL)
				fo->progress(fo->arg, r.st);
			switch (follow_wait(fo, name, &fd, &off, &warned)) {
			case FOLLOW_STOP:
				goto out;
			case FOLLOW_ROTATED:
				if (have > 0 && !discarding)
					one_line(&r, buf, have);
				/* FALLTHROUGH */
			case FOLLOW_TRUNCATED:
				have = 0;
				discarding = false;
				break;
			case FOLLOW_MORE:
				break;
			}
			continue;
		}
		if (n == 0) {
			if (have > 0 && !discarding)
				one_line(&r, buf, have);
			/* a gzip stream cut short reads as EOF plus Z_BUF_ERROR */
			if (gz != NULL && gzerror(gz, &zerr) != NULL && zerr == Z_BUF_ERROR) {
				snprintf(err, errlen, "cannot read %s after line %llu: "
				    "compressed data cut short", name,
				    (unsigned long long)r.st->lines);
				rc = -1;
			}
			break;
		}
		if (fo != NULL && fo->progress != NULL)
			fo->progress(fo->arg, r.st);
	}
out:
	free(buf);
	if (gz != NULL)
		gzclose(gz);
	else
		close(fd);
	if (fo != NULL && fo->progress != NULL)
		fo->progress(fo->arg, r.st);
	return rc;
}
