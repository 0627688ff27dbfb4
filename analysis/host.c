/*
 * The per-packet path: one decoded packet updates its remote host, its
 * flow, and the incident target. Everything here is O(1) per packet.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "analysis/internal.h"
#include "analysis/login.h"
#include "analysis/reflect.h"
#include "common/util.h"


/*
 * A 32-bit fingerprint of a local address for the per-host address sets,
 * on every packet: a keyed multiply-xorshift of the address words rather
 * than SipHash. The sets hold our own addresses, so a collision can only
 * undercount; the key keeps the fingerprints unpredictable.
 */
static uint32_t
fingerprint(const struct ana *a, const struct ns_addr *x)
{
	uint64_t h = a->fp_key ^ x->af, w;
	int n = x->af == 4 ? 1 : 4;

	for (int i = 0; i < n; i++) {
		memcpy(&w, x->b + 4 * i, 4);
		h = (h ^ (uint32_t)w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	h *= 0xbf58476d1ce4e5b9ULL;
	return (uint32_t)(h >> 32);
}

/*
 * log1p(packets), the volume part of a host's eviction value, on every
 * packet (the per-packet path keeps the mixed capture within 1.5x of a
 * bare libpcap loop, BENCHMARKS.md): looked up for
 * the first 1024 counts (the same values, so the same evictions); above,
 * log(n) = log(n >> k) + k log 2 with n >> k in [512, 1024), within 0.004.
 */
#define SCORE_TAB 1024
static double score_tab[SCORE_TAB];
static pthread_once_t score_once = PTHREAD_ONCE_INIT;

static void
score_tab_fill(void)
{
	for (int i = 0; i < SCORE_TAB; i++)
		score_tab[i] = log1p((double)i);
}

void
host_tables_init(void)
{
	pthread_once(&score_once, score_tab_fill);
}

static inline double
score_volume(uint64_t n)
{
	int k;

	if (n < SCORE_TAB)
		return score_tab[n];
	k = 64 - __builtin_clzll(n) - 10;	/* n >> k in [512, 1024) */
	return score_tab[n >> k] + k * M_LN2;
}

/*
 * Every byte of the key is set (struct flow_key has no padding): flow_find
 * compares it whole. Constant-size copies, once a packet: an IPv4
 * address's other 12 bytes are zeroed, not copied.
 */
void
flow_key_make(struct flow_key *k, const struct pkt *p, bool in)
{
	const struct ns_addr *l = in ? &p->dst : &p->src, *r = in ? &p->src : &p->dst;

	k->af = p->ipver;
	k->proto = p->proto;
	if (p->ipver == 4) {
		memset(k->local, 0, sizeof(k->local) + sizeof(k->remote));
		memcpy(k->local, l->b, 4);
		memcpy(k->remote, r->b, 4);
	} else {
		memcpy(k->local, l->b, 16);
		memcpy(k->remote, r->b, 16);
	}
	if (p->proto == P_ICMP || p->proto == P_ICMP6) {
		/* Echo request and reply pair by identifier, in sport. */
		k->lport = k->rport = p->sport;
	} else if (p->has_ports) {
		k->lport = in ? p->dport : p->sport;
		k->rport = in ? p->sport : p->dport;
	} else {
		k->lport = k->rport = 0;
	}
}

static struct ana_exchange *
exchange_of(struct host *h, const struct flow *f)
{
	struct ana_exchange *e;

	if (f->ex_seq == 0 || h->ex_seq - f->ex_seq >= ANA_TIMELINE)
		return NULL;
	e = host_ex(h, f->ex_seq);
	if (e->lport != f->k.lport || e->rport != f->k.rport || e->proto != f->k.proto)
		return NULL;
	return e;
}

/*
 * Who began a TCP connection whose first packet here (p, inbound or not)
 * is not a SYN: every segment after the handshake carries an ACK. A
 * SYN-ACK answers the other side's SYN. Otherwise the ports: a service
 * port (privileged or registered) against an ephemeral one, or a
 * privileged one against any other, is the server's; ports of one class
 * name no one. A bare RST, a SYN, or no ACK at all (a NULL, FIN or XMAS
 * probe) is not a connection's: FLOW_START_SEEN, its sender began.
 */
static enum flow_start
unseen_start(const struct pkt *p, bool in)
{
	enum port_class lc, rc;

	if (p->proto != P_TCP || !p->has_ports || (p->tcp_flags & (TCP_ACK | TCP_RST)) != TCP_ACK)
		return FLOW_START_SEEN;
	if (p->tcp_flags & TCP_SYN)
		return in ? FLOW_START_LOCAL : FLOW_START_REMOTE;
	lc = port_class(in ? p->dport : p->sport);
	rc = port_class(in ? p->sport : p->dport);
	if (lc == rc)
		return FLOW_START_UNKNOWN;
	return rc < lc ? FLOW_START_LOCAL : FLOW_START_REMOTE;
}

/* Exchange e began before the capture, by start: counted as such. */
static void
exchange_unseen(struct host *h, struct ana_exchange *e, enum flow_start start)
{
	e->start_unseen = true;
	e->ours = start == FLOW_START_LOCAL;
	e->undecided = start == FLOW_START_UNKNOWN;
	h->ex_unseen[start - FLOW_START_LOCAL]++;
	if (start == FLOW_START_LOCAL)
		h->ex_ours++;
	else if (start == FLOW_START_REMOTE)
		h->ex_theirs++;
}

/*
 * Its exchange is older than the timeline holds: it goes on all the same.
 * More than ANA_TIMELINE connections at once (a burst of 35 from a web
 * client) used to start a new exchange, unanswered, on each old one's
 * next packet, and an answer of ours to make it ours.
 */
static bool
exchange_aged(const struct host *h, const struct flow *f)
{
	return f->ex_seq != 0 && h->ex_seq - f->ex_seq >= ANA_TIMELINE;
}

/* start: who began it when its start was not seen, else FLOW_START_SEEN. */
/*
 * A new exchange in the timeline, counted nowhere: p its first packet (in:
 * inbound), ours whether our side began it. A related one (a TFTP
 * transfer's own ports) goes on an exchange already counted.
 */
static struct ana_exchange *
exchange_entry(struct ana *a, struct host *h, struct flow *f, const struct pkt *p, bool in,
    bool ours)
{
	struct ana_exchange *e = host_ex_new(a, h);

	f->ex_seq = ++h->ex_seq;
	memset(e, 0, sizeof(*e));
	e->start = e->last = p->ts;
	e->ours = ours;
	e->proto = p->proto;
	e->local = in ? p->dst : p->src;
	e->lport = f->k.lport;
	e->rport = f->k.rport;
	return e;
}

static struct ana_exchange *
exchange_new(struct ana *a, struct host *h, struct flow *f, const struct pkt *p, bool in,
    enum flow_start start)
{
	struct ana_exchange *e = exchange_entry(a, h, f, p, in, !in);

	if (start != FLOW_START_SEEN)
		exchange_unseen(h, e, start);
	else if (in)
		h->ex_theirs++;
	else
		h->ex_ours++;
	return e;
}

/*
 * Our side sends its first packet on a connection that the remote side
 * opened here, mid-stream: it was open before the capture began. Until
 * now it counted as theirs, its packets as probes; from now it counts as
 * its ports say, and where they say ours (or no one's) those packets
 * were solicited after all. What they added to the probed ports and the
 * targets stays: they were counted as they came.
 */
static void
flow_adopt(struct host *h, struct flow *f, struct ana_exchange *e)
{
	h->ex_theirs--;
	exchange_unseen(h, e, (enum flow_start)f->start);
	if (f->start == FLOW_START_REMOTE) {
		h->ex_theirs_answered++;
		f->answered = true;
		return;
	}
	h->in_unsolicited -= f->pend;
	h->in_probe -= f->pend;
	h->in_solicited += f->pend;
	e->unsolicited_in -= NS_MIN(e->unsolicited_in, (uint32_t)f->pend);
	f->pend = 0;
	/* Their packets on it answer ours from now on (no one's: not probes either). */
	f->ours = true;
}

/*
 * Whether an inbound packet is by its kind an answer to something; wire:
 * a captured packet, whose lengths are all there (a log line or a flow
 * record may not give a datagram's).
 */
static bool
is_response_kind(const struct pkt *p, const struct ntp_msg *ntp, bool is_ntp, bool wire)
{
	if (p->proto == P_TCP)
		return (p->tcp_flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK) ||
		    (p->tcp_flags & TCP_RST);
	if (p->proto == P_ICMP)
		return p->icmp_type == 0 || p->icmp_error;
	if (p->proto == P_ICMP6)
		return p->icmp_type == 129 || p->icmp_error;
	if (p->proto == P_UDP) {
		if (is_ntp)
			return ntp->response;
		/*
		 * An empty datagram answers nothing, whatever its port: nping
		 * --udp sends them from port 53, and 292 of its 300 probes were
		 * "unsolicited replies", no port scan (the eighth held-out
		 * check). Not when its UDP header was cut short: its length is
		 * then unknown.
		 */
		if (wire && p->has_ports && p->payload_len == 0)
			return false;
		/* The vectors and their recognisers: analysis/reflect.c. */
		return refl_is_reply(p->sport, p->dport, p->payload, p->payload_caplen);
	}
	return false;
}

static void
ntp_account(struct ana *a, struct host *h, const struct pkt *p, bool in,
    const struct ntp_msg *m)
{
	struct ana_ntp_info *n = &host_side(h)->ntp;

	(void)a;
	n->packets++;
	n->versions |= (uint8_t)(1u << m->version);
	if (in)
		n->mode_in[m->mode]++;
	else
		n->mode_out[m->mode]++;
	if (m->request) {
		if (in)
			n->req_bytes_in += p->ip_len;
		else
			n->req_bytes_out += p->ip_len;
	} else if (m->response) {
		if (in)
			n->resp_bytes_in += p->ip_len;
		else
			n->resp_bytes_out += p->ip_len;
	}
	switch (m->mode) {
	case 6:
		if (in)
			n->mode6_in++;
		else
			n->mode6_out++;
		if (m->more)
			n->mode6_more++;
		n->mode6_opcodes |= 1u << m->opcode;
		if (!in && m->response && !m->error && m->opcode == NTP_CTL_OP_READ_MRU)
			n->mode6_mru_out++;
		break;
	case 7: {
		int i;

		if (in)
			n->mode7_in++;
		else
			n->mode7_out++;
		if (m->more)
			n->mode7_more++;
		if (m->response)
			n->mode7_items += m->nitems;
		n->mode7_impl = m->impl;
		for (i = 0; i < n->n_mode7_codes; i++)
			if (n->mode7_codes[i] == m->reqcode)
				break;
		if (i == n->n_mode7_codes && i < (int)NS_ARRAY_LEN(n->mode7_codes))
			n->mode7_codes[n->n_mode7_codes++] = m->reqcode;
		if (m->reqcode == NTP_REQ_MON_GETLIST || m->reqcode == NTP_REQ_MON_GETLIST_1) {
			if (m->request && in)
				n->monlist_req_in++;
			else if (m->request)
				n->monlist_req_out++;
			else if (in)
				n->monlist_resp_in++;
			else
				n->monlist_resp_out++;
		}
		break;
	}
	default:
		if (in && m->response) {
			/* The remote acts as a server: its stratum and refid describe it. */
			n->stratum = m->stratum;
			n->poll = m->poll;
			/* Copies, not snprintf: this is every server reply. */
			if (m->kiss) {
				size_t k = strnlen(m->refid, 4);

				memcpy(n->kiss, m->refid, k);
				n->kiss[k] = '\0';
			} else {
				_Static_assert(sizeof(n->refid) == sizeof(m->refid), "refid sizes");
				memcpy(n->refid, m->refid, sizeof(n->refid));
			}
			if (m->mode == 4 && p->sport == 123)
				n->server_replies_from_123++;
		}
		if (!in && m->mode == 3)
			n->client_requests_to_it++;
		if (!in && m->response && n->stratum < 0)
			n->poll = m->poll;
		break;
	}
}

/*
 * A burst begins that local address fp takes part in: the interval since
 * its previous burst joins its steady run if it agrees with it, or starts
 * a new run.
 */
static void
burst_client(struct host *h, uint32_t fp, double ts)
{
	struct burst_client *c = &h->burst.client0;
	struct burst_run *r;
	double x, d;

	if (fp == 0)
		fp = 1;
	/* The first free slot or fp's own, in order; further addresses go unmeasured. */
	for (int i = 0; c->fp != fp && c->fp != 0; i++) {
		if (i == BURST_CLIENTS - 1)
			return;
		c = &host_side(h)->burst_more[i];
	}
	if (c->fp == 0) {
		c->fp = fp;
		c->bursts = 1;
		c->last = ts;
		return;
	}
	c->bursts++;
	x = ts - c->last;
	c->last = ts;
	r = &c->run;
	if (r->n > 0 && fabs(x - r->mean) > BURST_AGREE * r->mean)
		memset(r, 0, sizeof(*r));
	if (r->n < UINT16_MAX) {
		r->n++;
		d = x - r->mean;
		r->mean += (float)(d / r->n);
		r->m2 += (float)(d * (x - r->mean));
	}
	if (r->n >= c->best.n)
		c->best = *r;
}

static void
burst_account(struct ana *a, struct host *h, double ts, bool in, uint32_t local_fp)
{
	struct burst_state *b = &h->burst;
	double gap = a->cfg.th.burst_gap;

	if (b->open && ts - b->last <= gap) {
		welford_add(&b->spacing, ts - b->last);
		b->last = ts;
		if (in)
			b->in++;
		else
			b->out++;
		return;
	}
	if (b->open) {
		struct ana_burst *r = host_burst_new(a, h, b->recent_head);

		r->start = b->start;
		r->end = b->last;
		r->pkts_in = b->in;
		r->pkts_out = b->out;
		r->triggered = b->triggered;
		b->recent_head = (b->recent_head + 1) % ANA_BURSTS;
		if (b->n_recent < ANA_BURSTS)
			b->n_recent++;
		welford_add(&b->size, b->in + b->out);
		welford_add(&b->in_per, b->in);
		welford_add(&b->out_per, b->out);
		if (b->in + b->out > b->size_max)
			b->size_max = b->in + b->out;
		if (b->triggered)
			b->triggered_count++;
		b->count++;
	}
	burst_client(h, local_fp, ts);
	b->open = true;
	b->start = b->last = ts;
	b->in = in;
	b->out = !in;
	b->triggered = !in;
}

/* Reverse a 5-tuple the ICMP error quotes into the flow it belongs to. */
static struct flow *
quoted_flow(struct ana *a, const struct pkt *p, bool quoted_outbound)
{
	struct pkt q;
	struct flow_key k;

	memset(&q, 0, sizeof(q));
	q.ipver = p->quoted.src.af;
	q.proto = p->quoted.proto;
	q.src = p->quoted.src;
	q.dst = p->quoted.dst;
	q.has_ports = p->quoted.has_ports;
	q.sport = p->quoted.sport;
	q.dport = p->quoted.dport;
	flow_key_make(&k, &q, !quoted_outbound);
	return flow_find(a, &k, ana_hash_flow(a, &k));
}

bool
copies_hash(const struct ana *a, const struct pkt *p, uint32_t *hash)
{
	if (p->proto != P_UDP || p->payload_caplen == 0 || p->later_fragment)
		return false;
	*hash = (uint32_t)ana_hash(a, p->payload, NS_MIN(p->payload_caplen, 64u));
	return true;
}

/* A payload against the one before. */
void
copies_add(struct copies *c, uint32_t hash)
{
	c->same += c->pkts > 0 && hash == c->last;
	c->pkts++;
	c->last = hash;
}

/* pay: the packet's copies_hash, or NULL for none (the caller's, worked out once). */
static void
target_count(struct ana *a, struct target *t, const struct pkt *p, bool response_kind,
    uint64_t host_hash, const uint32_t *pay)
{
	int64_t sec = (int64_t)floor(p->ts);

	if (t->first == 0)
		t->first = p->ts;
	t->last = p->ts;
	t->unsol_pkts++;
	t->unsol_bytes += p->ip_len;
	if (response_kind) {
		t->resp_pkts++;
		t->resp_bytes += p->ip_len;
	} else if (pay != NULL) {
		copies_add(&t->pay, *pay);
	}
	if (sec != t->sec) {
		if (t->cur > t->peak)
			t->peak = t->cur;
		t->cur = 0;
		t->sec = sec;
	}
	t->cur++;
	if (t->sk == NULL) {
		if (!t->has_first || t->first_hash == host_hash) {
			t->has_first = true;
			t->first_hash = host_hash;
			t->first_resp |= response_kind;
		} else {
			/* A second host: the sketches, as if they had held the first all along. */
			t->sk = target_sketch_new(a);
			hll_add(t->sk->hll, TARGET_HLL, t->first_hash);
			if (t->first_resp)
				hll_add(t->sk->resp_hll, TARGET_HLL, t->first_hash);
		}
	}
	if (t->sk != NULL) {
		hll_add(t->sk->hll, TARGET_HLL, host_hash);
		if (response_kind)
			hll_add(t->sk->resp_hll, TARGET_HLL, host_hash);
	}
	if (!t->exact_full) {
		uint32_t fp = (uint32_t)(host_hash >> 32);
		int i;

		for (i = 0; i < t->n_exact && t->exact[i] != fp; i++)
			;
		if (i == t->n_exact) {
			if (t->n_exact < TARGET_EXACT)
				t->exact[t->n_exact++] = fp;
			else
				t->exact_full = true;
		}
		if (response_kind && i < TARGET_EXACT)
			t->exact_resp |= 1ULL << i;
	}
}

/*
 * Unsolicited traffic is summed per local port and per local address (any
 * port): a reflection or a spoofed flood aimed at random ports shows only
 * in the second.
 */
void
target_hit(struct ana *a, const struct pkt *p, bool response_kind, uint64_t ch, const uint32_t *pay)
{
	int32_t port = p->has_ports ? p->dport : 0;

	/* A fragment nothing attributed has no port, which is not port 0. */
	if (!p->later_fragment || p->has_ports || (p->proto != P_TCP && p->proto != P_UDP))
		target_count(a, target_get(a, &p->dst, p->proto, port), p, response_kind, ch, pay);
	target_count(a, target_get(a, &p->dst, p->proto, TARGET_ANY_PORT), p, response_kind, ch, pay);
}

/* A replayed packet (a sighting's) was counted on its targets when it came. */
static void
target_account(struct ana *a, struct host *h, const struct pkt *p, bool response_kind,
    bool replay, const uint32_t *pay)
{
	if (!replay)
		target_hit(a, p, response_kind, ana_hash_fixed(&h->addr), pay);
	if (!h->has_target) {
		h->has_target = true;
		h->first_target = p->dst;
		h->first_target_proto = p->proto;
		h->first_target_port = (uint16_t)(p->has_ports ? p->dport : 0);
	}
}

/*
 * Our local server answered a mode 6/7 request: count it on the server's
 * target. first_answer: the first answer to this host.
 */
void
amp_account(struct ana *a, bool first_answer, const struct pkt *p, const struct ntp_msg *m,
    bool in)
{
	struct target *t;

	if (in && m->request) {
		t = target_get(a, &p->dst, p->proto, p->dport);
		t->amp_req_bytes += p->ip_len;
		if (t->first == 0)
			t->first = p->ts;
		t->last = p->ts;
		return;
	}
	if (!in && m->response) {
		t = target_get(a, &p->src, p->proto, p->sport);
		if (first_answer)
			t->amp_victims++;
		t->amp_resp_pkts++;
		t->amp_resp_bytes += p->ip_len;
		t->last = p->ts;
	}
}

/*
 * A local service took up an exchange begun at (local, proto, port): on
 * that port's target and the address's, where they are held.
 */
static void
target_served(const struct ana *a, const struct ns_addr *local, uint8_t proto, uint16_t port)
{
	struct target *t;

	if ((t = target_find(a, local, proto, port)) != NULL)
		t->served++;
	if ((t = target_find(a, local, proto, TARGET_ANY_PORT)) != NULL)
		t->served++;
}

/*
 * UDP to or from a local reflection vector's port, NTP aside (its mode
 * 6/7 is amp_account's): the host's requests and our answers, and the
 * same on the service's target, for an amplifier whatever its protocol.
 */
/*
 * A datagram of a local reflection vector's service: a request to its
 * port, or its answer, or a later fragment of an answer (for its bytes:
 * WS-Discovery's 3.9 kB ProbeMatches leave in 3 fragments, and the first
 * alone made 2.8x of 7x, the sixth held-out check). Where the remote
 * port is a vector's too, the same service's port at both ends (SSDP and
 * WS-Discovery clients ask from it; a third of that check's spoofed
 * Probes did not), the payload says which way, and an answer to us
 * there is a reflection's, not a request to ours.
 */
static bool
vector_packet(const struct host *h, const struct pkt *p, bool in)
{
	uint16_t lport = in ? p->dport : p->sport, rport = in ? p->sport : p->dport;

	if (refl_vector(lport) == NULL)
		return false;
	if (p->later_fragment)
		return !in && h->vector.answers_out > 0 && h->vector.port == lport;
	if (refl_vector(rport) == NULL)
		return true;
	return lport == rport && refl_same_port_clients(lport) &&
	    refl_payload(lport, p->payload, p->payload_caplen) == (in ? REFL_REQUEST : REFL_REPLY);
}

static void
vector_account(struct ana *a, struct host *h, const struct pkt *p, bool in, bool replay)
{
	struct ana_vector_info *v = &h->vector;
	struct target *t;

	if (p->later_fragment) {
		/* An answer's later fragment: its bytes, on its first's counts. */
		v->answer_bytes_out += p->ip_len;
		if (replay)
			return;
		t = target_get(a, &p->src, p->proto, p->sport);
		t->vec_resp_bytes += p->ip_len;
		if (v->refusals > 0)
			t->vec_refuser_bytes += p->ip_len;
		return;
	}
	if (in) {
		v->requests_in++;
		v->request_bytes_in += p->ip_len;
	} else {
		if (v->answers_out == 0 || v->port != p->sport)
			v->port = p->sport;
		v->answers_out++;
		v->answer_bytes_out += p->ip_len;
	}
	if (replay)
		return;
	if (in) {
		t = target_get(a, &p->dst, p->proto, p->dport);
		t->vec_req_bytes += p->ip_len;
		if (v->refusals > 0)
			t->vec_refuser_req += p->ip_len;
		if (t->first == 0)
			t->first = p->ts;
		t->last = p->ts;
	} else {
		t = target_get(a, &p->src, p->proto, p->sport);
		if (v->answers_out == 1)
			t->vec_victims++;
		t->vec_resp_pkts++;
		t->vec_resp_bytes += p->ip_len;
		if (v->refusals > 0) {
			t->vec_refuser_pkts++;
			t->vec_refuser_bytes += p->ip_len;
		}
		t->last = p->ts;
	}
}

/*
 * The host refused an answer of our service on target t: at its first
 * refusal it joins the service's victims, with all it was sent so far.
 */
static void
vector_refused(struct host *h, struct target *t)
{
	t->vec_refused++;
	if (h->vector.refusals++ > 0)
		return;
	h->vector.refused_after = h->vector.answers_out;
	t->vec_refusers++;
	t->vec_refuser_pkts += h->vector.answers_out;
	t->vec_refuser_bytes += h->vector.answer_bytes_out;
	t->vec_refuser_req += h->vector.request_bytes_in;
}

static void
count_ports(struct ana *a, struct host *h, const struct pkt *p, bool in)
{
	uint16_t lport = in ? p->dport : p->sport, rport = in ? p->sport : p->dport;

	if (portset_add(&h->lports, lport))
		rate_new_port(&h->rate, &h->rs, p->ts, a->cfg.th.flood_pps);
	portset_add(&h->rports, rport);
	topk_add(&h->top_local, lport, p->proto);
	topk_add(&h->top_remote, rport, p->proto);
}

#define RELATED_WINDOW 2.0
#define RELATED_LOOKBACK 4
/* Seconds within which a client opens the data connection our FTP server offered. */
#define FTP_DATA_WINDOW 60.0
/* Seconds of a flood's rate after which a lock-step conversation is a stream. */
#define WALK_SECONDS 3.0

/*
 * A first datagram from a new port to the port that has just asked the
 * other side something on another port, unanswered there: the answer,
 * from the port the asked side's service took for it (a TFTP server's
 * new TID, RFC 1350; what conntrack's TFTP helper relates). in: it comes
 * from them, answering one of ours (curl tftp:// from a remote in.tftpd
 * made the server our "client", the fifth held-out check); else it is
 * ours, answering theirs. The asking exchange of the last few, or NULL.
 */
static struct ana_exchange *
related_exchange(const struct host *h, const struct pkt *p, bool in)
{
	uint64_t n = NS_MIN(h->ex_seq, (uint64_t)RELATED_LOOKBACK);
	const struct ns_addr *local = in ? &p->dst : &p->src;

	/* Either way the asker's port is the destination port, and ephemeral. */
	if (p->proto != P_UDP || !p->has_ports || port_class(p->dport) != PORT_EPHEMERAL)
		return NULL;
	for (uint64_t i = 0; i < n; i++) {
		struct ana_exchange *e = host_ex(h, h->ex_seq - i);
		uint16_t asker = in ? e->lport : e->rport, asked = in ? e->rport : e->lport;

		if (e->proto == P_UDP && e->ours == in && (in ? e->pkts_in : e->pkts_out) == 0 &&
		    asker == p->dport && asked != p->sport &&
		    p->ts - e->last <= RELATED_WINDOW && ns_addr_eq(&e->local, local))
			return e;
	}
	return NULL;
}

/*
 * A report to a local one-way collector (syslog, SNMP traps, flow
 * exports), from a host we have never refused anything and never
 * answered on this 5-tuple; a logger may send each from a port of its
 * own. (The caller sees that it is no copy of the one before: a
 * flooder's copies are not reports.)
 */
static bool
delivered_report(const struct host *h, const struct pkt *p, const struct flow *f)
{
	return p->proto == P_UDP && p->has_ports && !p->later_fragment && h->unreach_out == 0 &&
	    !f->refused && f->pkts_out == 0 && refl_collector_port(p->dport) != NULL;
}

/* An ICMP echo request, or a datagram to a local query service's port. */
static bool
request_datagram(const struct pkt *p)
{
	if (p->proto == P_ICMP)
		return p->icmp_type == 8;
	if (p->proto == P_ICMP6)
		return p->icmp_type == 128;
	return p->proto == P_UDP && p->has_ports && !p->later_fragment && refl_query_port(p->dport);
}

/*
 * A session of theirs is held once it has been open HELD_SECONDS with a
 * request trickling in (2 payloads or more, about one a second at most)
 * and no payload of ours: slowhttptest -H (slowloris) sends a header line
 * every few seconds and is never answered, so 300 such sessions hold a
 * web server's workers. A client's request comes whole, or fast, and is
 * answered; an upload streams; a device's log lines to a collector's
 * port (syslog 514 or 601 over TCP, RFC 6587) never wait for an answer.
 */
#define HELD_SECONDS 4.0

static void
held_close(struct host *h, struct flow *f)
{
	if (f->held) {
		f->held = false;
		h->held_open--;
	}
	/* Over: never held again (held_in's rate test fails). */
	f->trickle = UINT8_MAX;
}

static void
held_in(struct host *h, struct flow *f, const struct pkt *p)
{
	double age = p->ts - f->first;

	if (p->tcp_flags & (TCP_FIN | TCP_RST)) {
		held_close(h, f);
		return;
	}
	if (p->payload_len == 0 || f->data_out || !f->accepted || f->trickle == UINT8_MAX)
		return;
	/* A one-way stream (syslog over TCP, GELF) is never answered. */
	if (refl_collector_port(p->dport) != NULL || p->dport == 601) {
		f->trickle = UINT8_MAX;
		return;
	}
	f->trickle++;
	if (!f->held && f->trickle >= 2 && age >= HELD_SECONDS && f->trickle <= age + 1) {
		f->held = true;
		h->held++;
		if (++h->held_open > h->held_peak)
			h->held_peak = h->held_open;
	}
}

/*
 * Inbound: remote -> local. Decide solicited / late / unsolicited by the
 * flow the reversed 5-tuple names, with the state timeouts of a stateful
 * firewall (Linux conntrack: 30 s unreplied, 120 s once both ways).
 */
static void
inbound(struct ana *a, struct host *h, const struct pkt *p, struct flow *f,
    const struct pctx *c, bool replay)
{
	const struct ana_thresholds *th = &a->cfg.th;
	bool resp = c->resp;
	/* A sighting's payload is gone: its hash was kept. */
	bool has_hash = c->has_pay;
	uint32_t hash = c->pay;
	bool solicited = false, late = false, served = false, request = false, copy = false;
	bool pipelined;
	struct ana_exchange *e = NULL, *rel = NULL;

	if (p->icmp_error && p->quoted.valid) {
		/* An error about a packet we sent: tied to our flow. */
		struct flow *qf = quoted_flow(a, p, true);

		solicited = qf != NULL && qf->pkts_out > 0;
		if (p->icmp_type == 3 || p->proto == P_ICMP6) {
			h->unreach_in++;
			/* it refuses an answer of a local UDP service */
			if (!replay && p->quoted.proto == P_UDP && p->quoted.has_ports &&
			    refl_vector(p->quoted.sport) != NULL && p->quoted.sport != 123)
				vector_refused(h, target_get(a, &p->quoted.src, P_UDP, p->quoted.sport));
		}
		if (qf != NULL)
			e = exchange_of(h, qf);
	} else if (a->cfg.from_flow && !p->icmp_error &&
	    ((p->proto == P_ICMP && p->icmp_type == 3) || (p->proto == P_ICMP6 && p->icmp_type == 1))) {
		/*
		 * A flow record of ICMP unreachables quotes nothing: from a host
		 * our reflection-vector port has been answering, and to the
		 * address that answered, it refuses those answers (rule 1b).
		 */
		h->unreach_in++;
		if (!replay && h->vector.answers_out > 0 && h->vector.port != 123)
			vector_refused(h, target_get(a, &p->dst, P_UDP, h->vector.port));
	} else if (f != NULL) {
		bool fresh = f->pkts_in + f->pkts_out == 0;
		double idle = p->ts - f->last;
		double limit = f->pkts_in > 0 && f->pkts_out > 0 ?
		    th->udp_stream_timeout : th->udp_timeout;
		bool syn = p->proto == P_TCP && (p->tcp_flags & (TCP_SYN | TCP_ACK)) == TCP_SYN;

		if (p->proto == P_TCP)
			limit = INFINITY;	/* TCP state lives as long as the connection */
		/*
		 * The data connection our FTP server told it to open (PASV,
		 * EPSV) is part of the session we serve, no probe of another
		 * port: curl's 4 anonymous downloads were "unsolicited 0.90",
		 * 5 local ports probed (the eighth held-out check). As
		 * conntrack's FTP helper expects it, within FTP_DATA_WINDOW.
		 */
		if (fresh && syn && p->dport == h->ftp_data_port && h->ftp_data_port != 0 &&
		    p->ts - h->ftp_data_ts <= FTP_DATA_WINDOW) {
			served = true;
			h->ftp_data_port = 0;
		}
		if (fresh && (rel = related_exchange(h, p, true)) != NULL) {
			/* The answer to our request, from another port: ours goes on here. */
			rel->pkts_in++;
			e = exchange_entry(a, h, f, p, true, true);
			f->ours = true;
			f->answered = true;
			f->start = FLOW_START_SEEN;
			solicited = true;
		} else if (!fresh && f->ours && f->pkts_out > 0 && !syn) {
			if (idle <= limit)
				solicited = true;
			else if (idle <= th->late_horizon && resp)
				solicited = late = true;
		} else if (!fresh && !f->ours && !syn && idle <= limit) {
			/* Their exchange goes on; answered, it is a client we serve. */
			served = f->answered;
			/*
			 * Each ping, or each datagram to a query service (DNS,
			 * NTP, ...), is a request of its own however many share
			 * the 5-tuple: hping3 -k or an ICMP echo flood is one
			 * exchange of thousands of requests, not a session.
			 */
			request = served && request_datagram(p);
			/*
			 * One that came once we had answered the one before, and
			 * is no copy of it, goes on a conversation: snmpbulkwalk,
			 * each GetBulk after the last answer, was a "flood" at
			 * 326 a second (the fifth held-out check). A flooder does
			 * not wait, or sends copies (hping3 -k -E); an echo has
			 * no payload read here, and stays a request.
			 */
			/*
			 * Not when its requests run ahead of our answers, more
			 * than one in 20 of its packets before our answer to
			 * the one before: dnsperf's 1500 queries a second from
			 * one socket, each its own, were "serving 0.90" (the
			 * seventh held-out check); a walk waits for each answer.
			 */
			if (request && f->pkts_out == f->out_mark && f->ahead < UINT16_MAX)
				f->ahead++;
			/*
			 * Nor when it keeps a flood's rate past a walk's length:
			 * a walk ends (snmpbulkwalk: 323 requests in 1 s), a load
			 * generator goes on. dnsperf -Q 1500 against a BIND that
			 * answered each query before the next came was "serving
			 * 0.95" (lab dns-load: 7500 in 5 s). Saturated, it stays
			 * a stream.
			 */
			if (request && p->ts - f->first >= WALK_SECONDS &&
			    f->pkts_in >= th->flood_pps * (p->ts - f->first))
				f->ahead = UINT16_MAX;
			pipelined = (uint32_t)f->ahead * 20 > f->pkts_in;
			if (request && !pipelined && f->pkts_out > f->out_mark && (has_hash ||
			    (has_hash = copies_hash(a, p, &hash))) &&
			    !(h->req.pkts > 0 && hash == h->req.last))
				request = false;
			/* What the conversation had taken up, the stream gives back. */
			if (request && pipelined && f->accepted && p->proto == P_UDP &&
			    h->ex_theirs_accepted > 0) {
				f->accepted = false;
				h->ex_theirs_accepted--;
			}
			/*
			 * It went on after our answer, other than to reset it: a
			 * session we accepted (a completed handshake). A spoofed
			 * SYN never gets this far, and the RST a scanner's kernel
			 * sends our SYN-ACK does not count.
			 */
			if (served && !f->accepted && !request &&
			    !(p->proto == P_TCP && (p->tcp_flags & TCP_RST))) {
				f->accepted = true;
				h->ex_theirs_accepted++;
				if (p->proto == P_TCP && p->has_ports)
					target_served(a, &p->dst, P_TCP, p->dport);
			}
		}
		if (!fresh && (solicited || (!f->ours && !syn && idle <= limit)))
			e = exchange_of(h, f);
		if (rel != NULL) {
			/* begun by us, on the request's exchange */
		} else if (fresh) {
			f->first_in_resp = resp;
			f->start = (uint8_t)unseen_start(p, true);
		} else if (syn) {
			f->start = FLOW_START_SEEN;	/* a new connection on the same ports */
		}
		if (e == NULL && !solicited &&
		    !(exchange_aged(h, f) && !f->ours && !syn && idle <= limit)) {
			/* Theirs until our side takes part, whatever the ports say. */
			e = exchange_new(a, h, f, p, true, FLOW_START_SEEN);
			f->ours = false;
			f->answered = false;
		}
		if (!solicited && !served && !resp && !f->ours &&
		    (f->start == FLOW_START_LOCAL || f->start == FLOW_START_UNKNOWN)) {
			/* So many and no word from us: not a connection of ours. */
			if (f->pend == UINT16_MAX)
				f->start = FLOW_START_SEEN;
			else
				f->pend++;
		}
	}
	if (f != NULL && !f->ours && !f->data_in && p->proto == P_TCP && p->payload_len > 0) {
		f->data_in = true;
		h->ex_theirs_data++;
	}
	if (f != NULL && !f->ours && p->proto == P_TCP)
		held_in(h, f, p);
	if (p->proto == P_TCP && (p->tcp_flags & (TCP_SYN | TCP_ACK)) == TCP_SYN)
		h->syn_in++;
	/*
	 * nmap -sN, -sF, -sX: no SYN, ACK or RST, on no connection; and a
	 * TCP header split over tiny fragments (nmap -f), flags unseen.
	 */
	if (p->proto == P_TCP && !solicited && !served && p->has_ports && !p->later_fragment &&
	    (p->tcp_flags & (TCP_SYN | TCP_ACK | TCP_RST)) == 0 &&
	    (f == NULL || f->pkts_out == 0)) {
		h->stealth_in++;
		h->split_in += p->tcp_split;
	}
	if (e != NULL) {
		e->pkts_in++;
		e->last = p->ts;
		if (late)
			e->late_in++;
		if (!solicited)
			e->unsolicited_in++;
	}
	if (solicited) {
		h->in_solicited++;
		if (late)
			h->in_late++;
	} else {
		h->in_unsolicited++;
		if (has_hash || (has_hash = copies_hash(a, p, &hash))) {
			copy = h->req.pkts > 0 && hash == h->req.last;
			copies_add(&h->req, hash);
		}
		if (served) {
			h->in_served++;
			h->req_again += request;
		} else if (resp) {
			h->in_resp_unsol++;
			h->resp_unsol_bytes += p->ip_len;
			target_account(a, h, p, true, replay, has_hash ? &hash : NULL);
		} else {
			h->in_probe++;
			h->probe_frags += p->later_fragment;
			h->protos[p->proto >> 6] |= 1ULL << (p->proto & 63);
			h->probe_bytes += p->ip_len;
			if (p->has_ports || p->proto == P_ICMP || p->proto == P_ICMP6) {
				uint16_t port = p->has_ports ? p->dport : 0;

				portset_add(&h->pports, port);
				topk_add(&h->top_probe, port, p->proto);
			}
			addrset_add(&h->paddrs, fingerprint(a, &p->dst));
			target_account(a, h, p, false, replay, has_hash ? &hash : NULL);
		}
	}
	if (f != NULL)
		f->out_mark = f->pkts_out;
	/*
	 * What we served is not unsolicited for the flood rate; more requests
	 * are. Nor is a device's report to a one-way collector (syslog, SNMP
	 * traps) that we never refused and that is no copy of the one before:
	 * a log storm of 150 messages a second was "flood 0.86" (the sixth
	 * held-out check).
	 */
	/* Flow records carry no payload: no copy can be seen there. */
	if (!solicited && !served && f != NULL && ((has_hash && !copy) || a->cfg.from_flow) &&
	    delivered_report(h, p, f)) {
		served = true;
		h->reports_in++;
		h->reports_port = p->dport;
		/*
		 * Its collector took it: at the target, as an answered request
		 * is (a sighting's too, when replayed: nothing here counted it).
		 */
		target_served(a, &p->dst, P_UDP, p->dport);
	}
	rate_add(&h->rate, &h->rs, p->ts, true, p->ip_len, !solicited && (!served || request),
	    th->flood_pps);
}

static void
outbound(struct ana *a, struct host *h, const struct pkt *p, struct flow *f)
{
	struct ana_exchange *rel;
	struct ana_exchange *e = NULL;

	if (p->proto == P_TCP && (p->tcp_flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
		/* An open port, counted once however often it answers. */
		h->synack_out++;
		addrset_add(&host_side(h)->open,
		    (fingerprint(a, &p->src) ^ p->sport) * 0x9e3779b1u);
	}
	if (p->proto == P_TCP && (p->tcp_flags & TCP_RST))
		h->rst_out++;
	if (p->icmp_error && p->quoted.valid) {
		/* We refuse something they sent: mark their flow. */
		struct flow *qf = quoted_flow(a, p, false);

		if (p->icmp_type == 3 || p->proto == P_ICMP6)
			h->unreach_out++;
		if (qf != NULL)
			qf->refused = true;
	}
	if (f != NULL && !f->ours && p->proto == P_TCP &&
	    (p->payload_len > 0 || (p->tcp_flags & (TCP_FIN | TCP_RST)))) {
		/* Answered, or over: no longer held. */
		f->data_out = f->data_out || p->payload_len > 0;
		held_close(h, f);
	}
	if (f != NULL && !f->ours && p->proto == P_TCP && p->has_ports && p->payload_caplen > 0) {
		/* A login of theirs that our service refused. */
		const char *svc = login_refused(p->sport, p->payload, p->payload_caplen);
		uint16_t data = ftp_passive_port(p->sport, p->payload, p->payload_caplen);

		if (data != 0) {
			h->ftp_data_port = data;
			h->ftp_data_ts = p->ts;
		}
		if (svc != NULL) {
			h->login_refused++;
			h->login_svc = svc;
			h->login_port = p->sport;
			if (h->login_win_n == 0 || p->ts - h->login_win > 60) {
				h->login_win = p->ts;
				h->login_win_n = 0;
			}
			if (++h->login_win_n > h->login_peak_min)
				h->login_peak_min = h->login_win_n;
		}
	}
	if (f != NULL) {
		bool fresh = f->pkts_in + f->pkts_out == 0;
		bool expired = !fresh && p->ts - f->last > (f->pkts_in > 0 && f->pkts_out > 0 ?
		    a->cfg.th.udp_stream_timeout : a->cfg.th.udp_timeout);

		e = exchange_of(h, f);
		if (!fresh && f->pkts_out == 0 && f->first_in_resp && p->ts - f->first <= 2.0 && !(p->tcp_flags & TCP_RST) &&
		    e != NULL && e->pkts_out == 0 && h->in_resp_unsol >= f->pkts_in) {
			/*
			 * A reply captured a moment before its request (clock
			 * skew between interfaces, a misordered capture): the
			 * exchange was ours after all.
			 */
			uint32_t k = f->pkts_in;

			h->in_unsolicited -= k;
			h->in_resp_unsol -= k;
			h->in_solicited += k;
			e->unsolicited_in = 0;
			h->ex_theirs--;
			if (f->start == FLOW_START_LOCAL) {
				/* Their SYN-ACK to a SYN of ours the capture missed. */
				exchange_unseen(h, e, FLOW_START_LOCAL);
			} else {
				e->ours = true;
				h->ex_ours++;
			}
			f->ours = true;
		} else if (!fresh && !expired && e != NULL && f->pkts_out == 0 &&
		    f->start != FLOW_START_SEEN && unseen_start(p, false) != FLOW_START_SEEN) {
			flow_adopt(h, f, e);
		} else if (fresh && (rel = related_exchange(h, p, false)) != NULL) {
			/*
			 * The answer to their request from another port: their
			 * transaction goes on here, theirs and answered.
			 */
			rel->pkts_out++;
			h->ex_theirs_answered++;
			e = exchange_entry(a, h, f, p, false, false);
			f->start = FLOW_START_SEEN;
			f->pend = 0;
			f->ours = false;
			f->answered = true;
		} else if (fresh || expired || (e == NULL && !exchange_aged(h, f))) {
			enum flow_start start = fresh ? unseen_start(p, false) : FLOW_START_SEEN;

			e = exchange_new(a, h, f, p, false, start);
			f->start = (uint8_t)start;
			f->pend = 0;
			/* Our packet to a client of ours: we answer its connection. */
			f->ours = start != FLOW_START_REMOTE;
			f->answered = start == FLOW_START_REMOTE;
			if (f->answered)
				h->ex_theirs_answered++;
		} else if (!f->ours && !f->answered) {
			h->ex_theirs_answered++;
			f->answered = true;
			if (p->proto == P_UDP && p->has_ports && !p->later_fragment)
				target_served(a, &p->src, P_UDP, p->sport);
		}
		if (e != NULL) {
			e->pkts_out++;
			e->last = p->ts;
		}
	}
	rate_add(&h->rate, &h->rs, p->ts, false, p->ip_len, false, a->cfg.th.flood_pps);
}


static void
evidence_keep(struct ana *a, struct host *h, const struct pkt *p)
{
	struct evring *r = h->ev;
	struct evframe *f;

	if (p->frame == NULL || (r == NULL && a->cfg.no_frames && a->cfg.n_watch == 0))
		return;
	if (r == NULL) {
		uint32_t cap = EV_FRAMES;
		int i;

		for (i = 0; i < a->cfg.n_watch; i++)
			if (ns_addr_eq(&a->cfg.watch[i], &h->addr))
				cap = EV_FRAMES_WATCHED;
		if (cap == EV_FRAMES && (a->n_evrings >= EV_MAX_RINGS || a->cfg.no_frames))
			return;
		r = h->ev = xcalloc(1, sizeof(*r) + cap * sizeof(r->f[0]));
		r->cap = cap;
		a->n_evrings++;
	}
	f = &r->f[r->head];
	f->ts = p->ts;
	f->caplen = NS_MIN(p->caplen, (uint32_t)EV_SNAP);
	f->wirelen = p->wirelen;
	f->dlt = p->dlt;
	memcpy(f->data, p->frame, f->caplen);
	if (++r->head == r->cap)
		r->head = 0;
	if (r->n < r->cap)
		r->n++;
}

/* The rule a firewall logged the packet by, counted per name. */
static void
host_fw_rule(struct host *h, const struct pkt *p)
{
	struct host_side *s = host_side(h);
	size_t n = NS_MIN((size_t)p->rule_len, (size_t)ANA_FW_RULE_LEN - 1);
	char name[ANA_FW_RULE_LEN];
	struct ana_fw_rule *r;

	/* The bytes as they came first: a printable name matches them as they are. */
	for (int i = 0; i < s->n_fw_rules; i++) {
		r = &s->fw_rules[i];
		if (r->action == p->fw_action && r->vantage == p->vantage && r->name[n] == '\0' &&
		    memcmp(r->name, p->rule, n) == 0) {
			r->packets++;
			return;
		}
	}
	ns_printable(name, sizeof(name), p->rule, n);
	for (int i = 0; i < s->n_fw_rules; i++) {
		r = &s->fw_rules[i];
		if (r->action == p->fw_action && r->vantage == p->vantage &&
		    strcmp(r->name, name) == 0) {
			r->packets++;
			return;
		}
	}
	if (s->n_fw_rules == ANA_FW_RULES) {
		s->fw_rules_other++;
		return;
	}
	r = &s->fw_rules[s->n_fw_rules++];
	memcpy(r->name, name, sizeof(name));
	r->action = p->fw_action;
	r->vantage = p->vantage;
	r->packets = 1;
}

/* A packet from the host (in) or to it, in its totals. */
static void
host_count(struct host *h, const struct pkt *p, bool in)
{
	if (p->rule_len > 0)
		host_fw_rule(h, p);
	if (p->ts > h->last)
		h->last = p->ts;
	if (p->ts < h->first)
		h->first = p->ts;
	if (in) {
		h->pkts_in++;
		h->bytes_in += p->ip_len;
	} else {
		h->pkts_out++;
		h->bytes_out += p->ip_len;
	}
}

/* A packet between two remote hosts, in the totals and the rates of one. */
void
transit_count(struct ana *a, struct host *h, const struct pkt *p, bool src)
{
	host_count(h, p, src);
	rate_add(&h->rate, &h->rs, p->ts, src, p->ip_len, false, a->cfg.th.flood_pps);
}

/*
 * A later fragment of an NTP datagram: its bytes count where its first
 * fragment's did (a fragmented mode 6 answer is amplification bytes too),
 * not as another NTP packet.
 */
static void
frag_ntp_bytes(struct ana *a, struct host *h, const struct pkt *p, bool in, uint8_t bits,
    bool replay)
{
	struct ana_ntp_info *n = &host_side(h)->ntp;
	struct target *t;

	if (bits & FRAG_NTP_REQUEST) {
		if (in)
			n->req_bytes_in += p->ip_len;
		else
			n->req_bytes_out += p->ip_len;
	} else if (bits & FRAG_NTP_RESPONSE) {
		if (in)
			n->resp_bytes_in += p->ip_len;
		else
			n->resp_bytes_out += p->ip_len;
	}
	if (replay || !(bits & FRAG_NTP_MODE67))
		return;
	if (in && (bits & FRAG_NTP_REQUEST)) {
		t = target_get(a, &p->dst, p->proto, p->dport);
		t->amp_req_bytes += p->ip_len;
	} else if (!in && (bits & FRAG_NTP_RESPONSE)) {
		t = target_get(a, &p->src, p->proto, p->sport);
		t->amp_resp_bytes += p->ip_len;
	}
}

/*
 * What a packet does to its host and its flow. replay: the packet of a
 * sighting, whose host is made only now; what it did elsewhere (targets)
 * was done when it came. Returns the exchange of its flow, or 0.
 */
uint64_t
host_account(struct ana *a, struct host *h, const struct pkt *p, const struct pctx *c,
    const struct flow_key *k, bool replay)
{
	struct flow *f = NULL;
	bool in = c->in;
	uint32_t lfp;

	host_count(h, p, in);
	evidence_keep(a, h, p);
	lfp = fingerprint(a, in ? &p->dst : &p->src);
	addrset_add(&h->laddrs, lfp);
	if (c->is_ntp) {
		ntp_account(a, h, p, in, &c->m);
		if (!replay && (c->m.mode == 6 || c->m.mode == 7))
			amp_account(a, h->side->ntp.resp_bytes_out == p->ip_len, p, &c->m, in);
	} else if (c->ntp_frag != 0) {
		frag_ntp_bytes(a, h, p, in, c->ntp_frag, replay);
	} else if (p->proto == P_UDP && p->has_ports && vector_packet(h, p, in)) {
		vector_account(a, h, p, in, replay);
	}
	if (p->has_ports && !p->later_fragment)
		count_ports(a, h, p, in);
	if (c->want_flow) {
		f = flow_find(a, k, c->fh);
		if (f == NULL)
			f = flow_add(a, k, c->fh);
	}
	burst_account(a, h, p->ts, in, lfp);
	if (in)
		inbound(a, h, p, f, c, replay);
	else
		outbound(a, h, p, f);
	if (f != NULL) {
		if (f->first == 0)
			f->first = p->ts;
		f->last = p->ts;
		if (in)
			f->pkts_in++;
		else
			f->pkts_out++;
	}
	/* Eviction value: volume, and far more for what looks hostile. */
	a->hp.score[h->idx] = score_volume(h->pkts_in + h->pkts_out) +
	    (h->in_probe > 0 ? 4 : 0) + (h->in_resp_unsol > 0 ? 3 : 0) +
	    (h->side != NULL && h->side->ntp.monlist_req_in + h->side->ntp.mode7_out > 0 ? 8 : 0) +
	    h->last / 1e9;
	return f != NULL ? f->ex_seq : 0;
}

/*
 * A later fragment whose first was not kept belongs to the stream its
 * source sends to the same local address: the host's latest exchange
 * there with the same protocol (its most recent UDP flow to that address,
 * say). Its class is that flow's: a reply when the flow is ours or began
 * with a reply of theirs.
 */
static bool
frag_stream(struct ana *a, const struct host *h, struct pkt *p, bool in, struct frag_info *fi)
{
	const struct ns_addr *local = in ? &p->dst : &p->src;
	const struct ana_exchange *e, *best = NULL;
	uint64_t n = NS_MIN(h->ex_seq, (uint64_t)ANA_TIMELINE);
	struct flow_key k;
	struct flow *f;

	/*
	 * Over TCP, a connection it has sent on: our RSTs alone (in flow
	 * records, to nmap -f's probes whose tiny fragments came as one
	 * portless record) are no stream of its, and made the scan solicited.
	 */
	for (uint64_t i = 0; i < n; i++) {
		e = host_ex(h, h->ex_seq - i);
		if (e->proto == p->proto && ns_addr_eq(&e->local, local) &&
		    (p->proto != P_TCP || (in ? e->pkts_in : e->pkts_out) > 0) &&
		    (best == NULL || e->last > best->last))
			best = e;
	}
	if (best == NULL)
		return false;
	if (p->proto == P_ICMP || p->proto == P_ICMP6) {
		fi->sport = fi->dport = best->lport;
	} else {
		fi->has_ports = true;
		fi->sport = in ? best->rport : best->lport;
		fi->dport = in ? best->lport : best->rport;
		fi->tcp_flags = TCP_ACK;	/* a segment of the connection */
	}
	p->has_ports = fi->has_ports;
	p->sport = fi->sport;
	p->dport = fi->dport;
	flow_key_make(&k, p, in);
	f = flow_find(a, &k, ana_hash_flow(a, &k));
	fi->resp = f != NULL && (f->ours || f->first_in_resp);
	return true;
}

/*
 * A later fragment takes its datagram's ports and class from the first
 * fragment (frag_later), else from its source's stream (frag_stream).
 * With neither it is an orphan: counted as a portless probe of the local
 * address, and kept in the table so that its first, if it comes within
 * FRAG_TTL, moves it to its own class (frag_reclass). Returns whether it
 * was attributed; *fi says how.
 */
static bool
frag_attribute(struct ana *a, struct pkt *p, bool in, const struct ns_addr *remote,
    uint64_t hh, struct frag_info *fi)
{
	const struct host *h;

	memset(fi, 0, sizeof(*fi));
	if (a->frag != NULL && frag_later(a->frag, p, fi)) {
		p->has_ports = fi->has_ports;
		p->sport = fi->sport;
		p->dport = fi->dport;
		p->tcp_flags = fi->tcp_flags;
		p->icmp_type = fi->icmp_type;
		p->icmp_code = fi->icmp_code;
		return true;
	}
	if ((h = host_find(a, remote, hh)) != NULL && frag_stream(a, h, p, in, fi)) {
		p->tcp_flags = fi->tcp_flags;
		return true;
	}
	if (a->frag == NULL)
		a->frag = frag_new(FRAG_DEFAULT);
	frag_orphan(a->frag, p);
	return false;
}

/* A first fragment: what its later ones are to take. */
static void
frag_note_first(struct ana *a, const struct pkt *p, const struct pctx *c, uint32_t *n,
    uint64_t *bytes)
{
	struct frag_info fi;

	memset(&fi, 0, sizeof(fi));
	fi.resp = c->resp;
	fi.has_ports = p->has_ports;
	fi.sport = p->sport;
	fi.dport = p->dport;
	fi.tcp_flags = p->tcp_flags;
	fi.icmp_type = p->icmp_type;
	fi.icmp_code = p->icmp_code;
	if (c->is_ntp)
		fi.ntp = (uint8_t)((c->m.request ? FRAG_NTP_REQUEST : 0) |
		    (c->m.response ? FRAG_NTP_RESPONSE : 0) |
		    (c->m.mode == 6 || c->m.mode == 7 ? FRAG_NTP_MODE67 : 0));
	if (a->frag == NULL)
		a->frag = frag_new(FRAG_DEFAULT);
	frag_first(a->frag, p, &fi, n, bytes);
}

/* The host's inbound classes, to see which one a packet went to. */
struct frag_classes {
	uint64_t solicited, resp, probe;
};

static void
frag_classes(const struct host *h, struct frag_classes *k)
{
	k->solicited = h->in_solicited;
	k->resp = h->in_resp_unsol;
	k->probe = h->in_probe;
}

/*
 * n later fragments (bytes) came before their first and were counted as
 * portless probes of the local address; the first has now been counted
 * (before: the classes until then), so they move to its class and port.
 */
static void
frag_reclass(struct ana *a, struct host *h, const struct pkt *p, const struct frag_classes *before,
    uint32_t n, uint64_t bytes)
{
	struct target *t;

	if (h->in_probe < n || h->probe_bytes < bytes || h->in_unsolicited < n)
		return;		/* counted on a host evicted since */
	if (h->has_target && h->first_target_port == 0 && h->first_target_proto == p->proto &&
	    p->has_ports && ns_addr_eq(&h->first_target, &p->dst))
		h->first_target_port = p->dport;
	if (h->in_solicited > before->solicited) {
		h->in_probe -= n;
		h->probe_bytes -= bytes;
		h->in_unsolicited -= n;
		h->in_solicited += n;
		t = target_get(a, &p->dst, p->proto, TARGET_ANY_PORT);
		t->unsol_pkts -= NS_MIN(t->unsol_pkts, (uint64_t)n);
		t->unsol_bytes -= NS_MIN(t->unsol_bytes, bytes);
		return;
	}
	if (h->in_resp_unsol == before->resp && h->in_probe == before->probe)
		return;		/* served: left as counted */
	t = target_get(a, &p->dst, p->proto, p->has_ports ? p->dport : 0);
	t->unsol_pkts += n;
	t->unsol_bytes += bytes;
	if (h->in_resp_unsol > before->resp) {
		h->in_probe -= n;
		h->probe_bytes -= bytes;
		h->in_resp_unsol += n;
		h->resp_unsol_bytes += bytes;
		t->resp_pkts += n;
		t->resp_bytes += bytes;
		t = target_get(a, &p->dst, p->proto, TARGET_ANY_PORT);
		t->resp_pkts += n;
		t->resp_bytes += bytes;
	}
}

void
host_packet(struct ana *a, struct pkt *p)
{
	bool sl = local_match(a, &p->src), dl = local_match(a, &p->dst);
	const struct ns_addr *remote;
	struct sighting *s;
	struct host *h;
	struct twin *t;
	struct flow_key k;
	struct pctx c;
	struct frag_info fi;
	struct frag_classes before = { 0, 0, 0 };
	uint64_t tkey = 0, hh, ex, fx, orphan_bytes = 0;
	uint32_t orphans = 0;
	bool fa = false;

	a->tot.ip_packets++;
	a->tot.bytes += p->ip_len;
	if (sl && dl && !ns_addr_eq(&p->src, &p->dst)) {
		a->tot.internal++;
		return;
	}
	if (!sl && !dl) {
		a->tot.transit++;
		transit_side(a, &p->src, p, true);
		transit_side(a, &p->dst, p, false);
		return;
	}
	/*
	 * A host talking to itself (ntpq against the local ntpd over
	 * loopback): the side on the lower, service port is the local one.
	 */
	if (ns_addr_eq(&p->src, &p->dst))
		c.in = p->dport <= p->sport;
	else
		c.in = dl;
	remote = c.in ? &p->src : &p->dst;
	/*
	 * Both table slots this packet needs are cold (the flows' table is
	 * 2 MB): hash both keys first and ask for both slots, so that the
	 * two misses overlap instead of following each other.
	 */
	hh = ana_hash_addr(a, remote);
	__builtin_prefetch(&a->hosts.s[hh & a->hosts.mask]);
	if (p->later_fragment)
		fa = frag_attribute(a, p, c.in, remote, hh, &fi);
	c.want_flow = p->has_ports || ((!p->later_fragment || fa) &&
	    (p->proto == P_ICMP || p->proto == P_ICMP6) && !p->icmp_error);
	c.fh = 0;
	if (c.want_flow) {
		flow_key_make(&k, p, c.in);
		c.fh = ana_hash_flow(a, &k);
		__builtin_prefetch(&a->flows.s[c.fh & a->flows.mask]);
	}
	memset(&c.m, 0, sizeof(c.m));
	c.has_pay = false;
	c.is_ntp = !p->later_fragment && p->proto == P_UDP && p->has_ports && p->payload_caplen > 0 &&
	    ntp_dissect(p->payload, p->payload_caplen, p->payload_len,
	    p->sport == 123 || p->dport == 123, p->src.af, &c.m);
	/*
	 * Off port 123, a datagram to or from another service's port (a
	 * reflection vector's) is that service's, not NTP: charon's
	 * IKE_SA_INIT responses passed ntp_dissect's checks as modes 2, 3
	 * and 5, and memcached's continued "stats" answers as mode 7.
	 */
	if (c.is_ntp && p->sport != 123 && p->dport != 123 &&
	    (refl_vector(p->sport) != NULL || refl_vector(p->dport) != NULL ||
	    refl_payload(p->sport, p->payload, p->payload_caplen) != REFL_UNKNOWN ||
	    refl_payload(p->dport, p->payload, p->payload_caplen) != REFL_UNKNOWN)) {
		c.is_ntp = false;
		memset(&c.m, 0, sizeof(c.m));
	}
	c.resp = c.in && is_response_kind(p, &c.m, c.is_ntp, !a->cfg.from_log && !a->cfg.from_flow);
	c.ntp_frag = 0;
	if (p->later_fragment) {
		c.resp = c.in && fa && fi.resp;
		c.ntp_frag = fa ? fi.ntp : 0;
	} else if (p->fragment) {
		frag_note_first(a, p, &c, &orphans, &orphan_bytes);
	}
	if (a->n_local > 1 && p->ipver == 4)
		tkey = twin_key(a, p, c.in);
	h = host_or_slot(a, remote, hh, &s, &fx);
	if (h == NULL) {
		if (s != NULL && sighting_ok(a, p, &c, &k, fx, tkey)) {
			sighting_take(a, s, remote, hh, fx, p, &c, tkey);
			return;
		}
		a->tot.hosts_seen++;
		h = host_adopt(a, remote, hh, p->ts);
	}
	if (tkey != 0 && (t = twin_find(a, tkey, p, c.in)) != NULL) {
		twin_seen(a, h, t, p, c.in);
		return;
	}
	if (orphans > 0)
		frag_classes(h, &before);
	ex = host_account(a, h, p, &c, &k, false);
	if (orphans > 0 && c.in)
		frag_reclass(a, h, p, &before, orphans, orphan_bytes);
	if (tkey != 0)
		twin_note(a, tkey, p, c.in, ex);
}
