/*
 * Public NTP reputation: is this address a well-known public NTP server?
 * If it is, the "attack" it seems to send is almost surely the replies to
 * our own clients' requests.
 *
 * Three kinds of evidence:
 *  - assets/public-ntp.list: names (resolved at start on the service's
 *    housekeeping thread, and again every six hours; the NTP Pool hands
 *    out a few of its thousands of servers per resolution, so addresses
 *    accumulate over the run), plus addresses and prefixes listed
 *    literally, which work without DNS;
 *  - --probe: one mode 3 request from us (lookups/ntpq.c);
 *  - what the analysis saw the host do (struct lk_ntp_observed).
 * lk_ntp_public() weighs them into public true/false and one line of why.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/util.h"
#include "lookups/ntpq.h"
#include "lookups/plugin.h"

#ifndef NS_DATADIR
#define NS_DATADIR "/usr/local/share/ntpsleuth"
#endif

#define MAX_ITEMS 1024		/* lines in the list */
#define MAX_RESOLVED 4096	/* addresses kept from resolving its names */
#define REFRESH (6 * 3600.0)
#define FIRST_WAIT 10.0		/* a query waits this long for the first resolution */
#define RESOLVERS 4		/* threads resolving the list's names */

struct item {
	char label[128];	/* the name shown: "time.google.com" */
	bool is_name;
	struct ns_cidr cidr;	/* literal entries */
};

struct resolved {
	struct ns_addr a;
	int item;
};

struct ntprep {
	struct item *items;
	int nitems, nnames;
	char list_err[LK_REASON_LEN];
	bool probe;
	double timeout;
	atomic_bool cancel;

	pthread_mutex_t mu;	/* the fields below */
	pthread_cond_t cv;
	struct resolved *res;
	size_t nres;
	bool resolved_once;
	int names_ok, names_done;
	double last_refresh;
};

static int
cmp_resolved(const void *a, const void *b)
{
	return ns_addr_cmp(&((const struct resolved *)a)->a,
	    &((const struct resolved *)b)->a);
}

static bool
valid_name(const char *s)
{
	if (s[0] == '\0' || strlen(s) > 253)
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-')
			return false;
	return true;
}

/*
 * One entry a line: a name, an address or a prefix, then optionally the
 * label to show for it ("162.159.200.1 time.cloudflare.com"). '#' starts
 * a comment.
 */
static int
load_list(struct ntprep *st, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int lineno = 0;

	if (f == NULL) {
		lk_reason(st->list_err, "cannot read the public NTP list %.100s: %s", path,
		    strerror(errno));
		return -1;
	}
	st->items = xcalloc(MAX_ITEMS, sizeof(*st->items));
	while (fgets(line, sizeof(line), f) != NULL && st->nitems < MAX_ITEMS) {
		char *p = line, *entry, *label;
		struct item *it = &st->items[st->nitems];

		lineno++;
		p[strcspn(p, "#\r\n")] = '\0';
		entry = strtok(p, " \t");
		if (entry == NULL)
			continue;
		label = strtok(NULL, " \t");
		if (ns_cidr_parse(&it->cidr, entry) == 0) {
			it->is_name = false;
		} else if (valid_name(entry)) {
			it->is_name = true;
			st->nnames++;
		} else {
			ns_warnx("%s:%d: not a name, address or prefix: ignored", path, lineno);
			continue;
		}
		ns_printable(it->label, sizeof(it->label), label != NULL ? label : entry,
		    strlen(label != NULL ? label : entry));
		st->nitems++;
	}
	fclose(f);
	return 0;
}

static void *
ntprep_start(const struct lk_config *cfg, char *err, size_t errlen)
{
	struct ntprep *st = xcalloc(1, sizeof(*st));
	pthread_condattr_t ca;
	char *local;

	(void)err;
	(void)errlen;
	/*
	 * The installed list, else the one beside a binary run from its
	 * source tree. A missing list is not fatal: the probe and what was
	 * seen still count.
	 */
	if (cfg->ntp_list != NULL) {
		load_list(st, cfg->ntp_list);
	} else if (access(NS_DATADIR "/public-ntp.list", R_OK) != 0 &&
	    (local = lk_beside_exe("assets/public-ntp.list")) != NULL) {
		load_list(st, local);
		free(local);
	} else {
		load_list(st, NS_DATADIR "/public-ntp.list");
	}
	st->probe = cfg->probe;
	st->timeout = NS_MIN(lk_cfg_timeout(cfg), 3.0);
	atomic_init(&st->cancel, false);
	pthread_mutex_init(&st->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&st->cv, &ca);
	pthread_condattr_destroy(&ca);
	return st;
}

struct resolving {
	struct ntprep *st;
	struct lk_job *job;
	atomic_int next;	/* the next item to resolve */
	struct resolved *res;	/* guarded by st->mu */
	size_t n;
	int ok;
};

