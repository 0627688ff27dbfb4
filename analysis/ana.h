/*
 * The analysis: a table of remote hosts fed one decoded packet at a time
 * on the main thread, the evidence about each, and the verdicts.
 *
 * Other modules see hosts only through snapshots (struct ana_host_info),
 * which they own and may keep.
 */
#ifndef NS_ANA_H
#define NS_ANA_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/decode.h"
#include "common/addr.h"

#define ANA_MAX_LOCAL 64

enum ana_verdict {
	V_UNDETERMINED = 0,
	V_SOLICITED,
	V_SERVING,
	V_UNSOLICITED,
	V_PORT_SCAN,
	V_FLOOD,
	V_AMPLIFIER_ABUSE,
	V_REFLECTION_FLOOD,
	V_BRUTE_FORCE,
	V__COUNT
};

const char *ana_verdict_name(enum ana_verdict);
/* 0 benign, 1 notable, 2 attack: for colours and sorting. */
int ana_verdict_severity(enum ana_verdict);
bool ana_verdict_is_attack(enum ana_verdict);
/* An attack whose sender's admin is the one to call (not a victim, not a reflector). */
bool ana_verdict_calls(enum ana_verdict);

struct ana_thresholds {
	double udp_timeout;		/* unreplied UDP state, s (conntrack: 30) */
	double udp_stream_timeout;	/* assured UDP state, s (conntrack: 120) */
	double late_horizon;		/* replies later than this are unsolicited, s */
	unsigned scan_ports;		/* distinct local ports probed (Zeek: 15 in 5 min) */
	unsigned scan_hosts;		/* distinct local addresses probed on one port */
	unsigned sweep_hosts;		/* local addresses it opened exchanges with, answered or not */
	double flood_pps;		/* unsolicited packets/s in one second */
	double flood_seconds;		/* seconds at or above flood_pps */
	double amp_ratio;		/* response bytes per request byte */
	uint64_t amp_min_bytes;		/* response bytes before amplification counts */
	double reflect_min_bytes;	/* unsolicited response bytes from one host */
	unsigned min_packets;		/* below this: undetermined */
	double burst_gap;		/* a silence longer than this ends a burst, s */
	double call_confidence;		/* advise calling at or above this */
	unsigned incident_hosts;	/* remote hosts to make an incident */
};

void ana_thresholds_default(struct ana_thresholds *);

/*
 * The thresholds as a table: the name --threshold takes, the report's
 * JSON key, where the value lives and its type (taken from the field's
 * own type), the decimals it is printed with. In the order the report
 * lists them.
 */
enum ana_threshold_type { ANA_TH_DOUBLE, ANA_TH_UINT, ANA_TH_U64 };
struct ana_threshold_def {
	const char *name;	/* "scan-ports" */
	const char *json;	/* "scan_ports" */
	size_t off;
	enum ana_threshold_type type;
	int decimals;
};
extern const struct ana_threshold_def ana_threshold_defs[];
extern const size_t ana_n_threshold_defs;
/* The definition of the threshold called name (namelen bytes), or NULL. */
const struct ana_threshold_def *ana_threshold_find(const char *name, size_t namelen);
void ana_threshold_set(struct ana_thresholds *, const struct ana_threshold_def *, double);
double ana_threshold_get(const struct ana_thresholds *, const struct ana_threshold_def *);

enum ana_local_mode {
	ANA_LOCAL_GIVEN,	/* --local */
	ANA_LOCAL_IFACES,	/* the capturing interfaces' addresses */
	ANA_LOCAL_INFER,	/* inferred from the traffic (files) */
};

#define ANA_MAX_WATCH 16

struct ana_config {
	struct ns_cidr local[ANA_MAX_LOCAL];
	/* Hosts whose packets are kept in depth for an evidence capture. */
	struct ns_addr watch[ANA_MAX_WATCH];
	int n_watch;
	int n_local;
	enum ana_local_mode local_mode;
	unsigned max_hosts;		/* 0 = default */
	unsigned max_flows;		/* 0 = default */
	unsigned max_targets;		/* incident targets (address, port); 0 = default */
	unsigned infer_packets;		/* packets examined to infer local; 0 = default */
	bool from_log;			/* packets come from a firewall log, not a capture */
	bool from_flow;			/* packets are made from flow records: no payload */
	/*
	 * Keep no frames for ana_evidence() but the watched hosts': the
	 * caller reads the capture file again for an evidence capture.
	 */
	bool no_frames;
	struct ana_thresholds th;
};

struct ana;

struct ana *ana_new(const struct ana_config *);
void ana_free(struct ana *);
/*
 * The one way in: a decoded packet (cap_decode_frame), errors included,
 * which the totals count. Its frame and what points into it need to
 * live only for the call: while the local side is still being inferred,
 * packets are kept with a copy of their frame and analysed once it is
 * decided.
 */
