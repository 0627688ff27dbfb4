/*
 * libFuzzer target for one firewall log format (capture/fwlog_*.c):
 * built once per format by tests/fuzz/run.sh with -DFUZZ_FORMAT='"name"'
 * as fuzz_fw_NAME, so that each parser family has its own target, its own
 * corpus and its own coverage.
 *
 * Input: one byte for the stamps' context (bit 0: year 2026, else year 0;
 * bits 1-2: UTC, UTC-5, UTC+5:30 or the process's TZ), then lines, read in
 * order through one context with the format forced (state carried from
 * line to line, such as a Windows Firewall "#Fields:" header, is
 * reached). Every record is checked for what the analysis relies on and
 * expanded into its packets.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/fwlog.h"

#ifndef FUZZ_FORMAT
#error "build with -DFUZZ_FORMAT='\"name\"'"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz_fw %s: %s:%d: broken: %s\n", FUZZ_FORMAT, __FILE__, \
		    __LINE__, #cond); \
		abort(); \
	} \
} while (0)

static uint64_t n_packets;

static void
on_packet(void *arg, struct pkt *p)
{
	(void)arg;
	n_packets++;
	CHECK(p->ipver == 4 || p->ipver == 6);
	CHECK(p->src.af == p->ipver && p->dst.af == p->ipver);
	CHECK(p->err == PKT_OK && p->payload == NULL);
	CHECK(!isnan(p->ts));
	CHECK(p->rule_len == 0 || p->rule != NULL);
}

static void
check_text(const char *s, size_t cap)
{
	CHECK(memchr(s, '\0', cap) != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fmt = -2;
	struct fwlog_ctx ctx;
	const char *p, *end;

	if (fmt == -2 && (fmt = fwlog_format_find(FUZZ_FORMAT)) < 0) {
		fprintf(stderr, "fuzz_fw: no format %s\n", FUZZ_FORMAT);
		abort();
	}
	if (size == 0)
		return 0;
	fwlog_ctx_init(&ctx);
	ctx.now = 1795496462;	/* fixed: the same input gives the same result */
	ctx.format = fmt;
	ctx.year = data[0] & 1 ? 2026 : 0;
	switch ((data[0] >> 1) & 3) {
	case 0: ctx.utc_offset_s = 0; break;
	case 1: ctx.utc_offset_s = -5 * 3600; break;
	case 2: ctx.utc_offset_s = 5 * 3600 + 1800; break;
	default: ctx.utc_offset_s = FWLOG_TZ_LOCAL; break;
	}
	p = (const char *)data + 1;
	end = (const char *)data + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		struct fwlog_rec r;
		enum fwlog_result res;
		uint64_t capped, made;

		/* the line is handed over without a NUL after it, as the reader does */
		res = fwlog_parse(&ctx, p, len, &r);
		CHECK((unsigned)res < FWR__COUNT);
		if (res == FWR_OK) {
			CHECK(r.format == fmt);
			CHECK(r.count >= 1);
			check_text(r.in_if, sizeof(r.in_if));
			check_text(r.out_if, sizeof(r.out_if));
			check_text(r.rule, sizeof(r.rule));
			check_text(r.prefix, sizeof(r.prefix));
			CHECK(r.action <= FWA_OTHER && r.event <= FWE_CONN_END);
			n_packets = 0;
			made = fwlog_expand(&r, on_packet, NULL, &capped);
			CHECK(made == n_packets && made >= 1 && made <= 2 * FWLOG_MAX_EXPAND);
		} else if (res != FWR_NO) {
			CHECK(r.format == fmt);
		}
		p += len + 1;
	}
	return 0;
}
