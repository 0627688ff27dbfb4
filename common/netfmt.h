/*
 * Text forms of protocol fields that more than one module shows: the IP
 * protocol's name and NTP's reference id. One place, so that the console,
 * the reports and the NTP probe cannot disagree.
 */
#ifndef NS_NETFMT_H
#define NS_NETFMT_H

#include <stddef.h>
#include <stdint.h>

/* "tcp", "udp", "icmp", "icmp6", else "ip". */
const char *ns_proto_name(uint8_t proto);

/* "255.255.255.255" and its NUL; "0x1a2b3c4d" and "GPS" are shorter. */
#define NS_REFIDSTRLEN 16

/*
 * The 4-byte reference id r of an NTP packet of this stratum and version,
 * as text in buf (NS_REFIDSTRLEN bytes or more); af is the address family
 * the packet came over, 4 or 6, or 0 when the caller does not know it.
 */
void ns_refid_fmt(char *buf, const uint8_t r[4], int stratum, int version, int af);

#endif
