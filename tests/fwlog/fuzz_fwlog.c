/*
 * libFuzzer target: fwlog_parse_line() on one line of any bytes, with the
 * first input byte choosing the stamps' context (year 0 or fixed, UTC,
 * a fixed offset or the process's TZ), so every stamp path is reached.
 * Built and run by tests/fwlog/fuzz.sh, not by make.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/fwlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz_fwlog: %s:%d: broken: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fwlog_ctx ctx;
	struct pkt p;
	char *line;

	if (size == 0)
		return 0;
	fwlog_ctx_init(&ctx);
	ctx.now = 1795496462;	/* fixed: the same input gives the same result */
	ctx.year = data[0] & 1 ? 2026 : 0;
	switch ((data[0] >> 1) & 3) {
	case 0:
		ctx.utc_offset_s = 0;
		break;
	case 1:
		ctx.utc_offset_s = -12 * 3600;
		break;
	default:
		break;	/* FWLOG_TZ_LOCAL */
	}
	/* An exact-size copy: ASan sees any read past the line. */
	line = malloc(size - 1 ? size - 1 : 1);
	memcpy(line, data + 1, size - 1);
	if (fwlog_parse_line(&ctx, line, size - 1, &p)) {
		CHECK(p.ipver == 4 || p.ipver == 6);
		CHECK(p.src.af == p.ipver && p.dst.af == p.ipver);
		CHECK(p.err == PKT_OK && p.payload == NULL);
		CHECK(!p.later_fragment || p.fragment);
		CHECK(!p.quoted.valid || p.icmp_error);
		CHECK(!p.has_ports || p.proto == 6 || p.proto == 17 || p.proto == 136);
	}
	free(line);
	return 0;
}
