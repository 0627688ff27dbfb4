/*
 * Internal state of the analysis. Only analysis/ includes this header.
 */
#ifndef NS_ANA_INTERNAL_H
#define NS_ANA_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "analysis/ana.h"
#include "analysis/frag.h"
#include "analysis/ntp.h"

/* A set of 16-bit ports: a short array, then a 65536-bit map. */
struct portset {
	uint32_t n;
	uint16_t small[14];
	uint8_t *bits;		/* 8 KiB once more than 14 ports were seen */
	uint32_t privileged, registered, ephemeral;
};

/*
 * A set of addresses as 32-bit keyed fingerprints, bounded. The first
 * ADDRSET_INLINE live in the struct: most hosts meet one or two of ours.
 */
#define ADDRSET_MAX 65536
#define ADDRSET_INLINE 4
struct addrset {
	uint32_t n, cap;	/* cap is a power of two, 0 while inline */
	union {
		uint32_t *slots;	/* 0 = empty */
		uint32_t inl[ADDRSET_INLINE];
	} u;
	bool full;		/* stopped counting at ADDRSET_MAX */
};

/* Space-saving top-k of ports. */
#define TOPK 12
struct topk {
	struct ana_port_count e[TOPK];
	int n;
};

/* Mean and spread, Welford. */
struct welford {
	uint64_t n;
	double mean, m2;
};

#define RATE_S 64	/* seconds kept, power of two */
#define RATE_M 64	/* minutes kept */

/*
 * Packets and bytes per second over the last RATE_S seconds, per minute
 * over the last RATE_M minutes. The slots live apart (struct rate_slots)
 * and are never zeroed in bulk: a slot counts only for a second from
 * first_sec on, and each second is cleared when the clock reaches it, so
 * a new host writes one slot, not 1.5 KB.
 */
struct rate {
	bool started;
	int64_t sec;		/* the second slot s[sec % RATE_S] stands for */
	int64_t min;
	int64_t first_sec, first_min;	/* earlier slots hold nothing of this host */
	double peak_pin[3], peak_pout[3];	/* packets in windows of 1, 10, 60 s */
	double peak_bin1, peak_bout1;
	uint32_t unsol_cur;			/* unsolicited packets in the current second */
	uint32_t unsol_peak;
	uint32_t secs_over_flood;
	uint32_t new_ports_cur, new_ports_peak;	/* new local ports in the current minute */
};

struct rate_sec {
	uint32_t pin, pout, bin, bout;
};

struct rate_min {
	uint32_t pin, pout;
};

struct rate_slots {
	struct rate_sec s[RATE_S];
	struct rate_min m[RATE_M];
};

/*
 * The bursts one local address took part in, for the period: an interval
 * is measured only between bursts of the same local address, and a period
 * is claimed only for a run of at least two intervals that agree (within
 * BURST_AGREE of the run's mean). The longest run is kept, the latest on
 * a tie.
 */
#define BURST_CLIENTS 4
#define BURST_AGREE 0.25

struct burst_run {
	uint16_t n;		/* intervals */
	float mean, m2;		/* Welford */
};

struct burst_client {
	uint32_t fp;		/* the local address; 0: slot free */
	uint32_t bursts;
	double last;		/* start of its latest burst */
	struct burst_run run, best;
};

struct burst_state {
	double start, last;
	uint32_t in, out;
	bool triggered;
	bool open;
	uint32_t count;
	struct welford size, spacing;
	uint32_t size_max, triggered_count;
	struct welford in_per, out_per;		/* per burst */
	struct burst_client client0;	/* the first; the next in the host's side */
	int n_recent, recent_head;	/* of the host's recent[] */
};

#define EV_SNAP 200		/* bytes kept of each frame: every header and an NTP packet */
#define EV_FRAMES 32
#define EV_FRAMES_WATCHED 4096
#define EV_MAX_RINGS 2048

struct evframe {
	double ts;
	uint32_t caplen, wirelen;
	int dlt;
	uint8_t data[EV_SNAP];
};

struct evring {
	uint32_t cap, n, head;
	struct evframe f[];
};

/*
 * What few hosts have, apart from struct host: its NTP (most hosts of a
 * spoofed flood send none), the rules a firewall logged it by, the ports
 * of ours it found open, the bursts of a second to fourth local address
 * (a NAT's clients, a server's). Made on first use (host_side), freed
 * with the host; a host without one reads host_no_side (host_side_of).
 * 740 bytes that the pool would otherwise hold, and fault in, for every
 * host.
 */
