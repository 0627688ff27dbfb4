/*
 * Every vendor's parser against what each line must yield.
 *
 *   tests/fwlog/test_vendors [-v] [VENDOR...]
 *
 * 1. tests/fwlog/vendors/NAME.log with NAME.expect: the project's own
 *    logs, written from each vendor's published format. NAME.expect starts
 *    with "# year=2026 tz=+0000" (the context of year-less and zone-less
 *    stamps), then one row per non-blank line of NAME.log:
 *      line result format src_ip src_port dst_ip dst_port transport action
 *      in_if out_if rule timestamp event count pkts_fwd pkts_rev bytes_fwd
 *      bytes_rev bytes_total
 *    ("-" for absent, zero or empty; rows whose result is not "ok" have
 *    line, result and format only). Lines are read in order through one
 *    context, as a file is.
 * 2. ../shared/fwlogs/truth.tsv beside the source tree (real lines of
 *    public test fixtures; skipped with a message where absent): each row's
 *    line, read on its own with the year and zone of the row's timestamp,
 *    must give those fields. "other" in the action column is a line that
 *    names no action or one that is neither allow, deny nor reset.
 *
 * Prints each mismatch, then "N passed, N failed"; exits 1 on a failure.
 * With VENDOR arguments only those logs / truth vendors are checked; -v
 * prints every row.
 */
#include "config.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "capture/fwlog.h"

#define MAXCOL 24

static int verbose, pass, fail;
static char **only;
static int n_only;

static bool
wanted(const char *vendor)
{
	if (n_only == 0)
		return true;
	for (int i = 0; i < n_only; i++)
		if (strcmp(only[i], vendor) == 0)
			return true;
	return false;
}

static int
split_tabs(char *s, char **col, int max)
{
	int n = 0;

	s[strcspn(s, "\r\n")] = '\0';
	while (n < max) {
		col[n++] = s;
		s = strchr(s, '\t');
		if (s == NULL)
			break;
		*s++ = '\0';
	}
	return n;
}

/* Each line of a file, 1-based, NULL past the end or on error. */
static char **
read_lines(const char *path, int *n)
{
	FILE *f = fopen(path, "r");
	char **v = NULL, *buf = NULL;
	size_t cap = 0;
	ssize_t len;

	*n = 0;
	if (f == NULL)
		return NULL;
	while ((len = getline(&buf, &cap, f)) >= 0) {
		if (len > 0 && buf[len - 1] == '\n')
			buf[--len] = '\0';
		if (len > 0 && buf[len - 1] == '\r')	/* as fwlog_read does */
			buf[--len] = '\0';
		v = xreallocarray(v, (size_t)*n + 2, sizeof(*v));
		v[(*n)++] = xstrdup(buf);
	}
	free(buf);
	fclose(f);
	return v;
}

