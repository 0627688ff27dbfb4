/*
 * RDAP (RFC 9082/9083) over HTTPS with libcurl, falling back to port-43
 * whois: who holds the network, and above all its abuse contact.
 *
 * The registry comes from IANA's bootstrap (RFC 9224), embedded in
 * lookups/registry.c; a stale table costs one redirect (we follow up to
 * five, HTTPS only), not a wrong answer. --rdap-url replaces it all:
 * URL/ip/ADDR.
 *
 * Bounded: 1 MiB of answer, the configured timeout for the whole
 * exchange, a token bucket (5 queries/s by default) shared by the
 * workers. Answers are also remembered by network, so that a flood from
 * one /24 costs one query.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "common/util.h"
#include "lookups/plugin.h"
#include "lookups/rdap.h"
#include "lookups/registry.h"
#include "lookups/whois.h"

#define NETCACHE 256		/* networks remembered */
#define CA_MAX (4u << 20)

struct net {
	struct ns_addr lo, hi;
	struct lk_rdap r;
};

struct rdap {
	char *base;		/* --rdap-url, or NULL for the bootstrap */
	bool plain_http;	/* the base is http://: allow http redirects too */
	char *ca;		/* the CA bundle, read at start */
	size_t calen;
	double timeout;
	atomic_bool cancel;
	pthread_mutex_t mu;	/* netcache */
	struct net nets[NETCACHE];
	unsigned nnets, next;
};

struct body {
	char *p;
	size_t len;
	bool over;
};

static size_t
on_data(char *data, size_t size, size_t n, void *arg)
{
	struct body *b = arg;
	size_t total = size * n;	/* curl always passes size 1 */

	if (total > RDAP_MAX_BODY - b->len) {
		b->over = true;
		return 0;	/* curl stops with CURLE_WRITE_ERROR */
	}
	memcpy(b->p + b->len, data, total);
	b->len += total;
	return total;
}

static int
on_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	struct rdap *st = arg;

	(void)dt;
	(void)dn;
	(void)ut;
	(void)un;
	return atomic_load(&st->cancel) ? 1 : 0;
}

/* "rdap.arin.net" or "127.0.0.1:8080" from a URL, for the user. */
static void
url_host(const char *url, char *buf, size_t len)
{
	const char *p = strstr(url, "://"), *end;

	p = p != NULL ? p + 3 : url;
	end = p + strcspn(p, "/?#");
	if (memchr(p, '@', (size_t)(end - p)) != NULL)
		p = (const char *)memchr(p, '@', (size_t)(end - p)) + 1;
	ns_printable(buf, len, p, (size_t)(end - p));
}

static const char *
http_reason(long code)
{
	switch (code) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "";
	}
}

/*
 * GET url. Returns 0 with the answer parsed into out, or -1 with
 * out->reason set.
 */
static int
rdap_fetch(struct rdap *st, const char *url, struct lk_rdap *out, struct ns_addr *lo,
    struct ns_addr *hi)
{
	char errbuf[CURL_ERROR_SIZE] = "", host[64], msg[96];
	const char *protos = st->plain_http ? "http,https" : "https";
	struct curl_slist *hdrs = NULL;
	struct body b = { .p = xmalloc(RDAP_MAX_BODY) };
	char *eff = NULL;
	long code = 0;
	CURLcode rc;
	CURL *c;
	int ret = -1;

	url_host(url, host, sizeof(host));
	if ((c = curl_easy_init()) == NULL) {
		lk_reason(out->reason, "cannot start an HTTPS client (libcurl)");
		free(b.p);
		return -1;
	}
	hdrs = curl_slist_append(hdrs, "Accept: application/rdap+json, application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "ntpsleuth/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
#if LIBCURL_VERSION_NUM >= 0x075500	/* 7.85: the _STR forms */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protos);
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, protos);
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, st->plain_http ?
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS) : (long)CURLPROTO_HTTPS);
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, st->plain_http ?
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS) : (long)CURLPROTO_HTTPS);
	(void)protos;
