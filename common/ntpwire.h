/*
 * NTP on the wire: the fields of the three message forms by name, read
 * through the bounded cursor (common/cursor.h) as tcpdump's nd_uint*_t
 * structs read them, so a reader says what it reads, not where. Each
 * returns 0 and sets c->trunc when the field lies past the end.
 *
 * Packet header, RFC 5905 section 7.3:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |LI | VN  |Mode |    Stratum     |     Poll      |  Precision   |
 * |                         Root Delay                            |
 * |                         Root Dispersion                       |
 * |                          Reference ID                         |
 * |                     Reference Timestamp (64)                  |
 * |                      Origin Timestamp (64)                    |
 * |                      Receive Timestamp (64)                   |
 * |                      Transmit Timestamp (64)                  |
 *
 * Mode 6 control message, RFC 9327 section 2:
 * |LI | VN  |Mode |R|E|M| OpCode  |       Sequence Number         |
 * |            Status             |       Association ID          |
 * |            Offset             |            Count              |
 *
 * Mode 7 private message, ntpd include/ntp_request.h:
 * |R|M| VN  |Mode |A|  Sequence   | Implementation|  Request code |
 * |  Err  |  Number of items      |  MBZ  |   Size of data item   |
 */
#ifndef NS_NTPWIRE_H
#define NS_NTPWIRE_H

#include <stdint.h>

#include "common/cursor.h"

#define NTP_HDR_LEN 48
#define NTP_CTL_HDR_LEN 12		/* mode 6 */
#define NTP_PRIV_HDR_LEN 8		/* mode 7 */

/* Every form: the first byte. */
static inline uint8_t ntp_b0(struct cur *c) { return get_u8(c, 0); }
static inline uint8_t ntp_version(struct cur *c) { return (get_u8(c, 0) >> 3) & 7; }
static inline uint8_t ntp_mode(struct cur *c) { return get_u8(c, 0) & 7; }

/* Modes 1-5: the packet header. */
static inline uint8_t ntp_stratum(struct cur *c) { return get_u8(c, 1); }
static inline int8_t ntp_poll(struct cur *c) { return (int8_t)get_u8(c, 2); }
static inline const uint8_t *ntp_refid(struct cur *c) { return get_bytes(c, 12, 4); }
static inline uint64_t ntp_origin_ts(struct cur *c) { return get_be64(c, 24); }
static inline uint64_t ntp_receive_ts(struct cur *c) { return get_be64(c, 32); }
static inline uint64_t ntp_transmit_ts(struct cur *c) { return get_be64(c, 40); }

/* Mode 6. */
#define NTP_CTL_RESPONSE 0x80
#define NTP_CTL_ERROR 0x40
#define NTP_CTL_MORE 0x20
static inline uint8_t ntp_ctl_flags(struct cur *c) { return get_u8(c, 1) & 0xe0; }
static inline uint8_t ntp_ctl_opcode(struct cur *c) { return get_u8(c, 1) & 0x1f; }
static inline uint16_t ntp_ctl_seq(struct cur *c) { return get_be16(c, 2); }
static inline uint16_t ntp_ctl_offset(struct cur *c) { return get_be16(c, 8); }
static inline uint16_t ntp_ctl_count(struct cur *c) { return get_be16(c, 10); }

/* Mode 7: the R and M bits are in the first byte. */
#define NTP_PRIV_RESPONSE 0x80
#define NTP_PRIV_MORE 0x40
static inline uint8_t ntp_priv_impl(struct cur *c) { return get_u8(c, 2); }
static inline uint8_t ntp_priv_reqcode(struct cur *c) { return get_u8(c, 3); }
static inline uint8_t ntp_priv_err(struct cur *c) { return get_u8(c, 4) >> 4; }
static inline uint16_t ntp_priv_nitems(struct cur *c) { return get_be16(c, 4) & 0x0fff; }
static inline uint16_t ntp_priv_mbz(struct cur *c) { return get_be16(c, 6) >> 12; }
static inline uint16_t ntp_priv_itemsize(struct cur *c) { return get_be16(c, 6) & 0x0fff; }

#endif
