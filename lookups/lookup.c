/*
 * The lookup service: one table of addresses, one queue and a few worker
 * threads per plugin, a token bucket per plugin, results handed back to
 * the caller's thread through an eventfd (a pipe where there is none).
 *
 * Locking: one mutex guards everything here. It is only ever held for
 * O(1) work (a hash probe, a queue push) or, once a minute, for copying
 * the table out for the disk cache; no plugin code runs under it, so
 * lk_query() never waits for the network.
 *
 * A spoofed flood of addresses must not turn into a flood of queries:
 * every plugin's queue holds at most LK_QUEUE_CAP addresses, and an
 * address that finds it full is marked LK_FAILED "skipped: lookup rate
 * limit (N queued)". That mark is not sticky: the next lk_query() for the
 * address tries again, so the hosts the caller keeps asking about (the
 * ones on screen) get their turn once the flood has drained. Network
 * plugins also wait for a token before each query (lk_job_throttle).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#ifdef HAVE_SYS_EVENTFD_H
#include <sys/eventfd.h>
#endif

#include "common/amap.h"
#include "common/util.h"
#include "lookups/cache.h"
#include "lookups/lookup.h"
#include "lookups/plugin.h"

#define LK_MAX_ENTRIES 8192	/* addresses remembered; the oldest idle ones go */
#define LK_QUEUE_CAP 256	/* per plugin */
#define LK_MAX_WORKERS 4
#define LK_FAIL_TTL 300.0	/* a failure is retried after 5 min */
#define LK_DEFAULT_TTL 86400.0
#define LK_DEFAULT_TIMEOUT 10.0
#define LK_TICK 60.0		/* housekeeping period, seconds */
#define LK_JOIN_WAIT 3.0	/* lk_stop waits this long for workers */

static const struct lk_plugin *const plugins[LK_NPARTS] = {
	[LK_PART_RDNS] = &lk_rdns,
	[LK_PART_GEO] = &lk_geo,
	[LK_PART_RDAP] = &lk_rdap,
	[LK_PART_NTP] = &lk_ntprep,
};

struct entry {
	struct ns_addr addr;
	struct entry *newer, *older;	/* age list, newest at lk->age.older */
	struct lk_info info;
	double expires[LK_NPARTS];	/* wall clock; a query after it refreshes */
	uint8_t inflight;		/* bit per part: queued or running */
	bool changed;			/* on lk->changed, not yet collected */
};

struct lk_job {
	struct lk *lk;
	enum lk_part part;
};

struct plug {
	const struct lk_plugin *p;
	void *state;
	bool enabled;
	char start_err[LK_REASON_LEN];	/* non-empty: start() failed */
	struct ns_addr queue[LK_QUEUE_CAP];
	unsigned qhead, qlen;
	pthread_cond_t qcv;
	double rate, tokens, refilled;
	int nthreads;
	pthread_t threads[LK_MAX_WORKERS];
	struct lk_job job;
};

struct lk {
	pthread_mutex_t mu;
	pthread_cond_t idle_cv;		/* pending dropped to 0 */
	pthread_cond_t stop_cv;		/* sleeps that lk_stop must cut short */
	atomic_int refs;		/* the caller, and each running thread */
	atomic_bool stopping;
	bool running;

	struct plug plugs[LK_NPARTS];
	struct lk_config cfg;		/* strings not kept: plugins copy theirs */
	double ttl;

	struct ns_amap table;		/* address -> struct entry * */
	struct entry age;		/* sentinel of the age list */
	unsigned nentries;
	unsigned pending;		/* inflight bits set, over all entries */

	struct ns_addr *changed;
	size_t nchanged, changed_cap;
	int wake_rd, wake_wr;
	bool wake_armed;

	char *cache_path;		/* NULL: no disk cache */
	char *rdap_base;		/* what cached RDAP answers must match */
	bool cache_dirty;
	pthread_t hk;
	bool hk_started;
};

/* Helpers for the plugins. */

void
lk_reason(char *reason, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, LK_REASON_LEN, fmt, ap);
	va_end(ap);
}

double
lk_cfg_timeout(const struct lk_config *cfg)
{
	return cfg != NULL && cfg->timeout > 0 ? cfg->timeout : LK_DEFAULT_TIMEOUT;
}

