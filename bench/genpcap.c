/*
 * genpcap: writes the large, deterministic captures that bench/run.sh
 * measures ntpsleuth on.
 *
 *   genpcap mixed OUT.pcap          about 1.2 million frames of mixed traffic
 *   genpcap sources N OUT.pcap      a flood from N distinct source addresses
 *
 * The local side is 10.20.0.0/16 in both (give ntpsleuth --local 10.20.0.0/16).
 * A fixed seed makes every run write the same bytes, so the figures in
 * BENCHMARKS.md can be compared across versions.
 *
 * The mixed capture holds, interleaved in time over about two minutes:
 *  - 2,000 local NTP clients polling five public servers (mode 3 / mode 4,
 *    48-byte payloads);
 *  - a NAT router 10.20.255.1 whose clients poll from many high ports, the
 *    replies going from 123 to those ports;
 *  - spoofed monlist requests (mode 7, implementation 3, request 42, 8 to 48
 *    bytes) to the local server 10.20.0.123, each answered with 100
 *    440-byte responses, the "more" bit on all but the last;
 *  - a SYN scan of 20,000 ports of 10.20.0.5, with the RSTs and SYN/ACKs;
 *  - a UDP flood of 10.20.0.53 from 200,000 spoofed sources;
 *  - background HTTPS-like TCP between local clients and remote servers.
 *
 * Everything is built in memory, sorted by time and written as a classic
 * microsecond pcap of Ethernet frames, with correct IPv4, UDP and TCP
 * checksums. Memory use is a few hundred MiB for the mixed capture; that is
 * the accepted cost of sorting rather than merging generators on the fly.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOCAL_NET 0x0a140000u /* 10.20.0.0/16 */
#define ETH_HLEN 14
#define IP_HLEN 20
#define UDP_HLEN 8
#define TCP_HLEN 20

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10

struct rec {
	uint64_t ts_us;
	uint64_t off;	/* into the arena */
	uint32_t len;
	uint32_t seq;	/* order of creation: ties keep it */
};

struct gen {
	struct rec *recs;
	size_t nrecs, caprecs;
	uint8_t *arena;
	size_t used, cap;
	uint64_t rng;
	uint16_t ipid;
};

static void
die(const char *what)
{
	fprintf(stderr, "genpcap: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (q == NULL)
		die("out of memory");
	return q;
}

/* xorshift64*: fast, and the same stream on every machine. */
static uint64_t
rnd(struct gen *g)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 2685821657736338717ULL;
}

static uint32_t
rnd_below(struct gen *g, uint32_t n)
{
	return (uint32_t)((rnd(g) >> 32) * n >> 32);
}

/*
 * A bijection on 24 bits, so that i = 0..N-1 gives N distinct, scattered
 * addresses: an odd multiplier and xor-shifts are both invertible mod 2^24.
 */
static uint32_t
perm24(uint32_t i)
{
	i &= 0xffffff;
	i = (i * 0x9e3779u + 0x5bd1e9u) & 0xffffff;
	i ^= i >> 11;
	i = (i * 0x2c1b3du) & 0xffffff;
	i ^= i >> 13;
	return i;
}

/*
 * Spoofed source number i (i < 2^24), in public-looking space far from the
 * local /16: the permutation's low 3 bits pick the first octet (64, 68, ...
 * 92), its other 21 bits and i's low 3 bits the rest, so distinct i give
 * distinct addresses.
 */
