/*
 * Password services and their refusals.
 *
 * A guesser's sessions look like a user's: a completed handshake, a few
 * packets each. What tells them apart is what the server says: each
 * failed login draws a refusal of its own, and a user who typed the
 * password wrong once or twice does not draw dozens a minute.
 */
#include "config.h"

#include <string.h>

#include "analysis/login.h"
#include "common/util.h"

/*
 * Services that take a password, where a session is a login: what a
 * password guesser (hydra, medusa, ncrack) goes for. Not mail (IMAP, POP,
 * submission) nor the web: a NAT's users poll mail in many short
 * sessions, and browse in many; there only the refusals below tell.
 */
const char *
login_service(uint16_t port)
{
	switch (port) {
	case 21: return "FTP";
	case 22: return "SSH";
	case 23: return "telnet";
	case 1433: return "MS-SQL";
	case 1521: return "Oracle";
	case 3306: return "MySQL";
	case 3389: return "RDP";
	case 5432: return "PostgreSQL";
	case 5900: return "VNC";
	default: return NULL;
	}
}

/* A reply code of three digits and a space or a hyphen (RFC 959, RFC 5321). */
static bool
code(const uint8_t *p, size_t n, const char *digits)
{
	return n >= 4 && memcmp(p, digits, 3) == 0 && (p[3] == ' ' || p[3] == '-');
}

const char *
login_refused(uint16_t sport, const uint8_t *p, size_t n)
{
	/*
	 * HTTP 401 (RFC 9110 15.5.2), on any port; but not the first round
	 * of Negotiate or NTLM (RFC 4559), which answers every new
	 * connection with a 401 before the client's token.
	 */
	if ((ns_has_prefix(p, n, "HTTP/1.1 401") || ns_has_prefix(p, n, "HTTP/1.0 401")) &&
	    !ns_has_text(p, n, "Negotiate") && !ns_has_text(p, n, "NTLM"))
		return "HTTP";
	switch (sport) {
	case 21:	/* 530 Not logged in (RFC 959), after a PASS */
		return code(p, n, "530") ? "FTP" : NULL;
	case 25: case 465: case 587: case 2525:	/* 535 (RFC 4954) */
		return code(p, n, "535") ? "SMTP AUTH" : NULL;
	case 110:	/* -ERR [AUTH] (RFC 3206) */
		return ns_has_prefix(p, n, "-ERR [AUTH]") ? "POP3" : NULL;
	case 143:	/* a tagged NO [AUTHENTICATIONFAILED] (RFC 5530) */
		return ns_has_text(p, n, "NO [AUTHENTICATIONFAILED]") ? "IMAP" : NULL;
	case 1883:
		/*
		 * A CONNACK (0x20) refusing the login: return code 4 (bad
		 * user name or password) or 5 (not authorised) in MQTT 3.1.1,
		 * reason 0x86 or 0x87 in MQTT 5.
		 */
		return n >= 4 && p[0] == 0x20 && p[1] >= 2 &&
		    (p[3] == 4 || p[3] == 5 || p[3] == 0x86 || p[3] == 0x87) ? "MQTT" : NULL;
	case 3306:
		/*
		 * An ERR packet after the 4-byte packet header: 0xff, then
		 * error 1045 little-endian (ER_ACCESS_DENIED_ERROR, MySQL's
		 * and MariaDB's client/server protocol).
		 */
		return n >= 7 && p[4] == 0xff && p[5] == 0x15 && p[6] == 0x04 ? "MySQL" : NULL;
	case 5432:
		/*
		 * An ErrorResponse ('E') whose SQLSTATE field is 28P01
		 * (invalid_password) or 28000 (invalid authorization: no
		 * such role): PostgreSQL's frontend/backend protocol.
		 */
		return n >= 6 && p[0] == 'E' &&
		    (ns_has_text(p, n, "C28P01") || ns_has_text(p, n, "C28000")) ? "PostgreSQL" : NULL;
	case 6379:
		/*
		 * Redis' error replies to AUTH (RESP): -WRONGPASS since Redis
		 * 6 (ACL), -ERR invalid password before it.
		 */
		return ns_has_prefix(p, n, "-WRONGPASS") || ns_has_prefix(p, n, "-ERR invalid password") ?
		    "Redis" : NULL;
	default:
		return NULL;
	}
}

/* A decimal number of at most 5 digits at p[*i] (a field of a 227 answer, a 229 port). */
static int
small_num(const uint8_t *p, size_t n, size_t *i)
{
	int v = 0, digits = 0;

	while (*i < n && p[*i] >= '0' && p[*i] <= '9' && digits < 5) {
		v = v * 10 + (p[*i] - '0');
		(*i)++;
		digits++;
	}
	return digits > 0 ? v : -1;
}

uint16_t
ftp_passive_port(uint16_t sport, const uint8_t *p, size_t n)
{
	size_t i = 4;
	int f[6], k;

	if (sport != 21 || n < 8 || n > 512)
		return 0;
	if (code(p, n, "229")) {
		/* 229 Entering Extended Passive Mode (|||port|) */
		while (i < n && p[i] != '(')
			i++;
		if (i + 4 >= n || p[i + 1] != p[i + 2] || p[i + 2] != p[i + 3])
			return 0;
		i += 4;
		k = small_num(p, n, &i);
		return k > 0 && k <= 65535 ? (uint16_t)k : 0;
	}
	if (!code(p, n, "227"))
		return 0;
	/* 227 Entering Passive Mode (h1,h2,h3,h4,p1,p2): the parentheses are optional. */
	while (i < n && (p[i] < '0' || p[i] > '9'))
		i++;
	for (k = 0; k < 6; k++) {
		if ((f[k] = small_num(p, n, &i)) < 0 || f[k] > 255)
			return 0;
		if (k < 5) {
			if (i >= n || p[i] != ',')
				return 0;
			i++;
		}
	}
	return (uint16_t)(f[4] * 256 + f[5]);
}