unsigned
lk_sockaddr(const struct ns_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->af == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, a->b, 4);
		return sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, a->b, 16);
		return sizeof(*sin6);
	}
}

const char *
lk_addr_special(const struct ns_addr *a)
{
	const uint8_t *b = a->b;

	if (ns_addr_is_private(a))
		return "private address (RFC 1918, 6598, 4193, loopback or link-local)";
	if (ns_addr_is_multicast(a))
		return "multicast or broadcast address";
	if (a->af == 4) {
		if ((b[0] == 192 && b[1] == 0 && b[2] == 2) ||
		    (b[0] == 198 && b[1] == 51 && b[2] == 100) ||
		    (b[0] == 203 && b[1] == 0 && b[2] == 113))
			return "documentation address (RFC 5737): spoofed or lab traffic";
		if (b[0] == 198 && (b[1] & 0xfe) == 18)
			return "benchmarking address (RFC 2544)";
		if (b[0] == 0 || b[0] >= 240 || (b[0] == 192 && b[1] == 0 && b[2] == 0))
			return "reserved address: spoofed or misconfigured";
	} else if (a->af == 6) {
		static const uint8_t zero[10];

		if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
			return "documentation address (RFC 3849): spoofed or lab traffic";
		if (memcmp(b, zero, 10) == 0)	/* ::, ::1, IPv4-compatible and -mapped */
			return "reserved or IPv4-mapped address";
		if ((b[0] & 0xe0) != 0x20)
			return "not global unicast (outside 2000::/3)";
	}
	return NULL;
}

char *
lk_beside_exe(const char *rel)
{
	char exe[4096], *slash, *path;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return NULL;
	*slash = '\0';
	xasprintf(&path, "%s/%s", exe, rel);
	if (access(path, R_OK) != 0) {
		free(path);
		return NULL;
	}
	return path;
}

const char *
lk_status_name(enum lk_status st)
{
	switch (st) {
	case LK_NONE:
		return "none";
	case LK_PENDING:
		return "pending";
	case LK_DONE:
		return "done";
	case LK_FAILED:
		return "failed";
	case LK_OFF:
		return "off";
	}
	return "none";
}

/* The parts of struct lk_info, by number. */

static enum lk_status *
part_status(struct lk_info *info, enum lk_part part)
{
	switch (part) {
	case LK_PART_RDNS:
		return &info->rdns.status;
	case LK_PART_GEO:
		return &info->geo.status;
	case LK_PART_RDAP:
		return &info->rdap.status;
	default:
		return &info->ntp.status;
	}
}

static char *
part_reason(struct lk_info *info, enum lk_part part)
{
	switch (part) {
	case LK_PART_RDNS:
		return info->rdns.reason;
	case LK_PART_GEO:
		return info->geo.reason;
	case LK_PART_RDAP:
		return info->rdap.reason;
	default:
		return info->ntp.reason;
	}
}

static void
part_copy(struct lk_info *dst, const struct lk_info *src, enum lk_part part)
{
	switch (part) {
	case LK_PART_RDNS:
		dst->rdns = src->rdns;
		break;
	case LK_PART_GEO:
		dst->geo = src->geo;
		break;
	case LK_PART_RDAP:
		dst->rdap = src->rdap;
		break;
	default:
		dst->ntp = src->ntp;
		break;
	}
}

/* The table. Called with lk->mu held. */

static struct entry *
find(const struct lk *lk, const struct ns_addr *a)
{
	uintptr_t e;

	return ns_amap_get(&lk->table, a, &e) ? (struct entry *)e : NULL;
}

static void
age_unlink(struct entry *e)
{
	e->newer->older = e->older;
	e->older->newer = e->newer;
}

static void
age_push_newest(struct lk *lk, struct entry *e)
{
	e->older = lk->age.older;
	e->newer = &lk->age;
	lk->age.older->newer = e;
	lk->age.older = e;
}

static void
remove_entry(struct lk *lk, struct entry *e)
{
	ns_amap_del(&lk->table, &e->addr);
	age_unlink(e);
	lk->nentries--;
	free(e);
}

