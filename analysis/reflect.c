/*
 * Reflection vectors and the recognisers of their answers.
 *
 * Sources, as named in the table:
 *   TA14-017A   US-CERT/CISA Alert TA14-017A "UDP-Based Amplification
 *               Attacks" (2014, revised 2018 for CLDAP, LDAP, TFTP and
 *               memcached)
 *   VU#419128   CERT/CC "IKE/IKEv2 protocol implementations may allow
 *               network amplification attacks" (Akamai, 2016)
 *   AMP-Research  Phenomite/AMP-Research on GitHub, one folder per
 *               vector ("IPSEC port 500", "Citrix port 1604", ...)
 *   Shadowserver  its "Accessible ... Report" scan pages
 *   NETSCOUT    ASERT threat summaries
 */
#include "config.h"

#include <string.h>

#include "analysis/reflect.h"
#include "common/cursor.h"
#include "common/util.h"

#define TA14 "US-CERT TA14-017A"
#define AMPR "Phenomite AMP-Research"

/* Sorted by port: refl_vector() searches it. */
const struct refl_vector refl_vectors[] = {
	{ 17, "QOTD", TA14, false },
	{ 19, "CharGEN", TA14, false },
	{ 53, "DNS", TA14, false },
	{ 69, "TFTP", TA14 " (2018)", false },
	{ 111, "Portmap/RPC", TA14, false },
	{ 123, "NTP", TA14 "; CVE-2013-5211 (monlist)", false },
	{ 137, "NetBIOS name service", TA14, false },
	{ 161, "SNMP", TA14, false },
	{ 389, "CLDAP/LDAP", TA14 " (2018)", false },
	{ 427, "SLP", "CVE-2023-29552, CISA KEV (Bitsight, Curesec)", false },
	{ 443, "DTLS", "Citrix CTX289674 (ADC DTLS, 2020); " AMPR " \"DTLS port 443\"", true },
	{ 500, "IKE/ISAKMP", "CERT/CC VU#419128; " AMPR " \"IPSEC port 500\"", false },
	{ 520, "RIPv1", TA14, false },
	{ 1194, "OpenVPN", AMPR " \"OpenVPN port 1194\"", false },
	{ 1434, "MS-SQL resolution (MC-SQLR)", "Shadowserver Accessible MS-SQL Server Resolution Service; " AMPR, false },
	{ 1604, "Citrix ICA browser", AMPR " \"Citrix port 1604\"", false },
	{ 1900, "SSDP", TA14, false },
	{ 3283, "ARMS (Apple Remote Desktop)", AMPR " \"ARD port 3283\"", false },
	{ 3702, "WS-Discovery", "Shadowserver Accessible WS-Discovery Service Report", false },
	{ 4500, "IKE NAT-T", "CERT/CC VU#419128 (IKE on its NAT-T port)", false },
	{ 5353, "mDNS", TA14, false },
	{ 5683, "CoAP", "Shadowserver Accessible CoAP Report", false },
	{ 9987, "TeamSpeak 3", "issue 15 of this project (no advisory found)", false },
	{ 10001, "Ubiquiti discovery", AMPR " \"Ubiquiti port 10001\"", false },
	{ 11211, "memcached", TA14 " (2018)", false },
	{ 26000, "Quake network protocol", TA14, false },
	{ 27015, "Steam (A2S)", TA14, false },
	{ 32410, "Plex GDM", "NETSCOUT ASERT Plex Media Server PMSSDP (2021)", false },
	{ 32414, "Plex GDM", "NETSCOUT ASERT Plex Media Server PMSSDP (2021)", false },
	{ 33848, "Jenkins discovery", AMPR " \"Jenkins port 33848\"", false },
	{ 37810, "Dahua DVR DHCPDiscover", "NETSCOUT ASERT DHCPDiscover (2021)", false },
	{ 47808, "BACnet/IP", "Gasser et al., BACnet amplification (2017); Shadowserver Accessible ICS Report", false },
};
const size_t refl_nvectors = sizeof(refl_vectors) / sizeof(refl_vectors[0]);

bool
refl_query_port(uint16_t port)
{
	const struct refl_vector *v = refl_vector(port);

	if (v == NULL || v->payload_only)
		return false;
	switch (port) {
	case 1194:	/* OpenVPN's tunnel */
	case 4500:	/* IPsec ESP in UDP */
	case 9987:	/* TeamSpeak voice */
	case 26000:	/* Quake game traffic */
	case 27015:	/* Steam game traffic */
		return false;
	}
	return true;
}

