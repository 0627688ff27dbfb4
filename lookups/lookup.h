/*
 * Lookup plugins: who is behind a remote address. Each plugin lives in
 * its own file as a const struct lk_plugin; the lookup service runs them
 * on worker threads and hands results back by message, so neither the
 * capture thread nor the screen ever waits for the network.
 *
 * Everything a lookup returns came from the network and is hostile: the
 * strings in struct lk_info are already bounded and made printable.
 */
#ifndef NS_LOOKUP_H
#define NS_LOOKUP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/addr.h"
#include "common/netfmt.h"

enum lk_status {
	LK_NONE = 0,	/* not asked */
	LK_PENDING,
	LK_DONE,
	LK_FAILED,	/* reason says why, in words the user can act on */
	LK_OFF,		/* plugin disabled */
};

#define LK_REASON_LEN 160
#define LK_MAX_ABUSE 4

struct lk_rdns {
	enum lk_status status;
	char reason[LK_REASON_LEN];
	char name[256];
};

struct lk_geo {
	enum lk_status status;
	char reason[LK_REASON_LEN];
	char country[3];	/* ISO 3166-1 alpha-2, "" if unknown */
	char city[96];
	uint32_t asn;		/* 0 if unknown */
	char org[160];
};

struct lk_rdap {
	enum lk_status status;
	char reason[LK_REASON_LEN];
	char source[64];	/* "rdap.arin.net" or "whois.ripe.net (whois)" */
	char name[128];		/* network name */
	char handle[64];
	char cidr[64];
	char country[3];
	char org[160];
	int n_abuse;
	char abuse[LK_MAX_ABUSE][160];	/* "abuse@example.net", "+1-555-0100" */
};

struct lk_ntp {
	enum lk_status status;
	char reason[LK_REASON_LEN];
	bool listed;		/* in assets/public-ntp.list */
	char list_name[128];	/* the name it resolved from, e.g. "time.google.com" */
	bool probed;		/* --probe answered */
	int probe_stratum;
	char probe_refid[NS_REFIDSTRLEN];
	double probe_delay_ms;
};

struct lk_info {
	struct lk_rdns rdns;
	struct lk_geo geo;
	struct lk_rdap rdap;
	struct lk_ntp ntp;
};

/* What the analysis saw the host do, for the public-NTP judgement. */
struct lk_ntp_observed {
	uint64_t mode4_from_123;	/* server replies it sent from port 123 */
	uint64_t mode3_to_it;		/* client requests local hosts sent it */
	int stratum;			/* -1 unknown */
	char refid[NS_REFIDSTRLEN];
};

struct lk_config {
	const char *enable;		/* comma list ("rdns,rdap,geo,ntp"), NULL = all */
	bool disable_all;		/* --no-lookups */
	const char *rdap_url;		/* --rdap-url: base URL to use instead of bootstrap */
	const char **geoip_dbs;		/* --geoip-db, may be empty */
	int n_geoip_dbs;
	const char *ntp_list;		/* path of the public NTP list; NULL = installed default */
	bool probe;			/* --probe: send one NTP mode 3 query per host */
	const char *cache_dir;		/* NULL = $XDG_CACHE_HOME/ntpsleuth */
	bool no_disk_cache;
	double ttl;			/* disk cache TTL in seconds; 0 = default (1 day) */
	double rate_per_sec;		/* new network queries per second; 0 = default */
	/* Added with issue 5: */
	double timeout;			/* one network exchange, seconds; 0 = default (10 s) */
};

struct lk;

/*
 * Plugins open their files (GeoIP databases, CA bundle) in lk_start(), so
 * that it can be called before privileges are dropped; worker threads only
 * start with lk_run().
 */
struct lk *lk_start(const struct lk_config *);
int lk_run(struct lk *);
/* Ask about an address; cheap and non-blocking, repeated asks are free. */
void lk_query(struct lk *, const struct ns_addr *);
/* Readable when results are waiting for lk_collect(). */
int lk_fd(struct lk *);
/* Drain waiting results, calling cb for each address whose info changed. */
void lk_collect(struct lk *, void (*cb)(void *, const struct ns_addr *,
    const struct lk_info *), void *);
/* Copy the current info for an address (all LK_NONE if never asked). */
void lk_get(struct lk *, const struct ns_addr *, struct lk_info *);
/* Wait until nothing is pending or timeout seconds pass; for --report. */
void lk_wait(struct lk *, double timeout);
void lk_stop(struct lk *);

/* Combine the list, the probe and what was seen into public / why. */
bool lk_ntp_public(const struct lk_info *, const struct lk_ntp_observed *,
    char *why, size_t whylen);

/* Added with issue 5. */

/* "none", "pending", "done", "failed", "off". */
const char *lk_status_name(enum lk_status);

/*
 * Write the report's "lookups" member for one host: an object with
 * "rdns", "geo", "rdap" and "ntp", each with its "status" (and "reason"
 * when failed). obs may be NULL.
 */
struct json_w;
void lk_info_json(struct json_w *, const struct lk_info *,
    const struct lk_ntp_observed *);

/*
 * Check the local NTP server ("host", "host:port", "[v6addr]:port"; port
 * 123 by default): does it answer mode 7 monlist and mode 6 READVAR from
 * here, with what amplification, and what to change. Writes a readable
 * report to out. Returns 0 if it answers neither, 1 if it answers either
 * (vulnerable), -1 if it cannot tell (bad name, or no NTP answer at all).
 */
int lk_selfcheck(const char *server, FILE *out);

#endif
