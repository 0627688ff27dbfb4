/*
 * End-to-end checks of the lookup service against loopback servers; the
 * shell scripts beside it start the servers and pass their addresses.
 *
 *   lk_check rdap URL            RDAP cases (URL = http://127.0.0.1:PORT)
 *   lk_check ratelimit URL       token bucket, queue cap, network cache
 *   lk_check whois URL           whois fallback ($NTPSLEUTH_WHOIS_SERVER set)
 *   lk_check cache URL DIR       disk cache: second run from disk, TTL expiry
 *   lk_check geo DIR [NPMDIR]    GeoIP against the databases mkmmdb.pl built
 *   lk_check beside              data beside the binary (geo.sh makes the copy)
 *   lk_check ntp VPORT PPORT KPORT   probe and self-check against ntp_responder.py
 *   lk_check rdns CACHEDIR       reverse DNS against dns_server.py (rdns.sh)
 *   lk_check chrony PORT         probe and self-check against a real chronyd
 *   lk_check list FILE LITERAL   public NTP list (and a copy without its
 *                                names), lk_ntp_public, JSON output
 *
 * Prints "ok N - what" / "not ok N - what: detail" lines and a closing
 * "N passed, N failed"; exits 1 if any failed.
 */
#include "config.h"

#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "common/json.h"
#include "common/util.h"
#include "lookups/lookup.h"

static int passed, failed;

static void __attribute__((format(printf, 2, 3)))
check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", passed + failed + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (ok)
		passed++;
	else
		failed++;
}

static int
finish(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

static bool
has(const char *s, const char *sub)
{
	return s != NULL && strstr(s, sub) != NULL;
}

/* obj[k1][k2] as a string, "" if absent or not a string. */
static const char *
jstr(const cJSON *obj, const char *k1, const char *k2)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(obj, k1), k2));

	return s != NULL ? s : "";
}

static bool
printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static bool
rdap_printable(const struct lk_rdap *r)
{
	bool ok = printable(r->name) && printable(r->handle) && printable(r->cidr) &&
	    printable(r->org) && printable(r->source) && printable(r->reason);

	for (int i = 0; i < r->n_abuse; i++)
		ok = ok && printable(r->abuse[i]);
	return ok;
}

static bool
has_abuse(const struct lk_rdap *r, const char *s)
{
	for (int i = 0; i < r->n_abuse; i++)
		if (strcmp(r->abuse[i], s) == 0)
			return true;
	return false;
}

static struct ns_addr
A(const char *s)
{
	struct ns_addr a;

	if (ns_addr_parse(&a, s) != 0)
		fatalx("bad test address %s", s);
	return a;
}

/* One lookup through the whole service: start, query, wait, get, stop. */
static double
lookup(const struct lk_config *cfg, const char *addr, struct lk_info *info, double wait)
{
	struct lk *lk = lk_start(cfg);
	struct ns_addr a = A(addr);
	double t0 = ns_now_mono();

	lk_run(lk);
	lk_query(lk, &a);
	lk_wait(lk, wait);
	lk_get(lk, &a, info);
	lk_stop(lk);
	return ns_now_mono() - t0;
}

static struct lk_config
rdap_cfg(const char *url)
{
	struct lk_config cfg = { 0 };

	cfg.enable = "rdap";
	cfg.rdap_url = url;
	cfg.no_disk_cache = true;
	cfg.timeout = 1.0;
	cfg.rate_per_sec = 100;
	return cfg;
}

static long
server_requests(const char *base)
{
	char url[256], buf[256] = "";
	FILE *f;
	long n = -1;
	CURL *c = curl_easy_init();

	snprintf(url, sizeof(url), "%s/stats", base);
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
	if (curl_easy_perform(c) == CURLE_OK) {
		fflush(f);
		sscanf(buf, "{\"requests\": %ld}", &n);
	}
	fclose(f);
	curl_easy_cleanup(c);
	return n;
}

