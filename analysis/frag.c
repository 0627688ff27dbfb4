/*
 * The fragment table (analysis/frag.h). A later fragment has no ports and
 * no application header: without this a DNS answer in three fragments
 * counted one reply and two portless probes, and the probes made an
 * incident of their own ("udp port 0").
 *
 * A fixed array of buckets of FRAG_WAYS entries, made at the first
 * fragment and never grown: a flood of spoofed fragments, each with a new
 * identification, only churns the buckets. A new datagram takes, in its
 * bucket, an empty entry, else an expired one, else the oldest entry that
 * only holds orphans (fragments whose first was not seen), else the
 * oldest. The hash is keyed, so a sender cannot aim at one bucket.
 * Entries are not freed when a datagram is complete: the last fragment
 * may come before a middle one, and an entry costs nothing once expired.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/frag.h"
#include "common/util.h"

struct frag_key {
	uint32_t id;
	uint8_t af, proto, zero[2];
	uint8_t src[16], dst[16];
};
/* Compared and hashed as bytes: no padding. */
_Static_assert(sizeof(struct frag_key) == 40, "struct frag_key has padding");

enum { FRAG_EMPTY, FRAG_FIRST, FRAG_ORPHANS };

struct frag_ent {
	struct frag_key k;
	double ts;		/* of the first fragment, or of the first orphan */
	uint32_t n_orphans, orphan_bytes;
	struct frag_info fi;	/* FRAG_FIRST */
	uint8_t state;
};

struct frag_table {
	struct frag_ent *e;
	uint32_t n_buckets;	/* a power of two */
	uint8_t key[16];
};

struct frag_table *
frag_new(uint32_t max_entries)
{
	struct frag_table *t = xcalloc(1, sizeof(*t));
	uint32_t b = 1;

	while (b * FRAG_WAYS < max_entries && b < (1u << 24))
		b <<= 1;
	t->n_buckets = b;
	t->e = xcalloc((size_t)b * FRAG_WAYS, sizeof(*t->e));
	ns_random_bytes(t->key, sizeof(t->key));
	return t;
}

void
frag_free(struct frag_table *t)
{
	if (t == NULL)
		return;
	free(t->e);
	free(t);
}

static void
frag_key_make(struct frag_key *k, const struct pkt *p)
{
	memset(k, 0, sizeof(*k));
	k->id = p->ipver == 6 ? p->frag_id6 : p->ip_id;
	k->af = p->ipver;
	k->proto = p->proto;
	memcpy(k->src, p->src.b, sizeof(k->src));
	memcpy(k->dst, p->dst.b, sizeof(k->dst));
}

static struct frag_ent *
frag_bucket(const struct frag_table *t, const struct frag_key *k)
{
	uint64_t h = ns_siphash(t->key, k, sizeof(*k));

	return &t->e[(size_t)(h & (t->n_buckets - 1)) * FRAG_WAYS];
}

/* Clocks of merged captures may disagree a little: expired either way. */
static bool
frag_expired(const struct frag_ent *e, double ts)
{
	return e->state == FRAG_EMPTY || ts - e->ts > FRAG_TTL || e->ts - ts > FRAG_TTL;
}

static struct frag_ent *
frag_find(const struct frag_table *t, const struct frag_key *k, double ts)
{
	struct frag_ent *e = frag_bucket(t, k);

	for (int i = 0; i < FRAG_WAYS; i++, e++)
		if (!frag_expired(e, ts) && memcmp(&e->k, k, sizeof(*k)) == 0)
			return e;
	return NULL;
}

/* The entry a new datagram takes in its bucket (see the top of the file). */
static struct frag_ent *
frag_victim(const struct frag_table *t, const struct frag_key *k, double ts)
{
	struct frag_ent *e = frag_bucket(t, k), *best = NULL;

	for (int i = 0; i < FRAG_WAYS; i++, e++) {
		if (frag_expired(e, ts))
			return e;
		if (best == NULL || (e->state == FRAG_ORPHANS) > (best->state == FRAG_ORPHANS) ||
		    (e->state == best->state && e->ts < best->ts))
			best = e;
	}
	return best;
}

void
frag_first(struct frag_table *t, const struct pkt *p, const struct frag_info *fi,
    uint32_t *n, uint64_t *bytes)
{
	struct frag_key k;
	struct frag_ent *e;

	frag_key_make(&k, p);
	*n = 0;
	*bytes = 0;
	if ((e = frag_find(t, &k, p->ts)) != NULL && e->state == FRAG_ORPHANS) {
		*n = e->n_orphans;
		*bytes = e->orphan_bytes;
	} else if (e == NULL) {
		e = frag_victim(t, &k, p->ts);
	}
	e->k = k;
	e->ts = p->ts;
	e->state = FRAG_FIRST;
	e->fi = *fi;
	e->n_orphans = e->orphan_bytes = 0;
}

bool
frag_later(struct frag_table *t, const struct pkt *p, struct frag_info *fi)
{
	struct frag_key k;
	struct frag_ent *e;

	frag_key_make(&k, p);
	if ((e = frag_find(t, &k, p->ts)) == NULL || e->state != FRAG_FIRST)
		return false;
	*fi = e->fi;
	return true;
}

void
frag_orphan(struct frag_table *t, const struct pkt *p)
{
	struct frag_key k;
	struct frag_ent *e;

	frag_key_make(&k, p);
	if ((e = frag_find(t, &k, p->ts)) == NULL) {
		e = frag_victim(t, &k, p->ts);
		e->k = k;
		e->ts = p->ts;
		e->state = FRAG_ORPHANS;
		e->n_orphans = e->orphan_bytes = 0;
	}
	if (e->state != FRAG_ORPHANS)
		return;
	/* A datagram is at most 64 KiB in 8-byte pieces: these cannot wrap. */
	if (e->n_orphans < 8192) {
		e->n_orphans++;
		e->orphan_bytes += p->ip_len;
	}
}

uint32_t
frag_used(const struct frag_table *t)
{
	uint32_t n = 0;

	for (size_t i = 0; i < (size_t)t->n_buckets * FRAG_WAYS; i++)
		n += t->e[i].state != FRAG_EMPTY;
	return n;
}

uint32_t
frag_capacity(const struct frag_table *t)
{
	return t->n_buckets * FRAG_WAYS;
}
