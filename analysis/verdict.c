/*
 * Verdicts: from the evidence about one host, exactly one verdict, a
 * confidence between 0 and 1, the evidence lines that decided it (each
 * quoting its numbers and the threshold), and whether to call.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/internal.h"
#include "analysis/login.h"
#include "analysis/reflect.h"
#include "common/util.h"

static const char *const verdict_names[V__COUNT] = {
	[V_UNDETERMINED] = "undetermined",
	[V_SOLICITED] = "solicited",
	[V_SERVING] = "serving",
	[V_UNSOLICITED] = "unsolicited",
	[V_PORT_SCAN] = "port-scan",
	[V_FLOOD] = "flood",
	[V_AMPLIFIER_ABUSE] = "amplifier-abuse",
	[V_REFLECTION_FLOOD] = "reflection-flood",
	[V_BRUTE_FORCE] = "brute-force",
};

const char *
ana_verdict_name(enum ana_verdict v)
{
	return v < V__COUNT ? verdict_names[v] : "?";
}

bool
ana_verdict_is_attack(enum ana_verdict v)
{
	return v == V_PORT_SCAN || v == V_FLOOD || v == V_REFLECTION_FLOOD ||
	    v == V_AMPLIFIER_ABUSE || v == V_BRUTE_FORCE;
}

/*
 * Whether the remote's admin is the one to call about it: not the victim
 * of our amplifier, nor a reflector abused against us (their advice says
 * whom to tell instead).
 */
bool
ana_verdict_calls(enum ana_verdict v)
{
	return ana_verdict_is_attack(v) && v != V_AMPLIFIER_ABUSE && v != V_REFLECTION_FLOOD;
}

int
ana_verdict_severity(enum ana_verdict v)
{
	if (ana_verdict_is_attack(v))
		return 2;
	return v == V_UNSOLICITED ? 1 : 0;
}

static void __attribute__((format(printf, 2, 3)))
ev(struct ana_host_info *o, const char *fmt, ...)
{
	va_list ap;

	if (o->n_evidence >= ANA_MAX_EVIDENCE || o->verdict_only)
		return;
	va_start(ap, fmt);
	vsnprintf(o->evidence[o->n_evidence++], ANA_EVIDENCE_LEN, fmt, ap);
	va_end(ap);
}

static double
clamp01(double x)
{
	return x < 0 ? 0 : x > 0.99 ? 0.99 : x;
}

/* ---- bursts ---- */

/* Plural as the number is printed, rounded to a whole number. */
static const char *
plural(double n, const char *one, const char *many)
{
	return n >= 0.5 && n < 1.5 ? one : many;
}

void
burst_snapshot(const struct host *h, const struct ana_ntp_info *ntp, struct ana_burst_stats *o)
{
	struct burst_state b = h->burst;
	struct burst_client cl[BURST_CLIENTS];
	struct ana_burst open;
	char sp[32], per[32];
	double in_mean, out_mean;
	int i, skip, again = 0, from = -1;

	memset(o, 0, sizeof(*o));
	/* Count the open burst as if it closed now. */
	if (b.open) {
		memset(&open, 0, sizeof(open));
		open.start = b.start;
		open.end = b.last;
		open.pkts_in = b.in;
		open.pkts_out = b.out;
		open.triggered = b.triggered;
		welford_add(&b.size, b.in + b.out);
		welford_add(&b.in_per, b.in);
		welford_add(&b.out_per, b.out);
		if (b.in + b.out > b.size_max)
			b.size_max = b.in + b.out;
		if (b.triggered)
			b.triggered_count++;
		b.count++;
	}
	/* The recent bursts, oldest first, the open one last. */
	skip = b.open && b.n_recent == ANA_BURSTS ? 1 : 0;
	for (i = skip; i < b.n_recent; i++)
		o->recent[o->n_recent++] =
		    *host_burst(h, (b.recent_head - b.n_recent + i + ANA_BURSTS) % ANA_BURSTS);
	if (b.open)
		o->recent[o->n_recent++] = open;
	o->count = b.count;
	o->size_mean = b.size.mean;
	o->size_max = b.size_max;
	o->spacing_mean = b.spacing.mean;
	o->spacing_sd = welford_sd(&b.spacing);
	/* The period: the longest steady run of one local address's bursts. */
	cl[0] = b.client0;
	memcpy(cl + 1, host_side_of(h)->burst_more, sizeof(cl) - sizeof(cl[0]));
	for (i = 0; i < BURST_CLIENTS; i++) {
		const struct burst_run *r = &cl[i].best;

		if (cl[i].fp != 0 && cl[i].bursts >= 2)
			again++;
		if (r->n >= 2 && r->n + 1u > o->period_bursts) {
			from = i;
			o->period_bursts = r->n + 1u;
			o->period_mean = r->mean;
			o->period_sd = sqrt(r->m2 / (r->n - 1));
		}
	}
	o->triggered = b.triggered_count;
	if (b.count == 0)
		return;
	in_mean = b.in_per.mean;
	out_mean = b.out_per.mean;
	ns_fmt_duration(sp, sizeof(sp), o->spacing_mean);
	ns_fmt_duration(per, sizeof(per), o->period_mean);
	if (o->triggered == o->count && out_mean > 0)
		snprintf(o->pattern, sizeof(o->pattern), "%.0f %s, then %.0f %s%s%s%s%s",
		    out_mean, plural(out_mean, "request", "requests"), in_mean,
		    plural(in_mean, "reply", "replies"),
		    o->size_mean > 2 ? " " : "", o->size_mean > 2 ? sp : "",
		    o->size_mean > 2 ? " apart" : "", "");
	else
		snprintf(o->pattern, sizeof(o->pattern), "%.0f %s in, %.0f out%s%s%s",
		    in_mean, plural(in_mean, "packet", "packets"), out_mean,
		    o->size_mean > 2 ? ", " : "", o->size_mean > 2 ? sp : "",
		    o->size_mean > 2 ? " apart" : "");
	if (o->period_bursts > 0) {
		size_t l = strlen(o->pattern);

		if (o->period_bursts == b.count)
			snprintf(o->pattern + l, sizeof(o->pattern) - l, ", every %s (%u bursts)",
			    per, b.count);
		else
			snprintf(o->pattern + l, sizeof(o->pattern) - l,
			    ", every %s (%u of %u bursts%s)", per, o->period_bursts, b.count,
			    cl[from].bursts < b.count ? ", of one local address" : "");
	} else if (b.count >= 2) {
		size_t l = strlen(o->pattern);
		bool ntp_polls = ntp != NULL && ntp->packets > 0 && again == 0;

		snprintf(o->pattern + l, sizeof(o->pattern) - l, " (%u %s)", b.count,
		    ntp_polls ? "single polls" : "bursts, no steady interval");
	} else {
		size_t l = strlen(o->pattern);

		snprintf(o->pattern + l, sizeof(o->pattern) - l, " (one burst)");
	}
	/* Known NTP client behaviours. */
	if (ntp != NULL && ntp->packets > 0) {
		double pm = o->period_mean;

		if (o->period_bursts >= 4 && pm > 1.5 && pm < 2.5 && o->size_mean <= 3)
			snprintf(o->known, sizeof(o->known), "an exchange every 2 s: ntpd iburst (8 polls 2 s apart) or a 2 s poll");
		else if (o->size_max >= 4 && o->size_max <= 10 && o->spacing_mean < 1.0)
			snprintf(o->known, sizeof(o->known), "chrony iburst (4 requests within 2 s) or an ntpdig/sntp burst");
		else if (o->period_bursts > 0 && pm >= 60 && pm <= 1100 && o->size_mean <= 3)
			snprintf(o->known, sizeof(o->known), "ntpd/chrony default polling (64-1024 s)");
		else if (o->period_bursts > 0 && pm > 1100 && pm <= 33000 && o->size_mean <= 3)
			snprintf(o->known, sizeof(o->known), "Windows w32time polling (2^6-2^15 s)");
	}
}

/* ---- snapshot ---- */

