/*
 * Cisco firewall and router logs: ASA and Firepower Threat Defense
 * syslog ("cisco-asa"), IOS / IOS-XE access list logging ("cisco-ios").
 *
 * ASA and FTD (Cisco's "Syslog Messages" guides) write one message per
 * line, "%ASA-4-106023: text" or "%FTD-1-430002: text", after whatever
 * syslog header the relay adds (or none). The messages read here:
 *
 *   106001  Inbound TCP connection denied from A/p to B/p flags SYN on interface I
 *   106006  Deny inbound UDP from A/p to B/p on interface I
 *   106007  Deny inbound UDP from A/p to B/p due to DNS Response
 *   106010  Deny inbound tcp src I:A/p dst I:B/p
 *   106014  Deny inbound icmp src I:A dst I:B (type 8, code 0)
 *   106015  Deny TCP (no connection) from A/p to B/p flags RST ACK on interface I
 *   106023  Deny udp src I:A/p dst I:B/p by access-group "acl" [0x0, 0x0]
 *   106100  access-list acl denied udp I/A(p) -> I/B(p) hit-cnt 5 300-second interval
 *   302013-302018  Built inbound|outbound TCP|UDP|GRE connection, Teardown ...
 *   302020, 302021 Built / Teardown ICMP connection for faddr F gaddr G laddr L
 *   710003, 710005 TCP access denied by ACL / UDP request discarded from A/p to I:B/p
 *   430001-430003  FTD intrusion and connection events, "Key: Value, " lists
 *
 * Every other message id (733100 threat-detection rates, 313001 ICMP to
 * the device, which names no destination, failover, VPN, ...) is a line
 * of the format without traffic.
 *
 * Interfaces are written "name:address/port" where the name may hold a
 * colon ("v1:outside", a context's) or spaces ("NP Identity Ifc"): the
 * interface is what stands before the first colon after which an
 * address parses.
 *
 * Built messages: "inbound" means the connection came from the
 * lower-security side, listed first; "outbound" from the higher-security
 * side, listed second (Cisco TAC, "ASA FAQ: How do you interpret the
 * syslogs generated when it builds or tears down connections"). Teardown
 * messages keep the order but drop the direction: the side with the
 * lower port is taken as the responder (the first listed when equal).
 *
 * IOS writes "%SEC-6-IPACCESSLOGP: list 101 denied udp A(p) [(If MAC)] ->
 * B(p), 1 packet" for the first packet of a flow and then, every
 * five minutes (the default log-update interval), "N packets" for the
 * interval's others.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "common/util.h"
#include "capture/decode.h"
#include "capture/fwformat.h"

#define P_ICMP 1
#define P_TCP 6
#define P_UDP 17
#define P_GRE 47
#define P_ICMP6 58

/* A bounded view of the line. */
struct cur {
	const char *p, *e;
};

static bool
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool
is_alpha(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static struct fw_span
span(const char *a, const char *b)
{
	return (struct fw_span){ a, b > a ? (size_t)(b - a) : 0 };
}

static bool
c_lit(struct cur *c, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(c->e - c->p) < n || memcmp(c->p, s, n) != 0)
		return false;
	c->p += n;
	return true;
}

static void
c_sp(struct cur *c)
{
	while (c->p < c->e && *c->p == ' ')
		c->p++;
}

/* The token at the cursor, up to a space. */
static struct fw_span
c_word(struct cur *c)
{
	const char *a = c->p;

	while (c->p < c->e && *c->p != ' ')
		c->p++;
	return span(a, c->p);
}

/* Digits at the cursor as a number of at most max. */
static bool
c_uint(struct cur *c, uint64_t max, uint64_t *out)
{
	const char *a = c->p;

	while (c->p < c->e && is_digit(*c->p))
		c->p++;
	return fw_uint(span(a, c->p), max, out);
}

/* ---- Cisco stamps ---- */

static int
month_at(const char *p, const char *e)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	if (e - p < 3)
		return 0;
	for (int i = 0; i < 12; i++)
		if (memcmp(p, names + 3 * i, 3) == 0)
			return i + 1;
	return 0;
}

/*
 * "Mmm [D]D [YYYY ]HH:MM:SS[.frac][ ZONE]" at p (ASA "logging timestamp",
 * IOS "service timestamps log datetime [msec] [year] [show-timezone]").
 * A zone the framework knows (UTC, GMT, +hh:mm) is used, others are
 * left to the ctx's rules. need_year: only a stamp with its year.
 */