static void
t_rdap(const char *base)
{
	char url[256];
	struct lk_config cfg;
	struct lk_info in;
	const struct lk_rdap *r = &in.rdap;
	double t;

#define CASE(name) (snprintf(url, sizeof(url), "%s/%s", base, name), cfg = rdap_cfg(url))

	CASE("arin");
	lookup(&cfg, "8.8.8.8", &in, 5);
	check(r->status == LK_DONE, "rdap arin: done (%s)", r->reason);
	check(strcmp(r->name, "GOGL") == 0 && strcmp(r->handle, "NET-8-8-8-0-2") == 0,
	    "rdap arin: name %s handle %s", r->name, r->handle);
	check(strcmp(r->cidr, "8.8.8.0/24") == 0, "rdap arin: cidr from cidr0 (%s)", r->cidr);
	check(strcmp(r->org, "Google LLC") == 0, "rdap arin: org from registrant (%s)", r->org);
	check(r->n_abuse == 2 && has_abuse(r, "network-abuse@google.com") &&
	    has_abuse(r, "+1-650-253-0000"),
	    "rdap arin: nested abuse email and phone, not the admin contact (%d)", r->n_abuse);
	check(has(r->source, "127.0.0.1:"), "rdap arin: source %s", r->source);
	check(in.rdns.status == LK_OFF && in.geo.status == LK_OFF && in.ntp.status == LK_OFF,
	    "rdap only: the other plugins are off");

	CASE("ripe");
	lookup(&cfg, "193.0.6.139", &in, 5);
	check(r->status == LK_DONE && strcmp(r->country, "NL") == 0 &&
	    strcmp(r->cidr, "193.0.0.0/21") == 0 && has_abuse(r, "abuse@ripe.net") &&
	    has(r->org, "RIPE NCC"), "rdap ripe: %s %s %s %s", r->country, r->cidr,
	    r->n_abuse ? r->abuse[0] : "-", r->org);

	CASE("redirect");
	lookup(&cfg, "193.0.6.139", &in, 5);
	check(r->status == LK_DONE && strcmp(r->name, "RIPE-NCC") == 0,
	    "rdap redirect followed (%s)", r->status == LK_DONE ? r->name : r->reason);

	CASE("loop");
	lookup(&cfg, "193.0.6.139", &in, 5);
	check(r->status == LK_FAILED && has(r->reason, "redirected more than 5 times"),
	    "rdap redirect loop: %s", r->reason);

	CASE("ftp");
	lookup(&cfg, "193.0.6.139", &in, 5);
	check(r->status == LK_FAILED && has(r->reason, "non-HTTPS"),
	    "rdap redirect to ftp refused: %s", r->reason);

	CASE("notfound");
	lookup(&cfg, "193.0.6.139", &in, 5);
	check(r->status == LK_FAILED && has(r->reason, "404 Not Found") &&
	    has(r->reason, "whois:"), "rdap 404 then whois fails: %s", r->reason);

	CASE("ratelimit");
	lookup(&cfg, "193.0.6.139", &in, 5);
	check(r->status == LK_FAILED &&
	    has(r->reason, "RDAP server said 429 Too Many Requests; retry later"),
	    "rdap 429: %s", r->reason);

	CASE("error");
	lookup(&cfg, "193.0.6.139", &in, 5);
	check(r->status == LK_FAILED && has(r->reason, "503 Service Unavailable"),
	    "rdap 503: %s", r->reason);

	CASE("slow");
	t = lookup(&cfg, "193.0.6.139", &in, 10);
	check(r->status == LK_FAILED && has(r->reason, "timed out after 1 s") && t < 2.5,
	    "rdap timeout after %.2f s: %s", t, r->reason);

	CASE("escape");
	lookup(&cfg, "193.0.6.139", &in, 5);
	check(r->status == LK_DONE && rdap_printable(r) && has(r->name, "EVIL?[31mNET") &&
	    !has(r->handle, "\xc2\x9b"), "rdap escape sequences made printable: %s / %s",
	    r->name, r->handle);
	check(r->n_abuse == 2 && printable(r->abuse[1]),
	    "rdap CR LF in an email made printable: %s", r->n_abuse > 1 ? r->abuse[1] : "-");

	CASE("truncated");
	lookup(&cfg, "193.0.6.139", &in, 5);
	check(r->status == LK_FAILED && has(r->reason, "cut short"),
	    "rdap truncated JSON: %s", r->reason);

	CASE("oversize");
	lookup(&cfg, "193.0.6.139", &in, 5);
	check(r->status == LK_FAILED && has(r->reason, "larger than 1024 KiB"),
	    "rdap oversize answer: %s", r->reason);

	CASE("notjson");
	lookup(&cfg, "193.0.6.139", &in, 5);
	check(r->status == LK_FAILED && has(r->reason, "not valid JSON"),
	    "rdap HTML instead of JSON: %s", r->reason);

	CASE("errorjson");
	lookup(&cfg, "193.0.6.139", &in, 5);
	check(r->status == LK_FAILED && has(r->reason, "RDAP server error 400") &&
	    printable(r->reason), "rdap error object: %s", r->reason);

	CASE("domain");
	lookup(&cfg, "193.0.6.139", &in, 5);
	check(r->status == LK_FAILED && has(r->reason, "not an IP network"),
	    "rdap wrong object class: %s", r->reason);

	CASE("arin");
	lookup(&cfg, "10.1.2.3", &in, 5);
	check(r->status == LK_FAILED && has(r->reason, "private address"),
	    "rdap private address not sent: %s", r->reason);

	/* Nothing listens: connection refused, quickly. */
	cfg = rdap_cfg("http://127.0.0.1:1");
	t = lookup(&cfg, "193.0.6.139", &in, 5);
	check(r->status == LK_FAILED && has(r->reason, "127.0.0.1:1") && t < 2.5,
	    "rdap server down: %s", r->reason);
#undef CASE
}

