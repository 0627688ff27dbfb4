/*
 * The arithmetic pieces of the evidence: port and address sets, top
 * ports, running means, and per-second rate windows.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/internal.h"
#include "common/util.h"

/* Linux's default ip_local_port_range, and the IANA dynamic range. */
bool
port_is_ephemeral(uint16_t p)
{
	return (p >= 32768 && p <= 60999) || p >= 49152;
}

/* The classes a portset counts, also who is the server of a connection. */
enum port_class
port_class(uint16_t p)
{
	if (p < 1024)
		return PORT_PRIVILEGED;
	return port_is_ephemeral(p) ? PORT_EPHEMERAL : PORT_REGISTERED;
}

static void
count_class(struct portset *s, uint16_t p)
{
	switch (port_class(p)) {
	case PORT_PRIVILEGED:
		s->privileged++;
		break;
	case PORT_REGISTERED:
		s->registered++;
		break;
	case PORT_EPHEMERAL:
		s->ephemeral++;
		break;
	}
}

bool
portset_add(struct portset *s, uint16_t p)
{
	uint32_t i;

	if (s->bits != NULL) {
		if (s->bits[p >> 3] & (1u << (p & 7)))
			return false;
		s->bits[p >> 3] |= (uint8_t)(1u << (p & 7));
	} else {
		for (i = 0; i < s->n; i++)
			if (s->small[i] == p)
				return false;
		if (s->n < NS_ARRAY_LEN(s->small)) {
			s->small[s->n] = p;
		} else {
			s->bits = xcalloc(8192, 1);
			for (i = 0; i < s->n; i++)
				s->bits[s->small[i] >> 3] |= (uint8_t)(1u << (s->small[i] & 7));
			s->bits[p >> 3] |= (uint8_t)(1u << (p & 7));
		}
	}
	s->n++;
	count_class(s, p);
	return true;
}

void
portset_free(struct portset *s)
{
	free(s->bits);
	s->bits = NULL;
}

void
portset_spread(const struct portset *s, struct ana_port_spread *o)
{
	o->distinct = s->n;
	o->privileged = s->privileged;
	o->registered = s->registered;
	o->ephemeral = s->ephemeral;
}

/*
 * Open addressing on fingerprints. Two addresses sharing a 32-bit
 * fingerprint count once: with at most 65536 members the undercount is
 * well under one in ten thousand, which no verdict notices.
 */
static void
addrset_put(uint32_t *slots, uint32_t cap, uint32_t fp)
{
	uint32_t j;

	for (j = fp & (cap - 1); slots[j] != 0; j = (j + 1) & (cap - 1))
		;
	slots[j] = fp;
}

bool
addrset_add(struct addrset *s, uint32_t fp)
{
	uint32_t i;

	if (fp == 0)
		fp = 1;
	if (s->full)
		return false;
	if (s->cap == 0) {
		for (i = 0; i < s->n; i++)
			if (s->u.inl[i] == fp)
				return false;
		if (s->n < ADDRSET_INLINE) {
			s->u.inl[s->n++] = fp;
			return true;
		}
	}
	if (s->n + 1 > s->cap / 2) {
		uint32_t ncap = s->cap ? s->cap * 2 : 4 * ADDRSET_INLINE, *slots;

		if (s->n >= ADDRSET_MAX) {
			s->full = true;
			return false;
		}
		slots = xcalloc(ncap, sizeof(uint32_t));
		if (s->cap == 0) {
			for (i = 0; i < s->n; i++)
				addrset_put(slots, ncap, s->u.inl[i]);
		} else {
			for (i = 0; i < s->cap; i++)
				if (s->u.slots[i] != 0)
					addrset_put(slots, ncap, s->u.slots[i]);
			free(s->u.slots);
		}
		s->u.slots = slots;
		s->cap = ncap;
	}
	for (i = fp & (s->cap - 1); s->u.slots[i] != 0; i = (i + 1) & (s->cap - 1))
		if (s->u.slots[i] == fp)
			return false;
	s->u.slots[i] = fp;
	s->n++;
	return true;
}

