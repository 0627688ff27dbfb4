/*
 * capture/fwlog.c on real kernel log lines (recorded by record.sh, see
 * README.md here) and on hostile ones.
 *
 * The recorded files change when record.sh is rerun (ports, ids, times,
 * how many lines), so the checks are of two kinds: every firewall line is
 * cross-checked against a naive reading of its own text (first SRC=, DST=,
 * LEN=, SPT=, DPT=, the stamp), and each scenario's packets must have what
 * the scenario fixes (addresses, port 123, SYN only, ICMP 3/3 quoting our
 * UDP to port 124, fragment offsets...).
 */
#include "config.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "capture/fwlog.h"
#include "common/util.h"

/* cmocka's assert_float_equal() goes through float: useless for epoch times. */
#define assert_near(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ICMPV6 58

static char *
path_of(const char *name)
{
	static char buf[4096];
	const char *srcdir = getenv("srcdir");

	snprintf(buf, sizeof(buf), "%s/tests/fwlog/%s", srcdir ? srcdir : ".", name);
	return buf;
}

/* The lines of a recorded file, in memory. */
struct lines {
	char **v;
	size_t n;
};

static void
load(struct lines *l, const char *name)
{
	FILE *f = fopen(path_of(name), "r");
	char buf[8192];

	assert_non_null(f);
	l->v = NULL;
	l->n = 0;
	while (fgets(buf, sizeof(buf), f) != NULL) {
		buf[strcspn(buf, "\n")] = '\0';
		l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
		assert_non_null(l->v);
		l->v[l->n++] = strdup(buf);
	}
	fclose(f);
	assert_true(l->n > 0);
}

static void
unload(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static void
ctx_utc(struct fwlog_ctx *ctx)
{
	fwlog_ctx_init(ctx);
	ctx->year = 2026;
	ctx->utc_offset_s = 0;	/* record.sh ran with TZ unset: UTC */
}

static bool
parse(struct fwlog_ctx *ctx, const char *line, struct pkt *p)
{
	return fwlog_parse_line(ctx, line, strlen(line), p);
}

/* The text after the first " KEY=" (or "[KEY=" when bracket), up to a space. */
static bool
naive(const char *line, const char *key, char *out, size_t outlen)
{
	char pat[32];
	const char *s, *e;

	snprintf(pat, sizeof(pat), " %s=", key);
	s = strstr(line, pat);
	if (s == NULL)
		return false;
	s += strlen(pat);
	e = s + strcspn(s, " ");
	if ((size_t)(e - s) >= outlen)
		return false;
	memcpy(out, s, (size_t)(e - s));
	out[e - s] = '\0';
	return true;
}

static unsigned long
naive_num(const char *line, const char *key)
{
	char v[32];

	assert_true(naive(line, key, v, sizeof(v)));
	return strtoul(v, NULL, 10);
}

static void
assert_addr(const struct ns_addr *a, const char *text)
{
	struct ns_addr want;

	assert_int_equal(ns_addr_parse(&want, text), 0);
	assert_true(ns_addr_eq(a, &want));
}

/* Every parsed line against its own text. */
static void
cross_check(const char *line, const struct pkt *p)
{
	char v[64];

	assert_int_equal(p->err, PKT_OK);
	assert_null(p->payload);
	assert_true(naive(line, "SRC", v, sizeof(v)));
	assert_addr(&p->src, v);
	assert_true(naive(line, "DST", v, sizeof(v)));
	assert_addr(&p->dst, v);
	assert_int_equal(p->ipver, strchr(v, ':') ? 6 : 4);
	assert_int_equal(p->ip_len, naive_num(line, "LEN"));
	if ((p->proto == PROTO_TCP || p->proto == PROTO_UDP) && !p->later_fragment) {
		assert_true(p->has_ports);
		assert_int_equal(p->sport, naive_num(line, "SPT"));
		assert_int_equal(p->dport, naive_num(line, "DPT"));
	}
	if (p->later_fragment)
		assert_false(p->has_ports);
	if (p->ipver == 4 && naive(line, "ID", v, sizeof(v)))
		assert_int_equal(p->ip_id, strtoul(v, NULL, 10));
	if (strstr(line, "PROTO=TCP") != NULL)
		assert_int_equal(p->proto, PROTO_TCP);
	if (strstr(line, "PROTO=UDP") != NULL && strchr(line, '[') == NULL)
		assert_int_equal(p->proto, PROTO_UDP);
}

struct counts {
	size_t fw, noise, v4, v6;
};

/* Parse every line; firewall lines are those with our prefix. */
static void
parse_all(struct fwlog_ctx *ctx, const struct lines *l, struct pkt *out, struct counts *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < l->n; i++) {
		struct pkt p;
		bool ok = parse(ctx, l->v[i], &p);

		if (strstr(l->v[i], "FWL-") == NULL) {
			assert_false(ok);
			c->noise++;
			continue;
		}
		if (!ok)
			fail_msg("not parsed: %s", l->v[i]);
		cross_check(l->v[i], &p);
		if (p.ipver == 4)
			c->v4++;
		else
			c->v6++;
		if (out != NULL)
			out[c->fw] = p;
		c->fw++;
	}
}

/* fwlog_read's counts agree with the line-by-line ones. */
struct collect {
	struct pkt *v;
	size_t n, max;
};