static uint32_t
spoofed_addr(uint32_t i)
{
	uint32_t p = perm24(i);

	return (64u + (p & 7) * 4) << 24 | (p >> 3) << 3 | (i & 7);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
sum16(const uint8_t *p, size_t n, uint32_t s)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t
fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/*
 * One IPv4 frame with a UDP or TCP header (tcp == NULL for UDP) and a
 * payload; returns the payload pointer so the caller fills it in before the
 * checksum is computed by finish().
 */
struct tcpinfo {
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
};

static uint8_t *
frame(struct gen *g, uint64_t ts_us, uint32_t src, uint32_t dst, uint16_t sport,
    uint16_t dport, const struct tcpinfo *tcp, size_t plen)
{
	size_t l4 = tcp ? TCP_HLEN : UDP_HLEN;
	size_t len = ETH_HLEN + IP_HLEN + l4 + plen;
	struct rec *r;
	uint8_t *f, *ip;

	if (g->nrecs == g->caprecs) {
		g->caprecs = g->caprecs ? g->caprecs * 2 : 1 << 20;
		g->recs = xrealloc(g->recs, g->caprecs * sizeof(*g->recs));
	}
	if (g->used + len > g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64u << 20;
		g->arena = xrealloc(g->arena, g->cap);
	}
	r = &g->recs[g->nrecs];
	r->ts_us = ts_us;
	r->off = g->used;
	r->len = (uint32_t)len;
	r->seq = (uint32_t)g->nrecs;
	g->nrecs++;
	f = g->arena + g->used;
	g->used += len;

	/* Ethernet: the router's MAC towards the outside, one per local host. */
	memcpy(f, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02", 12);
	if ((dst & 0xffff0000u) == LOCAL_NET)
		put32(f + 2, dst);
	else
		put32(f + 8, src);
	put16(f + 12, 0x0800);

	ip = f + ETH_HLEN;
	ip[0] = 0x45;
	ip[1] = 0;
	put16(ip + 2, (uint16_t)(IP_HLEN + l4 + plen));
	put16(ip + 4, g->ipid++);
	put16(ip + 6, tcp ? 0x4000 : 0); /* DF on TCP */
	ip[8] = (dst & 0xffff0000u) == LOCAL_NET ? 52 : 64;
	ip[9] = tcp ? 6 : 17;
	put16(ip + 10, 0);
	put32(ip + 12, src);
	put32(ip + 16, dst);
	put16(ip + 10, fold(sum16(ip, IP_HLEN, 0)));

	put16(ip + IP_HLEN, sport);
	put16(ip + IP_HLEN + 2, dport);
	if (tcp) {
		uint8_t *t = ip + IP_HLEN;

		put32(t + 4, tcp->seq);
		put32(t + 8, tcp->ack);
		t[12] = (TCP_HLEN / 4) << 4;
		t[13] = tcp->flags;
		put16(t + 14, tcp->win);
		put16(t + 16, 0);
		put16(t + 18, 0);
	} else {
		put16(ip + IP_HLEN + 4, (uint16_t)(UDP_HLEN + plen));
		put16(ip + IP_HLEN + 6, 0);
	}
	return ip + IP_HLEN + l4;
}

/* The UDP/TCP checksum of the last frame, once its payload is in. */
static void
finish(struct gen *g)
{
	struct rec *r = &g->recs[g->nrecs - 1];
	uint8_t *ip = g->arena + r->off + ETH_HLEN;
	size_t l4len = r->len - ETH_HLEN - IP_HLEN;
	uint32_t s = 0;
	uint16_t c;

	s = sum16(ip + 12, 8, s);
	s += ip[9];
	s += (uint32_t)l4len;
	s = sum16(ip + IP_HLEN, l4len, s);
	c = fold(s);
	if (ip[9] == 17) {
		if (c == 0)
			c = 0xffff;
		put16(ip + IP_HLEN + 6, c);
	} else {
		put16(ip + IP_HLEN + 16, c);
	}
}

static void
udp(struct gen *g, uint64_t ts, uint32_t src, uint32_t dst, uint16_t sport,
    uint16_t dport, const uint8_t *payload, size_t plen)
{
	uint8_t *p = frame(g, ts, src, dst, sport, dport, NULL, plen);

	memcpy(p, payload, plen);
	finish(g);
}

static void
tcp(struct gen *g, uint64_t ts, uint32_t src, uint32_t dst, uint16_t sport,
    uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags, size_t plen)
{
	struct tcpinfo t = { .seq = seq, .ack = ack, .flags = flags, .win = 64240 };
	uint8_t *p = frame(g, ts, src, dst, sport, dport, &t, plen);
	size_t i;

	for (i = 0; i < plen; i++)
		p[i] = (uint8_t)(seq + i);
	finish(g);
}

/* NTP time of a capture timestamp: seconds since 1900 and a fraction. */
static void
ntp_ts(uint8_t *p, uint64_t ts_us)
{
	put32(p, (uint32_t)(ts_us / 1000000 + 2208988800u));
	put32(p + 4, (uint32_t)(((ts_us % 1000000) << 32) / 1000000));
}

/*
 * NTP, RFC 5905 section 7.3 (48 bytes without extensions):
 *  |LI | VN  |Mode |    Stratum     |     Poll      |  Precision   |
 *  |                         Root Delay                            |
 *  |                         Root Dispersion                       |
 *  |                          Reference ID                         |
 *  |                     Reference Timestamp (64)                  |
 *  |                      Origin Timestamp (64)                    |
 *  |                      Receive Timestamp (64)                   |
 *  |                      Transmit Timestamp (64)                  |
 */
static void
ntp_exchange(struct gen *g, uint64_t ts, uint32_t client, uint16_t cport,
    uint32_t server, uint64_t rtt_us)
{
	uint8_t q[48] = { 0 }, a[48] = { 0 };

	q[0] = 0x23; /* LI 0, VN 4, mode 3 */
	q[2] = 6;
	q[3] = 0xec;
	ntp_ts(q + 40, ts);
	udp(g, ts, client, server, cport, 123, q, sizeof(q));

	a[0] = 0x24; /* LI 0, VN 4, mode 4 */
	a[1] = 2;
	a[2] = 6;
	a[3] = 0xe9;
	put32(a + 4, 0x00000a00);
	put32(a + 8, 0x00001200);
	put32(a + 12, 0xc0000201);
	ntp_ts(a + 16, ts - 60000000);
	memcpy(a + 24, q + 40, 8);
	ntp_ts(a + 32, ts + rtt_us / 2);
	ntp_ts(a + 40, ts + rtt_us / 2 + 15);
	udp(g, ts + rtt_us, server, client, 123, cport, a, sizeof(a));
}

#define DURATION_US 120000000ull /* two minutes of capture time */
#define T0_US 1732406400000000ull /* 2024-11-24T00:00:00Z */

static const uint32_t ntp_servers[] = {
	0xc0000201u, 0xc6336407u, 0xcb007105u, 0x4a7d8a11u, 0x5bbd5b0bu,
};

/* 2,000 local clients, each polling one server every 2.4 s: 100k exchanges. */
static void
gen_ntp_clients(struct gen *g, unsigned nclients, unsigned polls)
{
	unsigned c, k;

	for (c = 0; c < nclients; c++) {
		uint32_t client = LOCAL_NET | (1u + c / 250) << 8 | (1u + c % 250);
		uint32_t server = ntp_servers[c % 5];
		uint64_t step = DURATION_US / polls;
		uint64_t t = T0_US + rnd_below(g, (uint32_t)step);

		for (k = 0; k < polls; k++, t += step)
			ntp_exchange(g, t, client, 123, server,
			    8000 + rnd_below(g, 30000));
	}
}

/* A NAT router whose clients poll from a new high port each time. */
static void
gen_nat(struct gen *g, unsigned exchanges)
{
	uint32_t nat = LOCAL_NET | 0xff01;
	unsigned i;

	for (i = 0; i < exchanges; i++) {
		uint64_t t = T0_US + (uint64_t)i * (DURATION_US / exchanges) +
		    rnd_below(g, 1000);
		uint16_t port = (uint16_t)(1024 + rnd_below(g, 64511));

		ntp_exchange(g, t, nat, port, ntp_servers[i % 5],
		    9000 + rnd_below(g, 20000));
	}
}

/*
 * NTP mode 7 (private), ntpd's ntp_request.h:
 *  |R|M| VN  |Mode |A|  Sequence   | Implementation |   Req code   |
 *  |  Err  |     Number of items    |  MBZ  |   Size of data item  |
 *  |                     data (0 to 500 bytes)                     |
 * monlist (request 42) answers with up to 6 items of 72 bytes a datagram.
 */
static void
gen_monlist(struct gen *g, unsigned requests)
{
	static const uint32_t victims[] = {
		0x5db8d822u, 0x68103c01u, 0x8efa4a2eu, 0x9df0f10au, 0xadfcb0c4u,
		0xb9c7686du, 0x2d4f1301u, 0x3345a0e2u,
	};
	uint32_t server = LOCAL_NET | 0x007b; /* 10.20.0.123 */
	uint8_t req[48], resp[440];
	unsigned i, k;

	for (i = 0; i < requests; i++) {
		uint64_t t = T0_US + 10000000 +
		    (uint64_t)i * (DURATION_US - 20000000) / requests;
		uint32_t victim = victims[i % 8];
		uint16_t vport = (uint16_t)(i % 3 == 0 ? 80 : 1024 + rnd_below(g, 60000));
		size_t rlen = 8 + 4 * rnd_below(g, 11); /* 8..48 */

		memset(req, 0, sizeof(req));
		req[0] = 0x17; /* VN 2, mode 7 */
		req[2] = 3;
		req[3] = 42;
		udp(g, t, victim, server, vport, 123, req, rlen);

		for (k = 0; k < 100; k++) {
			size_t j;

			memset(resp, 0, sizeof(resp));
			resp[0] = (uint8_t)(0x97 | (k < 99 ? 0x40 : 0));
			resp[1] = (uint8_t)k;
			resp[2] = 3;
			resp[3] = 42;
			put16(resp + 4, 6);
			put16(resp + 6, 72);
			for (j = 0; j < 6; j++) {
				uint8_t *it = resp + 8 + 72 * j;

				put32(it + 0, 60 + k);		/* avgint */
				put32(it + 4, k * 6 + j);	/* lsint */
				put32(it + 16, spoofed_addr(k * 6 + j + 7));
				put32(it + 20, server);
				put32(it + 12, 1 + j);		/* count */
				put16(it + 28, 123);
				it[30] = 3;
				it[31] = 4;
			}
			udp(g, t + 150 + 40 * k, server, victim, 123, vport,
			    resp, sizeof(resp));
		}
	}
}

/* A SYN scan: closed ports answer RST/ACK, a few open ones SYN/ACK. */
static void
gen_scan(struct gen *g, unsigned ports)
{
	uint32_t scanner = 0xb9dc6521u, target = LOCAL_NET | 0x0005;
	uint64_t t0 = T0_US + 30000000;
	unsigned i;

	for (i = 0; i < ports; i++) {
		uint16_t port = (uint16_t)(1 + i * 7919u % 65535); /* distinct */
		uint64_t t = t0 + (uint64_t)i * 200; /* 5,000 a second */
		uint32_t iss = (uint32_t)rnd(g);

		tcp(g, t, scanner, target, 54321, port, iss, 0, TH_SYN, 0);
		if (port == 22 || port == 80 || port == 443 || i % 997 == 0) {
			tcp(g, t + 90, target, scanner, port, 54321, (uint32_t)rnd(g),
			    iss + 1, TH_SYN | TH_ACK, 0);
			tcp(g, t + 180, scanner, target, 54321, port, iss + 1, 0,
			    TH_RST, 0);
		} else {
			tcp(g, t + 90, target, scanner, port, 54321, 0, iss + 1,
			    TH_RST | TH_ACK, 0);
		}
	}
}

/* A UDP flood of one local host from many spoofed sources. */
static void
gen_flood(struct gen *g, unsigned packets, unsigned sources, uint64_t t0,
    uint64_t span_us, uint32_t target, uint16_t dport)
{
	uint8_t junk[512];
	unsigned i;

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)rnd(g);
	for (i = 0; i < packets; i++) {
		uint64_t t = t0 + (uint64_t)i * span_us / packets;
		uint32_t src = spoofed_addr(i % sources);

		udp(g, t, src, target, (uint16_t)(1024 + rnd_below(g, 64511)),
		    dport, junk, 32 + rnd_below(g, 480));
	}
}

/* Background TCP: local clients download from remote servers on 443. */
static void
gen_background(struct gen *g, unsigned flows, unsigned segs)
{
	unsigned f, k;

	for (f = 0; f < flows; f++) {
		uint32_t client = LOCAL_NET | (20u + f % 200) << 8 | (1u + f % 250);
		uint32_t server = 0x97650000u | ((rnd_below(g, 500) << 2) + 1);
		uint16_t cport = (uint16_t)(32768 + rnd_below(g, 28000));
		uint64_t t = T0_US + (uint64_t)f * (DURATION_US - 10000000) / flows;
		uint32_t cs = (uint32_t)rnd(g), ss = (uint32_t)rnd(g);
		uint64_t rtt = 5000 + rnd_below(g, 50000);

		tcp(g, t, client, server, cport, 443, cs, 0, TH_SYN, 0);
		tcp(g, t + rtt, server, client, 443, cport, ss, cs + 1,
		    TH_SYN | TH_ACK, 0);
		t += rtt + 50;
		tcp(g, t, client, server, cport, 443, cs + 1, ss + 1, TH_ACK, 0);
		tcp(g, t + 20, client, server, cport, 443, cs + 1, ss + 1,
		    TH_PSH | TH_ACK, 300);
		cs += 301;
		ss += 1;
		t += rtt;
		for (k = 0; k < segs; k++) {
			/* Mostly full segments, some short ones (headers, tails). */
			size_t len = k % 4 == 3 ? 100 + rnd_below(g, 500) : 1448;

			t += 100 + rnd_below(g, 400);
			tcp(g, t, server, client, 443, cport, ss, cs, TH_ACK, len);
			ss += (uint32_t)len;
			if (k & 1)
				tcp(g, t + 30, client, server, cport, 443, cs, ss,
				    TH_ACK, 0);
		}
		tcp(g, t + 200, client, server, cport, 443, cs, ss,
		    TH_FIN | TH_ACK, 0);
		tcp(g, t + 200 + rtt, server, client, 443, cport, ss, cs + 1,
		    TH_FIN | TH_ACK, 0);
		tcp(g, t + 250 + rtt, client, server, cport, 443, cs + 1, ss + 1,
		    TH_ACK, 0);
	}
}

static int
cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->ts_us != y->ts_us)
		return x->ts_us < y->ts_us ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void
