/*
 * Port-43 whois (RFC 3912), the fallback when RDAP fails: ask
 * whois.iana.org which registry holds the address ("refer:"), then ask
 * the registry. The answer is free text in each registry's own dialect;
 * we read the few keys that matter:
 *
 *   ARIN          NetRange, CIDR, NetName, NetHandle, OrgName, Country,
 *                 OrgAbuseEmail, OrgAbusePhone, ReferralServer
 *   RIPE, APNIC,  inetnum/inet6num, netname, country, org-name/descr,
 *   AFRINIC       abuse-mailbox, and the "% Abuse contact for ... is
 *                 'x'" comment
 *   LACNIC        inetnum, owner, country, and abuse-c: a handle whose
 *                 e-mail is in a later nic-hdl (or nic-hdl-br) paragraph
 *
 * An answer may list several networks (ARIN shows the parent too): the
 * most specific one wins. Bounded: WHOIS_MAX_BODY bytes, the timeout for
 * each exchange, at most three servers.
 *
 * NTPSLEUTH_WHOIS_SERVER=host:port replaces whois.iana.org (for tests);
 * it also lets referrals name any host and port. Without it, only
 * referrals to the five registries' servers are followed, on port 43, so
 * that a hostile answer cannot send us to a host or service of its
 * choosing.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/socket.h>

#include "common/util.h"
#include "lookups/plugin.h"
#include "lookups/registry.h"
#include "lookups/whois.h"

#define MAX_BLOCKS 4
#define MAX_HOPS 3

struct block {
	struct lk_rdap r;
	struct ns_addr lo, hi;
	bool have_range;
};

static bool
key_is(const char *key, size_t klen, const char *name)
{
	return strlen(name) == klen && strncasecmp(key, name, klen) == 0;
}

static void
set_once(char *dst, size_t dstlen, const char *v, size_t vlen)
{
	if (dst[0] == '\0')
		ns_printable(dst, dstlen, v, vlen);
}

/* "whois://host:port/" -> "host:port"; "host" stays. */
static void
set_refer(char *refer, size_t referlen, const char *v, size_t vlen)
{
	size_t n;

	if (refer == NULL || refer[0] != '\0')
		return;
	if (vlen >= 8 && strncasecmp(v, "whois://", 8) == 0) {
		v += 8;
		vlen -= 8;
	} else if (memchr(v, ':', vlen) != NULL && memchr(v, '/', vlen) != NULL) {
		return;		/* rwhois://, http:// ...: not ours to follow */
	}
	for (n = 0; n < vlen && (isalnum((unsigned char)v[n]) || v[n] == '.' ||
	    v[n] == '-' || v[n] == ':' || v[n] == '[' || v[n] == ']'); n++)
		;
	if (n > 0)
		ns_printable(refer, referlen, v, n);
}

static void
abuse_comment(const char *line, size_t len, struct lk_rdap *r)
{
	/* % Abuse contact for '193.0.0.0 - 193.0.7.255' is 'abuse@ripe.net' */
	static const char tag[] = "Abuse contact for";
	const char *p, *q, *end = line + len;

	if (len < sizeof(tag) + 4 || (p = memmem(line, len, tag, sizeof(tag) - 1)) == NULL)
		return;
	if ((p = memmem(p, (size_t)(end - p), " is '", 5)) == NULL)
		return;
	p += 5;
	if ((q = memchr(p, '\'', (size_t)(end - p))) != NULL && q > p)
		reg_add_abuse(r, p, (size_t)(q - p));
}