static bool
cisco_stamp(struct fw_line *l, const char *p, const char *e, bool need_year, double *ts)
{
	struct cur c = { p, e };
	uint64_t d, y = 0, h, mi, s;
	int mo = month_at(p, e);
	double frac = 0, scale = 0.1;
	bool has_off = false;
	long off = 0;

	if (mo == 0)
		return false;
	c.p += 3;
	if (c.p >= c.e || *c.p != ' ')
		return false;
	c_sp(&c);
	if (!c_uint(&c, 31, &d) || d == 0 || !c_lit(&c, " "))
		return false;
	{
		struct cur save = c;

		if (c_uint(&c, 9999, &y) && c.p - save.p == 4 && c_lit(&c, " "))
			;
		else {
			c = save;
			y = 0;
		}
	}
	if (need_year && y == 0)
		return false;
	if (!c_uint(&c, 23, &h) || !c_lit(&c, ":") || !c_uint(&c, 59, &mi) || !c_lit(&c, ":"))
		return false;
	{
		const char *a = c.p;

		if (!c_uint(&c, 60, &s) || c.p - a != 2)
			return false;
	}
	if (c.p < c.e && *c.p == '.') {
		c.p++;
		while (c.p < c.e && is_digit(*c.p)) {
			frac += (*c.p - '0') * scale;
			scale /= 10;
			c.p++;
		}
	}
	if (c.p + 1 < c.e && *c.p == ' ' && (is_alpha(c.p[1]) || c.p[1] == '+' || c.p[1] == '-')) {
		const char *a = c.p + 1, *b = a;

		while (b < c.e && *b != ' ' && *b != ':')
			b++;
		/* "+05:00": the colon is the zone's */
		if (b < c.e && *b == ':' && (*a == '+' || *a == '-') && b + 2 < c.e &&
		    is_digit(b[1]) && is_digit(b[2]))
			b += 3;
		has_off = fw_tz_offset(span(a, b), &off);
	}
	if (y != 0) {
		double t = fw_time_civil(l->ctx, (int)y, mo, (int)d, (int)h, (int)mi, (int)s,
		    frac, has_off, off);

		if (t < 0)
			return false;
		*ts = t;
		return true;
	}
	/* year-less: the framework's year rules (the same as a syslog header's) */
	{
		struct fw_line sub;
		double t;

		memset(&sub, 0, sizeof(sub));
		sub.ctx = l->ctx;
		sub.s = p;
		sub.end = e;
		if (!fw_header_time(&sub, &t))
			return false;
		if (has_off) {
			/* the same civil time in the stamp's own zone: find the year the rules chose */
			time_t tt = (time_t)t;
			struct tm tm;
			int y0;

			if (gmtime_r(&tt, &tm) == NULL)
				return false;
			y0 = tm.tm_year + 1900;
			for (int yy = y0 - 1; yy <= y0 + 1; yy++) {
				double loc = fw_time_civil(l->ctx, yy, mo, (int)d, (int)h, (int)mi,
				    (int)s, frac, false, 0);

				if (loc >= 0 && loc > t - 0.5 && loc < t + 0.5) {
					t = fw_time_civil(l->ctx, yy, mo, (int)d, (int)h, (int)mi,
					    (int)s, frac, true, off);
					break;
				}
			}
		}
		*ts = t;
		return true;
	}
}

/*
 * The device's own stamp in [s, tag): the last Cisco stamp before the
 * message tag (a relay's header may stand in front of it).
 */
static bool
own_stamp(struct fw_line *l, const char *tag, bool need_year, double *ts)
{
	const char *lo = tag - l->s > 240 ? tag - 240 : l->s;

	for (size_t back = 3; back <= (size_t)(tag - lo); back++) {
		const char *q = tag - back;

		if (*q < 'A' || *q > 'S' || month_at(q, tag) == 0)
			continue;
		if (q > l->s && q[-1] != ' ' && q[-1] != '*' && q[-1] != '.' && q[-1] != ':' &&
		    q[-1] != '>')
			continue;
		if (cisco_stamp(l, q, tag, need_year, ts))
			return true;
	}
	return false;
}

/* ---- ASA endpoints ---- */

struct ep {
	struct fw_span ifn;
	struct ns_addr a;
	bool has_port;
	uint16_t port;
};

static const char *
addr_end(const char *p, const char *e)
{
	while (p < e && *p != '/' && *p != ' ' && *p != '(' && *p != ',' && *p != ')')
		p++;
	return p;
}

/*
 * "[interface:]address[/port]" at the start of [s, e) (leading spaces
 * skipped); what follows the port (a mapped address, a user) is left.
 */
static enum fwlog_result
ep_parse(const char *s, const char *e, bool with_if, struct ep *ep)
{
	const char *a = s, *ae, *te;

	memset(ep, 0, sizeof(*ep));
	while (s < e && *s == ' ')
		s++;
	if (s >= e)
		return FWR_CUT;
	a = s;
	if (with_if) {
		const char *q = s;
		struct ns_addr tmp;

		a = NULL;
		while (q < e && (q = memchr(q, ':', (size_t)(e - q))) != NULL) {
			ae = addr_end(q + 1, e);
			if (ae > q + 1 && fw_addr(span(q + 1, ae), &tmp) == FWR_OK) {
				a = q + 1;
				ep->ifn = span(s, q);
				break;
			}
			q++;
		}
		if (a == NULL)
			return FWR_BADADDR;
	}
	ae = addr_end(a, e);
	if (fw_addr(span(a, ae), &ep->a) != FWR_OK)
		return FWR_BADADDR;
	if (ae < e && *ae == '/') {
		te = ae + 1;
		while (te < e && *te != ' ' && *te != '(' && *te != ',' && *te != ')')
			te++;
		if (fw_port(span(ae + 1, te), &ep->port) != FWR_OK)
			return FWR_BADPORT;
		ep->has_port = true;
	}
	return FWR_OK;
}

/* An endpoint with or without its interface (302020's faddr/laddr may carry one). */
static enum fwlog_result
ep_parse_any(const char *s, const char *e, struct ep *ep)
{
	enum fwlog_result res = ep_parse(s, e, false, ep);

	if (res == FWR_BADADDR)
		res = ep_parse(s, e, true, ep);
	return res;
}