static void
collect_cb(void *arg, struct pkt *p)
{
	struct collect *c = arg;

	if (c->n < c->max) {
		c->v[c->n] = *p;
		/* the rule text is the reader's, valid during the call only */
		c->v[c->n].rule = NULL;
	}
	c->n++;
}

static void
read_and_compare(const char *name, const struct counts *want, uint64_t lines)
{
	struct fwlog_ctx ctx;
	struct fwlog_stats st;
	char err[256] = "";

	ctx_utc(&ctx);
	assert_int_equal(fwlog_read(path_of(name), &ctx, NULL, NULL, &st, err, sizeof(err)), 0);
	assert_int_equal(st.lines, lines);
	assert_int_equal(st.parsed, want->fw);
	assert_int_equal(st.skipped, want->noise);
	assert_int_equal(st.ipv4, want->v4);
	assert_int_equal(st.ipv6, want->v6);
	assert_int_equal(st.untimed, 0);
	assert_int_equal(st.too_long, 0);
	if (want->noise == 0)
		assert_int_equal(st.first_skipped, 0);
}

/* Seconds since the epoch of a UTC civil time. */
static double
utc(int y, int mo, int d, int h, int mi, double s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return (double)timegm(&tm) + s;
}

static int
month_of(const char *m)
{
	static const char *names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

	for (int i = 0; i < 12; i++)
		if (strncmp(m, names[i], 3) == 0)
			return i + 1;
	fail_msg("bad month %s", m);
	return 0;
}

/* ---- the recorded files ---- */

/*
 * nft.syslog: rsyslog's traditional format, year-less stamps. The
 * nftables router: late NTP replies (prefix without a space), ICMP errors
 * quoting our UDP, SYN and UDP scans, fragments, IPv6 with "flags all";
 * the bridge's own kernel lines are skipped.
 */
static void
test_nft_syslog(void **state)
{
	struct lines l;
	struct fwlog_ctx ctx;
	struct counts c;
	struct pkt *p;
	size_t ntp = 0, syn = 0, udp = 0, icmp4 = 0, icmp6 = 0, frag4 = 0, frag6 = 0, in6 = 0;
	uint16_t ports[256];
	struct fwlog_stats st;
	char err[256];

	(void)state;
	load(&l, "nft.syslog");
	p = calloc(l.n, sizeof(*p));
	ctx_utc(&ctx);
	parse_all(&ctx, &l, p, &c);
	assert_true(c.noise >= 4);
	read_and_compare("nft.syslog", &c, l.n);

	for (size_t i = 0, k = 0; i < l.n; i++) {
		const char *s = l.v[i];
		const struct pkt *q;
		char mon[4];
		int d, h, mi, sec;

		if (strstr(s, "FWL-") == NULL)
			continue;
		q = &p[k++];
		/* "Nov 24 05:46:39 fw1 kernel: ..." */
		assert_int_equal(sscanf(s, "%3s %d %d:%d:%d", mon, &d, &h, &mi, &sec), 5);
		assert_true(q->ts == utc(2026, month_of(mon), d, h, mi, sec));

		if (strstr(s, "FWL-NFT-NTP:IN=") != NULL) {
			/* the late replies: UDP 123 to a new high port each time */
			assert_int_equal(q->proto, PROTO_UDP);
			assert_addr(&q->src, "198.51.100.10");
			assert_addr(&q->dst, "192.0.2.1");
			assert_int_equal(q->sport, 123);
			assert_true(q->dport >= 1024);
			assert_int_equal(q->ip_len, 76);
			assert_int_equal(q->payload_len, 48);
			assert_false(q->fragment);
			for (size_t j = 0; j < ntp; j++)
				assert_int_not_equal(ports[j], q->dport);
			if (ntp < NS_ARRAY_LEN(ports))
				ports[ntp++] = q->dport;
		} else if (strstr(s, "FWL-NFT-REL: ") != NULL && q->ipver == 4) {
			assert_int_equal(q->proto, PROTO_ICMP);
			assert_int_equal(q->icmp_type, 3);
			assert_int_equal(q->icmp_code, 3);
			assert_true(q->icmp_error);
			assert_false(q->has_ports);
			assert_true(q->quoted.valid);
			assert_int_equal(q->quoted.proto, PROTO_UDP);
			assert_addr(&q->quoted.src, "192.0.2.1");
			assert_addr(&q->quoted.dst, "198.51.100.10");
			assert_true(q->quoted.has_ports);
			assert_int_equal(q->quoted.dport, 124);
			assert_true(q->quoted.sport >= 1024);
			icmp4++;
		} else if (strstr(s, "FWL-NFT-REL: ") != NULL) {
			assert_int_equal(q->proto, PROTO_ICMPV6);
			assert_int_equal(q->icmp_type, 1);
			assert_int_equal(q->icmp_code, 4);
			assert_true(q->icmp_error);
			assert_true(q->quoted.valid);
			assert_int_equal(q->quoted.proto, PROTO_UDP);
			assert_addr(&q->quoted.src, "2001:db8:2::1");
			assert_addr(&q->quoted.dst, "2001:db8:51::10");
			assert_int_equal(q->quoted.dport, 124);
			icmp6++;
		} else if (strstr(s, "FWL-NFT-FRAG: ") != NULL) {
			assert_true(q->fragment);
			assert_int_equal(q->proto, PROTO_UDP);
			assert_addr(&q->dst, q->ipver == 4 ? "192.0.2.1" : "2001:db8:2::1");
			if (strstr(s, "FRAG:0 ") != NULL || strstr(s, " MF PROTO") != NULL) {
				assert_false(q->later_fragment);
				assert_int_equal(q->dport, 123);
				assert_int_equal(q->payload_len, 3000);
			} else
				assert_true(q->later_fragment);
			if (q->ipver == 4)
				frag4++;
			else
				frag6++;
		} else if (strstr(s, "FWL-NFT-IN6: ") != NULL) {
			/* "flags all": MACSRC=, MACDST= instead of MAC= */
			assert_int_equal(q->ipver, 6);
			assert_addr(&q->src, "2001:db8:113::5");
			assert_int_equal(q->ip_len, naive_num(s, "LEN"));
			in6++;
		} else if (strstr(s, "FWL-NFT-IN: ") != NULL) {
			assert_addr(&q->src, "203.0.113.5");
			assert_addr(&q->dst, "192.0.2.1");
			if (q->proto == PROTO_TCP) {
				assert_int_equal(q->tcp_flags, TCP_SYN);
				syn++;
			} else {
				assert_int_equal(q->proto, PROTO_UDP);
				assert_int_equal(q->payload_len, naive_num(strstr(s, "PROTO=UDP"), "LEN") - 8);
				udp++;
			}
		}
	}
	/* record.sh: 14 requests answered late, 30 + 20 scanned ports */
	assert_true(ntp >= 10);
	assert_true(syn >= 25);
	assert_true(udp >= 15);
	assert_int_equal(icmp4, 1);
	assert_int_equal(icmp6, 1);
	assert_int_equal(frag4, 3);
	assert_int_equal(frag6, 3);
	assert_true(in6 >= 4);

	/* the first skipped line is the first one, the bridge's */
	ctx_utc(&ctx);
	assert_int_equal(fwlog_read(path_of("nft.syslog"), &ctx, NULL, NULL, &st, err, sizeof(err)), 0);
	assert_int_equal(st.first_skipped, 1);
	assert_non_null(strstr(st.first_skipped_text, "kernel: fwlbr"));
	free(p);
	unload(&l);
}

