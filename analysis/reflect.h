/*
 * Reflection vectors: UDP services whose answers are sent, in reflection
 * attacks, to an address that never asked (the spoofed source of the
 * requests). The table is data, one row per port, each with the public
 * source that names it as a vector; the payload recognisers tell a
 * service's answer from a request where its protocol says which.
 */
#ifndef NS_REFLECT_H
#define NS_REFLECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct refl_vector {
	uint16_t port;		/* UDP source port of the answers */
	const char *name;
	const char *source;	/* the advisory or scan report that names it */
	/*
	 * The port alone does not make an answer: only a payload that its
	 * recogniser calls a reply does (DTLS shares 443 with QUIC).
	 */
	bool payload_only;
};

/*
 * Whether a datagram to a local port is a query of its own: a vector's
 * port whose service answers each datagram (DNS, NTP, SNMP, ...), not
 * one that also carries sessions on the same port (QUIC on 443, OpenVPN
 * tunnels, ESP in UDP on 4500, voice and game traffic). A stream of them
 * is a stream of requests, not a session we accepted.
 */
bool refl_query_port(uint16_t port);

/*
 * Whether a vector's clients may ask from its own port (SSDP, mDNS,
 * WS-Discovery, NetBIOS): there, only the payload says request or answer.
 */
bool refl_same_port_clients(uint16_t port);

/*
 * A one-way collector's UDP port: devices send to it and nothing answers
 * (syslog, SNMP traps, flow exports). Its name, or NULL.
 */
const char *refl_collector_port(uint16_t port);

enum refl_kind {
	REFL_UNKNOWN,		/* no recogniser, or the bytes do not say */
	REFL_REQUEST,		/* the protocol says: a request (or an announcement) */
	REFL_REPLY,		/* the protocol says: an answer */
};

/* The vector table, sorted by port, and its length. */
extern const struct refl_vector refl_vectors[];
extern const size_t refl_nvectors;

/* The vector on UDP port, or NULL. */
const struct refl_vector *refl_vector(uint16_t port);

/* What a UDP payload from sport says it is; len is what was captured. */
enum refl_kind refl_payload(uint16_t sport, const uint8_t *p, uint32_t len);

/*
 * Whether a UDP datagram from sport to dport is by its kind an answer of
 * a reflection vector: its payload says so, or it has no say and the
 * source port is a vector's. Between two ports of the same service
 * (IKE 500 to 500, NetBIOS 137 to 137) it is that protocol's peer
 * traffic; from a vector port to another vector port, port alone does
 * not make an answer either.
 */
bool refl_is_reply(uint16_t sport, uint16_t dport, const uint8_t *p, uint32_t len);

#endif
