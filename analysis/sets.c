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

static void
count_class(struct portset *s, uint16_t p)
{
	if (p < 1024)
		s->privileged++;
	else if (port_is_ephemeral(p))
		s->ephemeral++;
	else
		s->registered++;
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
bool
addrset_add(struct addrset *s, uint32_t fp)
{
	uint32_t i;

	if (fp == 0)
		fp = 1;
	if (s->full)
		return false;
	if (s->n + 1 > s->cap / 2) {
		uint32_t ncap = s->cap ? s->cap * 2 : 8, *old = s->slots, ocap = s->cap;

		if (s->n >= ADDRSET_MAX) {
			s->full = true;
			return false;
		}
		s->slots = xcalloc(ncap, sizeof(uint32_t));
		s->cap = ncap;
		for (i = 0; i < ocap; i++) {
			uint32_t j;

			if (old[i] == 0)
				continue;
			for (j = old[i] & (ncap - 1); s->slots[j] != 0; j = (j + 1) & (ncap - 1))
				;
			s->slots[j] = old[i];
		}
		free(old);
	}
	for (i = fp & (s->cap - 1); s->slots[i] != 0; i = (i + 1) & (s->cap - 1))
		if (s->slots[i] == fp)
			return false;
	s->slots[i] = fp;
	s->n++;
	return true;
}

void
addrset_free(struct addrset *s)
{
	free(s->slots);
	s->slots = NULL;
	s->cap = s->n = 0;
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
		t->n++;
		return;
	}
	t->e[min].port = port;
	t->e[min].proto = proto;
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

	memcpy(tmp, t->e, sizeof(tmp[0]) * (size_t)n);
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

static uint64_t
window_sum(const uint32_t *a, int64_t end, int len)
{
	uint64_t s = 0;

	for (int i = 0; i < len; i++)
		s += a[(uint64_t)(end - i) & (RATE_S - 1)];
	return s;
}

/*
 * Close second r->sec: the windows ending at an active second are the only
 * ones that can hold a peak, since later windows only lose packets.
 */
static void
close_second(struct rate *r, double flood_pps)
{
	static const int win[3] = { 1, 10, 60 };
	int i;

	for (i = 0; i < 3; i++) {
		double pin = (double)window_sum(r->pin, r->sec, win[i]) / win[i];
		double pout = (double)window_sum(r->pout, r->sec, win[i]) / win[i];

		if (pin > r->peak_pin[i])
			r->peak_pin[i] = pin;
		if (pout > r->peak_pout[i])
			r->peak_pout[i] = pout;
	}
	if (r->bin[r->sec & (RATE_S - 1)] > r->peak_bin1)
		r->peak_bin1 = r->bin[r->sec & (RATE_S - 1)];
	if (r->bout[r->sec & (RATE_S - 1)] > r->peak_bout1)
		r->peak_bout1 = r->bout[r->sec & (RATE_S - 1)];
	if (r->unsol_cur > r->unsol_peak)
		r->unsol_peak = r->unsol_cur;
	if (flood_pps > 0 && r->unsol_cur >= flood_pps)
		r->secs_over_flood++;
	r->unsol_cur = 0;
}

static void
advance(struct rate *r, double ts, double flood_pps)
{
	int64_t sec = (int64_t)floor(ts), min = sec / 60, s;

	if (r->sec == 0 && r->min == 0) {
		r->sec = sec;
		r->min = min;
	}
	if (sec > r->sec) {
		close_second(r, flood_pps);
		for (s = r->sec + 1; s <= sec && s <= r->sec + RATE_S; s++) {
			uint32_t i = (uint32_t)((uint64_t)s & (RATE_S - 1));

			r->pin[i] = r->pout[i] = r->bin[i] = r->bout[i] = 0;
		}
		r->sec = sec;
	}
	if (min > r->min) {
		if (r->new_ports_cur > r->new_ports_peak)
			r->new_ports_peak = r->new_ports_cur;
		r->new_ports_cur = 0;
		for (s = r->min + 1; s <= min && s <= r->min + RATE_M; s++) {
			uint32_t i = (uint32_t)((uint64_t)s & (RATE_M - 1));

			r->mpin[i] = r->mpout[i] = 0;
		}
		r->min = min;
	}
}

void
rate_add(struct rate *r, double ts, bool in, uint32_t bytes, bool unsolicited,
    double flood_pps)
{
	uint32_t i, m;

	/* Packets a little out of order count in the current second. */
	advance(r, ts, flood_pps);
	i = (uint32_t)((uint64_t)r->sec & (RATE_S - 1));
	m = (uint32_t)((uint64_t)r->min & (RATE_M - 1));
	if (in) {
		r->pin[i]++;
		r->bin[i] += bytes;
		r->mpin[m]++;
		if (unsolicited)
			r->unsol_cur++;
	} else {
		r->pout[i]++;
		r->bout[i] += bytes;
		r->mpout[m]++;
	}
}

void
rate_new_port(struct rate *r, double ts)
{
	(void)ts;
	r->new_ports_cur++;
}

void
rate_snapshot(const struct rate *r0, double now, double flood_pps, struct ana_rates *o)
{
	struct rate r = *r0;
	int64_t nowsec = (int64_t)floor(now);
	int i;

	memset(o, 0, sizeof(*o));
	/* Bring a copy up to now, so idle hosts show falling rates. */
	if (nowsec > r.sec && (r.sec != 0 || r.min != 0))
		advance(&r, (double)nowsec, flood_pps);
	/* The current second counts too, for peaks: close a copy of it. */
	{
		struct rate c = r;

		close_second(&c, flood_pps);
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
	o->pps_in_1 = (double)window_sum(r.pin, r.sec, 1);
	o->pps_out_1 = (double)window_sum(r.pout, r.sec, 1);
	o->pps_in_10 = (double)window_sum(r.pin, r.sec, 10) / 10;
	o->pps_out_10 = (double)window_sum(r.pout, r.sec, 10) / 10;
	o->pps_in_60 = (double)window_sum(r.pin, r.sec, 60) / 60;
	o->pps_out_60 = (double)window_sum(r.pout, r.sec, 60) / 60;
	o->bps_in_1 = (double)window_sum(r.bin, r.sec, 1) * 8;
	o->bps_out_1 = (double)window_sum(r.bout, r.sec, 1) * 8;
	o->bps_in_10 = (double)window_sum(r.bin, r.sec, 10) * 8 / 10;
	o->bps_out_10 = (double)window_sum(r.bout, r.sec, 10) * 8 / 10;
	o->bps_in_60 = (double)window_sum(r.bin, r.sec, 60) * 8 / 60;
	o->bps_out_60 = (double)window_sum(r.bout, r.sec, 60) * 8 / 60;
	for (i = 0; i < ANA_SPARK_S; i++) {
		uint32_t k = (uint32_t)((uint64_t)(r.sec - (ANA_SPARK_S - 1) + i) & (RATE_S - 1));

		o->spark_s_in[i] = r.pin[k];
		o->spark_s_out[i] = r.pout[k];
	}
	for (i = 0; i < ANA_SPARK_M; i++) {
		uint32_t k = (uint32_t)((uint64_t)(r.min - (ANA_SPARK_M - 1) + i) & (RATE_M - 1));

		o->spark_m_in[i] = r.mpin[k];
		o->spark_m_out[i] = r.mpout[k];
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
