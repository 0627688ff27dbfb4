/*
 * ntpsleuth: is that remote host attacking us, or answering our own NTP
 * clients? Option parsing and the batch pipeline; the console lives in tui/.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/ana.h"
#include "analysis/export.h"
#include "analysis/report.h"
#include "capture/cap.h"
#include "capture/fwlog.h"
#include "capture/fwformat.h"
#include "common/priv.h"
#include "common/util.h"
#include "lookups/lookup.h"
#include "main.h"

static volatile sig_atomic_t stop_requested;

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void __attribute__((noreturn))
usage(int status)
{
	FILE *f = status == 0 ? stdout : stderr;

	fprintf(f,
"usage: ntpsleuth [-i IFACE]... [-r FILE] [options] [filter expression]\n"
"\n"
"Tells whether a remote host is attacking you or answering your own clients.\n"
"\n"
"Input:\n"
"  -i, --interface IFACE   capture live on IFACE (repeat for several, e.g. both\n"
"                          sides of a NAT); nflog:GROUP takes what the firewall\n"
"                          rules with \"log group GROUP\" log, with their\n"
"                          prefixes (give --local: nflog has no address)\n"
"  -r, --read FILE         read a pcap or pcapng file ('-' for standard input)\n"
"  filter expression       a BPF filter, as tcpdump takes it\n"
"  --fwlog FILE            read firewall logs instead of packets: netfilter\n"
"                          (iptables, nftables, ufw, firewalld), pfSense and\n"
"                          OPNsense, Cisco ASA/FTD/IOS/Meraki, FortiGate,\n"
"                          PAN-OS, Juniper SRX, SonicWall, Sophos, Check Point,\n"
"                          MikroTik, Windows Firewall, CEF and LEEF, each line\n"
"                          recognised on its own ('-' for standard input; .gz\n"
"                          too; repeatable)\n"
"  --fwlog-format NAME     read every line as NAME (--fwlog-format list)\n"
"  --fwlog-tz OFFSET       zone of log stamps that have none: +0100, -05:00,\n"
"                          UTC or local (default: the TZ of this process)\n"
"  --fwlog-year YEAR       year of the first year-less stamp (default: the\n"
"                          current one)\n"
"  --flow udp:[ADDR]:PORT  receive NetFlow v5/v9 and IPFIX from any number of\n"
"                          exporters on this UDP port (repeatable)\n"
"  --flow-file FILE        read flow records from an IPFIX file or an nfcapd\n"
"                          file (through nfdump) (repeatable)\n"
"  --follow                with --fwlog: go on reading the logs as they grow,\n"
"                          across rotation and truncation as tail -F does,\n"
"                          until Ctrl-C, --duration or q; a rotated file is\n"
"                          opened again as the -Z user (see ntpsleuth(1))\n"
"Output:\n"
"  --report[=FORMAT]       print the session summary and exit; FORMAT is text\n"
"                          (default), json or markdown; needs no terminal\n"
"  --duration SECONDS      stop a live capture after SECONDS and report\n"
"  --export FILE           write the session summary to FILE at the end\n"
"                          (.md Markdown, .json JSON, .txt text)\n"
"  --export-format FORMAT  markdown, json or text, whatever the name\n"
"  --evidence FILE         write the packets of the suspect hosts as pcapng,\n"
"                          named with its SHA-256 in the summary\n"
"  --evidence-host ADDR    take evidence of this host (repeatable); default:\n"
"                          hosts with an attack or unsolicited verdict\n"
"  --force                 overwrite existing files\n"
"Console:\n"
"  --watch ADDR            open on this host's details\n"
"  --speed N|max           replay a file at N times its pace (default 1)\n"
"  --no-color              no colours (also with NO_COLOR set)\n"
"Analysis:\n"
"  -l, --local CIDR        the local side (repeatable); default: the capturing\n"
"                          interfaces' addresses, or inferred from the traffic\n"
"                          (files, nflog)\n"
"  --max-hosts N           remote hosts held in memory (default 10000); when\n"
"                          full, a new host's first packet waits in a small\n"
"                          table until its second, and the least busy and least\n"
"                          suspicious are summed as 'evicted'\n"
"  --threshold NAME=VALUE  change a verdict threshold (see ntpsleuth(1)):\n"
"                          udp-timeout, udp-stream-timeout, late-horizon,\n"
"                          scan-ports, scan-hosts, flood-pps, flood-seconds,\n"
"                          amp-ratio, amp-min-bytes, reflect-min-bytes,\n"
"                          min-packets, burst-gap, call-confidence, incident-hosts\n"
"Lookups:\n"
"  --no-lookups            no reverse DNS, RDAP, GeoIP or NTP reputation\n"
"  --lookups=LIST          only these: rdns,rdap,geo,ntp\n"
"  --lookup-timeout SEC    how long --report waits for lookups (default 10)\n"
"  --rdap-url URL          query this RDAP server instead of the registries\n"
"  --geoip-db PATH         a MaxMind .mmdb database (repeatable)\n"
"  --probe                 send one NTP query to each remote host\n"
"  --check-server ADDR     check whether the NTP server ADDR[:PORT] answers\n"
"                          monlist (mode 7) or mode 6 queries, then exit\n"
"Privileges:\n"
"  -Z, --user USER         after opening the capture, become USER (default:\n"
"                          ntpsleuth if that user exists, else nobody);\n"
"                          -Z root keeps root\n"
"  -h, --help              this help\n"
"  -V, --version           the version\n");
	exit(status);
}

/*
 * stdout's buffer for a report: static, since glibc lets go of a buffer
 * given to setvbuf when it flushes the streams at exit (valgrind saw a
 * malloc'd one lost), and untouched pages of it cost nothing.
 */
