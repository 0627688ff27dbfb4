/*
 * NTP queries we send ourselves, private to lookups/: the --probe (one
 * mode 3 client request) and the self-check's mode 6 and mode 7 requests.
 */
#ifndef NS_LK_NTPQ_H
#define NS_LK_NTPQ_H

#include <stdatomic.h>
#include <sys/socket.h>

#include "lookups/lookup.h"

/*
 * One mode 3 request to sa (port included). On an answer, sets
 * out->probed, probe_stratum, probe_refid, probe_delay_ms and returns 0;
 * otherwise writes why into out->reason and returns -1.
 */
int ntpq_probe(const struct sockaddr *sa, socklen_t salen, double timeout,
    const atomic_bool *cancel, struct lk_ntp *out);

/* The NTP port to probe: 123, or $NTPSLEUTH_NTP_PORT (tests). */
unsigned short ntpq_port(void);

#endif