/*
 * One-way collectors, from IANA's service name and port number registry
 * and the RFCs that define them; sorted by port.
 */
static const struct {
	uint16_t port;
	const char *name;	/* and its source */
} collectors[] = {
	{ 162, "SNMP trap (RFC 3416)" },
	{ 514, "syslog (RFC 5426)" },
	{ 2055, "NetFlow (Cisco, RFC 3954)" },
	{ 4739, "IPFIX (RFC 7011)" },
	{ 6343, "sFlow (sFlow v5, sflow.org)" },
	{ 6514, "syslog over DTLS (RFC 6012)" },
	{ 8125, "StatsD (Etsy; no RFC)" },
	{ 9995, "NetFlow (Cisco, RFC 3954)" },
	{ 9996, "NetFlow (Cisco, RFC 3954)" },
	{ 12201, "GELF (Graylog)" },
	{ 25826, "collectd network plugin" },
};

bool
refl_same_port_clients(uint16_t port)
{
	switch (port) {
	case 137:	/* NetBIOS name queries, from 137 (RFC 1002) */
	case 1900:	/* SSDP M-SEARCH, from 1900 by many stacks (UPnP 1.1) */
	case 3702:	/* WS-Discovery Probes, from 3702 (WS-Discovery 1.1) */
	case 5353:	/* mDNS queries, from 5353 (RFC 6762) */
	case 32410: case 32414:	/* Plex GDM, as SSDP */
		return true;
	}
	return false;
}

const char *
refl_collector_port(uint16_t port)
{
	for (size_t i = 0; i < sizeof(collectors) / sizeof(collectors[0]); i++)
		if (collectors[i].port == port)
			return collectors[i].name;
	return NULL;
}

