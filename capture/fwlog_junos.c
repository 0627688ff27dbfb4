/*
 * Juniper SRX (Junos) security logs: the session log of the security
 * policies (RT_FLOW) and the screens' attack reports (RT_IDS), in both
 * the forms Junos writes them (Junos "System Log Messages", RT_FLOW and
 * RT_IDS; "Information Provided in Session Log Entries for SRX Series").
 *
 * Structured (RFC 5424 structured data, `structured-data` or stream mode):
 *   <14>1 2026-11-24T05:01:02.123Z srx RT_FLOW - RT_FLOW_SESSION_DENY
 *   [junos@2636.1.1.1.2.129 source-address="203.0.113.10" source-port="123"
 *   destination-address="192.0.2.5" destination-port="40123" ...
 *   protocol-id="17" policy-name="deny-all" ... packet-incoming-interface=
 *   "ge-0/0/0.0" reason="policy deny"]
 * Plain (event mode, classic syslog):
 *   Nov 24 05:01:02 srx RT_FLOW: RT_FLOW_SESSION_DENY: session denied
 *   203.0.113.10/123->192.0.2.5/40123 0x0 None 17(0) deny-all untrust trust
 *   UNKNOWN UNKNOWN N/A(N/A) ge-0/0/0.0 No policy deny
 *
 * The plain text is positional, and Junos releases have added columns
 * (connection tags, NAT rule types, application, user, interface, ...),
 * so it is read from anchors rather than by column number: the first
 * "a/p->b/p" is the session's original source and destination; in a
 * create or close the protocol is the number four columns before the
 * session id (protocol policy from-zone to-zone session-id), the close's
 * counts are the two "packets(bytes)" after the session id and the
 * elapsed time after them; in a deny, the protocol is "proto(icmp-type)"
 * followed by the policy and zones; the interface follows the
 * "username(roles)" column where the release writes one.
 *
 * Messages (a "_LS" suffix, a logical system's, is the same message):
 *   RT_FLOW_SESSION_CREATE, APPTRACK_SESSION_CREATE   FWE_CONN_START
 *   RT_FLOW_SESSION_CLOSE, APPTRACK_SESSION_CLOSE     FWE_CONN_END
 *   APPTRACK_SESSION_VOL_UPDATE, _ROUTE_UPDATE        FWE_CONN_START
 *       (a live session's interim report: who started it, not an end)
 *   RT_FLOW_SESSION_DENY                              FWE_PACKET, denied
 *   RT_SCREEN_TCP, _UDP, _ICMP, _IP                   FWE_PACKET
 *       (SYN flood, port scan, IP sweep, ... as the attack's packet;
 *       the attack name as the rule)
 * The session's source is its initiator (the client); the close's
 * "from client" counts are the initiator's. RT_SCREEN_TCP_SRC_IP and
 * _DST_IP name one address only, and other RT_FLOW / APPTRACK messages
 * carry no session: FWR_NOTRAFFIC. ICMP sessions carry Junos's own
 * numbers in the port fields; they are kept as written (has_sport,
 * has_dport), the analysis does not take them as ports. A deny whose
 * reason says "reject" (policy reject: a TCP reset or ICMP unreachable
 * sent) is FWA_RESET. The time is the syslog header's (RFC 5424 with
 * its offset; a classic header in the ctx's zone).
 *
 * What the log does not say: TCP flags (a deny is taken as the session's
 * SYN, Junos checking for one before the policy; a SYN flood's, port
 * scan's or sweep's packet as a SYN, "FIN but no ACK" as a FIN), the
 * ICMP type of a session or screen (a deny's icmp-type is read), packet
 * sizes, and the NAT'd side of a deny. An SRX that logs both RT_FLOW and
 * AppTrack reports each session twice.
 */
#include "config.h"

#include <string.h>

#include "capture/decode.h"
#include "capture/fwformat.h"

enum jn_kind {
	JN_CREATE,
	JN_CLOSE,
	JN_UPDATE,
	JN_DENY,
	JN_SCREEN,
	JN_NOSESSION,
};

