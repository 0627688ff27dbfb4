/*
 * bareloop: the practical limit for reading a capture file. A libpcap read
 * loop that only counts packets and bytes, the floor that bench/run.sh
 * measures ntpsleuth -r against.
 *
 *   bareloop FILE
 */
#include <stdint.h>
#include <stdio.h>

#include <pcap/pcap.h>

struct counts {
	uint64_t packets, bytes;
};

static void
count(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct counts *c = (struct counts *)user;

	(void)bytes;
	c->packets++;
	c->bytes += h->caplen;
}

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct counts c = { 0, 0 };
	pcap_t *p;

	if (argc != 2) {
		fprintf(stderr, "usage: bareloop FILE\n");
		return 2;
	}
	/* Nanosecond precision, as ntpsleuth opens files. */
	p = pcap_open_offline_with_tstamp_precision(argv[1],
	    PCAP_TSTAMP_PRECISION_NANO, err);
	if (p == NULL) {
		fprintf(stderr, "bareloop: %s\n", err);
		return 1;
	}
	if (pcap_loop(p, -1, count, (u_char *)&c) == PCAP_ERROR) {
		fprintf(stderr, "bareloop: %s: %s\n", argv[1], pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	pcap_close(p);
	printf("%llu packets, %llu bytes\n", (unsigned long long)c.packets,
	    (unsigned long long)c.bytes);
	return 0;
}