struct host_side {
	struct ana_ntp_info ntp;
	struct ana_fw_rule fw_rules[ANA_FW_RULES];
	uint8_t n_fw_rules;
	uint64_t fw_rules_other;
	struct addrset open;	/* local address and port pairs that sent it a SYN-ACK */
	struct burst_client burst_more[BURST_CLIENTS - 1];	/* after burst.client0 */
};

/*
 * A host's timeline holds its last ANA_TIMELINE exchanges, the one of
 * sequence number seq (from 1) in slot (seq - 1) % ANA_TIMELINE
 * (host_ex), and its last ANA_BURSTS closed bursts, in slots 0 on
 * (host_burst). The first EX_INLINE and BURST_INLINE slots are in the
 * host; the others in a block taken when the first of them is written
 * (host_ex_new, host_burst_new), from a free list of those evicted hosts
 * gave back. Most hosts need none: 9,595 of the 10,000 the mixed capture
 * leaves (its flood's sources) have three exchanges and two closed
 * bursts, and the 2,240 bytes were two fifths of every host. Not zeroed:
 * a slot is read only once written, as the inline ones.
 */
#define EX_INLINE 4
#define BURST_INLINE 2
struct host_block {
	struct host_block *next_free;	/* in a->hp, once its host is evicted */
	struct ana_exchange ex[ANA_TIMELINE - EX_INLINE];
	struct ana_burst recent[ANA_BURSTS - BURST_INLINE];
};

/*
 * A remote host. Hosts live in a pool (struct hostpool) and are reused
 * after eviction: everything before `rs` is zeroed for a new host; the
 * arrays from `rs` on are not, and are read only as far as the counters
 * before them say they were written (zeroing 4 KB for each new host was
 * a third of the time when a spoofed flood made one a packet).
 */
/*
 * Payloads, and how many repeated the one before: a generator's copies
 * (hping3 -E, a booter's canned request) against real requests, which
 * differ (an NTP client's transmit timestamp, a DNS query's id).
 */
struct copies {
	uint64_t pkts, same;
	uint32_t last;		/* the one before's hash */
};

/* Whether p has a payload to count, and its hash (the first 64 bytes). */
bool copies_hash(const struct ana *, const struct pkt *, uint32_t *);
void copies_add(struct copies *, uint32_t hash);

struct host {
	struct ns_addr addr;
	struct evring *ev;
	uint64_t hash;
	uint32_t idx;		/* in the pool */
	uint64_t pkts_in, pkts_out, bytes_in, bytes_out;
	double first, last;
	uint64_t ex_ours, ex_theirs, ex_theirs_answered;
	uint64_t ex_unseen[3];	/* start not seen: begun by us, by it, no one knows */
	uint64_t ex_theirs_accepted;	/* of those, it went on after our answer */
	uint64_t ex_theirs_data;	/* its TCP connections that carried a payload of its */
	/*
	 * Its TCP sessions held open with a request trickling in and no
	 * answer of ours (held_session): all, open now, most open at once.
	 */
	uint64_t held, held_open, held_peak;
	/* Its logins that our services refused (login_refused): how many, the last's. */
	uint64_t login_refused;
	const char *login_svc;
	uint16_t login_port;
	/* The data port our FTP server last told it to connect to (PASV, EPSV), and when. */
	uint16_t ftp_data_port;
	double ftp_data_ts;
	/* The refusals of the minute from login_win, and the most of one such minute. */
	double login_win;
	uint32_t login_win_n, login_peak_min;
	uint64_t in_solicited, in_unsolicited, in_late, in_resp_unsol, in_probe, in_served;
	uint64_t req_again;	/* served requests: pings, queries in an exchange we answered */
	uint64_t syn_in, synack_out, rst_out, unreach_out, unreach_in, stealth_in, split_in;
	uint64_t probe_bytes, resp_unsol_bytes;
	uint64_t probe_frags;	/* of in_probe, later fragments of a probe */
	uint64_t reports_in;	/* of in_probe, reports to a one-way collector (delivered_report) */
	uint16_t reports_port;	/* the collector's, the last */
	uint64_t protos[4];	/* the IP protocols of its probes, a bit each */
	struct copies req;	/* its unsolicited UDP payloads */
	struct ns_addr provoked_by;
	bool has_provoked_by;
	struct portset lports, rports, pports;
	struct addrset laddrs, paddrs;
	struct host_side *side;	/* NULL until needed */
	struct topk top_local, top_remote, top_probe;
	struct ns_addr first_target;	/* local address of its first unsolicited packet */
	uint8_t first_target_proto;
	uint16_t first_target_port;
	bool has_target;
	struct rate rate;
	struct burst_state burst;
	struct ana_vector_info vector;
	uint64_t ex_seq;
	struct host_block *more;	/* the timeline's further slots, when it has any */
	/* Verdict cache, recomputed by ana_update. */
	enum ana_verdict verdict;
	double confidence;
	uint64_t verdict_pkts;		/* pkts_in + pkts_out when it was computed */
	/* Not zeroed for a new host: see above. */
	struct rate_slots rs;				/* valid from rate.first_sec */
	struct ana_burst recent[BURST_INLINE];		/* valid: burst.n_recent */
	struct ana_exchange ex[EX_INLINE];		/* valid: the last ex_seq (host_ex) */
};

