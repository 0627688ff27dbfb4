/*
 * libFuzzer target: the NTP dissector alone (analysis/ntp.c).
 *
 * Input: one flags byte, then the UDP payload. Flags bit 0: the datagram
 * is on port 123 (the relaxed checks). Bits 1-2 say what the UDP header
 * claims the length is, which may differ from what was captured:
 * 0 the captured length; 1 the captured length plus the next two bytes
 * (BE), the payload having been cut by the snap length; 2 the next two
 * bytes alone (a header that lies in either direction); 3 0xffffffff.
 * Bit 3: it came over IPv6 (the reference id's other form).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/ntp.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz_ntp: %s:%d: broken: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

static bool
printable(const char *s, size_t max)
{
	for (size_t i = 0; i < max && s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ntp_msg m;
	uint32_t caplen, len, arg = 0;
	uint8_t flags;
	bool on123;

	if (size < 1)
		return 0;
	flags = data[0];
	data++, size--;
	on123 = (flags & 1) != 0;
	if (((flags >> 1) & 3) == 1 || ((flags >> 1) & 3) == 2) {
		if (size < 2)
			return 0;
		arg = (uint32_t)data[0] << 8 | data[1];
		data += 2, size -= 2;
	}
	caplen = (uint32_t)size;
	switch ((flags >> 1) & 3) {
	case 0:
		len = caplen;
		break;
	case 1:
		len = caplen + arg;
		break;
	case 2:
		len = arg;
		break;
	default:
		len = 0xffffffffu;
		break;
	}
	if (!ntp_dissect(data, caplen, len, on123, (flags & 8) != 0 ? 6 : 4, &m))
		return 0;
	CHECK(m.version >= 1 && m.version <= 4);
	CHECK(m.mode >= 1 && m.mode <= 7);
	CHECK(!(m.request && m.response));
	/* refid reaches the terminal and the reports. */
	CHECK(memchr(m.refid, '\0', sizeof(m.refid)) != NULL);
	CHECK(printable(m.refid, sizeof(m.refid)));
	CHECK(ntp_mode_name(m.mode) != NULL);
	/* Unknown opcodes and request codes are NULL: callers check. */
	(void)ntp_mode6_name(m.opcode);
	(void)ntp_mode7_name(m.reqcode);
	return 0;
}
