/*
 * The detail of one host, in panels: verdict, who initiated, port spread,
 * packet rate, burst timing, NTP, lookups.
 *
 * Panels are written line by line onto a canvas that knows which lines
 * of the (taller) document are on screen, so a panel is one function
 * whether it is measured, drawn whole or drawn scrolled. On a screen 160
 * columns wide or more the panels flow into two columns.
 */
#include "config.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/netfmt.h"
#include "common/util.h"
#include "tui/screen.h"

#define TWO_COLUMNS 160

struct cv {
	struct tui *t;
	int top, h;	/* screen lines given to the document */
	int x, w;	/* screen columns of this column of panels */
	int scroll;	/* document line at the top of the screen */
	int y;		/* document line being written */
	bool draw;	/* false: only measure */
};

static int
cv_sy(const struct cv *c)
{
	if (!c->draw || c->y < c->scroll || c->y >= c->scroll + c->h)
		return -1;
	return c->top + c->y - c->scroll;
}

/* Write s at column col of the current line; returns the next column. */
static int
cv_put(struct cv *c, int col, attr_t a, const char *s)
{
	int sy = cv_sy(c), sw = tui_width(s);

	if (sy >= 0 && col < c->w)
		tui_put(sy, c->x + col, c->w - col, a, s);
	return col + sw;
}