#define HOST_ZEROED offsetof(struct host, rs)

/*
 * The slot of exchange seq, one of h's last ANA_TIMELINE (1 to ex_seq):
 * from a const host as from another, as strchr does.
 */
static inline struct ana_exchange *
host_ex(const struct host *h, uint64_t seq)
{
	uint32_t i = (uint32_t)((seq - 1) % ANA_TIMELINE);

	return i < EX_INLINE ? (struct ana_exchange *)&h->ex[i] : &h->more->ex[i - EX_INLINE];
}

/* Slot i of h's recent bursts, 0 to ANA_BURSTS - 1, once written. */
static inline struct ana_burst *
host_burst(const struct host *h, int i)
{
	return i < BURST_INLINE ? (struct ana_burst *)&h->recent[i] :
	    &h->more->recent[i - BURST_INLINE];
}

/* The slot of its next exchange, h->ex_seq + 1, its block taken if it needs one (table.c). */
struct ana_exchange *host_ex_new(struct ana *, struct host *);
/* The same for burst slot i. */
struct ana_burst *host_burst_new(struct ana *, struct host *, int i);

/* A host's side, made now if it has none (table.c). */
struct host_side *host_side(struct host *);
extern const struct host_side host_no_side;

/* What a host's side holds, or the defaults when it has none. */
static inline const struct host_side *
host_side_of(const struct host *h)
{
	return h->side != NULL ? h->side : &host_no_side;
}

/*
 * Once the pool is full, a host never seen before is only sighted: its
 * first packet is kept in the sighting slot its address maps to (the
 * high bits of its ana_hash_fixed), in the place of the one there, whose
 * packet then counts as evicted. What that packet does to the totals,
 * the incident targets and the NAT twins is done at once; what it does to
 * the host and its flow is done when a second packet comes while the
 * sighting is still there: the host is made in the pool, in the
 * place of the least valuable of a sample there, and the first packet is
 * replayed into it before the second (host_packet), so that it is the
 * same host as if it had been kept from the start. A spoofed flood, one
 * packet per source, thus churns these slots rather than the pool, and
 * no longer evicts the hosts of real conversations (the admission window
 * of W-TinyLFU, Einziger et al. 2017, without the frequency sketch).
 *
 * A sighting is 4 cache lines, where a host is 84 and its flow 2 more:
 * what keeps a spoofed flood's one packet per source cheap, for the
 * 1.5x target on the mixed capture and the memory at a million sources
 * (BENCHMARKS.md, "History": bd74ca8).
 *
 * With a cap below SIGHT_MIN_CAP there are none.
 */
#define SIGHT_MAX 2048
#define SIGHT_MIN_CAP 16	/* 2 slots: the fuzzer's tiny tables have some */
/* What host_packet works out about a packet before it looks its host up. */
struct pctx {
	bool in;		/* remote -> local */
	bool want_flow;
	bool is_ntp;
	bool resp;		/* inbound, and by its kind an answer to something */
	bool has_pay;		/* a sighting's: pay is its payload's copies_hash */
	uint32_t pay;
	uint64_t fh;		/* ana_hash_flow of its flow key, when want_flow */
	struct ntp_msg m;	/* when is_ntp */
	uint8_t ntp_frag;	/* a later fragment of NTP: its first's FRAG_NTP_ bits */
};

