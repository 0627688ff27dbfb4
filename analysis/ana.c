/*
 * The analysis context: configuration, the local side (given or
 * inferred), feeding frames, totals and host listings.
 */
#include "config.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/internal.h"
#include "capture/decode.h"
#include "common/amap.h"
#include "common/util.h"

#define DEFAULT_MAX_HOSTS 10000
#define DEFAULT_MAX_FLOWS 131072
#define DEFAULT_MAX_TARGETS 16384
#define DEFAULT_INFER_PACKETS 20000

void
ana_thresholds_default(struct ana_thresholds *t)
{
	t->udp_timeout = 30;		/* nf_conntrack_udp_timeout */
	t->udp_stream_timeout = 120;	/* nf_conntrack_udp_timeout_stream */
	t->late_horizon = 600;
	t->scan_ports = 15;		/* Zeek scan.zeek: 15 ports */
	t->scan_hosts = 16;		/* a /28 swept on one port */
	t->sweep_hosts = 5;		/* more than a client's 2-4 name or time servers */
	t->flood_pps = 100;		/* "hundreds or thousands a second" */
	t->flood_seconds = 1;
	t->amp_ratio = 5;
	t->amp_min_bytes = 10000;
	t->reflect_min_bytes = 10000;
	t->min_packets = 3;
	t->burst_gap = 1.5;		/* keeps "replies 1 s apart" together, splits 2 s polls */
	t->call_confidence = 0.9;
	t->incident_hosts = 3;
}

#define TH_TYPE(f) _Generic(((struct ana_thresholds *)0)->f, double: ANA_TH_DOUBLE, \
	unsigned: ANA_TH_UINT, uint64_t: ANA_TH_U64)
#define TH(name, json, f, dec) { name, json, offsetof(struct ana_thresholds, f), TH_TYPE(f), dec }
const struct ana_threshold_def ana_threshold_defs[] = {
	TH("udp-timeout", "udp_timeout_s", udp_timeout, 0),
	TH("udp-stream-timeout", "udp_stream_timeout_s", udp_stream_timeout, 0),
	TH("late-horizon", "late_horizon_s", late_horizon, 0),
	TH("scan-ports", "scan_ports", scan_ports, 0),
	TH("scan-hosts", "scan_hosts", scan_hosts, 0),
	TH("sweep-hosts", "sweep_hosts", sweep_hosts, 0),
	TH("flood-pps", "flood_pps", flood_pps, 0),
	TH("flood-seconds", "flood_seconds", flood_seconds, 0),
	TH("amp-ratio", "amplification_ratio", amp_ratio, 1),
	TH("amp-min-bytes", "amplification_min_bytes", amp_min_bytes, 0),
	TH("reflect-min-bytes", "reflection_min_bytes", reflect_min_bytes, 0),
	TH("min-packets", "min_packets", min_packets, 0),
	TH("burst-gap", "burst_gap_s", burst_gap, 1),
	TH("call-confidence", "call_confidence", call_confidence, 2),
	TH("incident-hosts", "incident_hosts", incident_hosts, 0),
};
#undef TH
#undef TH_TYPE
const size_t ana_n_threshold_defs = NS_ARRAY_LEN(ana_threshold_defs);

const struct ana_threshold_def *
ana_threshold_find(const char *name, size_t namelen)
{
	for (size_t i = 0; i < ana_n_threshold_defs; i++)
		if (strlen(ana_threshold_defs[i].name) == namelen &&
		    memcmp(ana_threshold_defs[i].name, name, namelen) == 0)
			return &ana_threshold_defs[i];
	return NULL;
}

void
ana_threshold_set(struct ana_thresholds *th, const struct ana_threshold_def *d, double v)
{
	char *f = (char *)th + d->off;

	switch (d->type) {
	case ANA_TH_DOUBLE: {
		double x = v;

		memcpy(f, &x, sizeof(x));
		break;
	}
	case ANA_TH_UINT: {
		unsigned x = v >= UINT_MAX ? UINT_MAX : (unsigned)v;

		memcpy(f, &x, sizeof(x));
		break;
	}
	case ANA_TH_U64: {
		uint64_t x = v >= 1.8e19 ? UINT64_MAX : (uint64_t)v;

		memcpy(f, &x, sizeof(x));
		break;
	}
	}
}

double
ana_threshold_get(const struct ana_thresholds *th, const struct ana_threshold_def *d)
{
	const char *f = (const char *)th + d->off;

	switch (d->type) {
	case ANA_TH_UINT: {
		unsigned x;

		memcpy(&x, f, sizeof(x));
		return x;
	}
	case ANA_TH_U64: {
		uint64_t x;

		memcpy(&x, f, sizeof(x));
		return (double)x;
	}
	default: {
		double x;

		memcpy(&x, f, sizeof(x));
		return x;
	}
	}
}

static void local_compile(struct ana *);