static int cv_putf(struct cv *, int, attr_t, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static int
cv_putf(struct cv *c, int col, attr_t a, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return cv_put(c, col, a, buf);
}

static void
cv_nl(struct cv *c)
{
	c->y++;
}

static void cv_line(struct cv *, attr_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
cv_line(struct cv *c, attr_t a, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cv_put(c, 0, a, buf);
	cv_nl(c);
}

static void
cv_title(struct cv *c, const char *title)
{
	int sy = cv_sy(c), x;
	const struct tui *t = c->t;

	if (sy >= 0) {
		tui_put(sy, c->x, 1, tui_attr(t, CP_DIM), t->g->hline);
		x = 1 + tui_putf(sy, c->x + 1, c->w - 1, A_BOLD, " %s ", title);
		tui_hline(t, sy, c->x + x, c->w - x, tui_attr(t, CP_DIM));
	}
	cv_nl(c);
}

/*
 * Word-wrap text to the column width, the first line after prefix and
 * the others indented to match it. Text here is ours or already clean.
 */
static void
cv_wrap(struct cv *c, int indent, attr_t a, const char *prefix, const char *text)
{
	int width = c->w - indent, pw = tui_width(prefix);
	const char *p = text;
	bool first = true;

	if (width < 20)
		width = 20;
	while (*p != '\0') {
		char line[512];
		int avail = width - pw, n = 0, last_space = -1, cols = 0;
		const char *q = p;

		/* Take whole words while they fit (bytes, near enough: clean text). */
		while (q[n] != '\0' && cols < avail && n < (int)sizeof(line) - 1) {
			if (q[n] == ' ')
				last_space = n;
			if (((unsigned char)q[n] & 0xc0) != 0x80)
				cols++;
			n++;
		}
		if (q[n] != '\0' && last_space > 0 && cols >= avail)
			n = last_space;
		memcpy(line, q, (size_t)n);
		line[n] = '\0';
		cv_put(c, indent, a, first ? prefix : "");
		cv_put(c, indent + pw, a, line);
		cv_nl(c);
		p = q + n;
		while (*p == ' ')
			p++;
		first = false;
	}
	if (first) {
		cv_put(c, indent, a, prefix);
		cv_nl(c);
	}
}

static const char *
port_name(uint8_t proto, uint16_t port)
{
	static const struct {
		uint16_t port;
		const char *name;
	} names[] = {
		{ 22, "ssh" }, { 23, "telnet" }, { 25, "smtp" }, { 53, "dns" },
		{ 80, "http" }, { 110, "pop3" }, { 123, "ntp" }, { 137, "netbios" },
		{ 143, "imap" }, { 161, "snmp" }, { 389, "ldap" }, { 443, "https" },
		{ 445, "smb" }, { 1900, "ssdp" }, { 3389, "rdp" }, { 5353, "mdns" },
		{ 8080, "http-alt" }, { 11211, "memcached" },
	};

	(void)proto;
	for (size_t i = 0; i < NS_ARRAY_LEN(names); i++)
		if (names[i].port == port)
			return names[i].name;
	return NULL;
}

static void
top_ports(struct cv *c, const char *label, const struct ana_port_count *pc, int n)
{
	char buf[512] = "";

	for (int i = 0; i < n; i++) {
		const char *nm = port_name(pc[i].proto, pc[i].port);

		/* "+": at least that many (analysis/ana.h, struct ana_port_count). */
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%u/%s%s%s%s %" PRIu32 "%s",
		    i ? ", " : "", pc[i].port, ns_proto_name(pc[i].proto), nm ? " (" : "",
		    nm ? nm : "", nm ? ")" : "", pc[i].packets, pc[i].over ? "+" : "");
	}
	cv_wrap(c, 0, A_NORMAL, label, n ? buf : "none");
}

/* ---- panels ---- */

static void
panel_verdict(struct cv *c, struct tui *t, const struct ana_host_info *in)
{
	int x;

	cv_title(c, "Verdict");
	x = cv_put(c, 0, tui_sev_attr(t, ana_verdict_severity(in->verdict)) | A_BOLD,
	    ana_verdict_name(in->verdict));
	x = cv_putf(c, x, A_NORMAL, "  confidence %.2f  ", in->confidence);
	cv_put(c, x, in->call ? tui_attr(t, CP_BAD) : tui_attr(t, CP_OK),
	    in->call ? "CALL: yes" : "call: no");
	cv_nl(c);
	cv_wrap(c, 0, in->call ? A_BOLD : A_NORMAL, "", in->advice);
	/* Where it was seen: the flow exporters, or the rules that logged it. */
	for (int vp = 1; vp >= 0; vp--) {
		char buf[256];
		size_t l = 0;

		if (ana_fw_rules_count(in, vp) == 0)
			continue;
		l = (size_t)snprintf(buf, sizeof(buf), "%s", vp ? "Seen through:" : "Logged by:");
		for (int i = 0; i < in->n_fw_rules && l < sizeof(buf); i++)
			if (in->fw_rules[i].vantage == vp)
				l += (size_t)snprintf(buf + l, sizeof(buf) - l, " %s (%" PRIu64 ")",
				    in->fw_rules[i].name, in->fw_rules[i].packets);
		if (in->fw_rules_other > 0 && !vp && l < sizeof(buf))
			snprintf(buf + l, sizeof(buf) - l, ", others (%" PRIu64 ")", in->fw_rules_other);
		cv_wrap(c, 0, tui_attr(t, CP_DIM), "", buf);
	}
	if (in->n_evidence > 0)
		cv_line(c, A_NORMAL, "Evidence:");
	for (int i = 0; i < in->n_evidence; i++)
		cv_wrap(c, 1, A_NORMAL, "- ", in->evidence[i]);
}

static void
axis_labels(struct cv *c, double from, double to)
{
	char a[16], b[16], d[32];
	int x;

	tui_clock(a, sizeof(a), from);
	tui_clock(b, sizeof(b), to);
	x = cv_put(c, 2, tui_attr(c->t, CP_DIM), a);
	cv_putf(c, x + 1, tui_attr(c->t, CP_DIM), "(%s)", ns_fmt_duration(d, sizeof(d), to - from));
	cv_put(c, c->w - (int)strlen(b), tui_attr(c->t, CP_DIM), b);
	cv_nl(c);
}

/* An empty time axis of width w on the current line; its screen line or -1. */
static int
axis_line(struct cv *c, int w)
{
	int sy = cv_sy(c);

	if (sy >= 0)
		for (int x = 0; x < w; x++)
			tui_put(sy, c->x + 1 + x, 1, tui_attr(c->t, CP_DIM), c->t->g->dot);
	return sy;
}

/* Column of time ts on an axis of width w from t0 to t1. */
static int
axis_x(double ts, double t0, double t1, int w)
{
	int x;

	if (t1 <= t0)
		return 0;
	x = (int)((ts - t0) / (t1 - t0) * (w - 1) + 0.5);
	return x < 0 ? 0 : x >= w ? w - 1 : x;
}

static void
panel_initiated(struct cv *c, struct tui *t, const struct ana_host_info *in)
{
	int aw = c->w - 2, nshow;
	char loc[NS_ADDRSTRLEN], tm[16];

	cv_title(c, "Who initiated");
	cv_line(c, A_NORMAL, "Exchanges: ours first %" PRIu64 ", theirs first %" PRIu64,
	    in->exchanges_ours, in->exchanges_theirs);
	{
		char buf[256];

		snprintf(buf, sizeof(buf),
		    "Inbound: solicited %" PRIu64 ", unsolicited %" PRIu64 ", late replies %" PRIu64
		    ", we served %" PRIu64 ", probes %" PRIu64 ", unasked replies %" PRIu64,
		    in->in_solicited, in->in_unsolicited, in->in_late, in->in_served, in->in_probes,
		    in->in_responses_unsolicited);
		cv_wrap(c, 0, A_NORMAL, "", buf);
		if (in->syn_in || in->synack_out || in->rst_out || in->unreach_out || in->unreach_in) {
			snprintf(buf, sizeof(buf),
			    "TCP SYN in %" PRIu64 ", SYN-ACK out %" PRIu64 ", RST out %" PRIu64
			    "; ICMP unreachable out %" PRIu64 ", in %" PRIu64,
			    in->syn_in, in->synack_out, in->rst_out, in->unreach_out, in->unreach_in);
			cv_wrap(c, 0, A_NORMAL, "", buf);
		}
	}
	if (in->has_provoked_by)
		cv_line(c, A_NORMAL, "Provoked by the inside host %s",
		    ns_addr_fmt(&in->provoked_by, loc, sizeof(loc)));
	if (in->n_exchanges == 0) {
		cv_line(c, tui_attr(t, CP_DIM), "No exchanges yet.");
		return;
	}
	/* The timeline: one mark per exchange at the time it began. */
	{
		double t0 = in->exchanges[0].start, t1 = NS_MAX(in->last, t0);
		int sy = axis_line(c, aw);

		if (sy >= 0) {
			for (int i = 0; i < in->n_exchanges; i++) {
				const struct ana_exchange *e = &in->exchanges[i];
				int x = axis_x(e->start, t0, t1, aw);

				if (e->late_in > 0)
					tui_put(sy, c->x + 1 + x, 1, tui_attr(t, CP_BAD), t->g->late);
				else if (e->ours)
					tui_put(sy, c->x + 1 + x, 1, tui_attr(t, CP_OK), t->g->ours);
				else
					tui_put(sy, c->x + 1 + x, 1, tui_attr(t, CP_NOTE), t->g->theirs);
			}
		}
		cv_nl(c);
		axis_labels(c, t0, t1);
		cv_line(c, tui_attr(t, CP_DIM), "%s ours first  %s theirs first  %s late replies  (last %d exchange%s)",
		    t->g->ours, t->g->theirs, t->g->late, in->n_exchanges, in->n_exchanges == 1 ? "" : "s");
	}
	nshow = NS_MIN(in->n_exchanges, NS_MAX(6, c->t->h / 4));
	for (int i = in->n_exchanges - 1; i >= in->n_exchanges - nshow; i--) {
		const struct ana_exchange *e = &in->exchanges[i];
		int x;

		x = cv_putf(c, 1, A_NORMAL, "%s ", tui_clock(tm, sizeof(tm), e->start));
		x = cv_put(c, x, e->ours ? tui_attr(t, CP_OK) : tui_attr(t, CP_NOTE),
		    e->undecided ? "who?  " : e->ours ? "ours  " : "theirs");
		x = cv_putf(c, x, A_NORMAL, " %s %s:%u %s :%u  in %" PRIu32 " out %" PRIu32,
		    ns_proto_name(e->proto), ns_addr_fmt(&e->local, loc, sizeof(loc)), e->lport,
		    e->ours ? t->g->arrow_out : t->g->arrow_in, e->rport, e->pkts_in, e->pkts_out);
		if (e->late_in)
			x = cv_putf(c, x, tui_attr(t, CP_BAD), " late %" PRIu32, e->late_in);
		if (e->unsolicited_in)
			x = cv_putf(c, x, tui_attr(t, CP_NOTE), " unsolicited %" PRIu32, e->unsolicited_in);
		if (e->start_unseen)
			cv_putf(c, x, tui_attr(t, CP_DIM), " start not seen");
		cv_nl(c);
	}
}

static void
spread_line(struct cv *c, const char *label, uint32_t lv, uint32_t rv, uint32_t lmax,
    uint32_t rmax, int bw)
{
	char bar[256];
	int x;

	x = cv_putf(c, 0, A_NORMAL, "%-11s", label);
	tui_bar(c->t, bar, sizeof(bar), lmax ? (double)lv / lmax : 0, bw);
	cv_put(c, x, tui_attr(c->t, CP_IN), bar);
	x = cv_putf(c, x + bw + 1, A_NORMAL, "%6" PRIu32, lv);
	tui_bar(c->t, bar, sizeof(bar), rmax ? (double)rv / rmax : 0, bw);
	cv_put(c, x + 2, tui_attr(c->t, CP_OUT), bar);
	cv_putf(c, x + 2 + bw + 1, A_NORMAL, "%6" PRIu32, rv);
	cv_nl(c);
}

static void
panel_ports(struct cv *c, struct tui *t, const struct ana_host_info *in)
{
	const struct ana_port_spread *l = &in->local_ports, *r = &in->remote_ports;
	uint32_t lmax = NS_MAX(NS_MAX(l->privileged, l->registered), l->ephemeral);
	uint32_t rmax = NS_MAX(NS_MAX(r->privileged, r->registered), r->ephemeral);
	int bw = NS_MAX(4, (c->w - 11 - 16) / 2);
	char buf[256];

	(void)t;
	cv_title(c, "Port spread");
	cv_putf(c, 0, A_BOLD, "%-11s", "");
	cv_putf(c, 11, A_BOLD, "local ports: %" PRIu32, l->distinct);
	cv_putf(c, 11 + bw + 9, A_BOLD, "remote ports: %" PRIu32, r->distinct);
	cv_nl(c);
	spread_line(c, "privileged", l->privileged, r->privileged, lmax, rmax, bw);
	spread_line(c, "registered", l->registered, r->registered, lmax, rmax, bw);
	spread_line(c, "ephemeral", l->ephemeral, r->ephemeral, lmax, rmax, bw);
	top_ports(c, "Top local:  ", in->top_local, in->n_top_local);
	top_ports(c, "Top remote: ", in->top_remote, in->n_top_remote);
	snprintf(buf, sizeof(buf),
	    "New local ports: %" PRIu32 " in the last minute, at most %" PRIu32
	    " a minute; %" PRIu32 " local addresses",
	    in->new_ports_last_min, in->new_ports_peak_min, in->local_addrs);
	cv_wrap(c, 0, A_NORMAL, "", buf);
	if (in->probed_ports.distinct > 0 || in->probed_addrs > 0) {
		snprintf(buf, sizeof(buf),
		    "Probed unasked: %" PRIu32 " ports (%" PRIu32 " privileged) on %" PRIu32
		    " addresses, most on port %u",
		    in->probed_ports.distinct, in->probed_ports.privileged, in->probed_addrs,
		    in->probed_top_port);
		cv_wrap(c, 0, tui_attr(t, CP_NOTE), "", buf);
	}
}

static uint32_t
max_of(const uint32_t *a, const uint32_t *b, int n)
{
	uint32_t m = 0;

	for (int i = 0; i < n; i++)
		m = NS_MAX(m, NS_MAX(a[i], b[i]));
	return m;
}

static void
spark_row(struct cv *c, const char *label, const uint32_t *v, int n, uint32_t scale,
    enum tui_pair p)
{
	char buf[1024];
	int w = NS_MIN(n, c->w - 6);

	/* On a narrow column the most recent values are the ones kept. */
	tui_spark(c->t, buf, sizeof(buf), v + (n - w), w, scale);
	cv_putf(c, 0, A_NORMAL, "%-4s", label);
	cv_put(c, 5, tui_attr(c->t, p), buf);
	cv_nl(c);
}

static void
panel_rates(struct cv *c, struct tui *t, const struct ana_host_info *in)
{
	const struct ana_rates *r = &in->rates;
	char a[16], b[16], d[16], e[16], g[16], buf[256];
	uint32_t ms = max_of(r->spark_s_in, r->spark_s_out, ANA_SPARK_S);
	uint32_t mm = max_of(r->spark_m_in, r->spark_m_out, ANA_SPARK_M);
	int w = NS_MIN(ANA_SPARK_S, c->w - 6);

	cv_title(c, "Packet rate");
	snprintf(buf, sizeof(buf),
	    "In %s/s now, %s/s over 10 s, peak %s/s; out %s/s now, peak %s/s (busiest second)",
	    ns_fmt_si(a, sizeof(a), r->pps_in_1), ns_fmt_si(b, sizeof(b), r->pps_in_10),
	    ns_fmt_si(d, sizeof(d), r->peak_pps_in_1), ns_fmt_si(e, sizeof(e), r->pps_out_1),
	    ns_fmt_si(g, sizeof(g), r->peak_pps_out_1));	/* not b: one buffer, one figure */
	cv_wrap(c, 0, A_NORMAL, "", buf);
	snprintf(buf, sizeof(buf), "Average over %s: in %.3g/s (%s a day), out %.3g/s; %s in, %s out",
	    ns_fmt_duration(e, sizeof(e), r->avg_seconds), r->avg_pps_in,
	    ns_fmt_si(a, sizeof(a), r->per_day_in), r->avg_pps_out,
	    ns_fmt_si(b, sizeof(b), (double)in->bytes_in), ns_fmt_si(d, sizeof(d), (double)in->bytes_out));
	cv_wrap(c, 0, A_NORMAL, "", buf);
	if (r->unsolicited_peak_pps > 0)
		cv_line(c, tui_attr(t, CP_NOTE), "Unsolicited peak %.0f/s; %.0f s at or over the flood rate",
		    r->unsolicited_peak_pps, r->seconds_over_flood);
	cv_line(c, tui_attr(t, CP_DIM), "Last 60 s, packets a second (top = %" PRIu32 ")", ms);
	spark_row(c, "in", r->spark_s_in, ANA_SPARK_S, ms, CP_IN);
	spark_row(c, "out", r->spark_s_out, ANA_SPARK_S, ms, CP_OUT);
	cv_putf(c, 5, tui_attr(t, CP_DIM), "-%ds", w);
	cv_put(c, 5 + w - 3, tui_attr(t, CP_DIM), "now");
	cv_nl(c);
	cv_line(c, tui_attr(t, CP_DIM), "Last 60 min, packets a minute (top = %" PRIu32 ")", mm);
	spark_row(c, "in", r->spark_m_in, ANA_SPARK_M, mm, CP_IN);
	spark_row(c, "out", r->spark_m_out, ANA_SPARK_M, mm, CP_OUT);
	cv_putf(c, 5, tui_attr(t, CP_DIM), "-%dm", w);
	cv_put(c, 5 + w - 3, tui_attr(t, CP_DIM), "now");
	cv_nl(c);
}

static void
panel_bursts(struct cv *c, struct tui *t, const struct ana_host_info *in)
{
	const struct ana_burst_stats *b = &in->bursts;
	char buf[512], x1[16], x2[16], x3[16], x4[16], tm[16], nb[32] = "";
	int aw = c->w - 2, nshow;

	cv_title(c, "Burst timing");
	if (b->count == 0) {
		cv_line(c, tui_attr(t, CP_DIM), "No bursts yet.");
		return;
	}
	if (b->period_bursts > 0)
		snprintf(nb, sizeof(nb), " (%" PRIu32 " bursts)", b->period_bursts);
	snprintf(buf, sizeof(buf),
	    "%" PRIu32 " burst%s, %" PRIu32 " begun by us; size %.1f (max %" PRIu32
	    "); spacing %s +- %s; period %s%s%s%s",
	    b->count, b->count == 1 ? "" : "s", b->triggered, b->size_mean, b->size_max,
	    ns_fmt_duration(x1, sizeof(x1), b->spacing_mean), ns_fmt_duration(x2, sizeof(x2), b->spacing_sd),
	    b->period_bursts > 0 ? ns_fmt_duration(x3, sizeof(x3), b->period_mean) : "none steady",
	    b->period_bursts > 0 ? " +- " : "",
	    b->period_bursts > 0 ? ns_fmt_duration(x4, sizeof(x4), b->period_sd) : "", nb);
	cv_wrap(c, 0, A_NORMAL, "", buf);
	if (b->pattern[0] != '\0')
		cv_wrap(c, 0, A_NORMAL, "Pattern: ", b->pattern);
	if (b->known[0] != '\0')
		cv_wrap(c, 0, tui_attr(t, CP_OK), "Looks like: ", b->known);
	if (b->n_recent == 0)
		return;
	{
		double t0 = b->recent[0].start, t1 = NS_MAX(in->last, b->recent[b->n_recent - 1].end);
		int sy = axis_line(c, aw);

		if (sy >= 0) {
			for (int i = 0; i < b->n_recent; i++) {
				const struct ana_burst *u = &b->recent[i];
				int xa = axis_x(u->start, t0, t1, aw), xb = axis_x(u->end, t0, t1, aw);

				for (int x = xa; x <= xb; x++)
					tui_put(sy, c->x + 1 + x, 1,
					    tui_attr(t, u->triggered ? CP_OK : CP_NOTE),
					    u->triggered ? t->g->burst_ours : t->g->burst);
			}
		}
		cv_nl(c);
		axis_labels(c, t0, t1);
		cv_line(c, tui_attr(t, CP_DIM), "%s begun by us  %s begun by it  (last %d burst%s)",
		    t->g->burst_ours, t->g->burst, b->n_recent, b->n_recent == 1 ? "" : "s");
	}
	nshow = NS_MIN(b->n_recent, NS_MAX(4, c->t->h / 6));
	for (int i = b->n_recent - 1; i >= b->n_recent - nshow; i--) {
		const struct ana_burst *u = &b->recent[i];

		cv_putf(c, 1, A_NORMAL, "%s  %-8s in %4" PRIu32 " out %4" PRIu32 "  %s",
		    tui_clock(tm, sizeof(tm), u->start), ns_fmt_duration(x1, sizeof(x1), u->end - u->start),
		    u->pkts_in, u->pkts_out, u->triggered ? "begun by us" : "begun by it");
		cv_nl(c);
	}
}

static const char *const ntp_modes[8] = {
	"reserved", "sym-active", "sym-passive", "client", "server", "broadcast",
	"control", "private",
};

static void
modes_line(struct cv *c, const char *label, const uint64_t *m)
{
	char buf[256] = "";

	for (int i = 0; i < 8; i++)
		if (m[i] > 0)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%d %s %" PRIu64,
			    buf[0] ? ", " : "", i, ntp_modes[i], m[i]);
	cv_wrap(c, 0, A_NORMAL, label, buf[0] ? buf : "none");
}