write_pcap(struct gen *g, const char *path)
{
	uint8_t hdr[24] = { 0 }, ph[16];
	FILE *fp;
	size_t i;

	qsort(g->recs, g->nrecs, sizeof(*g->recs), cmp_rec);
	if ((fp = fopen(path, "wb")) == NULL)
		die(path);
	setvbuf(fp, NULL, _IOFBF, 1 << 20);
	le32(hdr, 0xa1b2c3d4u);
	hdr[4] = 2;
	hdr[6] = 4;
	le32(hdr + 16, 65535);
	le32(hdr + 20, 1); /* DLT_EN10MB */
	fwrite(hdr, 1, sizeof(hdr), fp);
	for (i = 0; i < g->nrecs; i++) {
		const struct rec *r = &g->recs[i];

		le32(ph, (uint32_t)(r->ts_us / 1000000));
		le32(ph + 4, (uint32_t)(r->ts_us % 1000000));
		le32(ph + 8, r->len);
		le32(ph + 12, r->len);
		fwrite(ph, 1, sizeof(ph), fp);
		fwrite(g->arena + r->off, 1, r->len, fp);
	}
	if (fclose(fp) != 0)
		die(path);
	fprintf(stderr, "genpcap: %s: %zu frames, %zu bytes of frames\n", path,
	    g->nrecs, g->used);
}