/*
 * When the table is full the oldest entry that has nothing in flight
 * goes. Only a few are tried, so that a table full of in-flight entries
 * (at most LK_NPARTS * LK_QUEUE_CAP of them) costs O(1): the new address
 * is then not remembered this time, and the next ask tries again.
 */
static bool
make_room(struct lk *lk)
{
	struct entry *e = lk->age.newer;	/* oldest */

	for (int tries = 0; tries < 16 && e != &lk->age; tries++, e = e->newer) {
		if (e->inflight == 0) {
			remove_entry(lk, e);
			return true;
		}
	}
	return false;
}

static struct entry *
insert(struct lk *lk, const struct ns_addr *a)
{
	struct entry *e;

	if (lk->nentries >= LK_MAX_ENTRIES && !make_room(lk))
		return NULL;
	e = xcalloc(1, sizeof(*e));
	e->addr.af = a->af;
	memcpy(e->addr.b, a->b, a->af == 4 ? 4 : 16);
	for (int i = 0; i < LK_NPARTS; i++)
		*part_status(&e->info, (enum lk_part)i) =
		    lk->plugs[i].enabled ? LK_NONE : LK_OFF;
	ns_amap_put(&lk->table, &e->addr, (uintptr_t)e);
	age_push_newest(lk, e);
	lk->nentries++;
	return e;
}

static void
wake(struct lk *lk)
{
	if (lk->wake_armed)
		return;
	lk->wake_armed = true;
#ifdef HAVE_SYS_EVENTFD_H
	{
		uint64_t one = 1;

		if (write(lk->wake_wr, &one, sizeof(one)) < 0 && errno != EAGAIN)
			lk->wake_armed = false;
	}
#else
	if (write(lk->wake_wr, "", 1) < 0 && errno != EAGAIN)
		lk->wake_armed = false;
#endif
}

static void
mark_changed(struct lk *lk, struct entry *e)
{
	if (e->changed)
		return;
	if (lk->nchanged == lk->changed_cap) {
		lk->changed_cap = lk->changed_cap ? lk->changed_cap * 2 : 64;
		lk->changed = xreallocarray(lk->changed, lk->changed_cap,
		    sizeof(*lk->changed));
	}
	lk->changed[lk->nchanged++] = e->addr;
	e->changed = true;
	wake(lk);
}

/* Workers. */

static void
lk_release(struct lk *lk)
{
	if (atomic_fetch_sub(&lk->refs, 1) != 1)
		return;
	for (int i = 0; i < LK_NPARTS; i++) {
		struct plug *pl = &lk->plugs[i];

		if (pl->state != NULL)
			pl->p->free(pl->state);
		pthread_cond_destroy(&pl->qcv);
	}
	/* Every entry is on the age list. */
	for (struct entry *e = lk->age.older, *next; e != &lk->age; e = next) {
		next = e->older;
		free(e);
	}
	ns_amap_free(&lk->table);
	free(lk->changed);
	free(lk->cache_path);
	free(lk->rdap_base);
	close(lk->wake_rd);
	if (lk->wake_wr != lk->wake_rd)
		close(lk->wake_wr);
	pthread_cond_destroy(&lk->idle_cv);
	pthread_cond_destroy(&lk->stop_cv);
	pthread_mutex_destroy(&lk->mu);
	free(lk);
}

/* A query's result, with lk->mu held. */
static void
complete(struct lk *lk, enum lk_part part, const struct ns_addr *a,
    const struct lk_info *out)
{
	struct entry *e = find(lk, a);
	enum lk_status st = *part_status((struct lk_info *)out, part);
	enum lk_status old;
	double now = ns_now_wall();

	lk->pending--;
	if (lk->pending == 0)
		pthread_cond_broadcast(&lk->idle_cv);
	if (e == NULL || !(e->inflight & (1u << part)))
		return;
	e->inflight &= (uint8_t)~(1u << part);
	old = *part_status(&e->info, part);
	if (st == LK_DONE || old != LK_DONE) {
		part_copy(&e->info, out, part);
		if (st != LK_DONE && st != LK_FAILED) {
			*part_status(&e->info, part) = LK_FAILED;
			lk_reason(part_reason(&e->info, part),
			    "internal error: %s lookup gave no answer",
			    plugins[part]->name);
		}
	}
	/* A refresh that failed keeps the older answer a little longer. */
	e->expires[part] = now + (st == LK_DONE ? lk->ttl : fmin(lk->ttl, LK_FAIL_TTL));
	if (st == LK_DONE && plugins[part]->disk_cache)
		lk->cache_dirty = true;
	mark_changed(lk, e);
}