/* Fill r with src and dst: addresses, ports, interfaces. */
static enum fwlog_result
set_eps(struct fwlog_rec *r, const struct ep *src, const struct ep *dst, bool ports)
{
	enum fwlog_result res = fw_set_addrs(r, &src->a, &dst->a);

	if (res != FWR_OK)
		return res;
	if (ports) {
		r->has_sport = src->has_port;
		r->p.sport = src->port;
		r->has_dport = dst->has_port;
		r->p.dport = dst->port;
	}
	if (src->ifn.n > 0)
		fw_text(r->in_if, sizeof(r->in_if), src->ifn);
	if (dst->ifn.n > 0)
		fw_text(r->out_if, sizeof(r->out_if), dst->ifn);
	return FWR_OK;
}

/* ICMP on IPv6 is ICMPv6, whatever word the line uses. */
static void
fix_icmp(struct fwlog_rec *r)
{
	if (r->p.ipver == 6 && r->p.proto == P_ICMP)
		r->p.proto = P_ICMP6;
}

/*
 * The ASA checks its access lists only for a connection's first packet
 * (a TCP segment without a connection is 106015's, before any list), so
 * a TCP packet a list denied or let through is a SYN.
 */
static void
first_packet(struct fwlog_rec *r)
{
	if (r->p.proto == P_TCP && r->p.tcp_flags == 0)
		r->p.tcp_flags = TCP_SYN;
}

/* "flags SYN ACK" up to end. */
static uint8_t
tcp_flags(const char *p, const char *e)
{
	static const struct {
		const char *w;
		uint8_t f;
	} names[] = {
		{ "SYN", TCP_SYN }, { "ACK", TCP_ACK }, { "FIN", TCP_FIN }, { "RST", TCP_RST },
		{ "PSH", TCP_PSH }, { "URG", TCP_URG },
	};
	struct cur c = { p, e };
	uint8_t f = 0;

	for (;;) {
		struct fw_span w;

		c_sp(&c);
		if (c.p >= c.e)
			break;
		w = c_word(&c);
		for (size_t i = 0; i < NS_ARRAY_LEN(names); i++)
			if (fw_ieq(w, names[i].w))
				f |= names[i].f;
	}
	return f;
}

/* "(type 8, code 0)" somewhere in [p, e). */
static void
icmp_type_code(struct fwlog_rec *r, const char *p, const char *e)
{
	const char *t = fw_find(p, e, "(type ");
	struct cur c;
	uint64_t ty, co;

	if (t == NULL)
		return;
	c.p = t + 6;
	c.e = e;
	if (!c_uint(&c, 255, &ty) || !c_lit(&c, ", code ") || !c_uint(&c, 255, &co))
		return;
	r->p.icmp_type = (uint8_t)ty;
	r->p.icmp_code = (uint8_t)co;
}

/* The protocol word, or "protocol 47". */
static uint8_t
proto_word(struct cur *c)
{
	struct fw_span w;

	c_sp(c);
	w = c_word(c);
	if (fw_eq(w, "protocol")) {
		c_sp(c);
		w = c_word(c);
	}
	return fw_proto(w);
}

/* "... by access-group "name"": the name. */
static void
access_group(struct fwlog_rec *r, const char *p, const char *e)
{
	const char *a = fw_find(p, e, "access-group \"");
	const char *q;

	if (a == NULL)
		return;
	a += 14;
	q = memchr(a, '"', (size_t)(e - a));
	if (q != NULL)
		fw_text(r->rule, sizeof(r->rule), span(a, q));
}

/* "on interface NAME" */
static void
on_interface(struct fwlog_rec *r, const char *p, const char *e)
{
	const char *a = fw_find(p, e, " on interface ");

	if (a != NULL)
		fw_text(r->in_if, sizeof(r->in_if), span(a + 14, e));
}

/*
 * "src I:A/p [user] dst I:B/p ..." (106010, 106014, 106023): the two
 * endpoints, with the ICMP type and code and the access group.
 */
static enum fwlog_result
asa_src_dst(struct fwlog_rec *r, struct cur *c)
{
	const char *src, *dst, *end;
	struct ep a, b;
	enum fwlog_result res;

	c_sp(c);
	if (!c_lit(c, "src "))
		return c->p >= c->e ? FWR_CUT : FWR_BADFIELD;
	src = c->p;
	dst = fw_find(src, c->e, " dst ");
	if (dst == NULL)
		return FWR_CUT;
	end = fw_find(dst + 5, c->e, " by ");
	if (end == NULL)
		end = c->e;
	if ((res = ep_parse(src, dst, true, &a)) != FWR_OK ||
	    (res = ep_parse(dst + 5, end, true, &b)) != FWR_OK)
		return res;
	if ((res = set_eps(r, &a, &b, true)) != FWR_OK)
		return res;
	icmp_type_code(r, dst, c->e);
	access_group(r, dst, c->e);
	return FWR_OK;
}

/* "from A/p to B/p" up to one of the words that may follow. */
static enum fwlog_result
asa_from_to(struct fwlog_rec *r, const char *p, const char *e, bool dst_if)
{
	const char *from = fw_find(p, e, "from "), *to, *end;
	struct ep a, b;
	enum fwlog_result res;

	if (from == NULL)
		return FWR_CUT;
	from += 5;
	to = fw_find(from, e, " to ");
	if (to == NULL)
		return FWR_CUT;
	end = e;
	{
		static const char *const stops[] = { " flags ", " on interface ", " due to " };

		for (size_t i = 0; i < NS_ARRAY_LEN(stops); i++) {
			const char *s = fw_find(to + 4, end, stops[i]);

			if (s != NULL)
				end = s;
		}
	}
	if ((res = ep_parse(from, to, false, &a)) != FWR_OK ||
	    (res = ep_parse(to + 4, end, dst_if, &b)) != FWR_OK)
		return res;
	return set_eps(r, &a, &b, true);
}