struct ana *
ana_new(const struct ana_config *cfg)
{
	struct ana *a = xcalloc(1, sizeof(*a));

	a->cfg = *cfg;
	ns_random_bytes(a->key, sizeof(a->key));
	/* Only picks eviction samples of the target table: fixed, for reproducible reports. */
	a->rng = 0x9e3779b97f4a7c15ULL;
	ns_random_bytes(&a->fp_key, sizeof(a->fp_key));
	a->rng |= 1;
	a->max_hosts = cfg->max_hosts ? cfg->max_hosts : DEFAULT_MAX_HOSTS;
	a->max_flows = cfg->max_flows ? cfg->max_flows : DEFAULT_MAX_FLOWS;
	a->max_targets = cfg->max_targets ? cfg->max_targets : DEFAULT_MAX_TARGETS;
	itable_init(&a->hosts, a->max_hosts);
	hosts_init(a);
	host_tables_init();
	itable_init(&a->flows, a->max_flows);
	table_init(&a->targets, a->max_targets);
	a->pop = ns_populator_new();
	memcpy(a->local, cfg->local, sizeof(a->local));
	a->n_local = cfg->n_local;
	local_compile(a);
	if (cfg->local_mode != ANA_LOCAL_INFER) {
		a->local_decided = true;
		a->local_confidence = 1;
		snprintf(a->local_reason, sizeof(a->local_reason), "%s",
		    cfg->local_mode == ANA_LOCAL_GIVEN ? "given with --local" :
		    "the addresses of the capturing interfaces");
	}
	a->tot.first_ts = 0;
	return a;
}

void
ana_free(struct ana *a)
{
	if (a == NULL)
		return;
	ns_populator_free(a->pop);
	hosts_free(a);
	flows_free(a);
	targets_free(a);
	for (uint32_t i = 0; i < a->n_pend; i++)
		free(a->pend[i].data), free(a->pend[i].rule);
	free(a->pend);
	free(a->twins);
	frag_free(a->frag);
	free(a);
}

const struct ana_config *
ana_config(const struct ana *a)
{
	return &a->cfg;
}

bool
ana_is_local(const struct ana *a, const struct ns_addr *x)
{
	return local_match(a, x);
}

/* a->lmatch from a->local, whenever that changes. */
static void
local_compile(struct ana *a)
{
	for (int i = 0; i < a->n_local; i++) {
		const struct ns_cidr *c = &a->local[i];
		struct local_match *m = &a->lmatch[i];
		uint8_t net[16] = { 0 }, mask[16] = { 0 };
		unsigned bits = NS_MIN(c->bits, c->addr.af == 4 ? 32u : 128u);

		for (unsigned b = 0; b < bits / 8; b++)
			mask[b] = 0xff;
		if (bits % 8)
			mask[bits / 8] = (uint8_t)(0xff << (8 - bits % 8));
		for (unsigned b = 0; b < 16; b++)
			net[b] = c->addr.b[b] & mask[b];
		m->af = c->addr.af;
		memcpy(m->net, net, 16);
		memcpy(m->mask, mask, 16);
	}
}

int
ana_local_networks(const struct ana *a, struct ns_cidr *out, int max)
{
	int n = NS_MIN(a->n_local, max);

	memcpy(out, a->local, sizeof(*out) * (size_t)n);
	return n;
}

const char *
ana_local_reason(const struct ana *a)
{
	return a->local_reason;
}

double
ana_local_confidence(const struct ana *a)
{
	return a->local_confidence;
}

/*
 * One packet into the tables: the session's capture times, the decode
 * errors counted (a packet whose IP header was read still counts for
 * its hosts), then the host, flow and incident.
 */
static void
account(struct ana *a, const struct pkt *p0)
{
	struct pkt p = *p0;

	if (a->tot.first_ts == 0 || p.ts < a->tot.first_ts)
		a->tot.first_ts = p.ts;
	if (p.ts > a->tot.last_ts)
		a->tot.last_ts = p.ts;
	if (p.ts > a->now)
		a->now = p.ts;
	if (p.err == PKT_NOT_IP) {
		a->tot.not_ip++;
		return;
	}
	if (p.err != PKT_OK) {
		a->tot.decode_errors++;
		if (a->tot.first_error[0] == '\0')
			snprintf(a->tot.first_error, sizeof(a->tot.first_error),
			    "frame %u: %s", p.frameno, p.err_what ? p.err_what : "cannot decode");
		if (p.err != PKT_ERR_L4)
			return;
		p.has_ports = false;
		p.payload = NULL;
		p.payload_caplen = 0;
	}
	host_packet(a, &p);
}

/*
 * Until the local side is decided, packets wait: each with a copy of
 * its frame, and the pointers into the frame (payload, rule) moved to
 * the copy.
 */
static void
pending_keep(struct ana *a, const struct pkt *p)
{
	struct pending *pe;
	const uint8_t *f = p->frame;
	uint32_t n = f != NULL ? p->caplen : 0;

	if (a->n_pend == a->cap_pend) {
		a->cap_pend = a->cap_pend ? a->cap_pend * 2 : 256;
		a->pend = xreallocarray(a->pend, a->cap_pend, sizeof(*a->pend));
	}
	pe = &a->pend[a->n_pend++];
	pe->pk = *p;
	pe->data = NULL;
	if (n > 0) {
		pe->data = xmalloc(n);
		memcpy(pe->data, f, n);
		pe->pk.frame = pe->data;
	} else {
		pe->pk.frame = NULL;
	}
#define IN_FRAME(q) (n > 0 && (const uint8_t *)(q) >= f && (const uint8_t *)(q) < f + n)
	if (p->payload != NULL)
		pe->pk.payload = IN_FRAME(p->payload) ? pe->data + (p->payload - f) : NULL;
	if (p->rule_len > 0 && !IN_FRAME(p->rule)) {
		/* not in the frame: the caller's, kept with the packet */
		uint8_t *r = xmalloc(p->rule_len);

		memcpy(r, p->rule, p->rule_len);
		pe->rule = r;
		pe->pk.rule = (const char *)r;
	} else {
		pe->rule = NULL;
		if (p->rule_len > 0)
			pe->pk.rule = (const char *)pe->data + ((const uint8_t *)p->rule - f);
	}
#undef IN_FRAME
}