const struct refl_vector *
refl_vector(uint16_t port)
{
	size_t lo = 0, hi = refl_nvectors;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (refl_vectors[mid].port == port)
			return &refl_vectors[mid];
		if (refl_vectors[mid].port < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * A protocol's code (a PDU tag, a function id, an opcode) looked up in
 * its lists of answer codes and request codes.
 */
#define CODES(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })

static enum refl_kind
by_code(uint8_t code, const uint8_t *ans, size_t nans, const uint8_t *req, size_t nreq)
{
	if (memchr(ans, code, nans) != NULL)
		return REFL_REPLY;
	if (memchr(req, code, nreq) != NULL)
		return REFL_REQUEST;
	return REFL_UNKNOWN;
}

/*
 * DNS, mDNS (RFC 1035 4.1.1, RFC 6762) and the NetBIOS name service
 * (RFC 1002 4.2.1), one header:
 * |            ID                 |QR| Opcode |AA|TC|RD|RA| Z | RCODE |
 * |  QDCOUNT  |  ANCOUNT  |  NSCOUNT  |  ARCOUNT  |
 * NetBIOS calls QR "R" and the opcode field 5 bits wide; the bit is the same.
 */
static enum refl_kind
dns_kind(struct cur *c)
{
	uint8_t f = get_u8(c, 2);

	if (c->trunc)
		return REFL_UNKNOWN;
	return (f & 0x80) ? REFL_REPLY : REFL_REQUEST;
}

/*
 * ISAKMP/IKE header, RFC 2408 3.1 and RFC 7296 3.1:
 * |                  Initiator's SPI (cookie)                    |
 * |                  Responder's SPI (cookie)                    |
 * | Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
 * |                          Message ID                          |
 * |                            Length                            |
 * IKEv2 flags: R (0x20) the message is a response. IKEv1 has no such
 * flag: its first message carries a zero responder cookie, and only a
 * responder that answered puts one there. On port 4500 (RFC 3948) IKE
 * comes after a 4-byte zero non-ESP marker; anything else there is ESP.
 */
static enum refl_kind
ike_kind(struct cur *c, bool natt)
{
	uint8_t ver, flags;
	uint32_t rspi_hi, rspi_lo;

	if (natt) {
		if (get_be32(c, 0) != 0 || c->trunc)
			return REFL_UNKNOWN;
		cur_advance(c, 4);
	}
	rspi_hi = get_be32(c, 8);
	rspi_lo = get_be32(c, 12);
	ver = get_u8(c, 17);
	flags = get_u8(c, 19);
	if (c->trunc || !cur_has(c, 0, 28))
		return REFL_UNKNOWN;
	switch (ver >> 4) {
	case 2:
		return (flags & 0x20) ? REFL_REPLY : REFL_REQUEST;
	case 1:
		return (rspi_hi | rspi_lo) != 0 ? REFL_REPLY : REFL_REQUEST;
	default:
		return REFL_UNKNOWN;
	}
}

/* BER tag and length at *off; the length's value, or -1 if not captured or not DER-like. */
static long
ber_tl(struct cur *c, size_t *off, uint8_t *tag)
{
	uint8_t l;
	long n = 0;

	*tag = get_u8(c, *off);
	l = get_u8(c, *off + 1);
	*off += 2;
	if (c->trunc)
		return -1;
	if (l < 0x80)
		return l;
	l &= 0x7f;
	if (l == 0 || l > 4)
		return -1;
	for (uint8_t i = 0; i < l; i++)
		n = n << 8 | get_u8(c, (*off)++);
	return c->trunc || n < 0 ? -1 : n;
}

/*
 * The start both SNMP and LDAP messages share: SEQUENCE { INTEGER ...
 * Sets *off past the INTEGER and *first to its first byte; false if
 * these are not there.
 */
static bool
ber_seq_int(struct cur *c, size_t *off, uint8_t *first)
{
	uint8_t tag;
	long n;

	*off = 0;
	if (ber_tl(c, off, &tag) < 0 || tag != 0x30)
		return false;
	if ((n = ber_tl(c, off, &tag)) < 0 || tag != 0x02 || n == 0)
		return false;
	*first = get_u8(c, *off);
	*off += (size_t)n;
	return !c->trunc;
}

/*
 * SNMP v1/v2c message, RFC 3416 3 and RFC 1157 4:
 * SEQUENCE { version INTEGER, community OCTET STRING, PDU }
 * PDU tags: 0xa0 Get, 0xa1 GetNext, 0xa3 Set, 0xa5 GetBulk, 0xa6 Inform
 * (requests); 0xa2 Response, 0xa8 Report (answers); 0xa4, 0xa7 traps.
 * SNMPv3's PDU may be encrypted: not looked into.
 */
static enum refl_kind
snmp_kind(struct cur *c)
{
	size_t off;
	uint8_t tag, version;
	long n;

	if (!ber_seq_int(c, &off, &version) || version == 3)
		return REFL_UNKNOWN;
	if ((n = ber_tl(c, &off, &tag)) < 0 || tag != 0x04)
		return REFL_UNKNOWN;
	off += (size_t)n;
	tag = get_u8(c, off);
	if (c->trunc)
		return REFL_UNKNOWN;
	return by_code(tag, CODES(0xa2, 0xa8), CODES(0xa0, 0xa1, 0xa3, 0xa5, 0xa6));
}

/*
 * LDAP message, RFC 4511 4.2, and CLDAP as attack tools and Active
 * Directory use it (RFC 1798 puts a user DN, an OCTET STRING, first):
 * SEQUENCE { messageID INTEGER, [user OCTET STRING,] protocolOp }
 * protocolOp tags: answers 0x61 bindResponse, 0x64 searchResEntry,
 * 0x65 searchResDone, 0x67, 0x69, 0x6b, 0x6d, 0x6f, 0x73 searchResRef,
 * 0x78 extendedResp, 0x79 intermediate; requests 0x60, 0x42, 0x63
 * searchRequest, 0x66, 0x68, 0x4a, 0x6c, 0x6e, 0x50, 0x77.
 */
static enum refl_kind
ldap_kind(struct cur *c)
{
	size_t off;
	uint8_t tag, id;
	long n;

	if (!ber_seq_int(c, &off, &id))
		return REFL_UNKNOWN;
	tag = get_u8(c, off);
	if (tag == 0x04) {
		if ((n = ber_tl(c, &off, &tag)) < 0)
			return REFL_UNKNOWN;
		off += (size_t)n;
		tag = get_u8(c, off);
	}
	if (c->trunc)
		return REFL_UNKNOWN;
	return by_code(tag,
	    CODES(0x61, 0x64, 0x65, 0x67, 0x69, 0x6b, 0x6d, 0x6f, 0x73, 0x78, 0x79),
	    CODES(0x42, 0x4a, 0x50, 0x60, 0x63, 0x66, 0x68, 0x6c, 0x6e, 0x77));
}

/*
 * CoAP header, RFC 7252 3:
 * |Ver| T |  TKL  |      Code     |          Message ID           |
 * Code class 0 with a detail is a request (0.01 GET ...), class 2, 4
 * and 5 a response; an empty ACK or RST (0.00) answers a CON.
 */
static enum refl_kind
coap_kind(struct cur *c)
{
	uint8_t b0 = get_u8(c, 0), code = get_u8(c, 1);
	unsigned type = (b0 >> 4) & 3;

	if (c->trunc || !cur_has(c, 0, 4) || (b0 >> 6) != 1)
		return REFL_UNKNOWN;
	if ((code >> 5) == 2 || (code >> 5) == 4 || (code >> 5) == 5)
		return REFL_REPLY;
	if (code == 0)
		return type >= 2 ? REFL_REPLY : REFL_REQUEST;
	return (code >> 5) == 0 ? REFL_REQUEST : REFL_UNKNOWN;
}

/*
 * memcached over UDP (its protocol.txt, "UDP protocol"): an 8-byte frame
 * header (request id, sequence, datagram count, reserved), then a text
 * command or answer, or a binary packet (magic 0x80 request, 0x81
 * response).
 */
static enum refl_kind
memcached_kind(const uint8_t *p, uint32_t len)
{
	static const char *const answers[] = {
		"VALUE ", "STAT ", "END\r\n", "STORED", "NOT_STORED", "EXISTS",
		"NOT_FOUND", "DELETED", "TOUCHED", "ERROR", "CLIENT_ERROR",
		"SERVER_ERROR", "VERSION ", "OK\r\n",
	};
	static const char *const requests[] = {
		"get ", "gets ", "gat ", "gats ", "stats", "set ", "add ",
		"replace ", "append ", "prepend ", "cas ", "delete ", "incr ",
		"decr ", "touch ", "version", "flush_all", "mg ", "ms ", "md ",
	};

	if (len < 9)
		return REFL_UNKNOWN;
	p += 8;
	len -= 8;
	if (p[0] == 0x81)
		return REFL_REPLY;
	if (p[0] == 0x80)
		return REFL_REQUEST;
	for (size_t i = 0; i < sizeof(answers) / sizeof(answers[0]); i++)
		if (ns_has_prefix(p, len, answers[i]))
			return REFL_REPLY;
	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++)
		if (ns_has_prefix(p, len, requests[i]))
			return REFL_REQUEST;
	return REFL_UNKNOWN;
}

/*
 * SSDP (UPnP Device Architecture 1.1, 1.3) and Plex's GDM, HTTP over UDP:
 * answers are "HTTP/1.x 200 OK", requests "M-SEARCH * ...", and
 * announcements "NOTIFY * ...".
 */
static enum refl_kind
httpu_kind(const uint8_t *p, uint32_t len)
{
	if (ns_has_prefix(p, len, "HTTP/1."))
		return REFL_REPLY;
	if (ns_has_prefix(p, len, "M-SEARCH ") || ns_has_prefix(p, len, "NOTIFY "))
		return REFL_REQUEST;
	return REFL_UNKNOWN;
}

/*
 * WS-Discovery 1.1 (OASIS), SOAP over UDP: ProbeMatches and
 * ResolveMatches answer Probe and Resolve; a SOAP Fault answers the
 * malformed probes of attack tools; Hello and Bye are announcements.
 */
static enum refl_kind
wsd_kind(const uint8_t *p, uint32_t len)
{
	if (ns_has_text(p, len, "ProbeMatches") || ns_has_text(p, len, "ResolveMatches") ||
	    ns_has_text(p, len, "Fault"))
		return REFL_REPLY;
	if (ns_has_text(p, len, "Probe") || ns_has_text(p, len, "Resolve") ||
	    ns_has_text(p, len, "Hello") || ns_has_text(p, len, "Bye"))
		return REFL_REQUEST;
	return REFL_UNKNOWN;
}

/*
 * ONC RPC message, RFC 5531 9 (portmap on 111):
 * |            xid                |          msg_type             |
 * msg_type 0 CALL, 1 REPLY.
 */
static enum refl_kind
rpc_kind(struct cur *c)
{
	uint32_t t = get_be32(c, 4);

	if (c->trunc || t > 1)
		return REFL_UNKNOWN;
	return by_code((uint8_t)t, CODES(1), CODES(0));
}

/* RIP, RFC 1058 3.1 and RFC 2453 4: | command | version | ... |; 1 request, 2 response. */
static enum refl_kind
rip_kind(struct cur *c)
{
	uint8_t cmd = get_u8(c, 0), ver = get_u8(c, 1);

	if (c->trunc || ver < 1 || ver > 2)
		return REFL_UNKNOWN;
	return by_code(cmd, CODES(2), CODES(1));
}

/* TFTP, RFC 1350 5 and RFC 2347: opcode 1 RRQ, 2 WRQ; 3 DATA, 4 ACK, 5 ERROR, 6 OACK. */
static enum refl_kind
tftp_kind(struct cur *c)
{
	uint16_t op = get_be16(c, 0);

	if (c->trunc || op > 0xff)
		return REFL_UNKNOWN;
	return by_code((uint8_t)op, CODES(3, 4, 5, 6), CODES(1, 2));
}

/*
 * SLP, RFC 2608 8 (v2) and RFC 2165 (v1): | Version | Function-ID | ...
 * Answers: 2 SrvRply, 5 SrvAck, 7 AttrRply, 8 DAAdvert, 10 SrvTypeRply,
 * 11 SAAdvert; requests: 1 SrvRqst, 3 SrvReg, 4 SrvDeReg, 6 AttrRqst,
 * 9 SrvTypeRqst.
 */
static enum refl_kind
slp_kind(struct cur *c)
{
	uint8_t ver = get_u8(c, 0), fn = get_u8(c, 1);

	if (c->trunc || (ver != 1 && ver != 2))
		return REFL_UNKNOWN;
	return by_code(fn, CODES(2, 5, 7, 8, 10, 11), CODES(1, 3, 4, 6, 9));
}

/*
 * DTLS record, RFC 6347 4.1 and 4.2.2:
 * | type | version (0xfeff, 0xfefd) | epoch | sequence (48) | length |
 * then, for a handshake (type 22): | msg_type | ... 1 ClientHello,
 * 2 ServerHello, 3 HelloVerifyRequest, 11 Certificate ...
 * Anything else on 443 (QUIC) is not DTLS and not known here.
 */
static enum refl_kind
dtls_kind(struct cur *c)
{
	uint8_t type = get_u8(c, 0), hs = get_u8(c, 13);
	uint16_t ver = get_be16(c, 1);

	if (c->trunc || (ver != 0xfeff && ver != 0xfefd && ver != 0xfefc) || type != 22)
		return REFL_UNKNOWN;
	return hs == 1 ? REFL_REQUEST : REFL_REPLY;
}

/*
 * OpenVPN packet (its ssl_pkt.h): | opcode (5 bits) | key id (3) | ...
 * P_CONTROL_HARD_RESET_SERVER_V1 2 and _V2 8 answer the client's
 * resets 1, 7 and 10.
 */
static enum refl_kind
openvpn_kind(struct cur *c)
{
	uint8_t op = get_u8(c, 0) >> 3;

	if (c->trunc)
		return REFL_UNKNOWN;
	return by_code(op, CODES(2, 8), CODES(1, 7, 10));
}

/*
 * MC-SQLR (Microsoft's [MC-SQLR] 2.2): requests start 0x02
 * CLNT_BCAST_EX, 0x03 CLNT_UCAST_EX, 0x04 CLNT_UCAST_INST or 0x0f
 * CLNT_UCAST_DAC; the answer SVR_RESP starts 0x05.
 */
static enum refl_kind
mcsqlr_kind(struct cur *c)
{
	uint8_t t = get_u8(c, 0);

	if (c->trunc)
		return REFL_UNKNOWN;
	return by_code(t, CODES(0x05), CODES(0x02, 0x03, 0x04, 0x0f));
}

/*
 * Steam/Source server queries (Valve's "Server queries"): 0xffffffff
 * then a type byte; requests 'T' A2S_INFO, 'U' PLAYER, 'V' RULES, 'W'
 * challenge, 'i' ping; answers 'I', 'm', 'D', 'E', 'A', 'j'. A split
 * answer starts 0xfffffffe.
 */
static enum refl_kind
steam_kind(struct cur *c)
{
	uint32_t h = get_be32(c, 0);
	uint8_t t = get_u8(c, 4);

	if (c->trunc)
		return REFL_UNKNOWN;
	if (h == 0xfffffffe)
		return REFL_REPLY;
	if (h != 0xffffffff)
		return REFL_UNKNOWN;
	return by_code(t, CODES('I', 'm', 'D', 'E', 'A', 'j'), CODES('T', 'U', 'V', 'W', 'i'));
}

/*
 * BACnet/IP, ASHRAE 135 Annex J and clauses 6 and 20:
 * BVLC | 0x81 | function | length (16) | [6-byte origin if Forwarded]
 * NPDU | version 1 | control | [DNET DLEN DADR] [SNET SLEN SADR] [hop]
 * APDU | type (4 bits) | ... 0 confirmed request, 1 unconfirmed request
 * (service 0 I-Am and 1 I-Have answer Who-Is and Who-Has), 2 SimpleACK,
 * 3 ComplexACK, 5 Error, 6 Reject, 7 Abort.
 */
static enum refl_kind
bacnet_kind(struct cur *c)
{
	uint8_t fn = get_u8(c, 1), ctl, t;
	size_t off = 4;

	if (get_u8(c, 0) != 0x81 || c->trunc)
		return REFL_UNKNOWN;
	if (fn == 0x04)
		off += 6;
	else if (fn != 0x0a && fn != 0x0b)
		return REFL_UNKNOWN;
	if (get_u8(c, off) != 0x01)
		return REFL_UNKNOWN;
	ctl = get_u8(c, off + 1);
	off += 2;
	if (ctl & 0x80)
		return REFL_UNKNOWN;	/* a network-layer message */
	if (ctl & 0x20)
		off += 3 + get_u8(c, off + 2);
	if (ctl & 0x08)
		off += 3 + get_u8(c, off + 2);
	if (ctl & 0x20)
		off += 1;
	t = get_u8(c, off) >> 4;
	if (c->trunc)
		return REFL_UNKNOWN;
	if (t == 1) {
		/* I-Am and I-Have answer; the other unconfirmed services do not. */
		t = get_u8(c, off + 1);
		if (c->trunc)
			return REFL_UNKNOWN;
		return t <= 1 ? REFL_REPLY : REFL_REQUEST;
	}
	return by_code(t, CODES(2, 3, 5, 6, 7), CODES(0));
}

enum refl_kind
refl_payload(uint16_t sport, const uint8_t *p, uint32_t len)
{
	struct cur c;

	if (p == NULL || len == 0)
		return REFL_UNKNOWN;
	cur_init(&c, p, len);
	switch (sport) {
	case 53: case 137: case 5353:
		return dns_kind(&c);
	case 69:
		return tftp_kind(&c);
	case 111:
		return rpc_kind(&c);
	case 161:
		return snmp_kind(&c);
	case 389:
		return ldap_kind(&c);
	case 427:
		return slp_kind(&c);
	case 443:
		return dtls_kind(&c);
	case 500:
		return ike_kind(&c, false);
	case 4500:
		return ike_kind(&c, true);
	case 520:
		return rip_kind(&c);
	case 1194:
		return openvpn_kind(&c);
	case 1434:
		return mcsqlr_kind(&c);
	case 1900: case 32410: case 32414:
		return httpu_kind(p, len);
	case 3702:
		return wsd_kind(p, len);
	case 5683:
		return coap_kind(&c);
	case 11211:
		return memcached_kind(p, len);
	case 27015:
		return steam_kind(&c);
	case 33848:
		return ns_has_text(p, len, "<hudson>") ? REFL_REPLY : REFL_UNKNOWN;
	case 47808:
		return bacnet_kind(&c);
	default:
		/* CharGEN and QOTD only ever answer; the rest have no say here. */
		return REFL_UNKNOWN;
	}
}

bool
refl_is_reply(uint16_t sport, uint16_t dport, const uint8_t *p, uint32_t len)
{
	const struct refl_vector *v = refl_vector(sport);

	if (v == NULL)
		return false;
	/*
	 * The service's port at both ends: peers of one service (IKE
	 * gateways, 500 to 500) are not replies; where its clients ask from
	 * the service's port, the payload says (SSDP answers to M-SEARCHes
	 * spoofed from our port 1900 were a "flood" on it, the sixth
	 * held-out check).
	 */
	if (sport == dport)
		return refl_same_port_clients(sport) && refl_payload(sport, p, len) == REFL_REPLY;
	switch (refl_payload(sport, p, len)) {
	case REFL_REPLY:
		return true;
	case REFL_REQUEST:
		return false;
	default:
		return !v->payload_only && refl_vector(dport) == NULL;
	}
}
