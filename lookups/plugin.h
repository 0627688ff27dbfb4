/*
 * The lookup plugin interface, private to lookups/.
 *
 * A plugin is a const table in its own file (lk_rdns in rdns.c, ...).
 * The service in lookup.c owns the threads, the queues, the rate limits
 * and the caches; a plugin only answers one address at a time, blocking,
 * on one of its worker threads, and fills its own part of struct lk_info.
 */
#ifndef NS_LK_PLUGIN_H
#define NS_LK_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>

#include "lookups/lookup.h"

/* Which part of struct lk_info a plugin fills: one plugin per part. */
enum lk_part {
	LK_PART_RDNS,
	LK_PART_GEO,
	LK_PART_RDAP,
	LK_PART_NTP,
	LK_NPARTS,
};

/* The query under way, as the service sees it (opaque to plugins). */
struct lk_job;

struct lk_plugin {
	const char *name;	/* as in --lookups=LIST */
	enum lk_part part;
	int workers;		/* threads that run query(), 1..4 */
	double rate;		/* default lk_job_throttle() rate per second, 0 = none */
	bool disk_cache;	/* DONE results are kept across runs */

	/*
	 * Parse the configuration and open files (databases, lists, the CA
	 * bundle): lk_start() runs before privileges are dropped. Must not
	 * start threads. Returns the plugin's state, or NULL with a reason in
	 * err that every query of this plugin then reports.
	 */
	void *(*start)(const struct lk_config *, char *err, size_t errlen);
	/*
	 * Answer one address, blocking, on a worker: set out's part to
	 * LK_DONE or LK_FAILED with a reason. Several workers may call it at
	 * once. Network plugins call lk_job_throttle() before each query they
	 * send.
	 */
	void (*query)(void *state, struct lk_job *, const struct ns_addr *,
	    struct lk_info *out);
	/* Optional: housekeeping on the service's own thread, once right
	 * after lk_run() and then about once a minute. */
	void (*tick)(void *state, struct lk_job *);
	/* Make running query() and tick() calls return soon (lk_stop). */
	void (*cancel)(void *state);
	void (*free)(void *state);
};

extern const struct lk_plugin lk_rdns;
extern const struct lk_plugin lk_geo;
extern const struct lk_plugin lk_rdap;
extern const struct lk_plugin lk_ntprep;

/*
 * Take one token from the plugin's token bucket, sleeping until one is
 * there. Returns false (at once) when the service is stopping.
 */
bool lk_job_throttle(struct lk_job *);
bool lk_job_stopping(const struct lk_job *);

/* Seconds for one network exchange: lk_config.timeout or the default. */
double lk_cfg_timeout(const struct lk_config *);

/* snprintf into a reason buffer of LK_REASON_LEN bytes. */
void lk_reason(char *reason, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Why no registry or database can say anything about this address
 * (private, loopback, documentation, reserved...), or NULL for an
 * ordinary public address.
 */
const char *lk_addr_special(const struct ns_addr *);

/*
 * rel (such as "assets/public-ntp.list") beside the running executable,
 * if it exists there: a binary run from its source tree finds its data
 * without being installed. NULL otherwise; free() the result.
 */
char *lk_beside_exe(const char *rel);

/* Address to sockaddr, with a port; returns the length. */
struct sockaddr_storage;
unsigned lk_sockaddr(const struct ns_addr *, uint16_t port,
    struct sockaddr_storage *);

#endif