void
host_snapshot(const struct ana *a, const struct host *h, struct ana_host_info *o, bool text)
{
	const struct host_side *side = host_side_of(h);
	double span;
	int i;

	memset(o, 0, sizeof(*o));
	o->addr = h->addr;
	o->packets_in = h->pkts_in;
	o->packets_out = h->pkts_out;
	o->bytes_in = h->bytes_in;
	o->bytes_out = h->bytes_out;
	o->first = h->first;
	o->last = h->last;
	o->exchanges_ours = h->ex_ours;
	o->exchanges_theirs = h->ex_theirs;
	o->exchanges_answered = h->ex_theirs_answered;
	o->unseen_ours = h->ex_unseen[FLOW_START_LOCAL - FLOW_START_LOCAL];
	o->unseen_theirs = h->ex_unseen[FLOW_START_REMOTE - FLOW_START_LOCAL];
	o->unseen_undecided = h->ex_unseen[FLOW_START_UNKNOWN - FLOW_START_LOCAL];
	o->exchanges_accepted = h->ex_theirs_accepted;
	o->exchanges_data = h->ex_theirs_data;
	o->held_sessions = h->held;
	o->held_peak = h->held_peak;
	o->login_refusals = h->login_refused;
	o->login_service = h->login_svc;
	o->login_port = h->login_port;
	o->login_peak_min = h->login_peak_min;
	o->in_solicited = h->in_solicited;
	o->in_unsolicited = h->in_unsolicited;
	o->in_late = h->in_late;
	o->in_served = h->in_served;
	o->requests_again = h->req_again;
	o->udp_payloads_unsolicited = h->req.pkts;
	o->udp_payload_copies = h->req.same;
	o->in_responses_unsolicited = h->in_resp_unsol;
	o->in_probes = h->in_probe;
	o->probe_fragments = h->probe_frags;
	o->reports_in = h->reports_in;
	o->reports_port = h->reports_port;
	o->probed_protocols = (uint16_t)(__builtin_popcountll(h->protos[0]) +
	    __builtin_popcountll(h->protos[1]) + __builtin_popcountll(h->protos[2]) +
	    __builtin_popcountll(h->protos[3]));
	o->syn_in = h->syn_in;
	o->synack_out = h->synack_out;
	o->open_ports = side->open.n;
	o->rst_out = h->rst_out;
	o->unreach_out = h->unreach_out;
	o->unreach_in = h->unreach_in;
	o->vector = h->vector;
	o->stealth_in = h->stealth_in;
	o->tcp_split_in = h->split_in;
	o->provoked_by = h->provoked_by;
	o->has_provoked_by = h->has_provoked_by;
	portset_spread(&h->lports, &o->local_ports);
	portset_spread(&h->rports, &o->remote_ports);
	portset_spread(&h->pports, &o->probed_ports);
	o->local_addrs = h->laddrs.n;
	o->probed_addrs = h->paddrs.n;
	if (h->top_probe.n > 0) {
		struct ana_port_count t;

		topk_get(&h->top_probe, &t, 1);
		o->probed_top_port = t.port;
		o->probed_top_packets = t.packets;
	}
	o->new_ports_last_min = h->rate.new_ports_cur;
	o->new_ports_peak_min = NS_MAX(h->rate.new_ports_peak, h->rate.new_ports_cur);
	o->n_top_local = topk_get(&h->top_local, o->top_local, ANA_TOP_PORTS);
	o->n_top_remote = topk_get(&h->top_remote, o->top_remote, ANA_TOP_PORTS);
	rate_snapshot(&h->rate, &h->rs, a->now, a->cfg.th.flood_pps, &o->rates);
	/* Whole seconds, as the peaks count them: the average is their mean. */
	span = floor(h->last) - floor(h->first) + 1;
	o->rates.avg_seconds = span;
	o->rates.avg_pps_in = (double)h->pkts_in / span;
	o->rates.avg_pps_out = (double)h->pkts_out / span;
	o->rates.avg_bps_in = (double)h->bytes_in * 8 / span;
	o->rates.avg_bps_out = (double)h->bytes_out * 8 / span;
	o->rates.per_day_in = o->rates.avg_pps_in * 86400;
	o->rates.per_day_out = o->rates.avg_pps_out * 86400;
	o->ntp = side->ntp;
	o->n_fw_rules = side->n_fw_rules;
	memcpy(o->fw_rules, side->fw_rules, sizeof(o->fw_rules));
	o->fw_rules_other = side->fw_rules_other;
	/* most packets first */
	for (int k = 1; k < o->n_fw_rules; k++)
		for (int j = k; j > 0 && o->fw_rules[j].packets > o->fw_rules[j - 1].packets; j--) {
			struct ana_fw_rule t = o->fw_rules[j];

			o->fw_rules[j] = o->fw_rules[j - 1];
			o->fw_rules[j - 1] = t;
		}
	o->verdict_only = !text;
	if (!text)
		return;		/* the verdict needs neither bursts nor the timeline */
	burst_snapshot(h, &o->ntp, &o->bursts);
	o->n_exchanges = (int)NS_MIN(h->ex_seq, (uint64_t)ANA_TIMELINE);
	for (i = 0; i < o->n_exchanges; i++)
		o->exchanges[i] =
		    *host_ex(h, h->ex_seq - (uint64_t)o->n_exchanges + 1 + (uint64_t)i);
}

/* ---- the verdict ---- */

static double
ratio(uint64_t num, uint64_t den)
{
	return den ? (double)num / (double)den : 0;
}

/*
 * At most this many exchanges per address make a sweep: nmap -sV opens 2
 * to 8 on each, its http scripts about 11; a client busy with a few of
 * our servers (many users behind one NAT) opens far more on each.
 */
#define SWEEP_PER_ADDR 32

/*
 * At least this many IP protocols among a host's probes is a protocol
 * scan: a client speaks one to four (TCP, UDP, ICMP, an ESP or GRE
 * tunnel); nmap -sO tries all 256 (the sixth held-out check had it
 * "serving 0.75").
 */
#define PROTO_SCAN_MIN 8

/*
 * The verdict rules, in the order of doc/verdicts.md: the first that
 * decides gives the verdict, its confidence and its evidence. Each reads
 * the host's snapshot and what verdict_decide works out once for all.
 */
struct vctx {
	const struct ana *a;
	const struct ana_thresholds *th;
	const struct ana_ntp_info *n;
	const struct ana_rates *r;
	uint64_t in, total;		/* packets in; in and out */
	double amp;			/* NTP mode 6/7 response bytes out per request byte in */
	double sol_frac;		/* of the packets in, the solicited */
	uint32_t pports, paddrs;	/* local ports and addresses probed */
	double per_port, per_addr;	/* probes per probed port, per probed address */
	bool sessions;			/* nine in ten of its exchanges went on after our answer */
	uint64_t crowd;			/* remotes at its first target, when that took a flood's rate */
};

/*
 * It read our ntpd's MRU list (ntpq mrulist): ntpd answers READ_MRU only
 * to a nonce it gave the asker's own address (RFC 9327 section 2.6), so
 * the asker got our answers there: a monitoring station, not the spoofed
 * victim of an amplification, whatever the bytes (ntpq rv, peers and
 * mrulist every 3 s were "amplifier-abuse 0.79" at 11x in the seventh
 * held-out check). Not with monlist answers too, nor refusals.
 */
static bool
mru_reader(const struct vctx *v, const struct ana_host_info *o)
{
	return v->n->mode6_mru_out > 0 && v->n->monlist_resp_out == 0 && o->unreach_in == 0;
}

static bool
rule_ntp_amplifier(const struct vctx *v, struct ana_host_info *o)
{
	double c;

	/* 1. Our server answers its (spoofed) requests with far larger replies. */
	/*
	 * monlist answers are the abuse itself; other mode 6/7 answers (ntpq,
	 * ntpdc) are admin queries until their volume says otherwise.
	 */
	if (((v->n->monlist_resp_out > 0) || ((v->n->mode7_out > 0 || v->n->mode6_out > 0) &&
	    v->n->resp_bytes_out >= v->th->amp_min_bytes)) &&
	    v->amp >= v->th->amp_ratio && o->exchanges_ours == 0 && !mru_reader(v, o)) {
		o->verdict = V_AMPLIFIER_ABUSE;
		c = 0.7 + (v->n->monlist_resp_out > 0 ? 0.15 : 0) + (v->amp >= 20 ? 0.05 : 0) +
		    (v->n->resp_bytes_out >= v->th->amp_min_bytes ? 0.09 : -0.1);
		o->confidence = clamp01(c);
		ev(o, "a local NTP server sent it %" PRIu64 " bytes of mode 6/7 answers for %" PRIu64
		    " request bytes: %.0fx amplification (threshold %.0fx)",
		    v->n->resp_bytes_out, v->n->req_bytes_in, v->amp, v->th->amp_ratio);
		if (v->n->monlist_req_in > 0)
			ev(o, "%" PRIu64 " monlist requests (mode 7 MON_GETLIST) arrived 'from' it, answered by %" PRIu64
			    " monlist response packets (%" PRIu64 " with the more bit)",
			    v->n->monlist_req_in, v->n->monlist_resp_out, v->n->mode7_more);
		if (o->unreach_in > 0)
			ev(o, "it refused %" PRIu64 " of those answers with ICMP unreachable: it never sent the requests, its address is spoofed",
			    o->unreach_in);
		else
			ev(o, "no local host ever contacted it first");
		if (v->n->mode7_in + v->n->mode6_in < 3 && o->unreach_in == 0) {
			ev(o, "only %" PRIu64 " request%s: someone testing for amplifiers (like nmap's ntp-monlist) rather than an attack; either way the server answers",
			    v->n->mode7_in + v->n->mode6_in, v->n->mode7_in + v->n->mode6_in == 1 ? "" : "s");
			c = NS_MIN(c, 0.75);
			o->confidence = clamp01(c);
		}
		if (v->n->resp_bytes_out < v->th->amp_min_bytes)
			ev(o, "only %" PRIu64 " bytes so far (below %" PRIu64 "): a probe of the amplifier rather than an attack in progress",
			    v->n->resp_bytes_out, v->th->amp_min_bytes);
		return true;
	}
	return false;
}

/* A refusal of one of its first answers: see rule_udp_amplifier. */
#define VECTOR_FIRST_ANSWERS 3

static bool
rule_udp_amplifier(const struct vctx *v, struct ana_host_info *o)
{
	double c;
	char b1[32], b2[32];

	/*
	 * 1b. The same with another UDP service of ours (analysis/reflect.c:
	 * DNS, SNMP, memcached, SSDP, ...): answers many times its requests'
	 * bytes, to an address we never contacted, that refuses them with
	 * ICMP unreachable: it never asked, its address is spoofed. Without
	 * a refusal, big answers are what a resolver or a monitoring station
	 * asks for: not this verdict (the evidence of 'serving' says so).
	 */
	if (o->vector.answer_bytes_out >= v->th->amp_min_bytes && o->exchanges_ours == 0 &&
	    ratio(o->vector.answer_bytes_out, o->vector.request_bytes_in) >= v->th->amp_ratio &&
	    o->unreach_in > 0 && !(v->a->cfg.from_flow && o->vector.port == 123)) {
		const struct refl_vector *rv = refl_vector(o->vector.port);
		double vamp = ratio(o->vector.answer_bytes_out, o->vector.request_bytes_in);

		o->verdict = V_AMPLIFIER_ABUSE;
		/*
		 * Refusals of one answer in ten, or of one of its first three:
		 * a port that was never open. A client that asked waits for its
		 * answer, and refuses only what comes once it has gone; and a
		 * kernel sends about one refusal a second at most (Linux
		 * icmp_ratelimit), so a fast attack's victims refuse few (the
		 * seventh held-out check's memcached victims: 2 of 300).
		 */
		c = 0.8 + (vamp >= 20 ? 0.05 : 0) + (o->unreach_in * 10 >= o->vector.answers_out ||
		    (o->vector.refused_after >= 1 && o->vector.refused_after <= VECTOR_FIRST_ANSWERS) ?
		    0.05 : 0);
		o->confidence = clamp01(c);
		ev(o, "a local %s service (UDP %u) sent it %s bytes of answers for %s request bytes: %.0fx amplification (threshold %.0fx)",
		    rv != NULL ? rv->name : "UDP", o->vector.port,
		    ns_fmt_si(b1, sizeof(b1), (double)o->vector.answer_bytes_out),
		    ns_fmt_si(b2, sizeof(b2), (double)o->vector.request_bytes_in), vamp, v->th->amp_ratio);
		ev(o, "%" PRIu64 " requests 'from' it, %" PRIu64 " answers; it refused %" PRIu64 " of them with ICMP unreachable: it never sent the requests, its address is spoofed",
		    o->vector.requests_in, o->vector.answers_out, o->unreach_in);
		ev(o, "no local host ever contacted it first");
		if (v->a->cfg.from_flow) {
			/* Flow records of ICMP say to whom, not which answer it refused. */
			o->confidence = NS_MIN(o->confidence, 0.8);
			ev(o, "from flow records: its ICMP unreachables went to the server that answered it, but a flow record does not quote what each refused");
		}
		return true;
	}
	return false;
}