static void
usage(void)
{
	fprintf(stderr, "usage: genpcap mixed OUT.pcap\n"
			"       genpcap sources N OUT.pcap\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct gen g = { .rng = 0x6e7470736c657468ULL, .ipid = 1 };

	if (argc == 3 && strcmp(argv[1], "mixed") == 0) {
		gen_ntp_clients(&g, 2000, 50);		/* 200,000 frames */
		gen_nat(&g, 50000);			/* 100,000 */
		gen_monlist(&g, 1000);			/* 101,000 */
		gen_scan(&g, 20000);			/*  40,000 and a few */
		gen_flood(&g, 500000, 200000, T0_US + 45000000, 40000000,
		    LOCAL_NET | 0x0035, 27015);		/* 500,000 */
		gen_background(&g, 2000, 60);		/* 194,000 */
		write_pcap(&g, argv[2]);
	} else if (argc == 4 && strcmp(argv[1], "sources") == 0) {
		char *end;
		unsigned long n = strtoul(argv[2], &end, 10);

		if (*end != '\0' || n == 0 || n > (1ul << 24))
			usage();
		/*
		 * Each source sends one datagram, over a minute, amid the
		 * ordinary NTP clients: the host table fills with one-packet
		 * hosts, which is what --max-hosts has to hold in check.
		 */
		gen_ntp_clients(&g, 500, 50);
		gen_flood(&g, (unsigned)n, (unsigned)n, T0_US + 30000000,
		    60000000, LOCAL_NET | 0x0035, 27015);
		write_pcap(&g, argv[3]);
	} else {
		usage();
	}
	return 0;
}