enum { SIGHT_NONE, SIGHT_PACKET, SIGHT_TRANSIT_SRC, SIGHT_TRANSIT_DST };
struct sighting {
	_Alignas(64) uint64_t hash;	/* ana_hash_addr of addr; 4 cache lines in all */
	struct ns_addr addr;
	uint8_t kind;		/* SIGHT_ */
	struct pctx c;		/* SIGHT_PACKET */
	/* No payload: c has what was read from it; the frame is in a->hp.sframes. */
	struct pkt p;
};

struct hostpool {
	/*
	 * max_hosts of them in one reservation, filled in index order: only
	 * the pages in use are faulted in, the next few beside us (a->pop).
	 */
	struct host *h;
	size_t populated;	/* bytes from the start handed to a->pop */
	uint32_t used;		/* indices handed out so far, all held (eviction reuses) */
	/* Sightings, made once used == max_hosts: n_sight, a power of two, or none. */
	struct sighting *sight;
	uint8_t (*sframes)[EV_SNAP];	/* their frames, when frames are kept */
	uint32_t n_sight;
	/* Eviction value by index, apart from the hosts: sampling reads one line. */
	double *score;
	uint32_t *tag;		/* the low 32 bits of each host's hash */
	struct host_block *free_blocks;	/* timeline blocks of evicted hosts */
	uint32_t hand;		/* the next index the eviction clock samples */
};

struct flow_key {
	uint8_t af, proto;
	uint16_t lport, rport;
	uint8_t local[16], remote[16];
};
/* Compared and hashed as bytes: no padding. */
_Static_assert(sizeof(struct flow_key) == 38, "struct flow_key has padding");

struct flow {
	struct flow_key k;
	uint64_t hash;
	double first, last;
	uint32_t pkts_in, pkts_out;
	uint32_t out_mark;	/* pkts_out when its last packet in came */
	/* Bits: the flow stays 96 bytes with the counts below. */
	bool ours : 1;		/* the local side sent first */
	bool answered : 1;	/* the side that did not start has sent */
	bool refused : 1;	/* we answered with an ICMP unreachable */
	bool first_in_resp : 1;	/* it began with a reply-type packet from them */
	bool accepted : 1;	/* theirs, and it went on after our answer (not a RST) */
	bool data_in : 1;	/* theirs over TCP, and it sent a payload */
	bool data_out : 1;	/* theirs over TCP, and we sent a payload */
	bool held : 1;		/* counted in its host's held_open (held_session) */
	uint8_t start;		/* enum flow_start: who began it, if not seen */
	/*
	 * Their packets counted as probes on a connection that the ports
	 * say is ours (or no one's), until our side takes part in it.
	 */
	uint16_t pend;
	/* Their TCP payloads, none of ours yet (saturating): a request trickling in. */
	uint8_t trickle;
	/*
	 * Their requests that came before our answer to the one before
	 * (saturating): a stream that runs ahead of us is no conversation.
	 */
	uint16_t ahead;
	uint64_t ex_seq;	/* its exchange in the host's timeline */
};
_Static_assert(sizeof(struct flow) <= 96, "struct flow grew");

/*
 * Who began a TCP connection whose first packet here is not a SYN (the
 * capture started after its handshake): taken from its ports or a
 * SYN-ACK, not seen. FLOW_START_SEEN: the first packet's sender.
 */
enum flow_start {
	FLOW_START_SEEN,
	FLOW_START_LOCAL,
	FLOW_START_REMOTE,
	FLOW_START_UNKNOWN,	/* both ports alike */
};

/* Incident targets: (local address, protocol, port). */
/* IP protocol numbers, as the analysis compares them. */
#define P_ICMP 1
#define P_TCP 6
#define P_UDP 17
#define P_ICMP6 58

#define TARGET_ANY_PORT (-1)
#define TARGET_HLL 256
#define TARGET_EXACT 64
/*
 * Distinct remote hosts whose unsolicited packets came to a target, as a
 * HyperLogLog sketch (Flajolet et al. 2007) of their address hashes, and
 * of those the ones that sent unsolicited replies (the reflectors) in a
 * sketch of their own. Made when a second host comes (target_count): most
 * targets see one, a scanner's ports all of them, and a target is 448
 * bytes without these 512.
 */
