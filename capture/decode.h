/*
 * Link-layer, IP and transport decoding of one captured frame into a
 * struct pkt. Pure function of the bytes: no state, no allocation.
 */
#ifndef NS_DECODE_H
#define NS_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/addr.h"

enum pkt_err {
	PKT_OK = 0,
	PKT_NOT_IP,		/* ARP, LLDP, ...: not an error, not counted */
	PKT_ERR_LINK,		/* link-layer header cut short */
	PKT_ERR_IP,		/* IP header cut short or inconsistent */
	PKT_ERR_L4,		/* TCP/UDP/ICMP header cut short */
	PKT_ERR_LINKTYPE,	/* a link type we do not decode */
};

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20

/*
 * The netfilter hook that logged a packet (NFLOG): the kernel's
 * NF_INET_PRE_ROUTING (0) ... NF_INET_POST_ROUTING (4) plus one, so that
 * zero, what a cleared struct pkt holds, means "not said".
 */
enum pkt_hook {
	PKT_HOOK_NONE = 0,
	PKT_HOOK_PREROUTING,
	PKT_HOOK_INPUT,
	PKT_HOOK_FORWARD,
	PKT_HOOK_OUTPUT,
	PKT_HOOK_POSTROUTING,
};

/* The packet an ICMP error quotes (RFC 792, RFC 4443 section 2.4 c). */
struct pkt_quoted {
	bool valid;
	uint8_t proto;
	bool has_ports;
	struct ns_addr src, dst;
	uint16_t sport, dport;
};

struct pkt {
	double ts;		/* seconds since the epoch */
	uint32_t caplen, wirelen;
	int source;		/* index of the capture source */
	uint32_t frameno;	/* in its source, from 1 */
	enum pkt_err err;
	const char *err_what;	/* a short phrase when err >= PKT_ERR_LINK */

	uint8_t ipver;		/* 4 or 6 when err is PKT_OK or PKT_ERR_L4 */
	struct ns_addr src, dst;
	uint32_t ip_len;	/* IP-layer bytes: IP header and payload, from the header */
	uint16_t ip_id;		/* IPv4 identification; NAT keeps it */
	uint32_t frag_id6;	/* IPv6 Fragment header's identification, when fragment */
	uint8_t proto;		/* final upper-layer protocol */
	bool fragment;		/* part of a fragmented datagram */
	bool later_fragment;	/* not the first fragment: no transport header */
	/*
	 * A first fragment too short for the TCP flags (RFC 1858's tiny
	 * fragment, nmap -f): ports, but tcp_flags 0 and unknown.
	 */
	bool tcp_split;

	bool has_ports;
	uint16_t sport, dport;
	uint8_t tcp_flags;
	uint8_t icmp_type, icmp_code;
	bool icmp_error;	/* an ICMP/ICMPv6 error quoting another packet */
	struct pkt_quoted quoted;

	const uint8_t *frame;	/* the whole frame as captured, and its link type */
	int dlt;
	const uint8_t *payload;	/* transport payload as captured */
	uint32_t payload_caplen;
	uint32_t payload_len;	/* as the transport header says */

	/*
	 * A firewall's word on the packet (a log line, an NFLOG prefix):
	 * the rule that logged it, not NUL-terminated, valid while the
	 * packet is; rule_len 0 for none. fw_action is an enum
	 * fwlog_action (capture/fwlog.h), 0 when not said.
	 */
	const char *rule;
	uint16_t rule_len;
	uint8_t fw_action;
	bool vantage;		/* rule names a vantage point (a flow exporter), not a rule */
	/*
	 * Where netfilter saw it (NFLOG): the hook, an enum pkt_hook, and
	 * the indexes of the interfaces it came in on and was to leave by,
	 * as `ip link` numbers them in the logging namespace; 0 when not
	 * said (no interface has index 0). An NFLOG prefix is in rule, its
	 * bytes as the rule gave them: not yet made printable.
	 */
	uint8_t hook;
	uint32_t in_ifindex, out_ifindex;
	/* An ARP frame (err PKT_NOT_IP): the IPv4 address that sent it. */
	bool arp;
	struct ns_addr arp_sender;
};

/*
 * Decode a frame of the given DLT. Fills p (ts, caplen, wirelen and source
 * are left to the caller, except that an NFLOG frame's own timestamp,
 * when near the caller's p->ts, replaces it) and returns p->err.
 */
enum pkt_err cap_decode(struct pkt *p, int dlt, const uint8_t *data, uint32_t caplen);
/*
 * A frame as the capture gives it, decoded: p zeroed, the frame's own
 * facts set (ts, lengths, source, number, frame and dlt), then
 * cap_decode. Returns p->err.
 */
enum pkt_err cap_decode_frame(struct pkt *p, int source, int dlt, double ts,
    uint32_t frameno, const uint8_t *data, uint32_t caplen, uint32_t wirelen);
/* Human name of a DLT, e.g. "EN10MB". */
const char *cap_dlt_name(int dlt);
/* Whether cap_decode knows the DLT. */
bool cap_dlt_supported(int dlt);
/* "prerouting", "input", "forward", "output", "postrouting", or NULL for none. */
const char *cap_hook_name(uint8_t hook);

#endif
