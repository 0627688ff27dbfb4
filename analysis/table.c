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
		if (t->slots[i].p != NULL && fn != NULL)
			fn(t->slots[i].p);
	free(t->slots);
	t->slots = NULL;
}

uint64_t
ana_hash(const struct ana *a, const void *p, size_t len)
{
	return ns_siphash(a->key, p, len);
}

/*
 * The keys of the tables, hashed without the 12 zero bytes an IPv4
 * address leaves in struct ns_addr: SipHash-1-3 takes one round per 8
 * bytes, and every packet hashes a host, a flow and often two targets.
 */
uint64_t
ana_hash_addr(const struct ana *a, const struct ns_addr *x)
{
	return ns_siphash(a->key, x, x->af == 4 ? 1 + 4 : sizeof(*x));
}

/*
 * An address hash that is the same in every run, for what must not depend
 * on the tables' SipHash key (new each run): the incident host counts and
 * the sighting slots, so that the same capture gives the same report.
 * Spoofed sources can bias a count this way, but they can make it anything
 * they like by how many addresses they use anyway; in the sighting slots
 * they can only displace one another, in constant time.
 */
uint64_t
ana_hash_fixed(const struct ns_addr *x)
{
	uint64_t h = 0x243f6a8885a308d3ULL ^ x->af, w;

	for (int i = 0; i < 4; i++) {
		memcpy(&w, x->b + 4 * i, 4);
		h = (h ^ (uint32_t)w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 33;
	}
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

uint64_t
ana_hash_flow(const struct ana *a, const struct flow_key *k)
{
	uint8_t c[14];

	if (k->af != 4)
		return ns_siphash(a->key, k, sizeof(*k));
	memcpy(c, k, offsetof(struct flow_key, local));	/* af, proto, ports: 6 bytes */
	memcpy(c + 6, k->local, 4);
	memcpy(c + 10, k->remote, 4);
	return ns_siphash(a->key, c, sizeof(c));
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

/* ---- compact index tables ---- */

void
itable_init(struct itable *t, uint32_t max_entries)
{
	uint32_t size = 16;

	/* At most two thirds full. */
	while (size < max_entries + max_entries / 2)
		size <<= 1;
	t->s = ns_big_alloc(size, sizeof(*t->s));
	t->mask = size - 1;
	t->n = 0;
}

static void
itable_insert(struct itable *t, uint64_t h, uint32_t idx)
{
	uint32_t i;

	for (i = (uint32_t)h & t->mask; t->s[i] != 0; i = (i + 1) & t->mask)
		;
	t->s[i] = (uint64_t)(idx + 1) << 32 | (uint32_t)h;
	t->n++;
}

/* Remove index idx, whose hash's low 32 bits are tag. */
static void
itable_remove(struct itable *t, uint32_t tag, uint32_t idx)
{
	uint64_t want = (uint64_t)(idx + 1) << 32 | tag;
	uint32_t i, j, k;

	for (i = tag & t->mask; t->s[i] != want; i = (i + 1) & t->mask)
		;
	t->s[i] = 0;
	t->n--;
	/* Backward shift: the home of an entry is its tag & mask. */
	for (j = i;;) {
		j = (j + 1) & t->mask;
		if (t->s[j] == 0)
			return;
		k = (uint32_t)t->s[j] & t->mask;
		/* Move j back to i unless its home lies cyclically in (i, j]. */
		if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		t->s[i] = t->s[j];
		t->s[j] = 0;
		i = j;
	}
}

/* ---- hosts ---- */

const struct host_side host_no_side = {
	.ntp = { .stratum = -1, .poll = 0, .mode7_impl = -1 },
};

struct host_side *
host_side(struct host *h)
{
	if (h->side == NULL) {
		h->side = xmalloc(sizeof(*h->side));
		*h->side = host_no_side;
	}
	return h->side;
}

/* h's block of further timeline slots, taken now if it has none. */
static void
host_block(struct ana *a, struct host *h)
{
	struct hostpool *p = &a->hp;

	if (h->more != NULL)
		return;
	if (p->free_blocks != NULL) {
		h->more = p->free_blocks;
		p->free_blocks = h->more->next_free;
	} else {
		h->more = xmalloc(sizeof(*h->more));
	}
#ifdef NS_POISON_POOL
	/* Tests: as the pool's never-written slots, see host_adopt. */
	memset(h->more->ex, 0xa5, sizeof(h->more->ex));
	memset(h->more->recent, 0xa5, sizeof(h->more->recent));
#endif
}

struct ana_exchange *
host_ex_new(struct ana *a, struct host *h)
{
	if (h->ex_seq % ANA_TIMELINE >= EX_INLINE)	/* the slot of ex_seq + 1 */
		host_block(a, h);
	return host_ex(h, h->ex_seq + 1);
}

struct ana_burst *
host_burst_new(struct ana *a, struct host *h, int i)
{
	if (i >= BURST_INLINE)
		host_block(a, h);
	return host_burst(h, i);
}

/* The sets a host allocated; the host itself stays in the pool. */
static void
host_release(struct ana *a, struct host *h)
{
	portset_free(&h->lports);
	portset_free(&h->rports);
	portset_free(&h->pports);
	addrset_free(&h->laddrs);
	addrset_free(&h->paddrs);
	if (h->side != NULL) {
		addrset_free(&h->side->open);
		free(h->side);
		h->side = NULL;
	}
	if (h->more != NULL) {
		h->more->next_free = a->hp.free_blocks;
		a->hp.free_blocks = h->more;
		h->more = NULL;
	}
	if (h->ev != NULL) {
		free(h->ev);
		a->n_evrings--;
	}
}

void
hosts_free(struct ana *a)
{
	struct hostpool *p = &a->hp;

	for (uint32_t i = 0; i < p->used; i++)
		host_release(a, host_at(a, i));
	while (p->free_blocks != NULL) {
		struct host_block *b = p->free_blocks;

		p->free_blocks = b->next_free;
		free(b);
	}
	ns_big_free(p->h, a->max_hosts, sizeof(struct host));
	free(p->score);
	free(p->tag);
	free(p->sight);
	free(p->sframes);
	memset(p, 0, sizeof(*p));
	ns_big_free(a->hosts.s, a->hosts.mask + 1, sizeof(*a->hosts.s));
	a->hosts.s = NULL;
}

struct host *
host_find(const struct ana *a, const struct ns_addr *addr, uint64_t h)
{
	const struct itable *t = &a->hosts;
	uint32_t i;
	uint64_t x;

	for (i = (uint32_t)h & t->mask; (x = t->s[i]) != 0; i = (i + 1) & t->mask) {
		if ((uint32_t)x == (uint32_t)h) {
			struct host *e = host_at(a, (uint32_t)(x >> 32) - 1);

			if (e->hash == h && ns_addr_eq(&e->addr, addr))
				return e;
		}
	}
	return NULL;
}

void
hosts_init(struct ana *a)
{
	struct hostpool *p = &a->hp;

	if (a->max_hosts >= SIGHT_MIN_CAP)
		for (p->n_sight = SIGHT_MAX; p->n_sight > a->max_hosts / 8; p->n_sight /= 2)
			;
}

/*
 * (i + s) % n for i < n and small s, without a division: the eviction
 * clocks step through 8 neighbours for every new flow or host, and the
 * divisions by a cap known only at run time were 13 a new flow.
 */
static inline uint32_t
clock_step(uint32_t i, uint32_t s, uint32_t n)
{
	for (i += s; i >= n; i -= n)
		;
	return i;
}

/* The lowest-scored of the EVICT_SAMPLE hosts from the clock hand on. */
static uint32_t
host_pick(const struct ana *a)
{
	const struct hostpool *p = &a->hp;
	uint32_t n = a->max_hosts, best = clock_step(p->hand, 0, n);
	double bv = p->score[best];

	for (uint32_t s = 1; s < EVICT_SAMPLE; s++) {
		uint32_t i = clock_step(p->hand, s, n);

		if (p->score[i] < bv) {
			bv = p->score[i];
			best = i;
		}
	}
	return best;
}

/*
 * The table is full: evict the least valuable of EVICT_SAMPLE hosts that
 * lie next to each other in the pool, where a clock hand goes round (the
 * sampling of Redis's approximated LRU, with the samples read from one
 * cache line of scores rather than from eight random hosts). Busy hosts
 * and those that probed us or abused a server score high and stay. The
 * choice depends only on the traffic, so runs are reproducible.
 *
 * The victim and its table slot are cold: the next one is guessed as soon
 * as this one is gone, and fetched while other packets are analysed.
 */
static void
host_drop(struct ana *a, uint32_t idx)
{
	struct host *v = host_at(a, idx);

	a->tot.other_packets_in += v->pkts_in;
	a->tot.other_packets_out += v->pkts_out;
	a->tot.other_bytes_in += v->bytes_in;
	a->tot.other_bytes_out += v->bytes_out;
	a->tot.hosts_evicted++;
	itable_remove(&a->hosts, a->hp.tag[idx], idx);
	host_release(a, v);
}

static uint32_t
host_evict(struct ana *a)
{
	struct hostpool *p = &a->hp;
	uint32_t best = host_pick(a);

	host_drop(a, best);
	p->hand = clock_step(p->hand, EVICT_SAMPLE, a->max_hosts);
	{
		uint32_t next = host_pick(a);
		const char *h = (const char *)host_at(a, next);

		for (size_t off = 0; off < HOST_ZEROED; off += 64)
			__builtin_prefetch(h + off, 1);
		__builtin_prefetch(&a->hosts.s[p->tag[next] & a->hosts.mask]);
	}
	return best;
}

/* Tables this big are faulted in by a->pop; smaller ones come from calloc. */
#define POPULATE_MIN ((size_t)2 << 20)

/* Faulted in this far ahead of the highest index in use. */
#define POPULATE_AHEAD ((size_t)4 << 20)

/*
 * A pool of end bytes at base, filled in order, has its first used bytes
 * in use: fault in the pages up to ahead bytes beyond them, beside us.
 */
static void
pool_ahead(struct ana *a, void *base, size_t *populated, size_t used, size_t ahead,
    size_t end)
{
	size_t want = used + ahead;

	if (want <= *populated || *populated >= end || end < POPULATE_MIN)
		return;
	want = NS_MIN((want + POPULATE_MIN - 1) & ~(POPULATE_MIN - 1), end);
	ns_populate(a->pop, (uint8_t *)base + *populated, want - *populated);
	*populated = want;
}

/* Index idx is taken. */
static void
hostpool_ahead(struct ana *a, uint32_t idx)
{
	pool_ahead(a, a->hp.h, &a->hp.populated, (size_t)(idx + 1) * sizeof(struct host),
	    POPULATE_AHEAD, (size_t)a->max_hosts * sizeof(struct host));
}

/*
 * The pool is full: the sighting slot an address maps to, by the high
 * bits of its fixed hash, so that the same capture gives the same report.
 */
struct sighting *
sighting_slot(struct ana *a, uint64_t fx)
{
	struct hostpool *p = &a->hp;

	if (p->used < a->max_hosts || p->n_sight == 0)
		return NULL;
	if (p->sight == NULL) {
		size_t len = (size_t)p->n_sight * sizeof(*p->sight);

		/* Aligned, so that a sighting is 4 cache lines, not 5. */
		if (posix_memalign((void **)&p->sight, 64, len) != 0)
			fatalx("out of memory allocating %zu bytes", len);
		memset(p->sight, 0, len);
		if (!a->cfg.no_frames || a->cfg.n_watch > 0)
			p->sframes = xcalloc(p->n_sight, sizeof(*p->sframes));
	}
	return &p->sight[(uint32_t)(fx >> 32) & (p->n_sight - 1)];
}

struct host *
host_adopt(struct ana *a, const struct ns_addr *addr, uint64_t h, double ts)
{
	struct hostpool *p = &a->hp;
	struct host *e;
	uint32_t idx;

	if (p->used < a->max_hosts) {
		idx = p->used++;
		if (p->h == NULL) {
			p->h = ns_big_reserve(a->max_hosts, sizeof(struct host));
			p->score = xcalloc(a->max_hosts, sizeof(*p->score));
			p->tag = xcalloc(a->max_hosts, sizeof(*p->tag));
		}
		hostpool_ahead(a, idx);
	} else {
		idx = host_evict(a);
	}
	e = host_at(a, idx);
	memset(e, 0, HOST_ZEROED);
#ifdef NS_POISON_POOL
	/* Tests: whatever reads a slot it never wrote reads nonsense. */
	memset((char *)e + HOST_ZEROED, 0xa5, sizeof(*e) - HOST_ZEROED);
#endif
	e->idx = idx;
	e->addr = *addr;
	e->hash = h;
	e->first = e->last = ts;
	p->score[idx] = 0;
	p->tag[idx] = (uint32_t)h;
	itable_insert(&a->hosts, h, idx);
	return e;
}

struct host *
host_get_hashed(struct ana *a, const struct ns_addr *addr, uint64_t h, double ts)
{
	struct host *e = host_find(a, addr, h);

	if (e != NULL)
		return e;
	a->tot.hosts_seen++;
	return host_adopt(a, addr, h, ts);
}

/* ---- flows ---- */

struct flow *
flow_find(struct ana *a, const struct flow_key *k, uint64_t h)
{
	const struct itable *t = &a->flows;
	uint32_t i;
	uint64_t x;

	for (i = (uint32_t)h & t->mask; (x = t->s[i]) != 0; i = (i + 1) & t->mask) {
		if ((uint32_t)x == (uint32_t)h) {
			struct flow *f = &a->fp.f[(x >> 32) - 1];

			if (f->hash == h && memcmp(&f->k, k, sizeof(*k)) == 0)
				return f;
		}
	}
	return NULL;
}

/* The bucket of a flow's remote end in a->fp.by_remote: the low bits of its fixed hash. */
static uint8_t *
flow_remote_bucket(struct ana *a, const struct flow_key *k)
{
	struct ns_addr r;

	r.af = k->af;
	memcpy(r.b, k->remote, sizeof(r.b));
	return &a->fp.by_remote[(uint32_t)ana_hash_fixed(&r) & a->fp.by_remote_mask];
}

/* Full: the least recently active of EVICT_SAMPLE neighbours in the array. */
struct flow *
flow_add(struct ana *a, const struct flow_key *k, uint64_t h)
{
	struct flowpool *p = &a->fp;
	uint32_t idx;
	struct flow *f;

	if (p->f == NULL) {
		uint32_t n = 16;

		while (n < 2 * a->max_flows)
			n <<= 1;
		p->by_remote = xcalloc(n, 1);
		p->by_remote_mask = n - 1;
		p->f = ns_big_alloc(a->max_flows, sizeof(*p->f));
		if ((size_t)(a->flows.mask + 1) * sizeof(*a->flows.s) >= POPULATE_MIN)
			ns_populate(a->pop, a->flows.s, (size_t)(a->flows.mask + 1) * sizeof(*a->flows.s));
	}
	/* The pool fills in order: its next 2 MB are faulted in beside us. */
	if (p->used < a->max_flows && (size_t)a->max_flows * sizeof(*p->f) >= POPULATE_MIN &&
	    (size_t)p->used * sizeof(*p->f) % POPULATE_MIN < sizeof(*p->f)) {
		size_t from = ((size_t)p->used * sizeof(*p->f) / POPULATE_MIN + (p->used ? 1 : 0)) *
		    POPULATE_MIN, end = (size_t)a->max_flows * sizeof(*p->f);

		if (from < end)
			ns_populate(a->pop, (uint8_t *)p->f + from,
			    NS_MIN(end - from, (p->used ? 1 : 2) * POPULATE_MIN));
	}
	if (p->used >= a->max_flows) {
		uint32_t tag;
		uint8_t *c;

		idx = p->hand;
		for (uint32_t s = 1; s < EVICT_SAMPLE; s++) {
			uint32_t i = clock_step(p->hand, s, a->max_flows);

			if (p->f[i].last < p->f[idx].last)
				idx = i;
		}
		p->hand = clock_step(p->hand, EVICT_SAMPLE, a->max_flows);
		/*
		 * The victim's slot in the 2 MB table is cold: it is removed
		 * FLOW_DEFER evictions later, once fetched. Until then it points
		 * at the new flow with the old tag, and a lookup passes over it
		 * (the entry's own hash and key are compared).
		 */
		tag = (uint32_t)p->f[idx].hash;
		__builtin_prefetch(&a->flows.s[tag & a->flows.mask], 1);
		if (p->n_dead == FLOW_DEFER) {
			itable_remove(&a->flows, p->dead[p->dead_head].tag, p->dead[p->dead_head].idx);
			p->dead[p->dead_head].tag = tag;
			p->dead[p->dead_head].idx = idx;
			p->dead_head = (p->dead_head + 1) % FLOW_DEFER;
		} else {
			p->dead[(p->dead_head + p->n_dead) % FLOW_DEFER].tag = tag;
			p->dead[(p->dead_head + p->n_dead++) % FLOW_DEFER].idx = idx;
		}
		a->tot.flows_evicted++;
		c = flow_remote_bucket(a, &p->f[idx].k);
		if (*c != UINT8_MAX)
			(*c)--;
		/* The next sample, on its way while this packet is analysed. */
		for (uint32_t s = 0; s < EVICT_SAMPLE; s += 2)
			__builtin_prefetch(&p->f[clock_step(p->hand, s, a->max_flows)], 1);
	} else {
		idx = p->used++;
	}
	f = &p->f[idx];
	memset(f, 0, sizeof(*f));
	f->k = *k;
	f->hash = h;
	itable_insert(&a->flows, h, idx);
	{
		uint8_t *c = flow_remote_bucket(a, k);

		if (*c != UINT8_MAX)
			(*c)++;
	}
	return f;
}

void
flows_free(struct ana *a)
{
	ns_big_free(a->fp.f, a->max_flows, sizeof(*a->fp.f));
	a->fp.f = NULL;
	free(a->fp.by_remote);
	a->fp.by_remote = NULL;
	ns_big_free(a->flows.s, a->flows.mask + 1, sizeof(*a->flows.s));
	a->flows.s = NULL;
}

/* ---- incident targets ---- */

static struct target *
target_new(struct ana *a)
{
	struct targetpool *p = &a->tp;
	struct target *e;

	if (p->free != NULL) {
		e = p->free;
		p->free = e->next_free;
	} else {
		if (p->t == NULL)
			p->t = ns_big_reserve(a->max_targets, sizeof(*e));
		/* The table holds at most max_targets: one is evicted first. */
		e = &p->t[p->used++];
		/* Slower to fill than the hosts: 800 targets ahead, 2 MB at a time. */
		pool_ahead(a, p->t, &p->populated, (size_t)p->used * sizeof(*e), (size_t)512 << 10,
		    (size_t)a->max_targets * sizeof(*e));
	}
	memset(e, 0, sizeof(*e));
	return e;
}

struct target_sketch *
target_sketch_new(struct ana *a)
{
	struct target_sketch *s = a->tp.free_sk;

	if (s != NULL)
		a->tp.free_sk = s->next_free;
	else
		s = xmalloc(sizeof(*s));
	memset(s, 0, sizeof(*s));
	return s;
}

void
targets_free(struct ana *a)
{
	struct target_sketch *s, *next;

	for (uint32_t i = 0; i < a->tp.used; i++)
		free(a->tp.t[i].sk);
	for (s = a->tp.free_sk; s != NULL; s = next) {
		next = s->next_free;
		free(s);
	}
	table_free(&a->targets, NULL);
	ns_big_free(a->tp.t, a->max_targets, sizeof(*a->tp.t));
	memset(&a->tp, 0, sizeof(a->tp));
}

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

/*
 * Unsolicited packets look up two targets each, and a flood aims at few:
 * a small direct-mapped cache in front of the table saves their SipHash.
 * A packet's two targets, its port's and its address's, are looked up in
 * separate halves, so they never take each other's slot (they shared one
 * for the mixed capture's flood, port 27015, and missed every time).
 */
static struct target **
tcache_slot(struct ana *a, const struct ns_addr *local, uint8_t proto, int32_t port)
{
	uint32_t half = TARGET_CACHE / 2;
	uint32_t i = proto + local->b[local->af == 4 ? 3 : 15];

	if (port == TARGET_ANY_PORT)
		return &a->tcache[half + (i & (half - 1))];
	return &a->tcache[((uint32_t)port * 31u + i) & (half - 1)];
}

static uint64_t
target_hash(const struct ana *a, const struct ns_addr *local, uint8_t proto, int32_t port)
{
	struct target_key k;

	if (local->af == 4) {
		uint8_t ck[10];	/* af, IPv4, proto, port: the short key, as ana_hash_addr */

		memcpy(ck, local, 5);
		ck[5] = proto;
		memcpy(ck + 6, &port, 4);
		return ana_hash(a, ck, sizeof(ck));
	}
	memset(&k, 0, sizeof(k));
	k.local = *local;
	k.proto = proto;
	k.port = port;
	return ana_hash(a, &k, sizeof(k));
}

struct target *
target_find(const struct ana *a, const struct ns_addr *local, uint8_t proto, int32_t port)
{
	const struct table *t = &a->targets;
	uint64_t h = target_hash(a, local, proto, port);

	for (uint32_t i = (uint32_t)h & t->mask; t->slots[i].p != NULL; i = (i + 1) & t->mask) {
		struct target *e = t->slots[i].p;

		if (t->slots[i].hash == h && e->proto == proto && e->port == port &&
		    ns_addr_eq(&e->local, local))
			return e;
	}
	return NULL;
}

struct target *
target_get(struct ana *a, const struct ns_addr *local, uint8_t proto, int32_t port)
{
	struct table *t = &a->targets;
	struct target *e, **c = tcache_slot(a, local, proto, port);
	uint64_t h;
	uint32_t i;

	if ((e = *c) != NULL && e->port == port && e->proto == proto && ns_addr_eq(&e->local, local))
		return e;
	h = target_hash(a, local, proto, port);
	for (i = (uint32_t)h & t->mask; t->slots[i].p != NULL; i = (i + 1) & t->mask) {
		e = t->slots[i].p;
		if (t->slots[i].hash == h && e->proto == proto && e->port == port &&
		    ns_addr_eq(&e->local, local)) {
			*c = e;
			return e;
		}
	}
	if (t->n >= a->max_targets) {
		i = table_sample_min(a, t, target_value);
		e = t->slots[i].p;
		table_remove_at(t, i);
		for (int j = 0; j < TARGET_CACHE; j++)
			if (a->tcache[j] == e)
				a->tcache[j] = NULL;
		if (e->sk != NULL) {
			e->sk->next_free = a->tp.free_sk;
			a->tp.free_sk = e->sk;
			e->sk = NULL;
		}
		e->next_free = a->tp.free;
		a->tp.free = e;
	}
	e = target_new(a);
	e->local = *local;
	e->proto = proto;
	e->port = port;
	e->hash = h;
	table_insert(t, h, e);
	*c = e;
	return e;
}
