/*
 * pfSense and OPNsense: pf's filter log, as their filterlog daemon writes
 * it to syslog (pfSense documentation, "Raw Filter Log Format"; OPNsense's
 * filterlog source). One CSV line per logged packet:
 *
 *   rule,subrule,anchor,tracker,interface,reason,action,direction,ipver,
 *   IPv4: tos,ecn,ttl,id,offset,flags,protoid,proto,length,src,dst,
 *   IPv6: class,flowlabel,hoplimit,proto,protoid,length,src,dst,
 *   then  TCP: sport,dport,datalen,flags,seq,ack,window,urg,options
 *         UDP: sport,dport,datalen
 *         ICMP: type[,type-specific fields]
 *         others: whatever pf prints (CARP, IGMP "datalength=8")
 *
 * after "filterlog[pid]: " (RFC 3164, pfSense) or "filterlog PID - [meta
 * sequenceId="1"] " (RFC 5424, OPNsense and pfSense 2.6+). The tracker
 * is the rule's stable id (what the GUI links a log entry to) and is the
 * record's rule; without one, the rule number.
 */
#include "config.h"

#include <string.h>

#include "common/util.h"
#include "capture/fwformat.h"

#define PF_FIELDS 40

/* Where the CSV starts: after the tag and, for RFC 5424, procid, msgid, SD. */
static const char *
pf_csv_start(const char *p, const char *end)
{
	if (p < end && *p == '[') {		/* [pid] */
		while (p < end && *p != ']')
			p++;
		if (p < end)
			p++;
	}
	if (p < end && *p == ':')
		p++;
	for (;;) {
		const char *q;

		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			return p;
		if (*p == '-' && (p + 1 == end || p[1] == ' ')) {	/* nil msgid / SD */
			p++;
			continue;
		}
		if (*p == '[') {			/* structured data */
			while (p < end && *p != ']') {
				if (*p == '"') {
					for (p++; p < end && *p != '"'; p++)
						if (*p == '\\' && p + 1 < end)
							p++;
				}
				if (p < end)
					p++;
			}
			if (p < end)
				p++;
			continue;
		}
		q = p;
		while (q < end && *q >= '0' && *q <= '9')
			q++;
		if (q > p && q < end && *q == ' ') {	/* procid */
			p = q;
			continue;
		}
		return p;
	}
}

static uint8_t
pf_tcp_flags(struct fw_span v)
{
	uint8_t f = 0;

	for (size_t i = 0; i < v.n; i++)
		switch (v.p[i]) {
		case 'F': f |= TCP_FIN; break;
		case 'S': f |= TCP_SYN; break;
		case 'R': f |= TCP_RST; break;
		case 'P': f |= TCP_PSH; break;
		case 'A': f |= TCP_ACK; break;
		case 'U': f |= TCP_URG; break;
		default: break;	/* E, W (ECN), '.' (none) */
		}
	return f;
}

/* pf's names of ICMP types; -1 for one it does not name. */
static int
pf_icmp_type(struct fw_span v, bool v6)
{
	static const struct {
		const char *name;
		int t4, t6;
	} names[] = {
		{ "request", 8, 128 }, { "reply", 0, 129 }, { "unreachproto", 3, 1 },
		{ "unreachport", 3, 1 }, { "unreach", 3, 1 }, { "needfrag", 3, 2 },
		{ "toobig", 3, 2 }, { "timexceed", 11, 3 }, { "paramprob", 12, 4 },
		{ "redirect", 5, 137 }, { "maskreply", 18, -1 }, { "tstamp", 13, -1 },
		{ "tstampreply", 14, -1 }, { "routeradvert", 9, 134 },
		{ "routersol", 10, 133 }, { "neighbrsol", -1, 135 }, { "neighbradv", -1, 136 },
	};

	for (size_t i = 0; i < NS_ARRAY_LEN(names); i++)
		if (fw_eq(v, names[i].name))
			return v6 ? names[i].t6 : names[i].t4;
	return -1;
}