static void
t_rdns(const char *cachedir)
{
	struct lk_config cfg = { 0 };
	struct lk_info in;
	const struct lk_rdns *r = &in.rdns;
	char cmd[600];
	double t;

	cfg.enable = "rdns";
	cfg.cache_dir = NULL;	/* $XDG_CACHE_HOME */
	lookup(&cfg, "192.0.2.1", &in, 10);
	check(r->status == LK_DONE && strcmp(r->name, "time.example.net") == 0,
	    "rdns: PTR name: %s %s", r->name, r->reason);
	snprintf(cmd, sizeof(cmd), "grep -q '^rdns	192.0.2.1	[0-9]*	time.example.net$' "
	    "%s/ntpsleuth/lookups.v1", cachedir);
	check(system(cmd) == 0, "rdns: kept in the disk cache");

	lookup(&cfg, "192.0.2.2", &in, 10);
	check(printable(r->name) && printable(r->reason) && !has(r->name, "\x1b"),
	    "rdns: a name with an escape sequence comes out printable: %s %s",
	    lk_status_name(r->status), r->status == LK_DONE ? r->name : r->reason);

	lookup(&cfg, "192.0.2.3", &in, 10);
	check(r->status == LK_DONE && strlen(r->name) == 253 && printable(r->name),
	    "rdns: a 253-byte name (%zu)", strlen(r->name));

	lookup(&cfg, "192.0.2.4", &in, 10);
	check(r->status == LK_FAILED && has(r->reason, "no PTR record"), "rdns: NXDOMAIN: %s",
	    r->reason);

	t = lookup(&cfg, "192.0.2.5", &in, 10);
	check(r->status == LK_FAILED && has(r->reason, "did not answer") && t < 5,
	    "rdns: no answer, %.1f s: %s", t, r->reason);

	lookup(&cfg, "2001:db8::1", &in, 10);
	check(r->status == LK_DONE && strcmp(r->name, "v6.example.net") == 0,
	    "rdns: IPv6: %s %s", r->name, r->reason);

	/* Two workers, 20/s: ten names in well under a second, each once. */
	{
		struct lk *lk = lk_start(&cfg);
		struct ns_addr a = A("192.0.2.1");
		double t0 = ns_now_mono();

		lk_run(lk);
		for (int i = 0; i < 10; i++) {
			char s[32];

			snprintf(s, sizeof(s), "2001:db8::%d", i + 1);
			a = A(s);
			lk_query(lk, &a);
		}
		lk_wait(lk, 10);
		lk_get(lk, &a, &in);
		t = ns_now_mono() - t0;
		lk_stop(lk);
		check(in.rdns.status == LK_FAILED && t < 3, "rdns: ten lookups all answered (the last NXDOMAIN) in %.2f s", t);
	}
}

static void
on_result(void *arg, const struct ns_addr *a, const struct lk_info *info)
{
	int *n = arg;

	(void)a;
	if (info->rdap.status == LK_DONE)
		(*n)++;
}

static void
t_ratelimit(const char *base)
{
	char url[256];
	struct lk_config cfg;
	struct lk *lk;
	struct lk_info in;
	struct ns_addr a;
	long before, after;
	double t0, t;
	int done = 0, skipped = 0;

	/* Token bucket: 4/s with a burst of 4, so 12 distinct networks take >= 2 s. */
	snprintf(url, sizeof(url), "%s/host", base);
	cfg = rdap_cfg(url);
	cfg.rate_per_sec = 4;
	lk = lk_start(&cfg);
	lk_run(lk);
	t0 = ns_now_mono();
	for (int i = 0; i < 12; i++) {
		char s[32];

		snprintf(s, sizeof(s), "45.%d.0.1", i);
		a = A(s);
		lk_query(lk, &a);
		lk_query(lk, &a);	/* repeated asks are free */
	}
	/* Results come back by message: poll lk_fd, then lk_collect. */
	while (done < 12 && ns_now_mono() - t0 < 10) {
		struct pollfd pfd = { .fd = lk_fd(lk), .events = POLLIN };

		if (poll(&pfd, 1, 500) > 0)
			lk_collect(lk, on_result, &done);
	}
	t = ns_now_mono() - t0;
	lk_stop(lk);
	check(done == 12, "rate limit: all 12 answers came through lk_fd/lk_collect (%d)",
	    done);
	check(t >= 1.9 && t < 6, "rate limit: 12 queries at 4/s took %.2f s (expected ~2)", t);

	/* Queue cap: 300 addresses before the workers start. */
	lk = lk_start(&cfg);
	for (int i = 0; i < 300; i++) {
		char s[32];

		snprintf(s, sizeof(s), "46.0.%d.%d", i / 250, i % 250 + 1);
		a = A(s);
		lk_query(lk, &a);
	}
	for (int i = 0; i < 300; i++) {
		char s[32];

		snprintf(s, sizeof(s), "46.0.%d.%d", i / 250, i % 250 + 1);
		a = A(s);
		lk_get(lk, &a, &in);
		if (in.rdap.status == LK_FAILED &&
		    has(in.rdap.reason, "skipped: lookup rate limit (256 queued)"))
			skipped++;
	}
	lk_stop(lk);
	check(skipped == 44, "queue cap: 44 of 300 skipped with the rate-limit reason (%d)",
	    skipped);

	/* Network cache: the second address in the same /24 costs no query. */
	snprintf(url, sizeof(url), "%s/arin", base);
	cfg = rdap_cfg(url);
	lk = lk_start(&cfg);
	lk_run(lk);
	before = server_requests(base);
	a = A("8.8.8.8");
	lk_query(lk, &a);
	lk_wait(lk, 5);
	a = A("8.8.8.4");
	lk_query(lk, &a);
	lk_wait(lk, 5);
	lk_get(lk, &a, &in);
	after = server_requests(base);
	lk_stop(lk);
	check(in.rdap.status == LK_DONE && strcmp(in.rdap.name, "GOGL") == 0 &&
	    after - before == 1, "network cache: 8.8.8.4 answered from 8.8.8.0/24 "
	    "(%ld request(s))", after - before);
}

