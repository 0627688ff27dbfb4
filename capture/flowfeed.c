/*
 * Flow records into the packets the analysis takes, in time order.
 *
 * fwlog_expand() turns one connection record into its packets at once;
 * flows need more: a router exports a flow when it ends, so records come
 * in the order flows ended, and the two directions of one conversation
 * are two records, often in different messages. The analysis takes
 * packets in time order and decides who started an exchange from which
 * packet came first, so records are held, sorted by their start, and
 * their packets merged across records (a heap of the flows being
 * expanded, by the time of their next packet).
 *
 * The limit accepted: a record that comes after its neighbours were
 * flushed (held past FLOW_FEED_HOLD records, or a pause of the exporter)
 * is analysed late; such records are counted (reordered_late).
 */
#include "config.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "capture/flow.h"
#include "common/util.h"

#define SEEN_BITS 16
#define SEEN_PROBE 8
/* A reverse flow that started this long after the other ended is not its answer. */
#define PAIR_HORIZON 120.0

struct seen {
	bool used;
	uint8_t proto;
	uint16_t port[2];
	struct ns_addr addr[2];		/* addr[0] <= addr[1] (and ports) */
	bool has[2];			/* direction 0: addr[0] -> addr[1] */
	double start[2], end[2];
};

struct held {
	struct flow_rec r;		/* r.hdr: the feed's copy (an sFlow sample) */
	uint32_t order;			/* arrival, for a stable sort */
	/* the expansion */
	uint64_t i, n;
	double t0, step;
	bool responder;
};

struct flow_feed {
	void (*cb)(void *, struct pkt *);
	void *arg;
	struct flow_stats *st;
	struct held *h;
	unsigned n, cap;		/* held, and room for; grown to FLOW_FEED_HOLD */
	uint32_t order;
	unsigned *heap;
	unsigned nheap;
	struct seen *seen;
	unsigned seen_bits;		/* grown with the records held, to SEEN_BITS */
	uint8_t key[16];
	double last_ts;			/* the latest packet handed on */
};

struct flow_feed *
flow_feed_new(void (*cb)(void *, struct pkt *), void *arg, struct flow_stats *st)
{
	struct flow_feed *f = xcalloc(1, sizeof(*f));

	f->cb = cb;
	f->arg = arg;
	f->st = st;
	/* Grown as records come: a session of a few flows needs a few KiB, not 12 MiB. */
	ns_random_bytes(f->key, sizeof(f->key));
	return f;
}

void
flow_feed_free(struct flow_feed *f)
{
	if (f == NULL)
		return;
	for (unsigned k = 0; k < f->n; k++)
		free((uint8_t *)f->h[k].r.hdr);
	free(f->h);
	free(f->heap);
	free(f->seen);
	free(f);
}

void
flow_feed_add(struct flow_feed *f, const struct flow_rec *r)
{
	if (f->n == FLOW_FEED_HOLD)
		flow_feed_flush(f);
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 64;
		f->h = xreallocarray(f->h, f->cap, sizeof(*f->h));
		f->heap = xreallocarray(f->heap, f->cap, sizeof(*f->heap));
	}
	f->h[f->n].r = *r;
	if (r->hdr != NULL && r->hdr_len > 0) {
		/* The sampled packet, kept until it is analysed (FLOW_SFLOW_HEADER at most). */
		uint8_t *copy = xmalloc(r->hdr_len);

		memcpy(copy, r->hdr, r->hdr_len);
		f->h[f->n].r.hdr = copy;
	} else {
		f->h[f->n].r.hdr = NULL;
		f->h[f->n].r.hdr_len = 0;
	}
	f->h[f->n].order = f->order++;
	f->n++;
}

/*
 * At the same start (a millisecond is all most exporters give), the
 * flow that looks like a request goes first: a SYN without ACK, or one
 * from a high port to a service port.
 */
static int
request_like(const struct flow_rec *r)
{
	if (r->proto == IPPROTO_TCP && (r->tcp_flags & TCP_SYN) && !(r->tcp_flags & TCP_ACK))
		return 0;
	if (r->has_ports && r->dport < 1024 && r->sport >= 1024)
		return 1;
	return 2;
}

