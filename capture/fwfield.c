/*
 * The helpers through which the firewall log formats read a line
 * (capture/fwformat.h): spans, key=value pairs, CSV fields, addresses,
 * ports, protocol and action words. The time helpers are in
 * capture/fwlog.c, beside the syslog stamps they share code with.
 *
 * Every function reads only inside the span or [s, end) it is given.
 */
#include "config.h"

#include <string.h>

#include "common/util.h"
#include "capture/fwformat.h"

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

const char *
fw_find(const char *s, const char *end, const char *needle)
{
	if (s >= end)
		return NULL;
	return memmem(s, (size_t)(end - s), needle, strlen(needle));
}

bool
fw_eq(struct fw_span v, const char *lit)
{
	size_t n = strlen(lit);

	return v.n == n && memcmp(v.p, lit, n) == 0;
}

bool
fw_ieq(struct fw_span v, const char *lit)
{
	size_t n = strlen(lit);

	if (v.n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(v.p[i]) != lower(lit[i]))
			return false;
	return true;
}

/* ---- key=value ---- */

static bool
key_boundary(char c)
{
	return c == ' ' || c == '\t' || c == ',' || c == ';' || c == '|' || c == '[' ||
	    c == '{';
}

/* End of a quoted value starting after its opening quote. */
static const char *
quote_end(const char *p, const char *end)
{
	while (p < end && *p != '"') {
		if (*p == '\\' && p + 1 < end)
			p++;
		p++;
	}
	return p;
}

/* The value at p (just after the separator); *next is where scanning goes on. */
static void
value_at(const char *p, const char *end, char sep, struct fw_span *v, bool *quoted,
    const char **next)
{
	const char *q;

	if (sep == ':')
		while (p < end && *p == ' ')
			p++;
	if (p < end && *p == '"') {
		q = quote_end(p + 1, end);
		v->p = p + 1;
		v->n = (size_t)(q - (p + 1));
		*quoted = true;
		*next = q < end ? q + 1 : end;
		return;
	}
	q = p;
	if (sep == ':') {
		while (q < end && *q != ';' && !(*q == ',' && q + 1 < end && q[1] == ' '))
			q++;
	} else {
		while (q < end && *q != ' ' && *q != '\t')
			q++;
	}
	v->p = p;
	v->n = (size_t)(q - p);
	*quoted = false;
	*next = q;
}

/*
 * Walk the pairs of [s, end): calls each(pair) until it returns true.
 * A key is the run of non-boundary, non-separator, non-quote bytes that
 * ends at the separator.
 */
static int
walk_pairs(const char *s, const char *end, char sep, struct fw_pair *out, int max,
    const char *want, size_t want_n, struct fw_span *found)
{
	const char *p = s;
	int n = 0;

	while (p < end) {
		const char *k = p, *next;
		struct fw_pair pr;

		/* a key: bytes up to the separator, none of them a boundary or quote */
		while (p < end && *p != sep && *p != '"' && !key_boundary(*p) && *p != '=')
			p++;
		if (p < end && *p == sep && p > k) {
			pr.key.p = k;
			pr.key.n = (size_t)(p - k);
			value_at(p + 1, end, sep, &pr.val, &pr.quoted, &next);
			if (want != NULL) {
				if (pr.key.n == want_n && memcmp(k, want, want_n) == 0) {
					*found = pr.val;
					return 1;
				}
			} else if (n < max) {
				out[n++] = pr;
			} else {
				return n;
			}
			p = next;
			continue;
		}
		/* not a key here: skip to the next boundary, over quoted text */
		while (p < end && !key_boundary(*p)) {
			if (*p == '"')
				p = quote_end(p + 1, end);
			if (p < end)
				p++;
		}
		while (p < end && key_boundary(*p))
			p++;
	}
	return want != NULL ? 0 : n;
}

bool
fw_kv(const char *s, const char *end, const char *key, char sep, struct fw_span *v)
{
	return walk_pairs(s, end, sep, NULL, 0, key, strlen(key), v) == 1;
}

int
fw_kv_split(const char *s, const char *end, char sep, struct fw_pair *pairs, int max)
{
	return walk_pairs(s, end, sep, pairs, max, NULL, 0, NULL);
}

bool
fw_kv_get(const struct fw_pair *pairs, int n, const char *key, struct fw_span *v)
{
	size_t kn = strlen(key);

	for (int i = 0; i < n; i++)
		if (pairs[i].key.n == kn && memcmp(pairs[i].key.p, key, kn) == 0) {
			*v = pairs[i].val;
			return true;
		}
	return false;
}