static void
t_whois(const char *base)
{
	char url[256];
	struct lk_config cfg;
	struct lk_info in;
	const struct lk_rdap *r = &in.rdap;
	double t;

	snprintf(url, sizeof(url), "%s/error", base);
	cfg = rdap_cfg(url);

	lookup(&cfg, "193.0.6.139", &in, 8);
	check(r->status == LK_DONE && has(r->source, "(whois)"),
	    "whois fallback after RDAP 503: %s", r->status == LK_DONE ? r->source : r->reason);
	check(strcmp(r->name, "RIPE-NCC") == 0 && strcmp(r->country, "NL") == 0 &&
	    strcmp(r->cidr, "193.0.0.0/21") == 0 && has_abuse(r, "abuse@ripe.net"),
	    "whois ripe style: %s %s %s %s", r->name, r->country, r->cidr,
	    r->n_abuse ? r->abuse[0] : "-");
	check(has(r->org, "RIPE NCC") && rdap_printable(r), "whois org: %s", r->org);

	lookup(&cfg, "8.8.8.8", &in, 8);
	check(r->status == LK_DONE && strcmp(r->name, "GOGL") == 0 &&
	    strcmp(r->cidr, "8.8.8.0/24") == 0 && has_abuse(r, "network-abuse@google.com") &&
	    has_abuse(r, "+1-650-253-0000") && !has_abuse(r, "abuse@level3.com"),
	    "whois arin style: the most specific network wins (%s %s, %d contacts)",
	    r->name, r->cidr, r->n_abuse);

	t = lookup(&cfg, "45.0.0.7", &in, 8);
	check(r->status == LK_DONE && strcmp(r->name, "BIG") == 0 && t < 4,
	    "whois 1 MB answer read bounded in %.2f s (%s)", t,
	    r->status == LK_DONE ? r->name : r->reason);

	t = lookup(&cfg, "45.0.0.8", &in, 8);
	check(r->status == LK_FAILED && has(r->reason, "did not answer") && t < 4,
	    "whois stall: %.2f s: %s", t, r->reason);

	lookup(&cfg, "45.0.0.9", &in, 8);
	check(r->status == LK_FAILED && has(r->reason, "names no network") &&
	    has(r->reason, "503"), "whois no entries: %s", r->reason);

	lookup(&cfg, "192.0.2.200", &in, 8);
	check(r->status == LK_FAILED && has(r->reason, "documentation address (RFC 5737)"),
	    "rdap: a documentation address is not sent: %s", r->reason);
}

static void
t_cache(const char *base, const char *dir)
{
	char url[256];
	struct lk_config cfg;
	struct lk_info in;
	long n0, n1, n2, n3;

	snprintf(url, sizeof(url), "%s/ripe", base);
	cfg = rdap_cfg(url);
	cfg.no_disk_cache = false;
	cfg.cache_dir = NULL;	/* from $XDG_CACHE_HOME, set by the script */
	cfg.ttl = 2;

	n0 = server_requests(base);
	lookup(&cfg, "193.0.6.139", &in, 5);
	n1 = server_requests(base);
	check(in.rdap.status == LK_DONE && n1 - n0 == 1, "cache: first run asks the server");
	{
		char path[512];

		char cmd[600];

		snprintf(path, sizeof(path), "%s/ntpsleuth", dir);
		snprintf(cmd, sizeof(cmd), "grep -q '^rdap	193.0.6.139	' %s/lookups-*.v1", path);
		check(system(cmd) == 0, "cache: a line for 193.0.6.139 in %s/lookups-*.v1", path);
	}

	memset(&in, 0, sizeof(in));
	lookup(&cfg, "193.0.6.139", &in, 5);
	n2 = server_requests(base);
	check(in.rdap.status == LK_DONE && strcmp(in.rdap.name, "RIPE-NCC") == 0 &&
	    has_abuse(&in.rdap, "abuse@ripe.net") && n2 == n1,
	    "cache: second run served from disk (%ld new requests)", n2 - n1);

	/* Another --rdap-url must not be served from this one's answers. */
	snprintf(url, sizeof(url), "%s/arin", base);
	cfg.rdap_url = url;
	lookup(&cfg, "193.0.6.139", &in, 5);
	check(strcmp(in.rdap.name, "GOGL") == 0, "cache: keyed by the RDAP server (%s)",
	    in.rdap.name);

	snprintf(url, sizeof(url), "%s/ripe", base);
	cfg.rdap_url = url;
	sleep(3);	/* the TTL is 2 s */
	n2 = server_requests(base);
	lookup(&cfg, "193.0.6.139", &in, 5);
	n3 = server_requests(base);
	check(in.rdap.status == LK_DONE && n3 - n2 == 1,
	    "cache: expired after its TTL, asked again (%ld)", n3 - n2);
}