/*
 * ipt.rfc3339: rsyslog's RFC 3339 format; iptables' LOG target with
 * --log-tcp-options --log-ip-options --log-uid --log-tcp-sequence.
 */
static void
test_ipt_rfc3339(void **state)
{
	struct lines l;
	struct fwlog_ctx ctx;
	struct counts c;
	struct pkt *p;
	size_t syn = 0, echo4 = 0, echo6 = 0, out = 0, rel = 0, ntp = 0;

	(void)state;
	load(&l, "ipt.rfc3339");
	p = calloc(l.n, sizeof(*p));
	ctx_utc(&ctx);
	ctx.utc_offset_s = -5 * 3600;	/* the stamps carry their own offset */
	parse_all(&ctx, &l, p, &c);
	read_and_compare("ipt.rfc3339", &c, l.n);
	assert_true(c.v4 > 0 && c.v6 > 0);

	for (size_t i = 0, k = 0; i < l.n; i++) {
		const char *s = l.v[i];
		const struct pkt *q;
		int y, mo, d, h, mi;
		double sec;

		if (strstr(s, "FWL-") == NULL)
			continue;
		q = &p[k++];
		/* 2026-11-24T05:47:00.881960+00:00 */
		assert_int_equal(sscanf(s, "%d-%d-%dT%d:%d:%lf", &y, &mo, &d, &h, &mi, &sec), 6);
		assert_non_null(strstr(s, "+00:00 fw1 kernel: "));
		assert_near(q->ts, utc(y, mo, d, h, mi, sec), 1e-6);

		if (q->proto == PROTO_TCP) {
			/* "SEQ=.. ACK=0 WINDOW=1024 RES=0x00 SYN URGP=0 OPT (020405B4)" */
			assert_non_null(strstr(s, " ACK=0 "));
			assert_non_null(strstr(s, " OPT ("));
			assert_int_equal(q->tcp_flags, TCP_SYN);
			syn++;
		} else if (q->proto == PROTO_ICMP && q->icmp_type == 8) {
			assert_int_equal(q->icmp_code, 0);
			assert_false(q->icmp_error);
			/* the echo identifier, as cap_decode gives it */
			assert_int_equal(q->sport, strtoul(strstr(s, "CODE=0 ID=") + 10, NULL, 10));
			assert_int_equal(q->dport, q->sport);
			echo4++;
		} else if (q->proto == PROTO_ICMPV6 && q->icmp_type == 128) {
			assert_int_equal(q->sport, strtoul(strstr(s, "CODE=0 ID=") + 10, NULL, 10));
			echo6++;
		} else if (strstr(s, "FWL-IPT-OUT: ") != NULL) {
			/* locally sent, with UID= GID= at the end */
			assert_non_null(strstr(s, "UID=0 GID=0"));
			assert_int_equal(q->dport, 124);
			assert_addr(&q->src, q->ipver == 4 ? "192.0.2.20" : "2001:db8:2::20");
			out++;
		} else if (strstr(s, "FWL-IPT-REL: ") != NULL) {
			assert_true(q->icmp_error);
			assert_true(q->quoted.valid);
			assert_int_equal(q->quoted.dport, 124);
			assert_addr(&q->quoted.src, q->ipver == 4 ? "192.0.2.20" : "2001:db8:2::20");
			rel++;
		} else if (q->proto == PROTO_UDP && q->dport == 123) {
			assert_int_equal(q->payload_len, 48);
			assert_int_equal(q->ip_len, q->ipver == 4 ? 76 : 96);
			ntp++;
		}
	}
	assert_true(syn >= 20);
	assert_int_equal(echo4, 2);
	assert_int_equal(echo6, 2);
	assert_int_equal(out, 2);
	assert_int_equal(rel, 2);
	assert_true(ntp >= 2);
	free(p);
	unload(&l);
}

