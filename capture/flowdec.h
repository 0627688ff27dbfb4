/*
 * The decoder's state, shared by flow.c (NetFlow, IPFIX) and sflow.c
 * (sFlow v5): the domains of the exporters and what one message is
 * read against. Not an API: only those two files include it.
 */
#ifndef NS_FLOWDEC_H
#define NS_FLOWDEC_H

#include "capture/flow.h"
#include "common/cursor.h"

/* Data sources (sFlow source ids) whose sample sequence is followed, an agent. */
#define SFLOW_SOURCES 8

/* One sFlow data source of an agent: its samples' sequence and time. */
struct sflow_source {
	bool used, seen;		/* seen: a sample came, next_seq is known */
	uint32_t id;			/* source_id: type << 24 | index */
	uint32_t next_seq;
	uint32_t pool;			/* its last sample's sample pool */
	double last;			/* the time given to its last sample */
};

struct tfield {
	uint16_t ie, len;
	uint32_t pen;			/* 0: IETF */
};

struct tmpl {
	struct tmpl *next;		/* in its domain's list */
	struct tmpl *older, *newer;	/* in the decoder's, by refresh time */
	struct dom *dom;
	uint16_t id, n, scope;
	bool options;
	uint32_t min_len;		/* a variable field counted as its 1-byte length */
	double refreshed;
	struct tfield f[];
};

struct dom {
	bool used;
	struct ns_addr addr;
	uint16_t port;
	uint8_t version;
	uint32_t domain;
	char via[64];
	struct tmpl *tmpl;
	unsigned ntmpl;
	bool has_seq;
	uint32_t next_seq;
	/* IPFIX: the last sequence number, its message's records, the rule found. */
	uint32_t last_seq, last_all, last_flows;
	uint8_t seq_style;
	uint64_t sys_init_ms;		/* IPFIX systemInitTimeMilliseconds, 0: not said */
	bool proven;			/* sent a decodable record: its templates are kept longer */
	uint32_t sampling;
	double last;
	/* sFlow: the time of the agent's last datagram, its data sources. */
	double sf_last;
	struct sflow_source sf[SFLOW_SOURCES];
	struct flow_exp_stats st;
};

struct flow_dec {
	struct flow_limits lim;
	struct dom *dom;
	/*
	 * Every template, the least recently refreshed first: when the
	 * store is full the oldest goes in constant time, so that a flood
	 * of templates costs each one the same, however many are held.
	 * Two lists: [1] the templates of domains that sent a decodable
	 * record, [0] the others, evicted first (a spoofed exporter sends
	 * templates and nothing they describe).
	 */
	struct tmpl *oldest[2], *newest[2];
	unsigned ndom, ntmpl;
	size_t mem;
	struct flow_stats st;
};

/* What one message's records are read against. */
struct msg {
	struct flow_dec *d;
	struct dom *dm;
	uint8_t version;
	uint64_t export_ms;		/* the header's time */
	uint32_t uptime_ms;		/* v9: the header's sys_uptime */
	double now;
	bool over_udp;
	uint32_t data_records;		/* for the IPFIX sequence */
	uint32_t flow_records;		/* the same, options records left out */
	bool unknown_set;		/* a data set without template: count unknown */
	void (*cb)(void *, const struct flow_rec *);
	void *arg;
	int decoded;
};


struct dom *flow_dom_get(struct flow_dec *, const struct ns_addr *, uint16_t port,
    uint8_t version, uint32_t domain, double now);
/* A sequence number: a gap ahead is loss (into *lost), one back a jump. */
void flow_sequence(struct dom *, uint32_t seq, uint32_t advance, uint64_t *lost);

/* sflow.c: one sFlow v5 datagram (m->now set); the samples decoded or -1. */
int flow_sflow(struct msg *, struct cur *, uint16_t port);

#endif