static void
t_geo(const char *dir, const char *npm)
{
	char city[512], asn[512], iploc[512], bt[512], bd[512], tr[512], gb[512];
	const char *dbs[8];
	struct lk_config cfg = { 0 };
	struct lk_info in;
	const struct lk_geo *g = &in.geo;

	snprintf(city, sizeof(city), "%s/city.mmdb", dir);
	snprintf(asn, sizeof(asn), "%s/asn.mmdb", dir);
	snprintf(iploc, sizeof(iploc), "%s/iplocdb.mmdb", dir);
	snprintf(bt, sizeof(bt), "%s/bad-tree.mmdb", dir);
	snprintf(bd, sizeof(bd), "%s/bad-data.mmdb", dir);
	snprintf(tr, sizeof(tr), "%s/truncated.mmdb", dir);
	snprintf(gb, sizeof(gb), "%s/garbage.mmdb", dir);
	cfg.enable = "geo";
	cfg.no_disk_cache = true;
	cfg.geoip_dbs = dbs;

	dbs[0] = city;
	dbs[1] = asn;
	dbs[2] = iploc;
	cfg.n_geoip_dbs = 3;
	lookup(&cfg, "81.2.69.160", &in, 5);
	check(g->status == LK_DONE && strcmp(g->country, "GB") == 0 &&
	    strcmp(g->city, "London") == 0 && g->asn == 20712 &&
	    strcmp(g->org, "Andrews & Arnold Ltd") == 0,
	    "geo: City + ASN combined: %s %s AS%u %s", g->country, g->city, g->asn, g->org);
	lookup(&cfg, "2a02:2f0::1", &in, 5);
	check(g->status == LK_DONE && strcmp(g->country, "RO") == 0 &&
	    strcmp(g->city, "Bucure\xc8\x99ti") == 0, "geo: IPv6, UTF-8 city kept: %s",
	    g->city);
	lookup(&cfg, "89.160.20.5", &in, 5);
	check(g->status == LK_DONE && strcmp(g->city, "Link?[31m\xc3\xb6ping") == 0,
	    "geo: escape in a city name made printable: %s", g->city);
	lookup(&cfg, "45.10.0.9", &in, 5);
	check(g->status == LK_DONE && strcmp(g->country, "AU") == 0,
	    "geo: registered_country as a fallback: %s", g->country);
	lookup(&cfg, "45.11.0.1", &in, 5);
	check(g->status == LK_FAILED && g->country[0] == '\0',
	    "geo: a hostile country code is refused (%s)", g->reason);
	lookup(&cfg, "203.0.113.30", &in, 5);
	check(g->status == LK_FAILED && has(g->reason, "documentation address (RFC 5737)"),
	    "geo: a documentation address gets no location: %s", g->reason);
	lookup(&cfg, "133.243.238.163", &in, 5);
	check(g->status == LK_DONE && strcmp(g->country, "JP") == 0 &&
	    strcmp(g->city, "Koganei") == 0, "geo: ip-location-db city layout: %s %s",
	    g->country, g->city);
	lookup(&cfg, "2606:4700::6810:1", &in, 5);
	check(g->asn == 13335 && printable(g->org), "geo: ASN over IPv6, org printable: %s",
	    g->org);
	lookup(&cfg, "9.9.9.9", &in, 5);
	check(g->status == LK_FAILED && has(g->reason, "not in the GeoIP databases (3 loaded)"),
	    "geo: not found: %s", g->reason);
	lookup(&cfg, "192.168.1.1", &in, 5);
	check(g->status == LK_FAILED && has(g->reason, "private address"), "geo: private: %s",
	    g->reason);

	/* Damaged databases: a reason, never a crash. */
	dbs[0] = bt;
	cfg.n_geoip_dbs = 1;
	lookup(&cfg, "81.2.69.160", &in, 5);
	check(g->status == LK_FAILED && has(g->reason, "bad-tree.mmdb is damaged"),
	    "geo: corrupt search tree: %s", g->reason);
	dbs[0] = bd;
	lookup(&cfg, "81.2.69.160", &in, 5);
	check(g->status == LK_FAILED && has(g->reason, "bad-data.mmdb has damaged data"),
	    "geo: corrupt data section: %s", g->reason);
	dbs[0] = tr;
	lookup(&cfg, "81.2.69.160", &in, 5);
	check(g->status == LK_FAILED && has(g->reason, "truncated.mmdb") &&
	    has(g->reason, "metadata"), "geo: truncated file: %s", g->reason);
	dbs[0] = gb;
	lookup(&cfg, "81.2.69.160", &in, 5);
	check(g->status == LK_FAILED && has(g->reason, "garbage.mmdb"),
	    "geo: not a database: %s", g->reason);
	dbs[0] = "/nonexistent/x.mmdb";
	lookup(&cfg, "81.2.69.160", &in, 5);
	check(g->status == LK_FAILED && has(g->reason, "No such file"),
	    "geo: missing file: %s", g->reason);
	/* A bad one beside a good one: the good one still answers. */
	dbs[0] = gb;
	dbs[1] = city;
	cfg.n_geoip_dbs = 2;
	lookup(&cfg, "81.2.69.160", &in, 5);
	check(g->status == LK_DONE && strcmp(g->country, "GB") == 0,
	    "geo: a bad database beside a good one");

	if (npm == NULL) {
		printf("# skip: the npm country database is not installed "
		    "(assets/geoip/install.sh DIR, then NTPSLEUTH_GEOIP_DIR=DIR)\n");
		return;
	}
	{
		char p1[512], p2[512];

		snprintf(p1, sizeof(p1), "%s/geo-whois-asn-country.mmdb", npm);
		snprintf(p2, sizeof(p2), "%s/asn.mmdb", npm);
		dbs[0] = p1;
		dbs[1] = p2;
		cfg.n_geoip_dbs = access(p2, R_OK) == 0 ? 2 : 1;
		lookup(&cfg, "8.8.8.8", &in, 5);
		check(g->status == LK_DONE && strcmp(g->country, "US") == 0,
		    "geo npm: 8.8.8.8 is US (%s %s)", g->country, g->reason);
		lookup(&cfg, "2001:4860:4860::8888", &in, 5);
		check(g->status == LK_DONE && g->country[0] != '\0', "geo npm: IPv6 (%s)",
		    g->country);
		lookup(&cfg, "193.0.6.139", &in, 5);
		check(g->status == LK_DONE && strcmp(g->country, "NL") == 0,
		    "geo npm: 193.0.6.139 is NL (%s)", g->country);
		if (cfg.n_geoip_dbs == 2) {
			lookup(&cfg, "1.1.1.1", &in, 5);
			check(g->asn == 13335 && has(g->org, "Cloudflare"),
			    "geo npm: converted ASN database: AS%u %s", g->asn, g->org);
		} else {
			printf("# skip: no converted asn.mmdb in %s\n", npm);
		}
	}
}

