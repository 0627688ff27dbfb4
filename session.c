/*
 * The session: capture, analysis and lookups, and the one pump between
 * them (session.h).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "report/events.h"
#include "session.h"

struct session {
	struct session_config cfg;
	struct cap *cap;
	struct ana *ana;
	struct lk *lk;
	FILE *reread;		/* the capture file, for --evidence */
	/* --events: the next whole second of the capture clock to look at */
	struct events *ev;
	double ev_next;
	double last_ts;		/* of the last packet analysed */
	double last_wall;	/* the wall clock when the last pump analysed one */
	double ev_wall;		/* the wall clock of the last idle look */
	bool ev_final;		/* the last look, at the end, is done */
};

struct session *
session_open(const struct session_config *cfg, char *err, size_t errlen)
{
	struct session *s = xcalloc(1, sizeof(*s));

	s->cfg = *cfg;
	if ((s->cap = cap_open(&s->cfg.cap, err, errlen)) == NULL) {
		free(s);
		return NULL;
	}
	/* Before privileges are dropped (main.c): a file only root may write. */
	if (cfg->events != NULL && (s->ev = events_open(cfg->events, cap_is_flow(s->cap) ?
	    EVENTS_INCIDENT_QUIET_FLOWS : EVENTS_INCIDENT_QUIET, err, errlen)) == NULL) {
		cap_close(s->cap);
		free(s);
		return NULL;
	}
	/* A live capture's own addresses are the local side, unless told. */
	if (cap_is_live(s->cap) && s->cfg.ana.local_mode == ANA_LOCAL_INFER) {
		s->cfg.ana.n_local = cap_local_addrs(s->cap, s->cfg.ana.local, ANA_MAX_LOCAL);
		if (s->cfg.ana.n_local > 0)
			s->cfg.ana.local_mode = ANA_LOCAL_IFACES;
	}
	/*
	 * Firewall logs: each logged line becomes packets without payload,
	 * and the same analysis applies; the verdicts say what a log cannot
	 * show.
	 */
	s->cfg.ana.from_log = cap_is_log(s->cap);
	s->cfg.ana.from_flow = cap_is_flow(s->cap);
	s->ana = ana_new(&s->cfg.ana);
	if (!s->cfg.lk.disable_all)
		s->lk = lk_start(&s->cfg.lk);
	if (s->cfg.reread && s->cfg.cap.file != NULL && strcmp(s->cfg.cap.file, "-") != 0)
		s->reread = fopen(s->cfg.cap.file, "rb");
	return s;
}

int
session_start(struct session *s, char *err, size_t errlen)
{
	if (s->lk != NULL && lk_run(s->lk) != 0) {
		lk_stop(s->lk);
		s->lk = NULL;
	}
	if (cap_start(s->cap) != 0) {
		snprintf(err, errlen, "cannot start the capture threads");
		return -1;
	}
	return 0;
}

void
session_events_end(struct session *s)
{
	struct ana_totals t;

	if (s->ev == NULL || s->ev_final)
		return;
	ana_flush(s->ana);
	ana_totals(s->ana, &t);
	events_eval(s->ev, s->ana, t.last_ts, true);
	s->ev_final = true;
}

void
session_close(struct session *s)
{
	if (s == NULL)
		return;
	session_events_end(s);
	events_close(s->ev);
	cap_close(s->cap);
	if (s->lk != NULL)
		lk_stop(s->lk);
	ana_free(s->ana);
	if (s->reread != NULL)
		fclose(s->reread);
	free(s);
}

bool
session_live(const struct session *s)
{
	return cap_is_live(s->cap);
}

bool
session_is_log(const struct session *s)
{
	return cap_is_log(s->cap);
}

bool
session_is_flow(const struct session *s)
{
	return cap_is_flow(s->cap);
}

const struct flow_stats *
session_flow_stats(struct session *s)
{
	return cap_is_flow(s->cap) ? cap_flow_stats(s->cap, 0) : NULL;
}

bool
session_flow_brief(struct session *s, struct session_flow_brief *b)
{
	const struct flow_stats *st = session_flow_stats(s);

	memset(b, 0, sizeof(*b));
	if (st == NULL)
		return false;
	b->exporters = st->domains_live;
	b->records = st->records;
	b->no_template_sets = st->no_template_sets;
	for (int i = 0; i < st->n_exp; i++)
		b->lost += st->exp[i].seq_lost;
	return true;
}

struct ana *
session_ana(struct session *s)
{
	return s->ana;
}

struct lk *
session_lookups(struct session *s)
{
	return s->lk;
}

/*
 * Before a packet of a later second than those analysed: look at the
 * hosts and incidents as of the end of the second those were in. The
 * capture clock, not the pump's batches, decides, so that a file gives
 * the same lines however it is pumped.
 */
static void
events_tick(struct session *s, double ts)
{
	/*
	 * At the end of the last packets' second, and again at the new one's
	 * start after a silence, when incidents quiet since have closed.
	 */
	if (s->ev_next > 0) {
		events_eval(s->ev, s->ana, s->ev_next, false);
		if (floor(ts) > s->ev_next)
			events_eval(s->ev, s->ana, floor(ts), false);
	}
	s->ev_next = floor(ts) + 1;
}

/*
 * A live source that sends nothing: its capture clock stands still, and
 * an incident would stay open. Let it run on with the wall clock from the
 * last packet, once a wall second.
 */
static void
events_idle(struct session *s)
{
	double wall = ns_now_wall(), est;

	if (s->ev_next <= 0 || wall - s->ev_wall < 1)
		return;
	s->ev_wall = wall;
	est = s->last_ts + (wall - s->last_wall);
	if (est >= s->ev_next)
		events_tick(s, est);
}