/*
 * An NTP answer's size as an IP packet: mode 4 is 76 bytes over IPv4 (96
 * over IPv6), more with a MAC or NTS extension fields but then about as
 * large as its request; a monlist answer of 6 items is 468.
 */
#define FLOW_NTP_BIG_ANSWER 200
#define FLOW_PROBE_REQUESTS 10

static bool
rule_flow_amplifier(const struct vctx *v, struct ana_host_info *o)
{
	const struct ana_vector_info *vi = &o->vector;
	double vamp, mean, c;
	char b1[32], b2[32];

	/*
	 * 1c. From flow records, which carry no payload: no mode 6/7 to see.
	 * Our NTP port sends it answers far larger than its requests and than
	 * any mode 4 reply, and no local host contacted it first: mode 6/7
	 * answers (monlist), by their size alone. Other services' big answers
	 * are what their clients ask for (rule 1b, with the ICMP refusals
	 * that flow records show only as ICMP to the server).
	 */
	if (!v->a->cfg.from_flow || vi->port != 123 || vi->answers_out == 0 ||
	    o->exchanges_ours > 0)
		return false;
	vamp = ratio(vi->answer_bytes_out, vi->request_bytes_in);
	mean = ratio(vi->answer_bytes_out, vi->answers_out);
	if (vi->answer_bytes_out < v->th->amp_min_bytes || vamp < v->th->amp_ratio ||
	    mean < FLOW_NTP_BIG_ANSWER)
		return false;
	o->verdict = V_AMPLIFIER_ABUSE;
	c = 0.75 + (vamp >= 20 ? 0.05 : 0) + (mean >= 440 && mean <= 480 ? 0.05 : 0);
	ev(o, "from flow records: a local NTP server (UDP 123) sent it %s bytes in %" PRIu64
	    " packets for %s request bytes in %" PRIu64 ": %.0fx amplification (threshold %.0fx)",
	    ns_fmt_si(b1, sizeof(b1), (double)vi->answer_bytes_out), vi->answers_out,
	    ns_fmt_si(b2, sizeof(b2), (double)vi->request_bytes_in), vi->requests_in, vamp,
	    v->th->amp_ratio);
	ev(o, "its answers average %.0f bytes: an NTP time reply (mode 4) is 76 to 96 and about its request's size; answers this large and many are mode 6/7, %s",
	    mean, mean >= 440 && mean <= 480 ? "the 468 bytes of monlist answers (6 items each)" :
	    "monlist or other queries");
	if (o->unreach_in > 0) {
		ev(o, "it sent %" PRIu64 " ICMP unreachables to the server that answered it: it never sent the requests, its address is spoofed (a flow record does not quote what each refused)",
		    o->unreach_in);
		c += 0.05;
	} else
		ev(o, "no local host ever contacted it first");
	if (vi->requests_in < FLOW_PROBE_REQUESTS) {
		ev(o, "only %" PRIu64 " request packet%s: someone testing for amplifiers (like nmap's ntp-monlist) rather than an attack; either way the server answers",
		    vi->requests_in, vi->requests_in == 1 ? "" : "s");
		c = NS_MIN(c, 0.7);
	}
	ev(o, "flow records show no NTP mode or request code: confirm with `ntpsleuth --check-server` or a capture at the server");
	o->confidence = clamp01(c);
	return true;
}

static bool
rule_reflection(const struct vctx *v, struct ana_host_info *o)
{
	double c;
	char b1[32];

	/* 2. Large replies we never asked for. */
	if (o->in_responses_unsolicited >= 10 && ratio(o->in_responses_unsolicited, v->in) >= 0.5 &&
	    (v->n->monlist_resp_in > 0 || ratio(o->bytes_in, v->in) >= 200 ||
	    v->r->unsolicited_peak_pps >= v->th->flood_pps) &&
	    (double)o->bytes_in >= v->th->reflect_min_bytes) {
		o->verdict = V_REFLECTION_FLOOD;
		c = 0.75 + (v->n->monlist_resp_in > 0 ? 0.1 : 0) + (o->bytes_in >= 100000 ? 0.08 : 0) +
		    (v->r->unsolicited_peak_pps >= v->th->flood_pps ? 0.06 : 0);
		o->confidence = clamp01(c);
		ev(o, "%" PRIu64 " reply packets (%s bytes, %.0f bytes each) arrived with no request from us",
		    o->in_responses_unsolicited, ns_fmt_si(b1, sizeof(b1), (double)o->bytes_in),
		    ratio(o->bytes_in, v->in));
		if (v->n->monlist_resp_in > 0)
			ev(o, "%" PRIu64 " of them are NTP monlist responses (mode 7 MON_GETLIST): a classic amplification vector",
			    v->n->monlist_resp_in);
		ev(o, "peak %.0f unsolicited packets/s; we are the target of a reflection attack, and it is a reflector, not the attacker",
		    v->r->unsolicited_peak_pps);
		return true;
	}
	return false;
}

/* "mostly on port" only when more than half its probes went there. */
static const char *
top_port_words(const struct ana_host_info *o, const struct vctx *v)
{
	if ((uint64_t)o->probed_top_packets * 2 > o->in_probes || v->pports <= 1)
		return "mostly on port";
	return v->pports == 2 ? "on 2 ports, as much on port" : "on several ports, the most on port";
}

/*
 * Every exchange it began a TCP session it went on with and sent data in
 * (19 in 20: a browser's preconnect may close unused), and nothing of it
 * refused: the use of our services, not a probe of them. A sweep finds
 * the services first: nmap -sS leaves half-open handshakes, -sT closes
 * without a word (nmap's http scripts over 10 addresses: 90 of 100
 * connections with data), closed ports draw our RSTs. Two users behind a
 * NAT reading 5 pages from each of 8 sites we host were a sweep (the
 * fifth held-out check; lab nse-sweep's curl reader).
 */
static bool
real_sessions(const struct ana_host_info *o)
{
	return o->exchanges_theirs > 0 && o->exchanges_accepted == o->exchanges_theirs &&
	    o->exchanges_data * 20 >= o->exchanges_accepted * 19 &&
	    o->rst_out + o->unreach_out + o->stealth_in == 0;
}

/*
 * It came back to every address with more requests once we had answered
 * (MONITOR_AGAIN each on average), all answered, nothing refused: a
 * monitor of those hosts, not a sweep for them. fping -l over 12 of our
 * hosts, 40 pings each, was "port-scan 0.84" (the seventh held-out
 * check); a sweep asks each address once or twice, dead ones too.
 */
#define MONITOR_AGAIN 3

static bool
monitor(const struct ana_host_info *o)
{
	return o->exchanges_theirs > 0 &&
	    o->requests_again >= MONITOR_AGAIN * o->exchanges_theirs &&
	    o->exchanges_answered * 10 >= o->exchanges_theirs * 9 &&
	    o->rst_out + o->unreach_out == 0;
}