void ana_packet(struct ana *, const struct pkt *);
/* End of input: decides the local side if still pending. */
void ana_flush(struct ana *);
/* Recompute verdicts (cheap; the console calls it a few times a second). */
void ana_update(struct ana *);
/*
 * The same for the hosts that had packets since their verdict was last
 * computed only (the events look each second of the capture clock): a
 * verdict that would move with the clock alone waits for the host's next
 * packet, or for ana_update.
 */
void ana_update_changed(struct ana *);

struct ana_totals {
	uint64_t frames;
	uint64_t ip_packets;
	uint64_t decode_errors;
	uint64_t not_ip;
	uint64_t internal;	/* both ends local */
	uint64_t transit;	/* neither end local */
	uint64_t nat_twins;	/* second sightings of a datagram across a NAT */
	uint64_t bytes;		/* IP-layer bytes */
	uint64_t hosts_seen;	/* distinct remote hosts, evicted ones included */
	uint64_t hosts_evicted;
	uint64_t flows_evicted;
	double first_ts, last_ts;
	/* Hosts evicted at the cap are summed here. */
	uint64_t other_packets_in, other_packets_out, other_bytes_in, other_bytes_out;
	char first_error[160];	/* first decode error, "frame 12: UDP header cut short" */
};

void ana_totals(const struct ana *, struct ana_totals *);
const struct ana_config *ana_config(const struct ana *);
/* The local networks in force and, when inferred, why. */
int ana_local_networks(const struct ana *, struct ns_cidr *, int max);
const char *ana_local_reason(const struct ana *);
/* 1 when given or the interfaces'; inferred, 0.3 (a guess) to 0.9; 0 with no traffic. */
double ana_local_confidence(const struct ana *);
bool ana_is_local(const struct ana *, const struct ns_addr *);

/* ---- Snapshots of one host ---- */

#define ANA_MAX_EVIDENCE 12
#define ANA_EVIDENCE_LEN 200
#define ANA_TOP_PORTS 8
#define ANA_TIMELINE 32
#define ANA_BURSTS 16
#define ANA_SPARK_S 60
#define ANA_SPARK_M 60
#define ANA_INCIDENT_SAMPLE 32

/*
 * A firewall rule that logged a host's packets (a log line, an NFLOG
 * prefix), or a vantage point that saw them (a flow exporter).
 */
#define ANA_FW_RULES 4
#define ANA_FW_RULE_LEN 40

struct ana_fw_rule {
	char name[ANA_FW_RULE_LEN];	/* printable, as the firewall wrote it */
	uint8_t action;			/* enum fwlog_action */
	bool vantage;			/* an exporter ("exporter 192.0.2.254"), not a rule */
	uint64_t packets;
};

/*
 * A port's packets. From the analysis (ana_host), packets is a count
 * that holds for sure and over how many more it may have had: a top-k
 * sketch (space-saving) of 12 ports per host gives a port that took
 * another's place that port's count, so over is 0 only where the
 * count is exact.
 */
struct ana_port_count {
	uint16_t port;
	uint8_t proto;
	uint32_t packets;
	uint32_t over;
};

struct ana_port_spread {
	uint32_t distinct;
	uint32_t privileged;	/* < 1024 */
	uint32_t registered;	/* 1024-49151, outside the Linux ephemeral range */
	uint32_t ephemeral;	/* Linux 32768-60999 or IANA 49152-65535 */
};

struct ana_exchange {
	double start, last;
	bool ours;		/* a local host sent first */
	bool start_unseen;	/* open before the capture: ours from the ports, not seen */
	bool undecided;		/* start unseen and both ports alike: not ours either */
	uint8_t proto;
	struct ns_addr local;
	uint16_t lport, rport;
	uint32_t pkts_in, pkts_out;
	uint32_t late_in;	/* replies after the state timeout */
	uint32_t unsolicited_in;
};

struct ana_burst {
	double start, end;
	uint32_t pkts_in, pkts_out;
	bool triggered;		/* its first packet was ours */
};

