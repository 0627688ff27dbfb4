/*
 * ntpsleuth: is that remote host attacking us, or answering our own NTP
 * clients? Option parsing, then the batch report or the console (tui/),
 * both driving one session (session.h).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/fwlog.h"
#include "capture/fwformat.h"
#include "common/priv.h"
#include "common/util.h"
#include "session.h"
#include "tui/console.h"

/* The command line: the session's options and main's own. */
struct ns_options {
	struct cap_config cap;
	struct ana_config ana;
	struct lk_config lk;
	const char *geoip[16];
	int n_geoip;
	char *filter;
	bool report;
	enum report_fmt report_fmt;
	double lookup_timeout;
	const char *check_server;
	struct ns_addr watch;
	bool has_watch;
	double speed;		/* replay pace for files; 0 = as fast as possible */
	bool no_color;
	double duration;	/* --duration: stop a live capture after it, s */
	struct export_opts export;	/* --export, --evidence and friends */
	bool export_fmt_given;
	const char *user;	/* -Z */
	const char *fwlog[8];	/* --fwlog */
	int n_fwlog;
	int fwlog_format;	/* --fwlog-format: index, or -1 for each line's own */
	int fwlog_tz;		/* --fwlog-tz: seconds east, or FWLOG_TZ_LOCAL */
	int fwlog_year;		/* --fwlog-year: 0 for the current one */
	const char *events;	/* --events FILE|- */
	bool events_stdout;	/* --events -: standard output is the events' */
	double started;
};

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
"  --flow udp:[ADDR]:PORT  receive NetFlow v5/v9, IPFIX and sFlow v5 from any\n"
"                          number of exporters on this UDP port (repeatable)\n"
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
"  --events FILE|-         append a JSON line to FILE ('-': standard output,\n"
"                          then no console and no report there) when a host's\n"
"                          verdict or call flag changes and when an incident\n"
"                          opens or closes (doc/events.md)\n"
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
"                          scan-ports, scan-hosts, sweep-hosts, flood-pps,\n"
"                          flood-seconds,\n"
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

static void
set_threshold(struct ana_thresholds *th, const char *arg)
{
	const char *eq = strchr(arg, '=');
	const struct ana_threshold_def *d;
	char *end;
	double v;

	if (eq == NULL)
		fatalx("--threshold wants NAME=VALUE, got \"%s\"", arg);
	v = strtod(eq + 1, &end);
	if (*end != '\0' || end == eq + 1 || v < 0)
		fatalx("--threshold %s: \"%s\" is not a non-negative number", arg, eq + 1);
	if ((d = ana_threshold_find(arg, (size_t)(eq - arg))) == NULL)
		fatalx("--threshold: no threshold named \"%.*s\" (see --help)", (int)(eq - arg), arg);
	ana_threshold_set(th, d, v);
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
	OPT_FWLOG_YEAR, OPT_FOLLOW, OPT_FLOW, OPT_FLOW_FILE, OPT_EVENTS,
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
	{ "events", required_argument, NULL, OPT_EVENTS },
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
		case OPT_EVENTS:
			o->events = optarg;
			o->events_stdout = strcmp(optarg, "-") == 0;
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
	/* One stream on standard output: the events' lines or the report, not both mixed. */
	if (o->events_stdout && o->report)
		fatalx("--events - and --report both write to standard output: give --events a FILE, "
		    "or write the summary with --export FILE");
	if (o->check_server == NULL && o->cap.file == NULL && o->cap.n_ifaces == 0 &&
	    o->n_fwlog == 0 && o->cap.n_flows + o->cap.n_flow_files == 0) {
		fprintf(stderr, "ntpsleuth: say what to look at: -i IFACE, -r FILE, --fwlog FILE or --flow udp:PORT\n");
		usage(2);
	}
}

/* A pipe on standard output whose reader closed it (poll says POLLERR). */
static bool
stdout_gone(void)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)) != 0;
}