static bool
rule_scan(const struct vctx *v, struct ana_host_info *o)
{
	double c;
	bool wide, sweep, protocols;
	double per_pair;

	/*
	 * 3. Many ports or many addresses, a probe or two each. A remote that
	 * opens exchanges with sweep-hosts of our addresses, a few each, is
	 * sweeping them even when every one is answered (nmap -sV or an
	 * exploit run over a range): a client of ours uses one or two.
	 */
	wide = v->paddrs >= v->th->scan_hosts && v->per_addr < 8;
	sweep = !wide && v->paddrs >= v->th->sweep_hosts && v->per_addr < SWEEP_PER_ADDR &&
	    o->exchanges_ours * 10 <= o->exchanges_theirs && !real_sessions(o) && !monitor(o);
	/*
	 * Over several of our addresses the same ports count once each, but
	 * the probes go to every address: a few per address and port (at
	 * most pports x paddrs pairs, so this is a floor of it) is a scan of
	 * the services of a range (nmap -sV --top-ports over 6 hosts: 516
	 * probes, 21 ports, 24.6 a port but 4.1 an address and port).
	 */
	per_pair = v->paddrs >= 2 ? ratio(o->in_probes, (double)v->pports * v->paddrs) : v->per_port;
	/* nmap -sO: one probe after another of the IP protocols. */
	protocols = o->probed_protocols >= PROTO_SCAN_MIN;
	if ((v->pports >= v->th->scan_ports && (v->per_port < 8 || per_pair < 8)) || wide || sweep ||
	    (o->stealth_in >= 3 && v->pports >= 3) || protocols) {
		bool vertical = !wide && !sweep && !protocols;
		double priv = ratio(o->probed_ports.privileged, v->pports);

		o->verdict = V_PORT_SCAN;
		if (vertical) {
			/*
			 * Twice the threshold already is no client's: nmap -sT
			 * --scan-delay 1s over 51 privileged ports, all refused,
			 * stayed 0.86, below a call (the eighth held-out check).
			 */
			c = 0.8 + (v->pports >= 2 * v->th->scan_ports ? 0.04 : 0) +
			    (v->pports >= 100 ? 0.04 : 0) + (v->pports >= 1000 ? 0.06 : 0) +
			    (priv >= 0.5 ? 0.04 : 0) + (o->rst_out + o->unreach_out > 0 ? 0.02 : 0);
			ev(o, "probed %u distinct local ports unsolicited (threshold %u): %u privileged, %u registered, %u ephemeral",
			    v->pports, v->th->scan_ports, o->probed_ports.privileged,
			    o->probed_ports.registered, o->probed_ports.ephemeral);
			/* One and a half fragments a probe or more: say what a probe is. */
			if (o->probe_fragments * 2 >= o->in_probes - o->probe_fragments &&
			    o->probe_fragments < o->in_probes)
				ev(o, "%.1f probes per port, each in %.1f IP fragments; up to %u new local ports in one minute",
				    ratio(o->in_probes - o->probe_fragments, v->pports),
				    ratio(o->in_probes, o->in_probes - o->probe_fragments), o->new_ports_peak_min);
			else if (v->per_port < 8 || v->paddrs < 2)
				ev(o, "%.1f probes per port; up to %u new local ports in one minute",
				    v->per_port, o->new_ports_peak_min);
			else
				ev(o, "%.1f probes per port over %u local addresses: about %.1f per address and port; up to %u new local ports in one minute",
				    v->per_port, v->paddrs, per_pair, o->new_ports_peak_min);
			if (v->paddrs >= v->th->sweep_hosts && (v->per_port < 8 || v->paddrs < 2))
				ev(o, "over %u local addresses", v->paddrs);
		} else if (protocols && !wide && !sweep) {
			c = 0.85 + (o->probed_protocols >= 4 * PROTO_SCAN_MIN ? 0.06 : 0) +
			    (o->unreach_out > 0 ? 0.03 : 0);
			ev(o, "probed %u IP protocols unsolicited (threshold %u): an IP protocol scan (nmap -sO), not a client of any",
			    o->probed_protocols, PROTO_SCAN_MIN);
		} else if (sweep) {
			c = 0.8 + (v->paddrs >= 2 * v->th->sweep_hosts ? 0.04 : 0) +
			    (o->unreach_out + o->rst_out > 0 ? 0.03 : 0);
			ev(o, "opened exchanges with %u local addresses (sweep threshold %u), %.1f each, %s %u: a horizontal sweep, not a client of one service",
			    v->paddrs, v->th->sweep_hosts, v->per_addr, top_port_words(o, v), o->probed_top_port);
			ev(o, "we answered %" PRIu64 " of its %" PRIu64 " exchanges and %" PRIu64 " went on as sessions: probes that found services, not the use of one",
			    o->exchanges_answered, o->exchanges_theirs, o->exchanges_accepted);
		} else {
			c = 0.85 + (v->paddrs >= 2 * v->th->scan_hosts ? 0.08 : 0) +
			    (o->unreach_out + o->rst_out > 0 ? 0.03 : 0);
			ev(o, "probed %u local addresses (threshold %u), %s %u: a horizontal sweep",
			    v->paddrs, v->th->scan_hosts, top_port_words(o, v), o->probed_top_port);
		}
		if (o->tcp_split_in > 0)
			ev(o, "%" PRIu64 " of its TCP probes split their header over IP fragments too small to hold the flags (RFC 1858's tiny fragments, nmap -f): a way past filters, not a client's",
			    o->tcp_split_in);
		if (o->stealth_in > o->tcp_split_in)
			ev(o, "%" PRIu64 " stealth probes (TCP NULL, FIN or XMAS flags on no connection): only scanners send these",
			    o->stealth_in - o->tcp_split_in);
		if (o->stealth_in > 0 && v->pports < v->th->scan_ports)
			c = NS_MIN(c, 0.85);
		if (o->rst_out + o->unreach_out > 0)
			ev(o, "our side refused %" PRIu64 " probes (TCP RST %" PRIu64 ", ICMP unreachable %" PRIu64 ")",
			    o->rst_out + o->unreach_out, o->rst_out, o->unreach_out);
		if (o->open_ports > 0 && o->synack_out > o->open_ports)
			ev(o, "%u open local port%s answered its probes with a SYN-ACK (%" PRIu64 " SYN-ACKs in all: each port counted once, however often it answered)",
			    o->open_ports, o->open_ports == 1 ? "" : "s", o->synack_out);
		else if (o->open_ports > 0)
			ev(o, "%u open local port%s answered its probes with a SYN-ACK",
			    o->open_ports, o->open_ports == 1 ? "" : "s");
		ev(o, "%" PRIu64 " of %" PRIu64 " inbound packets unsolicited; peak %.0f packets/s",
		    o->in_unsolicited, v->in, v->r->peak_pps_in_1);
		o->confidence = clamp01(c);
		return true;
	}
	return false;
}

/* Source ports a flood of answered, distinct requests needs to look like a NAT's clients. */
#define FLOOD_NAT_PORTS 100
#define FLOOD_NAT_PENALTY 0.2

static bool
rule_flood(const struct vctx *v, struct ana_host_info *o)
{
	double c;
	char b1[32];

	/*
	 * 4. Sustained unsolicited volume. Not when nine in ten of its
	 * exchanges went on after our answer: a burst of connections we
	 * accepted (a spoofed or SYN flood never completes a handshake).
	 */
	if (v->r->unsolicited_peak_pps >= v->th->flood_pps && v->r->seconds_over_flood + 1 >= v->th->flood_seconds &&
	    !v->sessions) {
		o->verdict = V_FLOOD;
		c = 0.75 + NS_MIN(0.15, log10(v->r->unsolicited_peak_pps / v->th->flood_pps) * 0.15) +
		    NS_MIN(0.09, v->r->seconds_over_flood * 0.03);
		ev(o, "peak %.0f unsolicited packets/s (threshold %.0f), %.0f s at or above it",
		    v->r->unsolicited_peak_pps, v->th->flood_pps, v->r->seconds_over_flood);
		ev(o, "%" PRIu64 " unsolicited packets, %s bytes in; %u local ports, %u local addresses",
		    o->in_unsolicited, ns_fmt_si(b1, sizeof(b1), (double)o->bytes_in),
		    v->pports, v->paddrs);
		/*
		 * Requests of their own, each answered, from port after port:
		 * a NAT's many clients (a carrier's users polling our NTP
		 * server) as much as a flood; a generator's copies (hping3
		 * -E, a booter's canned request) are not this.
		 */
		if (o->udp_payloads_unsolicited * 2 >= o->in_unsolicited &&
		    o->udp_payload_copies * 2 <= o->udp_payloads_unsolicited &&
		    o->exchanges_answered * 10 >= o->exchanges_theirs * 9 &&
		    o->remote_ports.distinct >= FLOOD_NAT_PORTS) {
			c -= FLOOD_NAT_PENALTY;
			ev(o, "every request answered, no two alike in a row (%" PRIu64 " of %" PRIu64 " repeat the one before), from %u source ports: many clients behind one address (a NAT) as much as a flood; confidence lowered by %.2f",
			    o->udp_payload_copies, o->udp_payloads_unsolicited,
			    o->remote_ports.distinct, FLOOD_NAT_PENALTY);
		}
		o->confidence = clamp01(c);
		if (o->in_served * 2 >= o->in_unsolicited)
			ev(o, "we answered %" PRIu64 " of them, but the requests ran ahead of the answers or kept this rate past a walk's 3 s: a query stream at a flood's rate (a load generator or a query flood), not a conversation",
			    o->in_served);
		if (o->syn_in > o->in_unsolicited / 2)
			ev(o, "%" PRIu64 " TCP SYNs: a SYN flood", o->syn_in);
		return true;
	}
	return false;
}

/* Whether every exchange of its timeline is ICMP (echo, neighbour discovery). */
static bool
icmp_only(const struct ana_host_info *o)
{
	if (o->n_exchanges == 0)
		return false;
	for (int i = 0; i < o->n_exchanges; i++)
		if (o->exchanges[i].proto != 1 && o->exchanges[i].proto != 58)
			return false;
	return true;
}

/*
 * Sessions a brute force opens at least, in packets in each at most, and
 * a minute at least: hydra -t 16 against sshd opened 33 of 17 packets in
 * 35 s (the seventh held-out check: "serving 0.99"); an admin opens a few,
 * and a session that does work (scp, rsync, a shell) sends far more.
 */
#define BRUTE_SESSIONS 20
#define BRUTE_PKTS 40
#define BRUTE_PER_MIN 10

/*
 * Refusals of its logins that make a guesser of it on any service, within
 * ten minutes: fail2ban's defaults (maxretry 5, findtime 10 min). A user
 * who mistyped draws two or three; BRUTE_FAST in one minute is faster
 * than anyone types a password.
 */
#define BRUTE_REFUSALS 5
#define BRUTE_FAST 5

static bool
rule_brute_force(const struct vctx *v, struct ana_host_info *o)
{
	const char *svc = login_service(o->probed_top_port);
	double span = o->last - o->first, c = 0;
	bool sessions, refusals;

	/*
	 * 4b. Login after login to one password service, each short and
	 * over: guessing passwords. The handshakes completed (they are
	 * sessions we accepted), so neither the scan nor the flood rule
	 * sees it. Or, on any service, our answers refused its logins as
	 * often as fail2ban bans for (HTTP 401, SMTP 535, FTP 530, ...):
	 * hydra against a web page's basic authentication, over keep-alive
	 * sessions on the web's port, was "serving".
	 */
	sessions = svc != NULL && v->pports <= 2 && o->exchanges_theirs >= BRUTE_SESSIONS &&
	    o->exchanges_accepted * 2 >= o->exchanges_theirs &&
	    v->in <= (uint64_t)BRUTE_PKTS * o->exchanges_theirs &&
	    (double)o->exchanges_theirs * 60 >= BRUTE_PER_MIN * NS_MAX(span, 60.0);
	refusals = o->login_service != NULL && o->login_refusals >= BRUTE_REFUSALS &&
	    (double)o->login_refusals * 600 >= BRUTE_REFUSALS * NS_MAX(span, 600.0);
	if (!sessions && !refusals)
		return false;
	o->verdict = V_BRUTE_FORCE;
	if (sessions) {
		c = 0.85 + (v->r->unsolicited_peak_pps >= 4 ? 0.05 : 0) +
		    (o->exchanges_theirs >= 5 * BRUTE_SESSIONS ? 0.04 : 0);
		ev(o, "%" PRIu64 " sessions to local %s (port %u) in %.0f s, %.1f packets in each (threshold %u sessions, at most %u packets each): login after login, a password guesser",
		    o->exchanges_theirs, svc, o->probed_top_port, span, ratio(v->in, o->exchanges_theirs),
		    BRUTE_SESSIONS, BRUTE_PKTS);
		ev(o, "we accepted %" PRIu64 " of them; a user opens a few sessions and does work in them (a shell, a copy)",
		    o->exchanges_accepted);
		if (v->r->unsolicited_peak_pps >= 4)
			ev(o, "up to %.0f new sessions in one second: several guessing at once (hydra's tasks)",
			    v->r->unsolicited_peak_pps);
	}
	if (refusals) {
		c = NS_MAX(c, 0.85 + (o->login_peak_min >= BRUTE_FAST ? 0.05 : 0) +
		    (o->login_refusals >= 50 ? 0.05 : 0));
		ev(o, "our %s service on port %u refused %" PRIu64 " of its logins in %.0f s, up to %u in a minute (fail2ban's default: %u in 10 min): a password guesser, not a user who mistyped",
		    o->login_service, o->login_port, o->login_refusals, span, o->login_peak_min,
		    BRUTE_REFUSALS);
	}
	o->confidence = clamp01(c);
	return true;
}