struct ana_ntp_info {
	uint64_t packets;		/* NTP packets either way */
	uint64_t mode_in[8], mode_out[8];
	uint8_t versions;		/* bit v set when version v was seen */
	int stratum;			/* of the remote, as server; -1 unknown */
	int poll;			/* log2 s, as last seen */
	char refid[16];
	char kiss[8];			/* last kiss code received, "" if none */
	uint64_t mode6_in, mode6_out, mode6_more;
	uint32_t mode6_opcodes;		/* bit n set when opcode n was seen */
	/*
	 * Mode 6 READ_MRU answers we sent it, not errors: ntpd gives the
	 * MRU list only for a nonce it gave the asker's own address.
	 */
	uint64_t mode6_mru_out;
	uint64_t mode7_in, mode7_out, mode7_more, mode7_items;
	int mode7_impl;
	uint16_t mode7_codes[8];	/* request codes seen, first eight */
	int n_mode7_codes;
	uint64_t monlist_req_in, monlist_req_out, monlist_resp_in, monlist_resp_out;
	/* Amplification as local server: responses out per request in. */
	uint64_t req_bytes_in, resp_bytes_out;
	/* As remote server: responses in per request out. */
	uint64_t req_bytes_out, resp_bytes_in;
	uint64_t server_replies_from_123;	/* mode 4 sent from port 123 */
	uint64_t client_requests_to_it;		/* mode 3 we sent it */
};

struct ana_rates {
	double pps_in_1, pps_in_10, pps_in_60, pps_out_1, pps_out_10, pps_out_60;
	double bps_in_1, bps_in_10, bps_in_60, bps_out_1, bps_out_10, bps_out_60;
	/*
	 * Peaks: the busiest window of 1, 10 or 60 whole seconds of the
	 * capture clock (a second is [n, n + 1)). Averages: over avg_seconds,
	 * the whole seconds from the host's first packet to its last, the
	 * same seconds the peaks are taken from, so that no average is above
	 * its 1 s peak.
	 */
	double peak_pps_in_1, peak_pps_in_10, peak_pps_in_60;
	double peak_pps_out_1, peak_pps_out_10, peak_pps_out_60;
	double peak_bps_in_1, peak_bps_out_1;
	double avg_pps_in, avg_pps_out, avg_bps_in, avg_bps_out;
	double avg_seconds;
	double per_day_in, per_day_out;	/* packets a day at the average rate */
	uint32_t spark_s_in[ANA_SPARK_S], spark_s_out[ANA_SPARK_S];	/* oldest first */
	uint32_t spark_m_in[ANA_SPARK_M], spark_m_out[ANA_SPARK_M];
	double unsolicited_peak_pps;
	double seconds_over_flood;
};

struct ana_burst_stats {
	uint32_t count;
	double size_mean;
	uint32_t size_max;
	double spacing_mean, spacing_sd;	/* between packets inside a burst */
	/*
	 * Between burst starts of one local address, over its longest run
	 * of intervals that agree; 0 when no run of two intervals agrees.
	 */
	double period_mean, period_sd;
	uint32_t period_bursts;			/* the bursts of that run */
	uint32_t triggered;			/* bursts that began with our packet */
	char pattern[160];			/* "1 request, then 15 replies 1.0 s apart, every 60 s" */
	char known[96];				/* "chrony iburst" etc., "" if none */
	int n_recent;
	struct ana_burst recent[ANA_BURSTS];	/* oldest first */
};