/* 106100: "access-list ACL permitted|denied|est-allowed PROTO I/A(p) -> I/B(p) hit-cnt N ..." */
static enum fwlog_result
asa_106100_ep(const char *s, const char *e, struct ep *ep)
{
	const char *par, *sl, *cl;

	memset(ep, 0, sizeof(*ep));
	while (s < e && *s == ' ')
		s++;
	if (s >= e)
		return FWR_CUT;
	par = memchr(s, '(', (size_t)(e - s));
	if (par == NULL)
		return FWR_CUT;
	sl = par;
	while (sl > s && sl[-1] != '/')
		sl--;
	if (sl == s)
		return FWR_BADADDR;
	ep->ifn = span(s, sl - 1);
	if (fw_addr(span(sl, par), &ep->a) != FWR_OK)
		return FWR_BADADDR;
	cl = memchr(par, ')', (size_t)(e - par));
	if (cl == NULL)
		return FWR_CUT;
	if (fw_port(span(par + 1, cl), &ep->port) != FWR_OK)
		return FWR_BADPORT;
	ep->has_port = true;
	return FWR_OK;
}

static enum fwlog_result
asa_106100(struct fwlog_rec *r, struct cur *c)
{
	struct fw_span acl, act;
	const char *arrow, *hit;
	struct ep a, b;
	enum fwlog_result res;
	uint64_t n;
	struct cur h;

	if (!c_lit(c, "access-list "))
		return FWR_BADFIELD;
	acl = c_word(c);
	c_sp(c);
	act = c_word(c);
	if (c->p >= c->e)
		return FWR_CUT;
	if (fw_eq(act, "est-allowed"))
		r->action = FWA_ALLOW;
	else if (fw_eq(act, "permitted") || fw_eq(act, "denied"))
		r->action = fw_action(act);
	else
		return FWR_BADFIELD;
	fw_text(r->rule, sizeof(r->rule), acl);
	r->p.proto = proto_word(c);
	arrow = fw_find(c->p, c->e, " -> ");
	if (arrow == NULL)
		return FWR_CUT;
	hit = fw_find(arrow, c->e, " hit-cnt ");
	if (hit == NULL)
		return FWR_CUT;
	if ((res = asa_106100_ep(c->p, arrow, &a)) != FWR_OK ||
	    (res = asa_106100_ep(arrow + 4, hit, &b)) != FWR_OK)
		return res;
	if ((res = set_eps(r, &a, &b, true)) != FWR_OK)
		return res;
	fix_icmp(r);
	if (r->p.proto == P_ICMP || r->p.proto == P_ICMP6) {
		/* ICMP's type and code stand where the ports are */
		r->p.icmp_type = (uint8_t)(a.port > 255 ? 255 : a.port);
		r->p.icmp_code = (uint8_t)(b.port > 255 ? 255 : b.port);
	}
	h.p = hit + 9;
	h.e = c->e;
	if (!c_uint(&h, UINT32_MAX, &n) || n == 0)
		return FWR_BADFIELD;
	r->count = (uint32_t)n;
	c_sp(&h);
	if (!c_lit(&h, "first hit")) {
		uint64_t secs;

		if (!c_uint(&h, 86400 * 366, &secs) || !c_lit(&h, "-second interval"))
			return h.p >= h.e ? FWR_CUT : FWR_BADFIELD;
		r->count_span = (double)secs;
	}
	return FWR_OK;
}

/* "h:mm:ss" (hours not bounded by a day). */
static bool
duration(struct cur *c, double *out)
{
	uint64_t h, m, s;

	if (!c_uint(c, 1000000, &h) || !c_lit(c, ":") || !c_uint(c, 59, &m) ||
	    !c_lit(c, ":") || !c_uint(c, 59, &s))
		return false;
	*out = (double)(h * 3600 + m * 60 + s);
	return true;
}

/* " duration h:mm:ss bytes N" at d. */
static enum fwlog_result
duration_bytes(struct fwlog_rec *r, const char *d, const char *e)
{
	struct cur c = { d + 10, e };
	uint64_t b;

	if (!duration(&c, &r->duration))
		return c.p >= c.e ? FWR_CUT : FWR_BADFIELD;
	if (c.p >= c.e)
		return FWR_CUT;
	if (!c_lit(&c, " bytes "))
		return FWR_BADFIELD;
	if (!c_uint(&c, UINT64_MAX, &b))
		return c.p >= c.e ? FWR_CUT : FWR_BADFIELD;
	r->bytes_total = b;
	return FWR_OK;
}

/* A teardown's initiator: the side whose port is not the lower one. */
static bool
first_initiated(const struct ep *a, const struct ep *b)
{
	if (a->has_port && b->has_port)
		return a->port >= b->port;
	return true;
}

/*
 * 302013-302018: "Built inbound|outbound TCP connection 9 for I:A/p (M/p)
 * to I:B/p (M/p)", "Teardown TCP connection 9 for I:A/p to I:B/p duration
 * 0:00:30 bytes 0 SYN Timeout"; GRE's with "from" for "for".
 */
