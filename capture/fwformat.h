/*
 * Firewall log formats: what one vendor's parser is given and fills.
 *
 * capture/fwlog.c reads a file line by line and offers each line to the
 * formats of fw_formats[] in turn (or to the one --fwlog-format names).
 * A parser answers (enum fwlog_result, capture/fwlog.h) FWR_NO when the
 * line is not of its format, so that the next one is tried; any other answer is final: the line is of that
 * format, and either a record (FWR_OK), a line of the format that carries
 * no traffic (FWR_NOTRAFFIC: a system message) or a line that is broken
 * in a counted way (FWR_CUT, FWR_BADADDR, FWR_BADPORT, FWR_BADFIELD). A
 * broken line is never half-used: the caller drops the whole record.
 *
 * Each family lives in its own file (capture/fwlog_<family>.c) and
 * exports its struct fw_format entries; the table is in capture/fwlog.c.
 * The helpers below are the only way a parser reads a line: every read
 * is bounded by the line's end, nothing needs a NUL, and no number is
 * trusted to fit.
 */
#ifndef NS_FWFORMAT_H
#define NS_FWFORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/fwlog.h"

/* One line as the parsers see it. */
struct fw_line {
	struct fwlog_ctx *ctx;
	const char *s, *end;	/* the whole line, no newline */
	/*
	 * The stamp of a syslog header at the start of the line (RFC 3164,
	 * RFC 5424, RFC 3339 with or without <pri>), in the ctx's zone
	 * rules when it has no offset: fw_header_time() works it out once,
	 * on first use. A format whose records carry their own time uses
	 * that instead.
	 */
	bool hdr_done, hdr_has_ts;
	double hdr_ts;
};

/* A bounded piece of a line. */
struct fw_span {
	const char *p;
	size_t n;
};

struct fw_format {
	const char *name;	/* --fwlog-format NAME and the report: "cisco-asa" */
	const char *vendor;	/* "Cisco ASA and Firepower (FTD)" */
	enum fwlog_result (*parse)(struct fw_line *, struct fwlog_rec *);
};

/* ---- the formats (one file each family) ---- */
extern const struct fw_format fw_netfilter;	/* capture/fwlog.c */
extern const struct fw_format fw_cef, fw_leef;	/* capture/fwlog_cef.c */
extern const struct fw_format fw_pfsense;	/* capture/fwlog_pf.c */
extern const struct fw_format fw_windows;	/* capture/fwlog_windows.c */
extern const struct fw_format fw_mikrotik;	/* capture/fwlog_mikrotik.c */
extern const struct fw_format fw_checkpoint;	/* capture/fwlog_checkpoint.c */
extern const struct fw_format fw_fortigate;	/* capture/fwlog_fortigate.c */
extern const struct fw_format fw_sonicwall;	/* capture/fwlog_sonicwall.c */
extern const struct fw_format fw_sophos_utm, fw_sophos_xg;	/* capture/fwlog_sophos.c */
extern const struct fw_format fw_panos;	/* capture/fwlog_panos.c */
extern const struct fw_format fw_junos_srx;	/* capture/fwlog_junos.c */
extern const struct fw_format fw_cisco_asa, fw_cisco_ios, fw_cisco_meraki;	/* capture/fwlog_cisco.c, fwlog_meraki.c */

/* ---- helpers for the parsers (capture/fwfield.c) ---- */

/* The header stamp (see struct fw_line). */
bool fw_header_time(struct fw_line *, double *ts);

/* First occurrence of the NUL-terminated needle in [s, end), or NULL. */
const char *fw_find(const char *s, const char *end, const char *needle);
/* Whether span equals the literal, exactly or ignoring ASCII case. */
bool fw_eq(struct fw_span, const char *lit);
bool fw_ieq(struct fw_span, const char *lit);

/*
 * key=value pairs (FortiGate, SonicWall, Sophos, Meraki, Check Point,
 * Juniper's structured data) and "Key: value" lists (FTD). A key starts a
 * token: at s, or after a space, tab, ',', ';', '|', '[' or '{', and never
 * inside a double-quoted value. Its value is the "double-quoted" text
 * without the quotes (backslash escapes left in place: fw_unescape undoes
 * them), otherwise up to the next space; with sep ':', an unquoted value
 * runs to the next ", " or ';' (FTD values hold spaces).
 *
 * fw_kv looks up one key by scanning the line; a parser that needs more
 * than two or three keys splits the line once with fw_kv_split and looks
 * them up in the pairs with fw_kv_get (a FortiGate line has 40 pairs; 15
 * scans of it per line would be the slow part of a million-line log).
 */
