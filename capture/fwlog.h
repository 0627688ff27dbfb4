/*
 * Linux netfilter firewall logs (iptables -j LOG, nftables "log") read as
 * packets: one struct pkt per logged packet, without payload. The lines
 * may come from classic or RFC 3339 syslog files, journalctl, dmesg or
 * /dev/kmsg; doc/fwlog.md lists the formats and what each field becomes.
 */
#ifndef NS_FWLOG_H
#define NS_FWLOG_H

#include <limits.h>
#include <signal.h>
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
	/* The one format to read (--fwlog-format), or -1: each line's own. */
	int format;

	/* Parser state, private. */
	int last_format;		/* tried first: files are mostly of one */
	/* Windows Firewall: the columns of the last "#Fields:" header. */
	int8_t w3c_col[32];
	int w3c_n;
	int cur_year, last_mon;
	double last_ts;
	long tz_key;
	long tz_off;
};

/* What a line said was done with the traffic. */
enum fwlog_action {
	FWA_NONE = 0,		/* the line does not say */
	FWA_ALLOW,		/* allow, accept, pass, permit, built */
	FWA_DENY,		/* deny, drop, block, reject without a reset */
	FWA_RESET,		/* rejected with a TCP reset or ICMP error */
	FWA_OTHER,		/* detected, alert, monitor, ... */
};

/* What a line stands for. */
enum fwlog_event {
	FWE_PACKET = 0,		/* one logged packet, or `count` of them */
	FWE_CONN_START,		/* a connection was built: src is its initiator */
	FWE_CONN_END,		/* a connection ended: src is its initiator */
};

enum fwlog_dir {
	FWD_UNKNOWN = 0,
	FWD_IN,			/* the firewall says inbound */
	FWD_OUT,
};

/*
 * One record, whatever the vendor. p holds what the analysis takes (time,
 * addresses, protocol, ports, TCP flags, ICMP type, IP length); the rest
 * is what the log says about it.
 */
struct fwlog_rec {
	struct pkt p;
	bool has_ts;			/* the line gave a time */
	/* The log named the port (ICMP lines of some vendors carry ids). */
	bool has_sport, has_dport;
	/*
	 * The log gave the TCP flags (0 then means none: a NULL scan) and
	 * the ICMP type (0 then means echo reply). Without, a TCP packet
	 * line is taken as a SYN (a stateful firewall's denies are mostly
	 * new connections) and an ICMP one as of type 255, neither request
	 * nor reply.
	 */
	bool has_tcp_flags, has_icmp_type;
	enum fwlog_action action;
	enum fwlog_event event;
	enum fwlog_dir dir;
	char in_if[40], out_if[40];	/* interfaces or zones, as written */
	char rule[72];			/* rule name or id, as written */
	char prefix[64];		/* netfilter/NFLOG: the rule's log prefix */
	/* Packets this line summarises ("hit-cnt 5", "3 packets"): >= 1. */
	uint32_t count;
	double count_span;		/* seconds the count covers, ending at ts */
	/*
	 * A connection's totals, initiator to responder (fwd) and back
	 * (rev); bytes_total when the log gives only the sum. 0: not said.
	 */
	uint64_t pkts_fwd, pkts_rev, bytes_fwd, bytes_rev, bytes_total;
	double duration;		/* seconds; 0: not said */
	int format;			/* index in fwlog_format_name() */
};

/* Why a line gave no record (and FWR_OK / FWR_NO for the parsers). */
enum fwlog_result {
	FWR_NO = 0,		/* no known format: "not a firewall line" */
	FWR_OK,
	FWR_NOTRAFFIC,		/* a known format's line without traffic */
	FWR_CUT,		/* cut short */
	FWR_BADADDR,		/* an address that does not parse */
	FWR_BADPORT,		/* a port that is not a number up to 65535 */
	FWR_BADFIELD,		/* another field that does not parse */
	FWR_TOOLONG,		/* longer than FWLOG_MAX_LINE */
	FWR__COUNT
};

/* "bad port"; and a key for JSON, "bad_port". */
const char *fwlog_result_name(enum fwlog_result);
const char *fwlog_result_key(enum fwlog_result);
const char *fwlog_action_name(enum fwlog_action);