static enum fwlog_result
asa_conn(struct fwlog_rec *r, struct cur *c, bool built)
{
	const char *first, *to, *end;
	struct ep a, b;
	enum fwlog_result res;
	bool inbound = false, gre, a_init;
	struct fw_span w;

	if (built) {
		if (c_lit(c, "inbound "))
			inbound = true;
		else if (!c_lit(c, "outbound "))
			return c->p >= c->e ? FWR_CUT : FWR_BADFIELD;
		r->dir = inbound ? FWD_IN : FWD_OUT;
		c_lit(c, "Probe ");
	}
	w = c_word(c);
	r->p.proto = fw_proto(w);
	if (r->p.proto == 255)
		return c->p >= c->e ? FWR_CUT : FWR_BADFIELD;
	gre = r->p.proto == P_GRE;
	first = fw_find(c->p, c->e, gre ? " from " : " for ");
	if (first == NULL)
		return FWR_CUT;
	first += gre ? 6 : 5;
	to = fw_find(first, c->e, " to ");
	if (to == NULL)
		return FWR_CUT;
	end = c->e;
	if (!built) {
		end = fw_find(to, c->e, " duration ");
		if (end == NULL)
			return FWR_CUT;
	}
	if ((res = ep_parse(first, to, true, &a)) != FWR_OK ||
	    (res = ep_parse(to + 4, end, true, &b)) != FWR_OK)
		return res;
	if (gre)
		a.has_port = b.has_port = false;	/* PPTP call ids, not ports */
	if (!built && (res = duration_bytes(r, end, c->e)) != FWR_OK)
		return res;
	a_init = built ? inbound : first_initiated(&a, &b);
	res = a_init ? set_eps(r, &a, &b, true) : set_eps(r, &b, &a, true);
	if (res != FWR_OK)
		return res;
	r->event = built ? FWE_CONN_START : FWE_CONN_END;
	r->action = FWA_ALLOW;
	return FWR_OK;
}

/*
 * 302020, 302021: "Built inbound ICMP connection for faddr F/id gaddr G/id
 * laddr L/id type 8 code 0", the teardown without the direction (the
 * local address is then taken as the initiator, as most are pings out).
 */
static enum fwlog_result
asa_icmp_conn(struct fwlog_rec *r, struct cur *c, bool built)
{
	const char *fa, *ga, *la, *end;
	struct ep f, l;
	enum fwlog_result res;
	bool inbound = false;
	struct fw_span w;

	if (built) {
		if (c_lit(c, "inbound "))
			inbound = true;
		else if (!c_lit(c, "outbound "))
			return c->p >= c->e ? FWR_CUT : FWR_BADFIELD;
		r->dir = inbound ? FWD_IN : FWD_OUT;
	}
	w = c_word(c);
	r->p.proto = fw_proto(w);
	if (r->p.proto != P_ICMP && r->p.proto != P_ICMP6)
		return c->p >= c->e ? FWR_CUT : FWR_BADFIELD;
	fa = fw_find(c->p, c->e, " faddr ");
	ga = fa != NULL ? fw_find(fa, c->e, " gaddr ") : NULL;
	la = ga != NULL ? fw_find(ga, c->e, " laddr ") : NULL;
	if (la == NULL)
		return FWR_CUT;
	end = fw_find(la, c->e, " type ");
	if (end == NULL)
		end = c->e;
	if ((res = ep_parse_any(fa + 7, ga, &f)) != FWR_OK ||
	    (res = ep_parse_any(la + 7, end, &l)) != FWR_OK)
		return res;
	res = inbound ? set_eps(r, &f, &l, true) : set_eps(r, &l, &f, true);
	if (res != FWR_OK)
		return res;
	fix_icmp(r);
	if (end < c->e) {
		struct cur t = { end + 6, c->e };
		uint64_t ty, co;

		if (c_uint(&t, 255, &ty) && c_lit(&t, " code ") && c_uint(&t, 255, &co)) {
			r->p.icmp_type = (uint8_t)ty;
			r->p.icmp_code = (uint8_t)co;
		}
	}
	r->event = built ? FWE_CONN_START : FWE_CONN_END;
	r->action = FWA_ALLOW;
	return FWR_OK;
}

/* ---- FTD connection and intrusion events ---- */

static const struct {
	const char *name;
	uint8_t type;
} icmp_names[] = {
	{ "Echo Reply", 0 }, { "Destination Unreachable", 3 }, { "Source Quench", 4 },
	{ "Redirect", 5 }, { "Echo Request", 8 }, { "Router Advertisement", 9 },
	{ "Router Solicitation", 10 }, { "Time Exceeded", 11 }, { "Parameter Problem", 12 },
	{ "Timestamp Request", 13 }, { "Timestamp Reply", 14 },
};

static enum fwlog_action
ftd_action(struct fw_span v)
{
	if (fw_ieq(v, "Allow") || fw_ieq(v, "Trust") || fw_ieq(v, "Fastpath"))
		return FWA_ALLOW;
	if (fw_ieq(v, "Block") || fw_ieq(v, "Interactive Block"))
		return FWA_DENY;
	if (fw_ieq(v, "Block with reset") || fw_ieq(v, "Interactive Block with reset"))
		return FWA_RESET;
	if (fw_ieq(v, "Monitor"))
		return FWA_OTHER;
	return fw_action(v);
}

static bool
kv_u64(const struct fw_pair *pr, int n, const char *key, uint64_t *out)
{
	struct fw_span v;

	*out = 0;
	return fw_kv_get(pr, n, key, &v) && fw_uint(v, UINT64_MAX, out);
}