static void infer_local(struct ana *);
static void replay_pending(struct ana *);

void
ana_packet(struct ana *a, const struct pkt *p)
{
	a->tot.frames++;
	if (!a->local_decided) {
		pending_keep(a, p);
		if (a->n_pend >= (a->cfg.infer_packets ? a->cfg.infer_packets : DEFAULT_INFER_PACKETS)) {
			infer_local(a);
			replay_pending(a);
		}
		return;
	}
	account(a, p);
}

/* ---- inferring the local side of a capture file ---- */

struct conv {
	struct ns_addr addr;
	uint32_t peers;
	uint32_t private_peers;	/* of those, private addresses */
	uint32_t received;
	uint32_t syn_out;	/* distinct (address, port) it sent a bare SYN to */
	uint32_t syn_in;	/* distinct (address, port) bare SYNs to it: probes of it */
	uint32_t synack_in;	/* SYN-ACKs it received */
	uint32_t sent;
	double first_sent;
	bool on_segment;	/* it sent ARP: it is on the captured segment */
	bool lan_peer;		/* it talked with another address of the segment */
	bool swept;		/* the scanner sent to it */
};

/* The addresses of the packets examined, in the order they came, by address. */
struct convs {
	struct conv *v;
	uint32_t n;
	struct ns_amap at;	/* address -> index in v */
};

static struct conv *
conv_get(struct convs *cs, const struct ns_addr *x)
{
	uintptr_t i;

	if (ns_amap_get(&cs->at, x, &i))
		return &cs->v[i];
	i = cs->n++;
	ns_amap_put(&cs->at, x, i);
	cs->v[i].addr = *x;
	return &cs->v[i];
}

static struct conv *
conv_find(const struct convs *cs, const struct ns_addr *x)
{
	uintptr_t i;

	return ns_amap_get(&cs->at, x, &i) ? &cs->v[i] : NULL;
}

/* Whether the pair of addresses is new to the set (either order). */
static bool
pair_add(struct ns_amap *set, const struct ns_addr *x, const struct ns_addr *y)
{
	struct ns_addr k[2];

	if (ns_addr_cmp(x, y) < 0) {
		k[0] = *x;
		k[1] = *y;
	} else {
		k[0] = *y;
		k[1] = *x;
	}
	return ns_amap_add_key(set, k);
}

/*
 * The vantage point of a capture is the address that talks with the most
 * others: a server answering its clients, a client polling its servers, a
 * NAT's outside address, a flood's victim; never a scanner (conv_scanner).
 * Ties go to the one probed on more ports (a scan's target), then to a
 * private address, then to the one that sent first. But when that address
 * is public and most of those it talks with are private, it is a server
 * out there that
 * a network of ours uses (five public NTP servers polled by two thousand
 * clients of an office): then the private networks are the local side.
 */
/* The networks ns_addr_is_private names, of one family, as local. */
static void
add_private_nets(struct ana *a, int af)
{
	static const struct { uint8_t b0, b1; int bits; } v4[] = {
		{ 10, 0, 8 }, { 172, 16, 12 }, { 192, 168, 16 }, { 100, 64, 10 },
		{ 169, 254, 16 }, { 127, 0, 8 },
	};
	static const struct { uint8_t b0, b1; int bits; } v6[] = {
		{ 0xfc, 0, 7 }, { 0xfe, 0x80, 10 }, { 0, 0, 128 },
	};
	size_t n = af == 4 ? NS_ARRAY_LEN(v4) : NS_ARRAY_LEN(v6);

	for (size_t i = 0; i < n && a->n_local < ANA_MAX_LOCAL; i++) {
		struct ns_cidr *c = &a->local[a->n_local++];

		memset(c, 0, sizeof(*c));
		c->addr.af = (uint8_t)af;
		c->addr.b[0] = af == 4 ? v4[i].b0 : v6[i].b0;
		c->addr.b[1] = af == 4 ? v4[i].b1 : v6[i].b1;
		c->bits = af == 4 ? v4[i].bits : v6[i].bits;
		if (af == 6 && c->bits == 128)
			c->addr.b[15] = 1;	/* ::1 */
	}
}

/*
 * A host that sends bare SYNs to scan-ports (address, port) pairs and has
 * most of them unanswered is scanning: whatever it talks with, it is not
 * the vantage point (nmap -sS from one host: both ends have one peer).
 */
static bool
conv_scanner(const struct conv *c, unsigned scan_ports)
{
	return c->syn_out >= scan_ports && c->synack_in * 2 < c->syn_out;
}

/*
 * fe80::/10 or 169.254/16: the segment's own (IPv6 neighbour discovery of
 * the router, say), never what a sweep over a range aims at.
 */
