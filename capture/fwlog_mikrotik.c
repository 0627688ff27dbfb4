/*
 * MikroTik RouterOS: what a firewall rule with log=yes writes (RouterOS
 * manual, "Firewall: Filter", the log and log-prefix properties), to
 * remote syslog or the memory log:
 *
 *   firewall,info [PREFIX ]CHAIN: in:IFACE out:IFACE, [connection-state:S ]
 *       [src-mac M, ]proto P[ (FLAGS or type T, code C)], A[:p]->B[:p],
 *       [NAT (A:p->X:p)->B:p, ]len N
 *
 * IPv6 addresses stand in brackets when a port follows. The topic pair
 * (firewall,info) and "in:" ... "proto " ... "->" make a line ours. The
 * chain (input, forward, output or the admin's own) and the prefix are
 * the rule (the prefix when there is one): RouterOS does not log what the rule did, so the action comes
 * from the prefix's words (drop, reject, accept, ...) or is not said.
 */
#include "config.h"

#include <string.h>

#include "common/util.h"
#include "capture/fwformat.h"

static const char *
word_end(const char *p, const char *end, char stop)
{
	while (p < end && *p != ' ' && *p != stop)
		p++;
	return p;
}

/* The admin's prefix says what the rule did, if it says. */
static enum fwlog_action
prefix_action(struct fw_span v)
{
	static const struct {
		const char *w;
		enum fwlog_action a;
	} words[] = {
		{ "reject", FWA_RESET }, { "drop", FWA_DENY }, { "deny", FWA_DENY },
		{ "block", FWA_DENY }, { "accept", FWA_ALLOW }, { "allow", FWA_ALLOW },
	};

	for (size_t i = 0; i < NS_ARRAY_LEN(words); i++) {
		size_t n = strlen(words[i].w);

		for (size_t j = 0; j + n <= v.n; j++) {
			size_t k;

			for (k = 0; k < n && (v.p[j + k] | 0x20) == words[i].w[k]; k++)
				;
			if (k == n)
				return words[i].a;
		}
	}
	return FWA_NONE;
}

static uint8_t
tcp_flag_word(struct fw_span w)
{
	static const struct {
		const char *name;
		uint8_t bit;
	} names[] = {
		{ "SYN", TCP_SYN }, { "ACK", TCP_ACK }, { "FIN", TCP_FIN }, { "RST", TCP_RST },
		{ "PSH", TCP_PSH }, { "URG", TCP_URG },
	};

	for (size_t i = 0; i < NS_ARRAY_LEN(names); i++)
		if (fw_eq(w, names[i].name))
			return names[i].bit;
	return 0;
}

/* One "A[:p]" of a NAT clause, as far as stop. */
static enum fwlog_result
nat_end(const char *p, const char *stop, struct ns_addr *a, bool *has, uint16_t *port)
{
	if (stop == NULL)
		return FWR_CUT;
	return fw_addr_port((struct fw_span){ p, (size_t)(stop - p) }, a, has, port);
}

/*
 * A line of the srcnat or dstnat chain gives the packet only in its NAT
 * clause: "NAT (A->A')->B" (source translated) or "NAT A->(B->B')"
 * (destination translated). The inside host is the one to keep: the
 * source before srcnat, the destination after dstnat.
 */
static enum fwlog_result
nat_pair(const char *p, const char *e, struct ns_addr *src, struct ns_addr *dst,
    struct fwlog_rec *r, const char **after)
{
	const char *a, *c;
	enum fwlog_result res;

	if (p < e && *p == '(') {
		/* (A->A')->B */
		a = fw_find(p + 1, e, "->");
		c = memchr(p, ')', (size_t)(e - p));
		if (a == NULL || c == NULL || a > c || c + 3 > e || c[1] != '-' || c[2] != '>')
			return FWR_CUT;
		if ((res = nat_end(p + 1, a, src, &r->has_sport, &r->p.sport)) != FWR_OK)
			return res;
		p = c + 3;
		*after = memchr(p, ',', (size_t)(e - p));
		return nat_end(p, *after, dst, &r->has_dport, &r->p.dport);
	}
	/* A->(B->B') */
	if ((a = fw_find(p, e, "->(")) == NULL)
		return FWR_CUT;
	if ((res = nat_end(p, a, src, &r->has_sport, &r->p.sport)) != FWR_OK)
		return res;
	p = a + 3;
	if ((a = fw_find(p, e, "->")) == NULL || (c = memchr(a, ')', (size_t)(e - a))) == NULL)
		return FWR_CUT;
	*after = c;
	return nat_end(a + 2, c, dst, &r->has_dport, &r->p.dport);
}