/*
 * Request and answer bytes one way, and the amplification; drawn as an
 * attack when over the analysis's thresholds (amp-ratio, amp-min-bytes).
 */
static void
amp_line(struct cv *c, const char *who, const char *req_way, const char *resp_way,
    uint64_t req, uint64_t resp)
{
	const struct ana_thresholds *th = &ana_config(c->t->ana)->th;
	char a[16], b[16], buf[256];
	double ratio = req ? (double)resp / (double)req : 0;

	if (req == 0 && resp == 0)
		return;
	snprintf(buf, sizeof(buf), "%s %s bytes of requests %s, %s of answers %s (x%.1f)",
	    who, ns_fmt_si(a, sizeof(a), (double)req), req_way, ns_fmt_si(b, sizeof(b), (double)resp),
	    resp_way, ratio);
	cv_wrap(c, 0, ratio >= th->amp_ratio && resp >= th->amp_min_bytes ?
	    tui_attr(c->t, CP_BAD) : A_NORMAL, "", buf);
}

static void
panel_ntp(struct cv *c, struct tui *t, const struct ana_host_info *in)
{
	const struct ana_ntp_info *n = &in->ntp;
	char buf[512], refid[32], kiss[16];

	cv_title(c, "NTP");
	if (n->packets == 0) {
		cv_line(c, tui_attr(t, CP_DIM), "No NTP packets.");
		return;
	}
	tui_clean(t, refid, sizeof(refid), n->refid);
	tui_clean(t, kiss, sizeof(kiss), n->kiss);
	snprintf(buf, sizeof(buf), "%" PRIu64 " packet%s; versions", n->packets,
	    n->packets == 1 ? "" : "s");
	for (int v = 1; v < 8; v++)
		if (n->versions & (1u << v))
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " v%d", v);
	if (n->stratum >= 0)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "; stratum %d, refid %s",
		    n->stratum, refid[0] ? refid : "-");
	if (n->poll != 0)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "; poll 2^%d s", n->poll);
	if (kiss[0] != '\0')
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "; kiss code %s", kiss);
	cv_wrap(c, 0, A_NORMAL, "", buf);
	modes_line(c, "Modes in:  ", n->mode_in);
	modes_line(c, "Modes out: ", n->mode_out);
	if (n->mode6_in || n->mode6_out) {
		snprintf(buf, sizeof(buf), "Mode 6 (control): %" PRIu64 " in, %" PRIu64
		    " out, %" PRIu64 " with more; opcodes", n->mode6_in, n->mode6_out, n->mode6_more);
		for (int i = 0; i < 32; i++)
			if (n->mode6_opcodes & (1u << i))
				snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " %d", i);
		cv_wrap(c, 0, tui_attr(t, CP_NOTE), "", buf);
	}
	if (n->mode7_in || n->mode7_out) {
		snprintf(buf, sizeof(buf), "Mode 7 (private): %" PRIu64 " in, %" PRIu64
		    " out, %" PRIu64 " with more, %" PRIu64 " items, impl %d; requests",
		    n->mode7_in, n->mode7_out, n->mode7_more, n->mode7_items, n->mode7_impl);
		for (int i = 0; i < n->n_mode7_codes && i < 8; i++)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " %u", n->mode7_codes[i]);
		cv_wrap(c, 0, tui_attr(t, CP_NOTE), "", buf);
	}
	if (n->monlist_req_in || n->monlist_req_out || n->monlist_resp_in || n->monlist_resp_out) {
		snprintf(buf, sizeof(buf), "Monlist: requests in %" PRIu64 ", out %" PRIu64
		    "; responses in %" PRIu64 ", out %" PRIu64,
		    n->monlist_req_in, n->monlist_req_out, n->monlist_resp_in, n->monlist_resp_out);
		cv_wrap(c, 0, tui_attr(t, CP_BAD), "", buf);
	}
	amp_line(c, "We served it:", "in", "out", n->req_bytes_in, n->resp_bytes_out);
	amp_line(c, "It served us:", "out", "in", n->req_bytes_out, n->resp_bytes_in);
	cv_line(c, A_NORMAL, "Server replies from port 123: %" PRIu64 "; our client requests to it: %" PRIu64,
	    n->server_replies_from_123, n->client_requests_to_it);
}

