/*
 * The session summary: the batch report (--report) and the console's
 * export both write it through report_write().
 */
#ifndef NS_REPORT_H
#define NS_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "analysis/ana.h"
#include "capture/flow.h"
#include "capture/fwlog.h"

enum report_fmt {
	REPORT_TEXT,
	REPORT_JSON,
	REPORT_MARKDOWN,
};

struct report_source {
	const char *name;
	const char *linktype;
	uint64_t frames, kernel_drops, if_drops, ring_drops, bad_ts, truncated;
	uint32_t first_bad_ts;
	/* A firewall log: its lines, those that were not firewall lines. */
	uint64_t log_lines, log_skipped, first_skipped;
	const struct fwlog_stats *log;	/* its formats and skipped lines, or NULL */
	const struct flow_stats *flow;	/* flow records: per exporter, or NULL */
};

struct lk;

struct report_meta {
	const char *mode;		/* "file" or "live" */
	struct report_source sources[8];
	int n_sources;
	const char *filter;
	const char *read_error;		/* a file that could not be read to its end */
	double started;			/* wall clock */
	struct lk *lookups;		/* NULL without lookups */
	int max_text_hosts;		/* hosts listed in text and Markdown; 0 = 50 */
	/* An evidence capture written with the summary. */
	const char *evidence_path;
	char evidence_sha256[65];
	uint64_t evidence_packets;
	struct ns_addr evidence_hosts[ANA_MAX_WATCH];
	int n_evidence_hosts;
};

int report_parse_format(const char *, enum report_fmt *);

/*
 * Pieces of the JSON report that the events (report/events.h) write the
 * same way: an incident's fields, inside an open object; a host's
 * firewall rules and vantage points (the flow exporters), nothing when
 * it has none; a list of ports.
 */
struct json_w;
void report_json_incident(struct json_w *, const struct ana_incident *);
void report_json_fw_rules(struct json_w *, const struct ana_host_info *);
void report_json_top(struct json_w *, const char *key, const struct ana_port_count *, int n);
void report_write(FILE *, enum report_fmt, struct ana *, const struct report_meta *);

#endif
