/*
 * Capture sources: live interfaces or one capture file, each read by its
 * own thread into its own ring. The capture threads only copy packets
 * (or, for a classic pcap file, read it by blocks and hand over pointers);
 * the main thread takes them with cap_next().
 */
#ifndef NS_CAP_H
#define NS_CAP_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/flow.h"
#include "capture/fwlog.h"
#include "capture/ring.h"
#include "common/addr.h"

#define CAP_MAX_SOURCES 8

struct cap_config {
	const char *ifaces[CAP_MAX_SOURCES];
	int n_ifaces;
	const char *file;	/* "-" is standard input */
	const char *filter;	/* BPF expression or NULL */
	unsigned ring_order;	/* 2^order bytes of ring per source; 0 = default */
	bool no_promisc;
	/*
	 * Firewall logs instead (--fwlog), read by capture/fwlog.c into
	 * frames of DLT_FWLOG (capture/fwframe.h); "-" is standard input.
	 * follow: go on reading them as they grow, across rotation.
	 */
	const char *logs[CAP_MAX_SOURCES];
	int n_logs;
	int log_format;		/* fwlog_ctx.format: an index, or -1 */
	int log_tz;		/* fwlog_ctx.utc_offset_s */
	int log_year;		/* fwlog_ctx.year */
	bool follow;
	/*
	 * Flow records instead (--flow udp:[ADDR]:PORT, --flow-file FILE),
	 * all read by one thread of capture/flowsrc.c into one source, so
	 * that one decoder holds every exporter's templates and a flow
	 * exported twice is seen as one.
	 */
	const char *flows[CAP_MAX_SOURCES];
	int n_flows;
	const char *flow_files[CAP_MAX_SOURCES];
	int n_flow_files;
};

struct cap_source_stats {
	const char *name;
	int dlt;
	uint64_t frames;	/* handed to the ring */
	uint64_t ring_drops;	/* ring was full (live only) */
	uint64_t kernel_drops;	/* pcap_stats ps_drop */
	uint64_t if_drops;	/* pcap_stats ps_ifdrop */
	uint64_t bad_ts;	/* timestamp fractions out of range, clamped */
	uint32_t first_bad_ts;	/* frame number of the first one */
	uint64_t truncated;	/* frames larger than a ring slot, cut */
	uint64_t ring_used, ring_size;	/* bytes */
	bool done;
};

struct cap;

/* Open every handle (needs privileges for live capture); no thread yet. */
struct cap *cap_open(const struct cap_config *, char *err, size_t errlen);
int cap_start(struct cap *);
int cap_nsources(const struct cap *);
/* Sources that do not end by themselves: interfaces, followed logs. */
bool cap_is_live(const struct cap *);
/* Firewall logs (cap_config.logs), followed or not. */
bool cap_is_log(const struct cap *);
/* Flow records (cap_config.flows, flow_files). */
bool cap_is_flow(const struct cap *);
int cap_dlt(const struct cap *, int source);
const char *cap_source_name(const struct cap *, int source);

/* The oldest packet of any source, or NULL; release it after use. */
struct cap_slot *cap_next(struct cap *, int *source);
void cap_release(struct cap *, int source);
/* Wait up to timeout_ms for a packet; false when every source is finished and drained. */
bool cap_wait(struct cap *, int timeout_ms);
/* Readable when cap_wait would return at once; for poll() in the console. */
int cap_fd(struct cap *);
void cap_drain_fd(struct cap *);
bool cap_finished(struct cap *);

void cap_stats(struct cap *, int source, struct cap_source_stats *);
/* The read error of a file source, or NULL ("cannot read x.pcap: ..."). */
const char *cap_error(struct cap *);
/*
 * A log source's line counts (main thread only): a copy taken now, valid
 * until the next call for that source; while its thread still reads, the
 * counts of the lines read so far. NULL for a source that is no log.
 */
const struct fwlog_stats *cap_log_stats(struct cap *, int source);
/* A flow source's counts, as cap_log_stats; NULL for another source. */
const struct flow_stats *cap_flow_stats(struct cap *, int source);
/*
 * A warning of a log source's thread ("cannot open x again after its
 * rotation: ..."), once: NULL when there is none newer than *seen.
 */
const char *cap_warning(struct cap *, unsigned *seen);
/* Local addresses of the capturing interfaces, as host routes. */
int cap_local_addrs(const struct cap *, struct ns_cidr *out, int max);
/* Stop the threads (pcap_breakloop, join) and close everything. */
void cap_close(struct cap *);

#endif
