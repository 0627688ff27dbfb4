/*
 * Check Point: the Log Exporter's syslog and key=value forms (Check Point
 * sk122323, "Log Exporter"; its field list, sk144192). Its CEF and LEEF
 * forms are the CEF and LEEF formats'.
 *
 *   <134>1 2026-11-24T05:01:02Z gw CheckPoint 2301 - [action:"Drop"; ifdir:"inbound";
 *       ifname:"eth1"; origin:"198.51.100.1"; time:"1795496462"; dst:"192.0.2.5";
 *       proto:"17"; s_port:"123"; service:"40123"; src:"203.0.113.10";
 *       rule_name:"Cleanup"; product:"VPN-1 & FireWall-1"]
 *   time=1795496462|hostname=gw|product=VPN-1 & FireWall-1|action=Drop|ifdir=inbound|
 *       ifname=eth1|src=203.0.113.10|dst=192.0.2.5|proto=17|s_port=123|service=40123
 *
 * service is the destination port, s_port the source port; action Accept,
 * Drop, Reject, Detect, Prevent, Encrypt, Decrypt; ifdir inbound/outbound
 * names the direction and ifname the interface; rule_name (or rule_uid,
 * or the layer's rule number) the rule.
 */
#include "config.h"

#include <string.h>

#include "common/util.h"
#include "capture/fwformat.h"

#define MAX_PAIRS 128

/* The '|'-separated key=value form. */
static int
bar_pairs(const char *s, const char *end, struct fw_pair *pr, int max)
{
	struct fw_span f[MAX_PAIRS];
	int n = fw_split(s, end, '|', f, MAX_PAIRS), k = 0;

	for (int i = 0; i < n && k < max; i++) {
		const char *eq = memchr(f[i].p, '=', f[i].n);

		if (eq == NULL || eq == f[i].p)
			continue;
		pr[k].key.p = f[i].p;
		pr[k].key.n = (size_t)(eq - f[i].p);
		pr[k].val.p = eq + 1;
		pr[k].val.n = f[i].n - pr[k].key.n - 1;
		pr[k].quoted = false;
		k++;
	}
	return k;
}

static bool
get(const struct fw_pair *pr, int n, const char *key, struct fw_span *v)
{
	return fw_kv_get(pr, n, key, v) && v->n > 0;
}

static enum fwlog_action
cp_action(struct fw_span v)
{
	if (fw_ieq(v, "Accept") || fw_ieq(v, "Encrypt") || fw_ieq(v, "Decrypt") ||
	    fw_ieq(v, "Allow"))
		return FWA_ALLOW;
	if (fw_ieq(v, "Drop") || fw_ieq(v, "Block") || fw_ieq(v, "Prevent"))
		return FWA_DENY;
	if (fw_ieq(v, "Reject"))
		return FWA_RESET;
	return fw_action(v);
}

static enum fwlog_result
cp_parse(struct fw_line *l, struct fwlog_rec *r)
{
	struct fw_pair pr[MAX_PAIRS];
	struct ns_addr src, dst;
	struct fw_span v;
	enum fwlog_result res;
	const char *sd;
	uint64_t u;
	int n;

	if ((sd = fw_find(l->s, l->end, "CheckPoint ")) != NULL &&
	    (sd = memchr(sd, '[', (size_t)(l->end - sd))) != NULL) {
		const char *close = l->end;

		while (close > sd && close[-1] != ']')
			close--;
		if (close <= sd + 1)
			return FWR_CUT;
		n = fw_kv_split(sd + 1, close - 1, ':', pr, MAX_PAIRS);
	} else if (fw_find(l->s, l->end, "|product=") != NULL &&
	    fw_find(l->s, l->end, "|action=") != NULL) {
		n = bar_pairs(l->s, l->end, pr, MAX_PAIRS);
	} else {
		return FWR_NO;
	}
	if (!get(pr, n, "src", &v))
		return FWR_NOTRAFFIC;	/* audit, system and SmartEvent lines */
	if ((res = fw_addr(v, &src)) != FWR_OK)
		return res;
	if (!get(pr, n, "dst", &v))
		return FWR_NOTRAFFIC;
	if ((res = fw_addr(v, &dst)) != FWR_OK || (res = fw_set_addrs(r, &src, &dst)) != FWR_OK)
		return res;
	r->p.proto = get(pr, n, "proto", &v) ? fw_proto(v) : 255;
	if (get(pr, n, "s_port", &v)) {
		if ((res = fw_port(v, &r->p.sport)) != FWR_OK)
			return res;
		r->has_sport = true;
	}
	if (get(pr, n, "service", &v)) {
		if ((res = fw_port(v, &r->p.dport)) != FWR_OK)
			return res;
		r->has_dport = true;
	}
	if ((r->p.proto == 1 || r->p.proto == 58) && get(pr, n, "icmp_type", &v) &&
	    fw_uint(v, 255, &u)) {
		r->p.icmp_type = (uint8_t)u;
		r->has_icmp_type = true;
		if (get(pr, n, "icmp_code", &v) && fw_uint(v, 255, &u))
			r->p.icmp_code = (uint8_t)u;
	}
	if (get(pr, n, "action", &v))
		r->action = cp_action(v);
	if (get(pr, n, "ifdir", &v)) {
		r->dir = fw_ieq(v, "inbound") ? FWD_IN : fw_ieq(v, "outbound") ? FWD_OUT :
		    FWD_UNKNOWN;
	}
	if (get(pr, n, "ifname", &v))
		fw_text(r->dir == FWD_OUT ? r->out_if : r->in_if, sizeof(r->in_if), v);
	if (get(pr, n, "rule_name", &v) || get(pr, n, "rule", &v) || get(pr, n, "rule_uid", &v))
		fw_text(r->rule, sizeof(r->rule), v);
	if (get(pr, n, "client_outbound_bytes", &v) && fw_uint(v, UINT64_MAX, &u))
		r->bytes_fwd = u;
	if (get(pr, n, "client_inbound_bytes", &v) && fw_uint(v, UINT64_MAX, &u))
		r->bytes_rev = u;
	if (get(pr, n, "client_outbound_packets", &v) && fw_uint(v, UINT64_MAX, &u))
		r->pkts_fwd = u;
	if (get(pr, n, "client_inbound_packets", &v) && fw_uint(v, UINT64_MAX, &u))
		r->pkts_rev = u;
	/* session counters: an accounting log of a connection that ended */
	r->event = (r->bytes_fwd || r->bytes_rev || r->pkts_fwd || r->pkts_rev) &&
	    r->action == FWA_ALLOW ? FWE_CONN_END : FWE_PACKET;
	if (get(pr, n, "time", &v) && fw_uint(v, UINT32_MAX, &u) && u > 0) {
		r->p.ts = (double)u;
		r->has_ts = true;
	} else {
		r->has_ts = fw_header_time(l, &r->p.ts);
	}
	return FWR_OK;
}

const struct fw_format fw_checkpoint = {
	.name = "checkpoint",
	.vendor = "Check Point (Log Exporter syslog and key=value)",
	.parse = cp_parse,
};
