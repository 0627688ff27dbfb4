/*
 * Sightings: once the host table is full, a new remote host's first
 * packet waits in a small slot instead of evicting a host; its second
 * packet makes the host and replays the first (analysis/internal.h).
 * Transit packets (between two remote hosts) count here too.
 */
#include "config.h"

#include <string.h>

#include "analysis/internal.h"
#include "common/util.h"

/* A sighting counts as an evicted host until its host is made. */
static void
sighting_count(struct ana *a, const struct sighting *s, bool add)
{
	bool in = s->kind == SIGHT_PACKET ? s->c.in : s->kind == SIGHT_TRANSIT_SRC;
	uint64_t *pk = in ? &a->tot.other_packets_in : &a->tot.other_packets_out;
	uint64_t *by = in ? &a->tot.other_bytes_in : &a->tot.other_bytes_out;

	if (add) {
		a->tot.hosts_evicted++;
		(*pk)++;
		*by += s->p.ip_len;
	} else {
		a->tot.hosts_evicted--;
		(*pk)--;
		*by -= s->p.ip_len;
	}
}

/* A sighted host's second packet: the host is made, and the first replayed into it. */
static struct host *
sighting_promote(struct ana *a, struct sighting *s)
{
	struct host *h = host_adopt(a, &s->addr, s->hash, s->p.ts);
	struct flow_key k;

	sighting_count(a, s, false);
	if (s->kind == SIGHT_PACKET) {
		if (s->c.want_flow)
			flow_key_make(&k, &s->p, s->c.in);
		/* A fresh flow's exchange is 1, as sighting_take told the NAT twins. */
		host_account(a, h, &s->p, &s->c, &k, true);
	} else {
		transit_count(a, h, &s->p, s->kind == SIGHT_TRANSIT_SRC);
	}
	s->kind = SIGHT_NONE;
	return h;
}

/*
 * The host of addr if it has one, made now from its sighting if it was
 * sighted; else NULL, and *sp is the slot to sight it in (NULL while the
 * pool is not full) and *fx its ana_hash_fixed.
 */
struct host *
host_or_slot(struct ana *a, const struct ns_addr *addr, uint64_t hh, struct sighting **sp,
    uint64_t *fx)
{
	struct host *h = host_find(a, addr, hh);
	struct sighting *s;

	*sp = NULL;
	if (h != NULL || a->hp.used < a->max_hosts)
		return h;
	*fx = ana_hash_fixed(addr);
	if ((s = sighting_slot(a, *fx)) == NULL)
		return NULL;
	if (s->kind != SIGHT_NONE && s->hash == hh && ns_addr_eq(&s->addr, addr))
		return sighting_promote(a, s);
	*sp = s;
	return NULL;
}

/* The slot goes to a new host; whoever held it stays counted as evicted. */
static void
sighting_fill(struct ana *a, struct sighting *s, int kind, const struct ns_addr *addr,
    uint64_t hh)
{
	a->tot.hosts_seen++;
	s->kind = (uint8_t)kind;
	s->hash = hh;
	s->addr = *addr;
}

/*
 * Whether a new host's first packet can wait in a sighting: what it does
 * to the host must not depend on anything but the packet.
 */
bool
sighting_ok(struct ana *a, const struct pkt *p, const struct pctx *c,
    const struct flow_key *k, uint64_t fx, uint64_t tkey)
{
	if (p->icmp_error)
		return false;	/* it speaks of another flow, as it is now */
	if (c->want_flow && flow_remote_maybe(a, fx) && flow_find(a, k, c->fh) != NULL)
		return false;	/* an evicted host come back: its flow says who began */
	return tkey == 0 || twin_find(a, tkey, p, c->in) == NULL;
}

/*
 * What host_account does beyond the host for a new host's first packet
 * (a fresh flow: unsolicited and not served), and the packet kept.
 */
void
sighting_take(struct ana *a, struct sighting *s, const struct ns_addr *remote, uint64_t hh,
    uint64_t fx, const struct pkt *p, const struct pctx *c, uint64_t tkey)
{
	sighting_fill(a, s, SIGHT_PACKET, remote, hh);
	s->c = *c;
	s->c.has_pay = copies_hash(a, p, &s->c.pay);
	s->p = *p;
	s->p.payload = NULL;
	s->p.payload_caplen = 0;
	s->p.frame = NULL;
	/* The rule text is the caller's: a sighted packet's rule goes uncounted. */
	s->p.rule = NULL;
	s->p.rule_len = 0;
	if (a->hp.sframes != NULL && p->frame != NULL) {
		uint8_t *d = a->hp.sframes[s - a->hp.sight];

		memcpy(d, p->frame, NS_MIN(p->caplen, (uint32_t)EV_SNAP));
		s->p.frame = d;
	}
	sighting_count(a, s, true);
	if (c->is_ntp && (c->m.mode == 6 || c->m.mode == 7))
		amp_account(a, true, p, &c->m, c->in);
	if (c->in)
		target_hit(a, p, c->resp, fx, s->c.has_pay ? &s->c.pay : NULL);
	/* Its flow's first exchange is the host's first, when it has a flow. */
	if (tkey != 0)
		twin_note(a, tkey, p, c->in, c->want_flow ? 1 : 0);
}

/* Transit: counted for both ends, no flow analysis. */
void
transit_side(struct ana *a, const struct ns_addr *addr, const struct pkt *p, bool src)
{
	uint64_t hh = ana_hash_addr(a, addr), fx;
	struct sighting *s;
	struct host *h = host_or_slot(a, addr, hh, &s, &fx);

	if (h == NULL && s != NULL) {
		sighting_fill(a, s, src ? SIGHT_TRANSIT_SRC : SIGHT_TRANSIT_DST, addr, hh);
		s->p.ts = p->ts;
		s->p.ip_len = p->ip_len;
		sighting_count(a, s, true);
		return;
	}
	if (h == NULL) {
		a->tot.hosts_seen++;
		h = host_adopt(a, addr, hh, p->ts);
	}
	transit_count(a, h, p, src);
}

/*
 * A sighted packet as one of an incident's: what incident_samples asks of
 * a host, for the host that packet alone would have made.
 */
static bool
sighting_member(const struct sighting *s, const struct ana_incident *x)
{
	if (s->kind != SIGHT_PACKET)
		return false;
	if (x->kind == V_AMPLIFIER_ABUSE)
		return !s->c.in && ((s->c.is_ntp && s->c.m.response &&
		    (s->c.m.mode == 6 || s->c.m.mode == 7)) ||
		    (!s->c.is_ntp && s->p.proto == x->proto && s->p.has_ports &&
		    s->p.sport == x->port && ns_addr_eq(&s->p.src, &x->local)));
	return s->c.in && s->p.proto == x->proto &&
	    (x->kind != V_REFLECTION_FLOOD || s->c.resp) &&
	    (x->any_port || (s->p.has_ports ? s->p.dport : 0) == x->port) &&
	    ns_addr_eq(&s->p.dst, &x->local);
}

/* The sightings' part of incident_samples: hosts the table had no room for. */
void
sight_incident_samples(struct ana *a, struct ana_incident *inc, unsigned n)
{
	for (uint32_t i = 0; a->hp.sight != NULL && i < a->hp.n_sight; i++)
		for (unsigned k = 0; k < n; k++)
			if (inc[k].n_sample < ANA_INCIDENT_SAMPLE &&
			    sighting_member(&a->hp.sight[i], &inc[k]))
				inc[k].sample[inc[k].n_sample++] = a->hp.sight[i].addr;
}