uint64_t
fw_kv_table(const char *s, const char *end, char sep, const struct fw_key *keys, int nk,
    struct fw_span *v, uint64_t *quoted)
{
	enum { MAX = 256 };	/* a FortiGate line has about 100 */
	struct fw_pair pair[MAX];
	int n = fw_kv_split(s, end, sep, pair, MAX);
	uint64_t have = 0, q = 0;

	if (nk > 63)
		nk = 63;
	for (int i = 0; i < n; i++) {
		const struct fw_pair *p = &pair[i];

		for (int j = 0; j < nk; j++) {
			if (keys[j].n != p->key.n || keys[j].s[0] != p->key.p[0] ||
			    memcmp(keys[j].s, p->key.p, p->key.n) != 0)
				continue;
			if (!(have & (1ull << j))) {
				have |= 1ull << j;
				v[j] = p->val;
				if (p->quoted)
					q |= 1ull << j;
			}
			break;
		}
	}
	if (n > 0 && pair[n - 1].quoted && pair[n - 1].val.p + pair[n - 1].val.n == end)
		have |= FW_KV_CUT;
	if (quoted != NULL)
		*quoted = q;
	return have;
}

size_t
fw_unescape(char *dst, size_t cap, struct fw_span v)
{
	size_t o = 0;

	if (cap == 0)
		return 0;
	for (size_t i = 0; i < v.n && o + 1 < cap; i++) {
		char c = v.p[i];

		if (c == '\\' && i + 1 < v.n) {
			c = v.p[++i];
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c == 'r')
				c = '\r';
		}
		dst[o++] = c;
	}
	dst[o] = '\0';
	return o;
}

/* ---- CSV ---- */

int
fw_split(const char *s, const char *end, char delim, struct fw_span *f, int max)
{
	const char *p = s;
	int n = 0;

	if (max <= 0)
		return 0;
	for (;;) {
		if (n == max - 1) {
			/* the last field holds the rest */
			f[n].p = p;
			f[n].n = (size_t)(end - p);
			return max;
		}
		if (p < end && *p == '"') {
			/* "a ""b"" c": the span keeps the doubled quotes */
			const char *q = p + 1;

			while (q < end) {
				if (*q == '"') {
					if (q + 1 < end && q[1] == '"') {
						q += 2;
						continue;
					}
					break;
				}
				q++;
			}
			f[n].p = p + 1;
			f[n].n = (size_t)(q - (p + 1));
			n++;
			p = q < end ? q + 1 : end;
			/* anything up to the delimiter after the quote is dropped */
			while (p < end && *p != delim)
				p++;
		} else {
			const char *q = p;

			while (q < end && *q != delim)
				q++;
			f[n].p = p;
			f[n].n = (size_t)(q - p);
			n++;
			p = q;
		}
		if (p >= end)
			return n;
		p++;	/* the delimiter */
	}
}

/* ---- values ---- */

bool
fw_uint(struct fw_span v, uint64_t max, uint64_t *out)
{
	uint64_t r = 0;

	if (v.n == 0 || v.n > 20)
		return false;
	for (size_t i = 0; i < v.n; i++) {
		unsigned d = (unsigned char)v.p[i] - '0';

		if (d > 9)
			return false;
		if (r > (UINT64_MAX - d) / 10)
			return false;
		r = r * 10 + d;
	}
	if (r > max)
		return false;
	*out = r;
	return true;
}

enum fwlog_result
fw_addr(struct fw_span v, struct ns_addr *out)
{
	char buf[NS_ADDRSTRLEN];
	struct ns_addr a;

	if (v.n >= 2 && v.p[0] == '[' && v.p[v.n - 1] == ']') {
		v.p++;
		v.n -= 2;
	}
	if (v.n == 0 || v.n >= sizeof(buf))
		return FWR_BADADDR;
	memcpy(buf, v.p, v.n);
	buf[v.n] = '\0';
	/* inet_pton takes "1.2.3.4" only: no zone ids, no spaces */
	if (ns_addr_parse(&a, buf) != 0)
		return FWR_BADADDR;
	*out = a;
	return FWR_OK;
}

enum fwlog_result
fw_port(struct fw_span v, uint16_t *out)
{
	uint64_t u;

	if (!fw_uint(v, 65535, &u))
		return FWR_BADPORT;
	*out = (uint16_t)u;
	return FWR_OK;
}