static void
lk_status_line(struct cv *c, const char *label, enum lk_status s, const char *reason,
    const char *done_text)
{
	char clean[LK_REASON_LEN + 400];
	struct tui *t = c->t;

	switch (s) {
	case LK_DONE:
		tui_clean(t, clean, sizeof(clean), done_text);
		cv_wrap(c, 0, A_NORMAL, label, clean[0] ? clean : "(nothing found)");
		break;
	case LK_FAILED:
		tui_clean(t, clean, sizeof(clean), reason);
		cv_wrap(c, 0, tui_attr(t, CP_NOTE), label, clean);
		break;
	case LK_PENDING:
		cv_wrap(c, 0, tui_attr(t, CP_DIM), label, "asking...");
		break;
	case LK_OFF:
		cv_wrap(c, 0, tui_attr(t, CP_DIM), label, "off");
		break;
	case LK_NONE:
		cv_wrap(c, 0, tui_attr(t, CP_DIM), label, "not asked yet");
		break;
	}
}

static void
panel_lookups(struct cv *c, struct tui *t, const struct ana_host_info *in)
{
	struct lk_info li;
	struct lk_ntp_observed obs;
	char buf[1024], why[256];

	cv_title(c, "Lookups");
	if (t->lk == NULL) {
		cv_line(c, tui_attr(t, CP_DIM), "Off (--no-lookups, or they could not start).");
		return;
	}
	lk_get(t->lk, &in->addr, &li);
	lk_status_line(c, "Reverse DNS: ", li.rdns.status, li.rdns.reason, li.rdns.name);
	snprintf(buf, sizeof(buf), "%s%s%s%s", li.geo.country, li.geo.city[0] ? ", " : "",
	    li.geo.city, "");
	if (li.geo.asn)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%sAS%" PRIu32 " %s",
		    buf[0] ? "; " : "", li.geo.asn, li.geo.org);
	lk_status_line(c, "Geo:         ", li.geo.status, li.geo.reason, buf);
	snprintf(buf, sizeof(buf), "%s %s %s %s %s%s%s%s", li.rdap.name, li.rdap.handle,
	    li.rdap.cidr, li.rdap.country, li.rdap.org, li.rdap.source[0] ? " (from " : "",
	    li.rdap.source, li.rdap.source[0] ? ")" : "");
	lk_status_line(c, "Network:     ", li.rdap.status, li.rdap.reason, buf);
	if (li.rdap.status == LK_DONE) {
		buf[0] = '\0';
		for (int i = 0; i < li.rdap.n_abuse && i < LK_MAX_ABUSE; i++)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? ", " : "",
			    li.rdap.abuse[i]);
		lk_status_line(c, "Abuse:       ", LK_DONE, "", buf[0] ? buf : "no contact listed");
	}
	memset(&obs, 0, sizeof(obs));
	obs.mode4_from_123 = in->ntp.server_replies_from_123;
	obs.mode3_to_it = in->ntp.client_requests_to_it;
	obs.stratum = in->ntp.stratum;
	memcpy(obs.refid, in->ntp.refid, sizeof(obs.refid));
	obs.refid[sizeof(obs.refid) - 1] = '\0';
	if (li.ntp.status == LK_DONE || li.ntp.status == LK_NONE || li.ntp.status == LK_OFF) {
		bool pub = lk_ntp_public(&li, &obs, why, sizeof(why));

		snprintf(buf, sizeof(buf), "%s%s%s", pub ? "yes" : "no", why[0] ? ": " : "", why);
		lk_status_line(c, "Public NTP:  ", LK_DONE, "", buf);
	} else {
		lk_status_line(c, "Public NTP:  ", li.ntp.status, li.ntp.reason, "");
	}
}

