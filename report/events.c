/*
 * The events: JSON lines of verdict changes and incidents (events.h,
 * doc/events.md).
 *
 * What was said of a host is kept in an address map: its verdict, its
 * call flag and whether a line was written for it. A line is written
 * when the verdict differs from the one last said (not when only the
 * confidence moves), or when the call flag flips; the flag, once up,
 * drops only when the verdict changes or the confidence falls
 * EVENTS_CALL_HYSTERESIS below call_confidence, so that a confidence
 * wobbling about the threshold writes no line each second.
 *
 * Incidents have no identity in the analysis (ana_incidents recomputes
 * them from the target table): here one is its kind and local target
 * (address, protocol, port), given a number when it opens.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report/events.h"
#include "report/report.h"
#include "common/amap.h"
#include "common/json.h"
#include "common/util.h"

/* Incidents the analysis lists at most (as the report), and tracked here. */
#define EV_MAX_INCIDENTS 256
/* Evidence strings a line carries: the first of the report's. */
#define EV_EVIDENCE 4

/* What was said of a host, in an address map's value. */
#define EV_VERDICT(v) ((enum ana_verdict)((v) & 0xff))
#define EV_CALL 0x100u

enum ev_type { EV_VERDICT_LINE, EV_OPEN, EV_CLOSE };

struct ev_incident {
	uint64_t id;
	bool open;
	struct ana_incident x;	/* as last listed */
};

/* A line to write, once the lines of one evaluation are in time order. */
struct ev_line {
	double t;
	enum ev_type type;
	const char *reason;
	unsigned idx;		/* row, or tracked incident */
	enum ana_verdict old;
	uint64_t seq;
};

struct events {
	FILE *f;
	bool own;		/* fclose it */
	struct ns_amap said;
	struct ana_host_row *rows;
	unsigned cap_rows;
	struct ana_incident *inc;
	struct ev_incident *tr;	/* tracked incidents, opened ones and recently closed */
	unsigned n_tr;
	uint64_t next_id;
	double quiet;		/* s without a packet that close an incident */
	struct ev_line *lines;
	unsigned n_lines, cap_lines;
	struct ana_host_info *info;
	char error[200];
	bool gone;		/* the reader of a pipe went away */
};

struct events *
events_open(const char *path, double quiet, char *err, size_t errlen)
{
	struct events *e;
	FILE *f;
	int fd;

	if (strcmp(path, "-") == 0) {
		f = stdout;
	} else {
		/* Appended to: a pipeline reading it (tail -F, Filebeat) keeps its place. */
		if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640)) < 0) {
			snprintf(err, errlen, "--events %s: cannot open it for appending: %s", path,
			    strerror(errno));
			return NULL;
		}
		if ((f = fdopen(fd, "a")) == NULL) {
			snprintf(err, errlen, "--events %s: %s", path, strerror(errno));
			close(fd);
			return NULL;
		}
	}
	e = xcalloc(1, sizeof(*e));
	e->f = f;
	e->own = f != stdout;
	ns_amap_init(&e->said);
	e->inc = xcalloc(EV_MAX_INCIDENTS, sizeof(*e->inc));
	e->tr = xcalloc(EV_MAX_INCIDENTS, sizeof(*e->tr));
	e->info = xmalloc(sizeof(*e->info));
	e->next_id = 1;
	e->quiet = quiet;
	return e;
}

void
events_close(struct events *e)
{
	if (e == NULL)
		return;
	if (e->own)
		fclose(e->f);
	else
		fflush(e->f);
	ns_amap_free(&e->said);
	free(e->rows);
	free(e->inc);
	free(e->tr);
	free(e->lines);
	free(e->info);
	free(e);
}

bool
events_gone(const struct events *e)
{
	return e->gone;
}

const char *
events_error(const struct events *e)
{
	return e->error[0] != '\0' ? e->error : NULL;
}

/* RFC 3339, UTC, milliseconds: "2024-11-24T00:00:01.250Z". */
static void
json_time(struct json_w *w, const char *key, double t)
{
	long long ms = llround(t * 1000);
	time_t s = (time_t)(ms / 1000);
	struct tm tm;
	char buf[80];

	if (t <= 0 || gmtime_r(&s, &tm) == NULL) {
		json_null(w, key);
		return;
	}
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
	json_str(w, key, buf);
}

static void
line_head(struct json_w *w, const char *type, const char *reason, bool final, double t)
{
	json_obj_open(w, NULL);
	json_str(w, "schema", EVENTS_FORMAT);
	json_str(w, "event", type);
	json_str(w, "reason", reason);
	json_bool(w, "final", final);
	json_time(w, "time", t);
	json_time(w, "wall", ns_now_wall());
}

static void
line_end(struct events *e, struct json_w *w)
{
	json_obj_close(w);
	json_end(w);	/* the newline, and the FILE flushed: each line is seen at once */
	if (!ferror(e->f) || e->gone || e->error[0] != '\0')
		return;
	/* A pipe whose reader left (head, a stopped pipeline) is an end, not an error. */
	if (errno == EPIPE)
		e->gone = true;
	else
		snprintf(e->error, sizeof(e->error), "--events: a line could not be written: %s",
		    strerror(errno));
}