struct target_sketch {
	uint8_t hll[TARGET_HLL];
	uint8_t resp_hll[TARGET_HLL];
	struct target_sketch *next_free;	/* in a->tp, once its target is evicted */
};

struct target {
	struct ns_addr local;
	uint8_t proto;
	int32_t port;		/* TARGET_ANY_PORT: every port of the address */
	uint64_t hash;
	/*
	 * The hosts: the first TARGET_EXACT counted exactly, so that small
	 * counts are exact; beyond them the sketch's count, about 6.5% off
	 * for large counts, and right however often a host is evicted and
	 * comes back. Until a second host comes, the first one's hash
	 * (first_hash, first_resp) stands for what the sketch would hold.
	 */
	struct target_sketch *sk;
	uint64_t first_hash;
	bool has_first, first_resp;
	uint32_t exact[TARGET_EXACT];
	uint8_t n_exact;
	bool exact_full;
	/* Of those, the reflectors: a bit per exact slot. */
	uint64_t exact_resp;
	uint64_t unsol_pkts, unsol_bytes, resp_pkts, resp_bytes;
	uint64_t amp_resp_pkts, amp_resp_bytes, amp_req_bytes;	/* we answered mode 6/7 from here */
	uint64_t amp_victims;
	/* The same for another UDP vector's port (not NTP), and answers refused by ICMP. */
	uint64_t vec_resp_pkts, vec_resp_bytes, vec_req_bytes, vec_victims, vec_refused;
	/*
	 * Of those, the hosts that refused answers (the spoofed victims, not
	 * the service's own clients): how many, and the answers, packets and
	 * request bytes theirs, all of them, from their first to their last.
	 */
	uint64_t vec_refusers, vec_refuser_pkts, vec_refuser_bytes, vec_refuser_req;
	/*
	 * Of the exchanges begun here, how many a local service took up: a
	 * UDP request answered, a TCP handshake completed. And the requests
	 * with a payload, how many repeat the previous one's (a generator's
	 * copies; real clients' requests differ, by an NTP client's transmit
	 * timestamp, a DNS query's id).
	 */
	uint64_t served;
	struct copies pay;
	double first, last;
	int64_t sec;
	uint32_t cur, peak;
	struct target *next_free;	/* in a->tp, once evicted */
};

/*
 * The targets, max_targets of them in one reservation, faulted in ahead
 * of use (a->pop) rather than calloc'd one by one: a scan of 20,000 ports
 * makes as many, and their 10 MB of fresh pages were the analysis
 * thread's to fault in, 4 KB at a time.
 */
struct targetpool {
	struct target *t;
	uint32_t used;
	size_t populated;	/* bytes from the start handed to a->pop */
	struct target *free;	/* evicted, for reuse */
	struct target_sketch *free_sk;	/* theirs */
};

/* Open addressing, linear probing, deletion by backward shift. */
struct tslot {
	uint64_t hash;
	void *p;
};

struct table {
	struct tslot *slots;
	uint32_t mask, n;
};

/*
 * A compact table of pool indices: a slot is (index + 1) << 32 | the low
 * 32 bits of the key's hash, 0 when empty. Eight slots share a cache line,
 * and a lookup reads the entry itself only when the 32 bits match.
 */
struct itable {
	uint64_t *s;
	uint32_t mask, n;
};

/* Flows in one array; the eviction clock samples consecutive entries. */
#define FLOW_DEFER 4
struct flowpool {
	struct flow *f;
	uint32_t used, hand;
	/*
	 * Flows by the remote end's ana_hash_fixed, counted in buckets
	 * (up to 255, then for good): a new host with none in its bucket has
	 * no flow, which a sighting is told without the cold flows' table.
	 */
	uint8_t *by_remote;
	uint32_t by_remote_mask;
	/* Table slots of evicted flows, removed a few evictions later (flow_add). */
	struct { uint32_t tag, idx; } dead[FLOW_DEFER];
	unsigned dead_head, n_dead;
};

/*
 * Packets seen on both sides of a NAT: the same datagram once with the
 * inside address, once with the outside one.
 */
#define TWIN_SLOTS 65536
#define TWIN_WAYS 8
struct twin {
	uint64_t key;
	double ts;
	struct ns_addr local;
	bool in;
	uint64_t ex_seq;	/* the exchange of the first sighting */
};