static int
by_start(const void *a, const void *b)
{
	const struct held *x = a, *y = b;
	int rx, ry;

	if (x->r.start != y->r.start)
		return x->r.start < y->r.start ? -1 : 1;
	/* Sampled packets came in the order they were sampled. */
	if (x->r.hdr != NULL && y->r.hdr != NULL)
		return x->order < y->order ? -1 : x->order > y->order;
	rx = request_like(&x->r);
	ry = request_like(&y->r);
	if (rx != ry)
		return rx - ry;
	return x->order < y->order ? -1 : x->order > y->order;
}

static uint64_t
seen_hash(const struct flow_feed *f, const struct seen *k)
{
	uint8_t buf[2 * 17 + 5];

	memcpy(buf, &k->addr[0], 17);
	memcpy(buf + 17, &k->addr[1], 17);
	memcpy(buf + 34, k->port, 4);
	buf[38] = k->proto;
	return ns_siphash(f->key, buf, sizeof(buf));
}

static double
seen_end(const struct seen *s)
{
	return !s->used ? -1 : s->end[0] > s->end[1] ? s->end[0] : s->end[1];
}

/*
 * Room for four conversations a record held, up to 2^SEEN_BITS: a few
 * flows need a few KiB. Growing re-places the entries; one that finds
 * no free slot among its probes is forgotten, as when the table is full.
 */
static void
seen_grow(struct flow_feed *f)
{
	unsigned want = 10;
	struct seen *old = f->seen;
	size_t n_old = f->seen ? (size_t)1 << f->seen_bits : 0;

	while (want < SEEN_BITS && ((size_t)1 << want) < 4 * (size_t)f->cap)
		want++;
	if (f->seen != NULL && want <= f->seen_bits)
		return;
	f->seen = xcalloc((size_t)1 << want, sizeof(*f->seen));
	f->seen_bits = want;
	for (size_t i = 0; i < n_old; i++) {
		uint64_t h;

		if (!old[i].used)
			continue;
		h = seen_hash(f, &old[i]);
		for (unsigned j = 0; j < SEEN_PROBE; j++) {
			struct seen *s = &f->seen[(h + j) & (((size_t)1 << want) - 1)];

			if (!s->used) {
				*s = old[i];
				break;
			}
		}
	}
	free(old);
}

/* The conversation of r, and r's direction in it (made when new). */
static struct seen *
seen_get(struct flow_feed *f, const struct flow_rec *r, int *dir)
{
	struct seen k;
	struct seen *best = NULL;
	int c = ns_addr_cmp(&r->src, &r->dst);
	uint64_t h;

	memset(&k, 0, sizeof(k));
	*dir = c < 0 || (c == 0 && r->sport <= r->dport) ? 0 : 1;
	k.proto = r->proto;
	k.addr[*dir] = r->src;
	k.addr[!*dir] = r->dst;
	k.port[*dir] = r->has_ports ? r->sport : 0;
	k.port[!*dir] = r->has_ports ? r->dport : 0;
	h = seen_hash(f, &k);
	for (unsigned i = 0; i < SEEN_PROBE; i++) {
		struct seen *s = &f->seen[(h + i) & (((size_t)1 << f->seen_bits) - 1)];
		double se;

		if (s->used && s->proto == k.proto && s->port[0] == k.port[0] &&
		    s->port[1] == k.port[1] && ns_addr_eq(&s->addr[0], &k.addr[0]) &&
		    ns_addr_eq(&s->addr[1], &k.addr[1]))
			return s;
		/* Else the slot that ended longest ago (a free one first) is taken. */
		se = seen_end(s);
		if (best == NULL || se < seen_end(best))
			best = s;
	}
	*best = k;
	best->used = true;
	return best;
}

static bool
heap_less(const struct flow_feed *f, unsigned a, unsigned b)
{
	const struct held *x = &f->h[a], *y = &f->h[b];
	double tx = x->t0 + x->step * (double)x->i, ty = y->t0 + y->step * (double)y->i;

	/*
	 * At the same instant (a flow's packets spread over 0 ms), the n-th
	 * packets of all flows before their (n+1)-th: a SYN, its SYN-ACK,
	 * then the scanner's RST, as they went.
	 */
	if (tx != ty)
		return tx < ty;
	return x->i != y->i ? x->i < y->i : a < b;
}

