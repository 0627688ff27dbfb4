/*
 * The NTP packets we send: a mode 3 client request for --probe, and for
 * the self-check a mode 7 MON_GETLIST_1 ("monlist") and a mode 6 READVAR,
 * the two queries that NTP amplification attacks abuse (CVE-2013-5211).
 *
 * RFC 5905, the NTP header (48 bytes):
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |LI | VN  |Mode |    Stratum    |     Poll      |   Precision   |
 * |                          Root Delay                           |
 * |                        Root Dispersion                        |
 * |                          Reference ID                         |
 * |                  Reference Timestamp (64)                     |
 * |                    Origin Timestamp (64)                      |
 * |                    Receive Timestamp (64)                     |
 * |                    Transmit Timestamp (64)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Mode 7 (ntpd's private protocol, ntp_request.h), 8-byte header:
 *
 * |R|M| VN  |Mode |A|  Sequence   | Implementation|   Request     |
 * |  Err  |     Number of items   |  MBZ  |      Size of item     |
 *
 * Mode 6 (RFC 9327, control messages), 12-byte header:
 *
 * |LI | VN  |Mode |R|E|M| OpCode  |           Sequence            |
 * |            Status             |        Association ID         |
 * |            Offset             |            Count              |
 *
 * Replies are read through a bounds-checked cursor; a reply must echo
 * what we asked (our transmit timestamp, our request code, our
 * sequence) or it is ignored.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "common/cursor.h"
#include "common/ntpwire.h"
#include "common/netfmt.h"
#include "common/util.h"
#include "lookups/ntpq.h"
#include "lookups/plugin.h"

#define NTP_HDR 48
#define MODE7_HDR 8
#define MODE6_HDR 12
#define MON_GETLIST_1 42
#define IMPL_XNTPD 3
#define CTL_OP_READVAR 2
#define SELF_WAIT 2.0		/* seconds for the first reply */
#define SELF_MORE 0.5		/* and for each further fragment */
#define MAX_REPLIES 600		/* monlist sends at most 100; stop a flood */

unsigned short
ntpq_port(void)
{
	const char *env = getenv("NTPSLEUTH_NTP_PORT");
	long p;
	char *end;

	if (env == NULL || env[0] == '\0')
		return 123;
	p = strtol(env, &end, 10);
	return *end == '\0' && p > 0 && p < 65536 ? (unsigned short)p : 123;
}

/* Wait for one datagram until the monotonic deadline; its length or -1. */
static ssize_t
recv_until(int fd, uint8_t *buf, size_t len, double deadline, const atomic_bool *cancel)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double left = deadline - ns_now_mono();
		ssize_t n;
		int rc;

		if (left <= 0 || (cancel != NULL && atomic_load(cancel)))
			return -1;
		rc = poll(&pfd, 1, (int)(NS_MIN(left, 0.2) * 1000) + 1);
		if (rc < 0 && errno != EINTR)
			return -1;
		if (rc <= 0)
			continue;
		n = recv(fd, buf, len, 0);
		if (n >= 0)
			return n;
		if (errno != EINTR && errno != EAGAIN)
			return -1;	/* ICMP port unreachable: ECONNREFUSED */
	}
}