/* Run as a copy with assets/ beside it: the data found without installing. */
static void
t_beside(void)
{
	struct lk_config cfg = { 0 };
	struct lk_info in;

	cfg.enable = "geo,ntp";
	cfg.no_disk_cache = true;
	lookup(&cfg, "81.2.69.160", &in, 20);
	check(in.geo.status == LK_DONE && strcmp(in.geo.city, "London") == 0,
	    "beside the binary: assets/geoip/db found (%s)", in.geo.city);
	lookup(&cfg, "162.159.200.1", &in, 20);
	check(in.ntp.listed && !has(in.ntp.reason, "cannot read"),
	    "beside the binary: assets/public-ntp.list found (%s)", in.ntp.reason);
}

static void
t_ntp(int vport, int pport, int kport)
{
	char server[64], *out = NULL;
	size_t outlen = 0;
	struct lk_config cfg = { 0 };
	struct lk_info in;
	FILE *f;
	int rc;

	snprintf(server, sizeof(server), "127.0.0.1:%d", vport);
	f = open_memstream(&out, &outlen);
	rc = lk_selfcheck(server, f);
	fclose(f);
	printf("%s", out);
	check(rc == 1, "selfcheck vulnerable responder: returns 1 (%d)", rc);
	check(has(out, "monlist:     ANSWERED: 100 packets, 600 addresses, 44000 bytes") &&
	    has(out, "amplification x916.7"), "selfcheck: monlist amplification measured");
	check(has(out, "READVAR:     ANSWERED: 2 packet(s)") &&
	    has(out, "ntpd 4.2.6p5@1.2349-o"), "selfcheck: mode 6 answer and version");
	check(has(out, "restrict default kod limited nomodify notrap nopeer noquery") &&
	    has(out, "restrict -6 default") && has(out, "disable monitor") &&
	    has(out, "Upgrade ntpd past 4.2.7p26") && has(out, "this one is older"),
	    "selfcheck: the exact fix");
	free(out);

	snprintf(server, sizeof(server), "127.0.0.1:%d", pport);
	f = open_memstream(&out, &outlen);
	rc = lk_selfcheck(server, f);
	fclose(f);
	printf("%s", out);
	check(rc == 0 && has(out, "monlist:     no answer") && has(out, "Verdict: OK"),
	    "selfcheck patched responder: returns 0 (%d)", rc);
	free(out);

	/* Nothing listens there. */
	f = open_memstream(&out, &outlen);
	rc = lk_selfcheck("127.0.0.1:9", f);
	fclose(f);
	check(rc == -1 && has(out, "cannot tell"), "selfcheck nothing listening: -1 (%d)", rc);
	free(out);
	f = open_memstream(&out, &outlen);
	rc = lk_selfcheck("no-such-host.invalid", f);
	fclose(f);
	check(rc == -1 && has(out, "cannot resolve"), "selfcheck bad name: -1");
	free(out);

	/* --probe through the service (port from $NTPSLEUTH_NTP_PORT). */
	snprintf(server, sizeof(server), "%d", pport);
	setenv("NTPSLEUTH_NTP_PORT", server, 1);
	cfg.enable = "ntp";
	cfg.probe = true;
	cfg.no_disk_cache = true;
	cfg.ntp_list = "/nonexistent/list";
	cfg.timeout = 1;
	lookup(&cfg, "127.0.0.1", &in, 8);
	check(in.ntp.probed && in.ntp.probe_stratum == 2 &&
	    strcmp(in.ntp.probe_refid, "127.0.0.1") == 0 && in.ntp.probe_delay_ms >= 0 &&
	    in.ntp.probe_delay_ms < 500, "probe: stratum %d refid %s delay %.3f ms",
	    in.ntp.probe_stratum, in.ntp.probe_refid, in.ntp.probe_delay_ms);
	check(in.ntp.status == LK_DONE && has(in.ntp.reason, "cannot read the public NTP list"),
	    "probe: a missing list is a note, the probe still counts (%s)", in.ntp.reason);

	snprintf(server, sizeof(server), "%d", kport);
	setenv("NTPSLEUTH_NTP_PORT", server, 1);
	lookup(&cfg, "127.0.0.1", &in, 8);
	check(in.ntp.probed && in.ntp.probe_stratum == 0 &&
	    strcmp(in.ntp.probe_refid, "RATE") == 0, "probe: kiss-o'-death RATE (%s)",
	    in.ntp.probe_refid);
	{
		char why[200];
		bool pub = lk_ntp_public(&in, NULL, why, sizeof(why));

		check(!pub && has(why, "stratum 0"), "probe: KoD is not public: %s", why);
	}

	setenv("NTPSLEUTH_NTP_PORT", "9", 1);
	lookup(&cfg, "127.0.0.1", &in, 8);
	check(!in.ntp.probed && (has(in.ntp.reason, "no NTP answer") ||
	    has(in.ntp.reason, "nothing listens")), "probe: no answer: %s", in.ntp.reason);
	unsetenv("NTPSLEUTH_NTP_PORT");
}

