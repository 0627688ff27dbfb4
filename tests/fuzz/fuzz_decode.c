/*
 * libFuzzer target: the link-layer, IP and transport decoder
 * (capture/decode.c) and, on the UDP payload it finds, the NTP dissector.
 *
 * Input: one selector byte (fuzz.h: the DLT), then the frame as captured.
 * Besides what ASan and UBSan catch, it checks what callers rely on: the
 * payload lies inside the frame, an error names itself, a decoded packet
 * has two addresses of its IP version.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/ntp.h"
#include "capture/decode.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz_decode: %s:%d: broken: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *frame;
	struct ntp_msg m;
	struct pkt p;
	uint32_t caplen, sum = 0;
	enum pkt_err e;
	int dlt;

	if (size < 1 || size > 0x40000)
		return 0;
	dlt = fuzz_dlt(data[0]);
	frame = data + 1;
	caplen = (uint32_t)(size - 1);
	memset(&p, 0, sizeof(p));
	p.caplen = p.wirelen = caplen;
	e = cap_decode(&p, dlt, frame, caplen);
	CHECK(e == p.err);
	CHECK(cap_dlt_name(dlt) != NULL);
	if (e >= PKT_ERR_LINK)
		CHECK(p.err_what != NULL && p.err_what[0] != '\0');
	if (e == PKT_OK || e == PKT_ERR_L4) {
		CHECK(p.ipver == 4 || p.ipver == 6);
		CHECK(p.src.af == p.ipver && p.dst.af == p.ipver);
	}
	if (e != PKT_OK)
		return 0;
	if (p.quoted.valid)
		CHECK(p.quoted.src.af == 4 || p.quoted.src.af == 6);
	if (p.payload != NULL) {
		CHECK(p.payload >= frame && p.payload <= frame + caplen);
		CHECK(p.payload_caplen <= (uint32_t)(frame + caplen - p.payload));
		/* Touch every byte said to be there: ASan checks the claim. */
		for (uint32_t i = 0; i < p.payload_caplen; i++)
			sum += p.payload[i];
	} else {
		CHECK(p.payload_caplen == 0);
	}
	if (p.proto == 17 && p.has_ports && p.payload_caplen > 0 &&
	    ntp_dissect(p.payload, p.payload_caplen, p.payload_len,
	    p.sport == 123 || p.dport == 123, p.src.af, &m)) {
		CHECK(m.version >= 1 && m.version <= 4);
		CHECK(memchr(m.refid, '\0', sizeof(m.refid)) != NULL);
		CHECK(ntp_mode_name(m.mode) != NULL);
		/* Unknown opcodes and request codes are NULL: callers check. */
		(void)ntp_mode6_name(m.opcode);
		(void)ntp_mode7_name(m.reqcode);
	}
	return sum == 0xffffffffu;	/* keep the loop; libFuzzer ignores the value */
}