static void *
worker(void *arg)
{
	struct lk_job *job = arg;
	struct lk *lk = job->lk;
	struct plug *pl = &lk->plugs[job->part];

	pthread_mutex_lock(&lk->mu);
	for (;;) {
		struct ns_addr a;
		struct lk_info out;

		while (!atomic_load(&lk->stopping) && pl->qlen == 0)
			pthread_cond_wait(&pl->qcv, &lk->mu);
		if (atomic_load(&lk->stopping))
			break;
		a = pl->queue[pl->qhead];
		pl->qhead = (pl->qhead + 1) % LK_QUEUE_CAP;
		pl->qlen--;
		pthread_mutex_unlock(&lk->mu);

		memset(&out, 0, sizeof(out));
		*part_status(&out, job->part) = LK_PENDING;
		pl->p->query(pl->state, job, &a, &out);

		pthread_mutex_lock(&lk->mu);
		complete(lk, job->part, &a, &out);
	}
	pthread_mutex_unlock(&lk->mu);
	lk_release(lk);
	return NULL;
}

bool
lk_job_stopping(const struct lk_job *job)
{
	return atomic_load(&job->lk->stopping);
}

static void
deadline_after(struct timespec *ts, double seconds)
{
	double t;

	clock_gettime(CLOCK_MONOTONIC, ts);
	t = (double)ts->tv_sec + ts->tv_nsec / 1e9 + seconds;
	ts->tv_sec = (time_t)t;
	ts->tv_nsec = (long)((t - (double)ts->tv_sec) * 1e9);
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

bool
lk_job_throttle(struct lk_job *job)
{
	struct lk *lk = job->lk;
	struct plug *pl = &lk->plugs[job->part];
	bool ok;

	pthread_mutex_lock(&lk->mu);
	for (;;) {
		double now = ns_now_mono(), burst = fmax(1.0, pl->rate);
		struct timespec ts;

		if ((ok = !atomic_load(&lk->stopping)) == false || pl->rate <= 0)
			break;
		pl->tokens = fmin(burst, pl->tokens + (now - pl->refilled) * pl->rate);
		pl->refilled = now;
		if (pl->tokens >= 1.0) {
			pl->tokens -= 1.0;
			break;
		}
		deadline_after(&ts, (1.0 - pl->tokens) / pl->rate);
		pthread_cond_timedwait(&lk->stop_cv, &lk->mu, &ts);
	}
	pthread_mutex_unlock(&lk->mu);
	return ok;
}

/* The disk cache. */

static void
cache_flush(struct lk *lk)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	double now = ns_now_wall();

	if (lk->cache_path == NULL)
		return;
	mem = open_memstream(&buf, &len);
	if (mem == NULL)
		return;
	pthread_mutex_lock(&lk->mu);
	if (!lk->cache_dirty) {
		pthread_mutex_unlock(&lk->mu);
		fclose(mem);
		free(buf);
		return;
	}
	lk->cache_dirty = false;
	for (struct entry *e = lk->age.older; e != &lk->age; e = e->older) {
		if (e->info.rdns.status == LK_DONE && e->expires[LK_PART_RDNS] > now)
			lkc_put_rdns(mem, &e->addr, e->expires[LK_PART_RDNS], &e->info.rdns);
		if (e->info.rdap.status == LK_DONE && e->expires[LK_PART_RDAP] > now)
			lkc_put_rdap(mem, &e->addr, e->expires[LK_PART_RDAP], lk->rdap_base,
			    &e->info.rdap);
	}
	pthread_mutex_unlock(&lk->mu);
	fclose(mem);
	if (lkc_write(lk->cache_path, buf, len) != 0) {
		pthread_mutex_lock(&lk->mu);
		lk->cache_dirty = true;	/* try again at the next tick */
		pthread_mutex_unlock(&lk->mu);
	}
	free(buf);
}

