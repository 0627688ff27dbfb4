#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/random.h>

#include "common/util.h"

static void (*fatal_hook)(void);

void
ns_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		fatalx("out of memory allocating %zu bytes", n);
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		fatalx("out of memory allocating %zu x %zu bytes", n, sz);
	return p;
}

void *
xreallocarray(void *old, size_t n, size_t sz)
{
	void *p;

	if (sz != 0 && n > SIZE_MAX / sz)
		fatalx("allocation of %zu x %zu bytes overflows", n, sz);
	p = realloc(old, (n != 0 && sz != 0) ? n * sz : 1);
	if (p == NULL)
		fatalx("out of memory allocating %zu x %zu bytes", n, sz);
	return p;
}

/*
 * Large tables (host pool, flows, the capture ring): anonymous memory,
 * zeroed, on 2 MB pages where the kernel grants them. Pages are still
 * touched as needed, but a 50 MB pool costs a few dozen page faults
 * instead of thirteen thousand, and far fewer TLB misses.
 */
#define BIG_ALIGN ((size_t)2 << 20)

static size_t
big_size(size_t n)
{
	return (n + BIG_ALIGN - 1) & ~(BIG_ALIGN - 1);
}

static void *
big_map(size_t n, size_t sz, int flags)
{
	size_t len, extra;
	uint8_t *p, *q;

	if (sz != 0 && n > SIZE_MAX / sz - BIG_ALIGN)
		fatalx("allocation of %zu x %zu bytes overflows", n, sz);
	/* Small tables (a fuzzer's, a short capture's): not worth a 2 MB page. */
	if (n * sz < BIG_ALIGN)
		return xcalloc(n, sz);
	len = big_size(n != 0 && sz != 0 ? n * sz : 1);
	p = mmap(NULL, len + BIG_ALIGN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | flags,
	    -1, 0);
	if (p == MAP_FAILED)
		fatalx("out of memory allocating %zu x %zu bytes", n, sz);
	/* Keep the 2 MB aligned part. */
	q = (uint8_t *)(((uintptr_t)p + BIG_ALIGN - 1) & ~(uintptr_t)(BIG_ALIGN - 1));
	extra = (size_t)(q - p);
	if (extra > 0)
		munmap(p, extra);
	if (BIG_ALIGN - extra > 0)
		munmap(q + len, BIG_ALIGN - extra);
#ifdef MADV_HUGEPAGE
	(void)madvise(q, len, MADV_HUGEPAGE);
#endif
	return q;
}

void *
ns_big_alloc(size_t n, size_t sz)
{
	return big_map(n, sz, 0);
}

void *
ns_big_reserve(size_t n, size_t sz)
{
	return big_map(n, sz, MAP_NORESERVE);
}

void
ns_big_free(void *p, size_t n, size_t sz)
{
	if (p == NULL)
		return;
	if (n * sz < BIG_ALIGN)
		free(p);
	else
		munmap(p, big_size(n != 0 && sz != 0 ? n * sz : 1));
}

#define POPULATE_QUEUE 16

struct ns_populator {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	bool started, quit;
	struct { uint8_t *p; size_t len; } q[POPULATE_QUEUE];
	unsigned head, n;
};

static void *
populate_thread(void *arg)
{
	struct ns_populator *pp = arg;

	pthread_mutex_lock(&pp->mu);
	for (;;) {
		uint8_t *p;
		size_t len;

		while (pp->n == 0 && !pp->quit)
			pthread_cond_wait(&pp->cv, &pp->mu);
		if (pp->quit)
			break;
		p = pp->q[pp->head].p;
		len = pp->q[pp->head].len;
		pp->head = (pp->head + 1) % POPULATE_QUEUE;
		pp->n--;
		pthread_mutex_unlock(&pp->mu);
#ifdef MADV_POPULATE_WRITE
		/* 2 MB at a time, so that quitting never waits for a whole table. */
		for (size_t off = 0; off < len && !__atomic_load_n(&pp->quit, __ATOMIC_RELAXED);
		    off += BIG_ALIGN)
			if (madvise(p + off, NS_MIN(BIG_ALIGN, len - off), MADV_POPULATE_WRITE) != 0)
				break;
#else
		(void)p;
		(void)len;
#endif
		pthread_mutex_lock(&pp->mu);
	}
	pthread_mutex_unlock(&pp->mu);
	return NULL;
}