static void
heap_push(struct flow_feed *f, unsigned k)
{
	unsigned i = f->nheap++;

	f->heap[i] = k;
	while (i > 0 && heap_less(f, f->heap[i], f->heap[(i - 1) / 2])) {
		unsigned p = (i - 1) / 2, t = f->heap[p];

		f->heap[p] = f->heap[i];
		f->heap[i] = t;
		i = p;
	}
}

static void
heap_down(struct flow_feed *f)
{
	unsigned i = 0;

	for (;;) {
		unsigned l = 2 * i + 1, r = l + 1, m = i, t;

		if (l < f->nheap && heap_less(f, f->heap[l], f->heap[m]))
			m = l;
		if (r < f->nheap && heap_less(f, f->heap[r], f->heap[m]))
			m = r;
		if (m == i)
			return;
		t = f->heap[m];
		f->heap[m] = f->heap[i];
		f->heap[i] = t;
		i = m;
	}
}

static uint32_t
l4_header(uint8_t proto)
{
	return proto == IPPROTO_TCP ? 20 : proto == IPPROTO_UDP || proto == IPPROTO_ICMP ||
	    proto == IPPROTO_ICMPV6 ? 8 : 0;
}

/* p, the next packet of h (the top of the heap), to the analysis. */
static void
emit(struct flow_feed *f, struct held *h, struct pkt *p)
{
	p->rule = h->r.via;
	p->rule_len = (uint16_t)strlen(h->r.via);
	p->vantage = true;
	if (p->ts > f->last_ts)
		f->last_ts = p->ts;
	f->st->packets_made++;
	f->cb(f->arg, p);
	if (++h->i == h->n) {
		f->heap[0] = f->heap[--f->nheap];
	}
	if (f->nheap > 0)
		heap_down(f);
}

/*
 * A sampled packet (sFlow) and the packets it stands for: the header
 * decoded again, as it came, at each time; the last is the sampled one.
 */
static void
emit_sampled(struct flow_feed *f, struct held *h)
{
	const struct flow_rec *r = &h->r;
	struct pkt p;

	cap_decode_frame(&p, 0, r->hdr_dlt, h->t0 + h->step * (double)h->i, 0, r->hdr,
	    r->hdr_len, r->frame_len);
	/* Not a capture's frame: nothing of it is kept as evidence. */
	p.frame = NULL;
	emit(f, h, &p);
}

/* The next packet of the flow at the top of the heap. */
static void
emit_top(struct flow_feed *f)
{
	struct held *h = &f->h[f->heap[0]];
	const struct flow_rec *r = &h->r;
	struct pkt p;
	uint32_t hdr = (r->ipver == 6 ? 40 : 20) + l4_header(r->proto);
	uint64_t share = r->octets / h->n + (h->i < r->octets % h->n ? 1 : 0);

	if (r->hdr != NULL) {
		emit_sampled(f, h);
		return;
	}
	memset(&p, 0, sizeof(p));
	p.ts = h->t0 + h->step * (double)h->i;
	p.err = PKT_OK;
	p.ipver = r->ipver;
	p.src = r->src;
	p.dst = r->dst;
	p.proto = r->proto;
	p.has_ports = r->has_ports;
	p.sport = r->sport;
	p.dport = r->dport;
	/*
	 * Port 0 both ways is no UDP or TCP service: exporters (softflowd,
	 * most routers) put the non-first fragments of a datagram there,
	 * which have no transport header. They are fragments, as a
	 * capture's are, not probes of a port 0.
	 */
	if ((r->proto == IPPROTO_UDP || r->proto == IPPROTO_TCP) && r->has_ports &&
	    r->sport == 0 && r->dport == 0) {
		p.has_ports = false;
		p.fragment = p.later_fragment = true;
		hdr -= l4_header(r->proto);
	}
	p.icmp_type = r->icmp_type;
	p.icmp_code = r->icmp_code;
	if (share < hdr)
		share = hdr;
	p.ip_len = p.wirelen = share > UINT32_MAX ? UINT32_MAX : (uint32_t)share;
	p.payload_len = p.ip_len - hdr;
	if (r->proto == IPPROTO_TCP) {
		/*
		 * The OR of the flow's flags: a SYN without ACK is a side that
		 * only tried (a scan's probe, every packet a SYN); with ACK, the
		 * SYN was the first packet, and the side whose flow started
		 * second answered it with a SYN-ACK.
		 */
		uint8_t fl = r->tcp_flags;

		if ((fl & TCP_SYN) && (fl & TCP_ACK))
			p.tcp_flags = h->i == 0 ? (h->responder ? TCP_SYN | TCP_ACK : TCP_SYN) :
			    (uint8_t)(fl & ~TCP_SYN);
		else if ((fl & TCP_SYN) && (fl & (TCP_RST | TCP_FIN)) && h->n > 1)
			/*
			 * A SYN, then a close with no ACK: a half-open scan's
			 * RST after our SYN-ACK (nmap -sS); SYNs between.
			 */
			p.tcp_flags = h->i + 1 == h->n ? (uint8_t)(fl & ~TCP_SYN) : TCP_SYN;
		else
			p.tcp_flags = fl;
	}
	emit(f, h, &p);
}