void
addrset_free(struct addrset *s)
{
	if (s->cap != 0)
		free(s->u.slots);
	memset(s, 0, sizeof(*s));
}

/* Metwally et al.'s space-saving: a new port replaces the least counted. */
void
topk_add(struct topk *t, uint16_t port, uint8_t proto)
{
	int i, min = 0;

	for (i = 0; i < t->n; i++) {
		if (t->e[i].port == port && t->e[i].proto == proto) {
			t->e[i].packets++;
			return;
		}
		if (t->e[i].packets < t->e[min].packets)
			min = i;
	}
	if (t->n < TOPK) {
		t->e[t->n].port = port;
		t->e[t->n].proto = proto;
		t->e[t->n].packets = 1;
		t->e[t->n].over = 0;
		t->n++;
		return;
	}
	/* Space-saving: the new port takes the least one's count, as its error. */
	t->e[min].port = port;
	t->e[min].proto = proto;
	t->e[min].over = t->e[min].packets;
	t->e[min].packets++;
}

static int
cmp_count(const void *a, const void *b)
{
	const struct ana_port_count *x = a, *y = b;

	if (x->packets != y->packets)
		return x->packets > y->packets ? -1 : 1;
	return x->port < y->port ? -1 : x->port > y->port;
}

int
topk_get(const struct topk *t, struct ana_port_count *out, int max)
{
	struct ana_port_count tmp[TOPK];
	int n = t->n;

	/* What holds for sure: the count less what it may owe others. */
	for (int i = 0; i < n; i++) {
		tmp[i] = t->e[i];
		tmp[i].packets -= tmp[i].over;
	}
	qsort(tmp, (size_t)n, sizeof(tmp[0]), cmp_count);
	if (n > max)
		n = max;
	memcpy(out, tmp, sizeof(tmp[0]) * (size_t)n);
	return n;
}

void
welford_add(struct welford *w, double x)
{
	double d = x - w->mean;

	w->n++;
	w->mean += d / (double)w->n;
	w->m2 += d * (x - w->mean);
}

double
welford_sd(const struct welford *w)
{
	return w->n > 1 ? sqrt(w->m2 / (double)(w->n - 1)) : 0;
}

/*
 * Packets in and out, bytes in and out over the seconds [end - len + 1,
 * end]: only the seconds the slots hold count (from first_sec, within
 * RATE_S of sec); any other second had nothing.
 */
static void
window_sum(const struct rate *r, const struct rate_slots *rs, int64_t end, int len,
    uint64_t out[4])
{
	int64_t from = end - len + 1, to = end < r->sec ? end : r->sec;

	out[0] = out[1] = out[2] = out[3] = 0;
	if (from < r->first_sec)
		from = r->first_sec;
	if (from <= r->sec - RATE_S)
		from = r->sec - RATE_S + 1;
	for (int64_t s = from; s <= to; s++) {
		const struct rate_sec *x = &rs->s[(uint64_t)s & (RATE_S - 1)];

		out[0] += x->pin;
		out[1] += x->pout;
		out[2] += x->bin;
		out[3] += x->bout;
	}
}

static const struct rate_sec *
sec_at(const struct rate *r, const struct rate_slots *rs, int64_t s)
{
	static const struct rate_sec none;

	if (s < r->first_sec || s > r->sec || s <= r->sec - RATE_S)
		return &none;
	return &rs->s[(uint64_t)s & (RATE_S - 1)];
}

static const struct rate_min *
min_at(const struct rate *r, const struct rate_slots *rs, int64_t m)
{
	static const struct rate_min none;

	if (m < r->first_min || m > r->min || m <= r->min - RATE_M)
		return &none;
	return &rs->m[(uint64_t)m & (RATE_M - 1)];
}