static enum fwlog_result
ftd_event(struct fw_line *l, struct fwlog_rec *r, const char *msg, unsigned id)
{
	struct fw_pair pr[96];
	struct fw_span v;
	struct ns_addr src, dst;
	enum fwlog_result res;
	uint64_t u;
	int n;

	n = fw_kv_split(msg, l->end, ':', pr, (int)NS_ARRAY_LEN(pr));
	if (!fw_kv_get(pr, n, "SrcIP", &v))
		return FWR_CUT;
	if (fw_addr(v, &src) != FWR_OK)
		return FWR_BADADDR;
	if (!fw_kv_get(pr, n, "DstIP", &v))
		return FWR_CUT;
	if (fw_addr(v, &dst) != FWR_OK)
		return FWR_BADADDR;
	if ((res = fw_set_addrs(r, &src, &dst)) != FWR_OK)
		return res;
	if (fw_kv_get(pr, n, "SrcPort", &v)) {
		if (fw_port(v, &r->p.sport) != FWR_OK)
			return FWR_BADPORT;
		r->has_sport = true;
	}
	if (fw_kv_get(pr, n, "DstPort", &v)) {
		if (fw_port(v, &r->p.dport) != FWR_OK)
			return FWR_BADPORT;
		r->has_dport = true;
	}
	r->p.proto = fw_kv_get(pr, n, "Protocol", &v) ? fw_proto(v) : 255;
	fix_icmp(r);
	if (fw_kv_get(pr, n, "ICMPType", &v)) {
		if (fw_uint(v, 255, &u))
			r->p.icmp_type = (uint8_t)u;
		else
			for (size_t i = 0; i < NS_ARRAY_LEN(icmp_names); i++)
				if (fw_ieq(v, icmp_names[i].name))
					r->p.icmp_type = icmp_names[i].type;
	}
	if (fw_kv_get(pr, n, "ICMPCode", &v) && fw_uint(v, 255, &u))
		r->p.icmp_code = (uint8_t)u;
	if (fw_kv_get(pr, n, "IngressInterface", &v) || fw_kv_get(pr, n, "IngressZone", &v))
		fw_text(r->in_if, sizeof(r->in_if), v);
	if (fw_kv_get(pr, n, "EgressInterface", &v) || fw_kv_get(pr, n, "EgressZone", &v))
		fw_text(r->out_if, sizeof(r->out_if), v);
	if (fw_kv_get(pr, n, "AccessControlRuleName", &v))
		fw_text(r->rule, sizeof(r->rule), v);
	if (id == 430001)
		r->action = fw_kv_get(pr, n, "InlineResult", &v) ? fw_action(v) : FWA_OTHER;
	else if (fw_kv_get(pr, n, "AccessControlRuleAction", &v))
		r->action = ftd_action(v);
	if (id == 430002) {
		/* a connection's start: a blocked one is its first packet */
		r->event = r->action == FWA_ALLOW ? FWE_CONN_START : FWE_PACKET;
		if (r->p.proto == P_TCP)
			r->p.tcp_flags = TCP_SYN;
	}
	else if (id == 430003) {
		r->event = FWE_CONN_END;
		kv_u64(pr, n, "InitiatorPackets", &r->pkts_fwd);
		kv_u64(pr, n, "ResponderPackets", &r->pkts_rev);
		kv_u64(pr, n, "InitiatorBytes", &r->bytes_fwd);
		kv_u64(pr, n, "ResponderBytes", &r->bytes_rev);
		if (kv_u64(pr, n, "ConnectionDuration", &u))
			r->duration = (double)u;
	}
	/* The connection's first packet, when said (FTD 6.5 and later). */
	if (fw_kv_get(pr, n, "FirstPacketSecond", &v) && fw_time_iso(l->ctx, v, &r->p.ts))
		r->has_ts = true;
	return FWR_OK;
}

/* ---- the ASA / FTD format ---- */

/* "%ASA-", "%FTD-" (or "%PIX-"), the start of the tag, or NULL. */
static const char *
asa_tag(const char *s, const char *e)
{
	const char *p = s;

	while (p < e && (p = memchr(p, '%', (size_t)(e - p))) != NULL) {
		if (e - p >= 5 && p[4] == '-' &&
		    (memcmp(p + 1, "ASA", 3) == 0 || memcmp(p + 1, "FTD", 3) == 0 ||
		    memcmp(p + 1, "PIX", 3) == 0))
			return p;
		p++;
	}
	return NULL;
}