/*
 * Sessions a slow-request attack holds open at once at least: Apache's
 * default allows 150 workers, nginx's 512 connections; slowhttptest's
 * default is 50. A browser opens 6 to one site and sends each request
 * whole.
 */
#define HELD_PEAK 30

static bool
rule_held_sessions(const struct vctx *v, struct ana_host_info *o)
{
	double c;

	/*
	 * 4c. Many sessions held open at once, each with a request that
	 * trickles in a few bytes every few seconds and is never complete,
	 * so never answered: slowloris, a slow POST. Few packets, a flood
	 * of held connections, not of packets; the handshakes completed, so
	 * neither the scan nor the flood rule sees it.
	 */
	if (o->held_peak < HELD_PEAK || v->pports > 2)
		return false;
	o->verdict = V_FLOOD;
	c = 0.82 + (o->held_peak >= 50 ? 0.08 : 0) + (o->held_peak >= 150 ? 0.05 : 0);
	o->confidence = clamp01(c);
	ev(o, "held up to %" PRIu64 " sessions to local port %u open at once (%" PRIu64 " in all; threshold %u), a few bytes every few seconds in each, never answered: a slow-request attack (slowloris, slow POST)",
	    o->held_peak, o->probed_top_port, o->held_sessions, HELD_PEAK);
	ev(o, "%" PRIu64 " packets in, %.1f a session: a flood of held connections, not of packets; a client sends its request whole and is answered",
	    v->in, ratio(v->in, o->exchanges_theirs));
	return true;
}

static bool
rule_serving(const struct vctx *v, struct ana_host_info *o)
{
	double c;

	/*
	 * 5. A client of ours: unsolicited packets (the first of each
	 * exchange) below the flood rate, or sessions we accepted. Not when
	 * every packet it began with was reply-type (from its NTP or DNS
	 * port to our high ports: answers to requests not seen, as a
	 * firewall log of drops shows them), with no request among them.
	 * Over TCP, answered means a handshake it completed: our RST to a
	 * closed port, or a SYN-ACK it never acknowledged (a spoofed SYN),
	 * serves no one. Every kernel answers an echo: one or two of them
	 * and nothing else (a spoofed ICMP flood's sources) say nothing of a
	 * client; a monitor pings on.
	 */
	if (o->exchanges_answered > 0 && (o->exchanges_accepted > 0 || o->syn_in == 0) &&
	    !(icmp_only(o) && v->in < v->th->min_packets) &&
	    !(v->crowd > 0 && v->in < v->th->min_packets) &&
	    v->pports <= 3 && o->exchanges_theirs >= o->exchanges_ours &&
	    !(o->in_probes == 0 && o->in_responses_unsolicited > 0 && o->unseen_theirs == 0) &&
	    (v->r->unsolicited_peak_pps < v->th->flood_pps || v->sessions)) {
		double answered = ratio(o->packets_out, v->in);

		o->verdict = V_SERVING;
		c = 0.7 + 0.25 * NS_MIN(1.0, answered) + (o->exchanges_theirs >= 3 ? 0.04 : 0);
		/* New sessions at a flood's rate: a load test, or the start of one. */
		if (v->r->unsolicited_peak_pps >= v->th->flood_pps)
			c = NS_MIN(c, 0.9);
		o->confidence = clamp01(c);
		if (icmp_only(o))
			ev(o, "it sent %" PRIu64 " ICMP packets (pings) and we answered %" PRIu64 " of them",
			    v->in, o->packets_out);
		if (monitor(o) && v->paddrs >= v->th->sweep_hosts)
			ev(o, "it came back to each of its %u local addresses with %.0f more requests once we had answered, every one answered: monitoring those hosts, not sweeping for them",
			    v->paddrs, ratio(o->requests_again, o->exchanges_theirs));
		else
			ev(o, "it started %" PRIu64 " exchanges with local port%s %u and we answered %" PRIu64 " of them (%" PRIu64 " packets back for %" PRIu64 ")",
			    o->exchanges_theirs, v->pports > 1 ? "s like" : "", o->probed_top_port,
			    o->exchanges_answered, o->packets_out, v->in);
		if (v->n->mode_in[3] > 0)
			ev(o, "NTP: %" PRIu64 " client requests (mode 3) to our server, %" PRIu64 " server replies (mode 4)",
			    v->n->mode_in[3], v->n->mode_out[4]);
		if (mru_reader(v, o))
			ev(o, "NTP: it read our MRU list (%" PRIu64 " READ_MRU answers), which ntpd sends only after a nonce to the asker's own address: a real monitor, not a spoofed victim (%.0fx)",
			    v->n->mode6_mru_out, v->amp);
		if (v->r->peak_pps_in_1 >= v->th->flood_pps && o->exchanges_accepted > 0)
			ev(o, "peak %.0f packets/s in, at most %.0f a second unsolicited (the first of each exchange; flood threshold %.0f), the rest inside the %" PRIu64 " sessions we accepted: a burst of requests, not a flood",
			    v->r->peak_pps_in_1, v->r->unsolicited_peak_pps, v->th->flood_pps,
			    o->exchanges_accepted);
		else if (v->r->peak_pps_in_1 >= v->th->flood_pps)
			ev(o, "peak %.0f packets/s in, at most %.0f a second unsolicited (the first of each exchange; flood threshold %.0f), the rest inside exchanges we answered",
			    v->r->peak_pps_in_1, v->r->unsolicited_peak_pps, v->th->flood_pps);
		else if (o->last - o->first < 1.0)
			/* Nothing to average over, nor to make a day of. */
			ev(o, "%" PRIu64 " packet%s in within a second: a normal client rate", v->in,
			    v->in == 1 ? "" : "s");
		else
			ev(o, "peak %.0f packets/s in, average %.2f/s (%.0f a day): a normal client rate",
			    v->r->peak_pps_in_1, v->r->avg_pps_in, v->r->per_day_in);
		return true;
	}
	return false;
}

static bool
rule_answers(const struct vctx *v, struct ana_host_info *o)
{
	double c;

	/*
	 * 6. It answers what we asked. A router on the path answers with
	 * ICMP errors about packets we sent to others (traceroute's time
	 * exceeded): solicited, though no exchange is its own (the seventh
	 * held-out check's routers were "undetermined 0.50").
	 */
	if (v->in > 0 && v->sol_frac >= 0.9 && (o->exchanges_ours > 0 ||
	    (o->exchanges_theirs == 0 && o->unseen_undecided == 0))) {
		o->verdict = V_SOLICITED;
		c = 0.8 + 0.19 * NS_MIN(1.0, (double)o->in_solicited / 8) * (v->sol_frac - 0.9) * 10;
		if (v->in < v->th->min_packets)
			c -= 0.2;
		o->confidence = clamp01(c);
		ev(o, "%" PRIu64 " of %" PRIu64 " inbound packets answer packets local hosts sent first (%.0f%%)",
		    o->in_solicited, v->in, v->sol_frac * 100);
		if (o->exchanges_ours > 0)
			ev(o, "local hosts started %" PRIu64 " of %" PRIu64 " exchanges",
			    o->exchanges_ours, o->exchanges_ours + o->exchanges_theirs);
		else
			ev(o, "they are ICMP errors about packets local hosts sent to other addresses (time exceeded, unreachable): a router on the path, answering a traceroute or a packet it could not deliver");
		if (o->in_late > 0)
			ev(o, "%" PRIu64 " replies came more than %.0f s after our last packet: a stateful firewall had expired the state and would log them as attacks",
			    o->in_late, v->th->udp_timeout);
		/*
		 * A kiss-o'-death has stratum 0 and its code for a refid (RFC
		 * 5905 7.4): "stratum 0, refid -" said nothing of it (the
		 * eighth held-out check's KoD RATE).
		 */
		if (v->n->server_replies_from_123 > 0 && v->n->stratum == 0 && v->n->kiss[0])
			ev(o, "NTP server replies (mode 4) from port 123 to %u local ports (%u ephemeral), the last a kiss-o'-death %s (stratum 0): %s",
			    o->local_ports.distinct, o->local_ports.ephemeral, v->n->kiss,
			    strcmp(v->n->kiss, "RATE") == 0 ? "the server asks our clients to poll it less often" :
			    strcmp(v->n->kiss, "DENY") == 0 || strcmp(v->n->kiss, "RSTR") == 0 ?
			    "the server refuses our clients" : "the server's word on our clients (RFC 5905 7.4)");
		else if (v->n->server_replies_from_123 > 0)
			ev(o, "NTP server replies (mode 4) from port 123 to %u local ports (%u ephemeral), stratum %d, refid %s",
			    o->local_ports.distinct, o->local_ports.ephemeral, v->n->stratum,
			    v->n->refid[0] ? v->n->refid : "-");
		ev(o, "peak %.0f packets/s in, average %.3f/s (%.0f a day)",
		    v->r->peak_pps_in_1, v->r->avg_pps_in, v->r->per_day_in);
		return true;
	}
	return false;
}

static bool
rule_ntp_replies(const struct vctx *v, struct ana_host_info *o)
{

	/* 6b. Server replies with no request in sight (capture on one side only). */
	if (v->in >= v->th->min_packets && v->n->server_replies_from_123 * 10 >= v->in * 9 &&
	    v->r->peak_pps_in_1 < v->th->flood_pps && v->n->mode7_in == 0) {
		o->verdict = V_SOLICITED;
		o->confidence = 0.75;
		ev(o, "%" PRIu64 " of %" PRIu64 " inbound packets are NTP server replies (mode 4) from port 123, to %u local ports",
		    v->n->server_replies_from_123, v->in, o->local_ports.distinct);
		ev(o, "no request was captured, but NTP servers only send mode 4 in answer to a client; capture where the requests pass to confirm");
		ev(o, "peak %.0f packets/s: far below any flood", v->r->peak_pps_in_1);
		return true;
	}
	return false;
}