static void *
resolve_names(void *arg)
{
	struct resolving *rs = arg;
	struct ntprep *st = rs->st;

	for (;;) {
		struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai, *r;
		int i = atomic_fetch_add(&rs->next, 1), rc;

		if (i >= st->nitems || atomic_load(&st->cancel) || lk_job_stopping(rs->job))
			break;
		if (!st->items[i].is_name)
			continue;
		rc = getaddrinfo(st->items[i].label, NULL, &hints, &ai);
		pthread_mutex_lock(&st->mu);
		st->names_done++;
		if (rc == 0) {
			rs->ok++;
			for (r = ai; r != NULL && rs->n < MAX_RESOLVED; r = r->ai_next) {
				struct ns_addr a = { 0 };

				if (r->ai_family == AF_INET)
					ns_addr_set4(&a, (const uint8_t *)&((struct sockaddr_in *)
					    r->ai_addr)->sin_addr);
				else if (r->ai_family == AF_INET6)
					ns_addr_set6(&a, (const uint8_t *)&((struct sockaddr_in6 *)
					    r->ai_addr)->sin6_addr);
				else
					continue;
				rs->res[rs->n].a = a;
				rs->res[rs->n].item = i;
				rs->n++;
			}
		}
		pthread_mutex_unlock(&st->mu);
		if (rc == 0)
			freeaddrinfo(ai);
	}
	return NULL;
}

/*
 * Resolve the list's names, on the housekeeping thread, with a few
 * helper threads: one name stuck in a resolver timeout (5 s and more)
 * must not hold up the rest.
 */
static void
ntprep_tick(void *state, struct lk_job *job)
{
	struct ntprep *st = state;
	struct resolving rs = { .st = st, .job = job };
	pthread_t t[RESOLVERS];
	int nt = 0;

	pthread_mutex_lock(&st->mu);
	if (st->nnames == 0 || (st->resolved_once &&
	    ns_now_mono() - st->last_refresh < REFRESH)) {
		if (!st->resolved_once) {
			st->resolved_once = true;
			pthread_cond_broadcast(&st->cv);
		}
		pthread_mutex_unlock(&st->mu);
		return;
	}
	/* Keep what earlier rounds found: the pool rotates its answers. */
	rs.res = xreallocarray(NULL, MAX_RESOLVED, sizeof(*rs.res));
	rs.n = st->nres;
	if (rs.n > 0)
		memcpy(rs.res, st->res, rs.n * sizeof(*rs.res));
	st->names_done = 0;
	pthread_mutex_unlock(&st->mu);

	atomic_init(&rs.next, 0);
	while (nt < RESOLVERS && pthread_create(&t[nt], NULL, resolve_names, &rs) == 0)
		nt++;
	if (nt == 0)
		resolve_names(&rs);
	for (int i = 0; i < nt; i++)
		pthread_join(t[i], NULL);
	qsort(rs.res, rs.n, sizeof(*rs.res), cmp_resolved);

	pthread_mutex_lock(&st->mu);
	free(st->res);
	st->res = rs.res;
	st->nres = rs.n;
	st->names_ok = rs.ok;
	st->resolved_once = true;
	st->last_refresh = ns_now_mono();
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
}

static void
wait_first_resolution(struct ntprep *st)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)FIRST_WAIT;
	while (!st->resolved_once && !atomic_load(&st->cancel))
		if (pthread_cond_timedwait(&st->cv, &st->mu, &ts) != 0)
			break;
}

static void
ntprep_query(void *state, struct lk_job *job, const struct ns_addr *a,
    struct lk_info *info)
{
	struct ntprep *st = state;
	struct lk_ntp *out = &info->ntp;
	struct resolved key = { .a = *a }, *hit;
	bool resolving = false;
	int item = -1;

	for (int i = 0; i < st->nitems && item < 0; i++)
		if (!st->items[i].is_name && ns_cidr_contains(&st->items[i].cidr, a))
			item = i;
	pthread_mutex_lock(&st->mu);
	if (item < 0 && st->nnames > 0) {
		wait_first_resolution(st);
		hit = st->nres ? bsearch(&key, st->res, st->nres, sizeof(key),
		    cmp_resolved) : NULL;
		if (hit != NULL)
			item = hit->item;
	}
	if (item < 0 && st->nnames > 0 && !st->resolved_once) {
		/* Not a wrong "not listed" kept for a day: fail, retried soon. */
		resolving = true;
		lk_reason(out->reason, "the public NTP list is still resolving (%d of %d "
		    "names); will retry", st->names_done, st->nnames);
	} else if (item < 0 && st->list_err[0] != '\0') {
		lk_reason(out->reason, "%s", st->list_err);
	} else if (item < 0 && st->nnames > 0 && st->names_ok == 0) {
		lk_reason(out->reason, "the list's names did not resolve (no DNS?): only its "
		    "literal addresses were checked");
	}
	pthread_mutex_unlock(&st->mu);
	if (item >= 0) {
		out->listed = true;
		snprintf(out->list_name, sizeof(out->list_name), "%s", st->items[item].label);
	}