static void
field(struct block *b, struct lk_rdap *pre, const char *k, size_t klen,
    const char *v, size_t vlen, char *refer, size_t referlen)
{
	struct lk_rdap *r = &b->r;
	char buf[128];

	if (key_is(k, klen, "refer") || key_is(k, klen, "whois") ||
	    key_is(k, klen, "ReferralServer")) {
		set_refer(refer, referlen, v, vlen);
	} else if (key_is(k, klen, "netname") || key_is(k, klen, "NetName")) {
		set_once(r->name, sizeof(r->name), v, vlen);
	} else if (key_is(k, klen, "NetHandle")) {
		set_once(r->handle, sizeof(r->handle), v, vlen);
	} else if (key_is(k, klen, "inetnum") || key_is(k, klen, "inet6num") ||
	    key_is(k, klen, "NetRange")) {
		ns_printable(buf, sizeof(buf), v, vlen);
		if (!b->have_range && reg_range_parse(buf, &b->lo, &b->hi) == 0) {
			b->have_range = true;
			if (!key_is(k, klen, "NetRange"))	/* RIPE's handle is the range */
				set_once(r->handle, sizeof(r->handle), v, vlen);
		}
	} else if (key_is(k, klen, "CIDR")) {
		set_once(r->cidr, sizeof(r->cidr), v, vlen);
	} else if (key_is(k, klen, "country")) {
		if (vlen >= 2 && isalpha((unsigned char)v[0]) &&
		    isalpha((unsigned char)v[1]) && (vlen == 2 || isspace((unsigned char)v[2])) &&
		    r->country[0] == '\0') {
			r->country[0] = (char)toupper((unsigned char)v[0]);
			r->country[1] = (char)toupper((unsigned char)v[1]);
		}
	} else if (key_is(k, klen, "org-name") || key_is(k, klen, "OrgName") ||
	    key_is(k, klen, "owner")) {
		ns_printable(r->org, sizeof(r->org), v, vlen);
	} else if (key_is(k, klen, "descr")) {
		set_once(r->org, sizeof(r->org), v, vlen);
	} else if (key_is(k, klen, "OrgAbuseEmail") || key_is(k, klen, "abuse-mailbox") ||
	    key_is(k, klen, "OrgAbusePhone")) {
		reg_add_abuse(b->have_range ? r : pre, v, vlen);
	}
}

/* abuse-c handles, and the paragraph being read, to find their e-mail. */
struct handles {
	char abuse_c[LK_MAX_ABUSE][64];
	int n;
	char hdl[64];			/* this paragraph's nic-hdl */
	char email[LK_MAX_ABUSE][160];	/* and its e-mail lines */
	int nemail;
};

static void
end_paragraph(struct handles *h, struct lk_rdap *pre)
{
	for (int i = 0; i < h->n && h->hdl[0] != '\0'; i++) {
		if (strcasecmp(h->abuse_c[i], h->hdl) != 0)
			continue;
		for (int j = 0; j < h->nemail; j++)
			reg_add_abuse(pre, h->email[j], strlen(h->email[j]));
		break;
	}
	h->hdl[0] = '\0';
	h->nemail = 0;
}

static void
handle_field(struct handles *h, const char *k, size_t klen, const char *v,
    size_t vlen)
{
	if (key_is(k, klen, "abuse-c")) {
		if (h->n < LK_MAX_ABUSE)
			ns_printable(h->abuse_c[h->n++], sizeof(h->abuse_c[0]), v, vlen);
	} else if (key_is(k, klen, "nic-hdl") || key_is(k, klen, "nic-hdl-br")) {
		ns_printable(h->hdl, sizeof(h->hdl), v, vlen);
	} else if (key_is(k, klen, "e-mail") && h->nemail < LK_MAX_ABUSE) {
		ns_printable(h->email[h->nemail++], sizeof(h->email[0]), v, vlen);
	}
}

