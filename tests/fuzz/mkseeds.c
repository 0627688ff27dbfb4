/*
 * The fuzz targets' seed corpus and their way back to captures.
 *
 *   mkseeds OUTDIR FILE...
 *	Read each capture (pcap or pcapng, through libpcap) and write seeds
 *	into OUTDIR/decode (each frame, prefixed with its DLT selector),
 *	OUTDIR/ntp (each UDP payload, with the fuzz_ntp flags byte) and
 *	OUTDIR/ana (the first frames of each file as one fuzz_ana input).
 *	Seeds are named by a hash of their bytes, so duplicates fall away.
 *	A file libpcap refuses, or one cut short, gives what it could read.
 *
 *   mkseeds --to-pcap TARGET INPUT OUT.pcap
 *	Turn a fuzz_decode, fuzz_ntp or fuzz_ana input (a crash) into a
 *	capture that ntpsleuth -r reads, for a golden test. fuzz_ntp's
 *	payload goes into Ethernet/IPv4/UDP to port 123; fuzz_ana's frames
 *	must share one link type (the second capture source becomes the
 *	same file).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pcap/pcap.h>

#include "capture/decode.h"
#include "tests/fuzz/fuzz.h"

#define ANA_SEED_MAX (16000u)	/* under fuzz_ana's -max_len (16384) */
#define ANA_SEED_FRAMES 400

static const char *outdir;
static unsigned n_decode, n_ntp, n_ana;

