/*
 * The events (--events FILE|-): one JSON line (ntpsleuth-events/1,
 * doc/events.md) when a host's verdict changes, when its call-the-admin
 * flag flips, and when an incident opens or closes, for the pipelines
 * that take JSON lines (a syslog relay, Filebeat, Kafka's tools).
 *
 * The session owns it and says when to look (session.c: at each whole
 * second of the capture clock, and once at the end); this module keeps
 * what was last said of each host and incident, and writes a line per
 * change, flushed at once.
 *
 *   events_open    the file (appended to) or "-" for standard output
 *   events_eval    compare the analysis with what was said; write lines
 *   events_error   a write error, or NULL; events_gone, the pipe's reader left
 *   events_close
 */
#ifndef NS_EVENTS_H
#define NS_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/ana.h"

#define EVENTS_FORMAT "ntpsleuth-events/1"
/*
 * An incident none of whose packets came for this long is closed, s. Flow
 * records come when the exporter's active timeout ends a long flow's
 * record, often a minute or more after its packets: a longer wait there,
 * so that an incident going on does not close and open at each export.
 */
#define EVENTS_INCIDENT_QUIET 60.0
#define EVENTS_INCIDENT_QUIET_FLOWS 300.0
/* A call flag, once raised, drops when the confidence is this far below the threshold. */
#define EVENTS_CALL_HYSTERESIS 0.05

struct events;

/* quiet: EVENTS_INCIDENT_QUIET or _FLOWS. NULL and err when path cannot be opened. */
struct events *events_open(const char *path, double quiet, char *err, size_t errlen);
/*
 * Bring the verdicts up to date and write what changed since the last
 * call, as of capture time now. final: the input ended; every open
 * incident closes ("reason": "end").
 */
void events_eval(struct events *, struct ana *, double now, bool final);
const char *events_error(const struct events *);
/* The file is a pipe whose reader went away (EPIPE): nothing more is written. */
bool events_gone(const struct events *);
void events_close(struct events *);

#endif