#define FWLOG_MAX_FORMATS 32
#define FWLOG_QUOTES 3

/* The formats known, in the order they are tried; NULL past the last. */
const char *fwlog_format_name(int i);
const char *fwlog_format_vendor(int i);
/* Index of a format by name, or -1. */
int fwlog_format_find(const char *name);
/* "netfilter, pfsense, ...": every format's name. */
const char *fwlog_format_list(void);

struct fwlog_stats {
	uint64_t lines, parsed, skipped;
	uint64_t first_skipped;		/* line number, 0 if none */
	char first_skipped_text[120];	/* printable */
	uint64_t ipv4, ipv6;
	/* Included in the counts above: */
	uint64_t blank;			/* empty lines: neither parsed nor skipped */
	uint64_t too_long;		/* skipped: longer than FWLOG_MAX_LINE */
	uint64_t untimed;		/* parsed, no stamp: the previous line's time */
	/* Lines of each format: records, and lines without traffic. */
	uint64_t format_records[FWLOG_MAX_FORMATS];
	uint64_t format_notraffic[FWLOG_MAX_FORMATS];
	/* Skipped lines by reason (FWR_NO: no known format). */
	uint64_t reason[FWR__COUNT];
	/* The first few skipped lines of a known format, or of none. */
	struct {
		uint64_t line;
		enum fwlog_result reason;
		int format;		/* -1: none */
		char text[120];		/* printable */
	} quote[FWLOG_QUOTES];
	int n_quotes;
	/* Packets made from summaries and connections, and those left out at the cap. */
	uint64_t packets_made, packets_capped;
};

void fwlog_ctx_init(struct fwlog_ctx *);

/*
 * One line (no trailing newline needed, NUL not needed, any bytes), of
 * whichever known format it is: FWR_OK with r filled (r->p: payload NULL,
 * err PKT_OK, source 0, caplen 0, wirelen = ip_len), or why not, r zeroed
 * (r->format says which format the line was of, -1 for none).
 */
enum fwlog_result fwlog_parse(struct fwlog_ctx *, const char *line, size_t len,
    struct fwlog_rec *r);
/* The same, for callers that want the packet only. */
bool fwlog_parse_line(struct fwlog_ctx *, const char *line, size_t len, struct pkt *p);

/*
 * The packets a record stands for, in time order: a packet line gives
 * `count` of them spread over count_span; a connection's start gives the
 * initiator's first packet; its end gives the packets of each side it
 * counted (at most FWLOG_CONN_EXPAND a side, the bytes shared among them).
 * Returns how many were passed to cb; *capped counts those left out.
 */
#define FWLOG_MAX_EXPAND 4096
#define FWLOG_CONN_EXPAND 8
uint64_t fwlog_expand(const struct fwlog_rec *, void (*cb)(void *arg, struct pkt *),
    void *arg, uint64_t *capped);

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

/*
 * How fwlog_read_follow() goes on: with a path, past the end of the file
 * as it grows, and across its rotation (the path names another file:
 * opened again by name) or truncation (read again from 0), as tail -F
 * does, polling every poll_ms (250 if 0); without, to the end. Either way
 * it returns when *stop is set. progress (may be NULL) is given the
 * stats after each read and at the end; warn, a message the user can act
 * on ("cannot open x again after its rotation: ...").
 */
struct fwlog_follow {
	const char *path;
	const _Atomic bool *stop;
	unsigned poll_ms;
	void (*progress)(void *arg, const struct fwlog_stats *);
	void (*warn)(void *arg, const char *msg);
	void *arg;
};

/* fwlog_read_fd() with fo (may be NULL); a followed file is not gzip. */
int fwlog_read_follow(int fd, const char *name, struct fwlog_ctx *,
    void (*cb)(void *arg, struct pkt *), void *arg,
    struct fwlog_stats *, const struct fwlog_follow *fo, char *err, size_t errlen);
/* Whether the file behind fd starts as gzip does (false for a pipe). */
bool fwlog_fd_is_gzip(int fd);

#endif