static enum fwlog_result
mt_parse(struct fw_line *l, struct fwlog_rec *r)
{
	const char *in, *out, *proto, *arrow, *p, *q, *e = l->end, *topic, *chain;
	struct ns_addr src, dst;
	struct fw_span v;
	enum fwlog_result res;
	bool hp;
	uint64_t u;

	if ((in = fw_find(l->s, e, " in:")) == NULL || (out = fw_find(in, e, " out:")) == NULL)
		return FWR_NO;
	if ((proto = fw_find(out, e, " proto ")) == NULL)
		return in > l->s && in[-1] == ':' && fw_find(l->s, in, "firewall,") != NULL ? FWR_CUT : FWR_NO;
	/* "CHAIN: in:": the chain is the word before, after the topics and any prefix */
	if (in - l->s < 2 || in[-1] != ':')
		return FWR_NO;
	chain = in - 1;
	while (chain > l->s && chain[-1] != ' ')
		chain--;
	fw_text(r->rule, sizeof(r->rule), (struct fw_span){ chain, (size_t)(in - 1 - chain) });
	/* the prefix: between "firewall,info " (or its topics) and the chain */
	if ((topic = fw_find(l->s, chain, "firewall,")) != NULL) {
		p = word_end(topic, chain, '\0');
		while (p < chain && *p == ' ')
			p++;
		q = chain;
		while (q > p && q[-1] == ' ')
			q--;
		if (q > p) {
			v = (struct fw_span){ p, (size_t)(q - p) };
			fw_text(r->prefix, sizeof(r->prefix), v);
			/* the admin's name for the rule says more than its chain */
			fw_text(r->rule, sizeof(r->rule), v);
			r->action = prefix_action(v);
		}
	}
	/* in:IFACE out:IFACE, ("(unknown 0)" for none) */
	p = in + 4;
	q = word_end(p, e, ',');
	if (q > p && *p != '(')
		fw_text(r->in_if, sizeof(r->in_if), (struct fw_span){ p, (size_t)(q - p) });
	p = out + 5;
	q = word_end(p, e, ',');
	if (q > p && *p != '(')
		fw_text(r->out_if, sizeof(r->out_if), (struct fw_span){ p, (size_t)(q - p) });
	v = (struct fw_span){ chain, (size_t)(in - 1 - chain) };
	r->dir = fw_eq(v, "input") ? FWD_IN : fw_eq(v, "output") ? FWD_OUT : FWD_UNKNOWN;

	/* proto P[ (FLAGS | type T, code C)] */
	p = proto + 7;
	q = word_end(p, e, ',');
	r->p.proto = fw_proto((struct fw_span){ p, (size_t)(q - p) });
	if (r->p.proto == 255)
		return FWR_BADFIELD;
	p = q;
	if (p + 1 < e && p[0] == ' ' && p[1] == '(') {
		const char *close = memchr(p, ')', (size_t)(e - p));

		if (close == NULL)
			return FWR_CUT;
		if (r->p.proto == 6) {
			for (const char *w = p + 2; w < close;) {
				const char *we = w;

				while (we < close && *we != ',')
					we++;
				r->p.tcp_flags |= tcp_flag_word((struct fw_span){ w, (size_t)(we - w) });
				w = we + 1;
			}
			r->has_tcp_flags = true;
		} else if (r->p.proto == 1 || r->p.proto == 58) {
			const char *t = fw_find(p, close, "type ");
			const char *c = fw_find(p, close, "code ");

			if (t != NULL && fw_uint((struct fw_span){ t + 5,
			    (size_t)(word_end(t + 5, close, ',') - (t + 5)) }, 255, &u)) {
				r->p.icmp_type = (uint8_t)u;
				r->has_icmp_type = true;
			}
			if (c != NULL && fw_uint((struct fw_span){ c + 5,
			    (size_t)(word_end(c + 5, close, ')') - (c + 5)) }, 255, &u))
				r->p.icmp_code = (uint8_t)u;
		}
		p = close + 1;
	}
	/* ", A[:p]->B[:p]," : the packet as it came, before any NAT */
	if (p + 2 > e || p[0] != ',' || p[1] != ' ')
		return FWR_CUT;
	p += 2;
	if (e - p >= 4 && memcmp(p, "NAT ", 4) == 0) {
		if ((res = nat_pair(p + 4, e, &src, &dst, r, &q)) != FWR_OK)
			return res;
	} else {
		if ((arrow = fw_find(p, e, "->")) == NULL)
			return FWR_CUT;
		q = memchr(arrow, ',', (size_t)(e - arrow));
		if (q == NULL)
			q = e;
		if ((res = fw_addr_port((struct fw_span){ p, (size_t)(arrow - p) }, &src, &hp,
		    &r->p.sport)) != FWR_OK)
			return res;
		r->has_sport = hp;
		if ((res = fw_addr_port((struct fw_span){ arrow + 2, (size_t)(q - arrow - 2) },
		    &dst, &hp, &r->p.dport)) != FWR_OK)
			return res;
		r->has_dport = hp;
	}
	if ((res = fw_set_addrs(r, &src, &dst)) != FWR_OK)
		return res;
	if ((p = fw_find(q, e, "len ")) != NULL) {
		if (!fw_uint((struct fw_span){ p + 4, (size_t)(word_end(p + 4, e, ',') - (p + 4)) },
		    65535 + 40, &u))
			return FWR_BADFIELD;
		r->p.ip_len = (uint32_t)u;
	}
	r->event = FWE_PACKET;
	r->has_ts = fw_header_time(l, &r->p.ts);
	return FWR_OK;
}

const struct fw_format fw_mikrotik = {
	.name = "mikrotik",
	.vendor = "MikroTik RouterOS",
	.parse = mt_parse,
};