unsigned
session_pump(struct session *s, unsigned max, double until_ts, double budget_s)
{
	double start = budget_s > 0 ? ns_now_mono() : 0;
	struct cap_slot *sl;
	struct pkt p;
	unsigned n = 0;
	int src;

	while (n < max && (sl = cap_next(s->cap, &src)) != NULL) {
		if (until_ts > 0 && sl->ts > until_ts)
			break;
		if (s->ev != NULL && sl->ts >= s->ev_next)
			events_tick(s, sl->ts);
		cap_decode_frame(&p, src, sl->dlt, sl->ts, sl->frameno, sl->pkt, sl->caplen,
		    sl->wirelen);
		ana_packet(s->ana, &p);
		s->last_ts = NS_MAX(s->last_ts, sl->ts);
		cap_release(s->cap, src);
		n++;
		if (budget_s > 0 && (n & 63) == 0 && ns_now_mono() - start > budget_s)
			break;
	}
	if (s->ev != NULL && cap_is_live(s->cap)) {
		if (n > 0)
			s->last_wall = ns_now_wall();
		else
			events_idle(s);
	}
	return n;
}

bool
session_next_ts(struct session *s, double *ts)
{
	struct cap_slot *sl;
	int src;

	if ((sl = cap_next(s->cap, &src)) == NULL)
		return false;
	*ts = sl->ts;
	return true;
}

bool
session_wait(struct session *s, int timeout_ms)
{
	return cap_wait(s->cap, timeout_ms);
}

bool
session_finished(struct session *s)
{
	return cap_finished(s->cap);
}

int
session_fd(struct session *s)
{
	return cap_fd(s->cap);
}

void
session_drain_fd(struct session *s)
{
	cap_drain_fd(s->cap);
}

const char *
session_warning(struct session *s, unsigned *seen)
{
	return cap_warning(s->cap, seen);
}

const char *
session_error(struct session *s)
{
	return cap_error(s->cap);
}

int
session_nsources(struct session *s)
{
	return cap_nsources(s->cap);
}

const char *
session_source_name(struct session *s, int source)
{
	return cap_source_name(s->cap, source);
}

void
session_source_stats(struct session *s, int source, struct cap_source_stats *st)
{
	cap_stats(s->cap, source, st);
}

void
session_finish(struct session *s)
{
	ana_flush(s->ana);
	session_events_end(s);
	if (s->lk != NULL) {
		unsigned n = ana_nhosts(s->ana);
		struct ana_host_row *rows = xcalloc(n ? n : 1, sizeof(*rows));

		n = ana_hosts(s->ana, rows, n);
		for (unsigned i = 0; i < n; i++)
			lk_query(s->lk, &rows[i].addr);
		free(rows);
		lk_wait(s->lk, s->cfg.lookup_timeout);
	}
}

void
session_meta(struct session *s, struct report_meta *m)
{
	struct cap *cap = s->cap;
	int i;

	memset(m, 0, sizeof(*m));
	m->mode = cap_is_live(cap) ? "live" : "file";
	m->filter = s->cfg.filter;
	m->started = s->cfg.started;
	m->n_sources = NS_MIN(cap_nsources(cap), 8);
	for (i = 0; i < m->n_sources; i++) {
		struct cap_source_stats st;

		cap_stats(cap, i, &st);
		m->sources[i].name = cap_source_name(cap, i);
		m->sources[i].linktype = cap_dlt_name(st.dlt);
		m->sources[i].frames = st.frames;
		m->sources[i].kernel_drops = st.kernel_drops;
		m->sources[i].if_drops = st.if_drops;
		m->sources[i].ring_drops = st.ring_drops;
		m->sources[i].bad_ts = st.bad_ts;
		m->sources[i].first_bad_ts = st.first_bad_ts;
		m->sources[i].truncated = st.truncated;
		if (cap_is_log(cap)) {
			/* A log's frames are its records, not the packets they make. */
			const struct fwlog_stats *ls = cap_log_stats(cap, i);

			m->sources[i].frames = ls->parsed;
			m->sources[i].log_lines = ls->lines;
			m->sources[i].log_skipped = ls->skipped;
			m->sources[i].first_skipped = ls->first_skipped;
			m->sources[i].log = ls;
		}
	}
	if (cap_is_flow(cap)) {
		/* The frames of flows are the packets made of them; say the records. */
		m->sources[0].flow = cap_flow_stats(cap, 0);
		m->sources[0].frames = m->sources[0].flow->records;
		m->sources[0].linktype = "NetFlow/IPFIX";
		m->mode = "flow records";
	}
	if (cap_is_log(cap))
		m->mode = "firewall log";
	m->read_error = cap_error(cap);
	m->lookups = s->lk;
}

void
session_report(struct session *s, FILE *out, enum report_fmt fmt)
{
	struct report_meta meta;

	session_meta(s, &meta);
	/* report_write() brings the verdicts up to date itself. */
	report_write(out, fmt, s->ana, &meta);
}

const char *
session_events_error(struct session *s)
{
	return s->ev != NULL ? events_error(s->ev) : NULL;
}

bool
session_events_gone(struct session *s)
{
	return s->ev != NULL && events_gone(s->ev);
}

int
session_export(struct session *s, const struct export_opts *x, char *msg, size_t len)
{
	struct report_meta meta;
	struct export_opts o = *x;

	if (o.reread == NULL)
		o.reread = s->reread;
	ana_flush(s->ana);
	session_meta(s, &meta);
	return ana_export(s->ana, &meta, &o, msg, len);
}
