/*
 * The promise of lookups/rdap.h that both parser targets check: every
 * string of a struct lk_rdap is bounded and printable, and a range has
 * one address family at both ends.
 */
#ifndef NS_FUZZ_LK_CHECK_H
#define NS_FUZZ_LK_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lookups/lookup.h"
#include "tests/fuzz/printable.h"
#include "lookups/rdap.h"
#include "lookups/registry.h"
#include "lookups/whois.h"

static inline void
fuzz_lk_string(const char *target, const char *what, const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	long bad;

	if (n == max) {
		fprintf(stderr, "%s: broken: %s is not NUL-terminated\n", target, what);
		abort();
	}
	if ((bad = fuzz_unprintable(s, n, false)) >= 0) {
		fprintf(stderr, "%s: broken: %s holds byte 0x%02x at %ld, not printable UTF-8: \"%.*s\"\n",
		    target, what, (unsigned char)s[bad], bad, (int)n, s);
		abort();
	}
}

static inline void
fuzz_lk_check(const char *target, const struct lk_rdap *r, int rc,
    const struct ns_addr *lo, const struct ns_addr *hi)
{
	char buf[2 * NS_ADDRSTRLEN + 8];

	fuzz_lk_string(target, "reason", r->reason, sizeof(r->reason));
	if (rc != 0 && r->reason[0] == '\0') {
		fprintf(stderr, "%s: broken: failed without a reason\n", target);
		abort();
	}
	fuzz_lk_string(target, "source", r->source, sizeof(r->source));
	fuzz_lk_string(target, "name", r->name, sizeof(r->name));
	fuzz_lk_string(target, "handle", r->handle, sizeof(r->handle));
	fuzz_lk_string(target, "cidr", r->cidr, sizeof(r->cidr));
	fuzz_lk_string(target, "country", r->country, sizeof(r->country));
	fuzz_lk_string(target, "org", r->org, sizeof(r->org));
	if (r->n_abuse < 0 || r->n_abuse > LK_MAX_ABUSE) {
		fprintf(stderr, "%s: broken: n_abuse %d\n", target, r->n_abuse);
		abort();
	}
	for (int i = 0; i < r->n_abuse; i++)
		fuzz_lk_string(target, "abuse contact", r->abuse[i], sizeof(r->abuse[i]));
	if (lo->af != hi->af || (lo->af != 0 && lo->af != 4 && lo->af != 6)) {
		fprintf(stderr, "%s: broken: range families %d and %d\n", target, lo->af, hi->af);
		abort();
	}
	if (lo->af != 0) {
		reg_range_fmt(lo, hi, buf, sizeof(buf));
		fuzz_lk_string(target, "formatted range", buf, sizeof(buf));
		(void)reg_rir(lo);
	}
}

#endif
