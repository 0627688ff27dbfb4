/*
 * Where flow records come from: UDP sockets that exporters send to
 * (--flow udp:[ADDR]:PORT), IPFIX files (RFC 5655: IPFIX messages one
 * after another, --flow-file), and nfdump's nfcapd files, read through
 * `nfdump -r FILE -o json` (Debian's nfdump) rather than a reader of
 * nfdump's own format, which changes between its versions.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "capture/flow.h"
#include "common/util.h"

/* An nfcapd file starts with this magic, little-endian (nffileV2.h: 0xA50C). */
#define NFCAPD_MAGIC0 0x0c
#define NFCAPD_MAGIC1 0xa5
/* A JSON record of nfdump is about 700 bytes; a longer one is refused. */
#define NFDUMP_MAX_OBJECT 16384
/* Held records are flushed after this long without a datagram. */
#define IDLE_FLUSH_S 0.3

enum file_kind { FK_IPFIX, FK_NFCAPD };

struct flow_file {
	char *path;
	int fd;
	enum file_kind kind;
};

struct flow_src {
	int fd[FLOW_MAX_SPECS];
	char *udp[FLOW_MAX_SPECS];
	int n_udp;
	struct flow_file file[FLOW_MAX_SPECS];
	int n_files;
	char name[512];
	struct flow_dec *dec;
	struct flow_feed *feed;
};

int
flow_spec_parse(const char *spec, struct ns_addr *addr, bool *any, uint16_t *port, char *err,
    size_t errlen)
{
	char host[64];
	const char *s, *colon;
	char *end;
	unsigned long v;

	memset(addr, 0, sizeof(*addr));
	*any = true;
	if (strncmp(spec, "udp:", 4) != 0)
		goto bad;
	s = spec + 4;
	colon = strrchr(s, ':');
	if (colon != NULL) {
		size_t n = (size_t)(colon - s);

		if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
			s++;
			n -= 2;
		}
		if (n == 0 || n >= sizeof(host))
			goto bad;
		memcpy(host, s, n);
		host[n] = '\0';
		if (ns_addr_parse(addr, host) != 0)
			goto bad;
		*any = false;
		s = colon + 1;
	}
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v == 0 || v > 65535)
		goto bad;
	*port = (uint16_t)v;
	return 0;
bad:
	snprintf(err, errlen, "--flow %s: say udp:PORT, udp:ADDR:PORT or udp:[IPV6]:PORT "
	    "(e.g. udp:2055, udp:192.0.2.1:4739)", spec);
	return -1;
}

static int
open_udp(const char *spec, char *err, size_t errlen)
{
	struct ns_addr a;
	bool any;
	uint16_t port;
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, one = 1, zero = 0, buf = 4 << 20;

	if (flow_spec_parse(spec, &a, &any, &port, err, errlen) != 0)
		return -1;
	memset(&ss, 0, sizeof(ss));
	if (!any && a.af == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, a.b, 4);
		sl = sizeof(*sin);
	} else {
		/* Any address: one IPv6 socket that takes IPv4 too. */
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		if (!any)
			memcpy(&sin6->sin6_addr, a.b, 16);
		else
			sin6->sin6_addr = in6addr_any;
		sl = sizeof(*sin6);
	}
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 && ss.ss_family == AF_INET6 && any) {
		/* No IPv6 here: IPv4 only. */
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		memset(&ss, 0, sizeof(ss));
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sl = sizeof(*sin);
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	}
	if (fd < 0) {
		snprintf(err, errlen, "--flow %s: cannot make a UDP socket: %s", spec, strerror(errno));
		return -1;
	}
	if (ss.ss_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* Exporters send in bursts when flows expire: room for a burst. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0) {
		snprintf(err, errlen, "--flow %s: cannot listen on UDP port %u: %s%s", spec, port,
		    strerror(errno), errno == EADDRINUSE ? " (is nfcapd or another collector on it?)" :
		    errno == EACCES ? " (ports below 1024 need root)" : "");
		close(fd);
		return -1;
	}
	return fd;
}

static int
open_file(struct flow_file *f, const char *path, char *err, size_t errlen)
{
	uint8_t m[2];
	ssize_t r;

	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0) {
		snprintf(err, errlen, "cannot open flow file %s: %s", path, strerror(errno));
		return -1;
	}
	r = pread(f->fd, m, 2, 0);
	if (r == 2 && m[0] == 0 && m[1] == 10) {
		f->kind = FK_IPFIX;
	} else if (r == 2 && m[0] == NFCAPD_MAGIC0 && m[1] == NFCAPD_MAGIC1) {
		f->kind = FK_NFCAPD;
	} else {
		snprintf(err, errlen, "flow file %s is neither IPFIX (RFC 5655) nor nfcapd's: "
		    "it starts with %s", path, r == 2 ? "other bytes" : "nothing");
		close(f->fd);
		f->fd = -1;
		return -1;
	}
	f->path = xstrdup(path);
	return 0;
}