/* lkc_load() calls this for each cached answer, during lk_start. */
static void
cache_add(void *arg, const struct ns_addr *a, enum lk_part part, double expires,
    const struct lk_info *info)
{
	struct lk *lk = arg;
	struct entry *e;

	if (!lk->plugs[part].enabled)
		return;
	if ((e = find(lk, a)) == NULL && (e = insert(lk, a)) == NULL)
		return;
	part_copy(&e->info, info, part);
	e->expires[part] = expires;
}

static void *
housekeeping(void *arg)
{
	struct lk *lk = arg;

	pthread_mutex_lock(&lk->mu);
	while (!atomic_load(&lk->stopping)) {
		struct timespec ts;

		pthread_mutex_unlock(&lk->mu);
		for (int i = 0; i < LK_NPARTS && !atomic_load(&lk->stopping); i++) {
			struct plug *pl = &lk->plugs[i];

			if (pl->enabled && pl->state != NULL && pl->p->tick != NULL)
				pl->p->tick(pl->state, &pl->job);
		}
		cache_flush(lk);
		pthread_mutex_lock(&lk->mu);
		deadline_after(&ts, LK_TICK);
		while (!atomic_load(&lk->stopping) &&
		    pthread_cond_timedwait(&lk->stop_cv, &lk->mu, &ts) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&lk->mu);
	lk_release(lk);
	return NULL;
}

/* The API. */

static bool
name_in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while (*p != '\0') {
		size_t len = strcspn(p, ",");

		if (len == n && strncmp(p, name, n) == 0)
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

static void
check_enable_list(const char *list)
{
	const char *p = list;

	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		bool known = len == 0;

		for (int i = 0; i < LK_NPARTS && !known; i++)
			known = strlen(plugins[i]->name) == len &&
			    strncmp(plugins[i]->name, p, len) == 0;
		if (!known)
			fatalx("--lookups: unknown lookup \"%.*s\" (known: rdns, geo, rdap, ntp)",
			    (int)NS_MIN(len, 40), p);
		p += len;
		if (*p == ',')
			p++;
	}
}

static void
open_wake(struct lk *lk)
{
#ifdef HAVE_SYS_EVENTFD_H
	lk->wake_rd = lk->wake_wr = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (lk->wake_rd < 0)
		fatal("eventfd");
#else
	int p[2];

	if (pipe(p) != 0)
		fatal("pipe");
	for (int i = 0; i < 2; i++) {
		fcntl(p[i], F_SETFL, fcntl(p[i], F_GETFL) | O_NONBLOCK);
		fcntl(p[i], F_SETFD, FD_CLOEXEC);
	}
	lk->wake_rd = p[0];
	lk->wake_wr = p[1];
#endif
}

struct lk *
lk_start(const struct lk_config *cfg)
{
	static const struct lk_config none;
	struct lk *lk = xcalloc(1, sizeof(*lk));
	pthread_condattr_t ca;

	if (cfg == NULL)
		cfg = &none;
	lk->cfg = *cfg;
	lk->ttl = cfg->ttl > 0 ? cfg->ttl : LK_DEFAULT_TTL;
	atomic_init(&lk->refs, 1);
	atomic_init(&lk->stopping, false);
	pthread_mutex_init(&lk->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&lk->idle_cv, &ca);
	pthread_cond_init(&lk->stop_cv, &ca);
	lk->age.newer = lk->age.older = &lk->age;
	ns_amap_init(&lk->table);
	open_wake(lk);
	if (cfg->enable != NULL)
		check_enable_list(cfg->enable);

	for (int i = 0; i < LK_NPARTS; i++) {
		struct plug *pl = &lk->plugs[i];

		pl->p = plugins[i];
		pthread_cond_init(&pl->qcv, &ca);
		pl->job.lk = lk;
		pl->job.part = (enum lk_part)i;
		pl->enabled = !cfg->disable_all &&
		    (cfg->enable == NULL || name_in_list(cfg->enable, pl->p->name));
		if (!pl->enabled)
			continue;
		pl->rate = pl->p->rate > 0 && cfg->rate_per_sec > 0 ?
		    cfg->rate_per_sec : pl->p->rate;
		pl->tokens = fmax(1.0, pl->rate);
		pl->refilled = ns_now_mono();
		pl->state = pl->p->start(cfg, pl->start_err, sizeof(pl->start_err));
		if (pl->state == NULL && pl->start_err[0] == '\0')
			lk_reason(pl->start_err, "%s lookups could not start", pl->p->name);
	}
	pthread_condattr_destroy(&ca);

	if (!cfg->no_disk_cache && !cfg->disable_all &&
	    (lk->plugs[LK_PART_RDNS].enabled || lk->plugs[LK_PART_RDAP].enabled)) {
		lk->cache_path = lkc_path(cfg->cache_dir, cfg->rdap_url);
		lk->rdap_base = xstrdup(cfg->rdap_url != NULL ? cfg->rdap_url : "-");
		if (lk->cache_path != NULL)
			lkc_load(lk->cache_path, lk->rdap_base, LK_MAX_ENTRIES,
			    cache_add, lk);
	}
	return lk;
}

int
lk_run(struct lk *lk)
{
	int err;

	if (lk->running)
		return 0;
	lk->running = true;
	for (int i = 0; i < LK_NPARTS; i++) {
		struct plug *pl = &lk->plugs[i];

		if (!pl->enabled || pl->state == NULL)
			continue;
		for (int t = 0; t < NS_MAX(1, NS_MIN(pl->p->workers, LK_MAX_WORKERS)); t++) {
			atomic_fetch_add(&lk->refs, 1);
			err = pthread_create(&pl->threads[t], NULL, worker, &pl->job);
			if (err != 0) {
				atomic_fetch_sub(&lk->refs, 1);
				ns_warnx("cannot start a %s lookup thread: %s",
				    pl->p->name, strerror(err));
				return -1;
			}
			pl->nthreads++;
		}
	}
	atomic_fetch_add(&lk->refs, 1);
	err = pthread_create(&lk->hk, NULL, housekeeping, lk);
	if (err != 0) {
		atomic_fetch_sub(&lk->refs, 1);
		ns_warnx("cannot start the lookup housekeeping thread: %s", strerror(err));
		return -1;
	}
	lk->hk_started = true;
	return 0;
}

int
lk_fd(struct lk *lk)
{
	return lk->wake_rd;
}

void
lk_query(struct lk *lk, const struct ns_addr *a)
{
	struct entry *e;
	double now;

	if (a->af != 4 && a->af != 6)
		return;
	now = ns_now_wall();
	pthread_mutex_lock(&lk->mu);
	if ((e = find(lk, a)) != NULL) {
		age_unlink(e);
		age_push_newest(lk, e);
	} else if ((e = insert(lk, a)) == NULL) {
		pthread_mutex_unlock(&lk->mu);
		return;
	}
	for (int i = 0; i < LK_NPARTS; i++) {
		struct plug *pl = &lk->plugs[i];
		enum lk_status *st = part_status(&e->info, (enum lk_part)i);

		if (!pl->enabled || (e->inflight & (1u << i)))
			continue;
		if (*st != LK_NONE && now < e->expires[i])
			continue;
		if (pl->state == NULL) {
			/* The plugin could not start; that will not change. */
			*st = LK_FAILED;
			lk_reason(part_reason(&e->info, (enum lk_part)i), "%s", pl->start_err);
			e->expires[i] = DBL_MAX;
			mark_changed(lk, e);
			continue;
		}
		if (pl->qlen >= LK_QUEUE_CAP) {
			if (*st != LK_DONE) {
				*st = LK_FAILED;
				lk_reason(part_reason(&e->info, (enum lk_part)i),
				    "skipped: lookup rate limit (%d queued)", LK_QUEUE_CAP);
				e->expires[i] = now;	/* retried on the next ask */
				mark_changed(lk, e);
			}
			continue;
		}
		pl->queue[(pl->qhead + pl->qlen) % LK_QUEUE_CAP] = e->addr;
		pl->qlen++;
		e->inflight |= (uint8_t)(1u << i);
		lk->pending++;
		if (*st != LK_DONE) {
			*st = LK_PENDING;
			part_reason(&e->info, (enum lk_part)i)[0] = '\0';
		}
		pthread_cond_signal(&pl->qcv);
	}
	pthread_mutex_unlock(&lk->mu);
}

void
lk_collect(struct lk *lk, void (*cb)(void *, const struct ns_addr *,
    const struct lk_info *), void *arg)
{
	struct ns_addr *list;
	size_t n;

	for (;;) {
		char buf[64];

		if (read(lk->wake_rd, buf, sizeof(buf)) <= 0)
			break;
#ifdef HAVE_SYS_EVENTFD_H
		break;
#endif
	}
	pthread_mutex_lock(&lk->mu);
	lk->wake_armed = false;
	list = lk->changed;
	n = lk->nchanged;
	lk->changed = NULL;
	lk->nchanged = lk->changed_cap = 0;
	for (size_t i = 0; i < n; i++) {
		struct entry *e = find(lk, &list[i]);

		if (e != NULL)
			e->changed = false;
	}
	pthread_mutex_unlock(&lk->mu);

	for (size_t i = 0; i < n && cb != NULL; i++) {
		struct lk_info info;
		struct entry *e;

		pthread_mutex_lock(&lk->mu);
		if ((e = find(lk, &list[i])) != NULL)
			info = e->info;
		pthread_mutex_unlock(&lk->mu);
		if (e != NULL)
			cb(arg, &list[i], &info);
	}
	free(list);
}

void
lk_get(struct lk *lk, const struct ns_addr *a, struct lk_info *out)
{
	struct entry *e;

	pthread_mutex_lock(&lk->mu);
	if ((e = find(lk, a)) != NULL)
		*out = e->info;
	else
		memset(out, 0, sizeof(*out));
	pthread_mutex_unlock(&lk->mu);
}

void
lk_wait(struct lk *lk, double timeout)
{
	struct timespec ts;

	deadline_after(&ts, timeout > 0 ? timeout : 0);
	pthread_mutex_lock(&lk->mu);
	while (lk->pending > 0 && lk->running && !atomic_load(&lk->stopping))
		if (pthread_cond_timedwait(&lk->idle_cv, &lk->mu, &ts) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&lk->mu);
}

/*
 * Join with a deadline. A worker can be stuck in a call that cannot be
 * interrupted (getnameinfo waits for the resolver's own timeouts); such a
 * thread is detached and frees the service itself when it returns, since
 * it holds a reference.
 */
static bool
join_until(pthread_t t, const struct timespec *deadline)
{
	struct timespec real;
	double left;

	/* pthread_timedjoin_np measures against CLOCK_REALTIME. */
	clock_gettime(CLOCK_MONOTONIC, &real);
	left = (double)(deadline->tv_sec - real.tv_sec) +
	    (deadline->tv_nsec - real.tv_nsec) / 1e9;
	clock_gettime(CLOCK_REALTIME, &real);
	{
		double t2 = (double)real.tv_sec + real.tv_nsec / 1e9 + fmax(0, left);

		real.tv_sec = (time_t)t2;
		real.tv_nsec = (long)((t2 - (double)real.tv_sec) * 1e9);
	}
	if (pthread_timedjoin_np(t, NULL, &real) == 0)
		return true;
	pthread_detach(t);
	return false;
}

void
lk_stop(struct lk *lk)
{
	struct timespec deadline;

	if (lk == NULL)
		return;
	pthread_mutex_lock(&lk->mu);
	atomic_store(&lk->stopping, true);
	for (int i = 0; i < LK_NPARTS; i++)
		pthread_cond_broadcast(&lk->plugs[i].qcv);
	pthread_cond_broadcast(&lk->stop_cv);
	pthread_cond_broadcast(&lk->idle_cv);
	pthread_mutex_unlock(&lk->mu);

	for (int i = 0; i < LK_NPARTS; i++) {
		struct plug *pl = &lk->plugs[i];

		if (pl->state != NULL && pl->p->cancel != NULL)
			pl->p->cancel(pl->state);
	}
	deadline_after(&deadline, LK_JOIN_WAIT);
	for (int i = 0; i < LK_NPARTS; i++)
		for (int t = 0; t < lk->plugs[i].nthreads; t++)
			join_until(lk->plugs[i].threads[t], &deadline);
	if (lk->hk_started)
		join_until(lk->hk, &deadline);
	cache_flush(lk);
	lk_release(lk);
}
