/*
 * Dropping privileges once the capture handles, the GeoIP databases and
 * the CA bundle are open, before any thread starts or any packet is
 * parsed (tcpdump's droproot(), OpenNTPD's ntp.c).
 */
#ifndef NS_PRIV_H
#define NS_PRIV_H

#include <stddef.h>

/* The user to become by default: "ntpsleuth" when it exists, else "nobody". */
const char *ns_priv_default_user(void);
/*
 * As root: become user (supplementary groups, gid and uid, keeping no
 * capability and no way back). Not root: give up any capability the
 * binary was given (CAP_NET_RAW). 0, or -1 with a message.
 */
int ns_priv_drop(const char *user, char *err, size_t errlen);

#endif