enum fwlog_result
fw_addr_port(struct fw_span v, struct ns_addr *a, bool *has_port, uint16_t *port)
{
	struct fw_span av = v, pv = { NULL, 0 };
	const char *colon = NULL;
	int colons = 0;
	uint16_t pt = 0;

	if (v.n > 0 && v.p[0] == '[') {
		const char *rb = memchr(v.p, ']', v.n);

		if (rb == NULL)
			return FWR_BADADDR;
		av.p = v.p + 1;
		av.n = (size_t)(rb - av.p);
		if ((size_t)(rb + 1 - v.p) < v.n) {
			if (rb[1] != ':' && rb[1] != '.')
				return FWR_BADADDR;
			pv.p = rb + 2;
			pv.n = v.n - (size_t)(pv.p - v.p);
		}
	} else {
		for (size_t i = 0; i < v.n; i++)
			if (v.p[i] == ':') {
				colons++;
				colon = v.p + i;
			}
		const char *slash = memchr(v.p, '/', v.n);

		if (slash != NULL) {
			av.n = (size_t)(slash - v.p);
			pv.p = slash + 1;
			pv.n = v.n - av.n - 1;
		} else if (colons == 1) {
			av.n = (size_t)(colon - v.p);
			pv.p = colon + 1;
			pv.n = v.n - av.n - 1;
		}
	}
	if (fw_addr(av, a) != FWR_OK)
		return FWR_BADADDR;
	*has_port = pv.p != NULL;
	if (pv.p != NULL) {
		if (fw_port(pv, &pt) != FWR_OK)
			return FWR_BADPORT;
		*port = pt;
	}
	return FWR_OK;
}

uint8_t
fw_proto(struct fw_span v)
{
	static const struct {
		const char *name;
		uint8_t num;
	} names[] = {
		{ "tcp", 6 }, { "udp", 17 }, { "icmp", 1 }, { "icmpv6", 58 },
		{ "ipv6-icmp", 58 }, { "icmp6", 58 }, { "gre", 47 }, { "esp", 50 },
		{ "ah", 51 }, { "sctp", 132 }, { "igmp", 2 }, { "udplite", 136 },
		{ "ospf", 89 }, { "pim", 103 }, { "ipv6", 41 }, { "ipip", 4 },
		{ "vrrp", 112 }, { "carp", 112 }, { "l2tp", 115 },
	};
	uint64_t u;

	for (size_t i = 0; i < NS_ARRAY_LEN(names); i++)
		if (fw_ieq(v, names[i].name))
			return names[i].num;
	if (fw_uint(v, 255, &u))
		return (uint8_t)u;
	return 255;
}

enum fwlog_action
fw_action(struct fw_span v)
{
	static const struct {
		const char *word;
		enum fwlog_action act;
	} words[] = {
		{ "allow", FWA_ALLOW }, { "allowed", FWA_ALLOW }, { "accept", FWA_ALLOW },
		{ "accepted", FWA_ALLOW }, { "pass", FWA_ALLOW }, { "passed", FWA_ALLOW },
		{ "permit", FWA_ALLOW }, { "permitted", FWA_ALLOW }, { "built", FWA_ALLOW },
		{ "forward", FWA_ALLOW }, { "forwarded", FWA_ALLOW },
		{ "deny", FWA_DENY }, { "denied", FWA_DENY }, { "drop", FWA_DENY },
		{ "dropped", FWA_DENY }, { "block", FWA_DENY }, { "blocked", FWA_DENY },
		{ "discard", FWA_DENY }, { "discarded", FWA_DENY },
		{ "reject", FWA_RESET }, { "rejected", FWA_RESET }, { "reset", FWA_RESET },
		{ "reset-both", FWA_RESET }, { "reset-client", FWA_RESET },
		{ "reset-server", FWA_RESET },
	};

	while (v.n > 0 && (v.p[0] == ' ' || v.p[0] == '"')) {
		v.p++;
		v.n--;
	}
	while (v.n > 0 && (v.p[v.n - 1] == ' ' || v.p[v.n - 1] == '"'))
		v.n--;
	if (v.n == 0)
		return FWA_NONE;
	for (size_t i = 0; i < NS_ARRAY_LEN(words); i++)
		if (fw_ieq(v, words[i].word))
			return words[i].act;
	return FWA_OTHER;
}

void
fw_text(char *dst, size_t cap, struct fw_span v)
{
	if (cap == 0)
		return;
	ns_printable(dst, cap, v.p, v.n);
}

enum fwlog_result
fw_set_addrs(struct fwlog_rec *r, const struct ns_addr *src, const struct ns_addr *dst)
{
	if (src->af != dst->af || (src->af != 4 && src->af != 6))
		return FWR_BADADDR;
	r->p.src = *src;
	r->p.dst = *dst;
	r->p.ipver = src->af;
	return FWR_OK;
}

int
fw_kslot_find(const struct fw_kslot *t, size_t n, struct fw_span key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = t[mid].len != key.n ? (t[mid].len < key.n ? -1 : 1) :
		    memcmp(t[mid].name, key.p, key.n);

		if (c == 0)
			return t[mid].slot;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}