	if (st->probe && lk_job_throttle(job)) {
		struct sockaddr_storage ss;
		unsigned len = lk_sockaddr(a, ntpq_port(), &ss);
		char why[LK_REASON_LEN];

		snprintf(why, sizeof(why), "%s", out->reason);
		if (ntpq_probe((struct sockaddr *)&ss, len, st->timeout, &st->cancel, out) == 0)
			snprintf(out->reason, sizeof(out->reason), "%s", why);
	}
	if (resolving || (st->list_err[0] != '\0' && !out->probed))
		out->status = LK_FAILED;
	else
		out->status = LK_DONE;
}

static void
ntprep_cancel(void *state)
{
	struct ntprep *st = state;

	atomic_store(&st->cancel, true);
	pthread_mutex_lock(&st->mu);
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
}

static void
ntprep_free(void *state)
{
	struct ntprep *st = state;

	pthread_cond_destroy(&st->cv);
	pthread_mutex_destroy(&st->mu);
	free(st->items);
	free(st->res);
	free(st);
}

const struct lk_plugin lk_ntprep = {
	.name = "ntp",
	.part = LK_PART_NTP,
	.workers = 1,
	.rate = 5,	/* only --probe sends anything */
	.disk_cache = false,
	.start = ntprep_start,
	.query = ntprep_query,
	.tick = ntprep_tick,
	.cancel = ntprep_cancel,
	.free = ntprep_free,
};

/* The judgement. */

bool
lk_ntp_public(const struct lk_info *info, const struct lk_ntp_observed *obs,
    char *why, size_t whylen)
{
	const struct lk_ntp *n = &info->ntp;
	bool known = n->status == LK_DONE || n->status == LK_FAILED;
	int stratum = obs != NULL ? obs->stratum : -1;

	if (known && n->listed) {
		if (n->probed)
			snprintf(why, whylen, "listed public NTP service (%s); answered our "
			    "probe: stratum %d", n->list_name, n->probe_stratum);
		else
			snprintf(why, whylen, "listed public NTP service (%s)", n->list_name);
		return true;
	}
	if (known && n->probed && n->probe_stratum >= 1 && n->probe_stratum <= 15) {
		snprintf(why, whylen, "answers NTP from anyone: our probe got stratum %d, "
		    "refid %s, %.1f ms", n->probe_stratum, n->probe_refid, n->probe_delay_ms);
		return true;
	}
	if (obs != NULL && obs->mode4_from_123 > 0) {
		char r[24];

		ns_printable(r, sizeof(r), obs->refid, strnlen(obs->refid, sizeof(obs->refid)));
		if (stratum < 1 || stratum > 15) {
			snprintf(why, whylen, "sent %llu NTP replies from port 123 but %s",
			    (unsigned long long)obs->mode4_from_123, stratum == 0 ?
			    "only kiss-o'-death codes (stratum 0)" : stratum == 16 ?
			    "is unsynchronised (stratum 16)" : "with no usable stratum");
			return false;
		}
		if (obs->mode3_to_it == 0) {
			snprintf(why, whylen, "an NTP server (stratum %d, refid %s), but none of "
			    "our hosts asked it: %llu unsolicited replies", stratum, r,
			    (unsigned long long)obs->mode4_from_123);
			return true;
		}
		if (obs->mode4_from_123 > 2 * obs->mode3_to_it + 10) {
			snprintf(why, whylen, "an NTP server (stratum %d, refid %s) that sent "
			    "%llu replies for only %llu requests from here", stratum, r,
			    (unsigned long long)obs->mode4_from_123,
			    (unsigned long long)obs->mode3_to_it);
			return true;
		}
		snprintf(why, whylen, "an NTP server our hosts use: %llu replies from port 123 "
		    "to %llu requests (stratum %d, refid %s)",
		    (unsigned long long)obs->mode4_from_123,
		    (unsigned long long)obs->mode3_to_it, stratum, r);
		return true;
	}
	if (known && n->probed)
		snprintf(why, whylen, "not a known public NTP server; our probe got stratum %d "
		    "(%s)", n->probe_stratum, n->probe_refid);
	else if (obs != NULL && obs->mode3_to_it > 0)
		snprintf(why, whylen, "our hosts sent it %llu NTP requests, it sent no reply",
		    (unsigned long long)obs->mode3_to_it);
	else if (known && n->reason[0] != '\0')
		snprintf(why, whylen, "not in the public NTP list; %s", n->reason);
	else if (known)
		snprintf(why, whylen, "not in the public NTP list");
	else
		snprintf(why, whylen, "not known yet (lookup %s)", lk_status_name(n->status));
	return false;
}
