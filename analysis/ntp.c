#include "config.h"

#include <stdio.h>
#include <string.h>

#include "analysis/ntp.h"
#include "common/cursor.h"
#include "common/netfmt.h"

/*
 * NTP packet header, RFC 5905 section 7.3:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |LI | VN  |Mode |    Stratum     |     Poll      |  Precision   |
 * |                         Root Delay                            |
 * |                         Root Dispersion                       |
 * |                          Reference ID                         |
 * |                     Reference Timestamp (64)                  |
 * |                      Origin Timestamp (64)                    |
 * |                      Receive Timestamp (64)                   |
 * |                      Transmit Timestamp (64)                  |
 * |       extension fields, key identifier and MAC (optional)     |
 *
 * Mode 6 control message, RFC 9327 section 2:
 * |LI | VN  |Mode |R|E|M| OpCode  |       Sequence Number         |
 * |            Status             |       Association ID          |
 * |            Offset             |            Count              |
 * |                     Data (up to 468 octets)                   |
 *
 * Mode 7 private message, ntpd include/ntp_request.h:
 * |R|M| VN  |Mode |A|  Sequence   | Implementation|  Request code |
 * |  Err  |  Number of items      |  MBZ  |   Size of data item   |
 * |                     Data (items)                              |
 */

bool
ntp_dissect(const uint8_t *payload, uint32_t caplen, uint32_t len, bool on_123,
    struct ntp_msg *m)
{
	struct cur c;
	uint8_t b0;

	memset(m, 0, sizeof(*m));
	cur_init(&c, payload, caplen);
	b0 = get_u8(&c, 0);
	if (c.trunc)
		return false;
	m->version = (b0 >> 3) & 7;
	m->mode = b0 & 7;
	if (m->version < 1 || m->version > 4 || m->mode == 0)
		return false;
	switch (m->mode) {
	case 6: {
		uint8_t b1 = get_u8(&c, 1);

		m->count = get_be16(&c, 10);
		if (c.trunc || len < 12)
			return false;
		m->response = (b1 & 0x80) != 0;
		m->error = (b1 & 0x40) != 0;
		m->more = (b1 & 0x20) != 0;
		m->opcode = b1 & 0x1f;
		m->request = !m->response;
		/* Data is padded to 4 bytes and may carry a MAC: at least count, not wildly more. */
		if (12u + m->count > len || m->count > 468)
			return false;
		if (!on_123 && (m->opcode == 0 || m->opcode > 31 || len > 12u + m->count + 3 + 24))
			return false;
		return true;
	}
	case 7: {
		uint16_t w2, w3;

		m->response = (b0 & 0x80) != 0;
		m->more = (b0 & 0x40) != 0;
		m->request = !m->response;
		m->impl = get_u8(&c, 2);
		m->reqcode = get_u8(&c, 3);
		w2 = get_be16(&c, 4);
		w3 = get_be16(&c, 6);
		if (c.trunc || len < 8)
			return false;
		m->error = (w2 >> 12) != 0;
		m->nitems = w2 & 0x0fff;
		m->itemsize = w3 & 0x0fff;
		/* Implementations: 0 universal, 2 xntpd old, 3 xntpd. */
		if (m->impl != 0 && m->impl != 2 && m->impl != 3)
			return false;
		if (m->response && (uint32_t)m->nitems * m->itemsize > len - 8)
			return false;
		if (!on_123 && (m->version < 2 || (w3 & 0xf000) != 0))
			return false;
		return true;
	}
	default: {
		const uint8_t *r;

		m->stratum = get_u8(&c, 1);
		m->poll = (int8_t)get_u8(&c, 2);
		r = get_bytes(&c, 12, 4);
		if (c.trunc || len < 48)
			return false;
		/*
		 * Off port 123, accept only the lengths NTP produces: the bare
		 * header, a key id and MAC (+20 or +24), or extension fields
		 * (multiples of 4).
		 */
		if (!on_123 && (m->stratum > 16 || (len - 48) % 4 != 0 || len > 1024))
			return false;
		m->request = m->mode == 3 || m->mode == 1;
		m->response = m->mode == 4 || m->mode == 2;
		m->kiss = m->stratum == 0 && m->mode != 3;
		/* The family is not passed in: the id is judged by its bytes. */
		ns_refid_fmt(m->refid, r, m->stratum, m->version, 0);
		return true;
	}
	}
}

const char *
ntp_mode_name(int mode)
{
	static const char *const names[8] = { "reserved", "symmetric active",
		"symmetric passive", "client", "server", "broadcast", "control",
		"private" };

	return mode >= 0 && mode < 8 ? names[mode] : "?";
}

const char *
ntp_mode7_name(int code)
{
	switch (code) {
	case 0: return "PEER_LIST";
	case 1: return "PEER_LIST_SUM";
	case 2: return "PEER_INFO";
	case 4: return "SYS_INFO";
	case 8: return "LOOP_INFO";
	case 16: return "GET_RESTRICT";
	case 20: return "MON_GETLIST";
	case 28: return "AUTHINFO";
	case 38: return "GET_KERNEL";
	case 42: return "MON_GETLIST_1";
	default: return NULL;
	}
}

const char *
ntp_mode6_name(int op)
{
	switch (op) {
	case 1: return "READSTAT";
	case 2: return "READVAR";
	case 3: return "WRITEVAR";
	case 4: return "READCLOCK";
	case 5: return "WRITECLOCK";
	case 6: return "SETTRAP";
	case 7: return "ASYNCMSG";
	case 8: return "CONFIGURE";
	case 9: return "SAVECONFIG";
	case 10: return "READ_MRU";
	case 11: return "READ_ORDLIST_A";
	case 12: return "REQ_NONCE";
	case 31: return "UNSETTRAP";
	default: return NULL;
	}
}
