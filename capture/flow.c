/*
 * NetFlow v5, NetFlow v9 (RFC 3954) and IPFIX (RFC 7011) messages into
 * flow records, with the templates of each (exporter, domain) kept.
 *
 * NetFlow v5 header (24 bytes), then `count` records of 48 bytes:
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |          version (5)          |             count             |
 *  |                           sys_uptime (ms)                     |
 *  |                           unix_secs                           |
 *  |                           unix_nsecs                          |
 *  |                   flow_sequence (flows before)                |
 *  | engine_type   |  engine_id    | mode|   sampling interval     |
 *  +-------------------------------+-------------------------------+
 *  record: srcaddr dstaddr nexthop | input output | dPkts | dOctets |
 *          First Last (uptime ms)  | srcport dstport | pad tcp_flags prot tos |
 *          src_as dst_as | src_mask dst_mask pad
 *
 * NetFlow v9 header (RFC 3954 5.1, 20 bytes), then FlowSets:
 *
 *  |          version (9)          |      count (records)          |
 *  |                           sys_uptime (ms)                     |
 *  |                           unix_secs                           |
 *  |               package_sequence (export packets)               |
 *  |                           source_id                           |
 *  FlowSet: | id (0 template, 1 options template, >255 data) | length |
 *
 * IPFIX message header (RFC 7011 3.1, 16 bytes), then Sets:
 *
 *  |          version (10)         |            length             |
 *  |                          export time                          |
 *  |             sequence number (data records before)             |
 *  |                    observation domain id                      |
 *  Set: | id (2 template, 3 options template, >255 data) | length |
 *  field specifier: |E| IE id (15) | length (65535: variable) | [PEN (32)]
 *
 * Every length is checked against the datagram before it is used; a set
 * that points past the message refuses the rest of the message. The
 * template store is bounded (struct flow_limits): a flood of templates
 * from spoofed exporters evicts the least recently heard domains (first
 * those that never sent a decodable record) and the oldest templates, and
 * never grows past its limit.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cursor.h"
#include "capture/flowdec.h"
#include "common/util.h"

/* Information elements read (IANA IPFIX registry; v9 uses the same numbers). */
enum {
	IE_OCTETS = 1, IE_PACKETS = 2, IE_PROTO = 4, IE_TCP_FLAGS = 6, IE_SPORT = 7,
	IE_SRC4 = 8, IE_IN_IF = 10, IE_DPORT = 11, IE_DST4 = 12, IE_OUT_IF = 14,
	IE_END_UPTIME = 21, IE_START_UPTIME = 22, IE_SRC6 = 27, IE_DST6 = 28,
	IE_ICMP4 = 32, IE_SAMPLING = 34, IE_V9_SAMPLER_INTERVAL = 50,
	IE_OCTETS_TOTAL = 85, IE_PACKETS_TOTAL = 86, IE_ICMP6 = 139,
	IE_START_S = 150, IE_END_S = 151, IE_START_MS = 152, IE_END_MS = 153,
	IE_START_US = 154, IE_END_US = 155, IE_START_NS = 156, IE_END_NS = 157,
	IE_START_DELTA_US = 158, IE_END_DELTA_US = 159, IE_SYS_INIT_MS = 160,
	IE_ICMP4_TYPE = 176, IE_ICMP4_CODE = 177, IE_ICMP6_TYPE = 178, IE_ICMP6_CODE = 179,
	IE_PKT_INTERVAL = 305, IE_PKT_SPACE = 306,
};

#define VARLEN 65535
/* Seconds between the NTP epoch (1900) and the Unix one. */
#define NTP_UNIX 2208988800.0

void
flow_limits_default(struct flow_limits *l)
{
	l->max_domains = 256;
	l->max_templates = 4096;
	l->max_domain_templates = 512;
	l->template_life = 1800;
}

static size_t
tmpl_size(unsigned n)
{
	return sizeof(struct tmpl) + (size_t)n * sizeof(struct tfield);
}

struct flow_dec *
flow_dec_new(const struct flow_limits *lim)
{
	struct flow_dec *d = xcalloc(1, sizeof(*d));

	if (lim != NULL)
		d->lim = *lim;
	else
		flow_limits_default(&d->lim);
	if (d->lim.max_domains < 1)
		d->lim.max_domains = 1;
	if (d->lim.max_templates < 1)
		d->lim.max_templates = 1;
	if (d->lim.max_domain_templates < 1)
		d->lim.max_domain_templates = 1;
	d->dom = xcalloc(d->lim.max_domains, sizeof(*d->dom));
	d->mem = d->lim.max_domains * sizeof(*d->dom);
	d->st.mem_limit = d->mem + d->lim.max_templates * tmpl_size(FLOW_MAX_FIELDS);
	return d;
}