#endif
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(NS_MIN(st->timeout, 5.0) * 1000));
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(st->timeout * 1000));
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)RDAP_MAX_BODY);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, st);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
#if LIBCURL_VERSION_NUM >= 0x074d00	/* 7.77: CA bundle from memory */
	if (st->ca != NULL) {
		struct curl_blob blob = { .data = st->ca, .len = st->calen,
		    .flags = CURL_BLOB_NOCOPY };

		curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
	}
#endif

	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff != NULL)
		url_host(eff, host, sizeof(host));
	snprintf(out->source, sizeof(out->source), "%s", host);

	if (rc == CURLE_OPERATION_TIMEDOUT) {
		lk_reason(out->reason, "RDAP query to %s timed out after %.0f s", host,
		    st->timeout);
	} else if (b.over || rc == CURLE_FILESIZE_EXCEEDED) {
		lk_reason(out->reason, "RDAP answer from %s is larger than %u KiB; ignored",
		    host, RDAP_MAX_BODY >> 10);
	} else if (rc == CURLE_TOO_MANY_REDIRECTS) {
		lk_reason(out->reason, "RDAP server %s redirected more than 5 times", host);
	} else if (rc == CURLE_UNSUPPORTED_PROTOCOL) {
		lk_reason(out->reason,
		    "RDAP server %s redirected to a non-HTTPS address; not followed", host);
	} else if (rc == CURLE_ABORTED_BY_CALLBACK) {
		lk_reason(out->reason, "lookup stopped");
	} else if (rc != CURLE_OK) {
		ns_printable(msg, sizeof(msg), errbuf[0] ? errbuf : curl_easy_strerror(rc),
		    strlen(errbuf[0] ? errbuf : curl_easy_strerror(rc)));
		lk_reason(out->reason, "RDAP query to %s failed: %s", host, msg);
	} else if (code == 429) {
		lk_reason(out->reason, "RDAP server said 429 Too Many Requests; retry later");
	} else if (code == 404) {
		lk_reason(out->reason, "RDAP server %s has no record of this address "
		    "(404 Not Found)", host);
	} else if (code >= 500 && code <= 599) {
		lk_reason(out->reason, "RDAP server %s failed (%ld %s); retry later", host,
		    code, http_reason(code));
	} else if (code != 200) {
		lk_reason(out->reason, "RDAP server %s answered HTTP %ld %s", host, code,
		    http_reason(code));
	} else {
		ret = rdap_parse(b.p, b.len, out, lo, hi);
	}
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	free(b.p);
	return ret;
}

static bool
net_find(struct rdap *st, const struct ns_addr *a, struct lk_rdap *out)
{
	bool found = false;

	pthread_mutex_lock(&st->mu);
	for (unsigned i = 0; i < st->nnets && !found; i++) {
		struct net *n = &st->nets[i];

		if (n->lo.af == a->af && ns_addr_cmp(&n->lo, a) <= 0 &&
		    ns_addr_cmp(a, &n->hi) <= 0) {
			*out = n->r;
			found = true;
		}
	}
	pthread_mutex_unlock(&st->mu);
	return found;
}

static void
net_add(struct rdap *st, const struct ns_addr *lo, const struct ns_addr *hi,
    const struct lk_rdap *r)
{
	/* A range wider than a /8 (or an IPv6 /16) is a registry's block,
	 * not its holder's network: remembering it would answer too much. */
	if (lo->af == 0 || lo->af != hi->af || lo->b[0] != hi->b[0] ||
	    (lo->af == 6 && lo->b[1] != hi->b[1]))
		return;
	pthread_mutex_lock(&st->mu);
	st->nets[st->next].lo = *lo;
	st->nets[st->next].hi = *hi;
	st->nets[st->next].r = *r;
	st->next = (st->next + 1) % NETCACHE;
	if (st->nnets < NETCACHE)
		st->nnets++;
	pthread_mutex_unlock(&st->mu);
}

static void
rdap_query(void *state, struct lk_job *job, const struct ns_addr *a,
    struct lk_info *info)
{
	struct rdap *st = state;
	struct lk_rdap *out = &info->rdap, w;
	const struct rir *rir = reg_rir(a);
	struct ns_addr lo = { 0 }, hi = { 0 };
	char as[NS_ADDRSTRLEN], *url;
	char why[LK_REASON_LEN];
	const char *special;