int
whois_parse(const char *body, size_t len, struct lk_rdap *out, char *refer,
    size_t referlen, struct ns_addr *lo, struct ns_addr *hi)
{
	struct block blocks[MAX_BLOCKS], *b = &blocks[0], *best = NULL;
	struct handles h;
	struct lk_rdap pre;
	const char *p = body, *end = body + len;
	int nb = 1;

	memset(blocks, 0, sizeof(blocks));
	memset(&pre, 0, sizeof(pre));
	memset(&h, 0, sizeof(h));
	if (refer != NULL && referlen > 0)
		refer[0] = '\0';
	if (lo != NULL)
		memset(lo, 0, sizeof(*lo));
	if (hi != NULL)
		memset(hi, 0, sizeof(*hi));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *eol, *colon, *v;
		size_t klen;

		eol = nl != NULL ? nl : end;
		if (eol > p && eol[-1] == '\r')
			eol--;
		if (eol == p) {
			end_paragraph(&h, &pre);
		} else if (*p == '%' || *p == '#') {
			abuse_comment(p, (size_t)(eol - p), &pre);
		} else if ((colon = memchr(p, ':', (size_t)(eol - p))) != NULL &&
		    colon > p && !isspace((unsigned char)*p)) {
			klen = (size_t)(colon - p);
			for (v = colon + 1; v < eol && isspace((unsigned char)*v); v++)
				;
			/* A second range starts another network. */
			if ((key_is(p, klen, "inetnum") || key_is(p, klen, "inet6num") ||
			    key_is(p, klen, "NetRange")) && b->have_range) {
				if (nb == MAX_BLOCKS)
					break;
				b = &blocks[nb++];
			}
			if (v < eol) {
				field(b, &pre, p, klen, v, (size_t)(eol - v), refer, referlen);
				handle_field(&h, p, klen, v, (size_t)(eol - v));
			}
		}
		p = nl != NULL ? nl + 1 : end;
	}
	end_paragraph(&h, &pre);

	/* The most specific network: the highest start, then the lowest end. */
	for (int i = 0; i < nb; i++) {
		struct block *c = &blocks[i];

		if (!c->have_range && c->r.name[0] == '\0')
			continue;
		if (best == NULL || (c->have_range && (!best->have_range ||
		    ns_addr_cmp(&c->lo, &best->lo) > 0 ||
		    (ns_addr_cmp(&c->lo, &best->lo) == 0 &&
		    ns_addr_cmp(&c->hi, &best->hi) < 0))))
			best = c;
	}
	if (best == NULL) {
		lk_reason(out->reason, "whois answer names no network");
		return -1;
	}
	*out = best->r;
	for (int i = 0; i < pre.n_abuse; i++)
		reg_add_abuse(out, pre.abuse[i], strlen(pre.abuse[i]));
	if (best->have_range) {
		if (out->cidr[0] == '\0')
			reg_range_fmt(&best->lo, &best->hi, out->cidr, sizeof(out->cidr));
		if (lo != NULL) {
			*lo = best->lo;
			*hi = best->hi;
		}
	}
	out->reason[0] = '\0';
	return 0;
}

/* "host", "host:port", "[v6]:port" -> host and port (default 43). */
static int
split_hostport(const char *s, char *host, size_t hostlen, char *port, size_t portlen)
{
	const char *colon;

	snprintf(port, portlen, "43");
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || (size_t)(close - s - 1) >= hostlen)
			return -1;
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = '\0';
		if (close[1] == ':')
			snprintf(port, portlen, "%s", close + 2);
		return 0;
	}
	colon = strchr(s, ':');
	if (colon != NULL && strchr(colon + 1, ':') == NULL) {
		if ((size_t)(colon - s) >= hostlen)
			return -1;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
		snprintf(port, portlen, "%s", colon + 1);
		return 0;
	}
	if (strlen(s) >= hostlen)
		return -1;
	strcpy(host, s);
	return 0;
}

static int
wait_fd(int fd, short events, double deadline, const atomic_bool *cancel)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = events };
		double left = deadline - ns_now_mono();
		int rc;

		if (cancel != NULL && atomic_load(cancel))
			return -2;
		if (left <= 0)
			return 0;
		rc = poll(&pfd, 1, (int)(NS_MIN(left, 0.2) * 1000) + 1);
		if (rc > 0)
			return 1;
		if (rc < 0 && errno != EINTR)
			return -1;
	}
}