typedef void (*panel_fn)(struct cv *, struct tui *, const struct ana_host_info *);

static const panel_fn panels[] = {
	panel_verdict, panel_initiated, panel_ports, panel_rates, panel_bursts,
	panel_ntp, panel_lookups,
};

void
tui_detail_refresh(struct tui *t)
{
	if (!t->has_sel) {
		t->info_ok = false;
		return;
	}
	t->info_ok = ana_host(t->ana, &t->sel, t->info);
	if (t->lk != NULL)
		lk_query(t->lk, &t->sel);
}

void
tui_detail_scroll(struct tui *t, int delta)
{
	/*
	 * The document's height is known only once drawn (keys typed ahead may
	 * come first): the top is clamped here, the bottom when drawing.
	 */
	if (t->dlines > 0 && t->dscroll > t->dlines - t->dview)
		t->dscroll = NS_MAX(0, t->dlines - t->dview);
	if (delta > 0 && t->dscroll > INT_MAX - delta)
		t->dscroll = INT_MAX;
	else
		t->dscroll += delta;
	if (t->dscroll < 0)
		t->dscroll = 0;
	t->dirty = true;
}

static void
detail_title(struct tui *t)
{
	char addr[NS_ADDRSTRLEN], name[TUI_NAME_LEN];
	int x, sel = tui_list_selected_index(t);
	attr_t ta = tui_attr(t, CP_TITLE);

	move(0, 0);
	attrset(ta);
	hline(' ', t->w);
	ns_addr_fmt(&t->sel, addr, sizeof(addr));
	snprintf(name, sizeof(name), "%s", tui_name_of(t, &t->sel));
	x = tui_putf(0, 0, t->w, ta | A_BOLD, "%s %s", t->g->theirs, addr);
	if (name[0] != '\0')
		x += tui_putf(0, x, t->w - x, ta, " (%s)", name);
	if (t->info_ok) {
		x += tui_put(0, x, t->w - x, ta, "  ");
		x += tui_put(0, x, t->w - x, ta | A_BOLD, ana_verdict_name(t->info->verdict));
		x += tui_putf(0, x, t->w - x, ta, " %.2f%s", t->info->confidence,
		    t->info->call ? "  CALL" : "");
	}
	if (sel >= 0) {
		char right[48];

		snprintf(right, sizeof(right), "host %d of %u", sel + 1, t->n_view);
		if (x + tui_width(right) + 2 < t->w)
			tui_put(0, t->w - tui_width(right) - 1, tui_width(right), ta, right);
	}
}