static const char *
severity_name(enum ana_verdict v)
{
	static const char *const names[] = { "benign", "notable", "attack" };

	return names[ana_verdict_severity(v)];
}

static void
write_verdict(struct events *e, struct ana *a, const struct ev_line *l, bool final)
{
	const struct ana_host_row *r = &e->rows[l->idx];
	struct ana_host_info *h = e->info;
	struct json_w w;
	char buf[64];
	uintptr_t v;
	bool call;

	if (!ana_host(a, &r->addr, h))
		return;
	call = ns_amap_get(&e->said, &r->addr, &v) && (v & EV_CALL) != 0;
	json_init(&w, e->f, false);
	line_head(&w, "verdict", l->reason, final, l->t);
	json_str(&w, "host", ns_addr_fmt(&r->addr, buf, sizeof(buf)));
	json_str(&w, "old_verdict", ana_verdict_name(l->old));
	json_str(&w, "verdict", ana_verdict_name(r->verdict));
	json_str(&w, "severity", severity_name(r->verdict));
	json_dbl(&w, "confidence", h->confidence, 2);
	json_bool(&w, "call", call);
	json_arr_open(&w, "evidence");
	for (int i = 0; i < h->n_evidence && i < EV_EVIDENCE; i++)
		json_str(&w, NULL, h->evidence[i]);
	json_arr_close(&w);
	json_time(&w, "first_seen", h->first);
	json_time(&w, "last_seen", h->last);
	json_u64(&w, "packets_in", h->packets_in);
	json_u64(&w, "packets_out", h->packets_out);
	json_u64(&w, "bytes_in", h->bytes_in);
	json_u64(&w, "bytes_out", h->bytes_out);
	json_obj_open(&w, "ports");
	json_u64(&w, "local", h->local_ports.distinct);
	json_u64(&w, "remote", h->remote_ports.distinct);
	json_u64(&w, "probed", h->probed_ports.distinct);
	json_u64(&w, "local_addresses", h->local_addrs);
	json_u64(&w, "probed_addresses", h->probed_addrs);
	report_json_top(&w, "top_local", h->top_local, NS_MIN(h->n_top_local, 3));
	json_obj_close(&w);
	report_json_fw_rules(&w, h);
	line_end(e, &w);
}

static void
write_incident(struct events *e, const struct ev_line *l, bool final)
{
	const struct ev_incident *t = &e->tr[l->idx];
	struct json_w w;

	json_init(&w, e->f, false);
	line_head(&w, l->type == EV_OPEN ? "incident_open" : "incident_close", l->reason, final,
	    l->t);
	json_u64(&w, "id", t->id);
	report_json_incident(&w, &t->x);
	json_time(&w, "first", t->x.first);
	json_time(&w, "last", t->x.last);
	if (l->type == EV_CLOSE)
		json_dbl(&w, "duration_s", NS_MAX(0.0, t->x.last - t->x.first), 3);
	line_end(e, &w);
}

static void
add_line(struct events *e, double t, enum ev_type type, const char *reason, unsigned idx,
    enum ana_verdict old)
{
	if (e->n_lines == e->cap_lines) {
		e->cap_lines = e->cap_lines ? e->cap_lines * 2 : 64;
		e->lines = xreallocarray(e->lines, e->cap_lines, sizeof(*e->lines));
	}
	e->lines[e->n_lines] = (struct ev_line){ .t = t, .type = type, .reason = reason,
	    .idx = idx, .old = old, .seq = e->n_lines };
	e->n_lines++;
}