/* journalctl -k (year-less), and its gzip copy read the same. */
static void
test_journal_and_gz(void **state)
{
	struct lines l;
	struct fwlog_ctx ctx;
	struct counts c;
	struct fwlog_stats st, stz;
	struct collect a = { 0 }, b = { 0 };
	char err[256];

	(void)state;
	load(&l, "ntp-late.journal");
	ctx_utc(&ctx);
	parse_all(&ctx, &l, NULL, &c);
	read_and_compare("ntp-late.journal", &c, l.n);
	assert_true(c.fw >= 12);

	a.max = b.max = c.fw;
	a.v = calloc(c.fw, sizeof(*a.v));
	b.v = calloc(c.fw, sizeof(*b.v));
	ctx_utc(&ctx);
	assert_int_equal(fwlog_read(path_of("ntp-late.journal"), &ctx, collect_cb, &a, &st, err, sizeof(err)), 0);
	ctx_utc(&ctx);
	assert_int_equal(fwlog_read(path_of("ntp-late.journal.gz"), &ctx, collect_cb, &b, &stz, err, sizeof(err)), 0);
	assert_int_equal(a.n, c.fw);
	assert_int_equal(b.n, c.fw);
	assert_int_equal(st.lines, stz.lines);
	assert_int_equal(st.skipped, stz.skipped);
	assert_int_equal(st.first_skipped, stz.first_skipped);
	assert_string_equal(st.first_skipped_text, stz.first_skipped_text);
	assert_memory_equal(a.v, b.v, c.fw * sizeof(*a.v));
	free(a.v);
	free(b.v);
	unload(&l);
}

/* journalctl -o short-iso-precise: "+0000" without a colon. */
static void
test_journal_iso(void **state)
{
	struct lines l;
	struct fwlog_ctx ctx;
	struct counts c;
	struct pkt p;

	(void)state;
	load(&l, "ipt6.journal-iso");
	ctx_utc(&ctx);
	parse_all(&ctx, &l, NULL, &c);
	read_and_compare("ipt6.journal-iso", &c, l.n);
	assert_int_equal(c.v4, 0);
	assert_true(c.v6 >= 4);
	for (size_t i = 0; i < l.n; i++) {
		int y, mo, d, h, mi;
		double sec;

		assert_true(parse(&ctx, l.v[i], &p));
		assert_int_equal(sscanf(l.v[i], "%d-%d-%dT%d:%d:%lf+0000", &y, &mo, &d, &h, &mi, &sec), 6);
		assert_near(p.ts, utc(y, mo, d, h, mi, sec), 1e-6);
		if (strstr(l.v[i], "FWL-IPT-IN: ") == NULL)
			continue;
		assert_addr(&p.src, "2001:db8:113::5");
		assert_addr(&p.dst, "2001:db8:2::20");
		/* IPv6 LEN= is payload + 40: a SYN with MSS is 24 + 40 */
		if (p.proto == PROTO_TCP)
			assert_int_equal(p.ip_len, 64);
	}
	unload(&l);
}

/* dmesg: seconds since boot, as they are. */
static void
test_dmesg(void **state)
{
	struct lines l;
	struct fwlog_ctx ctx;
	struct counts c;
	struct pkt p;

	(void)state;
	load(&l, "nft6-frag.dmesg");
	ctx_utc(&ctx);
	parse_all(&ctx, &l, NULL, &c);
	read_and_compare("nft6-frag.dmesg", &c, l.n);
	assert_true(c.v4 >= 3 && c.v6 >= 3);
	for (size_t i = 0; i < l.n; i++) {
		assert_true(parse(&ctx, l.v[i], &p));
		assert_near(p.ts, strtod(l.v[i] + 1, NULL), 1e-7);
	}
	unload(&l);
}

/* dmesg -T: "[Tue Nov 24 05:46:38 2026]", local time (UTC here). */
static void
test_dmesg_T(void **state)
{
	struct lines l;
	struct fwlog_ctx ctx;
	struct counts c;
	struct pkt p;

	(void)state;
	load(&l, "ntp-late.dmesg-T");
	ctx_utc(&ctx);
	ctx.year = 1999;	/* the stamps have their year */
	parse_all(&ctx, &l, NULL, &c);
	assert_true(c.fw >= 12);
	for (size_t i = 0; i < l.n; i++) {
		char wd[4], mon[4];
		int d, h, mi, s, y;

		assert_true(parse(&ctx, l.v[i], &p));
		assert_int_equal(sscanf(l.v[i], "[%3s %3s %d %d:%d:%d %d]", wd, mon, &d, &h, &mi, &s, &y), 7);
		assert_true(p.ts == utc(y, month_of(mon), d, h, mi, s));
	}
	unload(&l);
}

