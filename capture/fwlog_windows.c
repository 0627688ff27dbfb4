/*
 * Windows Defender Firewall's log, pfirewall.log (Microsoft, "Configure
 * Windows Firewall logging"): a W3C extended log whose "#Fields:" header
 * names the columns, by default
 *
 *   #Version: 1.5
 *   #Software: Microsoft Windows Firewall
 *   #Time Format: Local
 *   #Fields: date time action protocol src-ip dst-ip src-port dst-port size
 *            tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path [pid]
 *   2026-11-24 05:01:02 DROP UDP 203.0.113.10 192.0.2.5 123 40123 76 - - - - - - - RECEIVE
 *
 * space-separated, '-' for an empty field, the time in the machine's local
 * zone (--fwlog-tz). The header's order is kept in the ctx for the lines
 * that follow; without a header, the default order. A line with fewer
 * columns than the header names up to "path" is cut short.
 *
 * ALLOW is logged once per allowed connection (Windows logs "successful
 * connections", not packets), so it is a connection start; DROP is a
 * packet. Windows XP's Internet Connection Firewall wrote OPEN and
 * OPEN-INBOUND (a connection allowed out / in) and CLOSE (its end).
 */
#include "config.h"

#include <string.h>

#include "common/util.h"
#include "capture/fwformat.h"

enum col {
	C_DATE, C_TIME, C_ACTION, C_PROTO, C_SRC, C_DST, C_SPT, C_DPT, C_SIZE, C_FLAGS,
	C_SYN, C_ACK, C_WIN, C_ICMPTYPE, C_ICMPCODE, C_INFO, C_PATH, C_PID, C__COUNT
};

static const char *const col_names[C__COUNT] = {
	"date", "time", "action", "protocol", "src-ip", "dst-ip", "src-port", "dst-port",
	"size", "tcpflags", "tcpsyn", "tcpack", "tcpwin", "icmptype", "icmpcode", "info",
	"path", "pid",
};

#define W3C_MAX 32

/* "#Fields: a b c": the position of each known column, -1 for absent. */
static void
read_fields(struct fwlog_ctx *ctx, const char *p, const char *end)
{
	struct fw_span f[W3C_MAX];
	int n;

	while (p < end && *p == ' ')
		p++;
	n = fw_split(p, end, ' ', f, W3C_MAX);
	for (int c = 0; c < C__COUNT; c++)
		ctx->w3c_col[c] = -1;
	for (int i = 0; i < n; i++)
		for (int c = 0; c < C__COUNT; c++)
			if (fw_eq(f[i], col_names[c]))
				ctx->w3c_col[c] = (int8_t)i;
	ctx->w3c_n = n;
}

static int
col_of(const struct fwlog_ctx *ctx, enum col c)
{
	return ctx->w3c_n > 0 ? ctx->w3c_col[c] : (int)c;
}

static bool
field(const struct fwlog_ctx *ctx, const struct fw_span *f, int n, enum col c,
    struct fw_span *v)
{
	int i = col_of(ctx, c);

	if (i < 0 || i >= n || fw_eq(f[i], "-"))
		return false;
	*v = f[i];
	return true;
}

/* How many columns a data line must have: up to "path", the last one filled in. */
static int
cols_needed(const struct fwlog_ctx *ctx)
{
	int path = col_of(ctx, C_PATH);

	if (ctx->w3c_n > 0 && path < 0)
		return ctx->w3c_n;
	return path + 1;
}

static bool
digits(struct fw_span v, size_t at, size_t len, int *out)
{
	uint64_t u;

	if (at + len > v.n || !fw_uint((struct fw_span){ v.p + at, len }, 9999, &u))
		return false;
	*out = (int)u;
	return true;
}