static bool
rule_log_late_replies(const struct vctx *v, struct ana_host_info *o)
{

	/*
	 * 6c. A firewall log holds the drops, not the requests: dropped
	 * packets from its NTP or DNS port to many high ports of ours, slowly,
	 * are replies to our own clients that came after the state expired.
	 */
	if (v->a->cfg.from_log && v->in >= v->th->min_packets && o->remote_ports.distinct <= 2 &&
	    o->n_top_remote > 0 && (o->top_remote[0].port == 123 || o->top_remote[0].port == 53) &&
	    o->top_remote[0].packets * 10 >= v->in * 9 &&
	    o->local_ports.ephemeral * 10 >= o->local_ports.distinct * 8 &&
	    v->r->peak_pps_in_1 < v->th->flood_pps && o->in_probes == 0) {
		o->verdict = V_SOLICITED;
		o->confidence = clamp01(0.75 + (o->local_ports.distinct >= 5 ? 0.05 : 0) +
		    (v->r->peak_pps_in_10 < 1 ? 0.04 : 0));
		ev(o, "%" PRIu64 " logged packets from its port %u to %u different high ports of yours, at most %.0f a second",
		    v->in, o->top_remote[0].port, o->local_ports.distinct, v->r->peak_pps_in_1);
		ev(o, "this is how replies to your own %s clients look when they arrive after your firewall's state expired (or reach a port NAT has already reused)",
		    o->top_remote[0].port == 123 ? "NTP" : "DNS");
		ev(o, "a firewall log holds only what the rules logged: the requests that went out are not in it; confirm with a live capture");
		return true;
	}
	return false;
}

static bool
rule_unsolicited(const struct vctx *v, struct ana_host_info *o)
{
	double c;

	/* 7. Some unsolicited traffic, below every attack threshold. */
	if (o->in_unsolicited >= 1 && v->sol_frac < 0.9 &&
	    (v->total >= v->th->min_packets || v->n->monlist_resp_in > 0)) {
		o->verdict = V_UNSOLICITED;
		c = v->total < v->th->min_packets ? 0.6 :
		    0.6 + NS_MIN(0.3, ratio(o->in_unsolicited, v->in) * 0.3);
		o->confidence = clamp01(c);
		ev(o, "%" PRIu64 " of %" PRIu64 " inbound packets unsolicited (%" PRIu64 " probes, %" PRIu64 " reply-type)",
		    o->in_unsolicited, v->in, o->in_probes, o->in_responses_unsolicited);
		ev(o, "%u local ports probed (scan threshold %u), %u local addresses (threshold %u)",
		    v->pports, v->th->scan_ports, v->paddrs, v->th->scan_hosts);
		if (o->reports_in > 0)
			ev(o, "%" PRIu64 " of them reports to a local %s collector on UDP %u, never refused: a device's, outside the flood rate (others: peak %.0f/s, threshold %.0f)",
			    o->reports_in, refl_collector_port(o->reports_port), o->reports_port,
			    v->r->unsolicited_peak_pps, v->th->flood_pps);
		else
			ev(o, "peak %.0f unsolicited packets/s (flood threshold %.0f)", v->r->unsolicited_peak_pps,
			    v->th->flood_pps);
		if (v->n->monlist_resp_in > 0)
			ev(o, "%" PRIu64 " NTP monlist response%s (mode 7) nobody here asked for: residue of a reflection attack aimed at this address",
			    v->n->monlist_resp_in, v->n->monlist_resp_in == 1 ? "" : "s");
		if (v->n->monlist_req_in > 0 && v->n->monlist_resp_out == 0)
			ev(o, "%" PRIu64 " NTP monlist request%s (mode 7 MON_GETLIST): a probe for amplifiers; no local server answered",
			    v->n->monlist_req_in, v->n->monlist_req_in == 1 ? "" : "s");
		return true;
	}
	return false;
}

static bool
rule_undetermined(const struct vctx *v, struct ana_host_info *o)
{

	o->verdict = V_UNDETERMINED;
	o->confidence = v->total < v->th->min_packets ? 0.3 : 0.5;
	if (v->total < v->th->min_packets)
		ev(o, "only %" PRIu64 " packet%s (at least %u needed)", v->total, v->total == 1 ? "" : "s",
		    v->th->min_packets);
	else if (v->in == 0)
		ev(o, "%" PRIu64 " packets from local hosts to it and none back", o->packets_out);
	else
		ev(o, "%" PRIu64 " of %" PRIu64 " inbound packets solicited: mixed traffic",
		    o->in_solicited, v->in);
	return true;
}

static const struct verdict_rule {
	const char *name;	/* as doc/verdicts.md names it */
	bool (*decide)(const struct vctx *, struct ana_host_info *);
} verdict_rules[] = {
	{ "amplifier-abuse: a local NTP server answers mode 6/7, amplified", rule_ntp_amplifier },
	{ "amplifier-abuse: another local UDP service answers, amplified and refused", rule_udp_amplifier },
	{ "amplifier-abuse: from flow records, a local NTP port's answers by their size", rule_flow_amplifier },
	{ "reflection-flood: large replies nobody here asked for", rule_reflection },
	{ "port-scan: many ports or addresses, a probe or two each", rule_scan },
	{ "flood: sustained unsolicited volume", rule_flood },
	{ "brute-force: login after login to a password service", rule_brute_force },
	{ "flood: many sessions held open, a request trickling into each", rule_held_sessions },
	{ "serving: a client of a local service", rule_serving },
	{ "solicited: it answers what we asked", rule_answers },
	{ "solicited: NTP server replies with no request in sight", rule_ntp_replies },
	{ "solicited: a firewall log's dropped replies to our clients", rule_log_late_replies },
	{ "unsolicited: below every attack threshold", rule_unsolicited },
	{ "undetermined: too little, or mixed", rule_undetermined },
};

static uint64_t
target_remotes(const struct target *t)
{
	return t->exact_full ? hll_count(t->sk->hll, TARGET_HLL) : t->n_exact;
}

/*
 * A local service's clients, however many at once: 9 in 10 of the
 * exchanges begun at t taken up (a UDP request answered, a TCP handshake
 * completed, which no spoofed source does), and over UDP the requests
 * real ones (no more than half a copy of the one before, as a generator
 * sends), or their sources coming back (min-packets each). 40 chronyd
 * clients polling our server 240 times a second in all were a "flood,
 * likely spoofed" (lab ntp-crowd); hping3 --rand-source's copies of one
 * request, answered as well, stay one.
 */
static bool
target_busy(const struct ana *a, const struct target *t)
{
	if (t->unsol_pkts == 0 || t->served * 10 < t->unsol_pkts * 9)
		return false;
	if (t->proto == P_TCP)
		return true;
	if (t->proto != P_UDP)
		return false;
	return (t->pay.pkts > 0 && t->pay.same * 2 <= t->pay.pkts) ||
	    t->unsol_pkts >= target_remotes(t) * a->cfg.th.min_packets;
}

/*
 * How many remote hosts sent to h's first target when that target took
 * flood-pps packets in a second from incident-hosts remotes or more (a
 * flood of spoofed sources, or a crowd of one-poll clients); else 0.
 */
static uint64_t
target_crowd(const struct ana *a, const struct host *h)
{
	const struct target *t;
	uint64_t remote;

	if (!h->has_target || (t = target_find(a, &h->first_target, h->first_target_proto,
	    h->first_target_port)) == NULL)
		return 0;
	remote = target_remotes(t);
	if (NS_MAX(t->peak, t->cur) < a->cfg.th.flood_pps || remote < a->cfg.th.incident_hosts ||
	    target_busy(a, t))
		return 0;
	return remote;
}

static void
verdict_decide(const struct ana *a, struct ana_host_info *o, uint64_t crowd)
{
	struct vctx v;

	v.a = a;
	v.th = &a->cfg.th;
	v.n = &o->ntp;
	v.r = &o->rates;
	v.in = o->packets_in;
	v.total = o->packets_in + o->packets_out;
	v.amp = ratio(v.n->resp_bytes_out, v.n->req_bytes_in);
	v.sol_frac = ratio(o->in_solicited, v.in);
	v.pports = o->probed_ports.distinct;
	v.paddrs = o->probed_addrs;
	v.per_port = ratio(o->in_probes, v.pports);
	v.per_addr = ratio(o->in_probes, v.paddrs);
	v.sessions = o->exchanges_theirs > 0 &&
	    o->exchanges_accepted * 10 >= o->exchanges_theirs * 9;
	v.crowd = crowd;
	for (size_t i = 0; i < NS_ARRAY_LEN(verdict_rules); i++)
		if (verdict_rules[i].decide(&v, o))
			break;
	/*
	 * One request among a flood's many sources, answered: a spoofed
	 * source, or a client that polled once; nothing of its own tells
	 * them apart (the fourth held-out check's spoofed NTP requests were
	 * each "serving 0.95").
	 */
	if (crowd > 0 && v.in < v.th->min_packets && o->verdict != V_SERVING &&
	    !ana_verdict_is_attack(o->verdict))
		ev(o, "one of %" PRIu64 " sources at the same local address and port while it took up to a flood's rate: a spoofed source or a client that asked once, too little of its own to tell",
		    crowd);
}