/* Time order; at one time verdicts, then openings, then closings, each as added. */
static int
cmp_line(const void *p, const void *q)
{
	const struct ev_line *x = p, *y = q;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
cmp_row_addr(const void *p, const void *q)
{
	const struct ana_host_row *x = p, *y = q;

	return ns_addr_cmp(&x->addr, &y->addr);
}

/*
 * Forget the hosts the analysis no longer holds once they are many: a
 * host evicted and seen again starts afresh ("reason": "first").
 */
static void
prune_said(struct events *e, unsigned n)
{
	struct ns_amap keep;
	uintptr_t v;

	if (e->said.n <= 2 * n + 1024)
		return;
	ns_amap_init(&keep);
	for (unsigned i = 0; i < n; i++)
		if (ns_amap_get(&e->said, &e->rows[i].addr, &v))
			ns_amap_put(&keep, &e->rows[i].addr, v);
	ns_amap_free(&e->said);
	e->said = keep;
}

static void
eval_hosts(struct events *e, struct ana *a, bool final)
{
	double call_conf = ana_config(a)->th.call_confidence;
	unsigned n = ana_nhosts(a);

	if (n > e->cap_rows) {
		e->cap_rows = n + n / 2 + 64;
		free(e->rows);
		e->rows = xcalloc(e->cap_rows, sizeof(*e->rows));
	}
	n = ana_hosts(a, e->rows, n);
	/* The table's order is its hash's: lines of one time go by address. */
	if (n > 1)
		qsort(e->rows, n, sizeof(*e->rows), cmp_row_addr);
	for (unsigned i = 0; i < n; i++) {
		const struct ana_host_row *r = &e->rows[i];
		uintptr_t v = V_UNDETERMINED;
		bool known = ns_amap_get(&e->said, &r->addr, &v);
		enum ana_verdict old = EV_VERDICT(v);
		bool was_call = (v & EV_CALL) != 0;
		/* At the end, the flag the report gives: no band. */
		bool call = r->call || (!final && was_call && r->verdict == old &&
		    r->confidence >= call_conf - EVENTS_CALL_HYSTERESIS);

		if (!known && r->verdict == V_UNDETERMINED)
			continue;
		if (known && r->verdict == old && call == was_call)
			continue;
		ns_amap_put(&e->said, &r->addr, (uintptr_t)r->verdict | (call ? EV_CALL : 0));
		add_line(e, r->last, EV_VERDICT_LINE,
		    r->verdict != old ? (known ? "changed" : "first") : "call", i, old);
	}
	prune_said(e, n);
}

static bool
same_incident(const struct ana_incident *x, const struct ana_incident *y)
{
	return x->kind == y->kind && x->proto == y->proto && x->any_port == y->any_port &&
	    x->port == y->port && ns_addr_eq(&x->local, &y->local);
}

/*
 * A slot for a new incident: a free one, else the closed one opened
 * longest ago, but none a line of this evaluation is about.
 */
static unsigned
incident_slot(struct events *e, const bool *seen)
{
	unsigned best = EV_MAX_INCIDENTS;

	if (e->n_tr < EV_MAX_INCIDENTS)
		return e->n_tr++;
	for (unsigned k = 0; k < e->n_tr; k++)
		if (!e->tr[k].open && !seen[k] &&
		    (best == EV_MAX_INCIDENTS || e->tr[k].id < e->tr[best].id))
			best = k;
	return best;
}

static void
eval_incidents(struct events *e, struct ana *a, double now, bool final)
{
	unsigned ni = ana_incidents(a, e->inc, EV_MAX_INCIDENTS);
	bool seen[EV_MAX_INCIDENTS] = { false };

	for (unsigned i = 0; i < ni; i++) {
		const struct ana_incident *x = &e->inc[i];
		bool quiet = now - x->last > e->quiet;
		unsigned k, latest = EV_MAX_INCIDENTS;

		for (k = 0; k < e->n_tr; k++)
			if (same_incident(&e->tr[k].x, x) &&
			    (latest == EV_MAX_INCIDENTS || e->tr[k].id > e->tr[latest].id))
				latest = k;
		if (latest < EV_MAX_INCIDENTS && e->tr[latest].open) {
			struct ev_incident *t = &e->tr[latest];

			t->x = *x;
			seen[latest] = true;
			if (final || quiet) {
				t->open = false;
				add_line(e, final ? now : x->last + e->quiet, EV_CLOSE,
				    final ? "end" : "quiet", latest, V_UNDETERMINED);
			}
			continue;
		}
		/* Closed before: open again only when packets came after it. */
		if (latest < EV_MAX_INCIDENTS && x->last <= e->tr[latest].x.last)
			continue;
		if (quiet && !final)
			continue;
		if ((k = incident_slot(e, seen)) == EV_MAX_INCIDENTS)
			continue;
		seen[k] = true;
		e->tr[k] = (struct ev_incident){ .id = e->next_id++, .open = !final,
		    .x = *x };
		add_line(e, x->last, EV_OPEN, "threshold", k, V_UNDETERMINED);
		/* At the end, one that opened at the last look closes at once. */
		if (final)
			add_line(e, now, EV_CLOSE, "end", k, V_UNDETERMINED);
	}
	/* No longer listed: another kind now, or its target evicted. */
	for (unsigned k = 0; k < e->n_tr; k++)
		if (e->tr[k].open && !seen[k]) {
			e->tr[k].open = false;
			add_line(e, now, EV_CLOSE, "gone", k, V_UNDETERMINED);
		}
}

void
events_eval(struct events *e, struct ana *a, double now, bool final)
{
	/* At the end, every verdict as the report has it; before, those with packets since. */
	if (final)
		ana_update(a);
	else
		ana_update_changed(a);
	e->n_lines = 0;
	eval_hosts(e, a, final);
	eval_incidents(e, a, now, final);
	if (e->n_lines > 1)
		qsort(e->lines, e->n_lines, sizeof(*e->lines), cmp_line);
	/* After a write error (a reader gone, a full disk) nothing more is written. */
	for (unsigned i = 0; i < e->n_lines && e->error[0] == '\0' && !e->gone; i++) {
		if (e->lines[i].type == EV_VERDICT_LINE)
			write_verdict(e, a, &e->lines[i], final);
		else
			write_incident(e, &e->lines[i], final);
	}
}
