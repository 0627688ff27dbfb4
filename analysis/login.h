/* Password services: their ports, and the answers that refuse a login. */
#ifndef NS_ANALYSIS_LOGIN_H
#define NS_ANALYSIS_LOGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The password service a guesser goes for on this TCP port, or NULL. */
const char *login_service(uint16_t port);

/*
 * The protocol whose "login refused" this answer of ours from TCP port
 * sport is (payload, n bytes as captured), or NULL.
 */
const char *login_refused(uint16_t sport, const uint8_t *payload, size_t n);

/*
 * The port an FTP server's answer from port 21 tells the client to open
 * its data connection to: 227 (PASV, RFC 959) or 229 (EPSV, RFC 2428);
 * 0 for none.
 */
uint16_t ftp_passive_port(uint16_t sport, const uint8_t *payload, size_t n);

#endif
