/*
 * Flow records from routers and probes: NetFlow v5, NetFlow v9 (RFC 3954)
 * and IPFIX (RFC 7011) messages decoded into struct flow_rec, and sFlow
 * v5's sampled packet headers into records that carry them (sflow.c), with the
 * templates of each exporter and observation domain kept, bounded and
 * expired (flow.c); the records turned into the packets the analysis
 * takes (flowfeed.c); and the sources that bring them, UDP sockets,
 * IPFIX files (RFC 5655) and nfcapd files through nfdump (flowsrc.c).
 * doc/flow.md says what each field becomes and what flows cannot show.
 */
#ifndef NS_FLOW_H
#define NS_FLOW_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "capture/decode.h"
#include "common/addr.h"

/* One flow record, whatever the protocol that carried it. */
struct flow_rec {
	struct ns_addr src, dst;
	uint8_t ipver;			/* 4 or 6 */
	uint8_t proto;
	bool has_ports;
	uint16_t sport, dport;
	uint8_t tcp_flags;		/* the OR of the flow's packets' flags */
	uint8_t icmp_type, icmp_code;
	/* As exported, and scaled by the sampling interval (>= 1). */
	uint64_t pkts, octets;
	uint32_t sampling;
	double start, end;		/* seconds since the epoch */
	uint32_t in_if, out_if;		/* SNMP indexes, 0: not said */
	char via[64];			/* "exporter 192.0.2.254": the vantage point */
	uint8_t version;		/* 5, 9, 10, FLOW_VER_SFLOW; 0: nfdump */
	/*
	 * sFlow: the sampled packet's header as the agent sent it, a frame
	 * of link type hdr_dlt (hdr_len bytes, at most FLOW_SFLOW_HEADER;
	 * NULL for a flow record), the packet frame_len bytes on the wire.
	 * pkts is then the packets this one stands for (its data source's
	 * sample pool's growth since the previous sample, or the rate).
	 * The feed keeps its own copy.
	 */
	const uint8_t *hdr;
	uint16_t hdr_len;
	int hdr_dlt;
	uint32_t frame_len;
};

/* The version of sFlow v5 in struct flow_rec and the stats (Wireshark's sflow_245). */
#define FLOW_VER_SFLOW 245
/* Bytes of a sampled header kept (the sFlow MIB's default maximum header size is 128). */
#define FLOW_SFLOW_HEADER 256

/* Limits of the decoder's memory and the template lifetime. */
struct flow_limits {
	unsigned max_domains;		/* (exporter, domain) pairs; default 256 */
	unsigned max_templates;		/* all domains together; default 4096 */
	unsigned max_domain_templates;	/* one domain; default 512 */
	double template_life;		/* seconds; default 1800 (RFC 6728 templateLifeTime) */
};

#define FLOW_MAX_FIELDS 128		/* a template with more is refused */
#define FLOW_REPORT_EXPORTERS 32	/* exporters listed in the stats */

/* Counts of one exporter and domain (source id for v9, engine for v5). */
struct flow_exp_stats {
	struct ns_addr addr;
	uint16_t port;
	uint8_t version;
	uint32_t domain;
	uint64_t messages, records;	/* flow records decoded */
	uint64_t templates;		/* template records received (refreshes too) */
	uint64_t templates_redefined;	/* an id given another layout */
	uint64_t templates_expired;
	unsigned templates_live;
	uint64_t no_template_sets;	/* data sets whose template was not known */
	uint64_t no_template_bytes;
	uint64_t seq_lost;		/* records (v5, IPFIX) or messages (v9, sFlow datagrams) */
	uint64_t samples_lost;		/* sFlow: flow samples, by their data source's sequence */
	uint64_t sample_drops;		/* sFlow: packets the agent could not sample (its drops) */
	uint64_t seq_jumps;		/* sequence numbers that went back or far on */
	uint64_t bad;			/* messages or sets refused: lengths, layout */
	uint64_t options;		/* option records (sampling, ...) */
	uint32_t sampling;		/* the last interval announced, 1: none */
	double first, last;		/* when messages came (the caller's clock) */
};