/* /dev/kmsg records: "4,2624,3874013611,-;..." in microseconds. */
static void
test_kmsg(void **state)
{
	struct lines l;
	struct fwlog_ctx ctx;
	struct counts c;
	struct pkt p;

	(void)state;
	load(&l, "udp-scan.kmsg");
	ctx_utc(&ctx);
	parse_all(&ctx, &l, NULL, &c);
	read_and_compare("udp-scan.kmsg", &c, l.n);
	assert_true(c.fw >= 15);
	for (size_t i = 0; i < l.n; i++) {
		unsigned long long usec;

		assert_true(parse(&ctx, l.v[i], &p));
		assert_int_equal(sscanf(l.v[i], "%*d,%*d,%llu,", &usec), 1);
		assert_near(p.ts, (double)usec / 1e6, 1e-7);
		assert_int_equal(p.proto, PROTO_UDP);
		assert_addr(&p.src, "203.0.113.5");
	}
	unload(&l);
}

/* ---- stamps ---- */

static const char tail[] =
    " fw1 kernel: [ 1.5] X: IN=eth0 OUT= SRC=192.0.2.9 DST=192.0.2.1 LEN=40 "
    "TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=TCP SPT=1 DPT=2 WINDOW=0 RES=0x00 ACK FIN URGP=0";

static double
ts_of(struct fwlog_ctx *ctx, const char *stamp)
{
	char line[512];
	struct pkt p;

	snprintf(line, sizeof(line), "%s%s", stamp, tail);
	assert_true(parse(ctx, line, &p));
	assert_int_equal(p.tcp_flags, TCP_ACK | TCP_FIN);
	return p.ts;
}

static void
test_yearless(void **state)
{
	struct fwlog_ctx ctx;

	(void)state;
	/* an explicit year goes up when the months wrap */
	fwlog_ctx_init(&ctx);
	ctx.year = 2025;
	ctx.utc_offset_s = 0;
	assert_true(ts_of(&ctx, "Dec 31 23:59:59") == utc(2025, 12, 31, 23, 59, 59));
	assert_true(ts_of(&ctx, "Jan  1 00:00:01") == utc(2026, 1, 1, 0, 0, 1));
	assert_true(ts_of(&ctx, "Jan  1 00:00:02.25") == utc(2026, 1, 1, 0, 0, 2.25));

	/* year 0: this year, or last year when more than a day ahead */
	fwlog_ctx_init(&ctx);
	ctx.utc_offset_s = 0;
	ctx.now = (time_t)utc(2026, 3, 1, 0, 0, 0);
	assert_true(ts_of(&ctx, "Feb 28 10:00:00") == utc(2026, 2, 28, 10, 0, 0));
	assert_true(ts_of(&ctx, "Mar  1 23:00:00") == utc(2026, 3, 1, 23, 0, 0));
	assert_true(ts_of(&ctx, "Mar  2 12:00:00") == utc(2025, 3, 2, 12, 0, 0));
	assert_true(ts_of(&ctx, "Dec 31 23:00:00") == utc(2025, 12, 31, 23, 0, 0));

	/* a fixed offset: stamps an hour east of UTC */
	ctx.utc_offset_s = 3600;
	assert_true(ts_of(&ctx, "Feb 28 10:00:00") == utc(2026, 2, 28, 9, 0, 0));
}

static void
test_zones(void **state)
{
	struct fwlog_ctx ctx;
	char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;

	(void)state;
	fwlog_ctx_init(&ctx);
	ctx.year = 2026;
	ctx.utc_offset_s = 0;
	assert_true(ts_of(&ctx, "2026-11-24T05:01:02.5+00:00") == utc(2026, 11, 24, 5, 1, 2.5));
	assert_true(ts_of(&ctx, "2026-11-24T05:01:02+02:00") == utc(2026, 11, 24, 3, 1, 2));
	assert_true(ts_of(&ctx, "2026-11-24T05:01:02-0130") == utc(2026, 11, 24, 6, 31, 2));
	assert_true(ts_of(&ctx, "2026-11-24T05:01:02Z") == utc(2026, 11, 24, 5, 1, 2));
	assert_true(ts_of(&ctx, "Tue 2026-11-24 05:01:02 UTC") == utc(2026, 11, 24, 5, 1, 2));
	assert_true(ts_of(&ctx, "<4>1 2026-11-24T05:01:02Z") == utc(2026, 11, 24, 5, 1, 2));
	assert_true(ts_of(&ctx, "Nov 24 05:01:02.000250") == utc(2026, 11, 24, 5, 1, 2.00025));
	assert_true(ts_of(&ctx, "[  12.500000]") == 12.5);
	assert_true(ts_of(&ctx, "kern  :warn  : [   7.250000]") == 7.25);
	assert_true(ts_of(&ctx, "1795496462.500000") == 1795496462.5);

	/* the process's TZ, DST followed per stamp (POSIX rule, no tzdata) */
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	fwlog_ctx_init(&ctx);
	ctx.year = 2026;
	assert_int_equal(ctx.utc_offset_s, FWLOG_TZ_LOCAL);
	assert_true(ts_of(&ctx, "Jan 15 12:00:00") == utc(2026, 1, 15, 11, 0, 0));
	assert_true(ts_of(&ctx, "Jul 15 12:00:00") == utc(2026, 7, 15, 10, 0, 0));
	assert_true(ts_of(&ctx, "[Wed Jul 15 12:00:00 2026]") == utc(2026, 7, 15, 10, 0, 0));
	assert_true(ts_of(&ctx, "2026-07-15 12:00:00") == utc(2026, 7, 15, 10, 0, 0));
	if (old != NULL) {
		setenv("TZ", old, 1);
		free(old);
	} else
		unsetenv("TZ");
	tzset();
}