static uint64_t
fnv1a(const uint8_t *p, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void
write_seed(const char *kind, const uint8_t *pre, size_t npre, const uint8_t *p, size_t n,
    unsigned *count)
{
	char path[4096];
	FILE *f;
	uint64_t h = fnv1a(p, n, fnv1a(pre, npre, 0xcbf29ce484222325ULL));

	snprintf(path, sizeof(path), "%s/%s/%016llx", outdir, kind, (unsigned long long)h);
	f = fopen(path, "wbx");	/* exists: a duplicate */
	if (f == NULL) {
		if (errno == EEXIST)
			return;
		fprintf(stderr, "mkseeds: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	if (fwrite(pre, 1, npre, f) != npre || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "mkseeds: %s: write error\n", path);
		exit(1);
	}
	(*count)++;
}

/* The 14-bit delta and its unit that come closest to d seconds. */
static uint16_t
encode_dt(double d)
{
	double v;
	int unit;

	if (d < 0) {
		unit = FUZZ_DT_BACK_MS;
		v = -d * 1e3;
	} else if (d * 1e6 < 16384) {
		unit = FUZZ_DT_US;
		v = d * 1e6;
	} else if (d * 1e3 < 16384) {
		unit = FUZZ_DT_MS;
		v = d * 1e3;
	} else {
		unit = FUZZ_DT_S;
		v = d;
	}
	if (v > 16383)
		v = 16383;
	return (uint16_t)(unit << 14 | (unsigned)(v + 0.5));
}

static int
read_capture(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *ph;
	const u_char *data;
	uint8_t *ana;
	size_t ana_len = 1;
	unsigned ana_frames = 0;
	double last_ts = -1;
	pcap_t *pc;
	int dlt, sel, rc;

	pc = pcap_open_offline(path, err);
	if (pc == NULL) {
		fprintf(stderr, "mkseeds: %s: %s (skipped)\n", path, err);
		return 0;
	}
	dlt = pcap_datalink(pc);
	sel = fuzz_dlt_selector(dlt);
	if (sel < 0) {
		fprintf(stderr, "mkseeds: %s: link type %d is not decoded (skipped)\n", path, dlt);
		pcap_close(pc);
		return 0;
	}
	ana = malloc(ANA_SEED_MAX);
	if (ana == NULL)
		abort();
	ana[0] = FUZZ_ANA_INFER;	/* infer the local side, JSON report */
	while ((rc = pcap_next_ex(pc, &ph, &data)) == 1) {
		uint8_t s = (uint8_t)sel;
		struct pkt p;
		double ts = ph->ts.tv_sec + ph->ts.tv_usec / 1e6;

		write_seed("decode", &s, 1, data, ph->caplen, &n_decode);
		memset(&p, 0, sizeof(p));
		if (cap_decode(&p, dlt, data, ph->caplen) == PKT_OK && p.proto == 17 &&
		    p.has_ports && p.payload_caplen > 0) {
			uint8_t fl = p.sport == 123 || p.dport == 123;

			write_seed("ntp", &fl, 1, p.payload, p.payload_caplen, &n_ntp);
		}
		if (ana_frames < ANA_SEED_FRAMES && ana_len + 5 + ph->caplen <= ANA_SEED_MAX &&
		    ph->caplen <= 0xffff) {
			uint16_t dt = encode_dt(last_ts < 0 ? 0 : ts - last_ts);

			ana[ana_len++] = (uint8_t)(sel | (ph->len > ph->caplen ? FUZZ_SEL_SNAPPED : 0));
			ana[ana_len++] = (uint8_t)(dt >> 8);
			ana[ana_len++] = (uint8_t)dt;
			ana[ana_len++] = (uint8_t)(ph->caplen >> 8);
			ana[ana_len++] = (uint8_t)ph->caplen;
			memcpy(ana + ana_len, data, ph->caplen);
			ana_len += ph->caplen;
			ana_frames++;
			last_ts = ts;
		}
	}
	if (rc == PCAP_ERROR)
		fprintf(stderr, "mkseeds: %s: %s (kept what was read)\n", path, pcap_geterr(pc));
	if (ana_frames > 0) {
		write_seed("ana", NULL, 0, ana, ana_len, &n_ana);
		/* The same frames with --local (the first set) and a text report. */
		ana[0] = 1 << FUZZ_ANA_FMT_SHIFT;
		write_seed("ana", NULL, 0, ana, ana_len, &n_ana);
	}
	free(ana);
	pcap_close(pc);
	return 0;
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (f == NULL) {
		fprintf(stderr, "mkseeds: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (buf == NULL)
				abort();
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	*len = n;
	return buf;
}

static void
dump(pcap_dumper_t *d, double ts, const uint8_t *p, uint32_t caplen, uint32_t len)
{
	struct pcap_pkthdr h;

	h.ts.tv_sec = (time_t)ts;
	h.ts.tv_usec = (suseconds_t)((ts - (double)h.ts.tv_sec) * 1e6);
	h.caplen = caplen;
	h.len = len;
	pcap_dump((u_char *)d, &h, p);
}

static int
to_pcap(const char *target, const char *in, const char *out)
{
	size_t n;
	uint8_t *b = slurp(in, &n), *frame;
	pcap_dumper_t *d;
	pcap_t *pc;
	int dlt = -1;

	if (n < 1) {
		fprintf(stderr, "mkseeds: %s is empty\n", in);
		return 1;
	}
	if (strcmp(target, "fuzz_decode") == 0)
		dlt = fuzz_dlt(b[0]);
	else if (strcmp(target, "fuzz_ntp") == 0)
		dlt = 1;
	else if (strcmp(target, "fuzz_ana") == 0) {
		/* One link type for the file: that of every record. */
		for (size_t i = 1; i + 5 <= n;) {
			uint32_t len = (uint32_t)b[i + 3] << 8 | b[i + 4];
			int d1 = fuzz_dlt(b[i] & 0x0f);

			if (dlt >= 0 && d1 != dlt) {
				fprintf(stderr, "mkseeds: %s mixes link types %d and %d: no one pcap holds it\n",
				    in, dlt, d1);
				return 1;
			}
			dlt = d1;
			i += 5 + len;
		}
		if (dlt < 0)
			dlt = 1;
	} else {
		fprintf(stderr, "mkseeds: no capture form for %s inputs\n", target);
		return 1;
	}
	pc = pcap_open_dead(dlt, 262144);
	if (pc == NULL || (d = pcap_dump_open(pc, out)) == NULL) {
		fprintf(stderr, "mkseeds: %s: %s\n", out, pc ? pcap_geterr(pc) : "pcap_open_dead");
		return 1;
	}
	if (strcmp(target, "fuzz_decode") == 0) {
		dump(d, FUZZ_TS_BASE, b + 1, (uint32_t)(n - 1), (uint32_t)(n - 1));
	} else if (strcmp(target, "fuzz_ntp") == 0) {
		/* Ethernet, IPv4 192.0.2.1:40000 -> 198.51.100.7:123, UDP. */
		static const uint8_t hdr[42] = {
			0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00,
			0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 17, 0, 0,
			192, 0, 2, 1, 198, 51, 100, 7,
			0x9c, 0x40, 0, 123, 0, 0, 0, 0,
		};
		size_t skip = ((b[0] >> 1) & 3) == 1 || ((b[0] >> 1) & 3) == 2 ? 3 : 1;
		size_t pl = n > skip ? n - skip : 0, udp = pl + 8;

		if (udp + 20 > 0xffff) {
			fprintf(stderr, "mkseeds: payload too long for one datagram\n");
			return 1;
		}
		frame = malloc(sizeof(hdr) + pl);
		if (frame == NULL)
			abort();
		memcpy(frame, hdr, sizeof(hdr));
		frame[16] = (uint8_t)((udp + 20) >> 8);
		frame[17] = (uint8_t)(udp + 20);
		frame[38] = (uint8_t)(udp >> 8);
		frame[39] = (uint8_t)udp;
		memcpy(frame + sizeof(hdr), b + skip, pl);
		dump(d, FUZZ_TS_BASE, frame, (uint32_t)(sizeof(hdr) + pl),
		    (uint32_t)(sizeof(hdr) + pl));
		free(frame);
		if (b[0] & 6)
			fprintf(stderr, "mkseeds: note: the UDP length is the captured one, not the input's claim\n");
	} else {
		double ts = b[0] & FUZZ_ANA_EPOCH ? 0.5 : FUZZ_TS_BASE;

		for (size_t i = 1; i + 5 <= n;) {
			uint16_t dt = (uint16_t)(b[i + 1] << 8 | b[i + 2]), v = dt & 0x3fff;
			uint32_t len = (uint32_t)b[i + 3] << 8 | b[i + 4];
			uint8_t sel = b[i];

			i += 5;
			if (len > n - i)
				len = (uint32_t)(n - i);
			switch (dt >> 14) {
			case FUZZ_DT_MS: ts += v / 1e3; break;
			case FUZZ_DT_S: ts += v; break;
			case FUZZ_DT_US: ts += v / 1e6; break;
			default: ts -= v / 1e3; break;
			}
			if (ts < 0)
				ts = 0;
			dump(d, ts, b + i, len, sel & FUZZ_SEL_SNAPPED ? len + 1000 : len);
			i += len;
		}
		fprintf(stderr, "mkseeds: note: run it with the fuzz input's flags 0x%02x (fuzz.h): "
		    "--local, tiny tables and the report format are not in the file\n", b[0]);
	}
	pcap_dump_close(d);
	pcap_close(pc);
	free(b);
	return 0;
}

int
main(int argc, char **argv)
{
	static const char *const kinds[] = { "decode", "ntp", "ana" };
	char path[4096];

	if (argc == 5 && strcmp(argv[1], "--to-pcap") == 0)
		return to_pcap(argv[2], argv[3], argv[4]);
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: mkseeds OUTDIR CAPTURE...\n"
		    "       mkseeds --to-pcap fuzz_decode|fuzz_ntp|fuzz_ana INPUT OUT.pcap\n");
		return 2;
	}
	outdir = argv[1];
	mkdir(outdir, 0777);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", outdir, kinds[i]);
		if (mkdir(path, 0777) != 0 && errno != EEXIST) {
			fprintf(stderr, "mkseeds: %s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	for (int i = 2; i < argc; i++)
		read_capture(argv[i]);
	printf("mkseeds: %u decode, %u ntp, %u ana seeds from %d captures\n",
	    n_decode, n_ntp, n_ana, argc - 2);
	return 0;
}
