/*
 * libFuzzer target: a whole firewall log read by fwlog_read()
 * (capture/fwlog.c): line splitting, gzip detection, overlong lines, and
 * the state carried from line to line (the year of year-less stamps, the
 * previous line's time for untimed ones). tests/fwlog/fuzz_fwlog.c, by
 * the parser's owner, takes one line at a time; this one takes files.
 *
 * Input: one byte for the stamps' context (bit 0: year 2026, else year
 * 0; bits 1-2: UTC, UTC-12 or the process's TZ), then the file, gzip or
 * not. It reaches fwlog_read() through a memfd, as a file would.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "capture/fwlog.h"
#include "tests/fuzz/printable.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz_fwlog_file: %s:%d: broken: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

static void
on_packet(void *arg, struct pkt *p)
{
	(*(uint64_t *)arg)++;
	CHECK(p->ipver == 4 || p->ipver == 6);
	CHECK(p->src.af == p->ipver && p->dst.af == p->ipver);
	CHECK(p->err == PKT_OK && p->payload == NULL);
	CHECK(p->ts == p->ts);	/* not NaN */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fwlog_ctx ctx;
	struct fwlog_stats st;
	char path[64], err[512];
	uint64_t n = 0;
	int fd, rc;

	if (size == 0)
		return 0;
	fd = memfd_create("fuzz_fwlog_file", 0);
	if (fd < 0) {
		perror("memfd_create");
		abort();
	}
	if (size > 1 && write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	fwlog_ctx_init(&ctx);
	ctx.now = 1795496462;	/* fixed: the same input gives the same result */
	ctx.year = data[0] & 1 ? 2026 : 0;
	switch ((data[0] >> 1) & 3) {
	case 0: ctx.utc_offset_s = 0; break;
	case 1: ctx.utc_offset_s = -12 * 3600; break;
	default: break;	/* FWLOG_TZ_LOCAL */
	}
	err[0] = '\0';
	rc = fwlog_read(path, &ctx, on_packet, &n, &st, err, sizeof(err));
	close(fd);
	CHECK(rc == 0 || rc == -1);
	CHECK(rc == 0 || err[0] != '\0');
	{
		uint64_t notraffic = 0;

		for (int i = 0; i < FWLOG_MAX_FORMATS; i++)
			notraffic += st.format_notraffic[i];
		/* a record stands for one packet or more (summaries, connections) */
		CHECK(st.packets_made == n && n >= st.parsed);
		CHECK(st.parsed + st.skipped + st.blank + notraffic == st.lines);
	}
	CHECK(st.ipv4 + st.ipv6 == st.parsed);
	CHECK(memchr(st.first_skipped_text, '\0', sizeof(st.first_skipped_text)) != NULL);
	CHECK(fuzz_unprintable(st.first_skipped_text, strlen(st.first_skipped_text), false) < 0);
	return 0;
}