/* No stamp: the previous line's time, and counted. */
static void
test_untimed(void **state)
{
	struct fwlog_ctx ctx;
	struct pkt p;
	char line[512];

	(void)state;
	ctx_utc(&ctx);
	assert_true(ts_of(&ctx, "[  99.000000]") == 99.0);
	snprintf(line, sizeof(line), "garbage%s", tail);
	assert_true(parse(&ctx, line, &p));
	assert_true(p.ts == 99.0);
}

/* Front ends' prefixes and ulogd's LOGEMU (no "kernel:"). */
static void
test_front_ends(void **state)
{
	static const char *lines[] = {
		"Nov 24 05:01:02 h kernel: [ 5.1] [UFW BLOCK] IN=eth0 OUT= MAC=00:11 SRC=192.0.2.9 "
		    "DST=192.0.2.1 LEN=76 TOS=0x00 PREC=0x00 TTL=52 ID=7 DF PROTO=UDP SPT=123 DPT=40001 LEN=56 ",
		"Nov 24 05:01:02 h kernel: FINAL_REJECT: IN=eth0 OUT= MAC=00:11 SRC=192.0.2.9 "
		    "DST=192.0.2.1 LEN=76 TOS=0x00 PREC=0x00 TTL=52 ID=7 DF PROTO=UDP SPT=123 DPT=40001 LEN=56 ",
		"Nov 24 05:01:02 h DROP IN=eth0 OUT= MAC=00:11 SRC=192.0.2.9 "
		    "DST=192.0.2.1 LEN=76 TOS=0x00 PREC=0x00 TTL=52 ID=7 DF PROTO=UDP SPT=123 DPT=40001 LEN=56 ",
	};
	struct fwlog_ctx ctx;
	struct pkt p;

	(void)state;
	ctx_utc(&ctx);
	for (size_t i = 0; i < NS_ARRAY_LEN(lines); i++) {
		assert_true(parse(&ctx, lines[i], &p));
		cross_check(lines[i], &p);
		assert_true(p.ts == utc(2026, 11, 24, 5, 1, 2));
		assert_int_equal(p.payload_len, 48);
	}
}

/* ---- hostile lines ---- */

static const char good[] =
    "Nov 24 05:01:02 h kernel: P IN=eth0 OUT= SRC=192.0.2.9 DST=192.0.2.1 LEN=76 "
    "TOS=0x00 PREC=0x00 TTL=64 ID=5 DF PROTO=UDP SPT=123 DPT=40000 LEN=56";

/* Parse from a buffer of exactly len bytes (ASan sees any over-read). */
static bool
parse_exact(struct fwlog_ctx *ctx, const char *s, size_t len, struct pkt *p)
{
	char *b = malloc(len ? len : 1);
	bool ok;

	memcpy(b, s, len);
	ok = fwlog_parse_line(ctx, b, len, p);
	free(b);
	return ok;
}