static enum fwlog_result
asa_parse(struct fw_line *l, struct fwlog_rec *r)
{
	const char *tag = asa_tag(l->s, l->end);
	struct cur c;
	uint64_t id;
	enum fwlog_result res;
	const char *msg;
	double ts;

	if (tag == NULL)
		return FWR_NO;
	c.p = tag + 5;
	c.e = l->end;
	/* "%FTD-session-6-302013": a facility word may stand before the level */
	if (c.p < c.e && !is_digit(*c.p)) {
		while (c.p < c.e && *c.p != '-' && *c.p != ':' && *c.p != ' ')
			c.p++;
		if (!c_lit(&c, "-"))
			return FWR_NO;
	}
	if (c.p >= c.e || !is_digit(*c.p))
		return FWR_NO;
	c.p++;
	if (!c_lit(&c, "-"))
		return FWR_NO;
	{
		const char *a = c.p;

		if (!c_uint(&c, 999999, &id) || c.p - a != 6)
			return FWR_NO;
	}
	if (!c_lit(&c, ":"))
		return FWR_NO;
	c_sp(&c);
	msg = c.p;

	/* the device's own time, else the syslog header's */
	if (own_stamp(l, tag, true, &ts) || fw_header_time(l, &ts)) {
		r->has_ts = true;
		r->p.ts = ts;
	}

	switch (id) {
	case 106001:
		if (c_lit(&c, "Inbound "))
			r->dir = FWD_IN;
		else if (c_lit(&c, "Outbound "))
			r->dir = FWD_OUT;
		else
			return c.p >= c.e ? FWR_CUT : FWR_NOTRAFFIC;
		r->p.proto = proto_word(&c);
		if ((res = asa_from_to(r, c.p, c.e, false)) != FWR_OK)
			return res;
		{
			const char *f = fw_find(c.p, c.e, " flags ");
			const char *o = fw_find(c.p, c.e, " on interface ");

			if (f != NULL)
				r->p.tcp_flags = tcp_flags(f + 7, o != NULL && o > f ? o : c.e);
		}
		on_interface(r, c.p, c.e);
		r->action = FWA_DENY;
		break;
	case 106006:
	case 106007:
	case 106010:
	case 106014:
		if (!c_lit(&c, "Deny "))
			return c.p >= c.e ? FWR_CUT : FWR_NOTRAFFIC;
		if (c_lit(&c, "inbound "))
			r->dir = FWD_IN;
		else if (c_lit(&c, "outbound "))
			r->dir = FWD_OUT;
		r->p.proto = proto_word(&c);
		if (id == 106006 || id == 106007) {
			if ((res = asa_from_to(r, c.p, c.e, false)) != FWR_OK)
				return res;
			on_interface(r, c.p, c.e);
		} else if ((res = asa_src_dst(r, &c)) != FWR_OK)
			return res;
		fix_icmp(r);
		first_packet(r);
		r->action = FWA_DENY;
		break;
	case 106015:
		/* "Deny TCP (no connection) from ..." */
		if (!c_lit(&c, "Deny "))
			return c.p >= c.e ? FWR_CUT : FWR_NOTRAFFIC;
		r->p.proto = proto_word(&c);
		if ((res = asa_from_to(r, c.p, c.e, false)) != FWR_OK)
			return res;
		{
			const char *f = fw_find(c.p, c.e, " flags ");
			const char *o = fw_find(c.p, c.e, " on interface ");

			if (f != NULL)
				r->p.tcp_flags = tcp_flags(f + 7, o != NULL && o > f ? o : c.e);
		}
		on_interface(r, c.p, c.e);
		r->action = FWA_DENY;
		break;
	case 106023:
		if (!c_lit(&c, "Deny "))
			return c.p >= c.e ? FWR_CUT : FWR_NOTRAFFIC;
		r->p.proto = proto_word(&c);
		if ((res = asa_src_dst(r, &c)) != FWR_OK)
			return res;
		fix_icmp(r);
		first_packet(r);
		r->action = FWA_DENY;
		break;
	case 106100:
		if ((res = asa_106100(r, &c)) != FWR_OK)
			return res;
		first_packet(r);
		break;
	case 302013:
	case 302015:
	case 302017:
		if (!c_lit(&c, "Built "))
			return c.p >= c.e ? FWR_CUT : FWR_NOTRAFFIC;
		if ((res = asa_conn(r, &c, true)) != FWR_OK)
			return res;
		break;
	case 302014:
	case 302016:
	case 302018:
		if (!c_lit(&c, "Teardown "))
			return c.p >= c.e ? FWR_CUT : FWR_NOTRAFFIC;
		if ((res = asa_conn(r, &c, false)) != FWR_OK)
			return res;
		break;
	case 302020:
		if (!c_lit(&c, "Built "))
			return c.p >= c.e ? FWR_CUT : FWR_NOTRAFFIC;
		if ((res = asa_icmp_conn(r, &c, true)) != FWR_OK)
			return res;
		break;
	case 302021:
		if (!c_lit(&c, "Teardown "))
			return c.p >= c.e ? FWR_CUT : FWR_NOTRAFFIC;
		if ((res = asa_icmp_conn(r, &c, false)) != FWR_OK)
			return res;
		break;
	case 710003:
	case 710005: {
		/* "TCP access denied by ACL from A/p to I:B/p", "UDP request discarded from ..." */
		r->p.proto = proto_word(&c);
		if (c.p >= c.e)
			return FWR_CUT;
		if ((res = asa_from_to(r, c.p, c.e, true)) != FWR_OK)
			return res;
		/* the interface the packet came in on is the device's own */
		memcpy(r->in_if, r->out_if, sizeof(r->in_if));
		r->out_if[0] = '\0';
		first_packet(r);
		r->action = FWA_DENY;
		break;
	}
	case 430001:
	case 430002:
	case 430003:
		if ((res = ftd_event(l, r, msg, (unsigned)id)) != FWR_OK)
			return res;
		break;
	default:
		return FWR_NOTRAFFIC;
	}
	return FWR_OK;
}

const struct fw_format fw_cisco_asa = {
	.name = "cisco-asa",
	.vendor = "Cisco ASA and Firepower (FTD)",
	.parse = asa_parse,
};

/* ---- IOS / IOS-XE access list logging ---- */

/* "(GigabitEthernet0/1 0011.2233.4455)" after a source, with log-input: the interface. */
static void
ios_input_if(struct fwlog_rec *r, struct cur *c)
{
	struct cur s = *c;
	const char *a, *q;

	c_sp(&s);
	if (!c_lit(&s, "(") || s.p >= s.e || !is_alpha(*s.p))
		return;
	a = s.p;
	q = memchr(a, ')', (size_t)(s.e - a));
	if (q == NULL)
		return;
	s.e = q;
	fw_text(r->in_if, sizeof(r->in_if), c_word(&s));
	c->p = q + 1;
}