	out->status = LK_FAILED;
	if ((special = lk_addr_special(a)) != NULL) {
		lk_reason(out->reason, "%s: no registry holds it", special);
		return;
	}
	if (st->base == NULL && rir == NULL) {
		lk_reason(out->reason, "IANA-reserved address: no registry holds it");
		return;
	}
	if (net_find(st, a, out)) {
		out->status = LK_DONE;
		return;
	}
	if (!lk_job_throttle(job)) {
		lk_reason(out->reason, "lookup stopped");
		return;
	}
	ns_addr_fmt(a, as, sizeof(as));
	if (st->base != NULL)
		xasprintf(&url, "%s/ip/%s", st->base, as);
	else
		xasprintf(&url, "%sip/%s", rir->rdap, as);
	if (rdap_fetch(st, url, out, &lo, &hi) == 0) {
		out->status = LK_DONE;
		net_add(st, &lo, &hi, out);
		free(url);
		return;
	}
	free(url);
	if (atomic_load(&st->cancel))
		return;

	snprintf(why, sizeof(why), "%s", out->reason);
	memset(&w, 0, sizeof(w));
	if (lk_job_throttle(job) &&
	    whois_lookup(a, st->timeout, &st->cancel, &w, &lo, &hi) == 0) {
		*out = w;
		out->status = LK_DONE;
		net_add(st, &lo, &hi, out);
		return;
	}
	memset(out, 0, sizeof(*out));
	out->status = LK_FAILED;
	lk_reason(out->reason, "%.88s; whois: %.62s", why, w.reason);
}

static char *
read_ca(size_t *len)
{
	const char *paths[3] = { NULL, "/etc/ssl/certs/ca-certificates.crt",
	    "/etc/pki/tls/certs/ca-bundle.crt" };
	curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);

	paths[0] = v != NULL ? v->cainfo : NULL;
	for (size_t i = 0; i < NS_ARRAY_LEN(paths); i++) {
		FILE *f;
		char *buf;

		if (paths[i] == NULL || (f = fopen(paths[i], "rb")) == NULL)
			continue;
		buf = xmalloc(CA_MAX);
		*len = fread(buf, 1, CA_MAX, f);
		fclose(f);
		if (*len > 0 && *len < CA_MAX)
			return buf;
		free(buf);
	}
	return NULL;
}

static void *
rdap_start(const struct lk_config *cfg, char *err, size_t errlen)
{
	struct rdap *st;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errlen, "cannot start libcurl");
		return NULL;
	}
	st = xcalloc(1, sizeof(*st));
	if (cfg->rdap_url != NULL && cfg->rdap_url[0] != '\0') {
		size_t n = strlen(cfg->rdap_url);

		while (n > 0 && cfg->rdap_url[n - 1] == '/')
			n--;
		st->base = xmalloc(n + 1);
		memcpy(st->base, cfg->rdap_url, n);
		st->base[n] = '\0';
		st->plain_http = strncasecmp(st->base, "http://", 7) == 0;
	}
	/* Read now: after privileges drop the file may be out of reach. */
	st->ca = read_ca(&st->calen);
	st->timeout = lk_cfg_timeout(cfg);
	atomic_init(&st->cancel, false);
	pthread_mutex_init(&st->mu, NULL);
	return st;
}

static void
rdap_cancel(void *state)
{
	struct rdap *st = state;

	atomic_store(&st->cancel, true);
}

static void
rdap_free(void *state)
{
	struct rdap *st = state;

	pthread_mutex_destroy(&st->mu);
	free(st->base);
	free(st->ca);
	free(st);
	curl_global_cleanup();
}

const struct lk_plugin lk_rdap = {
	.name = "rdap",
	.part = LK_PART_RDAP,
	.workers = 2,
	.rate = 5,
	.disk_cache = true,
	.start = rdap_start,
	.query = rdap_query,
	.cancel = rdap_cancel,
	.free = rdap_free,
};
