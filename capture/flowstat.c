/*
 * The report's words for a flow source: per exporter and domain, the
 * flows, templates, records without template, sequence losses and the
 * sampling; and what flow records cannot show.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "capture/flow.h"
#include "common/json.h"

static const char *
proto_of(uint8_t v)
{
	return v == 5 ? "NetFlow v5" : v == 9 ? "NetFlow v9" : v == 10 ? "IPFIX" :
	    v == FLOW_VER_SFLOW ? "sFlow v5" : "flows";
}

/* What flow data cannot show, said once in every report of flows. */
static const char limits[] =
    "flow records give packets and bytes a flow, its first and last packet and the OR of its TCP flags: "
    "no bursts inside a flow (its packets are spread evenly over its duration), no NTP mode, "
    "no payload (no monlist from the bytes)";
/* Which verdicts are weaker for it (analysis/verdict.c, doc/flow.md). */
static const char weaker[] =
    "port-scan and flood as from packets; solicited and serving 0.05 lower (who started is read from "
    "the records' start times and flags); NTP amplifier-abuse from answer sizes alone (at most 0.9); "
    "other UDP amplifiers from the victims' ICMP unreachables to the server (at most 0.8)";

/* And what sFlow's samples, which are packets, cannot show. */
static const char sflow_limits[] =
    "sFlow samples are packets (their NTP modes and payloads are read) but 1 in N of them: "
    "each stands for the packets since its data source's previous sample (N on average), spread evenly back to it, "
    "so counts and rates are estimates, exchanges and probes smaller than N packets may be missed, "
    "and a sample has no time of its own (its datagram's arrival)";

static bool
has_sflow(const struct flow_stats *st)
{
	for (int i = 0; i < st->n_exp; i++)
		if (st->exp[i].version == FLOW_VER_SFLOW)
			return true;
	return false;
}

void
flow_stats_text(FILE *f, const struct flow_stats *st, bool md)
{
	const char *li = md ? "- " : "  ";
	char a[NS_ADDRSTRLEN];

	fprintf(f, "%s%" PRIu64 " flow records from %" PRIu64 " datagrams or messages, %" PRIu64
	    " packets made of them, %" PRIu64 " duplicates dropped (the same flow from two observation points)\n",
	    li, st->records, st->datagrams, st->packets_made, st->duplicates);
	for (int i = 0; i < st->n_exp; i++) {
		const struct flow_exp_stats *e = &st->exp[i];

		if (e->version == FLOW_VER_SFLOW) {
			fprintf(f, "%sexporter %s sFlow v5 sub-agent %" PRIu32 ": %" PRIu64
			    " sampled packets in %" PRIu64 " datagrams, %" PRIu64
			    " datagrams and %" PRIu64 " samples lost in sequence gaps, %" PRIu64
			    " packets the agent dropped unsampled, %" PRIu64 " refused, sampling 1 in %"
			    PRIu32 "\n", li, ns_addr_fmt(&e->addr, a, sizeof(a)), e->domain, e->records,
			    e->messages, e->seq_lost, e->samples_lost, e->sample_drops, e->bad,
			    e->sampling);
			continue;
		}
		fprintf(f, "%sexporter %s %s %s %" PRIu32 ": %" PRIu64 " flows in %" PRIu64
		    " messages, %" PRIu64 " templates (%u held, %" PRIu64 " redefined, %" PRIu64
		    " expired), %" PRIu64 " data sets without template (%" PRIu64 " bytes), %" PRIu64
		    " %s lost in sequence gaps, %" PRIu64 " refused, sampling 1 in %" PRIu32 "\n",
		    li, e->port || e->addr.af ? ns_addr_fmt(&e->addr, a, sizeof(a)) : "(file)",
		    proto_of(e->version), e->version == 9 ? "source" : e->version == 5 ? "engine" :
		    "domain", e->domain, e->records, e->messages, e->templates, e->templates_live,
		    e->templates_redefined, e->templates_expired, e->no_template_sets,
		    e->no_template_bytes, e->seq_lost, e->version == 9 ? "export packets" : "records",
		    e->bad, e->sampling);
	}
	if (st->exp_more > 0)
		fprintf(f, "%sand %" PRIu64 " more exporters\n", li, st->exp_more);
	if (st->bad_length || st->truncated || st->not_flow || st->templates_refused ||
	    st->no_addr)
		fprintf(f, "%srefused: %" PRIu64 " with a length past the datagram, %" PRIu64
		    " cut short, %" PRIu64 " not NetFlow, IPFIX nor sFlow, %" PRIu64 " templates; %" PRIu64
		    " data records without addresses\n", li, st->bad_length, st->truncated,
		    st->not_flow, st->templates_refused, st->no_addr);
	if (st->sflow_counters || st->sflow_other || st->sflow_not_ip)
		fprintf(f, "%ssFlow: %" PRIu64 " counter samples and %" PRIu64
		    " samples or records of other formats skipped, %" PRIu64
		    " sampled headers not IP\n", li, st->sflow_counters, st->sflow_other,
		    st->sflow_not_ip);
	if (st->domains_evicted || st->templates_evicted)
		fprintf(f, "%stemplate store full: %" PRIu64 " exporters and %" PRIu64
		    " templates evicted (bound %zu bytes)\n", li, st->domains_evicted,
		    st->templates_evicted, st->mem_limit);
	if (st->packets_capped)
		fprintf(f, "%s%" PRIu64 " packets of long flows not analysed one by one (at most %d a flow, at its rate)\n",
		    li, st->packets_capped, FLOW_MAX_EXPAND);
	if (st->reordered_late)
		fprintf(f, "%s%" PRIu64 " flows came after later ones had been analysed\n", li,
		    st->reordered_late);
	if (st->no_time)
		fprintf(f, "%s%" PRIu64 " nfdump records without a time (dated 1970) not used\n", li,
		    st->no_time);
	if (st->file_errors)
		fprintf(f, "%s%" PRIu64 " file problems; the first: %s\n", li, st->file_errors,
		    st->file_error);
	fprintf(f, "%sWhat flows cannot show: %s\n", li, limits);
	fprintf(f, "%sVerdicts from flows: %s\n", li, weaker);
	if (has_sflow(st))
		fprintf(f, "%sWhat sFlow cannot show: %s\n", li, sflow_limits);
}

