/*
 * NTP dissector: modes 1-5 (RFC 5905), mode 6 control messages
 * (RFC 9327) and mode 7 private messages (ntpd's ntp_request.h).
 */
#ifndef NS_NTP_H
#define NS_NTP_H

#include <stdbool.h>
#include <stdint.h>

#include "common/netfmt.h"

#define NTP_REQ_PEER_LIST 0
#define NTP_REQ_PEER_LIST_SUM 1
#define NTP_REQ_GET_RESTRICT 16
#define NTP_REQ_MON_GETLIST 20
#define NTP_REQ_MON_GETLIST_1 42
#define NTP_CTL_OP_READ_MRU 10

struct ntp_msg {
	uint8_t version, mode;
	bool request, response;	/* by mode (3, 1) / (4, 2) or the R bit of 6 and 7 */
	/* Modes 1-5. */
	uint8_t stratum;
	int8_t poll;
	char refid[NS_REFIDSTRLEN];	/* printable: "GPS", "192.0.2.1", "0x1a2b3c4d" */
	bool kiss;		/* stratum 0: refid is a kiss code */
	/* Mode 6. */
	uint8_t opcode;
	bool more, error;
	uint16_t count;
	/* Mode 7. */
	uint8_t impl, reqcode;
	uint16_t nitems, itemsize;
};

/*
 * Dissect a UDP payload. on_port_123 relaxes the checks: off port 123 only
 * payloads whose length and fields are self-consistent are taken as NTP.
 * af: the address family it came over (4 or 6; 0 not known), which
 * decides how a reference id above stratum 1 reads (ns_refid_fmt).
 * Returns true when the payload is NTP.
 */
bool ntp_dissect(const uint8_t *payload, uint32_t caplen, uint32_t len,
    bool on_port_123, int af, struct ntp_msg *);
const char *ntp_mode_name(int mode);
const char *ntp_mode7_name(int reqcode);
const char *ntp_mode6_name(int opcode);

#endif