static void
lru_remove(struct flow_dec *d, struct tmpl *t)
{
	int l = t->dom->proven;

	if (t->older != NULL)
		t->older->newer = t->newer;
	else
		d->oldest[l] = t->newer;
	if (t->newer != NULL)
		t->newer->older = t->older;
	else
		d->newest[l] = t->older;
	t->older = t->newer = NULL;
}

static void
lru_append(struct flow_dec *d, struct tmpl *t)
{
	int l = t->dom->proven;

	t->older = d->newest[l];
	t->newer = NULL;
	if (d->newest[l] != NULL)
		d->newest[l]->newer = t;
	else
		d->oldest[l] = t;
	d->newest[l] = t;
}

/* A domain's first decodable record: its templates to the kept list. */
static void
dom_prove(struct flow_dec *d, struct dom *dm)
{
	for (struct tmpl *t = dm->tmpl; t != NULL; t = t->next)
		lru_remove(d, t);
	dm->proven = true;
	for (struct tmpl *t = dm->tmpl; t != NULL; t = t->next)
		lru_append(d, t);
}

static void
tmpl_unlink(struct flow_dec *d, struct dom *dm, struct tmpl **pp)
{
	struct tmpl *t = *pp;

	*pp = t->next;
	lru_remove(d, t);
	d->mem -= tmpl_size(t->n);
	d->ntmpl--;
	dm->ntmpl--;
	free(t);
}

static void
dom_clear(struct flow_dec *d, struct dom *dm)
{
	while (dm->tmpl != NULL)
		tmpl_unlink(d, dm, &dm->tmpl);
	memset(dm, 0, sizeof(*dm));
	d->ndom--;
}

void
flow_dec_free(struct flow_dec *d)
{
	if (d == NULL)
		return;
	for (unsigned i = 0; i < d->lim.max_domains; i++)
		if (d->dom[i].used)
			dom_clear(d, &d->dom[i]);
	free(d->dom);
	free(d);
}

size_t
flow_dec_mem(const struct flow_dec *d)
{
	return d->mem;
}

/*
 * The domain of a message, made when new. A linear walk: at most
 * max_domains (256) compares a datagram, cheaper than the decoding. When
 * full, the least recently heard domain that never sent a decodable
 * record goes first (a spoofed exporter sends templates, or nothing the
 * decoder can read), then the least recently heard.
 */
struct dom *
flow_dom_get(struct flow_dec *d, const struct ns_addr *a, uint16_t port, uint8_t version,
    uint32_t domain, double now)
{
	struct dom *free_slot = NULL, *idle = NULL, *oldest = NULL, *dm;
	char buf[NS_ADDRSTRLEN];

	for (unsigned i = 0; i < d->lim.max_domains; i++) {
		dm = &d->dom[i];
		if (!dm->used) {
			if (free_slot == NULL)
				free_slot = dm;
			continue;
		}
		if (dm->version == version && dm->domain == domain && dm->port == port &&
		    ns_addr_eq(&dm->addr, a))
			return dm;
		if (dm->st.records == 0 && (idle == NULL || dm->last < idle->last))
			idle = dm;
		if (oldest == NULL || dm->last < oldest->last)
			oldest = dm;
	}
	if ((dm = free_slot) == NULL) {
		dm = idle != NULL ? idle : oldest;
		d->st.domains_evicted++;
		d->st.templates_evicted += dm->ntmpl;
		dom_clear(d, dm);
	}
	dm->used = true;
	dm->addr = *a;
	dm->port = port;
	dm->version = version;
	dm->domain = domain;
	dm->sampling = 1;
	dm->last = now;
	/* A file's messages name no exporter (its address is not in them). */
	snprintf(dm->via, sizeof(dm->via), "exporter %s",
	    port || a->af ? ns_addr_fmt(a, buf, sizeof(buf)) : "(file)");
	dm->st.addr = *a;
	dm->st.port = port;
	dm->st.version = version;
	dm->st.domain = domain;
	dm->st.sampling = 1;
	dm->st.first = now;
	d->ndom++;
	return dm;
}