struct flow_src *
flow_src_open(const char *const *udp, int n_udp, const char *const *files, int n_files,
    char *err, size_t errlen)
{
	struct flow_src *s = xcalloc(1, sizeof(*s));
	size_t o = 0;

	for (int i = 0; i < FLOW_MAX_SPECS; i++) {
		s->fd[i] = -1;
		s->file[i].fd = -1;
	}
	o += (size_t)snprintf(s->name, sizeof(s->name), "flows");
	for (int i = 0; i < n_udp && i < FLOW_MAX_SPECS; i++) {
		if ((s->fd[i] = open_udp(udp[i], err, errlen)) < 0)
			goto fail;
		s->udp[i] = xstrdup(udp[i]);
		s->n_udp++;
		if (o < sizeof(s->name))
			o += (size_t)snprintf(s->name + o, sizeof(s->name) - o, "%s %s", i ? "," : "",
			    udp[i]);
	}
	for (int i = 0; i < n_files && i < FLOW_MAX_SPECS; i++) {
		if (open_file(&s->file[i], files[i], err, errlen) != 0)
			goto fail;
		s->n_files++;
		if (o < sizeof(s->name))
			o += (size_t)snprintf(s->name + o, sizeof(s->name) - o, "%s %s",
			    s->n_udp || i ? "," : "", files[i]);
	}
	s->dec = flow_dec_new(NULL);
	return s;
fail:
	flow_src_free(s);
	return NULL;
}

void
flow_src_free(struct flow_src *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < FLOW_MAX_SPECS; i++) {
		if (s->fd[i] >= 0)
			close(s->fd[i]);
		free(s->udp[i]);
		if (s->file[i].fd >= 0)
			close(s->file[i].fd);
		free(s->file[i].path);
	}
	flow_feed_free(s->feed);
	flow_dec_free(s->dec);
	free(s);
}

bool
flow_src_live(const struct flow_src *s)
{
	return s->n_udp > 0;
}

const char *
flow_src_name(const struct flow_src *s)
{
	return s->name;
}

static void
on_rec(void *arg, const struct flow_rec *r)
{
	flow_feed_add(arg, r);
}

static double
now_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
file_error(struct flow_stats *st, const char *fmt, const char *path, const char *what)
{
	st->file_errors++;
	if (st->file_error[0] == '\0')
		snprintf(st->file_error, sizeof(st->file_error), fmt, path, what);
}

/* RFC 5655: messages one after another, each its own length. */
static void
read_ipfix_file(struct flow_src *s, struct flow_file *f, const _Atomic bool *stop)
{
	struct flow_stats *st = flow_dec_counters(s->dec);
	static const struct ns_addr none;
	uint8_t *buf = xmalloc(65536);
	uint64_t msgs = 0;

	while (!atomic_load_explicit(stop, memory_order_relaxed)) {
		size_t got = ns_read_full(f->fd, buf, 16, -1);
		uint16_t len;
		int n;

		if (got == 0)
			break;
		len = got >= 4 ? (uint16_t)(buf[2] << 8 | buf[3]) : 0;
		if (got < 16 || buf[0] != 0 || buf[1] != 10 || len < 16) {
			file_error(st, "%s: %s", f->path, "not an IPFIX message where one should start: the rest is not read");
			break;
		}
		if (ns_read_full(f->fd, buf + 16, len - 16u, -1) != len - 16u) {
			file_error(st, "%s: %s", f->path, "the last IPFIX message is cut short");
			break;
		}
		msgs++;
		n = flow_dec_message(s->dec, &none, 0, buf, len, 0, false, on_rec, s->feed);
		st->file_records += n > 0 ? (uint64_t)n : 0;
	}
	(void)msgs;
	free(buf);
}

/* "2026-11-24T05:09:51.899", UTC (nfdump runs with TZ=UTC). */
static double
parse_time(const char *t)
{
	struct tm tm;
	const char *rest;
	double frac = 0;

	if (t == NULL)
		return 0;
	memset(&tm, 0, sizeof(tm));
	rest = strptime(t, "%Y-%m-%dT%H:%M:%S", &tm);
	if (rest == NULL)
		return 0;
	if (*rest == '.')
		frac = strtod(rest, NULL);
	return (double)timegm(&tm) + frac;
}

static uint64_t
json_num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) && v->valuedouble >= 0 ? (uint64_t)v->valuedouble : 0;
}

