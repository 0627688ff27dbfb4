/*
 * Small helpers shared by every module: allocation that cannot fail,
 * fatal errors that restore the terminal first, and making untrusted
 * text printable.
 */
#ifndef NS_UTIL_H
#define NS_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define NS_MIN(a, b) ((a) < (b) ? (a) : (b))
#define NS_MAX(a, b) ((a) > (b) ? (a) : (b))

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xreallocarray(void *, size_t, size_t);
/* Zeroed, 2 MB aligned, on huge pages if the kernel allows; ns_big_free with the same sizes. */
void *ns_big_alloc(size_t n, size_t sz);
/*
 * The same, for a table sized for a cap it may never reach: only the
 * pages it touches count, and none is accounted for in advance.
 */
void *ns_big_reserve(size_t n, size_t sz);
void ns_big_free(void *, size_t n, size_t sz);
/*
 * A thread that faults in memory just allocated with ns_big_alloc
 * (MADV_POPULATE_WRITE), so that the kernel's zeroing of new pages happens
 * beside the thread that will write them rather than in it. The contents
 * are never touched: populating a range already in use is harmless.
 * Meant for tables of 2 MB or more; everything is ignored when the kernel
 * lacks MADV_POPULATE_WRITE (before Linux 5.14). The thread starts with
 * the first range.
 */
struct ns_populator;
struct ns_populator *ns_populator_new(void);
void ns_populate(struct ns_populator *, void *, size_t len);
/* Waits for the range being populated, if any, and ends the thread. */
void ns_populator_free(struct ns_populator *);
char *xstrdup(const char *);
int xasprintf(char **, const char *, ...) __attribute__((format(printf, 2, 3)));

/*
 * Called by fatal() before it exits: the console registers endwin() here so
 * that an error never leaves the terminal in curses mode.
 */
void ns_set_fatal_hook(void (*)(void));
void fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void ns_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));

/*
 * Copy at most srclen bytes of src into dst (size dstlen, always
 * NUL-terminated), replacing control characters, DEL, and bytes >= 0x80
 * that are not part of a valid UTF-8 sequence with '?'. Escape sequences
 * therefore never reach a terminal or a report. Returns dst.
 */
char *ns_printable(char *dst, size_t dstlen, const char *src, size_t srclen);
/* Payloads: whether p (len bytes) starts with s; whether s occurs in its first 2048 bytes. */
bool ns_has_prefix(const uint8_t *p, size_t len, const char *s);
bool ns_has_text(const uint8_t *p, size_t len, const char *s);

/* Monotonic and wall clocks in seconds. */
double ns_now_mono(void);
/*
 * Up to n bytes from fd, at off (pread) or, when off < 0, where it stands
 * (read): short reads and EINTR retried; fewer only at the end or on an
 * error.
 */
size_t ns_read_full(int fd, void *buf, size_t n, long long off);
double ns_now_wall(void);

/* Format a duration ("3.2 s", "4 min 10 s", "2 h 05 min") into buf. */
const char *ns_fmt_duration(char *buf, size_t len, double seconds);
/* ISO 8601 UTC, "2026-11-24T08:00:00Z"; the length written. */
size_t ns_fmt_utc(char *buf, size_t len, int64_t t);
/* Format a count with SI suffix ("950", "12.3k", "4.1M"). */
const char *ns_fmt_si(char *buf, size_t len, double v);

/*
 * SipHash-1-3 of a short key: the host and flow tables key their hashes
 * with a random secret so that spoofed addresses cannot be chosen to
 * collide.
 */
uint64_t ns_siphash(const uint8_t key[16], const void *data, size_t len);
void ns_random_bytes(void *, size_t);

#endif