static void
advise(const struct ana *a, struct ana_host_info *o)
{
	const struct ana_thresholds *th = &a->cfg.th;
	char addr[NS_ADDRSTRLEN], who[NS_ADDRSTRLEN];
	const char *local = who, *nobody;

	ns_addr_fmt(&o->addr, addr, sizeof(addr));
	if (o->n_exchanges > 0)
		ns_addr_fmt(&o->exchanges[o->n_exchanges - 1].local, who, sizeof(who));
	else
		snprintf(who, sizeof(who), "a local host");
	if (o->has_provoked_by)
		ns_addr_fmt(&o->provoked_by, who, sizeof(who));
	o->call = ana_verdict_calls(o->verdict) && o->confidence >= th->call_confidence;
	switch (o->verdict) {
	case V_SOLICITED:
		if (a->cfg.from_log) {
			snprintf(o->advice, sizeof(o->advice),
			    "Do not call: these look like replies to your own clients that your firewall dropped after its state expired; confirm with a live capture.");
			break;
		}
		/* Not one host's when several asked. */
		if (o->local_addrs > 1 && !o->has_provoked_by)
			snprintf(who, sizeof(who), "the %u local hosts", o->local_addrs);
		snprintf(o->advice, sizeof(o->advice),
		    "Do not call: these are replies to %s%s own requests%s.", local,
		    o->local_addrs > 1 && !o->has_provoked_by ? "'" : "'s",
		    o->in_late > 0 ? "; your firewall's state expired before the late ones arrived (raise the UDP timeout or ignore them)" : "");
		break;
	case V_SERVING:
		snprintf(o->advice, sizeof(o->advice),
		    "Do not call: it is a client of a local service, %s.",
		    o->rates.peak_pps_in_1 < th->flood_pps ? "at a normal rate" :
		    o->exchanges_theirs == 1 ? "in a burst of one conversation, each request sent once we had answered the one before" :
		    "in a burst of sessions we accepted");
		break;
	case V_AMPLIFIER_ABUSE: {
		/* From flows, no mode is seen: the NTP port's answers are NTP's. */
		bool ntp = o->ntp.mode7_out + o->ntp.mode6_out > 0 ||
		    (a->cfg.from_flow && o->vector.port == 123);
		uint64_t asked = a->cfg.from_flow ? o->vector.requests_in :
		    o->ntp.mode7_in + o->ntp.mode6_in;

		if (!ntp) {
			const struct refl_vector *rv = refl_vector(o->vector.port);

			snprintf(o->advice, sizeof(o->advice),
			    "Do not call %s: it is the victim. Your %s service on UDP %u answers anyone: limit it to your own clients (bind it to an inside address, firewall the port from outside, or turn UDP off where the service allows).",
			    addr, rv != NULL ? rv->name : "UDP", o->vector.port);
		} else if (asked < (a->cfg.from_flow ? FLOW_PROBE_REQUESTS : 3) && o->unreach_in == 0)
			snprintf(o->advice, sizeof(o->advice),
			    "Do not call %s: it only tested your NTP server, which answered. Fix the server: 'restrict default noquery' (and 'restrict -6 default noquery'), 'disable monitor', or upgrade past ntpd 4.2.7p26.",
			    addr);
		else
			snprintf(o->advice, sizeof(o->advice),
			    "Do not call %s: it is the victim. Fix the local NTP server: 'restrict default noquery' (and 'restrict -6 default noquery'), 'disable monitor', or upgrade past ntpd 4.2.7p26; block inbound NTP mode 6/7 at the edge.",
			    addr);
		break;
	}
	case V_REFLECTION_FLOOD:
		snprintf(o->advice, sizeof(o->advice),
		    "It is a reflector abused against you, not the attacker: ask your upstream to filter, and tell %s's admin their server answers %s.",
		    addr, o->ntp.monlist_resp_in > 0 ? "monlist" : "amplifiable queries");
		break;
	case V_PORT_SCAN:
	case V_FLOOD:
	case V_BRUTE_FORCE:
		if (o->call)
			snprintf(o->advice, sizeof(o->advice),
			    "Call: %s with confidence %.2f. Have the evidence below at hand.",
			    ana_verdict_name(o->verdict), o->confidence);
		else
			snprintf(o->advice, sizeof(o->advice),
			    "Not yet: %s with confidence %.2f, below %.2f. Keep watching.",
			    ana_verdict_name(o->verdict), o->confidence, th->call_confidence);
		break;
	case V_UNSOLICITED:
		if ((nobody = ns_addr_no_admin(&o->addr)) != NULL)
			snprintf(o->advice, sizeof(o->advice),
			    "Do not call: unsolicited, but below every attack threshold; %s is %s, on your own network or forged, not a party to call.",
			    addr, nobody);
		else
			snprintf(o->advice, sizeof(o->advice),
			    "Do not call: unsolicited, but below every attack threshold; such traffic is common on the Internet.");
		break;
	default:
		snprintf(o->advice, sizeof(o->advice),
		    "Do not call: too little traffic to say.");
		break;
	}
	/* Nobody answers for these: say where to look instead. */
	if ((o->verdict == V_PORT_SCAN || o->verdict == V_FLOOD || o->verdict == V_REFLECTION_FLOOD ||
	    o->verdict == V_BRUTE_FORCE) && (nobody = ns_addr_no_admin(&o->addr)) != NULL) {
		o->call = false;
		snprintf(o->advice, sizeof(o->advice),
		    "Do not call anyone about %s: it is %s, not a reachable or responsible party. What it sent (%s, confidence %.2f) comes from your own network, a NAT or VPN of yours, or a forged source: find the sender there, by its MAC address or the interface it came in on.",
		    addr, nobody, ana_verdict_name(o->verdict), o->confidence);
	}
}

/*
 * TCP connections already open when the capture began: who started them
 * was read from their ports (or a SYN-ACK), not seen. A verdict that
 * rests on who started (solicited, serving) is a little less sure, in
 * proportion to the exchanges whose start was not seen.
 */
static void
verdict_unseen(const struct ana *a, struct ana_host_info *o)
{
	uint64_t n = o->unseen_ours + o->unseen_theirs + o->unseen_undecided;
	uint64_t all = o->exchanges_ours + o->exchanges_theirs + o->unseen_undecided;
	char who[96];
	size_t l = 0;

	if (n == 0)
		return;
	if (o->verdict == V_SOLICITED || o->verdict == V_SERVING)
		o->confidence = clamp01(o->confidence - 0.05 * ratio(n, all));
	who[0] = '\0';
	if (o->unseen_ours > 0)
		l += (size_t)snprintf(who + l, sizeof(who) - l, "%" PRIu64 " begun by local hosts",
		    o->unseen_ours);
	if (o->unseen_theirs > 0 && l < sizeof(who))
		l += (size_t)snprintf(who + l, sizeof(who) - l, "%s%" PRIu64 " by it",
		    l ? ", " : "", o->unseen_theirs);
	if (o->unseen_undecided > 0 && l < sizeof(who))
		snprintf(who + l, sizeof(who) - l, "%s%" PRIu64 " by no one known (both ports alike)",
		    l ? ", " : "", o->unseen_undecided);
	ev(o, "%" PRIu64 " connection%s %s (no handshake seen); initiator taken from the ports: %s",
	    n, n == 1 ? " was" : "s were",
	    a->cfg.from_log ? "already open before the log's first line about it" :
	    "already open when the capture started", who);
}

/*
 * Flow records (doc/flow.md): ports, addresses and volume are as a
 * capture's, so a scan or a flood is as sure; who started each exchange
 * comes from the records' start times (to the millisecond, NetFlow v9's
 * to the second) and the OR of their TCP flags, and no payload confirms
 * an answer (no NTP mode 4, no DNS response bit): the verdicts that rest
 * on who started are a little less sure. Amplification and reflection
 * rest on sizes and ports alone; their rules (1c, 2) say so themselves.
 */
#define FLOW_WHO_STARTED_PENALTY 0.05

static void
verdict_flow(const struct ana *a, struct ana_host_info *o)
{
	if (!a->cfg.from_flow)
		return;
	if (o->verdict == V_SOLICITED || o->verdict == V_SERVING) {
		o->confidence = clamp01(o->confidence - FLOW_WHO_STARTED_PENALTY);
		if (o->ntp.packets > 0)
			ev(o, "from sampled packets (sFlow): who started is read from 1 in N of its packets; confidence lowered by %.2f",
			    FLOW_WHO_STARTED_PENALTY);
		else
			ev(o, "from flow records: who started is read from the records' start times and TCP flags, and no payload confirms the answers (no NTP modes); confidence lowered by %.2f",
			    FLOW_WHO_STARTED_PENALTY);
	}
}

void
verdict_of(const struct ana *a, const struct host *h, struct ana_host_info *o, bool text)
{
	host_snapshot(a, h, o, text);
	verdict_decide(a, o, target_crowd(a, h));
	verdict_unseen(a, o);
	verdict_flow(a, o);
	/*
	 * To the two places it is shown in, so that what decides a call is
	 * what the reader sees: a flood at 0.897 read "confidence 0.90,
	 * below 0.90".
	 */
	o->confidence = round(o->confidence * 100) / 100;
	if (!text)
		return;
	advise(a, o);
	if (a->cfg.from_log) {
		char addr[NS_ADDRSTRLEN];

		ns_addr_fmt(&o->addr, addr, sizeof(addr));
		bool conns = o->packets_out > 0 && (o->exchanges_ours > 0 || o->exchanges_answered > 0);

		if (o->verdict != V_SOLICITED && !conns)
			ev(o, "from a firewall log: only what the rules logged (usually drops); outbound packets are missing, so 'unsolicited' may hide answers");
		else if (o->verdict != V_SOLICITED)
			ev(o, "from a firewall log: its connection records say who started each connection and what came back; packets of connections the rules did not log are missing");
		snprintf(o->watch_cmd, sizeof(o->watch_cmd),
		    "ntpsleuth -i IFACE --watch %s 'host %s'", addr, addr);
	}
}

void
verdict_host(const struct ana *a, struct host *h, struct ana_host_info *o, bool text)
{
	verdict_of(a, h, o, text);
	h->verdict = o->verdict;
	h->confidence = o->confidence;
	h->verdict_pkts = h->pkts_in + h->pkts_out;
}

/* ---- incidents ---- */

static void __attribute__((format(printf, 2, 3)))
iev(struct ana_incident *x, const char *fmt, ...)
{
	va_list ap;

	if (x->n_evidence >= (int)NS_ARRAY_LEN(x->evidence))
		return;
	va_start(ap, fmt);
	vsnprintf(x->evidence[x->n_evidence++], ANA_EVIDENCE_LEN, fmt, ap);
	va_end(ap);
}

static int
cmp_incident(const void *p, const void *q)
{
	const struct ana_incident *x = p, *y = q;

	int c;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	/* Ties in a fixed order: the table's order changes with its key. */
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = ns_addr_cmp(&x->local, &y->local)) != 0)
		return c;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->any_port != y->any_port)
		return x->any_port ? 1 : -1;
	return x->port < y->port ? -1 : x->port > y->port;
}

/*
 * Name some of the hosts behind each incident: from the host table, then
 * from the sightings (a flood that came once the table was full may have
 * no host in it).
 */