struct flow_stats {
	uint64_t datagrams, bytes;
	uint64_t not_flow;		/* not NetFlow v5/v9, IPFIX nor sFlow v5 */
	uint64_t bad_length;		/* a length past the datagram or the set */
	uint64_t truncated;		/* cut short inside a header or record */
	uint64_t records;		/* flow records decoded */
	uint64_t no_addr;		/* data records without addresses (not flows) */
	/* sFlow: samples and records skipped by their lengths, headers not decoded. */
	uint64_t sflow_counters;	/* counter samples */
	uint64_t sflow_other;		/* samples and flow records of other formats */
	uint64_t sflow_not_ip;		/* headers of other protocols, or not IP (ARP, ...) */
	uint64_t no_template_sets;
	uint64_t templates_refused;	/* too many fields, or of a bad length */
	uint64_t domains_evicted, templates_evicted, templates_expired;
	unsigned domains_live, templates_live;
	size_t mem_bytes, mem_limit;	/* the template store, and its bound */
	/* Packets made, duplicates dropped, records in files (flowfeed.c, flowsrc.c). */
	uint64_t duplicates, packets_made, packets_capped, reordered_late;
	uint64_t file_records, file_errors;
	uint64_t no_time;		/* nfdump records dated 1970: not used */
	char file_error[200];		/* the first, e.g. "nfdump is not installed" */
	int n_exp;			/* entries used in exp */
	uint64_t exp_more;		/* exporters past the list */
	struct flow_exp_stats exp[FLOW_REPORT_EXPORTERS];
};

struct flow_dec;

void flow_limits_default(struct flow_limits *);
struct flow_dec *flow_dec_new(const struct flow_limits *);
void flow_dec_free(struct flow_dec *);
/*
 * One datagram (or one message of an IPFIX file) from exporter:port,
 * received at now (seconds; for a file, 0: the message's export time).
 * Calls cb for each flow record. Returns the records decoded, or -1 when
 * the message was refused (counted in the stats). over_udp: template
 * withdrawals are ignored, as RFC 7011 8.4 says, and templates expire.
 */
int flow_dec_message(struct flow_dec *, const struct ns_addr *exporter, uint16_t port,
    const uint8_t *buf, size_t len, double now, bool over_udp,
    void (*cb)(void *arg, const struct flow_rec *), void *arg);
/* The stats: counters and the exporters that sent the most records. */
const struct flow_stats *flow_dec_stats(struct flow_dec *);
/* The same, to add the counts of the feed and the files to. */
struct flow_stats *flow_dec_counters(struct flow_dec *);
/* Bytes the template store holds now. */
size_t flow_dec_mem(const struct flow_dec *);

/* ---- flowfeed.c: records to packets ---- */

struct flow_feed;

/*
 * Records are held (at most FLOW_FEED_HOLD), sorted by their start, and
 * turned into packets in time order across records when flushed: each
 * flow's packets spread over its duration, the first of a TCP flow with
 * SYN a SYN (or a SYN-ACK when the reverse flow started earlier), a
 * duplicate (the same 5-tuple and direction starting within
 * FLOW_DUP_WINDOW of one already seen, from any exporter) dropped.
 */
#define FLOW_FEED_HOLD 32768
#define FLOW_DUP_WINDOW 1.0
#define FLOW_MAX_EXPAND 4096

struct flow_feed *flow_feed_new(void (*cb)(void *arg, struct pkt *), void *arg,
    struct flow_stats *counts);
/* A record for later (a copy is kept); flushes when FLOW_FEED_HOLD are held. */
void flow_feed_free(struct flow_feed *);
void flow_feed_add(struct flow_feed *, const struct flow_rec *);
/* Everything held, as packets. */
void flow_feed_flush(struct flow_feed *);

/* ---- flowsrc.c: where records come from ---- */

#define FLOW_MAX_SPECS 8

/* "udp:PORT", "udp:ADDR:PORT", "udp:[V6ADDR]:PORT" */
int flow_spec_parse(const char *spec, struct ns_addr *addr, bool *any, uint16_t *port,
    char *err, size_t errlen);

struct flow_src;

/* Open the sockets and files now (privileges may be needed for low ports). */
struct flow_src *flow_src_open(const char *const *udp, int n_udp, const char *const *files,
    int n_files, char *err, size_t errlen);
void flow_src_free(struct flow_src *);
bool flow_src_live(const struct flow_src *);
const char *flow_src_name(const struct flow_src *);
/*
 * Read the files, then the sockets until *stop; each packet to cb.
 * progress (may be NULL) gets the stats now and then, and at the end.
 */
int flow_src_run(struct flow_src *, void (*cb)(void *arg, struct pkt *), void *arg,
    void (*progress)(void *arg, const struct flow_stats *), const _Atomic bool *stop,
    char *err, size_t errlen);

/* ---- flowstat.c: the report's words for the stats ---- */

struct json_w;

/* Per exporter: flows, templates, records without template, losses, sampling. */
void flow_stats_text(FILE *, const struct flow_stats *, bool md);
void flow_stats_json(struct json_w *, const struct flow_stats *);

#endif