static void
t_chrony(int port)
{
	char server[64], *out = NULL;
	size_t outlen = 0;
	FILE *f;
	int rc;

	snprintf(server, sizeof(server), "127.0.0.1:%d", port);
	f = open_memstream(&out, &outlen);
	rc = lk_selfcheck(server, f);
	fclose(f);
	printf("%s", out);
	check(rc == 0, "chronyd: selfcheck OK (%d)", rc);
	check(has(out, "mode 3 (time):      answered: stratum 8"),
	    "chronyd: answers mode 3 with its local stratum 8");
	check(has(out, "monlist:     no answer") && has(out, "READVAR:     no answer"),
	    "chronyd: answers neither mode 7 nor mode 6");
	free(out);
}

static void
t_list(const char *list, const char *literal)
{
	struct lk_config cfg = { 0 };
	struct lk_info in;
	struct lk_ntp_observed obs = { 0 };
	char why[256], *js = NULL;
	size_t jslen = 0;
	double t;
	bool pub;

	cfg.enable = "ntp";
	cfg.no_disk_cache = true;
	cfg.ntp_list = list;
	t = lookup(&cfg, "162.159.200.123", &in, 20);
	check(in.ntp.status == LK_DONE && in.ntp.listed &&
	    strcmp(in.ntp.list_name, "time.cloudflare.com") == 0,
	    "list: Cloudflare's literal address, without DNS, in %.2f s", t);
	pub = lk_ntp_public(&in, NULL, why, sizeof(why));
	check(pub && has(why, "listed public NTP service (time.cloudflare.com)"),
	    "public: %s", why);

	lookup(&cfg, "2001:4860:4806:8::", &in, 20);
	check(in.ntp.listed && strcmp(in.ntp.list_name, "time.google.com") == 0,
	    "list: Google IPv6 (%s)", in.ntp.list_name);

	/*
	 * An unlisted address must wait for the names: without DNS they
	 * fail (fast, or after resolver timeouts); the answer is then "not
	 * listed" with a note, or a failure to retry, within the wait bound
	 * (lookup() gives up at 20 s: the status says whether it answered;
	 * how long it took depends on the machine's load, not checked).
	 */
	t = lookup(&cfg, "198.51.100.77", &in, 20);
	check(!in.ntp.listed && ((in.ntp.status == LK_DONE &&
	    (in.ntp.reason[0] == '\0' || has(in.ntp.reason, "did not resolve"))) ||
	    (in.ntp.status == LK_FAILED && has(in.ntp.reason, "still resolving"))),
	    "list: unlisted address with the real list, %.1f s: %s %s", t,
	    lk_status_name(in.ntp.status), in.ntp.reason);

	cfg.ntp_list = literal;
	t = lookup(&cfg, "198.51.100.77", &in, 20);
	/* a list of addresses only answers without waiting for any name */
	check(in.ntp.status == LK_DONE && !in.ntp.listed && !has(in.ntp.reason, "resolv"),
	    "list: unlisted address, literal-only list, %.2f s: %s", t, in.ntp.reason);
	pub = lk_ntp_public(&in, NULL, why, sizeof(why));
	check(!pub && strcmp(why, "not in the public NTP list") == 0, "not public: %s", why);
	{
		struct lk_info nist;

		lookup(&cfg, "129.6.15.28", &nist, 20);
		check(nist.ntp.listed && strcmp(nist.ntp.list_name, "time-a-g.nist.gov") == 0,
		    "list: NIST literal (%s)", nist.ntp.list_name);
	}
	cfg.ntp_list = list;

	obs.mode4_from_123 = 40;
	obs.mode3_to_it = 40;
	obs.stratum = 2;
	snprintf(obs.refid, sizeof(obs.refid), "192.0.2.1");
	pub = lk_ntp_public(&in, &obs, why, sizeof(why));
	check(pub && has(why, "an NTP server our hosts use: 40 replies"), "observed: %s", why);
	obs.mode3_to_it = 0;
	obs.mode4_from_123 = 5000;
	pub = lk_ntp_public(&in, &obs, why, sizeof(why));
	check(has(why, "unsolicited"), "observed unsolicited: %s", why);
	obs.stratum = 16;
	pub = lk_ntp_public(&in, &obs, why, sizeof(why));
	check(!pub && has(why, "stratum 16"), "observed unsynchronised: %s", why);

	/* The report's JSON, read back. */
	{
		struct json_w w;
		FILE *f = open_memstream(&js, &jslen);
		cJSON *root, *lk, *n;

		lookup(&cfg, "162.159.200.1", &in, 20);
		snprintf(in.rdap.name, sizeof(in.rdap.name), "CLOUDFLARENET");
		in.rdap.status = LK_DONE;
		in.rdap.n_abuse = 1;
		snprintf(in.rdap.abuse[0], sizeof(in.rdap.abuse[0]), "abuse@cloudflare.com");
		in.geo.status = LK_FAILED;
		snprintf(in.geo.reason, sizeof(in.geo.reason), "no \"GeoIP\" database");
		json_init(&w, f, false);
		json_obj_open(&w, NULL);
		lk_info_json(&w, &in, NULL);
		json_obj_close(&w);
		fclose(f);
		printf("# %s\n", js);
		root = cJSON_Parse(js);
		lk = cJSON_GetObjectItem(root, "lookups");
		n = cJSON_GetObjectItem(lk, "ntp");
		check(root != NULL && cJSON_IsTrue(cJSON_GetObjectItem(n, "public")) &&
		    has(jstr(lk, "ntp", "why"), "time.cloudflare.com") &&
		    strcmp(jstr(lk, "ntp", "status"), "done") == 0, "json: ntp.public and why");
		check(strcmp(jstr(lk, "rdns", "status"), "off") == 0, "json: rdns status off");
		check(strcmp(jstr(lk, "geo", "reason"), "no \"GeoIP\" database") == 0 &&
		    strcmp(jstr(lk, "geo", "status"), "failed") == 0 &&
		    cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(lk, "geo"), "asn")),
		    "json: geo reason escaped, unknown asn null");
		check(strcmp(jstr(lk, "rdap", "name"), "CLOUDFLARENET") == 0 &&
		    has(cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItem(
		    cJSON_GetObjectItem(lk, "rdap"), "abuse"), 0)), "abuse@cloudflare.com"),
		    "json: rdap name and abuse list");
		cJSON_Delete(root);
		free(js);
	}
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && strcmp(argv[1], "rdap") == 0)
		t_rdap(argv[2]);
	else if (argc >= 3 && strcmp(argv[1], "ratelimit") == 0)
		t_ratelimit(argv[2]);
	else if (argc >= 3 && strcmp(argv[1], "whois") == 0)
		t_whois(argv[2]);
	else if (argc >= 4 && strcmp(argv[1], "cache") == 0)
		t_cache(argv[2], argv[3]);
	else if (argc >= 3 && strcmp(argv[1], "geo") == 0)
		t_geo(argv[2], argc >= 4 ? argv[3] : NULL);
	else if (argc >= 5 && strcmp(argv[1], "ntp") == 0)
		t_ntp(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	else if (argc >= 2 && strcmp(argv[1], "beside") == 0)
		t_beside();
	else if (argc >= 3 && strcmp(argv[1], "rdns") == 0)
		t_rdns(argv[2]);
	else if (argc >= 3 && strcmp(argv[1], "chrony") == 0)
		t_chrony(atoi(argv[2]));
	else if (argc >= 4 && strcmp(argv[1], "list") == 0)
		t_list(argv[2], argv[3]);
	else {
		fprintf(stderr, "usage: see the comment at the top of lk_check.c\n");
		return 2;
	}
	return finish();
}