/* A packet waiting for the local side: data its frame, rule its rule text if not in the frame. */
struct pending {
	struct pkt pk;
	uint8_t *data;
	uint8_t *rule;
};

/* A local network as masked words of struct ns_addr's bytes. */
struct local_match {
	uint8_t af;
	uint64_t net[2], mask[2];
};

struct ana {
	struct ana_config cfg;
	uint8_t key[16];
	struct ana_totals tot;
	/* Local side. */
	struct ns_cidr local[ANA_MAX_LOCAL];
	int n_local;
	struct local_match lmatch[ANA_MAX_LOCAL];	/* local[], for every packet */
	bool local_decided;
	char local_reason[500];
	double local_confidence;	/* 1 given; inferred, 0.3 (a guess) to 0.9 */
	struct pending *pend;
	uint32_t n_pend, cap_pend;
	/* Tables. */
	struct itable hosts, flows;
	struct table targets;
#define TARGET_CACHE 16	/* half for ports, half for whole addresses */
	struct target *tcache[TARGET_CACHE];
	struct hostpool hp;
	struct flowpool fp;
	struct targetpool tp;
	uint32_t max_hosts, max_flows, max_targets;
	uint64_t rng;
	uint64_t fp_key;	/* for address fingerprints */
	double now;	/* timestamp of the latest packet */
	struct twin *twins;
	uint32_t n_evrings;
	struct ns_populator *pop;	/* faults in the pools' next pages beside us */
	struct frag_table *frag;	/* made at the first fragment (analysis/frag.h) */
};

/*
 * ana_is_local, twice a packet: two masked words a network, with no call
 * and no byte-order swap (the masks are made byte by byte).
 */
static inline bool
local_match(const struct ana *a, const struct ns_addr *x)
{
	uint64_t w0, w1;

	memcpy(&w0, x->b, 8);
	memcpy(&w1, x->b + 8, 8);
	for (int i = 0; i < a->n_local; i++) {
		const struct local_match *m = &a->lmatch[i];

		if (m->af == x->af && (w0 & m->mask[0]) == m->net[0] &&
		    (w1 & m->mask[1]) == m->net[1])
			return true;
	}
	return false;
}

/* Whether the remote end whose ana_hash_fixed is fx may have a flow. */
static inline bool
flow_remote_maybe(const struct ana *a, uint64_t fx)
{
	return a->fp.by_remote != NULL && a->fp.by_remote[(uint32_t)fx & a->fp.by_remote_mask] != 0;
}

/* table.c */
void table_init(struct table *, uint32_t max_entries);
void itable_init(struct itable *, uint32_t max_entries);
void table_free(struct table *, void (*)(void *));
uint64_t ana_hash(const struct ana *, const void *, size_t);
/* The hash every table lookup of a host or a flow uses. */
uint64_t ana_hash_addr(const struct ana *, const struct ns_addr *);
struct flow_key;
uint64_t ana_hash_flow(const struct ana *, const struct flow_key *);
/* Unkeyed: the same in every run (incident counts, sighting slots). */
uint64_t ana_hash_fixed(const struct ns_addr *);
struct host *host_find(const struct ana *, const struct ns_addr *, uint64_t h);
/* Find, or make in the pool (evicting when full), with h = ana_hash_addr. */
struct host *host_get_hashed(struct ana *, const struct ns_addr *, uint64_t h, double ts);
/* A new host in the pool, evicting when full; hosts_seen is the caller's. */
struct host *host_adopt(struct ana *, const struct ns_addr *, uint64_t h, double ts);
/* The slot of an address whose ana_hash_fixed is fx, once the pool is full; else NULL. */
struct sighting *sighting_slot(struct ana *, uint64_t fx);
struct flow *flow_find(struct ana *, const struct flow_key *, uint64_t h);
struct flow *flow_add(struct ana *, const struct flow_key *, uint64_t h);
struct target *target_get(struct ana *, const struct ns_addr *, uint8_t proto, int32_t port);
/* The target if it is held, without making it. */
struct target *target_find(const struct ana *, const struct ns_addr *, uint8_t proto,
    int32_t port);