/* Templates not refreshed within their lifetime (RFC 7011 8.4, UDP only). */
static void
expire(struct flow_dec *d, struct dom *dm, double now)
{
	struct tmpl **pp = &dm->tmpl;

	while (*pp != NULL) {
		if ((*pp)->refreshed + d->lim.template_life < now) {
			tmpl_unlink(d, dm, pp);
			dm->st.templates_expired++;
			d->st.templates_expired++;
		} else {
			pp = &(*pp)->next;
		}
	}
}

/*
 * The oldest template of a domain (a walk of its list, at most
 * max_domain_templates), or of all (only NULL: the head of the list of
 * domains that never sent a record, else of the others; then a walk of
 * its domain's list to unlink it), removed.
 */
static void
evict_oldest(struct flow_dec *d, struct dom *only)
{
	struct tmpl **best = NULL, **pp;
	struct dom *dm = only;

	if (only != NULL) {
		for (pp = &only->tmpl; *pp != NULL; pp = &(*pp)->next)
			if (best == NULL || (*pp)->refreshed < (*best)->refreshed)
				best = pp;
	} else if (d->oldest[0] != NULL || d->oldest[1] != NULL) {
		struct tmpl *victim = d->oldest[0] != NULL ? d->oldest[0] : d->oldest[1];

		dm = victim->dom;
		for (pp = &dm->tmpl; *pp != NULL; pp = &(*pp)->next)
			if (*pp == victim) {
				best = pp;
				break;
			}
	}
	if (best != NULL) {
		tmpl_unlink(d, dm, best);
		d->st.templates_evicted++;
	}
}