static int
udp_connect(const struct sockaddr *sa, socklen_t salen)
{
	int fd = socket(sa->sa_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, sa, salen) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
ntpq_probe(const struct sockaddr *sa, socklen_t salen, double timeout,
    const atomic_bool *cancel, struct lk_ntp *out)
{
	uint8_t req[NTP_HDR] = { 0 }, rep[512];
	uint64_t nonce;
	double t1, t4;
	int fd;

	if ((fd = udp_connect(sa, salen)) < 0) {
		lk_reason(out->reason, "probe: cannot send: %s", strerror(errno));
		return -1;
	}
	/*
	 * A client request (LI 0, VN 4, mode 3) whose transmit timestamp is
	 * random, as chrony does: the reply must echo it as its origin
	 * timestamp, and our clock stays our own.
	 */
	req[0] = 0 << 6 | 4 << 3 | 3;
	ns_random_bytes(&nonce, sizeof(nonce));
	for (int i = 0; i < 8; i++)
		req[40 + i] = (uint8_t)(nonce >> (56 - 8 * i));
	t1 = ns_now_mono();
	if (send(fd, req, sizeof(req), 0) != (ssize_t)sizeof(req)) {
		lk_reason(out->reason, "probe: cannot send: %s", strerror(errno));
		close(fd);
		return -1;
	}
	for (;;) {
		ssize_t n = recv_until(fd, rep, sizeof(rep), t1 + timeout, cancel);
		struct cur c;
		uint64_t t2, t3;
		double server;
		int stratum;

		if (n < 0) {
			if (errno == ECONNREFUSED)
				lk_reason(out->reason, "probe: nothing listens on its NTP port "
				    "(ICMP port unreachable)");
			else
				lk_reason(out->reason, "probe: no NTP answer in %.1f s", timeout);
			close(fd);
			return -1;
		}
		t4 = ns_now_mono();
		cur_init(&c, rep, (size_t)n);
		if (ntp_mode(&c) != 4 || ntp_origin_ts(&c) != nonce || c.trunc)
			continue;	/* not a reply to this request */
		stratum = ntp_stratum(&c);
		t2 = ntp_receive_ts(&c);
		t3 = ntp_transmit_ts(&c);
		/* RFC 5905 delay: round trip less the server's own holding time. */
		server = t3 >= t2 ? (double)(t3 - t2) / 4294967296.0 : 0;
		if (server > t4 - t1)
			server = 0;
		out->probed = true;
		out->probe_stratum = stratum;
		ns_refid_fmt(out->probe_refid, ntp_refid(&c), stratum, ntp_version(&c),
		    sa->sa_family == AF_INET6 ? 6 : 4);
		out->probe_delay_ms = (t4 - t1 - server) * 1000.0;
		close(fd);
		return 0;
	}
}

/* The self-check. */

struct exchange {
	bool answered;
	unsigned packets;
	size_t bytes;		/* UDP payload bytes of every reply */
	int err;		/* mode 7 error code of the first reply */
	unsigned items;
	char version[100];	/* mode 6: the server's version variable */
};

static void
mode7_monlist(int fd, struct exchange *ex)
{
	uint8_t req[48] = { 0 }, rep[2048];
	double deadline;

	/* R 0, M 0, VN 2, mode 7; no auth; nmap's 48-byte request. */
	req[0] = 2 << 3 | 7;
	req[2] = IMPL_XNTPD;
	req[3] = MON_GETLIST_1;
	if (send(fd, req, sizeof(req), 0) != (ssize_t)sizeof(req))
		return;
	deadline = ns_now_mono() + SELF_WAIT;
	while (ex->packets < MAX_REPLIES) {
		ssize_t n = recv_until(fd, rep, sizeof(rep), deadline, NULL);
		struct cur c;
		uint8_t b0;

		if (n < 0)
			break;
		cur_init(&c, rep, (size_t)n);
		b0 = ntp_b0(&c);
		if (ntp_mode(&c) != 7 || !(b0 & NTP_PRIV_RESPONSE) ||
		    ntp_priv_reqcode(&c) != MON_GETLIST_1 || c.trunc || n < MODE7_HDR)
			continue;
		if (!ex->answered)
			ex->err = ntp_priv_err(&c);
		ex->answered = true;
		ex->packets++;
		ex->bytes += (size_t)n;
		ex->items += ntp_priv_nitems(&c);
		if (!(b0 & NTP_PRIV_MORE))
			break;	/* no "more" bit: the last one */
		deadline = ns_now_mono() + SELF_MORE;
	}
}

/* Pull version="..." out of a READVAR answer. */
static void
find_version(const char *data, size_t len, char *out, size_t outlen)
{
	static const char key[] = "version=\"";
	const char *p = memmem(data, len, key, sizeof(key) - 1), *q;

	if (p == NULL)
		return;
	p += sizeof(key) - 1;
	q = memchr(p, '"', len - (size_t)(p - data));
	ns_printable(out, outlen, p, q != NULL ? (size_t)(q - p) : len - (size_t)(p - data));
}

static void
mode6_readvar(int fd, struct exchange *ex)
{
	uint8_t req[MODE6_HDR] = { 0 }, rep[2048];
	char data[8192];
	size_t have = 0;
	double deadline;
	uint16_t seq;

	ns_random_bytes(&seq, sizeof(seq));
	req[0] = 0 << 6 | 2 << 3 | 6;
	req[1] = CTL_OP_READVAR;
	req[2] = (uint8_t)(seq >> 8);
	req[3] = (uint8_t)seq;
	if (send(fd, req, sizeof(req), 0) != (ssize_t)sizeof(req))
		return;
	memset(data, 0, sizeof(data));
	deadline = ns_now_mono() + SELF_WAIT;
	while (ex->packets < MAX_REPLIES) {
		ssize_t n = recv_until(fd, rep, sizeof(rep), deadline, NULL);
		struct cur c;
		uint16_t off, count;
		uint8_t fl;

		if (n < 0)
			break;
		cur_init(&c, rep, (size_t)n);
		fl = ntp_ctl_flags(&c);
		if (ntp_mode(&c) != 6 || !(fl & NTP_CTL_RESPONSE) ||
		    ntp_ctl_opcode(&c) != CTL_OP_READVAR || ntp_ctl_seq(&c) != seq ||
		    c.trunc || n < MODE6_HDR)
			continue;
		ex->answered = true;
		ex->packets++;
		ex->bytes += (size_t)n;
		off = ntp_ctl_offset(&c);
		count = ntp_ctl_count(&c);
		if (count > n - MODE6_HDR)
			count = (uint16_t)(n - MODE6_HDR);
		if ((size_t)off + count <= sizeof(data)) {
			memcpy(data + off, rep + MODE6_HDR, count);
			have = NS_MAX(have, (size_t)off + count);
		}
		if (!(fl & NTP_CTL_MORE))
			break;	/* no "more" bit */
		deadline = ns_now_mono() + SELF_MORE;
	}
	find_version(data, have, ex->version, sizeof(ex->version));
}

/* Is "ntpd 4.2.6p5@..." older than 4.2.7p26? -1 if not ntpd or unknown. */
static int
ntpd_too_old(const char *v)
{
	unsigned a, b, c, p = 0;

	if (strncmp(v, "ntpd ", 5) != 0 || sscanf(v + 5, "%u.%u.%u", &a, &b, &c) != 3)
		return -1;
	{
		const char *pp = strchr(v + 5, 'p');
		const char *at = strchr(v + 5, '@');

		if (pp != NULL && (at == NULL || pp < at))
			sscanf(pp + 1, "%u", &p);
	}
	if (a != 4)
		return a < 4;
	if (b != 2)
		return b < 2;
	if (c != 7)
		return c < 7;
	return p < 26;
}

static int
resolve_server(const char *server, struct sockaddr_storage *ss, socklen_t *sslen,
    char *shown, size_t shownlen, FILE *out)
{
	char host[256], port[16] = "123";
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *res;
	const char *colon;
	int rc;

	if (server[0] == '[') {
		const char *close = strchr(server, ']');

		if (close == NULL || (size_t)(close - server - 1) >= sizeof(host)) {
			fprintf(out, "self-check: bad server \"%s\": use host, host:port or "
			    "[v6]:port\n", server);
			return -1;
		}
		memcpy(host, server + 1, (size_t)(close - server - 1));
		host[close - server - 1] = '\0';
		if (close[1] == ':')
			snprintf(port, sizeof(port), "%s", close + 2);
	} else if ((colon = strchr(server, ':')) != NULL && strchr(colon + 1, ':') == NULL) {
		if ((size_t)(colon - server) >= sizeof(host))
			return -1;
		memcpy(host, server, (size_t)(colon - server));
		host[colon - server] = '\0';
		snprintf(port, sizeof(port), "%s", colon + 1);
	} else {
		snprintf(host, sizeof(host), "%s", server);
	}
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		fprintf(out, "self-check: cannot resolve \"%s\" port %s: %s\n", host, port,
		    gai_strerror(rc));
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sslen = res->ai_addrlen;
	freeaddrinfo(res);
	{
		char h[NI_MAXHOST], p[NI_MAXSERV];

		getnameinfo((struct sockaddr *)ss, *sslen, h, sizeof(h), p, sizeof(p),
		    NI_NUMERICHOST | NI_NUMERICSERV);
		snprintf(shown, shownlen, ss->ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", h, p);
	}
	return 0;
}

static bool
is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
	return ss->ss_family == AF_INET6 &&
	    IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

int
lk_selfcheck(const char *server, FILE *out)
{
	struct sockaddr_storage ss;
	struct exchange m7 = { 0 }, m6 = { 0 };
	struct lk_ntp m3 = { 0 };
	socklen_t sslen;
	char shown[NI_MAXHOST + 16];
	bool vulnerable;
	int fd, old;

	if (resolve_server(server, &ss, &sslen, shown, sizeof(shown), out) != 0)
		return -1;
	fprintf(out, "Self-check of the NTP server at %s, as seen from this host:\n", shown);

	ntpq_probe((struct sockaddr *)&ss, sslen, SELF_WAIT, NULL, &m3);
	if (m3.probed)
		fprintf(out, "  mode 3 (time):      answered: stratum %d, refid %s, %.1f ms\n",
		    m3.probe_stratum, m3.probe_refid, m3.probe_delay_ms);
	else
		fprintf(out, "  mode 3 (time):      no answer (%s)\n", m3.reason);

	if ((fd = udp_connect((struct sockaddr *)&ss, sslen)) < 0) {
		fprintf(out, "self-check: cannot open a UDP socket: %s\n", strerror(errno));
		return -1;
	}
	mode7_monlist(fd, &m7);
	close(fd);
	if ((fd = udp_connect((struct sockaddr *)&ss, sslen)) < 0) {
		fprintf(out, "self-check: cannot open a UDP socket: %s\n", strerror(errno));
		return -1;
	}
	mode6_readvar(fd, &m6);
	close(fd);

	if (!m7.answered)
		fprintf(out, "  mode 7 monlist:     no answer (good)\n");
	else if (m7.items == 0)
		fprintf(out, "  mode 7 monlist:     ANSWERED with error %d and no data: %u "
		    "packet(s), %zu bytes for our 48-byte request (x%.1f)\n", m7.err,
		    m7.packets, m7.bytes, m7.bytes / 48.0);
	else
		fprintf(out, "  mode 7 monlist:     ANSWERED: %u packets, %u addresses, %zu bytes "
		    "for our 48-byte request: amplification x%.1f (x%.0f for the 8-byte "
		    "requests attack tools send)\n", m7.packets, m7.items, m7.bytes,
		    m7.bytes / 48.0, m7.bytes / 8.0);
	if (!m6.answered)
		fprintf(out, "  mode 6 READVAR:     no answer (good)\n");
	else
		fprintf(out, "  mode 6 READVAR:     ANSWERED: %u packet(s), %zu bytes for our "
		    "12-byte request: amplification x%.1f%s%s%s\n", m6.packets, m6.bytes,
		    m6.bytes / 12.0, m6.version[0] ? "; version \"" : "", m6.version,
		    m6.version[0] ? "\"" : "");

	if (is_loopback(&ss))
		fprintf(out, "  note: this asked over loopback; ntpd configurations often trust "
		    "127.0.0.1 more than the world. Check the server's public address, "
		    "ideally from outside.\n");

	vulnerable = m7.items > 0 || m6.answered || (m7.answered && m7.bytes > 48);
	if (!vulnerable && !m3.probed && !m7.answered) {
		fprintf(out, "Verdict: cannot tell: it answered no NTP query at all. Is an NTP "
		    "server running there, on that port?\n");
		return -1;
	}
	if (!vulnerable) {
		fprintf(out, "Verdict: OK: it does not answer monlist or mode 6 queries from "
		    "here, so it cannot be used to amplify traffic this way.\n");
		return 0;
	}
	fprintf(out, "Verdict: VULNERABLE: it can be used for NTP amplification "
	    "(CVE-2013-5211)%s.\n", m6.answered && m7.items == 0 ?
	    " through mode 6 queries" : "");
	fprintf(out, "Fix, in ntp.conf:\n"
	    "    restrict default kod limited nomodify notrap nopeer noquery\n"
	    "    restrict -6 default kod limited nomodify notrap nopeer noquery\n"
	    "    disable monitor\n"
	    "  then restart ntpd, and run this check again.\n");
	old = ntpd_too_old(m6.version);
	if (m7.answered || old != 0)
		fprintf(out, "  Upgrade ntpd past 4.2.7p26 (monlist was removed there)%s; "
		    "ntpsec and chrony do not answer mode 7 at all.\n",
		    old == 1 ? ": this one is older" : "");
	return 1;
}