static enum fwlog_result
win_parse(struct fw_line *l, struct fwlog_rec *r)
{
	struct fwlog_ctx *ctx = l->ctx;
	struct fw_span f[W3C_MAX], v, d, t;
	struct ns_addr src, dst;
	enum fwlog_result res;
	uint64_t u;
	int n, y, mo, dd, h, mi, s;

	if (l->end - l->s >= 1 && l->s[0] == '#') {
		static const char *const heads[] = {
			"#Version:", "#Software: Microsoft Windows Firewall", "#Time Format:",
			"#Fields:",
		};

		for (size_t i = 0; i < NS_ARRAY_LEN(heads); i++) {
			size_t hn = strlen(heads[i]);

			if ((size_t)(l->end - l->s) >= hn && memcmp(l->s, heads[i], hn) == 0) {
				if (i == 3)
					read_fields(ctx, l->s + hn, l->end);
				return FWR_NOTRAFFIC;
			}
		}
		return FWR_NO;
	}
	/* a data line starts with its date: cheap to refuse anything else */
	if (l->end - l->s < 20 || l->s[4] != '-' || l->s[7] != '-' || l->s[10] != ' ')
		return FWR_NO;
	n = fw_split(l->s, l->end, ' ', f, W3C_MAX);
	if (!field(ctx, f, n, C_ACTION, &v))
		return FWR_NO;
	if (fw_eq(v, "INFO-EVENTS-LOST"))
		return FWR_NOTRAFFIC;
	if (fw_eq(v, "DROP")) {
		r->action = FWA_DENY;
		r->event = FWE_PACKET;
	} else if (fw_eq(v, "ALLOW") || fw_eq(v, "OPEN") || fw_eq(v, "OPEN-INBOUND")) {
		r->action = FWA_ALLOW;
		r->event = FWE_CONN_START;
		if (fw_eq(v, "OPEN-INBOUND"))
			r->dir = FWD_IN;
	} else if (fw_eq(v, "CLOSE")) {
		r->action = FWA_ALLOW;
		r->event = FWE_CONN_END;
	} else
		return FWR_NO;
	if (n < cols_needed(ctx))
		return FWR_CUT;
	if (!field(ctx, f, n, C_DATE, &d) || !field(ctx, f, n, C_TIME, &t))
		return FWR_CUT;
	if (d.n != 10 || t.n < 8 || !digits(d, 0, 4, &y) || !digits(d, 5, 2, &mo) ||
	    !digits(d, 8, 2, &dd) || !digits(t, 0, 2, &h) || !digits(t, 3, 2, &mi) ||
	    !digits(t, 6, 2, &s) || (r->p.ts = fw_time_civil(ctx, y, mo, dd, h, mi, s, 0,
	    false, 0)) < 0)
		return FWR_BADFIELD;
	r->has_ts = true;
	if (!field(ctx, f, n, C_PROTO, &v) || !field(ctx, f, n, C_SRC, &d) ||
	    !field(ctx, f, n, C_DST, &t))
		return FWR_CUT;
	r->p.proto = fw_proto(v);
	if ((res = fw_addr(d, &src)) != FWR_OK || (res = fw_addr(t, &dst)) != FWR_OK ||
	    (res = fw_set_addrs(r, &src, &dst)) != FWR_OK)
		return res;
	if (field(ctx, f, n, C_SPT, &v)) {
		if ((res = fw_port(v, &r->p.sport)) != FWR_OK)
			return res;
		r->has_sport = true;
	}
	if (field(ctx, f, n, C_DPT, &v)) {
		if ((res = fw_port(v, &r->p.dport)) != FWR_OK)
			return res;
		r->has_dport = true;
	}
	if (field(ctx, f, n, C_SIZE, &v)) {
		if (!fw_uint(v, 65535 + 40, &u))
			return FWR_BADFIELD;
		r->p.ip_len = (uint32_t)u;
	}
	if (r->p.proto == 6 && field(ctx, f, n, C_FLAGS, &v)) {
		for (size_t i = 0; i < v.n; i++)
			switch (v.p[i]) {
			case 'F': r->p.tcp_flags |= TCP_FIN; break;
			case 'S': r->p.tcp_flags |= TCP_SYN; break;
			case 'R': r->p.tcp_flags |= TCP_RST; break;
			case 'P': r->p.tcp_flags |= TCP_PSH; break;
			case 'A': r->p.tcp_flags |= TCP_ACK; break;
			case 'U': r->p.tcp_flags |= TCP_URG; break;
			default: break;
			}
		r->has_tcp_flags = true;
	}
	if ((r->p.proto == 1 || r->p.proto == 58) && field(ctx, f, n, C_ICMPTYPE, &v)) {
		if (!fw_uint(v, 255, &u))
			return FWR_BADFIELD;
		r->p.icmp_type = (uint8_t)u;
		r->has_icmp_type = true;
		if (field(ctx, f, n, C_ICMPCODE, &v) && fw_uint(v, 255, &u))
			r->p.icmp_code = (uint8_t)u;
	}
	if (field(ctx, f, n, C_PATH, &v)) {
		if (fw_eq(v, "RECEIVE"))
			r->dir = FWD_IN;
		else if (fw_eq(v, "SEND"))
			r->dir = FWD_OUT;
	}
	return FWR_OK;
}

const struct fw_format fw_windows = {
	.name = "windows",
	.vendor = "Windows Defender Firewall (pfirewall.log)",
	.parse = win_parse,
};