void
tui_detail_draw(struct tui *t)
{
	struct cv col[2];
	int ncol = t->w >= TWO_COLUMNS ? 2 : 1, cw = ncol == 2 ? (t->w - 1) / 2 : t->w;
	int which[NS_ARRAY_LEN(panels)], heights[NS_ARRAY_LEN(panels)];

	detail_title(t);
	t->dview = t->h - 3;
	if (!t->info_ok) {
		char addr[NS_ADDRSTRLEN];

		tui_putf(2, 2, t->w - 4, A_NORMAL,
		    "%s: no traffic from this host %s.", ns_addr_fmt(&t->sel, addr, sizeof(addr)),
		    t->file && t->finished ? "in this capture (or it was evicted)" : "yet; waiting");
		t->dlines = 0;
		return;
	}
	/* Measure, then give each panel to the shorter column, in order. */
	for (int i = 0; i < 2; i++) {
		memset(&col[i], 0, sizeof(col[i]));
		col[i].t = t;
		col[i].top = 1;
		col[i].h = t->dview;
		col[i].x = i * (cw + 1);
		col[i].w = cw;
	}
	for (size_t p = 0; p < NS_ARRAY_LEN(panels); p++) {
		struct cv m = col[0];

		m.draw = false;
		m.y = 0;
		panels[p](&m, t, t->info);
		heights[p] = m.y + 1;
	}
	{
		int hy[2] = { 0, 0 };

		for (size_t p = 0; p < NS_ARRAY_LEN(panels); p++) {
			int k = ncol == 2 && hy[1] < hy[0] ? 1 : 0;

			which[p] = k;
			hy[k] += heights[p];
		}
		t->dlines = NS_MAX(hy[0], hy[1]);
	}
	if (t->dscroll > t->dlines - t->dview)
		t->dscroll = NS_MAX(0, t->dlines - t->dview);
	for (int i = 0; i < ncol; i++) {
		col[i].scroll = t->dscroll;
		col[i].draw = true;
		col[i].y = 0;
	}
	for (size_t p = 0; p < NS_ARRAY_LEN(panels); p++) {
		struct cv *c = &col[which[p]];

		panels[p](c, t, t->info);
		cv_nl(c);
	}
}

