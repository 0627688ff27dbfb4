/*
 * Reverse DNS: getnameinfo(NI_NAMEREQD) on the plugin's own worker
 * threads. getnameinfo cannot be interrupted, so each worker may wait
 * for the resolver's timeouts (resolv.conf: 5 s x 2 tries by default);
 * the service bounds the damage with two workers, a queue cap and a rate
 * limit, and does not wait for a stuck worker when it stops.
 *
 * The name is whatever the address's owner put in its PTR record: it is
 * made printable, and it proves nothing (no forward confirmation here).
 */
#include "config.h"

#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/util.h"
#include "lookups/plugin.h"

struct rdns {
	int unused;
};

static void *
rdns_start(const struct lk_config *cfg, char *err, size_t errlen)
{
	(void)cfg;
	(void)err;
	(void)errlen;
	return xcalloc(1, sizeof(struct rdns));
}

static void
rdns_query(void *state, struct lk_job *job, const struct ns_addr *a,
    struct lk_info *out)
{
	struct lk_rdns *r = &out->rdns;
	struct sockaddr_storage ss;
	char host[NI_MAXHOST];
	unsigned len;
	int rc;

	(void)state;
	if (!lk_job_throttle(job)) {
		r->status = LK_FAILED;
		lk_reason(r->reason, "lookup stopped");
		return;
	}
	len = lk_sockaddr(a, 0, &ss);
	rc = getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), NULL, 0,
	    NI_NAMEREQD);
	r->status = LK_FAILED;
	switch (rc) {
	case 0:
		r->status = LK_DONE;
		ns_printable(r->name, sizeof(r->name), host, strlen(host));
		break;
	case EAI_NONAME:
		lk_reason(r->reason, "no reverse DNS name (no PTR record, or not a valid host name)");
		break;
	case EAI_AGAIN:
		lk_reason(r->reason, "reverse DNS: the DNS server did not answer; will retry");
		break;
	default:
		lk_reason(r->reason, "reverse DNS failed: %s", gai_strerror(rc));
		break;
	}
}

static void
rdns_free(void *state)
{
	free(state);
}

const struct lk_plugin lk_rdns = {
	.name = "rdns",
	.part = LK_PART_RDNS,
	.workers = 2,
	.rate = 20,
	.disk_cache = true,
	.start = rdns_start,
	.query = rdns_query,
	.free = rdns_free,
};