static enum fwlog_result
pf_parse(struct fw_line *l, struct fwlog_rec *r)
{
	struct fw_span f[PF_FIELDS];
	struct ns_addr src, dst;
	const char *tag, *csv;
	enum fwlog_result res;
	uint64_t u;
	int n, ip, base;
	bool v6;

	if ((tag = fw_find(l->s, l->end, "filterlog")) == NULL)
		return FWR_NO;
	csv = pf_csv_start(tag + 9, l->end);
	if (csv >= l->end || *csv < '0' || *csv > '9') {
		/* the daemon's own messages ("Failed to initialize: pflog0") */
		if (tag > l->s && tag[-1] == ' ' && tag + 9 < l->end &&
		    (tag[9] == '[' || tag[9] == ':'))
			return FWR_NOTRAFFIC;
		return FWR_NO;	/* "filterlog" in some other text */
	}
	n = fw_split(csv, l->end, ',', f, PF_FIELDS);
	if (n < 9)
		return FWR_CUT;
	if (!fw_uint(f[8], 6, &u) || (u != 4 && u != 6))
		return FWR_BADFIELD;
	v6 = u == 6;
	/* the fields of the IP header, and where the protocol's begin */
	if (!v6) {
		if (n < 20)
			return FWR_CUT;
		ip = 15;	/* protoid */
		base = 20;
	} else {
		if (n < 17)
			return FWR_CUT;
		ip = 13;
		base = 17;
	}
	if ((res = fw_addr(f[base - 2], &src)) != FWR_OK ||
	    (res = fw_addr(f[base - 1], &dst)) != FWR_OK)
		return res;
	if ((res = fw_set_addrs(r, &src, &dst)) != FWR_OK)
		return res;
	if (!fw_uint(f[ip], 255, &u))
		return FWR_BADFIELD;
	r->p.proto = (uint8_t)u;
	if (!fw_uint(f[base - 3], 65535, &u))
		return FWR_BADFIELD;
	r->p.ip_len = (uint32_t)(v6 ? u + 40 : u);
	if (!v6) {
		uint64_t id = 0, off = 0;

		if (f[12].n > 0 && !fw_uint(f[12], 65535, &id))
			return FWR_BADFIELD;
		if (f[13].n > 0 && !fw_uint(f[13], 65535, &off))
			return FWR_BADFIELD;
		r->p.ip_id = (uint16_t)id;
		if (off > 0)
			r->p.fragment = r->p.later_fragment = true;
		if (fw_find(f[14].p, f[14].p + f[14].n, "MF") != NULL)
			r->p.fragment = true;
	}

	switch (r->p.proto) {
	case 6:
	case 17:
	case 136:
		if (r->p.later_fragment)
			break;
		if (n < base + 2)
			return FWR_CUT;
		if ((res = fw_port(f[base], &r->p.sport)) != FWR_OK ||
		    (res = fw_port(f[base + 1], &r->p.dport)) != FWR_OK)
			return res;
		r->has_sport = r->has_dport = true;
		if (r->p.proto == 17 && n > base + 2 && fw_uint(f[base + 2], 65535, &u))
			r->p.payload_len = (uint32_t)u;
		if (r->p.proto == 6) {
			if (n < base + 4)
				return FWR_CUT;
			r->p.tcp_flags = pf_tcp_flags(f[base + 3]);
			r->has_tcp_flags = true;
		}
		break;
	case 1:
	case 58: {
		int t;

		if (n > base && (t = pf_icmp_type(f[base], v6)) >= 0) {
			r->p.icmp_type = (uint8_t)t;
			r->has_icmp_type = true;
			if (t == 0 || t == 8 || t == 128 || t == 129) {
				/* request,ID,seq: the id in the ports, as cap_decode does */
				if (n > base + 1 && fw_uint(f[base + 1], 65535, &u))
					r->p.sport = r->p.dport = (uint16_t)u;
			} else {
				r->p.icmp_error = true;
			}
		}
		break;
	}
	default:
		break;
	}

	r->action = fw_action(f[6]);
	r->dir = fw_eq(f[7], "in") ? FWD_IN : fw_eq(f[7], "out") ? FWD_OUT : FWD_UNKNOWN;
	if (r->dir == FWD_OUT)
		fw_text(r->out_if, sizeof(r->out_if), f[4]);
	else
		fw_text(r->in_if, sizeof(r->in_if), f[4]);
	fw_text(r->rule, sizeof(r->rule), f[3].n > 0 ? f[3] : f[0]);
	r->event = FWE_PACKET;
	r->has_ts = fw_header_time(l, &r->p.ts);
	return FWR_OK;
}

const struct fw_format fw_pfsense = {
	.name = "pfsense",
	.vendor = "pfSense and OPNsense filterlog",
	.parse = pf_parse,
};