/* ---- the incidents: attacks on one local target from many hosts ---- */

static void
incident(struct cv *c, struct tui *t, const struct ana_incident *in)
{
	char loc[NS_ADDRSTRLEN], title[128], a[16], b[16], d[16], t0[16], t1[16];

	snprintf(title, sizeof(title), "%s against %s", ana_verdict_name(in->kind),
	    ns_addr_fmt(&in->local, loc, sizeof(loc)));
	cv_title(c, title);
	cv_put(c, 0, tui_sev_attr(t, ana_verdict_severity(in->kind)) | A_BOLD,
	    ana_verdict_name(in->kind));
	if (in->port != 0)
		cv_putf(c, (int)strlen(ana_verdict_name(in->kind)), A_NORMAL,
		    " on %s/%u, confidence %.2f", ns_proto_name(in->proto), in->port, in->confidence);
	else
		cv_putf(c, (int)strlen(ana_verdict_name(in->kind)), A_NORMAL,
		    " on many %s ports, confidence %.2f", ns_proto_name(in->proto), in->confidence);
	cv_nl(c);
	cv_line(c, A_NORMAL, "%" PRIu64 " remote hosts, %s packets, %s bytes, peak %s packets/s",
	    in->remote_hosts, ns_fmt_si(a, sizeof(a), (double)in->packets),
	    ns_fmt_si(b, sizeof(b), (double)in->bytes), ns_fmt_si(d, sizeof(d), in->peak_pps));
	cv_line(c, A_NORMAL, "From %s to %s (%s)", tui_clock(t0, sizeof(t0), in->first),
	    tui_clock(t1, sizeof(t1), in->last), ns_fmt_duration(a, sizeof(a), in->last - in->first));
	for (int i = 0; i < in->n_evidence && i < (int)NS_ARRAY_LEN(in->evidence); i++)
		cv_wrap(c, 1, A_NORMAL, "- ", in->evidence[i]);
	cv_nl(c);
}

void
tui_incidents_draw(struct tui *t)
{
	struct cv c;
	attr_t ta = tui_attr(t, CP_TITLE);

	move(0, 0);
	attrset(ta);
	hline(' ', t->w);
	tui_putf(0, 0, t->w, ta | A_BOLD, "%s Incidents: %u", t->g->theirs, t->n_inc);
	t->dview = t->h - 3;
	memset(&c, 0, sizeof(c));
	c.t = t;
	c.top = 1;
	c.h = t->dview;
	c.w = t->w;
	/* Measure, clamp the scroll, draw. */
	for (unsigned i = 0; i < t->n_inc; i++)
		incident(&c, t, &t->inc[i]);
	t->dlines = c.y;
	if (t->dscroll > t->dlines - t->dview)
		t->dscroll = NS_MAX(0, t->dlines - t->dview);
	c.y = 0;
	c.scroll = t->dscroll;
	c.draw = true;
	if (t->n_inc == 0)
		tui_put(2, 2, t->w - 4, A_NORMAL, "No incidents.");
	for (unsigned i = 0; i < t->n_inc; i++)
		incident(&c, t, &t->inc[i]);
}