/*
 * Close second r->sec: the windows ending at an active second are the only
 * ones that can hold a peak, since later windows only lose packets.
 */
static void
close_second(struct rate *r, const struct rate_slots *rs, double flood_pps)
{
	static const int win[3] = { 1, 10, 60 };
	const struct rate_sec *cur = sec_at(r, rs, r->sec);
	uint64_t w[4];
	int i;

	for (i = 0; i < 3; i++) {
		double pin, pout;

		window_sum(r, rs, r->sec, win[i], w);
		pin = (double)w[0] / win[i];
		pout = (double)w[1] / win[i];
		if (pin > r->peak_pin[i])
			r->peak_pin[i] = pin;
		if (pout > r->peak_pout[i])
			r->peak_pout[i] = pout;
	}
	if (cur->bin > r->peak_bin1)
		r->peak_bin1 = cur->bin;
	if (cur->bout > r->peak_bout1)
		r->peak_bout1 = cur->bout;
	if (r->unsol_cur > r->unsol_peak)
		r->unsol_peak = r->unsol_cur;
	if (flood_pps > 0 && r->unsol_cur >= flood_pps)
		r->secs_over_flood++;
	r->unsol_cur = 0;
}

static void
advance(struct rate *r, struct rate_slots *rs, double ts, double flood_pps)
{
	int64_t sec = (int64_t)floor(ts), min = sec / 60, s;

	if (!r->started) {
		r->started = true;
		r->sec = r->first_sec = sec;
		r->min = r->first_min = min;
		memset(&rs->s[(uint64_t)sec & (RATE_S - 1)], 0, sizeof(rs->s[0]));
		memset(&rs->m[(uint64_t)min & (RATE_M - 1)], 0, sizeof(rs->m[0]));
		return;
	}
	if (sec > r->sec) {
		close_second(r, rs, flood_pps);
		for (s = r->sec + 1; s <= sec && s <= r->sec + RATE_S; s++)
			memset(&rs->s[(uint64_t)s & (RATE_S - 1)], 0, sizeof(rs->s[0]));
		r->sec = sec;
	}
	if (min > r->min) {
		if (r->new_ports_cur > r->new_ports_peak)
			r->new_ports_peak = r->new_ports_cur;
		r->new_ports_cur = 0;
		for (s = r->min + 1; s <= min && s <= r->min + RATE_M; s++)
			memset(&rs->m[(uint64_t)s & (RATE_M - 1)], 0, sizeof(rs->m[0]));
		r->min = min;
	}
}

void
rate_add(struct rate *r, struct rate_slots *rs, double ts, bool in, uint32_t bytes,
    bool unsolicited, double flood_pps)
{
	struct rate_sec *x;
	struct rate_min *m;

	/* Packets a little out of order count in the current second. */
	advance(r, rs, ts, flood_pps);
	x = &rs->s[(uint64_t)r->sec & (RATE_S - 1)];
	m = &rs->m[(uint64_t)r->min & (RATE_M - 1)];
	if (in) {
		x->pin++;
		x->bin += bytes;
		m->pin++;
		if (unsolicited)
			r->unsol_cur++;
	} else {
		x->pout++;
		x->bout += bytes;
		m->pout++;
	}
}

/* A new local port, counted in the minute of its packet. */
void
rate_new_port(struct rate *r, struct rate_slots *rs, double ts, double flood_pps)
{
	advance(r, rs, ts, flood_pps);
	r->new_ports_cur++;
}

void
rate_recent(const struct rate *r, const struct rate_slots *rs, double now, double *pps_in_10,
    double *pps_out_10)
{
	int64_t nowsec = (int64_t)floor(now);
	uint64_t w[4];

	*pps_in_10 = *pps_out_10 = 0;
	if (!r->started)
		return;
	/* As rate_snapshot: the window ends now, or at the latest second. */
	window_sum(r, rs, nowsec > r->sec ? nowsec : r->sec, 10, w);
	*pps_in_10 = (double)w[0] / 10;
	*pps_out_10 = (double)w[1] / 10;
}

