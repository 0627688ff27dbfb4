/*
 * The session summary in text, JSON (ntpsleuth-report/1, documented in
 * doc/report-json.md) and Markdown.
 */
#include "config.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/report.h"
#include "common/json.h"
#include "common/netfmt.h"
#include "common/util.h"
#include "lookups/lookup.h"

#define REPORT_FORMAT "ntpsleuth-report/1"

int
report_parse_format(const char *s, enum report_fmt *f)
{
	if (s == NULL || strcmp(s, "text") == 0)
		*f = REPORT_TEXT;
	else if (strcmp(s, "json") == 0)
		*f = REPORT_JSON;
	else if (strcmp(s, "markdown") == 0 || strcmp(s, "md") == 0)
		*f = REPORT_MARKDOWN;
	else
		return -1;
	return 0;
}

static const char *
fmt_time(char *buf, size_t len, double t, bool local)
{
	time_t s = (time_t)t;
	struct tm tm;

	if (t <= 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	if (!local) {
		ns_fmt_utc(buf, len, (int64_t)s);
		return buf;
	}
	localtime_r(&s, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S %Z", &tm);
	return buf;
}

struct sorted {
	struct ana_host_row *rows;
	unsigned n;
};

static int
cmp_rows(const void *p, const void *q)
{
	const struct ana_host_row *a = p, *b = q;
	int sa = ana_verdict_severity(a->verdict), sb = ana_verdict_severity(b->verdict);
	uint64_t ta = a->packets_in + a->packets_out, tb = b->packets_in + b->packets_out;

	if (sa != sb)
		return sa > sb ? -1 : 1;
	if (ta != tb)
		return ta > tb ? -1 : 1;
	return ns_addr_cmp(&a->addr, &b->addr);
}

static void
sorted_hosts(struct ana *a, struct sorted *s)
{
	s->n = ana_nhosts(a);
	s->rows = xcalloc(s->n ? s->n : 1, sizeof(*s->rows));
	s->n = ana_hosts(a, s->rows, s->n);
	qsort(s->rows, s->n, sizeof(*s->rows), cmp_rows);
}

static uint64_t
total_dropped(const struct report_meta *m)
{
	uint64_t d = 0;

	for (int i = 0; i < m->n_sources; i++)
		d += m->sources[i].kernel_drops + m->sources[i].ring_drops + m->sources[i].if_drops;
	return d;
}

/* ---- JSON ---- */

static void
json_spread(struct json_w *w, const char *key, const struct ana_port_spread *s)
{
	json_obj_open(w, key);
	json_u64(w, "distinct", s->distinct);
	json_u64(w, "privileged", s->privileged);
	json_u64(w, "registered", s->registered);
	json_u64(w, "ephemeral", s->ephemeral);
	json_obj_close(w);
}

void
report_json_top(struct json_w *w, const char *key, const struct ana_port_count *t, int n)
{
	json_arr_open(w, key);
	for (int i = 0; i < n; i++) {
		json_obj_open(w, NULL);
		json_u64(w, "port", t[i].port);
		json_str(w, "proto", ns_proto_name(t[i].proto));
		json_u64(w, "packets", t[i].packets);
		json_bool(w, "exact", t[i].over == 0);
		json_obj_close(w);
	}
	json_arr_close(w);
}

/* The fields of one incident, inside an open object: the report's and the events'. */
void
report_json_incident(struct json_w *w, const struct ana_incident *x)
{
	char buf[64];

	json_str(w, "kind", ana_verdict_name(x->kind));
	json_str(w, "local", ns_addr_fmt(&x->local, buf, sizeof(buf)));
	json_str(w, "proto", ns_proto_name(x->proto));
	if (x->any_port)
		json_null(w, "port");
	else
		json_u64(w, "port", x->port);
	json_u64(w, "remote_hosts", x->remote_hosts);
	json_arr_open(w, "remote_addresses");
	for (int i = 0; i < x->n_sample; i++)
		json_str(w, NULL, ns_addr_fmt(&x->sample[i], buf, sizeof(buf)));
	json_arr_close(w);
	json_u64(w, "packets", x->packets);
	json_u64(w, "bytes", x->bytes);
	json_dbl(w, "peak_pps", x->peak_pps, 0);
	json_dbl(w, "confidence", x->confidence, 2);
	json_arr_open(w, "evidence");
	for (int i = 0; i < x->n_evidence; i++)
		json_str(w, NULL, x->evidence[i]);
	json_arr_close(w);
}

/*
 * The firewall rules that logged a host, and its vantage points (the flow
 * exporters that saw it), each list only when it has some.
 */
void
report_json_fw_rules(struct json_w *w, const struct ana_host_info *h)
{
	if (ana_fw_rules_count(h, false) > 0) {
		json_arr_open(w, "firewall_rules");
		for (int i = 0; i < h->n_fw_rules; i++) {
			if (h->fw_rules[i].vantage)
				continue;
			json_obj_open(w, NULL);
			json_str(w, "rule", h->fw_rules[i].name);
			json_str(w, "action",
			    fwlog_action_name((enum fwlog_action)h->fw_rules[i].action));
			json_u64(w, "packets", h->fw_rules[i].packets);
			json_obj_close(w);
		}
		json_arr_close(w);
	}
	if (ana_fw_rules_count(h, true) > 0) {
		json_arr_open(w, "vantage_points");
		for (int i = 0; i < h->n_fw_rules; i++) {
			if (!h->fw_rules[i].vantage)
				continue;
			json_obj_open(w, NULL);
			json_str(w, "name", h->fw_rules[i].name);
			json_u64(w, "packets", h->fw_rules[i].packets);
			json_obj_close(w);
		}
		json_arr_close(w);
	}
	if (h->n_fw_rules > 0)
		json_u64(w, "firewall_rules_other_packets", h->fw_rules_other);
}

static void
json_modes(struct json_w *w, const char *key, const uint64_t *m)
{
	char k[4];

	json_obj_open(w, key);
	for (int i = 0; i < 8; i++) {
		if (m[i] == 0)
			continue;
		snprintf(k, sizeof(k), "%d", i);
		json_u64(w, k, m[i]);
	}
	json_obj_close(w);
}

static void
json_ntp(struct json_w *w, const struct ana_ntp_info *n)
{
	json_obj_open(w, "ntp");
	json_u64(w, "packets", n->packets);
	json_arr_open(w, "versions");
	for (int v = 1; v <= 4; v++)
		if (n->versions & (1u << v))
			json_u64(w, NULL, (uint64_t)v);
	json_arr_close(w);
	json_modes(w, "modes_in", n->mode_in);
	json_modes(w, "modes_out", n->mode_out);
	if (n->stratum >= 0)
		json_i64(w, "stratum", n->stratum);
	else
		json_null(w, "stratum");
	json_i64(w, "poll", n->poll);
	json_str(w, "refid", n->refid);
	json_str(w, "kiss", n->kiss);
	json_obj_open(w, "mode6");
	json_u64(w, "in", n->mode6_in);
	json_u64(w, "out", n->mode6_out);
	json_u64(w, "more", n->mode6_more);
	json_u64(w, "mru_answers_out", n->mode6_mru_out);
	json_arr_open(w, "opcodes");
	for (int i = 0; i < 32; i++)
		if (n->mode6_opcodes & (1u << i))
			json_u64(w, NULL, (uint64_t)i);
	json_arr_close(w);
	json_obj_close(w);
	json_obj_open(w, "mode7");
	json_u64(w, "in", n->mode7_in);
	json_u64(w, "out", n->mode7_out);
	json_u64(w, "more", n->mode7_more);
	json_u64(w, "items", n->mode7_items);
	if (n->mode7_impl >= 0)
		json_i64(w, "implementation", n->mode7_impl);
	else
		json_null(w, "implementation");
	json_arr_open(w, "request_codes");
	for (int i = 0; i < n->n_mode7_codes; i++)
		json_u64(w, NULL, n->mode7_codes[i]);
	json_arr_close(w);
	json_obj_close(w);
	json_obj_open(w, "monlist");
	json_u64(w, "requests_in", n->monlist_req_in);
	json_u64(w, "requests_out", n->monlist_req_out);
	json_u64(w, "responses_in", n->monlist_resp_in);
	json_u64(w, "responses_out", n->monlist_resp_out);
	json_obj_close(w);
	json_obj_open(w, "amplification");
	json_u64(w, "request_bytes_in", n->req_bytes_in);
	json_u64(w, "response_bytes_out", n->resp_bytes_out);
	json_dbl(w, "local_server_ratio", n->req_bytes_in ? (double)n->resp_bytes_out / (double)n->req_bytes_in : 0, 2);
	json_u64(w, "request_bytes_out", n->req_bytes_out);
	json_u64(w, "response_bytes_in", n->resp_bytes_in);
	json_dbl(w, "remote_server_ratio", n->req_bytes_out ? (double)n->resp_bytes_in / (double)n->req_bytes_out : 0, 2);
	json_obj_close(w);
	json_u64(w, "server_replies_from_123", n->server_replies_from_123);
	json_u64(w, "client_requests_to_it", n->client_requests_to_it);
	json_obj_close(w);
}

/* A firewall log's formats, the reasons lines were skipped, the first of them. */
static void
json_log_stats(struct json_w *w, const struct fwlog_stats *st)
{
	json_arr_open(w, "log_formats");
	for (int i = 0; fwlog_format_name(i) != NULL; i++) {
		if (st->format_records[i] == 0 && st->format_notraffic[i] == 0)
			continue;
		json_obj_open(w, NULL);
		json_str(w, "format", fwlog_format_name(i));
		json_str(w, "vendor", fwlog_format_vendor(i));
		json_u64(w, "records", st->format_records[i]);
		json_u64(w, "lines_without_traffic", st->format_notraffic[i]);
		json_obj_close(w);
	}
	json_arr_close(w);
	json_obj_open(w, "log_skipped_by_reason");
	for (int r = 0; r < FWR__COUNT; r++)
		if (r != FWR_OK && r != FWR_NOTRAFFIC && st->reason[r] > 0)
			json_u64(w, fwlog_result_key((enum fwlog_result)r), st->reason[r]);
	json_obj_close(w);
	json_arr_open(w, "log_skipped_examples");
	for (int i = 0; i < st->n_quotes; i++) {
		json_obj_open(w, NULL);
		json_u64(w, "line", st->quote[i].line);
		json_str(w, "reason", fwlog_result_key(st->quote[i].reason));
		json_str(w, "format", st->quote[i].format >= 0 ?
		    fwlog_format_name(st->quote[i].format) : "");
		json_str(w, "text", st->quote[i].text);
		json_obj_close(w);
	}
	json_arr_close(w);
	json_u64(w, "log_packets", st->packets_made);
	json_u64(w, "log_packets_left_out", st->packets_capped);
}

static void
json_host(struct json_w *w, const struct ana_host_info *h, const struct report_meta *m)
{
	char buf[64];
	const struct ana_rates *r = &h->rates;
	const struct ana_burst_stats *b = &h->bursts;

	json_obj_open(w, NULL);
	json_str(w, "address", ns_addr_fmt(&h->addr, buf, sizeof(buf)));
	json_u64(w, "packets_in", h->packets_in);
	json_u64(w, "packets_out", h->packets_out);
	json_u64(w, "bytes_in", h->bytes_in);
	json_u64(w, "bytes_out", h->bytes_out);
	json_str(w, "first_seen", fmt_time(buf, sizeof(buf), h->first, false));
	json_str(w, "last_seen", fmt_time(buf, sizeof(buf), h->last, false));
	json_str(w, "verdict", ana_verdict_name(h->verdict));
	json_dbl(w, "confidence", h->confidence, 2);
	json_bool(w, "call", h->call);
	json_str(w, "advice", h->advice);
	if (h->watch_cmd[0])
		json_str(w, "watch_live", h->watch_cmd);
	json_arr_open(w, "evidence");
	for (int i = 0; i < h->n_evidence; i++)
		json_str(w, NULL, h->evidence[i]);
	json_arr_close(w);

	json_obj_open(w, "initiation");
	json_u64(w, "exchanges_ours", h->exchanges_ours);
	json_u64(w, "exchanges_theirs", h->exchanges_theirs);
	json_u64(w, "exchanges_theirs_answered", h->exchanges_answered);
	json_obj_open(w, "start_unseen");
	json_u64(w, "local", h->unseen_ours);
	json_u64(w, "remote", h->unseen_theirs);
	json_u64(w, "unknown", h->unseen_undecided);
	json_obj_close(w);
	json_u64(w, "exchanges_theirs_accepted", h->exchanges_accepted);
	json_u64(w, "exchanges_theirs_with_data", h->exchanges_data);
	json_u64(w, "held_sessions", h->held_sessions);
	json_u64(w, "held_sessions_peak", h->held_peak);
	json_u64(w, "login_refusals", h->login_refusals);
	json_u64(w, "solicited", h->in_solicited);
	json_u64(w, "unsolicited", h->in_unsolicited);
	json_u64(w, "late_replies", h->in_late);
	json_u64(w, "served", h->in_served);
	json_u64(w, "served_requests", h->requests_again);
	json_u64(w, "unsolicited_replies", h->in_responses_unsolicited);
	json_u64(w, "probes", h->in_probes);
	json_u64(w, "tcp_syn_in", h->syn_in);
	json_u64(w, "tcp_synack_out", h->synack_out);
	json_u64(w, "tcp_open_ports", h->open_ports);
	json_u64(w, "tcp_rst_out", h->rst_out);
	json_u64(w, "tcp_stealth_in", h->stealth_in);
	json_u64(w, "tcp_split_in", h->tcp_split_in);
	json_u64(w, "probed_protocols", h->probed_protocols);
	json_u64(w, "icmp_unreachable_out", h->unreach_out);
	json_u64(w, "icmp_unreachable_in", h->unreach_in);
	if (h->has_provoked_by)
		json_str(w, "provoked_by", ns_addr_fmt(&h->provoked_by, buf, sizeof(buf)));
	else
		json_null(w, "provoked_by");
	json_obj_close(w);

	json_obj_open(w, "ports");
	json_spread(w, "local", &h->local_ports);
	json_spread(w, "remote", &h->remote_ports);
	json_spread(w, "probed", &h->probed_ports);
	json_u64(w, "local_addresses", h->local_addrs);
	json_u64(w, "probed_addresses", h->probed_addrs);
	json_u64(w, "new_local_ports_peak_per_minute", h->new_ports_peak_min);
	report_json_top(w, "top_local", h->top_local, h->n_top_local);
	report_json_top(w, "top_remote", h->top_remote, h->n_top_remote);
	json_obj_close(w);

	json_obj_open(w, "rates");
	json_dbl(w, "pps_in_peak_1s", r->peak_pps_in_1, 1);
	json_dbl(w, "pps_in_peak_10s", r->peak_pps_in_10, 2);
	json_dbl(w, "pps_in_peak_60s", r->peak_pps_in_60, 3);
	json_dbl(w, "pps_out_peak_1s", r->peak_pps_out_1, 1);
	json_dbl(w, "pps_out_peak_10s", r->peak_pps_out_10, 2);
	json_dbl(w, "pps_out_peak_60s", r->peak_pps_out_60, 3);
	json_dbl(w, "bps_in_peak_1s", r->peak_bps_in_1, 0);
	json_dbl(w, "bps_out_peak_1s", r->peak_bps_out_1, 0);
	json_dbl(w, "pps_in_avg", r->avg_pps_in, 4);
	json_dbl(w, "pps_out_avg", r->avg_pps_out, 4);
	json_dbl(w, "bps_in_avg", r->avg_bps_in, 1);
	json_dbl(w, "bps_out_avg", r->avg_bps_out, 1);
	json_dbl(w, "avg_over_s", r->avg_seconds, 0);
	json_dbl(w, "packets_per_day_in", r->per_day_in, 0);
	json_dbl(w, "packets_per_day_out", r->per_day_out, 0);
	json_dbl(w, "unsolicited_pps_peak_1s", r->unsolicited_peak_pps, 1);
	json_dbl(w, "seconds_over_flood_threshold", r->seconds_over_flood, 0);
	json_obj_close(w);

	json_obj_open(w, "bursts");
	json_u64(w, "count", b->count);
	json_dbl(w, "size_mean", b->size_mean, 2);
	json_u64(w, "size_max", b->size_max);
	json_dbl(w, "spacing_mean_s", b->spacing_mean, 3);
	json_dbl(w, "spacing_sd_s", b->spacing_sd, 3);
	json_dbl(w, "period_mean_s", b->period_mean, 3);
	json_dbl(w, "period_sd_s", b->period_sd, 3);
	json_u64(w, "period_bursts", b->period_bursts);
	json_u64(w, "triggered_by_us", b->triggered);
	json_str(w, "pattern", b->pattern);
	json_str(w, "known_behaviour", b->known);
	json_obj_close(w);

	json_ntp(w, &h->ntp);
	json_obj_open(w, "udp_service");
	json_u64(w, "local_port", h->vector.port);
	json_u64(w, "requests_in", h->vector.requests_in);
	json_u64(w, "request_bytes_in", h->vector.request_bytes_in);
	json_u64(w, "answers_out", h->vector.answers_out);
	json_u64(w, "answer_bytes_out", h->vector.answer_bytes_out);
	json_obj_close(w);

	report_json_fw_rules(w, h);
	json_arr_open(w, "exchanges");
	for (int i = 0; i < h->n_exchanges; i++) {
		const struct ana_exchange *e = &h->exchanges[i];

		json_obj_open(w, NULL);
		json_str(w, "start", fmt_time(buf, sizeof(buf), e->start, false));
		json_dbl(w, "start_epoch", e->start, 6);
		json_dbl(w, "duration_s", e->last - e->start, 3);
		json_str(w, "initiator", e->undecided ? "unknown" : e->ours ? "local" : "remote");
		json_bool(w, "start_seen", !e->start_unseen);
		json_str(w, "proto", ns_proto_name(e->proto));
		json_str(w, "local", ns_addr_fmt(&e->local, buf, sizeof(buf)));
		json_u64(w, "local_port", e->lport);
		json_u64(w, "remote_port", e->rport);
		json_u64(w, "packets_in", e->pkts_in);
		json_u64(w, "packets_out", e->pkts_out);
		json_u64(w, "late_replies", e->late_in);
		json_u64(w, "unsolicited", e->unsolicited_in);
		json_obj_close(w);
	}
	json_arr_close(w);
	if (m->lookups != NULL) {
		struct lk_info li;
		struct lk_ntp_observed obs;

		memset(&obs, 0, sizeof(obs));
		obs.mode4_from_123 = h->ntp.server_replies_from_123;
		obs.mode3_to_it = h->ntp.client_requests_to_it;
		obs.stratum = h->ntp.stratum;
		snprintf(obs.refid, sizeof(obs.refid), "%s", h->ntp.refid);
		lk_get(m->lookups, &h->addr, &li);
		lk_info_json(w, &li, &obs);
	}
	json_obj_close(w);
}

/*
 * The hosts of a large report are written by two threads (the capture
 * thread has finished; the machine has two cores), in chunks of
 * CHUNK_HOSTS: this thread writes the even chunks straight out, a helper
 * formats the odd ones into memory, at most QUEUE_CHUNKS ahead, and this
 * thread puts each on the FILE in its turn. The bytes are the same as one
 * thread's, and the memory held is a few chunks, not half the report.
 */
#define PARALLEL_HOSTS 512
#define CHUNK_HOSTS 64
#define QUEUE_CHUNKS 4

struct hosts_par {
	const struct ana *a;	/* read-only: ana_host_view */
	const struct report_meta *m;
	const struct sorted *s;
	unsigned n_chunks;
	int depth;
	bool pretty;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned produced, consumed;	/* odd chunks formatted / written */
	struct json_w q[QUEUE_CHUNKS];
};

static void
json_hosts_range(struct json_w *w, const struct ana *a, const struct report_meta *m,
    const struct sorted *s, unsigned from, unsigned to)
{
	struct ana_host_info *h = xmalloc(sizeof(*h));

	for (unsigned k = from; k < to && k < s->n; k++)
		if (ana_host_view(a, &s->rows[k].addr, h))
			json_host(w, h, m);
	free(h);
}

static void *
hosts_odd_run(void *arg)
{
	struct hosts_par *p = arg;

	for (unsigned j = 0, c = 1; c < p->n_chunks; j++, c += 2) {
		struct json_w *w = &p->q[j % QUEUE_CHUNKS];

		pthread_mutex_lock(&p->mu);
		while (p->produced - p->consumed >= QUEUE_CHUNKS)
			pthread_cond_wait(&p->cv, &p->mu);
		pthread_mutex_unlock(&p->mu);
		/* Inside the hosts array, after other hosts: a comma comes first. */
		json_init_mem(w, p->pretty);
		w->depth = p->depth;
		w->first[w->depth] = false;
		json_hosts_range(w, p->a, p->m, p->s, c * CHUNK_HOSTS, (c + 1) * CHUNK_HOSTS);
		json_flush(w);
		pthread_mutex_lock(&p->mu);
		p->produced++;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

static void
json_hosts(struct json_w *w, const struct ana *a, const struct report_meta *m,
    const struct sorted *s)
{
	struct hosts_par *p;
	pthread_t t;

	/* NTPSLEUTH_ONE_WRITER: one thread, what bench/run.sh weighs the second by. */
	if (s->n < PARALLEL_HOSTS || getenv("NTPSLEUTH_ONE_WRITER") != NULL) {
		json_hosts_range(w, a, m, s, 0, s->n);
		return;
	}
	p = xcalloc(1, sizeof(*p));
	p->a = a;
	p->m = m;
	p->s = s;
	p->n_chunks = (s->n + CHUNK_HOSTS - 1) / CHUNK_HOSTS;
	p->depth = w->depth;
	p->pretty = w->pretty;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if (pthread_create(&t, NULL, hosts_odd_run, p) != 0) {
		json_hosts_range(w, a, m, s, 0, s->n);
	} else {
		for (unsigned c = 0; c < p->n_chunks; c++) {
			unsigned j = c / 2;

			if (c % 2 == 0) {
				json_hosts_range(w, a, m, s, c * CHUNK_HOSTS, (c + 1) * CHUNK_HOSTS);
				continue;
			}
			pthread_mutex_lock(&p->mu);
			while (p->produced <= j)
				pthread_cond_wait(&p->cv, &p->mu);
			pthread_mutex_unlock(&p->mu);
			json_flush(w);
			json_mem_write(&p->q[j % QUEUE_CHUNKS], w->f);
			w->first[w->depth] = false;
			pthread_mutex_lock(&p->mu);
			p->consumed++;
			pthread_cond_broadcast(&p->cv);
			pthread_mutex_unlock(&p->mu);
		}
		pthread_join(t, NULL);
	}
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}

static void
write_json(FILE *f, struct ana *a, const struct report_meta *m, const struct sorted *s)
{
	struct json_w w;
	struct ana_totals t;
	struct ns_cidr loc[ANA_MAX_LOCAL];
	struct ana_incident *inc;
	struct ana_host_info *h = xmalloc(sizeof(*h));
	const struct ana_thresholds *th = &ana_config(a)->th;
	char buf[64];
	int nl, i;
	unsigned ni, k;

	ana_totals(a, &t);
	json_init(&w, f, true);
	json_obj_open(&w, NULL);
	json_str(&w, "format", REPORT_FORMAT);
	json_str(&w, "generator", PACKAGE_STRING);
	json_str(&w, "generated", fmt_time(buf, sizeof(buf), m->started, false));
	json_str(&w, "mode", m->mode);
	json_arr_open(&w, "sources");
	for (i = 0; i < m->n_sources; i++) {
		const struct report_source *rs = &m->sources[i];

		json_obj_open(&w, NULL);
		json_str(&w, "name", rs->name);
		json_str(&w, "linktype", rs->linktype);
		json_u64(&w, "frames", rs->frames);
		json_u64(&w, "kernel_drops", rs->kernel_drops);
		json_u64(&w, "interface_drops", rs->if_drops);
		json_u64(&w, "ring_drops", rs->ring_drops);
		json_u64(&w, "bad_timestamps", rs->bad_ts);
		json_u64(&w, "cut_to_slot", rs->truncated);
		if (rs->log_lines > 0) {
			json_u64(&w, "log_lines", rs->log_lines);
			json_u64(&w, "log_lines_skipped", rs->log_skipped);
			json_u64(&w, "first_skipped_line", rs->first_skipped);
		}
		if (rs->log != NULL)
			json_log_stats(&w, rs->log);
		if (rs->flow != NULL)
			flow_stats_json(&w, rs->flow);
		json_obj_close(&w);
	}
	json_arr_close(&w);
	json_str(&w, "filter", m->filter ? m->filter : "");
	json_arr_open(&w, "local_networks");
	nl = ana_local_networks(a, loc, ANA_MAX_LOCAL);
	for (i = 0; i < nl; i++)
		json_str(&w, NULL, ns_cidr_fmt(&loc[i], buf, sizeof(buf)));
	json_arr_close(&w);
	json_str(&w, "local_reason", ana_local_reason(a));
	json_dbl(&w, "local_confidence", ana_local_confidence(a), 2);
	json_obj_open(&w, "time");
	json_str(&w, "first", fmt_time(buf, sizeof(buf), t.first_ts, false));
	json_str(&w, "last", fmt_time(buf, sizeof(buf), t.last_ts, false));
	json_dbl(&w, "duration_s", t.last_ts > t.first_ts ? t.last_ts - t.first_ts : 0, 3);
	json_obj_close(&w);
	json_obj_open(&w, "totals");
	json_u64(&w, "packets", t.frames);
	json_u64(&w, "ip_packets", t.ip_packets);
	json_u64(&w, "decode_errors", t.decode_errors);
	json_u64(&w, "dropped", total_dropped(m));
	json_u64(&w, "not_ip", t.not_ip);
	json_u64(&w, "internal", t.internal);
	json_u64(&w, "transit", t.transit);
	json_u64(&w, "nat_twins", t.nat_twins);
	json_u64(&w, "bytes", t.bytes);
	json_u64(&w, "hosts_seen", t.hosts_seen);
	json_u64(&w, "hosts_evicted", t.hosts_evicted);
	json_str(&w, "first_decode_error", t.first_error);
	json_obj_close(&w);
	if (m->read_error != NULL)
		json_str(&w, "read_error", m->read_error);
	if (m->evidence_path != NULL) {
		json_obj_open(&w, "evidence_capture");
		json_str(&w, "file", m->evidence_path);
		json_str(&w, "sha256", m->evidence_sha256);
		json_u64(&w, "packets", m->evidence_packets);
		json_arr_open(&w, "hosts");
		for (i = 0; i < m->n_evidence_hosts; i++)
			json_str(&w, NULL, ns_addr_fmt(&m->evidence_hosts[i], buf, sizeof(buf)));
		json_arr_close(&w);
		json_obj_close(&w);
	}
	json_obj_open(&w, "thresholds");
	for (size_t ti = 0; ti < ana_n_threshold_defs; ti++) {
		const struct ana_threshold_def *d = &ana_threshold_defs[ti];

		if (d->type == ANA_TH_DOUBLE)
			json_dbl(&w, d->json, ana_threshold_get(th, d), d->decimals);
		else
			json_u64(&w, d->json, (uint64_t)ana_threshold_get(th, d));
	}
	json_obj_close(&w);
	inc = xcalloc(256, sizeof(*inc));
	ni = ana_incidents(a, inc, 256);
	json_arr_open(&w, "incidents");
	for (k = 0; k < ni; k++) {
		json_obj_open(&w, NULL);
		report_json_incident(&w, &inc[k]);
		json_obj_close(&w);
	}
	json_arr_close(&w);
	free(inc);
	json_arr_open(&w, "hosts");
	json_hosts(&w, a, m, s);
	json_arr_close(&w);
	json_obj_open(&w, "evicted_hosts");
	json_u64(&w, "count", t.hosts_evicted);
	json_u64(&w, "packets_in", t.other_packets_in);
	json_u64(&w, "packets_out", t.other_packets_out);
	json_u64(&w, "bytes_in", t.other_bytes_in);
	json_u64(&w, "bytes_out", t.other_bytes_out);
	json_obj_close(&w);
	json_obj_close(&w);
	json_end(&w);
	free(h);
}

/* ---- text and Markdown ---- */

/*
 * A lookup with no result: why, or that it did not answer before the
 * report (--lookup-timeout), so that a missing name is not read as "no
 * name". Nothing for a plugin that is off.
 */
static void
text_lookup_missing(FILE *f, const char *li, const char *label, enum lk_status s,
    const char *reason)
{
	if (s == LK_FAILED)
		fprintf(f, "%s%s: none (%s)\n", li, label, reason);
	else if (s == LK_PENDING)
		fprintf(f, "%s%s: no answer within --lookup-timeout\n", li, label);
}

/* A firewall log's line counts, its formats and why lines were skipped. */
static void
text_log_source(FILE *f, const struct report_source *rs, bool md)
{
	const struct fwlog_stats *st = rs->log;
	const char *sep = "";

	fprintf(f, "%s%s: %" PRIu64 " lines, %" PRIu64 " firewall log lines read, %" PRIu64
	    " other lines skipped; a log holds what the rules logged (usually drops), not the requests that went out\n",
	    md ? "- " : "", rs->name, rs->log_lines, rs->frames, rs->log_skipped);
	if (st == NULL)
		return;
	fprintf(f, "%s  formats:", md ? "" : "");
	for (int i = 0; fwlog_format_name(i) != NULL; i++) {
		if (st->format_records[i] == 0 && st->format_notraffic[i] == 0)
			continue;
		fprintf(f, "%s %s %" PRIu64 " lines", sep, fwlog_format_name(i),
		    st->format_records[i]);
		if (st->format_notraffic[i] > 0)
			fprintf(f, " (and %" PRIu64 " without traffic)", st->format_notraffic[i]);
		sep = ",";
	}
	if (*sep == '\0')
		fprintf(f, " none recognised");
	fputc('\n', f);
	if (rs->log_skipped > 0) {
		sep = "";
		fprintf(f, "  skipped:");
		for (int r = 0; r < FWR__COUNT; r++)
			if (r != FWR_OK && r != FWR_NOTRAFFIC && st->reason[r] > 0) {
				fprintf(f, "%s %s %" PRIu64, sep,
				    fwlog_result_name((enum fwlog_result)r), st->reason[r]);
				sep = ",";
			}
		fputc('\n', f);
		for (int i = 0; i < st->n_quotes; i++)
			fprintf(f, "  %sline %" PRIu64 " (%s%s%s): %s%s%s\n", md ? "- " : "",
			    st->quote[i].line, st->quote[i].format >= 0 ?
			    fwlog_format_name(st->quote[i].format) : "", st->quote[i].format >= 0 ?
			    ", " : "", fwlog_result_name(st->quote[i].reason), md ? "`" : "",
			    st->quote[i].text, md ? "`" : "");
	}
	if (st->packets_capped > 0)
		fprintf(f, "  %" PRIu64 " packets of summaries and connections not analysed one by one (at most %d a summary line, at its rate; %d a side of a connection)\n",
		    st->packets_capped, FWLOG_MAX_EXPAND, FWLOG_CONN_EXPAND);
}

static void
text_host(FILE *f, const struct ana_host_info *h, bool md, const struct report_meta *m)
{
	char a[NS_ADDRSTRLEN], b1[32], b2[32], t1[64], t2[64];
	const struct ana_rates *r = &h->rates;
	const char *li = md ? "- " : "    ";

	ns_addr_fmt(&h->addr, a, sizeof(a));
	if (md)
		fprintf(f, "\n### %s: %s (confidence %.2f)\n\n", a, ana_verdict_name(h->verdict),
		    h->confidence);
	else
		fprintf(f, "\n%s  %s  confidence %.2f%s\n", a, ana_verdict_name(h->verdict),
		    h->confidence, h->call ? "  CALL" : "");
	if (md)
		fprintf(f, "**%s**\n\n", h->advice);
	else
		fprintf(f, "  %s\n", h->advice);
	fprintf(f, "%sTraffic: %" PRIu64 " packets (%sB) in, %" PRIu64 " packets (%sB) out, %s to %s\n",
	    li, h->packets_in, ns_fmt_si(b1, sizeof(b1), (double)h->bytes_in), h->packets_out,
	    ns_fmt_si(b2, sizeof(b2), (double)h->bytes_out),
	    fmt_time(t1, sizeof(t1), h->first, false), fmt_time(t2, sizeof(t2), h->last, false));
	fprintf(f, "%sWho started: local hosts %" PRIu64 " exchanges, it %" PRIu64 "; inbound solicited %" PRIu64
	    " (late %" PRIu64 "), unsolicited %" PRIu64 "\n", li, h->exchanges_ours, h->exchanges_theirs,
	    h->in_solicited, h->in_late, h->in_unsolicited);
	if (h->unseen_ours + h->unseen_theirs + h->unseen_undecided > 0)
		fprintf(f, "%sAlready open when the capture started (initiator from the ports): %" PRIu64
		    " begun by local hosts, %" PRIu64 " by it, %" PRIu64 " unknown\n", li, h->unseen_ours,
		    h->unseen_theirs, h->unseen_undecided);
	if (h->has_provoked_by)
		fprintf(f, "%sProvoked by inside host %s\n", li, ns_addr_fmt(&h->provoked_by, t1, sizeof(t1)));
	fprintf(f, "%sPorts: %u local (%u privileged, %u registered, %u ephemeral), %u remote; %u probed; up to %u new local ports a minute\n",
	    li, h->local_ports.distinct, h->local_ports.privileged, h->local_ports.registered,
	    h->local_ports.ephemeral, h->remote_ports.distinct, h->probed_ports.distinct,
	    h->new_ports_peak_min);
	fprintf(f, "%sRates: peak %.0f packets/s in, %.0f packets/s out (busiest second); on average %.3g packets/s in over %s (%s a day)\n",
	    li, r->peak_pps_in_1, r->peak_pps_out_1, r->avg_pps_in,
	    ns_fmt_duration(t1, sizeof(t1), r->avg_seconds),
	    ns_fmt_si(b1, sizeof(b1), r->per_day_in));
	if (h->bursts.count > 0)
		fprintf(f, "%sBursts: %s%s%s%s\n", li, h->bursts.pattern,
		    h->bursts.known[0] ? " (" : "", h->bursts.known, h->bursts.known[0] ? ")" : "");
	if (h->ntp.packets > 0) {
		fprintf(f, "%sNTP: %" PRIu64 " packets; modes in", li, h->ntp.packets);
		for (int i = 0; i < 8; i++)
			if (h->ntp.mode_in[i])
				fprintf(f, " %d:%" PRIu64, i, h->ntp.mode_in[i]);
		fprintf(f, ", out");
		for (int i = 0; i < 8; i++)
			if (h->ntp.mode_out[i])
				fprintf(f, " %d:%" PRIu64, i, h->ntp.mode_out[i]);
		if (h->ntp.stratum >= 0)
			fprintf(f, "; stratum %d%s%s", h->ntp.stratum, h->ntp.refid[0] ? ", refid " : "",
			    h->ntp.refid);
		if (h->ntp.kiss[0])
			fprintf(f, "; kiss code %s", h->ntp.kiss);
		if (h->ntp.monlist_req_in + h->ntp.monlist_resp_in + h->ntp.monlist_resp_out)
			fprintf(f, "; monlist requests in %" PRIu64 ", responses out %" PRIu64 ", in %" PRIu64,
			    h->ntp.monlist_req_in, h->ntp.monlist_resp_out, h->ntp.monlist_resp_in);
		fputc('\n', f);
	}
	for (int vp = 0; vp <= 1; vp++) {
		int k = 0;

		if (ana_fw_rules_count(h, vp) == 0)
			continue;
		fprintf(f, "%s%s:", li, vp ? "Seen through (flow exporters)" : "Firewall rules that logged it");
		for (int i = 0; i < h->n_fw_rules; i++) {
			if (h->fw_rules[i].vantage != vp)
				continue;
			fprintf(f, "%s %s%s%s%s %" PRIu64 "%s", k++ ? "," : "", h->fw_rules[i].name,
			    h->fw_rules[i].action ? " (" : "",
			    fwlog_action_name((enum fwlog_action)h->fw_rules[i].action),
			    h->fw_rules[i].action ? ")" : "", h->fw_rules[i].packets,
			    vp ? " packets" : "");
		}
		if (h->fw_rules_other > 0 && !vp)
			fprintf(f, ", other rules %" PRIu64, h->fw_rules_other);
		fputc('\n', f);
	}
	if (h->watch_cmd[0])
		fprintf(f, "%sWatch it live (IFACE: the interface the log names): %s%s%s\n", li,
		    md ? "`" : "", h->watch_cmd, md ? "`" : "");
	fprintf(f, "%sEvidence:\n", li);
	for (int i = 0; i < h->n_evidence; i++)
		fprintf(f, "%s%s%s\n", md ? "  - " : "      - ", h->evidence[i], "");
	if (md && h->n_exchanges > 0) {
		int first = h->n_exchanges > 10 ? h->n_exchanges - 10 : 0;

		fprintf(f, "\nLast exchanges (UTC; %s first):\n\n", "who sent");
		fprintf(f, "| start | who first | proto | local | remote port | in | out | note |\n");
		fprintf(f, "|---|---|---|---|---|---|---|---|\n");
		for (int i = first; i < h->n_exchanges; i++) {
			const struct ana_exchange *e = &h->exchanges[i];

			fprintf(f, "| %s | %s | %s | %s:%u | %u | %u | %u | %s |\n",
			    fmt_time(t1, sizeof(t1), e->start, false),
			    e->undecided ? "unknown" : e->ours ? "local" : "remote",
			    ns_proto_name(e->proto), ns_addr_fmt(&e->local, t2, sizeof(t2)), e->lport,
			    e->rport, e->pkts_in, e->pkts_out,
			    e->late_in ? "late reply" : e->unsolicited_in ? "unsolicited" :
			    e->start_unseen ? "start not seen" : "");
		}
	}
	if (m->lookups != NULL) {
		struct lk_info l;

		lk_get(m->lookups, &h->addr, &l);
		if (l.rdns.status == LK_DONE)
			fprintf(f, "%sName: %s\n", li, l.rdns.name);
		else
			text_lookup_missing(f, li, "Name", l.rdns.status, l.rdns.reason);
		if (l.geo.status == LK_DONE)
			fprintf(f, "%sGeo: %s%s%s, AS%u %s\n", li, l.geo.country,
			    l.geo.city[0] ? " " : "", l.geo.city, l.geo.asn, l.geo.org);
		else
			text_lookup_missing(f, li, "Geo", l.geo.status, l.geo.reason);
		if (l.rdap.status == LK_DONE) {
			fprintf(f, "%sNetwork: %s %s (%s, %s)", li, l.rdap.name, l.rdap.cidr,
			    l.rdap.handle, l.rdap.country);
			for (int i = 0; i < l.rdap.n_abuse; i++)
				fprintf(f, "%s%s", i ? ", " : "; abuse: ", l.rdap.abuse[i]);
			fputc('\n', f);
		} else {
			text_lookup_missing(f, li, "Network", l.rdap.status, l.rdap.reason);
		}
	}
}

static void
write_text(FILE *f, struct ana *a, const struct report_meta *m, const struct sorted *s, bool md)
{
	struct ana_totals t;
	struct ns_cidr loc[ANA_MAX_LOCAL];
	struct ana_incident *inc;
	struct ana_host_info *h = xmalloc(sizeof(*h));
	char buf[64], b2[64], b3[64], b4[64];
	unsigned k, ni, limit = m->max_text_hosts > 0 ? (unsigned)m->max_text_hosts : 50;
	unsigned calls = 0;
	int i, nl;

	ana_totals(a, &t);
	if (md)
		fprintf(f, "# ntpsleuth session summary\n\n");
	else
		fprintf(f, "ntpsleuth session summary\n=========================\n");
	fprintf(f, "%sWhen: %s (%s), traffic %s to %s\n", md ? "- " : "",
	    fmt_time(buf, sizeof(buf), m->started, false), fmt_time(b2, sizeof(b2), m->started, true),
	    fmt_time(b3, sizeof(b3), t.first_ts, false), fmt_time(b4, sizeof(b4), t.last_ts, false));
	fprintf(f, "%sVantage point: %s", md ? "- " : "", strcmp(m->mode, "file") == 0 ? "file" :
	    strcmp(m->mode, "live") == 0 ? "interfaces" : m->mode);
	for (i = 0; i < m->n_sources; i++)
		fprintf(f, "%s%s (%s)", i ? ", " : " ", m->sources[i].name, m->sources[i].linktype);
	if (m->filter && *m->filter)
		fprintf(f, ", filter \"%s\"", m->filter);
	fputc('\n', f);
	nl = ana_local_networks(a, loc, ANA_MAX_LOCAL);
	fprintf(f, "%sLocal side:", md ? "- " : "");
	for (i = 0; i < nl; i++)
		fprintf(f, " %s", ns_cidr_fmt(&loc[i], buf, sizeof(buf)));
	fprintf(f, " (%s)\n", ana_local_reason(a));
	fprintf(f, "%sPackets: %" PRIu64 " frames, %" PRIu64 " IP, %" PRIu64 " decode errors%s%s%s, %" PRIu64
	    " dropped; %u remote hosts held, %" PRIu64 " seen\n", md ? "- " : "", t.frames,
	    t.ip_packets, t.decode_errors, t.first_error[0] ? " (first: " : "", t.first_error,
	    t.first_error[0] ? ")" : "", total_dropped(m), s->n, t.hosts_seen);
	for (i = 0; i < m->n_sources; i++)
		if (m->sources[i].log_lines > 0)
			text_log_source(f, &m->sources[i], md);
	for (i = 0; i < m->n_sources; i++)
		if (m->sources[i].flow != NULL)
			flow_stats_text(f, m->sources[i].flow, md);
	for (i = 0; i < m->n_sources; i++)
		if (m->sources[i].bad_ts > 0)
			fprintf(f, "%sWarning: %s: %" PRIu64 " timestamps out of range (first at frame %u), clamped\n",
			    md ? "- " : "", m->sources[i].name, m->sources[i].bad_ts,
			    m->sources[i].first_bad_ts);
	if (m->read_error)
		fprintf(f, "%sWarning: %s; this summary covers the packets before it\n", md ? "- " : "",
		    m->read_error);
	if (m->evidence_path != NULL) {
		fprintf(f, "%sEvidence capture: %s, %" PRIu64 " packets of", md ? "- " : "",
		    m->evidence_path, m->evidence_packets);
		for (i = 0; i < m->n_evidence_hosts; i++)
			fprintf(f, " %s", ns_addr_fmt(&m->evidence_hosts[i], buf, sizeof(buf)));
		fprintf(f, ", SHA-256 %s\n", m->evidence_sha256);
	}
	inc = xcalloc(64, sizeof(*inc));
	ni = ana_incidents(a, inc, 64);
	if (ni > 0) {
		fprintf(f, md ? "\n## Incidents\n\n" : "\nIncidents\n---------\n");
		for (k = 0; k < ni; k++) {
			char port[16];

			snprintf(port, sizeof(port), inc[k].any_port ? "many ports" : "%u", inc[k].port);
			fprintf(f, "%s%s against %s %s/%s: %" PRIu64 " remote hosts, %" PRIu64 " packets, confidence %.2f\n",
			    md ? "- " : "", ana_verdict_name(inc[k].kind),
			    ns_addr_fmt(&inc[k].local, buf, sizeof(buf)), ns_proto_name(inc[k].proto),
			    port, inc[k].remote_hosts, inc[k].packets, inc[k].confidence);
			for (i = 0; i < inc[k].n_evidence; i++)
				fprintf(f, "%s%s\n", md ? "  - " : "    - ", inc[k].evidence[i]);
		}
	}
	for (k = 0; k < s->n; k++)
		calls += s->rows[k].call;
	fprintf(f, md ? "\n## Hosts\n\n" : "\nHosts\n-----\n");
	fprintf(f, "%u remote host%s; %u worth a call.\n", s->n, s->n == 1 ? "" : "s", calls);
	for (k = 0; k < s->n && k < limit; k++)
		if (ana_host_view(a, &s->rows[k].addr, h))
			text_host(f, h, md, m);
	if (s->n > limit)
		fprintf(f, "\n... and %u more hosts (the JSON report lists them all)\n", s->n - limit);
	if (md) {
		const struct ana_thresholds *th = &ana_config(a)->th;

		fprintf(f, "\n## Thresholds used\n\n");
		fprintf(f, "- Firewall state: %.0f s for a UDP flow seen one way, %.0f s once seen both ways; replies up to %.0f s later count as late replies.\n",
		    th->udp_timeout, th->udp_stream_timeout, th->late_horizon);
		fprintf(f, "- Port scan: %u local ports, or %u local addresses, probed without being asked; or exchanges opened with %u local addresses, a few each, answered or not.\n",
		    th->scan_ports, th->scan_hosts, th->sweep_hosts);
		fprintf(f, "- Flood: %.0f unsolicited packets in one second.\n", th->flood_pps);
		fprintf(f, "- Amplification: %.0f response bytes per request byte, and %" PRIu64 " bytes at least.\n",
		    th->amp_ratio, th->amp_min_bytes);
		fprintf(f, "- A call is advised at confidence %.2f or more, for a scan or a flood.\n",
		    th->call_confidence);
	}
	free(inc);
	free(h);
}

void
report_write(FILE *f, enum report_fmt fmt, struct ana *a, const struct report_meta *m)
{
	struct sorted s;

	ana_update(a);
	sorted_hosts(a, &s);
	if (fmt == REPORT_JSON)
		write_json(f, a, m, &s);
	else
		write_text(f, a, m, &s, fmt == REPORT_MARKDOWN);
	fflush(f);
	free(s.rows);
}