static int
run_batch(struct ns_options *o, struct session *ses)
{
	double start = ns_now_mono();
	unsigned warned = 0;
	const char *w;

	if (session_live(ses)) {
		for (int i = 0; i < session_nsources(ses); i++) {
			struct cap_source_stats st;

			session_source_stats(ses, i, &st);
			fprintf(stderr, "ntpsleuth: %s %s (%s)\n", session_is_log(ses) ? "following" :
			    "listening on", session_source_name(ses, i), session_is_flow(ses) ?
			    "NetFlow/IPFIX/sFlow" : cap_dlt_name(st.dlt));
		}
		if (o->events_stdout)
			fprintf(stderr, "ntpsleuth: events on standard output until %s\n",
			    o->duration > 0 ? "the time is up (or Ctrl-C)" : "Ctrl-C");
		else
			fprintf(stderr, "ntpsleuth: %s\n", o->duration > 0 ?
			    "the report follows when the time is up (or on Ctrl-C)" :
			    "press Ctrl-C to stop and print the report");
	}
	while (!stop_requested) {
		if ((w = session_warning(ses, &warned)) != NULL)
			ns_warnx("%s", w);
		if (o->duration > 0 && ns_now_mono() - start >= o->duration)
			break;
		/* The events are all standard output gives: stop when its reader is gone. */
		if (o->events_stdout && (session_events_error(ses) != NULL ||
		    session_events_gone(ses) || stdout_gone()))
			break;
		if (session_pump(ses, 4096, 0, 0) == 0 && !session_wait(ses, 100))
			break;
	}
	if ((w = session_warning(ses, &warned)) != NULL)
		ns_warnx("%s", w);
	session_finish(ses);
	/* Standard output carries the events: the summary goes to --export only. */
	if (!o->events_stdout)
		session_report(ses, stdout, o->report_fmt);
	if (session_error(ses) != NULL) {
		ns_warnx("%s", session_error(ses));
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
export_session(struct ns_options *o, struct session *ses, int *rc)
{
	char msg[600];

	if (o->export.path == NULL && o->export.evidence_path == NULL)
		return;
	if (session_export(ses, &o->export, msg, sizeof(msg)) != 0) {
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
check_logs(struct session *ses, int *rc)
{
	const char *nothing_read = NULL;
	struct report_meta meta;

	session_meta(ses, &meta);
	for (int i = 0; i < meta.n_sources; i++) {
		const struct fwlog_stats *st = meta.sources[i].log;

		if (st != NULL && st->parsed == 0)
			nothing_read = meta.sources[i].name;
	}
	if (nothing_read != NULL) {
		ns_warnx("%s: no firewall log line of a known format was read (formats known: %s; "
		    "--fwlog-format NAME reads every line as one)", nothing_read, fwlog_format_list());
		*rc = 1;
	}
}

/* The session's part of the options. */
static void
session_config_of(const struct ns_options *o, struct session_config *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->cap = o->cap;
	sc->ana = o->ana;
	sc->lk = o->lk;
	sc->filter = o->filter;
	sc->lookup_timeout = o->lookup_timeout;
	sc->started = o->started;
	sc->events = o->events;
	/* The evidence reads the capture file again: open it while we may. */
	sc->reread = o->export.evidence_path != NULL;
}

int
main(int argc, char **argv)
{
	struct ns_options o;
	struct session_config sc;
	struct session *ses;
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
	console = !o.report && !o.events_stdout && isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
	/*
	 * A report can be tens of MB: written in 1 MiB pieces rather than
	 * stdio's 4 KiB, that is 50 system calls instead of 13,000 (glibc
	 * takes a size only with a buffer).
	 */
	if (!console && !o.events_stdout)
		setvbuf(stdout, stdout_buf, _IOFBF, sizeof(stdout_buf));
	session_config_of(&o, &sc);
	/* A report from a file reads it again for --evidence: no frames to keep. */
	sc.ana.no_frames = !console && o.cap.n_ifaces == 0 && o.cap.file != NULL &&
	    strcmp(o.cap.file, "-") != 0;
	if ((ses = session_open(&sc, err, sizeof(err))) == NULL)
		fatalx("%s", err);
	drop_privileges(&o);
	if (session_start(ses, err, sizeof(err)) != 0)
		fatalx("%s", err);
	if (console) {
		struct console_opts co = {
			.no_color = o.no_color, .speed = o.speed,
			.watch = o.watch, .has_watch = o.has_watch,
		};

		rc = console_run(ses, &co, &stop_requested);
	} else {
		rc = run_batch(&o, ses);
	}
	if (session_is_log(ses))
		check_logs(ses, &rc);
	if (session_is_flow(ses)) {
		const struct flow_stats *fs = session_flow_stats(ses);

		if (fs->file_errors > 0)
			ns_warnx("%s", fs->file_error);
		if (fs->records == 0 && !session_live(ses))
			rc = 1;
	}
	session_events_end(ses);
	if (session_events_error(ses) != NULL) {
		ns_warnx("%s", session_events_error(ses));
		if (rc == 0)
			rc = 1;
	}
	export_session(&o, ses, &rc);
	session_close(ses);
	free(o.filter);
	return rc;
}