static void
test_hostile_lines(void **state)
{
	static const char *bad[] = {
		"",
		"IN=",
		"IN=eth0 OUT=",
		"x IN=eth0 OUT= SRC=",
		"x IN=eth0 OUT= SRC=192.0.2.9",
		"x IN=eth0 OUT= SRC=192.0.2.9 DST=",
		"x IN=eth0 OUT= SRC=192.0.2.9 DST=2001:db8::1 LEN=40 PROTO=TCP",
		"x IN=eth0 OUT= SRC=999.0.2.9 DST=192.0.2.1 LEN=40 PROTO=TCP",
		"x IN=eth0 OUT= SRC=192.0.2.9/24 DST=192.0.2.1 LEN=40 PROTO=TCP",
		"x IN=eth0 OUT= SRC=1111111111111111111111111111111111111111111111111111 DST=192.0.2.1",
		"x IN=eth0 OUT= ARP HTYPE=1 PTYPE=0x0800 OPCODE=1 MACSRC=00:00:00:00:00:01 IPSRC=192.0.2.9",
		"x IN=eth0 OUT= MAC=00 TRUNCATED",
		"x IN=eth0 SRC=192.0.2.9 DST=192.0.2.1 LEN=40 PROTO=TCP",
		"Nov 24 05:01:02 h sshd[1]: Failed password for SRC=192.0.2.9 DST=192.0.2.1",
		"-- No entries --",
	};
	struct fwlog_ctx ctx;
	struct pkt p;
	char buf[1024];

	(void)state;
	ctx_utc(&ctx);
	for (size_t i = 0; i < NS_ARRAY_LEN(bad); i++)
		assert_false(parse_exact(&ctx, bad[i], strlen(bad[i]), &p));

	/* every truncation of a good line: never a crash, never a wrong family */
	for (size_t n = 0; n <= strlen(good); n++)
		if (parse_exact(&ctx, good, n, &p)) {
			assert_int_equal(p.ipver, 4);
			assert_true(n > (size_t)(strstr(good, "DST=") - good) + 4);
		}

	/* an escape sequence and "IN=" inside the prefix */
	snprintf(buf, sizeof(buf), "Nov 24 05:01:02 h kernel: \x1b[31mLOGIN=x%s", strstr(good, " IN="));
	assert_true(parse(&ctx, buf, &p));
	assert_int_equal(p.sport, 123);

	/* numbers too large for their field, and huge ones */
	assert_true(parse(&ctx, "x IN=a OUT= SRC=192.0.2.9 DST=192.0.2.1 LEN=99999999999999999999999 "
	    "ID=70000 PROTO=UDP LEN=4", &p));
	assert_int_equal(p.ip_len, 20);
	assert_int_equal(p.ip_id, 0);
	assert_false(p.has_ports);
	assert_int_equal(p.payload_len, 0);
	/* a port above 65535 or not a number: the line is skipped, not half-used */
	assert_false(parse(&ctx, "x IN=a OUT= SRC=192.0.2.9 DST=192.0.2.1 LEN=76 "
	    "PROTO=UDP SPT=65536 DPT=123 LEN=56", &p));
	assert_false(parse(&ctx, "x IN=a OUT= SRC=192.0.2.9 DST=192.0.2.1 LEN=76 "
	    "PROTO=UDP SPT=123 DPT=-1 LEN=56", &p));

	/* a nested or unclosed quote is not followed */
	assert_true(parse(&ctx, "x IN=a OUT= SRC=192.0.2.9 DST=192.0.2.1 LEN=56 PROTO=ICMP TYPE=3 CODE=3 "
	    "[SRC=192.0.2.1 DST=192.0.2.7 [SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP SPT=1 DPT=2", &p));
	assert_true(p.icmp_error);
	assert_true(p.quoted.valid);
	assert_addr(&p.quoted.dst, "192.0.2.7");

	/* an ICMP error whose quote is cut short by the kernel */
	assert_true(parse(&ctx, "x IN=a OUT= SRC=192.0.2.9 DST=192.0.2.1 LEN=28 PROTO=ICMP TYPE=3 CODE=1 "
	    "INCOMPLETE [8 bytes] ", &p));
	assert_true(p.icmp_error);
	assert_false(p.quoted.valid);

	/* "Unknown Ext Hdr" ends an IPv6 dump */
	assert_true(parse(&ctx, "x IN=a OUT= SRC=2001:db8::1 DST=2001:db8::2 LEN=80 TC=0 HOPLIMIT=64 "
	    "FLOWLBL=0 Unknown Ext Hdr 60", &p));
	assert_int_equal(p.proto, 60);
	assert_int_equal(p.ip_len, 80);

	/* found by fuzz.sh: ports next to a protocol that has none */
	assert_true(parse(&ctx, "x IN=a OUT= SRC=192.0.2.9 DST=192.0.2.1 LEN=44 PROTO=CTP "
	    "SPT=53321 DPT=81 WINDOW=1024 RES=0x00 SYN URGP=0", &p));
	assert_int_equal(p.proto, 255);
	assert_false(p.has_ports);
	assert_int_equal(p.tcp_flags, 0);

	/* a PROTO the kernel prints as a number, no ports */
	assert_true(parse(&ctx, "x IN=a OUT= SRC=192.0.2.9 DST=192.0.2.1 LEN=52 PROTO=47 ", &p));
	assert_int_equal(p.proto, 47);
	assert_false(p.has_ports);
}

static char *
write_temp(const void *data, size_t len)
{
	static char name[64];
	int fd;

	strcpy(name, "/tmp/test_fwlog.XXXXXX");
	fd = mkstemp(name);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return name;
}

/* Long lines, binary junk, CRLF, no final newline, through fwlog_read. */
static const char junk[] = "\0\x01\x02\xff\xfe\x1b]0;title\x07\n";

static void
test_hostile_file(void **state)
{
	size_t big = 3 * 65536 + 17, cap = big + 65536 + 4096, n = 0;
	char *buf = malloc(cap), *name, err[256];
	struct fwlog_ctx ctx;
	struct fwlog_stats st;
	struct collect col = { 0 };
	struct pkt pk[8];

	(void)state;
	n += (size_t)sprintf(buf + n, "%s\r\n", good);			/* 1 parsed */
	memset(buf + n, 'A', big);					/* 2 too long */
	memcpy(buf + n + 100, " IN=x OUT= SRC=192.0.2.1 DST=192.0.2.2 ", 39);
	n += big;
	buf[n++] = '\n';
	memcpy(buf + n, junk, sizeof(junk) - 1);			/* 3 junk */
	n += sizeof(junk) - 1;
	n += (size_t)sprintf(buf + n, "\n   \n");				/* 4, 5 blank */
	memset(buf + n, 'B', 65536);					/* 6 exactly the limit */
	n += 65536;
	buf[n++] = '\n';
	n += (size_t)sprintf(buf + n, "%s", good);			/* 7 no newline */
	name = write_temp(buf, n);

	col.v = pk;
	col.max = NS_ARRAY_LEN(pk);
	ctx_utc(&ctx);
	assert_int_equal(fwlog_read(name, &ctx, collect_cb, &col, &st, err, sizeof(err)), 0);
	assert_int_equal(st.lines, 7);
	assert_int_equal(st.parsed, 2);
	assert_int_equal(st.blank, 2);
	assert_int_equal(st.skipped, 3);
	assert_int_equal(st.too_long, 1);
	assert_int_equal(st.first_skipped, 2);
	assert_int_equal(strlen(st.first_skipped_text), sizeof(st.first_skipped_text) - 1);
	assert_int_equal(col.n, 2);
	assert_int_equal(pk[0].dport, 40000);
	assert_int_equal(pk[1].dport, 40000);

	/* the junk line is the first skipped: printable, no escape */
	unlink(name);
	name = write_temp(junk, sizeof(junk) - 1);
	assert_int_equal(fwlog_read(name, &ctx, NULL, NULL, &st, err, sizeof(err)), 0);
	assert_int_equal(st.skipped, 1);
	assert_null(strchr(st.first_skipped_text, '\x1b'));
	assert_null(strchr(st.first_skipped_text, '\x07'));
	unlink(name);
	free(buf);
}

