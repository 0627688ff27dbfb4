/*
 * The session: the one owner of the pipeline. It holds the capture (live
 * interfaces, a capture file or firewall logs: capture/cap.h), the
 * analysis (analysis/ana.h) and the lookups (lookups/lookup.h), moves
 * packets from the one to the other, and hands the report writers and
 * the console what they show. main.c and the console drive it; nothing
 * else opens a capture or feeds the analysis.
 *
 *   session_open     open the capture, the analysis and the lookups
 *                    (with the privileges the capture needs)
 *   session_start    after the privileges are dropped: the threads
 *   session_pump     analyse waiting packets, within a budget
 *   session_finish   flush, query the lookups of every host, wait
 *   session_meta     what the report says of the session
 *   session_report   the summary; session_export, the evidence
 *   session_close
 *
 * With cfg.events, the session also writes the events (report/events.h)
 * as it pumps: it looks at each whole second of the capture clock (a file
 * gives the same lines each time), at each second of the wall clock when
 * a live source is idle, and once at the end (session_finish, or
 * session_close when the console quits).
 */
#ifndef NS_SESSION_H
#define NS_SESSION_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/ana.h"
#include "report/export.h"
#include "report/report.h"
#include "capture/cap.h"
#include "lookups/lookup.h"

struct session_config {
	struct cap_config cap;
	struct ana_config ana;
	struct lk_config lk;
	const char *filter;	/* the BPF expression, for the report */
	double lookup_timeout;	/* s session_finish waits for lookups */
	double started;		/* wall clock */
	/* a capture file that --evidence reads again: opened while we may */
	bool reread;
	/* --events: a file to append JSON lines to, "-" for stdout, or NULL */
	const char *events;
};

struct session;

/* NULL and a message in err when the capture cannot be opened. */
struct session *session_open(const struct session_config *, char *err, size_t errlen);
/* The lookup workers and the capture threads; -1 and err on failure. */
int session_start(struct session *, char *err, size_t errlen);
void session_close(struct session *);

bool session_live(const struct session *);	/* sources that do not end */
bool session_is_log(const struct session *);	/* firewall logs */
bool session_is_flow(const struct session *);	/* flow records (--flow, --flow-file) */
/* The flow source's counters, or NULL when the session reads no flows. */
const struct flow_stats *session_flow_stats(struct session *);
/* What the console's status bar says of flows: false when none are read. */
struct session_flow_brief {
	unsigned exporters;		/* vantage points heard (domains held) */
	uint64_t records, lost;		/* records decoded; lost in sequence gaps */
	uint64_t no_template_sets;	/* data sets that waited for a template */
};
bool session_flow_brief(struct session *, struct session_flow_brief *);
struct ana *session_ana(struct session *);
/* NULL when every lookup is off. */
struct lk *session_lookups(struct session *);

/*
 * Analyse waiting packets: at most max, none stamped after until_ts
 * (0 = no limit: the console paces a file replay with it) and, when
 * budget_s > 0, for about that long at most. Returns how many.
 */
unsigned session_pump(struct session *, unsigned max, double until_ts, double budget_s);
/* The stamp of the next waiting packet, without taking it. */
bool session_next_ts(struct session *, double *ts);
/* Wait up to timeout_ms for a packet; false when everything is read. */
bool session_wait(struct session *, int timeout_ms);
bool session_finished(struct session *);
/* Readable when session_wait would return at once (for poll()). */
int session_fd(struct session *);
void session_drain_fd(struct session *);
/* A capture warning not yet shown (*seen keeps count), or NULL. */
const char *session_warning(struct session *, unsigned *seen);
/* A file source's read error, or NULL. */
const char *session_error(struct session *);

int session_nsources(struct session *);
const char *session_source_name(struct session *, int source);
void session_source_stats(struct session *, int source, struct cap_source_stats *);

/*
 * The end of the input: flush the analysis, ask the lookups of every
 * host and wait for them (up to lookup_timeout). The batch report and
 * the console's fallback without a terminal both end through it.
 */
void session_finish(struct session *);
/* What the report says of the session; valid while the session lives. */
void session_meta(struct session *, struct report_meta *);
/* The summary of the session so far; the verdicts are brought up to date. */
void session_report(struct session *, FILE *, enum report_fmt);
/*
 * Flush and write what x asks (the summary, the evidence pcapng); the
 * evidence reads the capture file again when the session could open it.
 * -1 and msg on failure, else 0 and msg says what was written.
 */
int session_export(struct session *, const struct export_opts *x, char *msg, size_t len);
/*
 * The events' last look (session_finish does it; the console's quit does
 * not), once; then their write error, or NULL (also without events).
 */
void session_events_end(struct session *);
const char *session_events_error(struct session *);
/* The events go to a pipe whose reader went away. */
bool session_events_gone(struct session *);

#endif