struct ns_populator *
ns_populator_new(void)
{
	struct ns_populator *pp = xcalloc(1, sizeof(*pp));

	pthread_mutex_init(&pp->mu, NULL);
	pthread_cond_init(&pp->cv, NULL);
	/* Without it, the writer faults its pages itself: what bench/run.sh weighs it by. */
	if (getenv("NTPSLEUTH_NO_POPULATE") != NULL)
		pp->quit = true;
	return pp;
}

void
ns_populate(struct ns_populator *pp, void *p, size_t len)
{
	if (pp == NULL || p == NULL || len == 0)
		return;
	pthread_mutex_lock(&pp->mu);
	if (!pp->started && !pp->quit) {
		if (pthread_create(&pp->thread, NULL, populate_thread, pp) == 0)
			pp->started = true;
		else
			pp->quit = true;	/* no thread: the writer faults its pages itself */
	}
	if (pp->started && pp->n < POPULATE_QUEUE) {
		pp->q[(pp->head + pp->n) % POPULATE_QUEUE].p = p;
		pp->q[(pp->head + pp->n) % POPULATE_QUEUE].len = len;
		pp->n++;
		pthread_cond_signal(&pp->cv);
	}
	pthread_mutex_unlock(&pp->mu);
}

void
ns_populator_free(struct ns_populator *pp)
{
	if (pp == NULL)
		return;
	pthread_mutex_lock(&pp->mu);
	__atomic_store_n(&pp->quit, true, __ATOMIC_RELAXED);
	pthread_cond_signal(&pp->cv);
	pthread_mutex_unlock(&pp->mu);
	if (pp->started)
		pthread_join(pp->thread, NULL);
	pthread_mutex_destroy(&pp->mu);
	pthread_cond_destroy(&pp->cv);
	free(pp);
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		fatalx("out of memory copying a string");
	return p;
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(ret, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("out of memory formatting a string");
	return n;
}

static void __attribute__((noreturn))
vfatal(int with_errno, const char *fmt, va_list ap)
{
	int saved = errno;

	if (fatal_hook != NULL) {
		void (*hook)(void) = fatal_hook;

		fatal_hook = NULL;
		hook();
	}
	fputs("ntpsleuth: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (with_errno)
		fprintf(stderr, ": %s", strerror(saved));
	fputc('\n', stderr);
	exit(2);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfatal(1, fmt, ap);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfatal(0, fmt, ap);
}

void
ns_warnx(const char *fmt, ...)
{
	va_list ap;

	fputs("ntpsleuth: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	if (len > n)
		return 0;
	cp = s[0] & (0x3f >> (len - 1));
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* C1 controls (U+0080..U+009F) act as escape introducers on some terminals. */
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	return len;
}

char *
ns_printable(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, o = 0, l;

	if (dstlen == 0)
		return dst;
	while (i < srclen && s[i] != '\0' && o + 1 < dstlen) {
		if (s[i] >= 0x20 && s[i] < 0x7f) {
			dst[o++] = (char)s[i++];
		} else if (s[i] >= 0x80 && (l = utf8_len(s + i, srclen - i)) != 0) {
			if (o + l >= dstlen)
				break;
			memcpy(dst + o, s + i, l);
			o += l;
			i += l;
		} else {
			dst[o++] = '?';
			i++;
		}
	}
	dst[o] = '\0';
	return dst;
}

double
ns_now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double
ns_now_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * "YYYY-MM-DDTHH:MM:SSZ" of a time from 1970 to 9999, without gmtime_r and
 * strftime: a report writes one for each of 320,000 exchanges. Days to
 * a civil date as in Howard Hinnant's chrono-compatible algorithms.
 */
size_t
ns_fmt_utc(char *buf, size_t len, int64_t t)
{
	int64_t days = t / 86400, sod = t % 86400, z, era, doe, yoe, y, doy, mp, d, m;
	int n;

	if (t < 0 || t > 253402300799LL) {
		time_t s = (time_t)t;
		struct tm tm;

		if (gmtime_r(&s, &tm) == NULL)
			return (size_t)snprintf(buf, len, "-");
		return strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	z = days + 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (len < 21) {
		char full[21];

		ns_fmt_utc(full, sizeof(full), t);
		return (size_t)snprintf(buf, len, "%s", full);
	}
	{
		char *p = buf;
		int v[6] = { (int)y, (int)m, (int)d, (int)(sod / 3600), (int)(sod / 60 % 60),
			(int)(sod % 60) };
		static const char sep[6] = { '-', '-', 'T', ':', ':', 'Z' };

		p[0] = (char)('0' + v[0] / 1000);
		p[1] = (char)('0' + v[0] / 100 % 10);
		p[2] = (char)('0' + v[0] / 10 % 10);
		p[3] = (char)('0' + v[0] % 10);
		p[4] = sep[0];
		p += 5;
		for (n = 1; n < 6; n++) {
			p[0] = (char)('0' + v[n] / 10);
			p[1] = (char)('0' + v[n] % 10);
			p[2] = sep[n];
			p += 3;
		}
		*p = '\0';
		return 20;
	}
}

const char *
ns_fmt_duration(char *buf, size_t len, double s)
{
	if (s < 0)
		s = 0;
	if (s < 0.1)
		snprintf(buf, len, "%.0f ms", s * 1000);
	else if (s < 10)
		snprintf(buf, len, "%.1f s", s);
	else if (s < 120)
		snprintf(buf, len, "%.0f s", s);
	else if (s < 7200)
		snprintf(buf, len, "%d min %02d s", (int)(s / 60), (int)s % 60);
	else if (s < 172800)
		snprintf(buf, len, "%d h %02d min", (int)(s / 3600), ((int)s % 3600) / 60);
	else
		snprintf(buf, len, "%.1f days", s / 86400);
	return buf;
}

const char *
ns_fmt_si(char *buf, size_t len, double v)
{
	if (v < 1000)
		snprintf(buf, len, v == (double)(long long)v ? "%.0f" : "%.1f", v);
	else if (v < 1e6)
		snprintf(buf, len, "%.1fk", v / 1e3);
	else if (v < 1e9)
		snprintf(buf, len, "%.1fM", v / 1e6);
	else
		snprintf(buf, len, "%.1fG", v / 1e9);
	return buf;
}

/*
 * SipHash-1-3 (one compression round, three finalization rounds), after the
 * reference description by Aumasson and Bernstein: the variant Rust's and
 * Python's hash tables use, half the cost of SipHash-2-4 and still keyed
 * against chosen collisions, which is all the tables need.
 */
#if defined(__has_attribute)
#if __has_attribute(fallthrough)
#define FALLTHROUGH __attribute__((fallthrough))
#endif
#endif
#ifndef FALLTHROUGH
#define FALLTHROUGH do { } while (0)
#endif
#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                               \
	do {                                                                   \
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);     \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                         \
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                         \
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);     \
	} while (0)

/* Eight bytes, little-endian: one load on the machines we run on. */
static inline uint64_t
le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

uint64_t
ns_siphash(const uint8_t key[16], const void *data, size_t len)
{
	const uint8_t *in = data, *end = in + (len - len % 8);
	uint64_t k0 = le64(key), k1 = le64(key + 8), m, b = (uint64_t)len << 56;
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;

	for (; in != end; in += 8) {
		m = le64(in);
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	/*
	 * The last 0-7 bytes, little-endian. Byte by byte: a memcpy of
	 * len & 7 bytes is a library call, on every packet's hash
	 * (BENCHMARKS.md, "History": fc7d332).
	 */
	switch (len & 7) {
	case 7: b |= (uint64_t)in[6] << 48; FALLTHROUGH;
	case 6: b |= (uint64_t)in[5] << 40; FALLTHROUGH;
	case 5: b |= (uint64_t)in[4] << 32; FALLTHROUGH;
	case 4: b |= (uint64_t)in[3] << 24; FALLTHROUGH;
	case 3: b |= (uint64_t)in[2] << 16; FALLTHROUGH;
	case 2: b |= (uint64_t)in[1] << 8; FALLTHROUGH;
	case 1: b |= (uint64_t)in[0]; break;
	default: break;
	}
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

void
ns_random_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len > 0) {
		n = getrandom(p, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fatal("getrandom");
		}
		p += n;
		len -= (size_t)n;
	}
}

size_t
ns_read_full(int fd, void *buf, size_t n, long long off)
{
	uint8_t *b = buf;
	size_t got = 0;

	while (got < n) {
		ssize_t r = off < 0 ? read(fd, b + got, n - got) :
		    pread(fd, b + got, n - got, (off_t)(off + (long long)got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

bool
ns_has_prefix(const uint8_t *p, size_t len, const char *s)
{
	size_t n = strlen(s);

	return len >= n && memcmp(p, s, n) == 0;
}

/* Bounded, whatever len: a payload's text is near its start. */
bool
ns_has_text(const uint8_t *p, size_t len, const char *s)
{
	size_t n = strlen(s), lim = len < 2048 ? len : 2048;

	for (size_t i = 0; i + n <= lim; i++)
		if (p[i] == (uint8_t)s[0] && memcmp(p + i, s, n) == 0)
			return true;
	return false;
}