static void
test_errors(void **state)
{
	struct fwlog_ctx ctx;
	struct fwlog_stats st;
	char err[256], *name, *gz;
	FILE *f;
	long len;
	int fd, saved;

	(void)state;
	ctx_utc(&ctx);
	assert_int_equal(fwlog_read("/nonexistent/x.log", &ctx, NULL, NULL, &st, err, sizeof(err)), -1);
	assert_string_equal(err, "cannot open /nonexistent/x.log: No such file or directory");
	assert_int_equal(fwlog_read("/", &ctx, NULL, NULL, &st, err, sizeof(err)), -1);
	assert_string_equal(err, "cannot open /: Is a directory");

	/* a gzip file cut in half */
	f = fopen(path_of("ntp-late.journal.gz"), "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	gz = malloc((size_t)len);
	assert_int_equal(fread(gz, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	name = write_temp(gz, (size_t)len / 2);
	assert_int_equal(fwlog_read(name, &ctx, NULL, NULL, &st, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot read"));
	unlink(name);
	free(gz);

	/* "-": standard input */
	saved = dup(STDIN_FILENO);
	fd = open(path_of("udp-scan.kmsg"), O_RDONLY);
	assert_true(fd >= 0);
	dup2(fd, STDIN_FILENO);
	close(fd);
	assert_int_equal(fwlog_read("-", &ctx, NULL, NULL, &st, err, sizeof(err)), 0);
	assert_true(st.parsed > 0);
	assert_int_equal(st.parsed, st.lines);
	dup2(saved, STDIN_FILENO);
	close(saved);
}

/*
 * Random mutations of real lines (fixed seed: the same every run): bytes
 * flipped, spans deleted or repeated, cut anywhere. Under ASan an
 * over-read is a crash; the result must be a consistent packet or none.
 */
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static void
test_mutations(void **state)
{
	static const char *files[] = { "nft.syslog", "ipt.rfc3339", "udp-scan.kmsg", "nft6-frag.dmesg" };
	static const char alphabet[] = " =[]:.0123456789SRCDTPROLENIUFGMA\x1b\xff\n";
	struct fwlog_ctx ctx;
	char buf[4096];

	(void)state;
	ctx_utc(&ctx);
	for (size_t fi = 0; fi < NS_ARRAY_LEN(files); fi++) {
		struct lines l;

		load(&l, files[fi]);
		for (int iter = 0; iter < 5000; iter++) {
			const char *src = l.v[rnd((uint32_t)l.n)];
			size_t len = strlen(src);
			struct pkt p;

			memcpy(buf, src, len);
			for (int m = (int)rnd(4); m >= 0; m--) {
				size_t at = len ? rnd((uint32_t)len) : 0, span = rnd(16);

				switch (rnd(4)) {
				case 0:
					if (len)
						buf[at] = alphabet[rnd(sizeof(alphabet) - 1)];
					break;
				case 1:
					span = NS_MIN(span, len - at);
					memmove(buf + at, buf + at + span, len - at - span);
					len -= span;
					break;
				case 2:
					if (len + span < sizeof(buf) && at + span <= len) {
						memmove(buf + at + span, buf + at, len - at);
						len += span;
					}
					break;
				default:
					len = at;
				}
			}
			if (parse_exact(&ctx, buf, len, &p)) {
				assert_true(p.ipver == 4 || p.ipver == 6);
				assert_int_equal(p.src.af, p.ipver);
				assert_int_equal(p.dst.af, p.ipver);
				assert_int_equal(p.err, PKT_OK);
				if (p.quoted.valid)
					assert_int_equal(p.quoted.src.af, p.quoted.dst.af);
			}
		}
		unload(&l);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nft_syslog),
		cmocka_unit_test(test_ipt_rfc3339),
		cmocka_unit_test(test_journal_and_gz),
		cmocka_unit_test(test_journal_iso),
		cmocka_unit_test(test_dmesg),
		cmocka_unit_test(test_dmesg_T),
		cmocka_unit_test(test_kmsg),
		cmocka_unit_test(test_yearless),
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_untimed),
		cmocka_unit_test(test_front_ends),
		cmocka_unit_test(test_hostile_lines),
		cmocka_unit_test(test_hostile_file),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_mutations),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests_name("fwlog", tests, NULL, NULL);
}