static double
top_ts(const struct flow_feed *f)
{
	const struct held *h = &f->h[f->heap[0]];

	return h->t0 + h->step * (double)h->i;
}

/*
 * Held record k into the heap, its packets spread over span: what came
 * before its start is analysed first. A sampled packet's copies end at
 * the sampled one: with more than FLOW_MAX_EXPAND, the last of them.
 */
static void
expand(struct flow_feed *f, unsigned k, double span)
{
	struct held *h = &f->h[k];
	const struct flow_rec *r = &h->r;

	if (r->start < f->last_ts)
		f->st->reordered_late++;
	h->n = r->pkts;
	h->t0 = r->start;
	if (h->n > FLOW_MAX_EXPAND) {
		/* As many as a summary line gives, at the flow's rate. */
		f->st->packets_capped += h->n - FLOW_MAX_EXPAND;
		span = span * FLOW_MAX_EXPAND / (double)h->n;
		h->n = FLOW_MAX_EXPAND;
		if (r->hdr != NULL)
			h->t0 = r->end - span;
	}
	h->i = 0;
	h->step = h->n > 1 ? span / (double)(h->n - 1) : 0;
	/* Strictly before: at the same instant, the heap interleaves them. */
	while (f->nheap > 0 && top_ts(f) < h->t0)
		emit_top(f);
	heap_push(f, k);
}

void
flow_feed_flush(struct flow_feed *f)
{
	if (f->n == 0)
		return;
	seen_grow(f);
	qsort(f->h, f->n, sizeof(*f->h), by_start);
	for (unsigned k = 0; k < f->n; k++) {
		struct held *h = &f->h[k];
		const struct flow_rec *r = &h->r;
		int dir;
		struct seen *s;
		double span = r->end - r->start;

		if (r->hdr != NULL) {
			/*
			 * A sampled packet: no flags to infer, and another of
			 * the same 5-tuple within a second is the next packet
			 * of the flow, not a duplicate.
			 */
			expand(f, k, span);
			continue;
		}
		s = seen_get(f, r, &dir);
		if (s->has[dir] && r->start - s->start[dir] <= FLOW_DUP_WINDOW &&
		    s->start[dir] - r->start <= FLOW_DUP_WINDOW) {
			/* The same flow from another observation point, or again. */
			f->st->duplicates++;
			continue;
		}
		h->responder = s->has[!dir] && s->start[!dir] <= r->start &&
		    r->start <= s->end[!dir] + PAIR_HORIZON;
		s->has[dir] = true;
		s->start[dir] = r->start;
		s->end[dir] = r->end;
		expand(f, k, span);
	}
	while (f->nheap > 0)
		emit_top(f);
	for (unsigned k = 0; k < f->n; k++)
		free((uint8_t *)f->h[k].r.hdr);
	f->n = 0;
}