static char stdout_buf[1 << 20];

static const struct {
	const char *name;
	size_t off;
	bool integer;
} threshold_names[] = {
#define T(n, f, i) { n, offsetof(struct ana_thresholds, f), i }
	T("udp-timeout", udp_timeout, false),
	T("udp-stream-timeout", udp_stream_timeout, false),
	T("late-horizon", late_horizon, false),
	T("scan-ports", scan_ports, true),
	T("scan-hosts", scan_hosts, true),
	T("flood-pps", flood_pps, false),
	T("flood-seconds", flood_seconds, false),
	T("amp-ratio", amp_ratio, false),
	T("amp-min-bytes", amp_min_bytes, true),
	T("reflect-min-bytes", reflect_min_bytes, false),
	T("min-packets", min_packets, true),
	T("burst-gap", burst_gap, false),
	T("call-confidence", call_confidence, false),
	T("incident-hosts", incident_hosts, true),
#undef T
};

static void
set_threshold(struct ana_thresholds *th, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char *end;
	double v;
	size_t i;

	if (eq == NULL)
		fatalx("--threshold wants NAME=VALUE, got \"%s\"", arg);
	v = strtod(eq + 1, &end);
	if (*end != '\0' || end == eq + 1 || v < 0)
		fatalx("--threshold %s: \"%s\" is not a non-negative number", arg, eq + 1);
	for (i = 0; i < NS_ARRAY_LEN(threshold_names); i++) {
		if (strlen(threshold_names[i].name) != (size_t)(eq - arg) ||
		    strncmp(threshold_names[i].name, arg, (size_t)(eq - arg)) != 0)
			continue;
		if (threshold_names[i].integer) {
			/* unsigned and uint64_t fields */
			if (strcmp(threshold_names[i].name, "amp-min-bytes") == 0)
				th->amp_min_bytes = (uint64_t)v;
			else
				*(unsigned *)(void *)((char *)th + threshold_names[i].off) = (unsigned)v;
		} else {
			*(double *)(void *)((char *)th + threshold_names[i].off) = v;
		}
		return;
	}
	fatalx("--threshold: no threshold named \"%.*s\" (see --help)", (int)(eq - arg), arg);
}

static unsigned long
parse_count(const char *opt, const char *s, unsigned long min, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v < min || v > max)
		fatalx("%s: \"%s\" is not a number from %lu to %lu", opt, s, min, max);
	return v;
}