/* Words of a plain message (the longest releases write some 40). */
#define JN_TOKS 80

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_id_char(char c)
{
	return (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

static bool
span_starts(struct fw_span v, const char *lit)
{
	size_t n = strlen(lit);

	return v.n >= n && memcmp(v.p, lit, n) == 0;
}

/* Case-insensitive search of a literal (lower case) in a span. */
static bool
span_has_word(struct fw_span v, const char *lit)
{
	size_t n = strlen(lit);

	for (size_t i = 0; i + n <= v.n; i++) {
		size_t j = 0;

		while (j < n) {
			char c = v.p[i + j];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != lit[j])
				break;
			j++;
		}
		if (j == n)
			return true;
	}
	return false;
}

/*
 * The message id: RT_FLOW_SESSION_*, APPTRACK_SESSION_* or RT_SCREEN_*,
 * as a whole word: its span (NULL when the line has none), its kind, and
 * in *sub what follows the prefix ("DENY_LS", "TCP").
 */
static struct fw_span
find_msg(const char *s, const char *end, enum jn_kind *kind, struct fw_span *sub)
{
	const char *p = s, *q, *m = NULL;
	struct fw_span id = { NULL, 0 };
	size_t pre = 0;

	/*
	 * One pass over the line's underscores: "_SESSION_" after RT_FLOW or
	 * APPTRACK, or "_SCREEN_" after RT.
	 */
	while (m == NULL && (q = memchr(p, '_', (size_t)(end - p))) != NULL) {
		size_t left = (size_t)(end - q), before = (size_t)(q - s);

		p = q + 1;
		if (left >= 9 && memcmp(q, "_SESSION_", 9) == 0) {
			if (before >= 7 && memcmp(q - 7, "RT_FLOW", 7) == 0 &&
			    (before == 7 || !is_id_char(q[-8]))) {
				m = q - 7;
				pre = 16;
			} else if (before >= 8 && memcmp(q - 8, "APPTRACK", 8) == 0 &&
			    (before == 8 || !is_id_char(q[-9]))) {
				m = q - 8;
				pre = 17;
			}
		} else if (left >= 8 && memcmp(q, "_SCREEN_", 8) == 0 && before >= 2 &&
		    memcmp(q - 2, "RT", 2) == 0 && (before == 2 || !is_id_char(q[-3]))) {
			m = q - 2;
			pre = 10;
		}
	}
	if (m == NULL)
		return id;
	q = m + pre;
	while (q < end && is_id_char(*q))
		q++;
	id = (struct fw_span){ m, (size_t)(q - m) };
	*sub = (struct fw_span){ m + pre, (size_t)(q - (m + pre)) };
	if (pre == 10)
		*kind = JN_SCREEN;
	else if (span_starts(*sub, "CREATE"))
		*kind = JN_CREATE;
	else if (span_starts(*sub, "CLOSE"))
		*kind = JN_CLOSE;
	else if (span_starts(*sub, "DENY"))
		*kind = JN_DENY;
	else if (span_starts(*sub, "VOL_UPDATE") || span_starts(*sub, "ROUTE_UPDATE"))
		*kind = JN_UPDATE;
	else
		*kind = JN_NOSESSION;
	return id;
}

/* An unquoted value Junos wrote between typographic quotes: ”st0.0”. */
static struct fw_span
strip_curly(struct fw_span v)
{
	static const char l[] = "\xe2\x80\x9c", r[] = "\xe2\x80\x9d";

	if (v.n >= 3 && (memcmp(v.p, l, 3) == 0 || memcmp(v.p, r, 3) == 0)) {
		v.p += 3;
		v.n -= 3;
	}
	if (v.n >= 3 && (memcmp(v.p + v.n - 3, l, 3) == 0 || memcmp(v.p + v.n - 3, r, 3) == 0))
		v.n -= 3;
	return v;
}

/* A counter: a number, or a bad field. */
static bool
jn_count(struct fw_span v, uint64_t *out)
{
	return fw_uint(v, UINT64_MAX, out);
}

/* The protocol a screen message's name says; IP screens write protocol-id. */
static uint8_t
screen_proto(struct fw_span sub, uint8_t ipver)
{
	if (span_starts(sub, "TCP"))
		return 6;
	if (span_starts(sub, "UDP"))
		return 17;
	if (span_starts(sub, "ICMP"))
		return ipver == 6 ? 58 : 1;
	return 255;
}

/* TCP flags a TCP screen's attack implies: SYN floods and scans are SYNs. */
static uint8_t
screen_flags(struct fw_span attack)
{
	bool syn = span_has_word(attack, "syn"), fin = span_has_word(attack, "fin");

	if (syn && fin)
		return TCP_SYN | TCP_FIN;
	if (syn || span_has_word(attack, "port scan") || span_has_word(attack, "sweep"))
		return TCP_SYN;
	if (fin)
		return TCP_FIN;
	return 0;
}

/* ---- structured data ---- */

/* The parameters read, by their place in sd_keys[]. */
enum {
	K_SRC, K_SPORT, K_DST, K_DPORT, K_PROTO, K_POLICY, K_IN_IF, K_OUT_IF, K_REASON,
	K_ICMP, K_PKTS_C, K_BYTES_C, K_PKTS_S, K_BYTES_S, K_ELAPSED, K_ATTACK, K_IFNAME,
	K_ACTION, K__N
};

static const struct {
	const char *name;
	uint8_t len;
} sd_keys[K__N] = {
#define K(s) { s, sizeof(s) - 1 }
	[K_SRC] = K("source-address"), [K_SPORT] = K("source-port"),
	[K_DST] = K("destination-address"), [K_DPORT] = K("destination-port"),
	[K_PROTO] = K("protocol-id"), [K_POLICY] = K("policy-name"),
	[K_IN_IF] = K("packet-incoming-interface"), [K_OUT_IF] = K("destination-interface-name"),
	[K_REASON] = K("reason"), [K_ICMP] = K("icmp-type"),
	[K_PKTS_C] = K("packets-from-client"), [K_BYTES_C] = K("bytes-from-client"),
	[K_PKTS_S] = K("packets-from-server"), [K_BYTES_S] = K("bytes-from-server"),
	[K_ELAPSED] = K("elapsed-time"), [K_ATTACK] = K("attack-name"),
	[K_IFNAME] = K("interface-name"), [K_ACTION] = K("action"),
#undef K
};

/*
 * The parameters of the element opening at p ("[junos@... name="value"
 * ...]", RFC 5424's SD-PARAMs: \" \\ \] escaped inside the quotes), in
 * one pass: the value of each wanted name into v[] (the first of a name
 * given twice; without its quotes, escapes left in place). Some releases
 * write a few values between typographic quotes instead (name=”x”): those
 * run to the next space. FWR_CUT when the element does not close.
 *
 * (fw_kv_split and fw_kv_get would do, at twice the cost: a session log
 * has some 45 parameters, of which this reads 15.)
 */
static enum fwlog_result
sd_params(const char *p, const char *end, struct fw_span v[K__N], bool got[K__N])
{
	/* past the SD-ID */
	while (p < end && *p != ' ' && *p != ']')
		p++;
	for (;;) {
		const char *name, *eq;
		struct fw_span val;

		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			return FWR_CUT;
		if (*p == ']')
			return FWR_OK;
		name = p;
		while (p < end && *p != '=' && *p != ' ' && *p != ']' && *p != '"')
			p++;
		if (p >= end)
			return FWR_CUT;
		if (*p == '"' && p == name) {
			p++;	/* a stray quote */
			continue;
		}
		if (*p != '=')
			continue;	/* a word without a value: on to the next */
		eq = p++;
		if (p < end && *p == '"') {
			val.p = ++p;
			/* the closing quote: one not escaped by an odd run of backslashes */
			for (;;) {
				const char *q = memchr(p, '"', (size_t)(end - p)), *b;

				if (q == NULL)
					return FWR_CUT;
				for (b = q; b > val.p && b[-1] == '\\'; b--)
					;
				p = q + 1;
				if ((q - b) % 2 == 0)
					break;
			}
			val.n = (size_t)(p - 1 - val.p);
		} else {
			val.p = p;
			while (p < end && *p != ' ' && *p != ']')
				p++;
			val = strip_curly((struct fw_span){ val.p, (size_t)(p - val.p) });
		}
		for (int k = 0; k < K__N; k++)
			if ((size_t)(eq - name) == sd_keys[k].len && name[0] == sd_keys[k].name[0] &&
			    memcmp(name, sd_keys[k].name, sd_keys[k].len) == 0) {
				if (!got[k]) {
					v[k] = val;
					got[k] = true;
				}
				break;
			}
	}
}

static enum fwlog_result
sd_port(struct fw_span v, bool got, bool *has, uint16_t *port)
{
	if (!got || v.n == 0)
		return FWR_OK;
	if (fw_port(v, port) != FWR_OK)
		return FWR_BADPORT;
	*has = true;
	return FWR_OK;
}

static enum fwlog_result
sd_parse(struct fwlog_rec *r, enum jn_kind kind, struct fw_span sub, const char *open,
    const char *end)
{
	struct fw_span v[K__N];
	bool got[K__N] = { false };
	struct ns_addr src, dst;
	enum fwlog_result res;
	uint64_t u;

	if ((res = sd_params(open, end, v, got)) != FWR_OK)
		return res;
	if (kind == JN_NOSESSION)
		return FWR_NOTRAFFIC;
	if (!got[K_SRC] || !got[K_DST]) {
		/* screens on one address (RT_SCREEN_TCP_SRC_IP, _DST_IP) */
		return kind == JN_SCREEN ? FWR_NOTRAFFIC : FWR_BADFIELD;
	}
	if (fw_addr(v[K_SRC], &src) != FWR_OK || fw_addr(v[K_DST], &dst) != FWR_OK)
		return FWR_BADADDR;
	if ((res = fw_set_addrs(r, &src, &dst)) != FWR_OK)
		return res;
	if ((res = sd_port(v[K_SPORT], got[K_SPORT], &r->has_sport, &r->p.sport)) != FWR_OK ||
	    (res = sd_port(v[K_DPORT], got[K_DPORT], &r->has_dport, &r->p.dport)) != FWR_OK)
		return res;
	r->p.proto = 255;
	if (got[K_PROTO]) {
		if (!fw_uint(v[K_PROTO], 255, &u))
			return FWR_BADFIELD;
		r->p.proto = (uint8_t)u;
	}

	if (kind == JN_SCREEN) {
		struct fw_span attack = got[K_ATTACK] ? v[K_ATTACK] : (struct fw_span){ NULL, 0 };

		if (r->p.proto == 255)
			r->p.proto = screen_proto(sub, r->p.ipver);
		if (attack.n > 0)
			fw_text(r->rule, sizeof(r->rule), attack);
		if (r->p.proto == 6)
			r->p.tcp_flags = screen_flags(attack);
		if (got[K_IFNAME])
			fw_text(r->in_if, sizeof(r->in_if), v[K_IFNAME]);
		if (got[K_ACTION])
			r->action = fw_action(v[K_ACTION]);
		r->event = FWE_PACKET;
		return FWR_OK;
	}

	if (got[K_POLICY])
		fw_text(r->rule, sizeof(r->rule), v[K_POLICY]);
	if (got[K_IN_IF])
		fw_text(r->in_if, sizeof(r->in_if), v[K_IN_IF]);
	if (got[K_OUT_IF])
		fw_text(r->out_if, sizeof(r->out_if), v[K_OUT_IF]);
	switch (kind) {
	case JN_CREATE:
	case JN_UPDATE:
		r->action = FWA_ALLOW;
		r->event = FWE_CONN_START;
		break;
	case JN_CLOSE: {
		uint64_t c[5] = { 0 };

		for (int k = K_PKTS_C; k <= K_ELAPSED; k++)
			if (got[k] && !jn_count(v[k], &c[k - K_PKTS_C]))
				return FWR_BADFIELD;
		r->action = FWA_ALLOW;
		r->event = FWE_CONN_END;
		r->pkts_fwd = c[0];
		r->bytes_fwd = c[1];
		r->pkts_rev = c[2];
		r->bytes_rev = c[3];
		r->duration = (double)c[4];
		break;
	}
	case JN_DENY:
		r->action = FWA_DENY;
		if (got[K_REASON] && span_has_word(v[K_REASON], "reject"))
			r->action = FWA_RESET;
		if ((r->p.proto == 1 || r->p.proto == 58) && got[K_ICMP] &&
		    fw_uint(v[K_ICMP], 255, &u))
			r->p.icmp_type = (uint8_t)u;
		r->event = FWE_PACKET;
		break;
	default:
		return FWR_NOTRAFFIC;
	}
	return FWR_OK;
}

/* ---- plain text ---- */

/* Words of [s, end) split on spaces, at most max. */
static int
words(const char *s, const char *end, struct fw_span *w, int max)
{
	int n = 0;

	while (s < end && n < max) {
		const char *q;

		while (s < end && *s == ' ')
			s++;
		if (s >= end)
			break;
		q = s;
		while (q < end && *q != ' ')
			q++;
		w[n].p = s;
		w[n].n = (size_t)(q - s);
		n++;
		s = q;
	}
	return n;
}

static const char *
span_find(struct fw_span v, const char *lit)
{
	return fw_find(v.p, v.p + v.n, lit);
}

/* "12(345)": the two numbers (packets(bytes), protocol(icmp-type)). */
static bool
num_pair(struct fw_span v, uint64_t *a, uint64_t *b)
{
	const char *o = memchr(v.p, '(', v.n);

	if (o == NULL || v.n < 4 || v.p[v.n - 1] != ')')
		return false;
	return fw_uint((struct fw_span){ v.p, (size_t)(o - v.p) }, UINT64_MAX, a) &&
	    fw_uint((struct fw_span){ o + 1, (size_t)(v.p + v.n - 1 - (o + 1)) }, UINT64_MAX, b);
}

static bool
is_paren(struct fw_span v)
{
	return v.n >= 3 && v.p[v.n - 1] == ')' && memchr(v.p, '(', v.n - 1) != NULL;
}

/* "a/p->b/p": the session's source and destination. */
static enum fwlog_result
plain_pair(struct fwlog_rec *r, struct fw_span v)
{
	const char *arrow = span_find(v, "->");
	struct fw_span a, b;
	struct ns_addr src, dst;
	enum fwlog_result res;

	a = (struct fw_span){ v.p, (size_t)(arrow - v.p) };
	b = (struct fw_span){ arrow + 2, (size_t)(v.p + v.n - (arrow + 2)) };
	/* "a/p->b/p," in some releases' older messages */
	while (b.n > 0 && (b.p[b.n - 1] == ',' || b.p[b.n - 1] == ':'))
		b.n--;
	if ((res = fw_addr_port(a, &src, &r->has_sport, &r->p.sport)) != FWR_OK ||
	    (res = fw_addr_port(b, &dst, &r->has_dport, &r->p.dport)) != FWR_OK)
		return res;
	return fw_set_addrs(r, &src, &dst);
}

/* The interface after the first "x(y)" word from w[i], "username(roles)". */
static void
plain_iface(struct fwlog_rec *r, const struct fw_span *w, int i, int n)
{
	for (; i + 1 < n; i++)
		if (is_paren(w[i])) {
			if (memchr(w[i + 1].p, '(', w[i + 1].n) == NULL)
				fw_text(r->in_if, sizeof(r->in_if), w[i + 1]);
			return;
		}
}

static enum fwlog_result
plain_session(struct fwlog_rec *r, enum jn_kind kind, const char *s, const char *end)
{
	struct fw_span w[JN_TOKS];
	int n = words(s, end, w, JN_TOKS), i0 = -1, i1 = -1, pi = -1, i;
	enum fwlog_result res;
	uint64_t u, v;

	for (i = 0; i < n; i++)
		if (span_find(w[i], "->") != NULL) {
			if (i0 < 0) {
				i0 = i;
			} else {
				i1 = i;
				break;
			}
		}
	if (i0 < 0)
		return FWR_CUT;
	if ((res = plain_pair(r, w[i0])) != FWR_OK)
		return res;

	if (kind == JN_DENY) {
		uint64_t icmp;

		/* service protocol(icmp-type) policy from-zone to-zone ... */
		for (i = i0 + 1; i < n && !num_pair(w[i], &u, &icmp); i++)
			;
		if (i + 3 >= n)
			return FWR_CUT;
		if (u > 255)
			return FWR_BADFIELD;
		r->p.proto = (uint8_t)u;
		if ((u == 1 || u == 58) && icmp <= 255)
			r->p.icmp_type = (uint8_t)icmp;
		fw_text(r->rule, sizeof(r->rule), w[i + 1]);
		plain_iface(r, w, i + 4, n);
		r->action = FWA_DENY;
		if (i + 4 < n &&
		    span_has_word((struct fw_span){ w[i + 4].p, (size_t)(end - w[i + 4].p) }, "reject"))
			r->action = FWA_RESET;
		r->event = FWE_PACKET;
		return FWR_OK;
	}

	/* ... protocol policy from-zone to-zone session-id ...: after the NAT pair */
	for (i = (i1 >= 0 ? i1 : i0) + 1; i + 4 < n; i++)
		if (fw_uint(w[i], 255, &u) && fw_uint(w[i + 4], UINT64_MAX, &v)) {
			pi = i;
			break;
		}
	if (pi < 0)
		return FWR_CUT;
	r->p.proto = (uint8_t)u;
	fw_text(r->rule, sizeof(r->rule), w[pi + 1]);
	r->action = FWA_ALLOW;
	if (kind != JN_CLOSE) {
		r->event = FWE_CONN_START;
		plain_iface(r, w, pi + 5, n);
		return FWR_OK;
	}
	/* session-id packets(bytes) packets(bytes) elapsed-time */
	if (pi + 7 >= n)
		return FWR_CUT;
	if (!num_pair(w[pi + 5], &r->pkts_fwd, &r->bytes_fwd) ||
	    !num_pair(w[pi + 6], &r->pkts_rev, &r->bytes_rev) || !fw_uint(w[pi + 7], UINT64_MAX, &u))
		return FWR_BADFIELD;
	r->duration = (double)u;
	r->event = FWE_CONN_END;
	plain_iface(r, w, pi + 8, n);
	return FWR_OK;
}

/* The text after "key: " up to the next ", " (or the end). */
static bool
plain_value(const char *s, const char *end, const char *key, struct fw_span *v)
{
	const char *p = fw_find(s, end, key), *q;

	if (p == NULL)
		return false;
	p += strlen(key);
	for (q = p; q < end && !(*q == ',' && (q + 1 == end || q[1] == ' ')); q++)
		;
	while (q > p && q[-1] == ' ')
		q--;
	v->p = p;
	v->n = (size_t)(q - p);
	return true;
}

/* "a.b.c.d:port", "v6:port" (Junos writes the port after the last colon), "v6". */
static enum fwlog_result
screen_addr(struct fw_span v, bool want_port, struct ns_addr *a, bool *has, uint16_t *port)
{
	const char *c = NULL;
	int colons = 0;

	for (size_t i = 0; i < v.n; i++)
		if (v.p[i] == ':') {
			colons++;
			c = v.p + i;
		}
	if (v.n > 0 && v.p[0] == '[')
		return fw_addr_port(v, a, has, port);
	if (colons <= 1)
		return fw_addr_port(v, a, has, port);
	if (want_port && fw_addr((struct fw_span){ v.p, (size_t)(c - v.p) }, a) == FWR_OK) {
		if (fw_port((struct fw_span){ c + 1, (size_t)(v.p + v.n - (c + 1)) }, port) != FWR_OK)
			return FWR_BADPORT;
		*has = true;
		return FWR_OK;
	}
	return fw_addr(v, a);
}

static enum fwlog_result
plain_screen(struct fwlog_rec *r, struct fw_span sub, const char *s, const char *end)
{
	struct fw_span sv, dv, v, attack;
	struct ns_addr src, dst;
	bool want_port = span_starts(sub, "TCP") || span_starts(sub, "UDP");
	enum fwlog_result res;
	const char *at;
	uint64_t u;

	if (!plain_value(s, end, "source: ", &sv) || !plain_value(s, end, "destination: ", &dv))
		return FWR_NOTRAFFIC;	/* one address: _SRC_IP, _DST_IP */
	if ((res = screen_addr(sv, want_port, &src, &r->has_sport, &r->p.sport)) != FWR_OK ||
	    (res = screen_addr(dv, want_port, &dst, &r->has_dport, &r->p.dport)) != FWR_OK)
		return res;
	if ((res = fw_set_addrs(r, &src, &dst)) != FWR_OK)
		return res;
	/* the attack name: the words before "source: " */
	while (s < end && *s == ' ')
		s++;
	at = fw_find(s, end, "source: ");
	attack = (struct fw_span){ s, (size_t)(at - s) };
	while (attack.n > 0 && attack.p[attack.n - 1] == ' ')
		attack.n--;
	fw_text(r->rule, sizeof(r->rule), attack);
	r->p.proto = screen_proto(sub, r->p.ipver);
	if (r->p.proto == 255 && (plain_value(s, end, "protocol-id: ", &v) ||
	    plain_value(s, end, "protocol: ", &v))) {
		if (!fw_uint(v, 255, &u))
			return FWR_BADFIELD;
		r->p.proto = (uint8_t)u;
	}
	if (r->p.proto == 6)
		r->p.tcp_flags = screen_flags(attack);
	if (plain_value(s, end, "interface name: ", &v)) {
		/* older releases end the message with a full stop */
		if (v.n > 0 && v.p[v.n - 1] == '.' && v.p + v.n == end)
			v.n--;
		fw_text(r->in_if, sizeof(r->in_if), v);
	}
	if (plain_value(s, end, "action: ", &v))
		r->action = fw_action(v);
	r->event = FWE_PACKET;
	return FWR_OK;
}

static enum fwlog_result
jn_parse(struct fw_line *l, struct fwlog_rec *r)
{
	enum jn_kind kind = JN_NOSESSION;
	struct fw_span sub, id = find_msg(l->s, l->end, &kind, &sub);
	const char *p, *end = l->end;
	enum fwlog_result res;

	if (id.p == NULL)
		return FWR_NO;
	p = id.p + id.n;
	while (p < end && *p == ' ')
		p++;
	if ((size_t)(end - p) >= 7 && memcmp(p, "[junos@", 7) == 0) {
		res = sd_parse(r, kind, sub, p, end);
	} else if (p < end && (*p == ':' || *p == '-')) {
		/* "RT_FLOW_SESSION_DENY: session denied ...", RFC 5424's "- " for no data */
		p++;
		if (kind == JN_NOSESSION)
			return FWR_NOTRAFFIC;
		res = kind == JN_SCREEN ? plain_screen(r, sub, p, end) :
		    plain_session(r, kind, p, end);
	} else if (p >= end) {
		return FWR_CUT;
	} else {
		return FWR_NO;	/* the name in some other text */
	}
	if (res != FWR_OK)
		return res;
	/*
	 * A deny is the policy's verdict on a session's first packet: for
	 * TCP, its SYN (Junos checks for one before the policy, by default).
	 */
	if (kind == JN_DENY && r->p.proto == 6)
		r->p.tcp_flags = TCP_SYN;
	r->count = 1;
	r->has_ts = fw_header_time(l, &r->p.ts);
	return FWR_OK;
}

const struct fw_format fw_junos_srx = {
	.name = "junos-srx",
	.vendor = "Juniper SRX (Junos RT_FLOW, RT_IDS)",
	.parse = jn_parse,
};
