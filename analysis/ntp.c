#include "config.h"

#include <stdio.h>
#include <string.h>

#include "analysis/ntp.h"
#include "common/netfmt.h"
#include "common/ntpwire.h"

/* The message forms are drawn in common/ntpwire.h. */

bool
ntp_dissect(const uint8_t *payload, uint32_t caplen, uint32_t len, bool on_123, int af,
    struct ntp_msg *m)
{
	struct cur c;
	uint8_t b0;

	memset(m, 0, sizeof(*m));
	cur_init(&c, payload, caplen);
	b0 = ntp_b0(&c);
	if (c.trunc)
		return false;
	m->version = ntp_version(&c);
	m->mode = ntp_mode(&c);
	if (m->version < 1 || m->version > 4 || m->mode == 0)
		return false;
	switch (m->mode) {
	case 6: {
		uint8_t fl = ntp_ctl_flags(&c);

		m->opcode = ntp_ctl_opcode(&c);
		m->count = ntp_ctl_count(&c);
		if (c.trunc || len < NTP_CTL_HDR_LEN)
			return false;
		m->response = (fl & NTP_CTL_RESPONSE) != 0;
		m->error = (fl & NTP_CTL_ERROR) != 0;
		m->more = (fl & NTP_CTL_MORE) != 0;
		m->request = !m->response;
		/* Data is padded to 4 bytes and may carry a MAC: at least count, not wildly more. */
		if (NTP_CTL_HDR_LEN + (uint32_t)m->count > len || m->count > 468)
			return false;
		if (!on_123 && (m->opcode == 0 || m->opcode > 31 ||
		    len > NTP_CTL_HDR_LEN + (uint32_t)m->count + 3 + 24))
			return false;
		return true;
	}
	case 7: {
		uint16_t mbz;

		m->response = (b0 & NTP_PRIV_RESPONSE) != 0;
		m->more = (b0 & NTP_PRIV_MORE) != 0;
		m->request = !m->response;
		m->impl = ntp_priv_impl(&c);
		m->reqcode = ntp_priv_reqcode(&c);
		m->error = ntp_priv_err(&c) != 0;
		m->nitems = ntp_priv_nitems(&c);
		m->itemsize = ntp_priv_itemsize(&c);
		mbz = ntp_priv_mbz(&c);
		if (c.trunc || len < NTP_PRIV_HDR_LEN)
			return false;
		/* Implementations: 0 universal, 2 xntpd old, 3 xntpd. */
		if (m->impl != 0 && m->impl != 2 && m->impl != 3)
			return false;
		if (m->response && (uint32_t)m->nitems * m->itemsize > len - NTP_PRIV_HDR_LEN)
			return false;
		if (!on_123 && (m->version < 2 || mbz != 0))
			return false;
		return true;
	}
	default: {
		const uint8_t *r;

		m->stratum = ntp_stratum(&c);
		m->poll = ntp_poll(&c);
		r = ntp_refid(&c);
		if (c.trunc || len < NTP_HDR_LEN)
			return false;
		/*
		 * Off port 123, accept only the lengths NTP produces: the bare
		 * header, a key id and MAC (+20 or +24), or extension fields
		 * (multiples of 4).
		 */
		if (!on_123 && (m->stratum > 16 || (len - NTP_HDR_LEN) % 4 != 0 || len > 1024))
			return false;
		m->request = m->mode == 3 || m->mode == 1;
		m->response = m->mode == 4 || m->mode == 2;
		m->kiss = m->stratum == 0 && m->mode != 3;
		/* Over IPv6 the id of a server above stratum 1 is a hash (common/netfmt.c). */
		ns_refid_fmt(m->refid, r, m->stratum, m->version, af);
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
