/*
 * genflow: a bounded IPFIX exporter for bench/flow.sh. Sends COUNT flow
 * records to HOST:PORT over UDP at RATE records a second, paced against
 * the clock (a message is sent when its time has come, so a slow
 * collector does not slow the sender: what it cannot take is lost),
 * sleeping between messages rather than spinning.
 *
 *   genflow HOST PORT RATE COUNT
 *
 * The messages are IPFIX (RFC 7011), 36 data records a message (1,388
 * bytes, under a 1,500-byte MTU), after a template set sent first and
 * again every 256 messages; the sequence number counts the data records
 * before each message, so a collector can count what it lost. A record
 * is a one-packet UDP flow of 76 bytes from one of 512 remote addresses
 * (203.0.113.0/24, 198.51.100.0/24) to port 123 of one of 254 local ones
 * (192.0.2.0/24), at the current time in milliseconds.
 *
 * Prints on stdout: records and messages sent, seconds, the rate reached.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PER_MSG 36
#define REC_LEN 38
#define TPL_EVERY 256

static size_t
put16(uint8_t *p, size_t at, unsigned v)
{
	p[at] = (uint8_t)(v >> 8);
	p[at + 1] = (uint8_t)v;
	return at + 2;
}

static size_t
put32(uint8_t *p, size_t at, uint32_t v)
{
	at = put16(p, at, v >> 16);
	return put16(p, at, v & 0xffff);
}

static size_t
put64(uint8_t *p, size_t at, uint64_t v)
{
	at = put32(p, at, (uint32_t)(v >> 32));
	return put32(p, at, (uint32_t)v);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The IPFIX header at 0; the message's length is filled in at the end. */
static size_t
header(uint8_t *m, uint32_t seq)
{
	size_t at = put16(m, 0, 10);

	at = put16(m, at, 0);
	at = put32(m, at, (uint32_t)(wall_ms() / 1000));
	at = put32(m, at, seq);
	return put32(m, at, 1);
}

static size_t
template_set(uint8_t *m, size_t at)
{
	static const uint16_t f[][2] = {
		{ 8, 4 }, { 12, 4 }, { 7, 2 }, { 11, 2 }, { 4, 1 }, { 6, 1 },
		{ 2, 4 }, { 1, 4 }, { 152, 8 }, { 153, 8 },
	};
	size_t n = sizeof(f) / sizeof(f[0]);

	at = put16(m, at, 2);
	at = put16(m, at, (unsigned)(4 + 4 + 4 * n));
	at = put16(m, at, 256);
	at = put16(m, at, (unsigned)n);
	for (size_t i = 0; i < n; i++) {
		at = put16(m, at, f[i][0]);
		at = put16(m, at, f[i][1]);
	}
	return at;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin;
	uint8_t m[1500];
	uint64_t count, sent = 0, msgs = 0, errors = 0;
	double rate, t0, t1;
	uint32_t rnd = 12345;
	int fd;

	if (argc != 5) {
		fprintf(stderr, "usage: genflow HOST PORT RATE COUNT\n");
		return 2;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1) {
		fprintf(stderr, "genflow: %s is not an IPv4 address\n", argv[1]);
		return 2;
	}
	rate = atof(argv[3]);
	count = strtoull(argv[4], NULL, 10);
	if (rate <= 0 || count == 0) {
		fprintf(stderr, "genflow: RATE and COUNT must be above 0\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		fprintf(stderr, "genflow: socket: %s\n", strerror(errno));
		return 1;
	}
	t0 = now();
	while (sent < count) {
		/* Message k is due when its first record is. */
		double due = t0 + (double)sent / rate;
		size_t at;
		uint64_t ms;
		unsigned n = count - sent < PER_MSG ? (unsigned)(count - sent) : PER_MSG;

		/*
		 * Sleep, never spin: a spinning sender would take a core
		 * from the collector on a small machine. Woken late (timer
		 * slack, 50 us here), it sends what is due at once: bursts
		 * of a few messages, the rate over the run exact.
		 */
		for (double t = now(); t < due; t = now()) {
			struct timespec ts = { 0, (long)((due - t) * 1e9) };

			nanosleep(&ts, NULL);
		}
		at = header(m, (uint32_t)sent);
		if (msgs % TPL_EVERY == 0)
			at = template_set(m, at);
		at = put16(m, at, 256);
		at = put16(m, at, (unsigned)(4 + n * REC_LEN));
		ms = wall_ms();
		for (unsigned i = 0; i < n; i++) {
			rnd = rnd * 1103515245u + 12345u;
			at = put32(m, at, (rnd >> 16 & 1 ? 0xcb007100u : 0xc6336400u) | (rnd >> 8 & 0xff));
			at = put32(m, at, 0xc0000201u + (rnd >> 20) % 254);
			at = put16(m, at, 1024 + (rnd & 0x7fff));
			at = put16(m, at, 123);
			m[at++] = 17;
			m[at++] = 0;
			at = put32(m, at, 1);
			at = put32(m, at, 76);
			at = put64(m, at, ms);
			at = put64(m, at, ms);
		}
		put16(m, 2, (unsigned)at);
		if (send(fd, m, at, 0) < 0)
			errors++;
		sent += n;
		msgs++;
	}
	t1 = now();
	printf("sent %llu records in %llu messages in %.3f s: %.0f records/s (%llu send errors)\n",
	    (unsigned long long)sent, (unsigned long long)msgs, t1 - t0,
	    (double)sent / (t1 - t0 > 0 ? t1 - t0 : 1e-9), (unsigned long long)errors);
	close(fd);
	return 0;
}
