/*
 * NAT twins: the same datagram captured on both sides of a NAT, counted
 * once (analysis/internal.h, the twin_* functions).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "analysis/internal.h"
#include "common/util.h"

/*
 * A datagram crossing a NAT between two captured interfaces is seen twice:
 * same remote end, same IPv4 identification and payload, one local address
 * private and the other not. The second sighting is not counted again; it
 * keeps its own flow up to date (so the replies on that side match) and
 * names the inside host that provoked the traffic.
 */
uint64_t
twin_key(const struct ana *a, const struct pkt *p, bool in)
{
	const struct ns_addr *remote = in ? &p->src : &p->dst;
	uint16_t rport = in ? p->sport : p->dport;
	uint8_t k[16 + 2 + 1 + 4 + 2 + 64];
	size_t n, pl = NS_MIN(p->payload_caplen, 64u);

	memcpy(k, remote->b, 16);
	n = 16;
	k[n++] = (uint8_t)(rport >> 8);
	k[n++] = (uint8_t)rport;
	k[n++] = p->proto;
	memcpy(k + n, &p->ip_len, 4);
	n += 4;
	memcpy(k + n, &p->ip_id, 2);
	n += 2;
	if (p->payload != NULL) {
		memcpy(k + n, p->payload, pl);
		n += pl;
	}
	return ana_hash(a, k, n) | 1;
}

/*
 * Buckets of TWIN_WAYS entries: the two sightings may be far apart in the
 * file (pcapng writers buffer each interface), with other traffic between.
 */
static struct twin *
twin_bucket(struct ana *a, uint64_t key)
{
	if (a->twins == NULL)
		a->twins = xcalloc(TWIN_SLOTS, sizeof(*a->twins));
	return &a->twins[(key % (TWIN_SLOTS / TWIN_WAYS)) * TWIN_WAYS];
}

struct twin *
twin_find(struct ana *a, uint64_t key, const struct pkt *p, bool in)
{
	const struct ns_addr *local = in ? &p->dst : &p->src;
	struct twin *t = twin_bucket(a, key);

	for (int i = 0; i < TWIN_WAYS; i++, t++)
		if (t->key == key && t->in == in && fabs(p->ts - t->ts) < 0.2 &&
		    !ns_addr_eq(&t->local, local) &&
		    ns_addr_is_private(&t->local) != ns_addr_is_private(local))
			return t;
	return NULL;
}

/* The entry to overwrite: an empty one, else the oldest. */
static struct twin *
twin_slot(struct ana *a, uint64_t key)
{
	struct twin *t = twin_bucket(a, key), *best = t;

	for (int i = 0; i < TWIN_WAYS; i++, t++) {
		if (t->key == 0)
			return t;
		if (t->ts < best->ts)
			best = t;
	}
	return best;
}

void
twin_seen(struct ana *a, struct host *h, struct twin *t, const struct pkt *p, bool in)
{
	const struct ns_addr *local = in ? &p->dst : &p->src;
	struct flow_key k;
	struct flow *f;
	uint64_t hh;

	h->provoked_by = ns_addr_is_private(local) ? *local : t->local;
	h->has_provoked_by = true;
	if (p->has_ports && !p->later_fragment) {
		flow_key_make(&k, p, in);
		hh = ana_hash_flow(a, &k);
		f = flow_find(a, &k, hh);
		if (f == NULL) {
			f = flow_add(a, &k, hh);
			f->first = p->ts;
			f->ours = !in;
			f->ex_seq = t->ex_seq;
		}
		f->last = p->ts;
		if (in)
			f->pkts_in++;
		else
			f->pkts_out++;
	}
	t->key = 0;
	a->tot.nat_twins++;
}

/* Keep the frame for an evidence capture. */
/* Where the twin of this packet would find its flow's exchange. */
void
twin_note(struct ana *a, uint64_t tkey, const struct pkt *p, bool in, uint64_t ex_seq)
{
	struct twin *t = twin_slot(a, tkey);

	t->key = tkey;
	t->ts = p->ts;
	t->local = in ? p->dst : p->src;
	t->in = in;
	t->ex_seq = ex_seq;
}