void
flow_stats_json(struct json_w *w, const struct flow_stats *st)
{
	char a[NS_ADDRSTRLEN];

	json_obj_open(w, "flows");
	json_u64(w, "records", st->records);
	json_u64(w, "datagrams", st->datagrams);
	json_u64(w, "packets_made", st->packets_made);
	json_u64(w, "packets_capped", st->packets_capped);
	json_u64(w, "duplicates", st->duplicates);
	json_u64(w, "reordered_late", st->reordered_late);
	json_u64(w, "bad_length", st->bad_length);
	json_u64(w, "truncated", st->truncated);
	json_u64(w, "not_flow", st->not_flow);
	json_u64(w, "templates_refused", st->templates_refused);
	json_u64(w, "records_without_addresses", st->no_addr);
	json_u64(w, "data_sets_without_template", st->no_template_sets);
	json_u64(w, "exporters_evicted", st->domains_evicted);
	json_u64(w, "templates_evicted", st->templates_evicted);
	json_u64(w, "template_bytes", st->mem_bytes);
	json_u64(w, "template_bytes_bound", st->mem_limit);
	json_u64(w, "file_records", st->file_records);
	json_u64(w, "records_without_time", st->no_time);
	json_u64(w, "file_errors", st->file_errors);
	json_str(w, "first_file_error", st->file_error);
	json_u64(w, "sflow_counter_samples", st->sflow_counters);
	json_u64(w, "sflow_other_skipped", st->sflow_other);
	json_u64(w, "sflow_headers_not_ip", st->sflow_not_ip);
	json_arr_open(w, "exporters");
	for (int i = 0; i < st->n_exp; i++) {
		const struct flow_exp_stats *e = &st->exp[i];

		json_obj_open(w, NULL);
		json_str(w, "address", e->port || e->addr.af ? ns_addr_fmt(&e->addr, a, sizeof(a)) : "");
		json_u64(w, "port", e->port);
		json_str(w, "protocol", proto_of(e->version));
		json_u64(w, "domain", e->domain);
		json_u64(w, "messages", e->messages);
		json_u64(w, "flows", e->records);
		json_u64(w, "templates", e->templates);
		json_u64(w, "templates_held", e->templates_live);
		json_u64(w, "templates_redefined", e->templates_redefined);
		json_u64(w, "templates_expired", e->templates_expired);
		json_u64(w, "data_sets_without_template", e->no_template_sets);
		json_u64(w, "sequence_lost", e->seq_lost);
		json_u64(w, "sequence_jumps", e->seq_jumps);
		json_u64(w, "samples_lost", e->samples_lost);
		json_u64(w, "sample_drops", e->sample_drops);
		json_u64(w, "refused", e->bad);
		json_u64(w, "options_records", e->options);
		json_u64(w, "sampling_interval", e->sampling);
		json_obj_close(w);
	}
	json_arr_close(w);
	json_u64(w, "exporters_not_listed", st->exp_more);
	json_str(w, "cannot_show", limits);
	json_str(w, "verdicts", weaker);
	if (has_sflow(st))
		json_str(w, "sflow_cannot_show", sflow_limits);
	json_obj_close(w);
}