struct fw_pair {
	struct fw_span key, val;
	bool quoted;
};

bool fw_kv(const char *s, const char *end, const char *key, char sep, struct fw_span *v);
/* All pairs of [s, end), at most max; returns how many. */
int fw_kv_split(const char *s, const char *end, char sep, struct fw_pair *pairs, int max);
/* The value of key among the pairs (the first if several), or false. */
bool fw_kv_get(const struct fw_pair *pairs, int n, const char *key, struct fw_span *v);
/*
 * Many keys in one pass: the first value of each of the nk (at most 63)
 * keys, v[i] for keys[i]. Returns bit i set when keys[i] was found, and
 * FW_KV_CUT when the last value is a quote that runs to the end (a line
 * cut short); *quoted (may be NULL) has bit i set for a quoted value.
 */
struct fw_key {
	const char *s;
	size_t n;
};
#define FW_KEY(lit) { lit, sizeof(lit) - 1 }
#define FW_KV_CUT (1ull << 63)
uint64_t fw_kv_table(const char *s, const char *end, char sep, const struct fw_key *keys,
    int nk, struct fw_span *v, uint64_t *quoted);

/*
 * A key to a slot number, for formats with many keys: fw_kslot_find
 * looks key up by binary search in t, sorted by length, then bytes;
 * 0 when absent (slot 0 is "none").
 */
struct fw_kslot {
	const char *name;
	uint8_t len;
	uint8_t slot;
};
#define FW_KSLOT(lit, slot) { lit, sizeof(lit) - 1, slot }
int fw_kslot_find(const struct fw_kslot *t, size_t n, struct fw_span key);

/* A quoted value with \" \\ \n \t undone, NUL-terminated, cut to cap-1. */
size_t fw_unescape(char *dst, size_t cap, struct fw_span v);

/*
 * Split [s, end) on delim into at most max fields; a field that starts
 * with '"' runs to the closing quote ("" inside is one quote). Returns
 * the number of fields (a line with more than max: max, the last holding
 * the rest). Field spans exclude the quotes.
 */
int fw_split(const char *s, const char *end, char delim, struct fw_span *f, int max);

/* Values. Each returns FWR_OK or the FWR_BAD* it is, and leaves *out alone on failure. */
enum fwlog_result fw_addr(struct fw_span, struct ns_addr *out);
enum fwlog_result fw_port(struct fw_span, uint16_t *out);
/*
 * "a.b.c.d", "a.b.c.d:port", "a.b.c.d/port", "v6", "[v6]", "[v6]:port":
 * the address and, when one follows, the port.
 */
enum fwlog_result fw_addr_port(struct fw_span, struct ns_addr *a, bool *has_port, uint16_t *port);
/* An unsigned decimal, at most max. */
bool fw_uint(struct fw_span, uint64_t max, uint64_t *out);
/* "tcp", "UDP", "icmp", "ICMPv6", "6", "17", ...: 255 when unknown. */
uint8_t fw_proto(struct fw_span);
/*
 * "allow", "accept", "pass", "permit", "built", "deny", "drop", "block",
 * "reject", "reset-both", ... (any case): FWA_NONE for an empty span,
 * FWA_OTHER for a word it does not know.
 */
enum fwlog_action fw_action(struct fw_span);
/* Copy as printable text into a fixed field of fwlog_rec (always NUL-terminated). */
void fw_text(char *dst, size_t cap, struct fw_span);

/*
 * Times. A civil date and time in UTC offset off_s east (when has_off)
 * or in the ctx's zone rules (--fwlog-tz, else the process's TZ).
 * fw_time_iso reads "2026-11-24T05:01:02[.frac][Z|+hh:mm|+hhmm]", also
 * with a space or '-' for 'T' and '/' or ':' for '-' (PAN-OS
 * "2026/11/24 05:01:02", Sophos "2026:11:24-05:01:02").
 */
double fw_time_civil(struct fwlog_ctx *, int y, int mo, int d, int h, int mi, int s,
    double frac, bool has_off, long off_s);
bool fw_time_iso(struct fwlog_ctx *, struct fw_span, double *ts);
/* "+0100", "-05:00", "Z", "UTC": seconds east. */
bool fw_tz_offset(struct fw_span, long *off_s);

/* Fill the addresses of r from two parsed addresses, checking the family. */
enum fwlog_result fw_set_addrs(struct fwlog_rec *, const struct ns_addr *src, const struct ns_addr *dst);

#endif