/* One exchange. Returns 0 with *body (NUL-terminated) or -1 with err. */
static int
whois_ask(const char *server, const char *query, double timeout,
    const atomic_bool *cancel, char **body, size_t *blen, char *err)
{
	char host[256], port[16];
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL, *ai;
	double deadline = ns_now_mono() + timeout;
	int fd = -1, rc;
	char *buf;
	size_t len = 0;

	if (split_hostport(server, host, sizeof(host), port, sizeof(port)) != 0) {
		lk_reason(err, "bad whois server name");
		return -1;
	}
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		lk_reason(err, "cannot resolve %s: %s", host, gai_strerror(rc));
		return -1;
	}
	lk_reason(err, "cannot connect to %s", host);
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
		int soerr = 0;
		socklen_t sl = sizeof(soerr);

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS)
			soerr = errno;
		else if ((rc = wait_fd(fd, POLLOUT, deadline, cancel)) <= 0)
			soerr = rc == 0 ? ETIMEDOUT : rc == -2 ? ECANCELED : errno;
		else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0)
			soerr = errno;
		if (soerr != 0) {
			lk_reason(err, "cannot connect to %s:%s: %s", host, port,
			    strerror(soerr));
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0)
		return -1;
	if (send(fd, query, strlen(query), MSG_NOSIGNAL) != (ssize_t)strlen(query)) {
		lk_reason(err, "cannot send to whois server %s: %s", host, strerror(errno));
		close(fd);
		return -1;
	}
	buf = xmalloc(WHOIS_MAX_BODY + 1);
	for (;;) {
		ssize_t n;

		if ((rc = wait_fd(fd, POLLIN, deadline, cancel)) <= 0) {
			if (rc == 0 && len > 0)
				break;	/* keep what came; some servers linger */
			if (rc == 0)
				lk_reason(err, "whois server %s did not answer in %.0f s", host,
				    timeout);
			else
				lk_reason(err, "whois query to %s stopped", host);
			free(buf);
			close(fd);
			return -1;
		}
		n = recv(fd, buf + len, WHOIS_MAX_BODY - len, 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == WHOIS_MAX_BODY)
			break;	/* bounded: read no more, use what we have */
	}
	close(fd);
	buf[len] = '\0';
	*body = buf;
	*blen = len;
	return 0;
}

int
whois_lookup(const struct ns_addr *a, double timeout, const atomic_bool *cancel,
    struct lk_rdap *out, struct ns_addr *lo, struct ns_addr *hi)
{
	const char *env = getenv("NTPSLEUTH_WHOIS_SERVER");
	bool test_mode = env != NULL && env[0] != '\0';
	char server[256], as[NS_ADDRSTRLEN], query[96], refer[256], err[LK_REASON_LEN];
	const struct rir *rir = reg_rir(a);

	ns_addr_fmt(a, as, sizeof(as));
	snprintf(server, sizeof(server), "%s", test_mode ? env : "whois.iana.org");
	for (int hop = 0; hop < MAX_HOPS; hop++) {
		char host[256], port[16], *body = NULL;
		size_t len;
		struct lk_rdap r;
		int rc;

		memset(&r, 0, sizeof(r));
		if (split_hostport(server, host, sizeof(host), port, sizeof(port)) != 0)
			break;
		/* ARIN's "n + ADDR": the network only, with its org's contacts. */
		snprintf(query, sizeof(query), "%s%s\r\n",
		    strcasecmp(host, "whois.arin.net") == 0 ? "n + " : "", as);
		if (whois_ask(server, query, timeout, cancel, &body, &len, err) != 0) {
			if (hop == 0 && !test_mode && rir != NULL) {
				/* IANA unreachable: go by the embedded bootstrap. */
				snprintf(server, sizeof(server), "%s", rir->whois);
				continue;
			}
			lk_reason(out->reason, "%s", err);
			return -1;
		}
		rc = whois_parse(body, len, &r, refer, sizeof(refer), lo, hi);
		free(body);
		if (refer[0] != '\0' && strcasecmp(refer, host) != 0 && hop + 1 < MAX_HOPS) {
			char rh[256], rp[16];

			if (split_hostport(refer, rh, sizeof(rh), rp, sizeof(rp)) == 0 &&
			    (test_mode || reg_is_whois_server(rh))) {
				snprintf(server, sizeof(server), "%s", test_mode ? refer : rh);
				continue;
			}
		}
		if (hop == 0 && !test_mode) {
			/* whois.iana.org's own record (the /8) is not the answer. */
			if (rir != NULL) {
				snprintf(server, sizeof(server), "%s", rir->whois);
				continue;
			}
			lk_reason(out->reason, "whois.iana.org: no registry holds this address");
			return -1;
		}
		if (rc != 0) {
			lk_reason(out->reason, "%s: %s", host, r.reason);
			return -1;
		}
		*out = r;
		if (strcmp(port, "43") == 0)
			snprintf(out->source, sizeof(out->source), "%.50s (whois)", host);
		else
			snprintf(out->source, sizeof(out->source), "%.40s:%.6s (whois)", host, port);
		return 0;
	}
	lk_reason(out->reason, "whois: too many referrals");
	return -1;
}