static void
incident_samples(struct ana *a, struct ana_incident *inc, unsigned n)
{
	for (uint32_t i = 0; i < a->hp.used; i++) {
		const struct host *h = host_at(a, i);
		const struct ana_ntp_info *ntp = &host_side_of(h)->ntp;

		for (unsigned k = 0; k < n; k++) {
			struct ana_incident *x = &inc[k];
			bool member;

			if (x->n_sample >= ANA_INCIDENT_SAMPLE)
				continue;
			if (x->kind == V_AMPLIFIER_ABUSE && x->port != 123)
				member = h->vector.answers_out > 0 && h->vector.port == x->port &&
				    h->vector.refusals > 0;
			else if (x->kind == V_AMPLIFIER_ABUSE)
				member = ntp->monlist_resp_out + ntp->mode7_out +
				    ntp->mode6_out > 0 && ntp->resp_bytes_out > ntp->req_bytes_in;
			else
				member = h->has_target && h->first_target_proto == x->proto &&
				    (x->any_port || h->first_target_port == x->port) &&
				    ns_addr_eq(&h->first_target, &x->local) &&
				    (x->kind != V_REFLECTION_FLOOD || h->in_resp_unsol > 0);
			if (member)
				x->sample[x->n_sample++] = h->addr;
		}
	}
	sight_incident_samples(a, inc, n);
}

/*
 * The unsolicited packets at t of the hosts whose own verdict is a port
 * scan or a flood: a flood incident is for what no host explains. Three
 * nmap scans of one address at once (one with two decoys) were "a flood
 * of 5 remote addresses, likely spoofed" (the fifth held-out check; lab
 * stealth-scans). A verdict not yet worked out since the host's last
 * packet is worked out here, into tmp, and not kept: report writers call
 * this side by side.
 */
static uint64_t
target_explained(const struct ana *a, const struct target *t, struct ana_host_info *tmp)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < a->hp.used; i++) {
		const struct host *h = host_at(a, i);
		enum ana_verdict v = h->verdict;

		if (!h->has_target || h->first_target_proto != t->proto ||
		    (t->port != TARGET_ANY_PORT && h->first_target_port != t->port) ||
		    !ns_addr_eq(&h->first_target, &t->local) ||
		    h->in_probe + h->in_resp_unsol < a->cfg.th.min_packets)
			continue;
		if (h->pkts_in + h->pkts_out != h->verdict_pkts) {
			verdict_of(a, h, tmp, false);
			v = tmp->verdict;
		}
		if (v == V_PORT_SCAN || v == V_FLOOD)
			n += h->in_probe + h->in_resp_unsol;
	}
	return n;
}

static void
incident_set(struct ana_incident *x, enum ana_verdict kind, uint64_t remote, uint64_t packets,
    uint64_t bytes, double confidence)
{
	x->kind = kind;
	x->remote_hosts = remote;
	x->packets = packets;
	x->bytes = bytes;
	x->confidence = confidence;
}

/*
 * The incident t makes, in *x; false if none. *tmp: a scratch snapshot,
 * made when first needed (target_explained).
 */
static bool
incident_make(const struct ana *a, const struct target *t, struct ana_incident *x,
    struct ana_host_info **tmp)
{
	const struct ana_thresholds *th = &a->cfg.th;
	uint32_t peak;
	uint64_t remote, refl;
	char b[32];

	peak = NS_MAX(t->peak, t->cur);
	remote = target_remotes(t);
	/* The reflectors: only the remotes that sent it unsolicited replies. */
	refl = t->exact_full ? hll_count(t->sk->resp_hll, TARGET_HLL) :
	    (uint64_t)__builtin_popcountll(t->exact_resp);
	memset(x, 0, sizeof(*x));
	x->local = t->local;
	x->proto = t->proto;
	x->any_port = t->port == TARGET_ANY_PORT;
	x->port = x->any_port ? 0 : (uint16_t)t->port;
	x->first = t->first;
	x->last = t->last;
	x->peak_pps = peak;
	if (t->amp_victims >= 2 && t->amp_resp_bytes >= th->amp_min_bytes &&
	    ratio(t->amp_resp_bytes, t->amp_req_bytes) >= th->amp_ratio) {
		incident_set(x, V_AMPLIFIER_ABUSE, t->amp_victims, t->amp_resp_pkts, t->amp_resp_bytes, 0.95);
		iev(x, "this server sent %s bytes of mode 6/7 answers to %" PRIu64 " addresses for %" PRIu64 " request bytes (%.0fx)",
		    ns_fmt_si(b, sizeof(b), (double)t->amp_resp_bytes), t->amp_victims,
		    t->amp_req_bytes, ratio(t->amp_resp_bytes, t->amp_req_bytes));
		iev(x, "fix: 'restrict default noquery', 'disable monitor', or ntpd 4.2.7p26 or later");
	} else if (t->vec_victims >= 2 && t->vec_resp_bytes >= th->amp_min_bytes &&
	    ratio(t->vec_resp_bytes, t->vec_req_bytes) >= th->amp_ratio && t->vec_refused > 0) {
		const struct refl_vector *rv = refl_vector((uint16_t)t->port);

		/* The victims are those that refused, not the service's clients. */
		incident_set(x, V_AMPLIFIER_ABUSE, t->vec_refusers, t->vec_refuser_pkts, t->vec_refuser_bytes, 0.9);
		iev(x, "this %s service sent %s bytes of answers to %" PRIu64 " address%s that refused %" PRIu64 " of them with ICMP unreachable, for %" PRIu64 " request bytes in their names (%.0fx): the requests were spoofed",
		    rv != NULL ? rv->name : "UDP", ns_fmt_si(b, sizeof(b), (double)t->vec_refuser_bytes),
		    t->vec_refusers, t->vec_refusers == 1 ? "" : "es", t->vec_refused,
		    t->vec_refuser_req, ratio(t->vec_refuser_bytes, t->vec_refuser_req));
		if (t->vec_victims > t->vec_refusers)
			iev(x, "%" PRIu64 " other address%s got its answers and refused none (its clients, or victims that drop silently): not counted",
			    t->vec_victims - t->vec_refusers,
			    t->vec_victims - t->vec_refusers == 1 ? "" : "es");
		iev(x, "fix: answer only your own clients on UDP %u (bind it inside, or firewall it from outside)",
		    (unsigned)t->port);
	} else if (refl >= th->incident_hosts &&
	    t->resp_pkts * 2 >= t->unsol_pkts && t->resp_bytes >= th->reflect_min_bytes) {
		incident_set(x, V_REFLECTION_FLOOD, refl, t->resp_pkts, t->resp_bytes, 0.9);
		iev(x, "%s%" PRIu64 " reflectors sent %" PRIu64 " unsolicited replies (%s bytes), peak %u packets/s",
		    t->exact_full ? "about " : "", refl, t->resp_pkts,
		    ns_fmt_si(b, sizeof(b), (double)t->resp_bytes), peak);
		if (remote > refl)
			iev(x, "%s%" PRIu64 " other remote addresses sent it unsolicited packets that are not replies",
			    t->exact_full ? "about " : "", remote - refl);
	} else if (remote >= th->incident_hosts && peak >= th->flood_pps && !target_busy(a, t) &&
	    target_explained(a, t, *tmp != NULL ? *tmp : (*tmp = xmalloc(sizeof(**tmp)))) * 2 <
	    t->unsol_pkts) {
		incident_set(x, V_FLOOD, remote, t->unsol_pkts, t->unsol_bytes, 0.9);
		iev(x, "%s%" PRIu64 " remote addresses sent %" PRIu64 " unsolicited packets, peak %u packets/s (threshold %.0f)",
		    remote > 500 ? "about " : "", remote, t->unsol_pkts, peak, th->flood_pps);
		iev(x, "many sources each sending little: likely spoofed source addresses; no single host to call");
	} else {
		return false;
	}
	return true;
}

/* At least this many ports of one address with one kind of incident are one at the address. */
#define INCIDENT_MERGE_PORTS 3

static bool
incident_same_place(const struct ana_incident *x, const struct ana_incident *y)
{
	return !x->any_port && !y->any_port && x->kind == y->kind && x->proto == y->proto &&
	    ns_addr_eq(&x->local, &y->local);
}

/*
 * One attack on many ports of an address is one incident, the address's:
 * the answers of memcached reflectors to 60 ports a booter wrote made 60
 * (the fifth held-out check; lab dns-fragments' second spoofer, 8 ports).
 * Returns the new count.
 */
static unsigned
incident_merge(const struct ana *a, struct ana_incident *out, unsigned n,
    struct ana_host_info **tmp)
{
	for (unsigned k = 0; k < n; k++) {
		const struct target *t;
		struct ana_incident x, y;
		unsigned same = 0, m = 0;

		for (unsigned j = 0; j < n; j++)
			same += incident_same_place(&out[k], &out[j]);
		if (same < INCIDENT_MERGE_PORTS ||
		    (t = target_find(a, &out[k].local, out[k].proto, TARGET_ANY_PORT)) == NULL ||
		    !incident_make(a, t, &y, tmp) || y.kind != out[k].kind)
			continue;
		/* Compacted in place, over out[k] too: its place is kept in x. */
		x = out[k];
		for (unsigned j = 0; j < n; j++)
			if (!incident_same_place(&x, &out[j]))
				out[m++] = out[j];
		out[m++] = y;
		n = m;
		k = (unsigned)-1;	/* from the start: the order moved */
	}
	return n;
}

static unsigned
incident_pass(const struct ana *a, struct ana_incident *out, unsigned n, unsigned max,
    bool any_port, struct ana_host_info **tmp)
{
	for (uint32_t i = 0; i <= a->targets.mask && n < max; i++) {
		const struct target *t = a->targets.slots[i].p;
		bool dup = false;

		if (t == NULL || any_port != (t->port == TARGET_ANY_PORT))
			continue;
		for (unsigned k = 0; any_port && k < n; k++)
			if (out[k].proto == t->proto && ns_addr_eq(&out[k].local, &t->local))
				dup = true;
		if (!dup && incident_make(a, t, &out[n], tmp))
			n++;
	}
	return n;
}

unsigned
ana_incidents(struct ana *a, struct ana_incident *out, unsigned max)
{
	struct ana_host_info *tmp = NULL;
	unsigned n;

	/* Single ports first; an address-wide one only where no port of it says as much. */
	n = incident_pass(a, out, 0, max, false, &tmp);
	n = incident_merge(a, out, n, &tmp);
	n = incident_pass(a, out, n, max, true, &tmp);
	free(tmp);
	qsort(out, n, sizeof(*out), cmp_incident);
	incident_samples(a, out, n);
	return n;
}