struct ana_host_info {
	struct ns_addr addr;
	uint64_t packets_in, packets_out, bytes_in, bytes_out;
	double first, last;
	/* Who initiated. */
	uint64_t exchanges_ours, exchanges_theirs;
	uint64_t exchanges_answered;		/* of theirs, that we answered */
	/*
	 * TCP connections already open when the capture started: begun by
	 * us, by it (in the counts above), and by no one known (in neither).
	 */
	uint64_t unseen_ours, unseen_theirs, unseen_undecided;
	uint64_t exchanges_accepted;		/* of those, it went on (not a RST): sessions */
	uint64_t exchanges_data;		/* its TCP connections that carried a payload of its */
	/*
	 * Its TCP sessions held open HELD_SECONDS or more with a request
	 * trickling in and no answer of ours, and the most open at once.
	 */
	uint64_t held_sessions, held_peak;
	/* Its logins our services refused (HTTP 401, SMTP 535, FTP 530, ...), the last's service. */
	uint64_t login_refusals;
	const char *login_service;	/* static, NULL for none */
	uint16_t login_port;
	uint32_t login_peak_min;		/* the most refusals in a minute */
	uint64_t in_solicited, in_unsolicited, in_late;
	uint64_t in_served;			/* later packets of their exchanges that we answered */
	uint64_t requests_again;		/* of those, requests of their own (pings, queries): it came back */
	/* Of the unsolicited: UDP datagrams with a payload, and those that copied the one before. */
	uint64_t udp_payloads_unsolicited, udp_payload_copies;
	uint64_t in_responses_unsolicited;	/* reply-type packets nobody asked for */
	uint64_t in_probes;			/* unsolicited, not replies, not served */
	uint64_t probe_fragments;		/* of those, later fragments of a probe (nmap -f) */
	uint64_t reports_in;			/* of those, reports to a local one-way collector */
	uint16_t reports_port;			/* its port, the last */
	uint16_t probed_protocols;		/* distinct IP protocols among its probes */
	uint64_t syn_in, synack_out, rst_out, unreach_out, unreach_in;
	uint64_t stealth_in;			/* TCP NULL/FIN/XMAS probes */
	uint64_t tcp_split_in;			/* of those, TCP headers split over tiny IP fragments */
	uint32_t open_ports;			/* local address:port pairs that sent a SYN-ACK */
	struct ns_addr provoked_by;		/* inside host whose requests caused it (two interfaces) */
	bool has_provoked_by;
	/* Ports. */
	struct ana_port_spread local_ports, remote_ports, probed_ports;
	uint32_t local_addrs, probed_addrs;	/* distinct local addresses */
	uint16_t probed_top_port;		/* the port most probed across addresses */
	uint32_t probed_top_packets;		/* its probes */
	uint32_t new_ports_last_min, new_ports_peak_min;
	struct ana_port_count top_local[ANA_TOP_PORTS], top_remote[ANA_TOP_PORTS];
	int n_top_local, n_top_remote;
	struct ana_rates rates;
	struct ana_burst_stats bursts;
	struct ana_ntp_info ntp;
	/*
	 * UDP to and from a local reflection vector's port other than NTP
	 * (analysis/reflect.c: DNS, SNMP, memcached, SSDP, ...): its
	 * requests to our service and our answers, and how many of those
	 * answers it refused with an ICMP unreachable.
	 */
	struct ana_vector_info {
		uint16_t port;			/* the local port most answered from */
		uint64_t requests_in, request_bytes_in;
		uint64_t answers_out, answer_bytes_out;
		uint64_t refusals;		/* of those answers, refused by ICMP unreachable */
		uint64_t refused_after;		/* answers it had been sent at its first refusal */
	} vector;
	/* The firewall rules that logged its packets (or exporters that saw them), most first. */
	struct ana_fw_rule fw_rules[ANA_FW_RULES];
	int n_fw_rules;
	uint64_t fw_rules_other;		/* packets of further rules */
	int n_exchanges;
	struct ana_exchange exchanges[ANA_TIMELINE];	/* most recent, oldest first */
	/* Verdict. */
	enum ana_verdict verdict;
	double confidence;
	int n_evidence;
	char evidence[ANA_MAX_EVIDENCE][ANA_EVIDENCE_LEN];
	bool call;
	char advice[400];
	char watch_cmd[160];	/* from a log: the command that watches it live */
	/* Internal: verdict and confidence only, no evidence text (ana_update). */
	bool verdict_only;
};

/* How many of a host's fw_rules are vantage points (or, false, rules). */
static inline int
ana_fw_rules_count(const struct ana_host_info *h, bool vantage)
{
	int n = 0;

	for (int i = 0; i < h->n_fw_rules; i++)
		n += h->fw_rules[i].vantage == vantage;
	return n;
}

struct ana_incident {
	enum ana_verdict kind;
	struct ns_addr local;
	uint8_t proto;
	uint16_t port;
	bool any_port;		/* aimed at many ports of the address */
	uint64_t remote_hosts;
	uint64_t packets, bytes;
	double peak_pps;
	double first, last;
	double confidence;
	int n_evidence;
	char evidence[4][ANA_EVIDENCE_LEN];
	int n_sample;			/* some of the remote addresses, busiest first */
	struct ns_addr sample[ANA_INCIDENT_SAMPLE];
};

/* One line of the host list. */
struct ana_host_row {
	struct ns_addr addr;
	uint64_t packets_in, packets_out, bytes_in, bytes_out;
	double pps_in, pps_out;		/* over the last 10 s */
	uint32_t local_ports;
	double first, last;
	enum ana_verdict verdict;
	double confidence;
	bool call;
};

unsigned ana_nhosts(const struct ana *);
/* Fill out[] with up to max rows, in table order (callers sort). */
unsigned ana_hosts(struct ana *, struct ana_host_row *out, unsigned max);
/* Full snapshot of one host; false if not held. */
bool ana_host(struct ana *, const struct ns_addr *, struct ana_host_info *);
/*
 * The same without keeping the verdict in the host: it writes nothing of
 * the analysis, so report writers may call it from several threads at
 * once while no packet is fed (after ana_update, the verdicts agree).
 */
bool ana_host_view(const struct ana *, const struct ns_addr *, struct ana_host_info *);
unsigned ana_incidents(struct ana *, struct ana_incident *, unsigned max);

/*
 * The most recent frames of a host, oldest first: the last 32 of any host
 * (for the first 2048 hosts), the last 4096 of a watched one.
 */
typedef void (*ana_frame_fn)(void *, int dlt, double ts, const uint8_t *, uint32_t caplen,
    uint32_t wirelen);
unsigned ana_evidence(struct ana *, const struct ns_addr *, ana_frame_fn, void *);

#endif