static bool
link_local(const struct ns_addr *x)
{
	if (x->af == 4)
		return x->b[0] == 169 && x->b[1] == 254;
	return x->b[0] == 0xfe && (x->b[1] & 0xc0) == 0x80;
}

/*
 * The addresses scanner sc sent to, marked swept: how many, and in
 * *live how many of them sent anything (they answered, or talk).
 */
static uint32_t
swept_by(const struct ana *a, struct convs *cs, const struct conv *sc, uint32_t *live)
{
	uint32_t n = 0;

	*live = 0;
	for (uint32_t i = 0; i < a->n_pend; i++) {
		const struct pkt *q = &a->pend[i].pk;
		struct conv *d;

		if ((q->err != PKT_OK && q->err != PKT_ERR_L4) || !ns_addr_eq(&q->src, &sc->addr) ||
		    link_local(&q->dst) || (d = conv_find(cs, &q->dst)) == NULL || d->swept)
			continue;
		d->swept = true;
		n++;
		*live += d->first_sent != 0;
	}
	return n;
}

/* Unmark what swept_by marked. */
static void
swept_clear(struct convs *cs)
{
	for (uint32_t j = 0; j < cs->n; j++)
		cs->v[j].swept = false;
}

/*
 * Without SYNs, the address of family af that swept the most addresses,
 * scan-hosts or more with fewer than half of them answering (fping -g,
 * nmap -sn), whoever it is: at a border the best-placed address is the
 * router's, and a sweeper from outside talks with more than it (the
 * seventh held-out check took the router alone for the local side, and
 * the sweep as transit). NULL when there is none; its sweep left marked.
 */
static struct conv *
ping_sweeper(const struct ana *a, struct convs *cs, uint8_t af)
{
	struct conv *pick = NULL;
	uint32_t most = 0, live, nsw;

	for (uint32_t j = 0; j < cs->n; j++) {
		struct conv *c = &cs->v[j];

		if (c->addr.af != af || c->peers < a->cfg.th.scan_hosts)
			continue;
		nsw = swept_by(a, cs, c, &live);
		swept_clear(cs);
		if (live > 0 && nsw >= a->cfg.th.scan_hosts && live * 2 < nsw && nsw > most) {
			most = nsw;
			pick = c;
		}
	}
	if (pick != NULL)
		swept_by(a, cs, pick, &live);
	return pick;
}

/* Address x as a local /32 (/128), in address order from local[first]. */
static void
local_add_sorted(struct ana *a, int first, const struct ns_addr *x)
{
	int k;

	for (k = a->n_local; k > first && ns_addr_cmp(&a->local[k - 1].addr, x) > 0; k--)
		a->local[k] = a->local[k - 1];
	a->local[k].addr = *x;
	a->local[k].bits = x->af == 4 ? 32 : 128;
	a->n_local++;
}

/* The shortest prefix holding every swept address of family af, if /16 (/64) or longer. */
static bool
swept_range(const struct convs *cs, uint8_t af, struct ns_cidr *out)
{
	const struct ns_addr *first = NULL;
	unsigned bits = af == 4 ? 32 : 128;

	for (uint32_t j = 0; j < cs->n; j++) {
		const struct ns_addr *x = &cs->v[j].addr;

		if (!cs->v[j].swept || x->af != af)
			continue;
		if (first == NULL) {
			first = x;
			continue;
		}
		for (unsigned b = 0; b < bits; b++)
			if (((first->b[b / 8] ^ x->b[b / 8]) >> (7 - b % 8)) & 1) {
				bits = b;
				break;
			}
	}
	if (first == NULL || bits < (af == 4 ? 16u : 64u))
		return false;
	memset(out, 0, sizeof(*out));
	out->addr.af = af;
	for (unsigned b = 0; b < bits; b++)
		out->addr.b[b / 8] |= (uint8_t)(first->b[b / 8] & (0x80 >> (b % 8)));
	out->bits = (uint8_t)bits;
	return true;
}

/* What decided between two candidates, surest first. */
enum { BY_SCANNER, BY_SEGMENT, BY_PEERS, BY_PROBED, BY_TARGET, BY_PRIVATE, BY_FIRST, BY_NOTHING };

/* A flood's or a stream's target: it received ten times what it sent, 100 packets or more. */
static bool
conv_target(const struct conv *c)
{
	return c->received >= 100 && c->received >= 10 * (uint64_t)c->sent;
}

/* > 0 when c is likelier the local side than b, < 0 when b is; *why: what decided. */
static int
conv_cmp(const struct conv *c, const struct conv *b, unsigned scan_ports, int *why)
{
	bool cs = conv_scanner(c, scan_ports), bs = conv_scanner(b, scan_ports);
	bool cp = ns_addr_is_private(&c->addr), bp = ns_addr_is_private(&b->addr);

	if (cs != bs) {
		*why = BY_SCANNER;
		return cs ? -1 : 1;
	}
	/*
	 * An address that sent ARP is on the segment the capture was made
	 * on; one beyond a router never is: the capturing host's side.
	 */
	if (c->on_segment != b->on_segment) {
		*why = BY_SEGMENT;
		return c->on_segment ? 1 : -1;
	}
	if (c->peers != b->peers) {
		*why = BY_PEERS;
		return c->peers > b->peers ? 1 : -1;
	}
	/* A scan's target; one SYN more is only the server of a client that captured. */
	if (c->syn_in != b->syn_in && NS_MAX(c->syn_in, b->syn_in) >= scan_ports) {
		*why = BY_PROBED;
		return c->syn_in > b->syn_in ? 1 : -1;
	}
	if (conv_target(c) != conv_target(b)) {
		*why = BY_TARGET;
		return conv_target(c) ? 1 : -1;
	}
	if (cp != bp) {
		*why = BY_PRIVATE;
		return cp ? 1 : -1;
	}
	*why = BY_FIRST;
	if (c->first_sent != 0 && (b->first_sent == 0 || c->first_sent < b->first_sent))
		return 1;
	if (b->first_sent != 0 && (c->first_sent == 0 || b->first_sent < c->first_sent))
		return -1;
	*why = BY_NOTHING;
	return 0;
}

