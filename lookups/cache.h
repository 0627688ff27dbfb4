/*
 * The lookup service's disk cache: one small text file,
 * $XDG_CACHE_HOME/ntpsleuth/lookups.v1, one answer per line:
 *
 *   rdns <TAB> addr <TAB> expires <TAB> name
 *   rdap <TAB> addr <TAB> expires <TAB> base <TAB> source <TAB> name
 *        <TAB> handle <TAB> cidr <TAB> country <TAB> org [<TAB> abuse]...
 *
 * expires is Unix time; base is the --rdap-url the answer came from ("-"
 * for the registries). Answers from another --rdap-url (a test server, a
 * private registry) live in a file of their own, lookups-HASH.v1, so
 * that they never stand in for the registries' answers nor push them out. Strings are stored as the plugins made them
 * (printable, no tabs) and are made printable again when read, since the
 * file may have been edited. Written whole, to a temporary file that is
 * then renamed over the old one.
 */
#ifndef NS_LK_CACHE_H
#define NS_LK_CACHE_H

#include <stdio.h>

#include "lookups/plugin.h"

/* The cache file's path (its folder created, mode 0700), or NULL. */
char *lkc_path(const char *cache_dir, const char *rdap_url);
/* Call add for each unexpired answer, at most max of them. */
void lkc_load(const char *path, const char *rdap_base, unsigned max,
    void (*add)(void *, const struct ns_addr *, enum lk_part, double,
    const struct lk_info *), void *arg);
void lkc_put_rdns(FILE *, const struct ns_addr *, double expires,
    const struct lk_rdns *);
void lkc_put_rdap(FILE *, const struct ns_addr *, double expires,
    const char *rdap_base, const struct lk_rdap *);
/* Replace the file by buf atomically; 0 or -1. */
int lkc_write(const char *path, const char *buf, size_t len);

#endif
