/*
 * Linux netfilter firewall logs (iptables -j LOG, nftables "log") read as
 * packets: one struct pkt per logged packet, without payload. The lines
 * may come from classic or RFC 3339 syslog files, journalctl, dmesg or
 * /dev/kmsg; doc/fwlog.md lists the formats and what each field becomes.
 */
#ifndef NS_FWLOG_H
#define NS_FWLOG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "capture/decode.h"

/* utc_offset_s value meaning "the process's TZ, DST included, per stamp". */
#define FWLOG_TZ_LOCAL INT_MIN
/* Longer lines are skipped and counted (the kernel's are under 1 KiB). */
#define FWLOG_MAX_LINE 65536

struct fwlog_ctx {
	/*
	 * For year-less stamps ("Nov 24 05:01:02"): the year of the first
	 * such stamp, counted up when the months wrap from December to
	 * January. 0: the current year, or the one before for a date more
	 * than a day in the future.
	 */
	int year;
	/*
	 * Local time of stamps that carry no offset (syslog, dmesg -T):
	 * seconds east of UTC, or FWLOG_TZ_LOCAL (the default).
	 */
	int utc_offset_s;
	/* "Now" for year 0; fwlog_ctx_init() sets time(NULL). */
	time_t now;

	/* Parser state, private. */
	int cur_year, last_mon;
	double last_ts;
	long tz_key;
	long tz_off;
};

struct fwlog_stats {
	uint64_t lines, parsed, skipped;
	uint64_t first_skipped;		/* line number, 0 if none */
	char first_skipped_text[120];	/* printable */
	uint64_t ipv4, ipv6;
	/* Included in the counts above: */
	uint64_t blank;			/* empty lines: neither parsed nor skipped */
	uint64_t too_long;		/* skipped: longer than FWLOG_MAX_LINE */
	uint64_t untimed;		/* parsed, no stamp: the previous line's time */
};

void fwlog_ctx_init(struct fwlog_ctx *);

/*
 * One line (no trailing newline needed, NUL not needed, any bytes). true:
 * a netfilter log line of an IPv4 or IPv6 packet, p filled (payload NULL,
 * err PKT_OK, source 0, caplen 0, wirelen = ip_len). false: p is zeroed.
 */
bool fwlog_parse_line(struct fwlog_ctx *, const char *line, size_t len, struct pkt *p);

/*
 * A whole file, "-" for standard input, gzip-compressed or not (detected
 * from the content). Calls cb for each parsed packet. stats (may be NULL)
 * is zeroed first. Returns 0, or -1 with a message in err: "cannot open
 * x.log: No such file or directory"; packets before a read error have been
 * passed to cb.
 */
int fwlog_read(const char *path, struct fwlog_ctx *,
    void (*cb)(void *arg, struct pkt *), void *arg,
    struct fwlog_stats *, char *err, size_t errlen);
/*
 * The same in two steps, so that a file can be opened before privileges
 * are dropped and read after: fwlog_open() gives a descriptor (or -1 with
 * a message), fwlog_read_fd() reads and closes it; name is for messages.
 */
int fwlog_open(const char *path, char *err, size_t errlen);
int fwlog_read_fd(int fd, const char *name, struct fwlog_ctx *,
    void (*cb)(void *arg, struct pkt *), void *arg,
    struct fwlog_stats *, char *err, size_t errlen);

#endif