static const char *
json_text(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* One JSON object of nfdump's output as a flow record. */
static bool
nfdump_record(struct flow_src *s, const char *text)
{
	cJSON *o = cJSON_Parse(text);
	struct flow_rec r;
	const char *a, *b, *flags, *router;
	struct ns_addr ra;
	char buf[NS_ADDRSTRLEN];
	bool ok = false;

	if (o == NULL)
		return false;
	memset(&r, 0, sizeof(r));
	a = json_text(o, "src4_addr");
	b = json_text(o, "dst4_addr");
	if (a == NULL || b == NULL) {
		a = json_text(o, "src6_addr");
		b = json_text(o, "dst6_addr");
	}
	if (a == NULL || b == NULL || ns_addr_parse(&r.src, a) != 0 || ns_addr_parse(&r.dst, b) != 0)
		goto out;
	r.ipver = r.src.af;
	r.proto = (uint8_t)json_num(o, "proto");
	r.sport = (uint16_t)json_num(o, "src_port");
	r.dport = (uint16_t)json_num(o, "dst_port");
	r.has_ports = r.proto == IPPROTO_TCP || r.proto == IPPROTO_UDP;
	if (r.proto == IPPROTO_ICMP || r.proto == IPPROTO_ICMPV6) {
		r.icmp_type = (uint8_t)json_num(o, "icmp_type");
		r.icmp_code = (uint8_t)json_num(o, "icmp_code");
	}
	/* "...A.R..": CWR ECE URG ACK PSH RST SYN FIN, a letter where set. */
	if ((flags = json_text(o, "tcp_flags")) != NULL && strlen(flags) == 8)
		for (int i = 0; i < 8; i++)
			if (flags[i] != '.')
				r.tcp_flags |= (uint8_t)(0x80 >> i);
	/* nfcapd has already scaled the counts by the sampling it learned. */
	r.pkts = json_num(o, "in_packets");
	r.octets = json_num(o, "in_bytes");
	r.pkts = r.pkts == 0 ? 1 : r.pkts;
	r.sampling = 1;
	r.start = parse_time(json_text(o, "first"));
	r.end = parse_time(json_text(o, "last"));
	if (r.end <= 0) {
		/* nfcapd stores 0 when it could not place a flow in time. */
		flow_dec_counters(s->dec)->no_time++;
		ok = true;
		goto out;
	}
	if (r.start <= 0 || r.start > r.end)
		r.start = r.end;
	r.in_if = (uint32_t)json_num(o, "input_snmp");
	r.out_if = (uint32_t)json_num(o, "output_snmp");
	router = json_text(o, "ip4_router");
	if (router == NULL)
		router = json_text(o, "ip6_router");
	if (router != NULL && ns_addr_parse(&ra, router) == 0)
		snprintf(r.via, sizeof(r.via), "exporter %s", ns_addr_fmt(&ra, buf, sizeof(buf)));
	else
		snprintf(r.via, sizeof(r.via), "nfdump");
	flow_feed_add(s->feed, &r);
	flow_dec_counters(s->dec)->records++;
	ok = true;
out:
	cJSON_Delete(o);
	return ok;
}

/*
 * nfdump's JSON: an array of objects, each opened by a line "{" and
 * closed by "}" or "},". Each object is parsed on its own, so the output
 * is never held whole; one longer than NFDUMP_MAX_OBJECT is skipped.
 */
static void
read_nfcapd_file(struct flow_src *s, struct flow_file *f, const _Atomic bool *stop)
{
	struct flow_stats *st = flow_dec_counters(s->dec);
	/* Writable copies: posix_spawn takes char *const[] (-Wwrite-strings). */
	char a0[] = "nfdump", a1[] = "-r", a2[] = "/dev/fd/3", a3[] = "-o", a4[] = "json";
	char e0[] = "TZ=UTC", e1[] = "LC_ALL=C", e2[] = "PATH=/usr/local/bin:/usr/bin:/bin";
	/*
	 * The file opened while privileges lasted, as nfdump's descriptor 3:
	 * nfdump runs as the -Z user, who may not reach the file's folder.
	 */
	char *argv[] = { a0, a1, a2, a3, a4, NULL };
	char *envp[] = { e0, e1, e2, NULL };
	posix_spawn_file_actions_t fa;
	int pfd[2], status = 0;
	pid_t pid;
	FILE *in;
	char line[4096], *obj = xmalloc(NFDUMP_MAX_OBJECT);
	size_t on = 0;
	bool inside = false, skip = false;
	int rc;

	if (pipe2(pfd, O_CLOEXEC) != 0) {
		file_error(st, "%s: cannot run nfdump: %s", f->path, strerror(errno));
		free(obj);
		return;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, f->fd, 3);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	rc = posix_spawnp(&pid, "nfdump", &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (rc != 0) {
		file_error(st, "%s: %s", f->path, rc == ENOENT ?
		    "nfdump is not installed (Debian: apt-get install nfdump): this nfcapd file is skipped" :
		    strerror(rc));
		close(pfd[0]);
		free(obj);
		return;
	}
	in = fdopen(pfd[0], "r");
	while (in != NULL && fgets(line, sizeof(line), in) != NULL) {
		size_t n = strlen(line);

		if (atomic_load_explicit(stop, memory_order_relaxed)) {
			kill(pid, SIGTERM);
			break;
		}
		if (!inside) {
			if (line[0] == '{') {
				inside = true;
				skip = false;
				on = 0;
			} else {
				continue;
			}
		}
		if (!skip && on + n < NFDUMP_MAX_OBJECT) {
			memcpy(obj + on, line, n);
			on += n;
		} else {
			skip = true;
		}
		if (line[0] == '}') {
			inside = false;
			if (skip) {
				st->file_errors++;
				continue;
			}
			while (on > 0 && (obj[on - 1] == '\n' || obj[on - 1] == ',' || obj[on - 1] == '\r'))
				on--;
			obj[on] = '\0';
			if (nfdump_record(s, obj))
				st->file_records++;
		}
	}
	if (in != NULL)
		fclose(in);
	else
		close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		file_error(st, "%s: %s", f->path, "nfdump failed on it (is it an nfcapd file of this nfdump's version?)");
	free(obj);
}

/* Every datagram waiting on fd. */
static void
drain(struct flow_src *s, int fd, uint8_t *buf, size_t len)
{
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		ssize_t r = recvfrom(fd, buf, len, MSG_TRUNC, (struct sockaddr *)&ss, &sl);
		struct ns_addr a;
		uint16_t port = 0;

		if (r < 0)
			return;
		memset(&a, 0, sizeof(a));
		if (ss.ss_family == AF_INET) {
			const struct sockaddr_in *sin = (const struct sockaddr_in *)&ss;

			ns_addr_set4(&a, (const uint8_t *)&sin->sin_addr);
			port = ntohs(sin->sin_port);
		} else if (ss.ss_family == AF_INET6) {
			const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&ss;

			if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
				ns_addr_set4(&a, (const uint8_t *)&sin6->sin6_addr + 12);
			else
				ns_addr_set6(&a, (const uint8_t *)&sin6->sin6_addr);
			port = ntohs(sin6->sin6_port);
		}
		/* A datagram larger than the buffer was cut: its lengths say so. */
		flow_dec_message(s->dec, &a, port, buf, (size_t)r > len ? len : (size_t)r,
		    now_wall(), true, on_rec, s->feed);
	}
}

int
flow_src_run(struct flow_src *s, void (*cb)(void *, struct pkt *), void *arg,
    void (*progress)(void *, const struct flow_stats *), const _Atomic bool *stop,
    char *err, size_t errlen)
{
	struct pollfd pfd[FLOW_MAX_SPECS];
	uint8_t *buf;
	double last_dgram = ns_now_mono(), last_progress = 0;

	(void)err;
	(void)errlen;
	s->feed = flow_feed_new(cb, arg, flow_dec_counters(s->dec));
	for (int i = 0; i < s->n_files && !atomic_load(stop); i++) {
		if (s->file[i].kind == FK_IPFIX)
			read_ipfix_file(s, &s->file[i], stop);
		else
			read_nfcapd_file(s, &s->file[i], stop);
	}
	flow_feed_flush(s->feed);
	if (progress != NULL)
		progress(arg, flow_dec_stats(s->dec));
	buf = xmalloc(65536);
	for (int i = 0; i < s->n_udp; i++) {
		pfd[i].fd = s->fd[i];
		pfd[i].events = POLLIN;
	}
	while (s->n_udp > 0 && !atomic_load_explicit(stop, memory_order_relaxed)) {
		int r = poll(pfd, (nfds_t)s->n_udp, 100);
		double t = ns_now_mono();

		if (r > 0) {
			for (int i = 0; i < s->n_udp; i++)
				if (pfd[i].revents & POLLIN)
					drain(s, pfd[i].fd, buf, 65536);
			last_dgram = t;
		}
		/*
		 * An exporter sends what expired in a burst: once it pauses,
		 * what is held goes to the analysis.
		 */
		if (t - last_dgram >= IDLE_FLUSH_S)
			flow_feed_flush(s->feed);
		if (progress != NULL && t - last_progress >= 0.5) {
			progress(arg, flow_dec_stats(s->dec));
			last_progress = t;
		}
	}
	flow_feed_flush(s->feed);
	if (progress != NULL)
		progress(arg, flow_dec_stats(s->dec));
	free(buf);
	return 0;
}
