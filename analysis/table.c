/*
 * The host, flow and target tables. Keys are hashed with SipHash under a
 * secret chosen at start, so that spoofed addresses cannot be picked to
 * collide. Each table has a fixed capacity; when full, a sample of
 * entries is examined and the least valuable one is evicted (Redis's
 * approximated LRU): O(1) per packet however many addresses arrive.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/internal.h"
#include "common/util.h"

#define EVICT_SAMPLE 8

void
table_init(struct table *t, uint32_t max_entries)
{
	uint32_t size = 16;

	while (size < max_entries * 2)
		size <<= 1;
	t->slots = xcalloc(size, sizeof(*t->slots));
	t->mask = size - 1;
	t->n = 0;
}

void
table_free(struct table *t, void (*fn)(void *))
{
	if (t->slots == NULL)
		return;
	for (uint32_t i = 0; i <= t->mask; i++)
		if (t->slots[i].p != NULL)
			fn(t->slots[i].p);
	free(t->slots);
	t->slots = NULL;
}

uint64_t
ana_hash(const struct ana *a, const void *p, size_t len)
{
	return ns_siphash(a->key, p, len);
}

static void
table_insert(struct table *t, uint64_t h, void *p)
{
	uint32_t i;

	for (i = (uint32_t)h & t->mask; t->slots[i].p != NULL; i = (i + 1) & t->mask)
		;
	t->slots[i].hash = h;
	t->slots[i].p = p;
	t->n++;
}

static void
table_remove_at(struct table *t, uint32_t i)
{
	uint32_t j = i, k;

	t->slots[i].p = NULL;
	t->n--;
	for (;;) {
		j = (j + 1) & t->mask;
		if (t->slots[j].p == NULL)
			return;
		k = (uint32_t)t->slots[j].hash & t->mask;
		/* Move j back to i unless its home lies cyclically in (i, j]. */
		if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		t->slots[i] = t->slots[j];
		t->slots[j].p = NULL;
		i = j;
	}
}

static uint64_t
rnd(struct ana *a)
{
	/* xorshift64*: only picks eviction samples. */
	a->rng ^= a->rng >> 12;
	a->rng ^= a->rng << 25;
	a->rng ^= a->rng >> 27;
	return a->rng * 2685821657736338717ULL;
}

/* Index of the lowest-valued of a few random entries. */
static uint32_t
table_sample_min(struct ana *a, struct table *t, double (*value)(const void *))
{
	uint32_t best = 0, i;
	double bv = INFINITY;
	int s;

	for (s = 0; s < EVICT_SAMPLE; s++) {
		i = (uint32_t)rnd(a) & t->mask;
		while (t->slots[i].p == NULL)
			i = (i + 1) & t->mask;
		double v = value(t->slots[i].p);

		if (v < bv) {
			bv = v;
			best = i;
		}
	}
	return best;
}

/* ---- hosts ---- */

void
host_free(void *p)
{
	struct host *h = p;

	portset_free(&h->lports);
	portset_free(&h->rports);
	portset_free(&h->pports);
	addrset_free(&h->laddrs);
	addrset_free(&h->paddrs);
	free(h->ev);
	free(h);
}

/*
 * Keep the busiest and the most suspicious: attack verdicts and hosts that
 * probed us weigh far more than quiet benign ones; recent traffic counts.
 */
static double
host_value(const void *p)
{
	const struct host *h = p;

	return h->score;
}

struct host *
host_find(struct ana *a, const struct ns_addr *addr, uint64_t h)
{
	struct table *t = &a->hosts;
	uint32_t i;

	for (i = (uint32_t)h & t->mask; t->slots[i].p != NULL; i = (i + 1) & t->mask) {
		struct host *e = t->slots[i].p;

		if (t->slots[i].hash == h && ns_addr_eq(&e->addr, addr))
			return e;
	}
	return NULL;
}

struct host *
host_get(struct ana *a, const struct ns_addr *addr, double ts)
{
	uint64_t h = ana_hash(a, addr, sizeof(*addr));
	struct host *e = host_find(a, addr, h);

	if (e != NULL)
		return e;
	if (a->hosts.n >= a->max_hosts) {
		uint32_t i = table_sample_min(a, &a->hosts, host_value);
		struct host *v = a->hosts.slots[i].p;

		a->tot.other_packets_in += v->pkts_in;
		a->tot.other_packets_out += v->pkts_out;
		a->tot.other_bytes_in += v->bytes_in;
		a->tot.other_bytes_out += v->bytes_out;
		a->tot.hosts_evicted++;
		if (v->ev != NULL)
			a->n_evrings--;
		table_remove_at(&a->hosts, i);
		host_free(v);
	}
	e = xcalloc(1, sizeof(*e));
	e->addr = *addr;
	e->hash = h;
	e->first = e->last = ts;
	e->ntp.stratum = -1;
	e->ntp.poll = 0;
	e->ntp.mode7_impl = -1;
	table_insert(&a->hosts, h, e);
	a->tot.hosts_seen++;
	return e;
}

/* ---- flows ---- */

static double
flow_value(const void *p)
{
	return ((const struct flow *)p)->last;
}

struct flow *
flow_find(struct ana *a, const struct flow_key *k, uint64_t h)
{
	struct table *t = &a->flows;
	uint32_t i;

	for (i = (uint32_t)h & t->mask; t->slots[i].p != NULL; i = (i + 1) & t->mask) {
		struct flow *f = t->slots[i].p;

		if (t->slots[i].hash == h && memcmp(&f->k, k, sizeof(*k)) == 0)
			return f;
	}
	return NULL;
}

struct flow *
flow_add(struct ana *a, const struct flow_key *k, uint64_t h)
{
	struct flow *f;

	if (a->flows.n >= a->max_flows) {
		uint32_t i = table_sample_min(a, &a->flows, flow_value);

		f = a->flows.slots[i].p;
		table_remove_at(&a->flows, i);
		a->tot.flows_evicted++;
		memset(f, 0, sizeof(*f));
	} else {
		f = xcalloc(1, sizeof(*f));
	}
	f->k = *k;
	f->hash = h;
	table_insert(&a->flows, h, f);
	return f;
}

/* ---- incident targets ---- */

struct target_key {
	struct ns_addr local;
	int32_t port;
	uint8_t proto;
};

static double
target_value(const void *p)
{
	const struct target *t = p;

	return (double)(t->unsol_pkts + t->amp_resp_pkts);
}

struct target *
target_get(struct ana *a, const struct ns_addr *local, uint8_t proto, int32_t port)
{
	struct target_key k;
	struct table *t = &a->targets;
	struct target *e;
	uint64_t h;
	uint32_t i;

	memset(&k, 0, sizeof(k));
	k.local = *local;
	k.proto = proto;
	k.port = port;
	h = ana_hash(a, &k, sizeof(k));
	for (i = (uint32_t)h & t->mask; t->slots[i].p != NULL; i = (i + 1) & t->mask) {
		e = t->slots[i].p;
		if (t->slots[i].hash == h && e->proto == proto && e->port == port &&
		    ns_addr_eq(&e->local, local))
			return e;
	}
	if (t->n >= a->max_targets) {
		i = table_sample_min(a, t, target_value);
		e = t->slots[i].p;
		table_remove_at(t, i);
		free(e);
	}
	e = xcalloc(1, sizeof(*e));
	e->local = *local;
	e->proto = proto;
	e->port = port;
	e->hash = h;
	table_insert(t, h, e);
	return e;
}