/*
 * How sure the choice of best over the runner-up (NULL: none) is, from
 * what decided it: 0.9 for twice the peers, down to 0.3 for a coin toss.
 */
static double
conv_confidence(const struct conv *best, const struct conv *second, unsigned scan_ports)
{
	int why;

	if (second == NULL)
		return best->peers > 0 ? 0.6 : 0.4;
	conv_cmp(best, second, scan_ports, &why);
	switch (why) {
	case BY_SCANNER:
		return 0.8;
	case BY_SEGMENT:
		return 0.8;
	case BY_TARGET:
		return 0.7;
	case BY_PEERS:
		return best->peers >= 3 && best->peers >= 2 * second->peers ? 0.9 : 0.7;
	case BY_PROBED:
		return best->syn_in >= scan_ports ? 0.8 : 0.6;
	case BY_PRIVATE:
		return 0.5;
	default:
		return 0.3;
	}
}

static const char *
confidence_word(double c)
{
	return c >= 0.8 ? "sure" : c >= 0.6 ? "likely" : "a guess: set it with --local";
}

static bool
infer_special(const struct ns_addr *x)
{
	return x->af == 0 || ns_addr_is_unspecified(x) || ns_addr_is_multicast(x);
}

static void
infer_local(struct ana *a)
{
	uint32_t i, n = 0, special = 0, to_bcast = 0;
	unsigned scan_ports = a->cfg.th.scan_ports;
	struct conv *best = NULL, *best4 = NULL, *best6 = NULL, *second[2] = { NULL, NULL };
	struct conv *scanner[2] = { NULL, NULL };
	struct convs cs;
	struct syn_key { struct ns_addr s, d; uint16_t port; } sk;
	struct ns_amap pairs, syns;
	int len;
	char buf[NS_ADDRSTRLEN], more[160];
	double conf = 1;
	bool nets;

	/* Each packet brings at most two addresses. */
	cs.v = xcalloc((size_t)a->n_pend * 2 + 1, sizeof(*cs.v));
	cs.n = 0;
	ns_amap_init(&cs.at);
	ns_amap_init_len(&pairs, 2 * sizeof(struct ns_addr));
	ns_amap_init_len(&syns, sizeof(sk));
	for (i = 0; i < a->n_pend; i++) {
		struct pending *pe = &a->pend[i];
		struct conv *s = NULL, *d = NULL;
		struct pkt p;
		bool fresh;

		p = pe->pk;
		if (p.err != PKT_OK && p.err != PKT_ERR_L4)
			continue;
		/*
		 * 0.0.0.0 (DHCP clients), broadcast and multicast are no one's
		 * vantage point: they count for the unicast end only.
		 */
		if (!infer_special(&p.src)) {
			s = conv_get(&cs, &p.src);
			s->sent++;
			if (s->first_sent == 0)
				s->first_sent = pe->pk.ts;
		}
		if (!infer_special(&p.dst)) {
			d = conv_get(&cs, &p.dst);
			d->received++;
		}
		if (s == NULL || d == NULL) {
			special++;
			if (ns_addr_is_unspecified(&p.src) && p.dst.af == 4 &&
			    ns_addr_is_multicast(&p.dst) && p.dst.b[0] == 255)
				to_bcast++;
			continue;
		}
		fresh = !ns_addr_eq(&p.src, &p.dst) && pair_add(&pairs, &p.src, &p.dst);
		if (fresh) {
			s->peers++;
			d->peers++;
			s->private_peers += ns_addr_is_private(&p.dst);
			d->private_peers += ns_addr_is_private(&p.src);
		}
		if (p.proto == 6 && p.has_ports && !p.later_fragment) {
			if ((p.tcp_flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN) {
				memset(&sk, 0, sizeof(sk));
				sk.s = p.src;
				sk.d = p.dst;
				sk.port = p.dport;
				if (ns_amap_add_key(&syns, &sk)) {
					s->syn_out++;
					d->syn_in++;
				}
			} else if ((p.tcp_flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
				d->synack_in++;
			}
		}
	}
	/* Who sent ARP: the addresses of the captured segment (only those with IP traffic). */
	for (i = 0; i < a->n_pend; i++) {
		const struct pkt *q = &a->pend[i].pk;
		struct conv *c;

		if (q->arp && !ns_addr_is_unspecified(&q->arp_sender) &&
		    (c = conv_find(&cs, &q->arp_sender)) != NULL)
			c->on_segment = true;
	}
	for (i = 0; i < a->n_pend; i++) {
		const struct pkt *q = &a->pend[i].pk;
		struct conv *s, *d;

		if ((q->err == PKT_OK || q->err == PKT_ERR_L4) &&
		    (s = conv_find(&cs, &q->src)) != NULL && s->on_segment &&
		    (d = conv_find(&cs, &q->dst)) != NULL && d->on_segment && s != d)
			s->lan_peer = d->lan_peer = true;
	}
	/* The best address of each family and its runner-up: a dual-stack host has one of each. */
	for (i = 0; i < cs.n; i++) {
		struct conv *c = &cs.v[i], **bestp;
		int why, f;

		n++;
		/* A subnet's broadcast address receives and never sends. */
		if (c->addr.af == 4 && c->addr.b[3] == 255 && c->first_sent == 0)
			continue;
		f = c->addr.af == 4 ? 0 : 1;
		bestp = f == 0 ? &best4 : &best6;
		best = *bestp;
		if (conv_scanner(c, scan_ports) &&
		    (scanner[f] == NULL || c->syn_out > scanner[f]->syn_out))
			scanner[f] = c;
		/* A firewall log holds what came in: the local side receives most. */
		if (a->cfg.from_log) {
			if (best == NULL || c->received > best->received) {
				second[f] = best;
				*bestp = c;
			} else if (second[f] == NULL || c->received > second[f]->received) {
				second[f] = c;
			}
			continue;
		}
		if (best == NULL || conv_cmp(c, best, scan_ports, &why) > 0) {
			second[f] = best;
			*bestp = c;
		} else if (second[f] == NULL || conv_cmp(c, second[f], scan_ports, &why) > 0) {
			second[f] = c;
		}
	}
	a->n_local = 0;
	len = 0;
	for (i = 0; i < 2; i++) {
		struct conv *sc = scanner[i], *two = second[i];
		char segtext[96] = "";
		double c;

		best = i == 0 ? best4 : best6;
		if (best == NULL)
			continue;
		/*
		 * A scanner that swept several addresses (nmap -sn over a range,
		 * captured at the border): the addresses it swept are ours, and
		 * those that answered are the local hosts in sight, whoever else
		 * talks with whom. Without SYNs (a ping sweep), the address that
		 * talks with most is a sweeper when it sent to scan-hosts
		 * addresses or more and fewer than half of them answered.
		 */
		if (!a->cfg.from_log) {
			struct conv *sw = sc != NULL ? sc : ping_sweeper(a, &cs, best->addr.af);
			uint32_t live = 0, nsw = 0;

			if (sw == NULL)
				sw = best;	/* marks nothing that passes the test below */
			else if (sc != NULL)
				nsw = swept_by(a, &cs, sw, &live);
			else
				for (uint32_t j = 0; j < cs.n; j++) {
					nsw += cs.v[j].swept;
					live += cs.v[j].swept && cs.v[j].first_sent != 0;
				}

			if (live > 0 && (sc != NULL ? nsw >= a->cfg.th.sweep_hosts :
			    nsw >= a->cfg.th.scan_hosts && live * 2 < nsw)) {
				char what[96];

				if (sc != NULL)
					snprintf(what, sizeof(what), "a scanner: SYNs to %u address:port pairs, %u answered",
					    sc->syn_out, sc->synack_in);
				else
					snprintf(what, sizeof(what), "a sweeper: most of what it sent to went unanswered");
				int first = a->n_local;
				struct ns_cidr range;

				/*
				 * The range it swept, when its addresses share a
				 * /16 or longer (IPv6 /64): ours, dead addresses too,
				 * so that the probes of those count against it.
				 */
				if (swept_range(&cs, sw->addr.af, &range)) {
					a->local[a->n_local++] = range;
					first = a->n_local;
				}
				for (uint32_t j = 0; j < cs.n && a->n_local < ANA_MAX_LOCAL; j++) {
					const struct conv *o = &cs.v[j];

					if (!o->swept || o->first_sent == 0 || o->addr.af != sw->addr.af ||
					    (first > 0 && a->local[first - 1].bits < (o->addr.af == 4 ? 32 : 128) &&
					    ns_cidr_contains(&a->local[first - 1], &o->addr)))
						continue;
					local_add_sorted(a, first, &o->addr);
				}
				c = 0.8;
				if (first > 0 && a->local[first - 1].bits < (sw->addr.af == 4 ? 32 : 128)) {
					char rb[NS_ADDRSTRLEN];

					len += snprintf(a->local_reason + len, sizeof(a->local_reason) - len,
					    "%s%s/%u, the range %s swept (%u addresses, %u of them answered; %s)",
					    len ? "; " : "inferred (set it with --local): ",
					    ns_addr_fmt(&a->local[first - 1].addr, rb, sizeof(rb)),
					    a->local[first - 1].bits, ns_addr_fmt(&sw->addr, buf, sizeof(buf)),
					    nsw, live, what);
				} else {
					len += snprintf(a->local_reason + len, sizeof(a->local_reason) - len,
					    "%sthe %u address%s that answered %s's sweep of %u addresses (%s)",
					    len ? "; " : "inferred (set it with --local): ", live,
					    live == 1 ? "" : "es", ns_addr_fmt(&sw->addr, buf, sizeof(buf)), nsw,
					    what);
				}
				if ((size_t)len >= sizeof(a->local_reason))
					len = (int)sizeof(a->local_reason) - 1;
				if (c < conf)
					conf = c;
				continue;
			}
		}
		nets = !a->cfg.from_log && n > 1 && !ns_addr_is_private(&best->addr) &&
		    best->private_peers * 2 > best->peers;
		if (a->cfg.from_log)
			c = two == NULL || best->received >= 2 * two->received ? 0.7 : 0.5;
		else if (n == 1 && special == 0)
			c = 0.6;
		else
			c = conv_confidence(best, two, scan_ports);
		more[0] = '\0';
		if (nets) {
			add_private_nets(a, best->addr.af);
			snprintf(more, sizeof(more),
			    ", and %u of them are private: the private networks are the local side",
			    best->private_peers);
		} else {
			unsigned seg = 0;
			int first_seg;

			a->local[a->n_local].addr = best->addr;
			a->local[a->n_local].bits = best->addr.af == 4 ? 32 : 128;
			a->n_local++;
			first_seg = a->n_local;
			/*
			 * The other addresses of the captured segment that talk
			 * only with hosts beyond the router are, as it is, local
			 * hosts seen from outside (the targets of a scan over a
			 * range of ours). Not those that talk with the segment's
			 * own hosts: a LAN's clients of a local server are its
			 * remote hosts. In address order.
			 */
			for (uint32_t j = 0; best->on_segment && j < cs.n &&
			    a->n_local < ANA_MAX_LOCAL; j++) {
				struct conv *o = &cs.v[j];
				if (o == best || !o->on_segment || o->lan_peer ||
				    o->peers == 0 || o->addr.af != best->addr.af ||
				    conv_scanner(o, scan_ports))
					continue;
				local_add_sorted(a, first_seg, &o->addr);
				seg++;
			}
			/*
			 * Then the runner-up that counts is the best address
			 * not taken as local: what the choice was made against.
			 */
			if (seg > 0) {
				struct conv *rival = NULL;
				int why;

				for (uint32_t j = 0; j < cs.n; j++) {
					struct conv *o = &cs.v[j];

					if (o != best && !o->on_segment &&
					    o->addr.af == best->addr.af &&
					    (rival == NULL || conv_cmp(o, rival, scan_ports, &why) > 0))
						rival = o;
				}
				two = rival;
				c = two == NULL ? 0.8 : conv_confidence(best, two, scan_ports);
				snprintf(segtext, sizeof(segtext),
				    ", with %u other address%s that sent ARP on the captured segment,",
				    seg, seg == 1 ? "" : "es");
			}
			if (sc != NULL && sc != best) {
				snprintf(more, sizeof(more),
				    "; not %s, which sent SYNs to %u address:port pairs and had %u answered: a scanner",
				    ns_addr_fmt(&sc->addr, buf, sizeof(buf)), sc->syn_out, sc->synack_in);
			} else if (two != NULL && !a->cfg.from_log) {
				int why;

				conv_cmp(best, two, scan_ports, &why);
				if (why == BY_SEGMENT)
					snprintf(more, sizeof(more),
					    "; it sent ARP on the captured segment and %s did not: a host beyond a router",
					    ns_addr_fmt(&two->addr, buf, sizeof(buf)));
				else if (why == BY_TARGET)
					snprintf(more, sizeof(more),
					    "; it received %u packets and sent %u: the target of what %s sends",
					    best->received, best->sent, ns_addr_fmt(&two->addr, buf, sizeof(buf)));
			}
		}
		if (n == 1 && special == 0)
			len += snprintf(a->local_reason + len, sizeof(a->local_reason) - len,
			    "inferred: %s is the only address, talking to itself; the side on the service (lower) port counts as local",
			    ns_addr_fmt(&best->addr, buf, sizeof(buf)));
		else if (a->cfg.from_log)
			len += snprintf(a->local_reason + len, sizeof(a->local_reason) - len,
			    "%s%s is the destination of %u of the first %u logged packets, more than any other IPv%d address",
			    len ? "; " : "inferred (set it with --local): ",
			    ns_addr_fmt(&best->addr, buf, sizeof(buf)), best->received, a->n_pend,
			    best->addr.af);
		else if (best->peers == 0)
			len += snprintf(a->local_reason + len, sizeof(a->local_reason) - len,
			    "%s%s is the only unicast IPv%d address; %u of the first %u frames are from 0.0.0.0 or to broadcast or multicast",
			    len ? "; " : "inferred (set it with --local): ",
			    ns_addr_fmt(&best->addr, buf, sizeof(buf)), best->addr.af, special,
			    a->n_pend);
		else
			len += snprintf(a->local_reason + len, sizeof(a->local_reason) - len,
			    "%s%s%s talks with %u other address%s in the first %u frames%s%s IPv%d address%s%s",
			    len ? "; " : "inferred (set it with --local): ",
			    ns_addr_fmt(&best->addr, buf, sizeof(buf)), segtext, best->peers,
			    best->peers == 1 ? "" : "es", a->n_pend,
			    two != NULL && two->peers > best->peers ? " (fewer than " : ", ",
			    two != NULL && two->peers > best->peers ? "another" :
			    two != NULL && two->peers == best->peers ? "as many as another" :
			    "more than any other", best->addr.af,
			    two != NULL && two->peers > best->peers ? ")" :
			    best->syn_in >= scan_ports && !nets ?
			    ", and it was probed on the most ports" : "", more);
		if ((size_t)len >= sizeof(a->local_reason))
			len = (int)sizeof(a->local_reason) - 1;
		if (c < conf)
			conf = c;
	}
	/*
	 * Hosts without an address yet (DHCP clients) send to the limited
	 * broadcast, which reaches every host of the segment we capture on:
	 * it stands for the local side, and 0.0.0.0 is a host of ours.
	 */
	if (to_bcast > 0 && a->n_local < ANA_MAX_LOCAL) {
		struct ns_cidr *bc = &a->local[a->n_local++];

		memset(bc, 0, sizeof(*bc));
		bc->addr.af = 4;
		memset(bc->addr.b, 0xff, 4);
		bc->bits = 32;
		if (len == 0)
			conf = 0.3;
		len += snprintf(a->local_reason + len, sizeof(a->local_reason) - len,
		    "%s255.255.255.255, where %u packets from 0.0.0.0 (hosts without an address, such as DHCP clients) went",
		    len ? "; and " : "inferred (set it with --local): no unicast address, only ", to_bcast);
		if ((size_t)len >= sizeof(a->local_reason))
			len = (int)sizeof(a->local_reason) - 1;
	}
	if (a->n_local == 0) {
		conf = 0;
		snprintf(a->local_reason, sizeof(a->local_reason),
		    "inferred: no IP traffic to infer from");
	} else {
		snprintf(a->local_reason + len, sizeof(a->local_reason) - len,
		    "; confidence %.1f (%s)", conf, confidence_word(conf));
	}
	a->local_confidence = conf;
	free(cs.v);
	ns_amap_free(&cs.at);
	ns_amap_free(&pairs);
	ns_amap_free(&syns);
	local_compile(a);
	a->local_decided = true;
}

static void
replay_pending(struct ana *a)
{
	for (uint32_t i = 0; i < a->n_pend; i++) {
		struct pending *pe = &a->pend[i];

		account(a, &pe->pk);
		free(pe->data);
		free(pe->rule);
	}
	free(a->pend);
	a->pend = NULL;
	a->n_pend = a->cap_pend = 0;
}

void
ana_flush(struct ana *a)
{
	if (!a->local_decided) {
		infer_local(a);
		replay_pending(a);
	}
}

void
ana_totals(const struct ana *a, struct ana_totals *t)
{
	*t = a->tot;
}

unsigned
ana_nhosts(const struct ana *a)
{
	return a->hosts.n;
}

unsigned
ana_hosts(struct ana *a, struct ana_host_row *out, unsigned max)
{
	unsigned n = 0;

	for (uint32_t i = 0; i < a->hp.used && n < max; i++) {
		struct host *h = host_at(a, i);
		struct ana_host_row *o = &out[n++];

		memset(o, 0, sizeof(*o));
		o->addr = h->addr;
		o->packets_in = h->pkts_in;
		o->packets_out = h->pkts_out;
		o->bytes_in = h->bytes_in;
		o->bytes_out = h->bytes_out;
		rate_recent(&h->rate, &h->rs, a->now, &o->pps_in, &o->pps_out);
		o->local_ports = h->lports.n;
		o->first = h->first;
		o->last = h->last;
		o->verdict = h->verdict;
		o->confidence = h->confidence;
		o->call = ana_verdict_calls(h->verdict) &&
		    h->confidence >= a->cfg.th.call_confidence && ns_addr_no_admin(&h->addr) == NULL;
	}
	return n;
}

bool
ana_host(struct ana *a, const struct ns_addr *addr, struct ana_host_info *out)
{
	struct host *h = host_find(a, addr, ana_hash_addr(a, addr));

	if (h == NULL)
		return false;
	verdict_host(a, h, out, true);
	return true;
}

bool
ana_host_view(const struct ana *a, const struct ns_addr *addr, struct ana_host_info *out)
{
	const struct host *h = host_find(a, addr, ana_hash_addr(a, addr));

	if (h == NULL)
		return false;
	verdict_of(a, h, out, true);
	return true;
}

void
ana_update(struct ana *a)
{
	struct ana_host_info *tmp = xmalloc(sizeof(*tmp));

	for (uint32_t i = 0; i < a->hp.used; i++)
		verdict_host(a, host_at(a, i), tmp, false);
	free(tmp);
}

void
ana_update_changed(struct ana *a)
{
	struct ana_host_info *tmp = xmalloc(sizeof(*tmp));

	for (uint32_t i = 0; i < a->hp.used; i++) {
		struct host *h = host_at(a, i);

		if (h->pkts_in + h->pkts_out != h->verdict_pkts)
			verdict_host(a, h, tmp, false);
	}
	free(tmp);
}

unsigned
ana_evidence(struct ana *a, const struct ns_addr *addr, ana_frame_fn fn, void *arg)
{
	struct host *h = host_find(a, addr, ana_hash_addr(a, addr));
	struct evring *r;
	uint32_t i;

	if (h == NULL || (r = h->ev) == NULL)
		return 0;
	for (i = 0; i < r->n; i++) {
		struct evframe *f = &r->f[(r->head + r->cap - r->n + i) % r->cap];

		fn(arg, f->dlt, f->ts, f->data, f->caplen, f->wirelen);
	}
	return r->n;
}