static void
free_lines(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static const char *
transport(uint8_t proto, char *buf, size_t len)
{
	switch (proto) {
	case 1: return "icmp";
	case 2: return "igmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 47: return "gre";
	case 50: return "esp";
	case 51: return "ah";
	case 58: return "ipv6-icmp";
	case 132: return "sctp";
	default:
		snprintf(buf, len, "%u", proto);
		return buf;
	}
}

static const char *
event_name(enum fwlog_event e)
{
	return e == FWE_CONN_START ? "start" : e == FWE_CONN_END ? "end" : "packet";
}

static const char *
result_word(enum fwlog_result r)
{
	static const char *const w[FWR__COUNT] = {
		[FWR_NO] = "no", [FWR_OK] = "ok", [FWR_NOTRAFFIC] = "notraffic",
		[FWR_CUT] = "cut", [FWR_BADADDR] = "badaddr", [FWR_BADPORT] = "badport",
		[FWR_BADFIELD] = "badfield", [FWR_TOOLONG] = "toolong",
	};

	return (unsigned)r < FWR__COUNT ? w[r] : "?";
}

/* "2026-11-24T05:01:02.000Z" or with +hh:mm: seconds since the epoch, year, offset. */
static bool
parse_iso(const char *s, double *ts, int *year, long *off)
{
	int y, mo, d, h, mi;
	double sec;
	char rest[16] = "";
	long days;

	if (sscanf(s, "%d-%d-%dT%d:%d:%lf%15s", &y, &mo, &d, &h, &mi, &sec, rest) < 6)
		return false;
	*off = 0;
	if (rest[0] == '+' || rest[0] == '-') {
		int hh = 0, mm = 0;

		if (sscanf(rest + 1, "%d:%d", &hh, &mm) < 1)
			return false;
		*off = (rest[0] == '-' ? -1 : 1) * (hh * 3600L + mm * 60L);
	}
	/* days from civil, as capture/fwlog.c does */
	{
		long yy = y - (mo <= 2), era = (yy >= 0 ? yy : yy - 399) / 400;
		long yoe = yy - era * 400;
		long doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
		long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		days = era * 146097 + doe - 719468;
	}
	*ts = (double)days * 86400.0 + h * 3600.0 + mi * 60.0 + sec - (double)*off;
	*year = y;
	return true;
}

static void
fmt_iso(double ts, char *buf, size_t len)
{
	double whole = floor(ts);
	int64_t t = (int64_t)whole;
	int ms = (int)((ts - whole) * 1000 + 0.5);
	size_t n;

	if (ms >= 1000) {
		t++;
		ms = 0;
	}
	/* "2026-11-24T05:01:02Z" */
	n = ns_fmt_utc(buf, len, t);
	if (n > 0 && buf[n - 1] == 'Z' && n + 5 < len)
		snprintf(buf + n - 1, len - n + 1, ".%03dZ", ms);
}

static const char *
dash(const char *s)
{
	return s[0] == '\0' ? "-" : s;
}

static void
u64s(char *buf, size_t len, uint64_t v)
{
	if (v == 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
}

/* The row a record gives, in the .expect columns. */
static void
record_cols(const struct fwlog_rec *r, enum fwlog_result res, char out[MAXCOL][96])
{
	char a[NS_ADDRSTRLEN], t[8];

	for (int i = 0; i < MAXCOL; i++)
		strcpy(out[i], "-");
	snprintf(out[1], 96, "%s", result_word(res));
	snprintf(out[2], 96, "%s", r->format >= 0 ? fwlog_format_name(r->format) : "-");
	if (res != FWR_OK)
		return;
	snprintf(out[3], 96, "%s", ns_addr_fmt(&r->p.src, a, sizeof(a)));
	if (r->has_sport)
		snprintf(out[4], 96, "%u", r->p.sport);
	snprintf(out[5], 96, "%s", ns_addr_fmt(&r->p.dst, a, sizeof(a)));
	if (r->has_dport)
		snprintf(out[6], 96, "%u", r->p.dport);
	snprintf(out[7], 96, "%s", transport(r->p.proto, t, sizeof(t)));
	snprintf(out[8], 96, "%s", r->action == FWA_NONE ? "-" : fwlog_action_name(r->action));
	snprintf(out[9], 96, "%s", dash(r->in_if));
	snprintf(out[10], 96, "%s", dash(r->out_if));
	snprintf(out[11], 96, "%s", dash(r->rule));
	if (r->has_ts)
		fmt_iso(r->p.ts, out[12], 96);
	snprintf(out[13], 96, "%s", event_name(r->event));
	u64s(out[14], 96, r->count > 1 ? r->count : 0);
	u64s(out[15], 96, r->pkts_fwd);
	u64s(out[16], 96, r->pkts_rev);
	u64s(out[17], 96, r->bytes_fwd);
	u64s(out[18], 96, r->bytes_rev);
	u64s(out[19], 96, r->bytes_total);
}

static const char *const expect_names[] = {
	"line", "result", "format", "src_ip", "src_port", "dst_ip", "dst_port", "transport",
	"action", "in_if", "out_if", "rule", "timestamp", "event", "count", "pkts_fwd",
	"pkts_rev", "bytes_fwd", "bytes_rev", "bytes_total",
};

static void
check_expect(const char *dir, const char *name)
{
	char path[2200], head[128];
	char **log, **exp;
	int n_log, n_exp, year = 0, seen = 0;
	long tz = 0;
	struct fwlog_ctx ctx;
	bool *listed;

	snprintf(path, sizeof(path), "%s/%s.log", dir, name);
	log = read_lines(path, &n_log);
	snprintf(path, sizeof(path), "%s/%s.expect", dir, name);
	exp = read_lines(path, &n_exp);
	if (log == NULL || exp == NULL || n_exp == 0) {
		printf("FAIL %s: cannot read %s.log or %s.expect\n", name, name, name);
		fail++;
		free_lines(log, n_log);
		free_lines(exp, n_exp);
		return;
	}
	snprintf(head, sizeof(head), "%s", exp[0]);
	{
		char sign = '+';
		int hh = 0, mm = 0;

		if (sscanf(head, "# year=%d tz=%c%2d%2d", &year, &sign, &hh, &mm) < 2) {
			printf("FAIL %s.expect: first line must be \"# year=2026 tz=+0000\"\n", name);
			fail++;
		}
		tz = (sign == '-' ? -1 : 1) * (hh * 3600L + mm * 60L);
	}
	fwlog_ctx_init(&ctx);
	ctx.year = year;
	ctx.utc_offset_s = (int)tz;
	listed = xcalloc((size_t)n_log + 1, sizeof(*listed));
	/* Lines in order through one context, as fwlog_read does. */
	for (int i = 1; i < n_exp; i++) {
		char *col[MAXCOL], want[MAXCOL][96], got[MAXCOL][96];
		struct fwlog_rec r;
		enum fwlog_result res;
		int nc, ln, bad = 0;

		if (exp[i][0] == '#' || exp[i][0] == '\0')
			continue;
		nc = split_tabs(exp[i], col, MAXCOL);
		ln = atoi(col[0]);
		if (ln < 1 || ln > n_log || ln <= seen) {
			printf("FAIL %s.expect row %d: line %d out of order or range\n", name, i + 1, ln);
			fail++;
			continue;
		}
		/* the lines skipped over are run too, to keep the context right */
		for (int k = seen + 1; k < ln; k++)
			fwlog_parse(&ctx, log[k - 1], strlen(log[k - 1]), &r);
		seen = ln;
		listed[ln] = true;
		res = fwlog_parse(&ctx, log[ln - 1], strlen(log[ln - 1]), &r);
		record_cols(&r, res, got);
		for (int c = 0; c < MAXCOL; c++)
			snprintf(want[c], 96, "%s", c < nc ? col[c] : "-");
		snprintf(got[0], 96, "%d", ln);
		for (int c = 1; c < (int)NS_ARRAY_LEN(expect_names); c++)
			if (strcmp(want[c], got[c]) != 0) {
				if (bad++ == 0)
					printf("FAIL %s.log:%d\n", name, ln);
				printf("    %s: want %s, got %s\n", expect_names[c], want[c], got[c]);
			}
		if (bad > 0)
			fail++;
		else {
			pass++;
			if (verbose)
				printf("ok   %s.log:%d %s\n", name, ln, got[1]);
		}
	}
	for (int ln = 1; ln <= n_log; ln++) {
		const char *p = log[ln - 1];

		p += strspn(p, " \t\r");
		if (!listed[ln] && *p != '\0') {
			printf("FAIL %s.log:%d has no row in %s.expect\n", name, ln, name);
			fail++;
		}
	}
	free(listed);
	free_lines(log, n_log);
	free_lines(exp, n_exp);
}

static void
check_vendor_dir(const char *srcdir)
{
	char dir[1024];
	struct dirent **ents;
	int n;

	snprintf(dir, sizeof(dir), "%s/tests/fwlog/vendors", srcdir);
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		printf("FAIL cannot read %s\n", dir);
		fail++;
		return;
	}
	for (int i = 0; i < n; i++) {
		char *name = ents[i]->d_name;
		size_t len = strlen(name);

		if (len > 7 && strcmp(name + len - 7, ".expect") == 0) {
			name[len - 7] = '\0';
			if (wanted(name))
				check_expect(dir, name);
		}
		free(ents[i]);
	}
	free(ents);
}

static const char *const truth_names[] = {
	"vendor", "file", "line_number", "src_ip", "src_port", "dst_ip", "dst_port",
	"transport", "action", "ingress_interface", "rule", "timestamp",
};

/*
 * Where a vendor's documentation disagrees with the fixture's expected
 * output, the documentation wins (../shared/fwlogs/README.md): the field,
 * the value we give and why.
 */
static const struct {
	const char *vendor, *file;
	int line;
	int col;
	const char *ours, *why;
} truth_exceptions[] = {
	{ "cisco_meraki", "test-flows.log", 2, 8, "deny",
	  "Meraki's \"Syslog Server Overview and Configuration\": for inbound rules "
	  "\"pattern: 1\" is deny (0 allow), and it shows this very line as a blocked flow; "
	  "the fixture's output says other" },
};

static bool
truth_exception(const char *vendor, const char *file, int line, int col, const char *ours)
{
	for (size_t i = 0; i < NS_ARRAY_LEN(truth_exceptions); i++)
		if (strcmp(truth_exceptions[i].vendor, vendor) == 0 &&
		    strcmp(truth_exceptions[i].file, file) == 0 &&
		    truth_exceptions[i].line == line && truth_exceptions[i].col == col &&
		    strcmp(truth_exceptions[i].ours, ours) == 0) {
			printf("note %s/%s:%d: %s %s rather than %s: %s\n", vendor, file, line,
			    truth_names[col], ours, "the fixture's", truth_exceptions[i].why);
			return true;
		}
	return false;
}

static void
check_truth(const char *srcdir)
{
	char path[1024];
	char **rows;
	int n, checked = 0;

	snprintf(path, sizeof(path), "%s/../shared/fwlogs/truth.tsv", srcdir);
	rows = read_lines(path, &n);
	if (rows == NULL) {
		printf("SKIP ../shared/fwlogs/truth.tsv is not beside the source tree: "
		    "the real vendor lines are not checked\n");
		return;
	}
	for (int i = 1; i < n; i++) {
		char *col[MAXCOL], got[MAXCOL][96], t[8], a[NS_ADDRSTRLEN];
		char lpath[2200], **lines;
		int nc, nl, ln, bad = 0, year = 2026;
		long off = 0;
		double want_ts = 0;
		struct fwlog_ctx ctx;
		struct fwlog_rec r;
		enum fwlog_result res;

		nc = split_tabs(rows[i], col, MAXCOL);
		if (nc < 12 || !wanted(col[0]))
			continue;
		snprintf(lpath, sizeof(lpath), "%s/../shared/fwlogs/%s/%s", srcdir, col[0], col[1]);
		lines = read_lines(lpath, &nl);
		ln = atoi(col[2]);
		if (lines == NULL || ln < 1 || ln > nl) {
			printf("FAIL truth row %d: cannot read line %d of %s\n", i + 1, ln, lpath);
			fail++;
			free_lines(lines, nl);
			continue;
		}
		if (strcmp(col[11], "-") != 0 && !parse_iso(col[11], &want_ts, &year, &off)) {
			printf("FAIL truth row %d: bad timestamp %s\n", i + 1, col[11]);
			fail++;
			free_lines(lines, nl);
			continue;
		}
		fwlog_ctx_init(&ctx);
		ctx.year = year;
		ctx.utc_offset_s = (int)off;
		res = fwlog_parse(&ctx, lines[ln - 1], strlen(lines[ln - 1]), &r);
		checked++;
		for (int c = 0; c < 12; c++)
			strcpy(got[c], "-");
		if (res == FWR_OK) {
			snprintf(got[3], 96, "%s", ns_addr_fmt(&r.p.src, a, sizeof(a)));
			if (r.has_sport)
				snprintf(got[4], 96, "%u", r.p.sport);
			snprintf(got[5], 96, "%s", ns_addr_fmt(&r.p.dst, a, sizeof(a)));
			if (r.has_dport)
				snprintf(got[6], 96, "%u", r.p.dport);
			snprintf(got[7], 96, "%s", transport(r.p.proto, t, sizeof(t)));
			snprintf(got[8], 96, "%s", r.action == FWA_NONE ? "other" :
			    fwlog_action_name(r.action));
			snprintf(got[9], 96, "%s", dash(r.in_if));
			snprintf(got[10], 96, "%s", dash(r.rule));
			if (r.has_ts) {
				if (strcmp(col[11], "-") != 0 && r.p.ts > want_ts - 0.0005 &&
				    r.p.ts < want_ts + 0.0005)
					snprintf(got[11], 96, "%s", col[11]);
				else
					fmt_iso(r.p.ts, got[11], 96);
			}
		} else {
			printf("FAIL %s/%s:%d: %s (format %s)\n", col[0], col[1], ln,
			    result_word(res), r.format >= 0 ? fwlog_format_name(r.format) : "none");
			fail++;
			free_lines(lines, nl);
			continue;
		}
		for (int c = 3; c < 12; c++) {
			struct ns_addr x;

			/* truth writes IPv6 in full: compare the addresses */
			if ((c == 3 || c == 5) && ns_addr_parse(&x, col[c]) == 0 &&
			    ns_addr_eq(&x, c == 3 ? &r.p.src : &r.p.dst))
				continue;
			if (strcmp(col[c], got[c]) != 0 && truth_exception(col[0], col[1], ln, c, got[c]))
				continue;
			if (strcmp(col[c], got[c]) != 0) {
				if (bad++ == 0)
					printf("FAIL %s/%s:%d (format %s)\n", col[0], col[1], ln,
					    fwlog_format_name(r.format));
				printf("    %s: want %s, got %s\n", truth_names[c], col[c], got[c]);
			}
		}
		if (bad > 0)
			fail++;
		else {
			pass++;
			if (verbose)
				printf("ok   %s/%s:%d\n", col[0], col[1], ln);
		}
		free_lines(lines, nl);
	}
	printf("truth.tsv: %d rows checked\n", checked);
	free_lines(rows, n);
}

int
main(int argc, char **argv)
{
	const char *srcdir = getenv("srcdir");
	int i = 1;

	if (srcdir == NULL || *srcdir == '\0')
		srcdir = ".";
	if (i < argc && strcmp(argv[i], "-v") == 0) {
		verbose = 1;
		i++;
	}
	only = argv + i;
	n_only = argc - i;
	check_vendor_dir(srcdir);
	check_truth(srcdir);
	printf("%d passed, %d failed\n", pass, fail);
	return fail > 0 ? 1 : 0;
}