/* An address at the cursor, up to '(' ' ' or ','; "(port)" after it when ports. */
static enum fwlog_result
ios_addr(struct cur *c, struct ns_addr *a, bool ports, bool *has_port, uint16_t *port)
{
	const char *s, *q;

	c_sp(c);
	s = c->p;
	while (c->p < c->e && *c->p != '(' && *c->p != ' ' && *c->p != ',')
		c->p++;
	if (c->p == s)
		return FWR_CUT;
	if (fw_addr(span(s, c->p), a) != FWR_OK)
		return c->p >= c->e ? FWR_CUT : FWR_BADADDR;
	if (ports) {
		if (c->p >= c->e || *c->p != '(')
			return c->p >= c->e ? FWR_CUT : FWR_BADPORT;
		q = memchr(c->p, ')', (size_t)(c->e - c->p));
		if (q == NULL)
			return FWR_CUT;
		if (fw_port(span(c->p + 1, q), port) != FWR_OK)
			return FWR_BADPORT;
		*has_port = true;
		c->p = q + 1;
	}
	return FWR_OK;
}

static enum fwlog_result
ios_parse(struct fw_line *l, struct fwlog_rec *r)
{
	const char *hit = fw_find(l->s, l->end, "ACCESSLOG"), *tag, *m, *me, *lst;
	struct cur c;
	struct fw_span acl, act, kind;
	struct ns_addr src, dst;
	enum fwlog_result res;
	bool ports, icmp;
	uint64_t n;
	double ts;

	if (hit == NULL)
		return FWR_NO;
	/* "%SEC-6-IPACCESSLOGP:", "%IPV6_ACL-6-ACCESSLOGP:", "%FMANFP-6-IPACCESSLOGNP:" */
	m = hit;
	while (m > l->s && m[-1] != '-' && hit - m < 4)
		m--;
	if (m - 3 <= l->s || m[-1] != '-' || !is_digit(m[-2]) || m[-3] != '-')
		return FWR_NO;
	tag = m - 3;
	while (tag > l->s && tag[-1] != '%' && tag[-1] != ' ' && m - tag < 24)
		tag--;
	if (tag <= l->s || tag[-1] != '%')
		return FWR_NO;
	tag--;
	me = hit + 9;
	while (me < l->end && *me != ':' && me - hit < 16)
		me++;
	if (me >= l->end || *me != ':')
		return FWR_NO;
	kind = span(hit + 9, me);	/* P, DP, NP, S, RP, RL, ... */
	if (m != hit && !(hit - m == 2 && memcmp(m, "IP", 2) == 0))
		return FWR_NO;

	if (own_stamp(l, tag, false, &ts) || fw_header_time(l, &ts)) {
		r->has_ts = true;
		r->p.ts = ts;
	}
	if (fw_eq(kind, "P"))
		ports = true, icmp = false;
	else if (fw_eq(kind, "DP"))
		ports = false, icmp = true;
	else if (fw_eq(kind, "NP") || fw_eq(kind, "RP"))
		ports = false, icmp = false;
	else
		return FWR_NOTRAFFIC;	/* S: a standard list, no destination; RL: rate limit */

	lst = fw_find(me, l->end, "list ");
	if (lst == NULL)
		return FWR_CUT;
	c.p = lst + 5;
	c.e = l->end;
	acl = c_word(&c);
	c_sp(&c);
	act = c_word(&c);
	if (c.p >= c.e)
		return FWR_CUT;
	if (!fw_eq(act, "permitted") && !fw_eq(act, "denied"))
		return FWR_BADFIELD;
	r->action = fw_action(act);
	fw_text(r->rule, sizeof(r->rule), acl);
	c_sp(&c);
	r->p.proto = fw_proto(c_word(&c));
	if ((res = ios_addr(&c, &src, ports, &r->has_sport, &r->p.sport)) != FWR_OK)
		return res;
	ios_input_if(r, &c);
	c_sp(&c);
	if (!c_lit(&c, "-> "))
		return c.p >= c.e ? FWR_CUT : FWR_BADFIELD;
	if ((res = ios_addr(&c, &dst, ports, &r->has_dport, &r->p.dport)) != FWR_OK)
		return res;
	if ((res = fw_set_addrs(r, &src, &dst)) != FWR_OK)
		return res;
	fix_icmp(r);
	c_sp(&c);
	if (c.p < c.e && *c.p == '(') {
		/* DP: "(8/0)", RP: "(20)" */
		uint64_t ty, co;
		struct cur t = { c.p + 1, c.e };

		if (icmp && c_uint(&t, 255, &ty) && c_lit(&t, "/") && c_uint(&t, 255, &co)) {
			r->p.icmp_type = (uint8_t)ty;
			r->p.icmp_code = (uint8_t)co;
		}
		while (c.p < c.e && *c.p != ')')
			c.p++;
		if (c.p < c.e)
			c.p++;
	}
	if (!c_lit(&c, ","))
		return c.p >= c.e ? FWR_CUT : FWR_BADFIELD;
	c_sp(&c);
	if (!c_uint(&c, UINT32_MAX, &n) || n == 0)
		return c.p >= c.e ? FWR_CUT : FWR_BADFIELD;
	if (!c_lit(&c, " packet"))
		return c.p >= c.e ? FWR_CUT : FWR_BADFIELD;
	r->count = (uint32_t)n;
	/* after the first packet, each line sums up a log-update interval */
	r->count_span = n > 1 ? 300 : 0;
	return FWR_OK;
}

const struct fw_format fw_cisco_ios = {
	.name = "cisco-ios",
	.vendor = "Cisco IOS and IOS-XE access lists",
	.parse = ios_parse,
};