void
rate_snapshot(const struct rate *r, const struct rate_slots *rs, double now, double flood_pps,
    struct ana_rates *o)
{
	int64_t nowsec = (int64_t)floor(now), end, endmin;
	uint64_t w1[4], w10[4], w60[4];
	int i;

	memset(o, 0, sizeof(*o));
	if (!r->started)
		return;
	/* The current second counts too, for peaks: close a copy of it. */
	{
		struct rate c = *r;

		close_second(&c, rs, flood_pps);
		o->peak_pps_in_1 = c.peak_pin[0];
		o->peak_pps_in_10 = c.peak_pin[1];
		o->peak_pps_in_60 = c.peak_pin[2];
		o->peak_pps_out_1 = c.peak_pout[0];
		o->peak_pps_out_10 = c.peak_pout[1];
		o->peak_pps_out_60 = c.peak_pout[2];
		o->peak_bps_in_1 = c.peak_bin1 * 8;
		o->peak_bps_out_1 = c.peak_bout1 * 8;
		o->unsolicited_peak_pps = c.unsol_peak;
		o->seconds_over_flood = c.secs_over_flood;
	}
	/* Rates as of now: an idle host shows falling rates. */
	end = nowsec > r->sec ? nowsec : r->sec;
	endmin = r->min;
	if (nowsec > r->sec && nowsec / 60 > r->min)
		endmin = nowsec / 60;
	window_sum(r, rs, end, 1, w1);
	window_sum(r, rs, end, 10, w10);
	window_sum(r, rs, end, 60, w60);
	o->pps_in_1 = (double)w1[0];
	o->pps_out_1 = (double)w1[1];
	o->pps_in_10 = (double)w10[0] / 10;
	o->pps_out_10 = (double)w10[1] / 10;
	o->pps_in_60 = (double)w60[0] / 60;
	o->pps_out_60 = (double)w60[1] / 60;
	o->bps_in_1 = (double)w1[2] * 8;
	o->bps_out_1 = (double)w1[3] * 8;
	o->bps_in_10 = (double)w10[2] * 8 / 10;
	o->bps_out_10 = (double)w10[3] * 8 / 10;
	o->bps_in_60 = (double)w60[2] * 8 / 60;
	o->bps_out_60 = (double)w60[3] * 8 / 60;
	for (i = 0; i < ANA_SPARK_S; i++) {
		const struct rate_sec *x = sec_at(r, rs, end - (ANA_SPARK_S - 1) + i);

		o->spark_s_in[i] = x->pin;
		o->spark_s_out[i] = x->pout;
	}
	for (i = 0; i < ANA_SPARK_M; i++) {
		const struct rate_min *x = min_at(r, rs, endmin - (ANA_SPARK_M - 1) + i);

		o->spark_m_in[i] = x->pin;
		o->spark_m_out[i] = x->pout;
	}
}

/* HyperLogLog with m registers (a power of two): the low bits pick one. */
void
hll_add(uint8_t *regs, unsigned m, uint64_t hash)
{
	unsigned idx = (unsigned)(hash & (m - 1));
	uint64_t rest = hash >> __builtin_ctz(m);
	uint8_t rank = (uint8_t)(rest == 0 ? 64 - __builtin_ctz(m) + 1 : __builtin_ctzll(rest) + 1);

	if (rank > regs[idx])
		regs[idx] = rank;
}

uint64_t
hll_count(const uint8_t *regs, unsigned m)
{
	double sum = 0, e, alpha = 0.7213 / (1 + 1.079 / m);
	unsigned zeros = 0;

	for (unsigned i = 0; i < m; i++) {
		sum += ldexp(1.0, -regs[i]);
		zeros += regs[i] == 0;
	}
	e = alpha * m * m / sum;
	if (e <= 2.5 * m && zeros > 0)
		e = m * log((double)m / zeros);
	return (uint64_t)llround(e);
}