static struct tmpl *
tmpl_find(struct dom *dm, uint16_t id)
{
	for (struct tmpl *t = dm->tmpl; t != NULL; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

/* Keep a template just read (fields in f): new, refreshed or redefined. */
static void
tmpl_put(struct msg *m, uint16_t id, uint16_t n, uint16_t scope, bool options,
    const struct tfield *f)
{
	struct flow_dec *d = m->d;
	struct dom *dm = m->dm;
	struct tmpl *t, **pp;
	uint32_t min_len = 0;

	for (unsigned i = 0; i < n; i++)
		min_len += f[i].len == VARLEN ? 1 : f[i].len;
	if (min_len == 0) {
		/* No bytes a record: a set of them would never end. */
		d->st.templates_refused++;
		return;
	}
	dm->st.templates++;
	for (pp = &dm->tmpl; *pp != NULL; pp = &(*pp)->next) {
		t = *pp;
		if (t->id != id)
			continue;
		if (t->n == n && t->scope == scope && t->options == options &&
		    memcmp(t->f, f, n * sizeof(*f)) == 0) {
			t->refreshed = m->now;
			lru_remove(d, t);
			lru_append(d, t);
			return;
		}
		/* Redefined: the new layout replaces the old (RFC 7011 8.1). */
		dm->st.templates_redefined++;
		tmpl_unlink(d, dm, pp);
		break;
	}
	if (dm->ntmpl >= d->lim.max_domain_templates)
		evict_oldest(d, dm);
	if (d->ntmpl >= d->lim.max_templates)
		evict_oldest(d, NULL);
	t = xcalloc(1, tmpl_size(n));
	t->id = id;
	t->n = n;
	t->scope = scope;
	t->options = options;
	t->min_len = min_len;
	t->refreshed = m->now;
	memcpy(t->f, f, n * sizeof(*f));
	t->dom = dm;
	lru_append(d, t);
	t->next = dm->tmpl;
	dm->tmpl = t;
	dm->ntmpl++;
	d->ntmpl++;
	d->mem += tmpl_size(n);
}

/* A template withdrawal (IPFIX, field count 0): ignored over UDP. */
static void
tmpl_withdraw(struct msg *m, uint16_t id)
{
	if (m->over_udp)
		return;
	for (struct tmpl **pp = &m->dm->tmpl; *pp != NULL; pp = &(*pp)->next)
		if ((*pp)->id == id) {
			tmpl_unlink(m->d, m->dm, pp);
			return;
		}
}

/* An unsigned number of 1 to 8 bytes (reduced-size encoding, RFC 7011 6.2). */
static uint64_t
get_uint(const uint8_t *p, uint16_t len)
{
	uint64_t v = 0;

	if (len > 8)
		len = 8;
	for (unsigned i = 0; i < len; i++)
		v = v << 8 | p[i];
	return v;
}

/* NTP 64-bit timestamp (dateTimeMicroseconds/Nanoseconds) to Unix seconds. */
static double
ntp64(const uint8_t *p, uint16_t len)
{
	if (len != 8)
		return 0;
	return (double)get_uint(p, 4) - NTP_UNIX + (double)get_uint(p + 4, 4) / 4294967296.0;
}

/*
 * A time relative to the exporter's uptime: the header says the uptime
 * at the export, so the difference (modulo 2^32 ms: it wraps after 49.7
 * days) places the flow before the export time.
 */
static double
from_uptime(const struct msg *m, uint32_t uptime_export, uint64_t t)
{
	int32_t delta = (int32_t)(uptime_export - (uint32_t)t);

	return ((double)m->export_ms - (double)delta) / 1000.0;
}

/* Sampling from packet interval and space: 1 in (interval + space) / interval. */
static uint32_t
sampling_of(uint64_t interval, uint64_t space)
{
	uint64_t r;

	if (interval == 0)
		return 1;
	r = (interval + space + interval - 1) / interval;
	return r == 0 ? 1 : r > UINT32_MAX ? UINT32_MAX : (uint32_t)r;
}

/* One data record of template t at p (len bytes). */
static void
record(struct msg *m, const struct tmpl *t, const uint8_t *p, size_t len)
{
	struct dom *dm = m->dm;
	struct flow_rec r;
	bool has_src = false, has_dst = false;
	uint64_t start_up = 0, end_up = 0, pkt_interval = 0, pkt_space = 0, sampling = 0;
	bool has_start_up = false, has_end_up = false, has_space = false;
	double start = 0, end = 0, start_delta = -1, end_delta = -1;
	uint64_t sys_init = 0;
	size_t off = 0;

	memset(&r, 0, sizeof(r));
	for (unsigned i = 0; i < t->n; i++) {
		const struct tfield *f = &t->f[i];
		size_t flen = f->len;
		const uint8_t *v;
		uint64_t u;

		if (flen == VARLEN) {
			if (off >= len)
				return;
			flen = p[off++];
			if (flen == 255) {
				if (len - off < 2)
					return;
				flen = (size_t)p[off] << 8 | p[off + 1];
				off += 2;
			}
		}
		if (flen > len - off)
			return;
		v = p + off;
		off += flen;
		if (f->pen != 0 || flen == 0)
			continue;	/* enterprise elements (reverse flows too) are not read */
		u = flen <= 8 ? get_uint(v, (uint16_t)flen) : 0;
		switch (f->ie) {
		case IE_OCTETS:
		case IE_OCTETS_TOTAL:
			r.octets = u;
			break;
		case IE_PACKETS:
		case IE_PACKETS_TOTAL:
			r.pkts = u;
			break;
		case IE_PROTO:
			r.proto = (uint8_t)u;
			break;
		case IE_TCP_FLAGS:
			r.tcp_flags = (uint8_t)u;
			break;
		case IE_SPORT:
			r.sport = (uint16_t)u;
			r.has_ports = true;
			break;
		case IE_DPORT:
			r.dport = (uint16_t)u;
			r.has_ports = true;
			break;
		case IE_SRC4:
		case IE_DST4:
			if (flen != 4)
				break;
			ns_addr_set4(f->ie == IE_SRC4 ? &r.src : &r.dst, v);
			*(f->ie == IE_SRC4 ? &has_src : &has_dst) = true;
			r.ipver = 4;
			break;
		case IE_SRC6:
		case IE_DST6:
			if (flen != 16)
				break;
			ns_addr_set6(f->ie == IE_SRC6 ? &r.src : &r.dst, v);
			*(f->ie == IE_SRC6 ? &has_src : &has_dst) = true;
			r.ipver = 6;
			break;
		case IE_IN_IF:
			r.in_if = (uint32_t)u;
			break;
		case IE_OUT_IF:
			r.out_if = (uint32_t)u;
			break;
		case IE_START_UPTIME:
			start_up = u;
			has_start_up = true;
			break;
		case IE_END_UPTIME:
			end_up = u;
			has_end_up = true;
			break;
		case IE_ICMP4:
		case IE_ICMP6:
			r.icmp_type = (uint8_t)(u >> 8);
			r.icmp_code = (uint8_t)u;
			break;
		case IE_ICMP4_TYPE:
		case IE_ICMP6_TYPE:
			r.icmp_type = (uint8_t)u;
			break;
		case IE_ICMP4_CODE:
		case IE_ICMP6_CODE:
			r.icmp_code = (uint8_t)u;
			break;
		case IE_SAMPLING:
		case IE_V9_SAMPLER_INTERVAL:
			sampling = u;
			break;
		case IE_PKT_INTERVAL:
			pkt_interval = u;
			break;
		case IE_PKT_SPACE:
			pkt_space = u;
			has_space = true;
			break;
		case IE_START_S:
			start = (double)u;
			break;
		case IE_END_S:
			end = (double)u;
			break;
		case IE_START_MS:
			start = (double)u / 1000.0;
			break;
		case IE_END_MS:
			end = (double)u / 1000.0;
			break;
		case IE_START_US:
		case IE_START_NS:
			start = ntp64(v, (uint16_t)flen);
			break;
		case IE_END_US:
		case IE_END_NS:
			end = ntp64(v, (uint16_t)flen);
			break;
		case IE_START_DELTA_US:
			start_delta = (double)u / 1e6;
			break;
		case IE_END_DELTA_US:
			end_delta = (double)u / 1e6;
			break;
		case IE_SYS_INIT_MS:
			sys_init = u;
			break;
		default:
			break;
		}
	}
	/* What an options record announces holds for the records after it. */
	if (sys_init > 0)
		dm->sys_init_ms = sys_init;
	if (sampling > 0)
		dm->sampling = sampling > UINT32_MAX ? UINT32_MAX : (uint32_t)sampling;
	else if (pkt_interval > 0 && has_space)
		dm->sampling = sampling_of(pkt_interval, pkt_space);
	if (sampling > 0 || (pkt_interval > 0 && has_space))
		dm->st.sampling = dm->sampling;
	if (t->options || !has_src || !has_dst) {
		if (t->options)
			dm->st.options++;
		else
			m->d->st.no_addr++;
		return;
	}
	if (has_start_up || has_end_up) {
		uint32_t up = m->uptime_ms;

		if (m->version == 10)
			up = dm->sys_init_ms > 0 ? (uint32_t)(m->export_ms - dm->sys_init_ms) : 0;
		if (m->version == 9 || dm->sys_init_ms > 0) {
			if (has_start_up)
				start = from_uptime(m, up, start_up);
			if (has_end_up)
				end = from_uptime(m, up, end_up);
		}
	}
	if (start_delta >= 0)
		start = (double)m->export_ms / 1000.0 - start_delta;
	if (end_delta >= 0)
		end = (double)m->export_ms / 1000.0 - end_delta;
	/* No time said: the export's. */
	if (end <= 0)
		end = start > 0 ? start : (double)m->export_ms / 1000.0;
	if (start <= 0 || start > end)
		start = end;
	r.start = start;
	r.end = end;
	r.sampling = dm->sampling;
	r.pkts = r.pkts == 0 ? 1 : r.pkts;
	if (r.sampling > 1) {
		r.pkts = r.pkts > UINT64_MAX / r.sampling ? UINT64_MAX : r.pkts * r.sampling;
		r.octets = r.octets > UINT64_MAX / r.sampling ? UINT64_MAX : r.octets * r.sampling;
	}
	r.version = m->version;
	memcpy(r.via, dm->via, sizeof(r.via));
	if (!dm->proven)
		dom_prove(m->d, dm);
	dm->st.records++;
	m->d->st.records++;
	m->decoded++;
	m->cb(m->arg, &r);
}

/* The records of a data set (body at c, set id = template id). */
static void
data_set(struct msg *m, uint16_t id, struct cur *c)
{
	const struct tmpl *t = tmpl_find(m->dm, id);
	size_t left = cur_left(c);

	if (t == NULL) {
		/* Counted, not guessed: the template may come in a later message. */
		m->dm->st.no_template_sets++;
		m->dm->st.no_template_bytes += left;
		m->d->st.no_template_sets++;
		m->unknown_set = true;
		return;
	}
	/* Records until what is left is shorter than one: padding. */
	while (left >= t->min_len) {
		const uint8_t *p = c->p;
		size_t n = 0, i;

		/* The record's length, its variable fields' prefixes read. */
		for (i = 0; i < t->n && n <= left; i++) {
			if (t->f[i].len != VARLEN) {
				n += t->f[i].len;
				continue;
			}
			if (n >= left) {
				n = left + 1;
				break;
			}
			if (p[n] < 255) {
				n += 1 + (size_t)p[n];
			} else {
				if (left - n < 3) {
					n = left + 1;
					break;
				}
				n += 3 + ((size_t)p[n + 1] << 8 | p[n + 2]);
			}
		}
		if (n > left) {
			m->d->st.truncated++;
			m->dm->st.bad++;
			return;
		}
		record(m, t, p, n);
		m->data_records++;
		m->flow_records += !t->options;
		cur_advance(c, n);
		left = cur_left(c);
		if (n == 0)
			break;
	}
}

/*
 * Template records of a template set (IPFIX 2 and 3, v9 0): read the
 * field specifiers, refuse a template that runs past the set.
 */
static bool
template_set(struct msg *m, struct cur *c, bool options)
{
	struct tfield f[FLOW_MAX_FIELDS];

	for (;;) {
		uint16_t id, n, scope = 0;
		size_t off = 4;

		if (cur_left(c) < 4)
			return true;	/* padding */
		id = get_be16(c, 0);
		n = get_be16(c, 2);
		if (m->version == 10 && options) {
			if (n > 0) {
				scope = get_be16(c, 4);
				off = 6;
				if (scope == 0 || scope > n)
					goto refuse;
			}
		} else if (m->version == 9 && options) {
			/* v9 options: scope and option lengths in bytes. */
			uint16_t sl = get_be16(c, 2), ol = get_be16(c, 4);

			if (!cur_has(c, 0, 6) || sl % 4 != 0 || ol % 4 != 0)
				goto refuse;
			scope = sl / 4;
			n = (uint16_t)(scope + ol / 4);
			off = 6;
		}
		if (id < 256) {
			/* 0-255 are set ids, never templates: or the rest is padding. */
			if (id == 0 && n == 0)
				return true;
			goto refuse;
		}
		if (m->version == 10 && n == 0) {
			tmpl_withdraw(m, id);
			cur_advance(c, 4);
			continue;
		}
		if (n > FLOW_MAX_FIELDS) {
			m->d->st.templates_refused++;
			return false;	/* the rest of the set cannot be found */
		}
		for (unsigned i = 0; i < n; i++) {
			uint16_t ie = get_be16(c, off), len = get_be16(c, off + 2);

			f[i].pen = 0;
			off += 4;
			if (m->version == 10 && (ie & 0x8000)) {
				f[i].pen = get_be32(c, off);
				ie &= 0x7fff;
				off += 4;
				if (f[i].pen == 0)
					f[i].pen = UINT32_MAX;	/* a PEN of 0 is still not IETF's */
			}
			if (m->version == 9 && len == VARLEN)
				goto refuse;	/* v9 has no variable-length fields */
			f[i].ie = ie;
			f[i].len = len;
		}
		if (c->trunc || !cur_has(c, 0, off))
			goto refuse;
		tmpl_put(m, id, n, scope, options, f);
		cur_advance(c, off);
	}
refuse:
	m->d->st.templates_refused++;
	m->dm->st.bad++;
	return false;
}

/*
 * The sets (IPFIX) or flowsets (v9) of a message body: each length
 * checked against what is left of the message before the set is read.
 */
static int
sets(struct msg *m, struct cur *c)
{
	while (cur_left(c) > 0) {
		uint16_t id, len;
		struct cur body;

		if (cur_left(c) < 4) {
			/* v9 may pad the packet; IPFIX may not. */
			if (m->version == 9)
				break;
			m->d->st.truncated++;
			m->dm->st.bad++;
			return -1;
		}
		id = get_be16(c, 0);
		len = get_be16(c, 2);
		if (len < 4 || len > cur_left(c)) {
			m->d->st.bad_length++;
			m->dm->st.bad++;
			return -1;
		}
		cur_init(&body, c->p + 4, len - 4u);
		if (m->version == 10 && (id == 2 || id == 3))
			template_set(m, &body, id == 3);
		else if (m->version == 9 && (id == 0 || id == 1))
			template_set(m, &body, id == 1);
		else if (id >= 256)
			data_set(m, id, &body);
		/* Sets 4-255 (IPFIX) and 2-255 (v9) are reserved: skipped. */
		if (!cur_advance(c, len))
			break;	/* cannot be: len was checked; but never loop in place */
	}
	return 0;
}

/* Sequence numbers: a gap ahead is loss; one back (or far ahead), a jump. */
void
flow_sequence(struct dom *dm, uint32_t seq, uint32_t advance, uint64_t *lost)
{
	if (dm->has_seq && seq != dm->next_seq) {
		uint32_t gap = seq - dm->next_seq;

		if (gap < 0x10000000u)
			*lost += gap;
		else
			dm->st.seq_jumps++;
	}
	dm->next_seq = seq + advance;
	dm->has_seq = true;
}

/*
 * IPFIX sequence numbers count the data records sent before the message
 * (RFC 7011 3.1), options records included; some exporters leave those
 * out, and softflowd (1.1.0) counts the records up to the end of the
 * message instead. The first rule that fits two messages in a row is
 * the domain's from then on; a gap by that rule is loss.
 */
enum { SEQ_UNKNOWN, SEQ_RFC, SEQ_RFC_FLOWS, SEQ_THROUGH };

static void
sequence_ipfix(struct dom *dm, uint32_t seq, uint32_t all, uint32_t flows)
{
	if (dm->has_seq) {
		uint32_t want[4] = {
			dm->last_seq + dm->last_all, dm->last_seq + dm->last_all,
			dm->last_seq + dm->last_flows, dm->last_seq + flows,
		};
		uint32_t gap;

		gap = seq - want[dm->seq_style];
		if (dm->seq_style == SEQ_UNKNOWN) {
			/* Locked once one rule alone fits; while several do, no loss. */
			unsigned fit = 0;
			uint8_t which = SEQ_UNKNOWN;

			for (uint8_t k = SEQ_RFC; k <= SEQ_THROUGH; k++)
				if (seq == want[k]) {
					fit++;
					which = k;
				}
			if (fit == 1)
				dm->seq_style = which;
			if (fit > 0)
				gap = 0;
		}
		if (gap != 0 && gap < 0x10000000u)
			dm->st.seq_lost += gap;
		else if (gap != 0)
			dm->st.seq_jumps++;
	}
	dm->last_seq = seq;
	dm->last_all = all;
	dm->last_flows = flows;
	dm->has_seq = true;
}

static int
netflow_v5(struct msg *m, struct cur *c, const struct ns_addr *exp, uint16_t port)
{
	uint16_t count = get_be16(c, 2);
	uint32_t uptime = get_be32(c, 4);
	uint16_t samp = get_be16(c, 22);
	struct flow_rec r;

	if (!cur_has(c, 0, 24)) {
		m->d->st.truncated++;
		return -1;
	}
	m->export_ms = (uint64_t)get_be32(c, 8) * 1000 + get_be32(c, 12) / 1000000;
	if (m->now == 0)
		m->now = (double)m->export_ms / 1000.0;
	m->dm = flow_dom_get(m->d, exp, port, 5, (uint32_t)get_u8(c, 20) << 8 | get_u8(c, 21), m->now);
	m->dm->last = m->now;
	m->dm->st.messages++;
	m->dm->st.last = m->now;
	if (count == 0 || count > 30 || cur_left(c) < 24 + 48 * (size_t)count) {
		/* A count that points past the datagram: none of it is taken. */
		m->d->st.bad_length++;
		m->dm->st.bad++;
		return -1;
	}
	flow_sequence(m->dm, get_be32(c, 16), count, &m->dm->st.seq_lost);
	if ((samp & 0x3fff) > 1) {
		m->dm->sampling = samp & 0x3fff;
		m->dm->st.sampling = m->dm->sampling;
	}
	for (unsigned i = 0; i < count; i++) {
		struct cur rc;
		const uint8_t *p = c->p + 24 + 48 * (size_t)i;

		cur_init(&rc, p, 48);
		memset(&r, 0, sizeof(r));
		r.ipver = 4;
		ns_addr_set4(&r.src, p);
		ns_addr_set4(&r.dst, p + 4);
		r.in_if = get_be16(&rc, 12);
		r.out_if = get_be16(&rc, 14);
		r.pkts = get_be32(&rc, 16);
		r.octets = get_be32(&rc, 20);
		r.start = from_uptime(m, uptime, get_be32(&rc, 24));
		r.end = from_uptime(m, uptime, get_be32(&rc, 28));
		if (r.start > r.end)
			r.start = r.end;
		r.sport = get_be16(&rc, 32);
		r.dport = get_be16(&rc, 34);
		r.tcp_flags = get_u8(&rc, 37);
		r.proto = get_u8(&rc, 38);
		r.has_ports = r.proto == IPPROTO_TCP || r.proto == IPPROTO_UDP;
		if (r.proto == IPPROTO_ICMP) {
			r.icmp_type = (uint8_t)(r.dport >> 8);
			r.icmp_code = (uint8_t)r.dport;
		}
		r.sampling = m->dm->sampling;
		r.pkts = r.pkts == 0 ? 1 : r.pkts;
		r.pkts *= r.sampling;
		r.octets *= r.sampling;
		r.version = 5;
		memcpy(r.via, m->dm->via, sizeof(r.via));
		m->dm->st.records++;
		m->d->st.records++;
		m->decoded++;
		m->cb(m->arg, &r);
	}
	return m->decoded;
}

int
flow_dec_message(struct flow_dec *d, const struct ns_addr *exp, uint16_t port,
    const uint8_t *buf, size_t len, double now, bool over_udp,
    void (*cb)(void *, const struct flow_rec *), void *arg)
{
	struct msg m = { .d = d, .now = now, .over_udp = over_udp, .cb = cb, .arg = arg };
	struct cur c;
	uint16_t version;

	cur_init(&c, buf, len);
	d->st.datagrams++;
	d->st.bytes += len;
	version = get_be16(&c, 0);
	m.version = (uint8_t)version;
	/* sFlow's version is 32 bits, NetFlow's 16 followed by a count. */
	if (version == 0 && get_be16(&c, 2) == 5) {
		m.version = FLOW_VER_SFLOW;
		return flow_sflow(&m, &c, port);
	}
	if (version == 5)
		return netflow_v5(&m, &c, exp, port);
	if (version != 9 && version != 10) {
		d->st.not_flow++;
		return -1;
	}
	if (!cur_has(&c, 0, version == 9 ? 20 : 16)) {
		d->st.truncated++;
		return -1;
	}
	if (version == 10) {
		uint16_t mlen = get_be16(&c, 2);

		if (mlen < 16 || mlen > len) {
			/* The message says it is longer than the datagram: refused. */
			d->st.bad_length++;
			return -1;
		}
		cur_limit(&c, mlen);
		m.export_ms = (uint64_t)get_be32(&c, 4) * 1000;
	} else {
		m.uptime_ms = get_be32(&c, 4);
		m.export_ms = (uint64_t)get_be32(&c, 8) * 1000;
	}
	if (m.now == 0)
		m.now = (double)m.export_ms / 1000.0;
	m.dm = flow_dom_get(d, exp, port, (uint8_t)version, get_be32(&c, version == 9 ? 16 : 12), m.now);
	m.dm->last = m.now;
	m.dm->st.messages++;
	m.dm->st.last = m.now;
	if (over_udp)
		expire(d, m.dm, m.now);
	{
		uint32_t seq = get_be32(&c, version == 9 ? 12 : 8);
		int r;

		cur_advance(&c, version == 9 ? 20 : 16);
		r = sets(&m, &c);
		/* v9 counts export packets; IPFIX, data records before this message. */
		if (m.unknown_set && version == 10)
			m.dm->has_seq = false;	/* how many records it held is not known */
		else if (version == 10)
			sequence_ipfix(m.dm, seq, m.data_records, m.flow_records);
		else
			flow_sequence(m.dm, seq, 1, &m.dm->st.seq_lost);
		if (r < 0)
			return -1;
	}
	return m.decoded;
}

static int
by_records(const void *a, const void *b)
{
	const struct flow_exp_stats *x = a, *y = b;

	return x->records < y->records ? 1 : x->records > y->records ? -1 : 0;
}

const struct flow_stats *
flow_dec_stats(struct flow_dec *d)
{
	struct flow_stats *st = &d->st;
	struct flow_exp_stats *all = xcalloc(d->lim.max_domains, sizeof(*all));
	unsigned n = 0;

	for (unsigned i = 0; i < d->lim.max_domains; i++) {
		struct dom *dm = &d->dom[i];

		if (!dm->used)
			continue;
		dm->st.templates_live = dm->ntmpl;
		all[n++] = dm->st;
	}
	qsort(all, n, sizeof(*all), by_records);
	st->n_exp = (int)NS_MIN(n, (unsigned)FLOW_REPORT_EXPORTERS);
	st->exp_more = n - (unsigned)st->n_exp;
	memcpy(st->exp, all, (size_t)st->n_exp * sizeof(*all));
	free(all);
	st->domains_live = d->ndom;
	st->templates_live = d->ntmpl;
	st->mem_bytes = d->mem;
	return st;
}

struct flow_stats *
flow_dec_counters(struct flow_dec *d)
{
	return &d->st;
}
