/*
 * What the fuzz targets and the seed builder (mkseeds.c) agree on: the
 * link types a selector byte chooses and the record layout of the
 * analysis target's input. doc/fuzzing.md describes the formats.
 */
#ifndef NS_FUZZ_H
#define NS_FUZZ_H

#include <stdint.h>

/*
 * The DLTs cap_decode() knows (capture/decode.c), in selector order, and
 * one it does not, so that the refusal is exercised too. Selectors are
 * taken modulo the count: every byte value picks something.
 */
static const int fuzz_dlts[] = {
	1,	/* EN10MB */
	113,	/* LINUX_SLL */
	276,	/* LINUX_SLL2 */
	12,	/* RAW (LINKTYPE_RAW 101 is read as this) */
	228,	/* IPV4 */
	229,	/* IPV6 */
	0,	/* NULL */
	108,	/* LOOP */
	147,	/* USER0: unsupported */
	239,	/* NFLOG (after USER0: the older selectors keep their DLT) */
};
#define FUZZ_NDLTS (sizeof(fuzz_dlts) / sizeof(fuzz_dlts[0]))

static inline int
fuzz_dlt(uint8_t sel)
{
	return fuzz_dlts[sel % FUZZ_NDLTS];
}

/* The selector of a DLT, or -1 when no target takes it. */
static inline int
fuzz_dlt_selector(int dlt)
{
	for (unsigned i = 0; i < FUZZ_NDLTS; i++)
		if (fuzz_dlts[i] == dlt)
			return (int)i;
	return -1;
}

/*
 * fuzz_ana input: one flags byte, then records
 *
 *   0      1      2      3      4      5 ...
 *   +------+------+------+------+------+---------------+
 *   | sel  |  dt (BE)    |  len (BE)   | len bytes     |
 *   +------+------+------+------+------+---------------+
 *
 * sel: low nibble the DLT selector, bit 4 capture source 1 (the second
 * interface), bit 5 the frame was cut by the snap length (wirelen =
 * caplen + 1000). dt: the two high bits the unit of the 14-bit value
 * (0 ms, 1 s, 2 us, 3 ms backwards in time). A last record shorter than
 * its len takes what is left.
 */
#define FUZZ_ANA_INFER 0x01		/* infer the local side, else --local */
#define FUZZ_ANA_BIGCAPS 0x02		/* the default table caps, else tiny ones */
#define FUZZ_ANA_FMT_SHIFT 2		/* 2 bits: 0/3 JSON, 1 text, 2 Markdown */
#define FUZZ_ANA_FEWINFER 0x10		/* decide the local side after 8 packets */
#define FUZZ_ANA_EPOCH 0x20		/* timestamps start at the epoch */
#define FUZZ_ANA_LOCAL_SHIFT 6		/* 2 bits: which --local networks */

#define FUZZ_SEL_SOURCE1 0x10
#define FUZZ_SEL_SNAPPED 0x20

#define FUZZ_DT_MS 0
#define FUZZ_DT_S 1
#define FUZZ_DT_US 2
#define FUZZ_DT_BACK_MS 3

#define FUZZ_TS_BASE 1700000000.0

#endif