/* Empty sketches for a target that meets its second host. */
struct target_sketch *target_sketch_new(struct ana *);
void hosts_free(struct ana *);
void targets_free(struct ana *);
void hosts_init(struct ana *);
/* Once per process, before the first host_packet (ana_new calls it). */
void host_tables_init(void);
/*
 * Hosts by pool index, 0 to a->hp.used - 1, all held: an evicted host's
 * index goes straight to its successor. The order is the order of arrival
 * (and of eviction), the same from run to run, unlike the table's.
 */
static inline struct host *
host_at(const struct ana *a, uint32_t idx)
{
	return &a->hp.h[idx];
}
void flows_free(struct ana *);

/* sets.c */
bool portset_add(struct portset *, uint16_t port);
void portset_free(struct portset *);
void portset_spread(const struct portset *, struct ana_port_spread *);
bool addrset_add(struct addrset *, uint32_t fp);
void addrset_free(struct addrset *);
void topk_add(struct topk *, uint16_t port, uint8_t proto);
int topk_get(const struct topk *, struct ana_port_count *, int max);
void welford_add(struct welford *, double);
double welford_sd(const struct welford *);
void rate_add(struct rate *, struct rate_slots *, double ts, bool in, uint32_t bytes,
    bool unsolicited, double flood_pps);
void rate_new_port(struct rate *, struct rate_slots *, double ts, double flood_pps);
void hll_add(uint8_t *regs, unsigned m, uint64_t hash);
uint64_t hll_count(const uint8_t *regs, unsigned m);
void rate_snapshot(const struct rate *, const struct rate_slots *, double now,
    double flood_pps, struct ana_rates *);
/* Its pps_in_10 and pps_out_10 alone, for listings of every host. */
void rate_recent(const struct rate *, const struct rate_slots *, double now,
    double *pps_in_10, double *pps_out_10);
bool port_is_ephemeral(uint16_t);
/* Ordered: a service port's class is below its client's. */
enum port_class { PORT_PRIVILEGED, PORT_REGISTERED, PORT_EPHEMERAL };
enum port_class port_class(uint16_t);

/* host.c */
void host_packet(struct ana *, struct pkt *);

/* verdict.c */
/* text: false for the verdict and confidence alone (no evidence, advice, timeline). */
/* A host's snapshot with its verdict; verdict_host also keeps the verdict in h. */
void verdict_of(const struct ana *, const struct host *, struct ana_host_info *, bool text);
void verdict_host(const struct ana *, struct host *, struct ana_host_info *, bool text);
void host_snapshot(const struct ana *, const struct host *, struct ana_host_info *, bool text);
void burst_snapshot(const struct host *, const struct ana_ntp_info *, struct ana_burst_stats *);

/* host.c: what a packet does to its host, flow, exchange and target. */
void flow_key_make(struct flow_key *, const struct pkt *, bool in);
uint64_t host_account(struct ana *, struct host *, const struct pkt *, const struct pctx *,
    const struct flow_key *, bool replay);
void transit_count(struct ana *, struct host *, const struct pkt *, bool src);
void amp_account(struct ana *, bool first_answer, const struct pkt *, const struct ntp_msg *,
    bool in);
/* pay: its payload's copies_hash, or NULL for none. */
void target_hit(struct ana *, const struct pkt *, bool response_kind, uint64_t host_hash,
    const uint32_t *pay);

/* twin.c: the same datagram on both sides of a NAT (0: no key). */
uint64_t twin_key(const struct ana *, const struct pkt *, bool in);
struct twin *twin_find(struct ana *, uint64_t key, const struct pkt *, bool in);
void twin_seen(struct ana *, struct host *, struct twin *, const struct pkt *, bool in);
void twin_note(struct ana *, uint64_t key, const struct pkt *, bool in, uint64_t ex_seq);

/* sight.c: the first packet of a new host while the table is full; transit. */
struct host *host_or_slot(struct ana *, const struct ns_addr *, uint64_t hh,
    struct sighting **, uint64_t *fx);
bool sighting_ok(struct ana *, const struct pkt *, const struct pctx *, const struct flow_key *,
    uint64_t fx, uint64_t tkey);
void sighting_take(struct ana *, struct sighting *, const struct ns_addr *remote, uint64_t hh,
    uint64_t fx, const struct pkt *, const struct pctx *, uint64_t tkey);
void transit_side(struct ana *, const struct ns_addr *, const struct pkt *, bool src);
/* Names the sighted remote hosts of each incident while its samples have room. */
void sight_incident_samples(struct ana *, struct ana_incident *, unsigned n);

#endif