static char *
join_filter(int argc, char **argv)
{
	size_t len = 1;
	char *s;
	int i;

	if (argc <= 0)
		return NULL;
	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = xcalloc(1, len);
	for (i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

enum {
	OPT_REPORT = 256, OPT_MAX_HOSTS, OPT_THRESHOLD, OPT_NO_LOOKUPS, OPT_LOOKUPS,
	OPT_LOOKUP_TIMEOUT, OPT_RDAP_URL, OPT_GEOIP_DB, OPT_PROBE, OPT_CHECK_SERVER,
	OPT_WATCH, OPT_SPEED, OPT_NO_COLOR, OPT_DURATION, OPT_EXPORT, OPT_EXPORT_FORMAT,
	OPT_FORCE, OPT_EVIDENCE, OPT_EVIDENCE_HOST, OPT_FWLOG, OPT_FWLOG_FORMAT, OPT_FWLOG_TZ,
	OPT_FWLOG_YEAR, OPT_FOLLOW, OPT_FLOW, OPT_FLOW_FILE,
};

/*
 * Once privileges are gone, the folders the export will write into must
 * still take a file: say so now, not after the session.
 */
static void
check_writable(const char *path, const char *user)
{
	char dir[4096], *slash;

	if (path == NULL)
		return;
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (access(dir, W_OK) != 0)
		fatalx("cannot write into %s as user %s: choose a folder %s can write to, or keep root with -Z root",
		    dir, user, user);
}

static const struct option longopts[] = {
	{ "interface", required_argument, NULL, 'i' },
	{ "read", required_argument, NULL, 'r' },
	{ "local", required_argument, NULL, 'l' },
	{ "report", optional_argument, NULL, OPT_REPORT },
	{ "max-hosts", required_argument, NULL, OPT_MAX_HOSTS },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "no-lookups", no_argument, NULL, OPT_NO_LOOKUPS },
	{ "lookups", required_argument, NULL, OPT_LOOKUPS },
	{ "lookup-timeout", required_argument, NULL, OPT_LOOKUP_TIMEOUT },
	{ "rdap-url", required_argument, NULL, OPT_RDAP_URL },
	{ "geoip-db", required_argument, NULL, OPT_GEOIP_DB },
	{ "probe", no_argument, NULL, OPT_PROBE },
	{ "check-server", required_argument, NULL, OPT_CHECK_SERVER },
	{ "watch", required_argument, NULL, OPT_WATCH },
	{ "speed", required_argument, NULL, OPT_SPEED },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "export", required_argument, NULL, OPT_EXPORT },
	{ "export-format", required_argument, NULL, OPT_EXPORT_FORMAT },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "evidence", required_argument, NULL, OPT_EVIDENCE },
	{ "evidence-host", required_argument, NULL, OPT_EVIDENCE_HOST },
	{ "fwlog", required_argument, NULL, OPT_FWLOG },
	{ "fwlog-format", required_argument, NULL, OPT_FWLOG_FORMAT },
	{ "fwlog-tz", required_argument, NULL, OPT_FWLOG_TZ },
	{ "fwlog-year", required_argument, NULL, OPT_FWLOG_YEAR },
	{ "follow", no_argument, NULL, OPT_FOLLOW },
	{ "flow", required_argument, NULL, OPT_FLOW },
	{ "flow-file", required_argument, NULL, OPT_FLOW_FILE },
	{ "user", required_argument, NULL, 'Z' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void
parse_args(int argc, char **argv, struct ns_options *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->ana.local_mode = ANA_LOCAL_INFER;
	ana_thresholds_default(&o->ana.th);
	o->fwlog_format = -1;
	o->fwlog_tz = FWLOG_TZ_LOCAL;
	o->lookup_timeout = 10;
	o->speed = 1;
	/* '+': stop at the first non-option, which begins the filter expression. */
	while ((c = getopt_long(argc, argv, "+i:r:l:Z:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (o->cap.n_ifaces >= CAP_MAX_SOURCES)
				fatalx("at most %d interfaces", CAP_MAX_SOURCES);
			o->cap.ifaces[o->cap.n_ifaces++] = optarg;
			break;
		case 'r':
			if (o->cap.file != NULL)
				fatalx("only one -r FILE");
			o->cap.file = optarg;
			break;
		case 'l':
			if (o->ana.n_local >= ANA_MAX_LOCAL)
				fatalx("at most %d --local networks", ANA_MAX_LOCAL);
			if (ns_cidr_parse(&o->ana.local[o->ana.n_local], optarg) != 0)
				fatalx("--local: \"%s\" is not an address or CIDR network (e.g. 192.0.2.0/24)", optarg);
			o->ana.n_local++;
			o->ana.local_mode = ANA_LOCAL_GIVEN;
			break;
		case OPT_REPORT:
			o->report = true;
			if (report_parse_format(optarg, &o->report_fmt) != 0)
				fatalx("--report=%s: the format is text, json or markdown", optarg);
			break;
		case OPT_MAX_HOSTS:
			o->ana.max_hosts = (unsigned)parse_count("--max-hosts", optarg, 16, 10000000);
			break;
		case OPT_THRESHOLD:
			set_threshold(&o->ana.th, optarg);
			break;
		case OPT_NO_LOOKUPS:
			o->lk.disable_all = true;
			break;
		case OPT_LOOKUPS:
			o->lk.enable = optarg;
			break;
		case OPT_LOOKUP_TIMEOUT:
			o->lookup_timeout = (double)parse_count("--lookup-timeout", optarg, 0, 3600);
			break;
		case OPT_RDAP_URL:
			o->lk.rdap_url = optarg;
			break;
		case OPT_GEOIP_DB:
			if (o->n_geoip >= (int)NS_ARRAY_LEN(o->geoip))
				fatalx("too many --geoip-db");
			o->geoip[o->n_geoip++] = optarg;
			break;
		case OPT_PROBE:
			o->lk.probe = true;
			break;
		case OPT_CHECK_SERVER:
			o->check_server = optarg;
			break;
		case OPT_WATCH:
			if (ns_addr_parse(&o->watch, optarg) != 0)
				fatalx("--watch: \"%s\" is not an IPv4 or IPv6 address", optarg);
			o->has_watch = true;
			break;
		case OPT_SPEED:
			if (strcmp(optarg, "max") == 0) {
				o->speed = 0;
			} else {
				char *end;

				o->speed = strtod(optarg, &end);
				if (*end != '\0' || o->speed <= 0)
					fatalx("--speed: \"%s\" is not a positive number or 'max'", optarg);
			}
			break;
		case OPT_NO_COLOR:
			o->no_color = true;
			break;
		case OPT_EXPORT:
			o->export.path = optarg;
			break;
		case OPT_EXPORT_FORMAT:
			if (report_parse_format(optarg, &o->export.fmt) != 0)
				fatalx("--export-format %s: the format is text, json or markdown", optarg);
			o->export_fmt_given = true;
			break;
		case OPT_FORCE:
			o->export.force = true;
			break;
		case OPT_EVIDENCE:
			o->export.evidence_path = optarg;
			break;
		case OPT_EVIDENCE_HOST:
			if (o->export.n_hosts >= ANA_MAX_WATCH)
				fatalx("at most %d --evidence-host", ANA_MAX_WATCH);
			if (ns_addr_parse(&o->export.hosts[o->export.n_hosts], optarg) != 0)
				fatalx("--evidence-host: \"%s\" is not an IPv4 or IPv6 address", optarg);
			o->ana.watch[o->ana.n_watch++] = o->export.hosts[o->export.n_hosts++];
			break;
		case OPT_FWLOG:
			if (o->n_fwlog >= (int)NS_ARRAY_LEN(o->fwlog))
				fatalx("at most %d --fwlog files", (int)NS_ARRAY_LEN(o->fwlog));
			o->fwlog[o->n_fwlog++] = optarg;
			break;
		case OPT_FWLOG_FORMAT:
			if (strcmp(optarg, "list") == 0) {
				for (int i = 0; fwlog_format_name(i) != NULL; i++)
					printf("%-14s %s\n", fwlog_format_name(i), fwlog_format_vendor(i));
				exit(0);
			}
			if ((o->fwlog_format = fwlog_format_find(optarg)) < 0)
				fatalx("--fwlog-format %s: not a format known here (%s)", optarg,
				    fwlog_format_list());
			break;
		case OPT_FWLOG_TZ: {
			long off;

			if (strcmp(optarg, "local") == 0)
				o->fwlog_tz = FWLOG_TZ_LOCAL;
			else if (fw_tz_offset((struct fw_span){ optarg, strlen(optarg) }, &off) &&
			    off > -86400 && off < 86400)
				o->fwlog_tz = (int)off;
			else
				fatalx("--fwlog-tz %s: say +HHMM, -HH:MM, UTC or local", optarg);
			break;
		}
		case OPT_FWLOG_YEAR:
			o->fwlog_year = (int)parse_count("--fwlog-year", optarg, 1970, 9999);
			break;
		case OPT_FOLLOW:
			o->cap.follow = true;
			break;
		case OPT_FLOW: {
			struct ns_addr a;
			bool any;
			uint16_t port;
			char msg[300];

			if (o->cap.n_flows >= CAP_MAX_SOURCES)
				fatalx("at most %d --flow sockets", CAP_MAX_SOURCES);
			if (flow_spec_parse(optarg, &a, &any, &port, msg, sizeof(msg)) != 0)
				fatalx("%s", msg);
			o->cap.flows[o->cap.n_flows++] = optarg;
			break;
		}
		case OPT_FLOW_FILE:
			if (o->cap.n_flow_files >= CAP_MAX_SOURCES)
				fatalx("at most %d --flow-file files", CAP_MAX_SOURCES);
			o->cap.flow_files[o->cap.n_flow_files++] = optarg;
			break;
		case OPT_DURATION:
			o->duration = (double)parse_count("--duration", optarg, 1, 86400 * 365);
			break;
		case 'Z':
			o->user = optarg;
			break;
		case 'h':
			usage(0);
		case 'V':
			printf("%s\n", PACKAGE_STRING);
			exit(0);
		default:
			usage(2);
		}
	}
	if (o->export.path != NULL && !o->export_fmt_given &&
	    export_format_of(o->export.path, &o->export.fmt) != 0)
		fatalx("--export %s: say the format with --export-format, or end the name in .md, .json or .txt",
		    o->export.path);
	if (o->has_watch && o->ana.n_watch < ANA_MAX_WATCH)
		o->ana.watch[o->ana.n_watch++] = o->watch;
	o->lk.geoip_dbs = o->geoip;
	o->lk.n_geoip_dbs = o->n_geoip;
	o->filter = join_filter(argc - optind, argv + optind);
	o->cap.filter = o->filter;
	if (o->n_fwlog > 0 && (o->cap.file != NULL || o->cap.n_ifaces > 0))
		fatalx("--fwlog reads firewall logs instead of packets: leave out -r and -i");
	if (o->n_fwlog > 0 && o->filter != NULL)
		fatalx("a filter expression applies to packets, not to --fwlog lines: \"%s\"", o->filter);
	if (o->cap.follow && o->n_fwlog == 0)
		fatalx("--follow reads a firewall log as it grows: give it with --fwlog FILE "
		    "(a live capture is -i IFACE)");
	if (o->n_fwlog > 0 && o->export.evidence_path != NULL)
		fatalx("--evidence needs packets; a firewall log has none (capture live with -i)");
	for (int i = 0; i < o->n_fwlog; i++)
		o->cap.logs[o->cap.n_logs++] = o->fwlog[i];
	o->cap.log_format = o->fwlog_format;
	o->cap.log_tz = o->fwlog_tz;
	o->cap.log_year = o->fwlog_year;
	if (o->cap.n_flows + o->cap.n_flow_files > 0) {
		if (o->cap.file != NULL || o->cap.n_ifaces > 0 || o->n_fwlog > 0)
			fatalx("--flow and --flow-file read flow records instead of packets or logs: "
			    "leave out -r, -i and --fwlog");
		if (o->filter != NULL)
			fatalx("a filter expression applies to packets, not to flow records: \"%s\"",
			    o->filter);
		if (o->export.evidence_path != NULL)
			fatalx("--evidence needs packets; flow records have none (capture live with -i)");
	}
	if (o->check_server == NULL && o->cap.file == NULL && o->cap.n_ifaces == 0 &&
	    o->n_fwlog == 0 && o->cap.n_flows + o->cap.n_flow_files == 0) {
		fprintf(stderr, "ntpsleuth: say what to look at: -i IFACE, -r FILE, --fwlog FILE or --flow udp:PORT\n");
		usage(2);
	}
}

void
ns_fill_meta(struct cap *cap, const struct ns_options *o, struct report_meta *m)
{
	int i;

	memset(m, 0, sizeof(*m));
	m->mode = cap_is_live(cap) ? "live" : "file";
	m->filter = o->filter;
	m->started = o->started;
	m->n_sources = NS_MIN(cap_nsources(cap), 8);
	for (i = 0; i < m->n_sources; i++) {
		struct cap_source_stats st;

		cap_stats(cap, i, &st);
		m->sources[i].name = cap_source_name(cap, i);
		m->sources[i].linktype = cap_dlt_name(st.dlt);
		m->sources[i].frames = st.frames;
		m->sources[i].kernel_drops = st.kernel_drops;
		m->sources[i].if_drops = st.if_drops;
		m->sources[i].ring_drops = st.ring_drops;
		m->sources[i].bad_ts = st.bad_ts;
		m->sources[i].first_bad_ts = st.first_bad_ts;
		m->sources[i].truncated = st.truncated;
		if (cap_is_log(cap)) {
			/* A log's frames are its records, not the packets they make. */
			const struct fwlog_stats *ls = cap_log_stats(cap, i);

			m->sources[i].frames = ls->parsed;
			m->sources[i].log_lines = ls->lines;
			m->sources[i].log_skipped = ls->skipped;
			m->sources[i].first_skipped = ls->first_skipped;
			m->sources[i].log = ls;
		}
	}
	if (cap_is_flow(cap)) {
		/* The frames of flows are the packets made of them; say the records. */
		m->sources[0].flow = cap_flow_stats(cap, 0);
		m->sources[0].frames = m->sources[0].flow->records;
		m->sources[0].linktype = "NetFlow/IPFIX";
		m->mode = "flow records";
	}
	if (cap_is_log(cap))
		m->mode = "firewall log";
	m->read_error = cap_error(cap);
}

/* Move every waiting packet from the rings into the analysis. */
unsigned
ns_pump(struct cap *cap, struct ana *ana, unsigned max, double until_ts)
{
	struct cap_slot *s;
	unsigned n = 0;
	int src;

	while (n < max && (s = cap_next(cap, &src)) != NULL) {
		if (until_ts > 0 && s->ts > until_ts)
			break;
		ana_frame(ana, src, s->dlt, s->ts, s->frameno, s->pkt, s->caplen, s->wirelen);
		cap_release(cap, src);
		n++;
	}
	return n;
}

static void
query_lookups(struct ana *ana, struct lk *lk)
{
	unsigned n = ana_nhosts(ana);
	struct ana_host_row *rows = xcalloc(n ? n : 1, sizeof(*rows));

	n = ana_hosts(ana, rows, n);
	for (unsigned i = 0; i < n; i++)
		lk_query(lk, &rows[i].addr);
	free(rows);
}

static int
run_batch(struct ns_options *o, struct cap *cap, struct ana *ana, struct lk *lk)
{
	struct report_meta meta;
	double start = ns_now_mono();
	unsigned warned = 0;
	const char *w;

	if (cap_is_live(cap)) {
		for (int i = 0; i < cap_nsources(cap); i++)
			fprintf(stderr, "ntpsleuth: %s %s (%s)\n", cap_is_log(cap) ? "following" :
			    "listening on", cap_source_name(cap, i), cap_is_flow(cap) ?
			    "NetFlow/IPFIX" : cap_dlt_name(cap_dlt(cap, i)));
		fprintf(stderr, "ntpsleuth: %s\n", o->duration > 0 ?
		    "the report follows when the time is up (or on Ctrl-C)" :
		    "press Ctrl-C to stop and print the report");
	}
	while (!stop_requested) {
		if ((w = cap_warning(cap, &warned)) != NULL)
			ns_warnx("%s", w);
		if (o->duration > 0 && ns_now_mono() - start >= o->duration)
			break;
		if (ns_pump(cap, ana, 4096, 0) == 0 && !cap_wait(cap, 100))
			break;
	}
	if ((w = cap_warning(cap, &warned)) != NULL)
		ns_warnx("%s", w);
	ana_flush(ana);
	/* report_write() brings the verdicts up to date itself. */
	if (lk != NULL) {
		query_lookups(ana, lk);
		lk_wait(lk, o->lookup_timeout);
	}
	ns_fill_meta(cap, o, &meta);
	meta.lookups = lk;
	report_write(stdout, o->report_fmt, ana, &meta);
	if (meta.read_error != NULL) {
		ns_warnx("%s", meta.read_error);
		return 1;
	}
	return 0;
}

static void
drop_privileges(const struct ns_options *o)
{
	const char *user = o->user != NULL ? o->user : ns_priv_default_user();
	char err[512];

	/* Everything is open: no more privileges before any packet is parsed. */
	if (ns_priv_drop(user, err, sizeof(err)) != 0)
		fatalx("%s", err);
	if (geteuid() != 0) {
		check_writable(o->export.path, user);
		check_writable(o->export.evidence_path, user);
	}
}

static void
export_session(struct ns_options *o, struct ana *ana, struct report_meta *meta, int *rc)
{
	char msg[600];

	if (o->export.path == NULL && o->export.evidence_path == NULL)
		return;
	if (ana_export(ana, meta, &o->export, msg, sizeof(msg)) != 0) {
		ns_warnx("export failed: %s", msg);
		if (*rc == 0)
			*rc = 1;
	} else {
		ns_warnx("%s", msg);
	}
}

/*
 * After the session: a log of which no line was understood is most
 * likely of a format not known here, and the report of it is empty.
 */
static void
check_logs(struct cap *cap, int *rc)
{
	const char *nothing_read = NULL;

	for (int i = 0; i < cap_nsources(cap); i++) {
		const struct fwlog_stats *st = cap_log_stats(cap, i);

		if (st != NULL && st->parsed == 0)
			nothing_read = cap_source_name(cap, i);
	}
	if (nothing_read != NULL) {
		ns_warnx("%s: no firewall log line of a known format was read (formats known: %s; "
		    "--fwlog-format NAME reads every line as one)", nothing_read, fwlog_format_list());
		*rc = 1;
	}
}

int
main(int argc, char **argv)
{
	struct ns_options o;
	struct cap *cap;
	struct ana *ana;
	struct lk *lk = NULL;
	char err[512];
	bool console;
	int rc;

	parse_args(argc, argv, &o);
	o.started = ns_now_wall();
	if (o.check_server != NULL) {
		rc = lk_selfcheck(o.check_server, stdout);
		return rc < 0 ? 2 : rc;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	cap = cap_open(&o.cap, err, sizeof(err));
	if (cap == NULL)
		fatalx("%s", err);
	if (cap_is_live(cap) && o.ana.local_mode == ANA_LOCAL_INFER) {
		o.ana.n_local = cap_local_addrs(cap, o.ana.local, ANA_MAX_LOCAL);
		if (o.ana.n_local > 0)
			o.ana.local_mode = ANA_LOCAL_IFACES;
	}
	console = !o.report && isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
	/*
	 * A report can be tens of MB: written in 1 MiB pieces rather than
	 * stdio's 4 KiB, that is 50 system calls instead of 13,000 (glibc
	 * takes a size only with a buffer).
	 */
	if (!console)
		setvbuf(stdout, stdout_buf, _IOFBF, sizeof(stdout_buf));
	/* A report from a file reads it again for --evidence: no frames to keep. */
	o.ana.no_frames = !console && !cap_is_live(cap) && o.cap.file != NULL &&
	    strcmp(o.cap.file, "-") != 0;
	/*
	 * Firewall logs: each logged line becomes packets without payload,
	 * and the same analysis applies; the verdicts say what a log cannot
	 * show.
	 */
	o.ana.from_log = cap_is_log(cap);
	ana = ana_new(&o.ana);
	if (!o.lk.disable_all)
		lk = lk_start(&o.lk);
	/* The evidence reads the capture file again: open it while we may. */
	if (o.export.evidence_path != NULL && o.cap.file != NULL && strcmp(o.cap.file, "-") != 0)
		o.export.reread = fopen(o.cap.file, "rb");
	drop_privileges(&o);
	if (lk != NULL && lk_run(lk) != 0) {
		lk_stop(lk);
		lk = NULL;
	}
	if (cap_start(cap) != 0)
		fatalx("cannot start the capture threads");
	if (console)
		rc = ns_console(&o, cap, ana, lk, &stop_requested);
	else
		rc = run_batch(&o, cap, ana, lk);
	if (cap_is_log(cap))
		check_logs(cap, &rc);
	if (cap_is_flow(cap)) {
		const struct flow_stats *fs = cap_flow_stats(cap, 0);

		if (fs->file_errors > 0)
			ns_warnx("%s", fs->file_error);
		if (fs->records == 0 && !cap_is_live(cap))
			rc = 1;
	}
	if (o.export.path != NULL || o.export.evidence_path != NULL) {
		struct report_meta meta;

		ana_flush(ana);
		ns_fill_meta(cap, &o, &meta);
		meta.lookups = lk;
		export_session(&o, ana, &meta, &rc);
	}
	cap_close(cap);
	if (lk != NULL)
		lk_stop(lk);
	ana_free(ana);
	if (o.export.reread != NULL)
		fclose(o.export.reread);
	free(o.filter);
	return rc;
}
