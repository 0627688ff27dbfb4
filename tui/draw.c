/*
 * Drawing primitives: glyphs (UTF-8 or ASCII), colours (or none), text
 * clipped to a number of screen columns, sparklines and bars, the status
 * bar and the help.
 */
#include "config.h"

#include <inttypes.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "common/util.h"
#include "tui/screen.h"

static const struct tui_glyphs glyphs_utf8 = {
	.hline = "\u2500",
	.spark = { " ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586",
	    "\u2587", "\u2588" },
	.bar = "\u2588",
	.half = "\u258c",
	.more = "\u2026",
	.up = "\u25b2",
	.down = "\u25bc",
	.play = "\u25b6",
	.pause = "\u2016",
	.ours = "\u2192",
	.theirs = "\u2190",
	.late = "!",
	.burst = "\u2588",
	.burst_ours = "\u2592",
	.arrow_in = "\u2190",
	.arrow_out = "\u2192",
	.dot = "\u00b7",
};

static const struct tui_glyphs glyphs_ascii = {
	.hline = "-",
	.spark = { " ", ".", ":", "-", "=", "+", "*", "#", "@" },
	.bar = "#",
	.half = "",
	.more = "+",
	.up = "^",
	.down = "v",
	.play = ">",
	.pause = "||",
	.ours = ">",
	.theirs = "<",
	.late = "!",
	.burst = "#",
	.burst_ours = "=",
	.arrow_in = "<-",
	.arrow_out = "->",
	.dot = ".",
};

void
tui_draw_init(struct tui *t)
{
	const char *cs = nl_langinfo(CODESET), *nc = getenv("NO_COLOR");

	t->utf8 = cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
	t->g = t->utf8 ? &glyphs_utf8 : &glyphs_ascii;
	/* no-color.org: set and not empty. */
	t->color = !t->o->no_color && (nc == NULL || *nc == '\0') && has_colors();
	if (t->color) {
		start_color();
		use_default_colors();
		init_pair(CP_OK, COLOR_GREEN, -1);
		init_pair(CP_NOTE, COLOR_YELLOW, -1);
		init_pair(CP_BAD, COLOR_RED, -1);
		init_pair(CP_TITLE, COLOR_BLACK, COLOR_CYAN);
		init_pair(CP_DIM, COLOR_BLUE, -1);
		init_pair(CP_IN, COLOR_MAGENTA, -1);
		init_pair(CP_OUT, COLOR_CYAN, -1);
		init_pair(CP_SEL, COLOR_BLACK, COLOR_WHITE);
	}
}

attr_t
tui_attr(const struct tui *t, enum tui_pair p)
{
	if (t->color) {
		switch (p) {
		case CP_NONE:
			return A_NORMAL;
		case CP_BAD:
			return COLOR_PAIR(p) | A_BOLD;
		case CP_SEL:
			return A_REVERSE;
		default:
			return COLOR_PAIR(p);
		}
	}
	switch (p) {
	case CP_TITLE:
	case CP_SEL:
		return A_REVERSE;
	case CP_BAD:
		return A_BOLD;
	default:
		return A_NORMAL;
	}
}

attr_t
tui_sev_attr(const struct tui *t, int severity)
{
	return tui_attr(t, severity >= 2 ? CP_BAD : severity == 1 ? CP_NOTE : CP_OK);
}

/*
 * Draw s at (y, x) in at most w screen columns. Multibyte characters are
 * measured with wcwidth(); anything that does not decode in the current
 * locale is drawn as '?'. Returns the columns used.
 */
int
tui_put(int y, int x, int w, attr_t a, const char *s)
{
	mbstate_t st;
	int used = 0;

	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	memset(&st, 0, sizeof(st));
	move(y, x);
	attrset(a);
	while (*s != '\0' && used < w) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
		int cw;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			addch('?');
			used++;
			s++;
			continue;
		}
		cw = wcwidth(wc);
		if (cw < 0) {
			addch('?');
			used++;
			s += n;
			continue;
		}
		if (used + cw > w)
			break;
		addnstr(s, (int)n);
		used += cw;
		s += n;
	}
	attrset(A_NORMAL);
	return used;
}

int
tui_putf(int y, int x, int w, attr_t a, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return tui_put(y, x, w, a, buf);
}

/* Screen columns of a string made by tui_clean() or by us. */
int
tui_width(const char *s)
{
	mbstate_t st;
	int w = 0;

	memset(&st, 0, sizeof(st));
	while (*s != '\0') {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
		int cw;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			n = 1;
			cw = 1;
		} else {
			cw = wcwidth(wc);
			if (cw < 0)
				cw = 1;
		}
		w += cw;
		s += n;
	}
	return w;
}

/*
 * Network text made printable (no control characters, no escapes), and
 * in a locale that is not UTF-8, plain ASCII.
 */
void
tui_clean(const struct tui *t, char *dst, size_t len, const char *src)
{
	ns_printable(dst, len, src, strlen(src));
	if (!t->utf8)
		for (char *p = dst; *p; p++)
			if ((unsigned char)*p >= 0x80)
				*p = '?';
}

void
tui_hline(const struct tui *t, int y, int x, int w, attr_t a)
{
	for (int i = 0; i < w; i++)
		tui_put(y, x + i, 1, a, t->g->hline);
}

/* n values as a sparkline; scale is the value drawn as a full block. */
void
tui_spark(const struct tui *t, char *dst, size_t len, const uint32_t *v, int n,
    uint32_t scale)
{
	size_t o = 0;

	dst[0] = '\0';
	for (int i = 0; i < n; i++) {
		int lvl = 0;
		const char *gl;
		size_t gn;

		if (v[i] > 0 && scale > 0) {
			lvl = 1 + (int)((double)v[i] * 7 / scale + 0.5);
			if (lvl > 8)
				lvl = 8;
		}
		gl = t->g->spark[lvl];
		gn = strlen(gl);
		if (o + gn + 1 > len)
			break;
		memcpy(dst + o, gl, gn);
		o += gn;
		dst[o] = '\0';
	}
}

void
tui_bar(const struct tui *t, char *dst, size_t len, double frac, int width)
{
	int full, i;
	size_t o = 0;

	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	full = (int)(frac * width + 0.5);
	if (full == 0 && frac > 0)
		full = 1;
	dst[0] = '\0';
	for (i = 0; i < full; i++) {
		size_t gn = strlen(t->g->bar);

		if (o + gn + 1 > len)
			break;
		memcpy(dst + o, t->g->bar, gn);
		o += gn;
		dst[o] = '\0';
	}
}

const char *
tui_age(char *buf, size_t len, double s)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(buf, len, "%.0fs", s);
	else if (s < 3600)
		snprintf(buf, len, "%.0fm", s / 60);
	else if (s < 86400 * 2)
		snprintf(buf, len, "%.0fh", s / 3600);
	else
		snprintf(buf, len, "%.0fd", s / 86400);
	return buf;
}

/* Capture times are shown in UTC, as the report writes them. */
const char *
tui_clock(char *buf, size_t len, double ts)
{
	time_t tt = (time_t)ts;
	struct tm tm;

	if (ts <= 0 || gmtime_r(&tt, &tm) == NULL)
		snprintf(buf, len, "--:--:--");
	else
		snprintf(buf, len, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
	return buf;
}

void
tui_message(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
	t->msg_until = ns_now_mono() + 4;
	t->dirty = true;
}

static const char *
base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s != NULL && s[1] != '\0' ? s + 1 : p;
}

static void
seg(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
seg(char *buf, size_t len, const char *fmt, ...)
{
	size_t o = strlen(buf);
	va_list ap;

	if (o > 0 && o + 3 < len) {
		memcpy(buf + o, "  ", 3);
		o += 2;
	}
	va_start(ap, fmt);
	vsnprintf(buf + o, len - o, fmt, ap);
	va_end(ap);
}

/* "4:05", "1:02:03": time into the capture, time since start. */
static const char *
offset_text(char *buf, size_t len, double s)
{
	long v = s > 0 ? (long)s : 0;

	if (v >= 3600)
		snprintf(buf, len, "%ld:%02ld:%02ld", v / 3600, v / 60 % 60, v % 60);
	else
		snprintf(buf, len, "%ld:%02ld", v / 60, v % 60);
	return buf;
}

static const char *
speed_text(char *buf, size_t len, double speed)
{
	if (speed <= 0)
		snprintf(buf, len, "max");
	else if (speed >= 1)
		snprintf(buf, len, "x%g", speed);
	else
		snprintf(buf, len, "x1/%g", 1 / speed);
	return buf;
}

/*
 * One line: replay state, sources, position, packets per second, drops,
 * filter, elapsed time. The least useful parts are the ones cut.
 */
void
tui_status(struct tui *t, int y)
{
	char line[512] = "", a[64], b[64], name[64];
	uint64_t kdrops = 0, rdrops = 0;
	double now = ns_now_mono();
	int n = session_nsources(t->ses), i;

	for (i = 0; i < n; i++) {
		struct cap_source_stats st;

		session_source_stats(t->ses, i, &st);
		kdrops += st.kernel_drops + st.if_drops;
		rdrops += st.ring_drops;
	}
	if (t->file) {
		if (t->finished)
			seg(line, sizeof(line), "end");
		else
			seg(line, sizeof(line), "%s %s", t->pace.paused ? t->g->pause : t->g->play,
			    speed_text(a, sizeof(a), t->pace.speed));
		tui_clean(t, name, sizeof(name), base_name(session_source_name(t->ses, 0)));
		if (t->pumped > 0)
			seg(line, sizeof(line), "%.24s %s +%s", name, tui_clock(a, sizeof(a), t->last_ts),
			    offset_text(b, sizeof(b), t->last_ts - t->first_ts));
		else
			seg(line, sizeof(line), "%.24s", name);
		if (t->total_frames > 0)
			seg(line, sizeof(line), "%" PRIu64 "/%" PRIu64 " %.0f%%", t->pumped,
			    t->total_frames, 100.0 * (double)t->pumped / (double)t->total_frames);
		else
			seg(line, sizeof(line), "%" PRIu64 " pkts", t->pumped);
	} else {
		char srcs[128] = "";

		for (i = 0; i < n; i++) {
			char one[40];

			tui_clean(t, one, sizeof(one), session_source_name(t->ses, i));
			snprintf(srcs + strlen(srcs), sizeof(srcs) - strlen(srcs), "%s%s",
			    i ? "," : "", one);
		}
		seg(line, sizeof(line), "%s %s %.40s", t->frozen_display ? t->g->pause : t->g->play,
		    session_is_log(t->ses) ? "following" : "live", srcs);
	}
	{
		struct session_flow_brief fb;

		/* Flows: the vantage points heard, and what did not arrive. */
		if (session_flow_brief(t->ses, &fb))
			seg(line, sizeof(line), "%u exporter%s %s rec lost %" PRIu64 "%s",
			    fb.exporters, fb.exporters == 1 ? "" : "s",
			    ns_fmt_si(a, sizeof(a), (double)fb.records), fb.lost,
			    fb.no_template_sets ? " no-tmpl" : "");
	}
	seg(line, sizeof(line), "drops k%" PRIu64 " r%" PRIu64, kdrops, rdrops);
	seg(line, sizeof(line), "%s pkt/s", ns_fmt_si(a, sizeof(a), t->pps));
	if (t->filter.src[0] != '\0') {
		tui_clean(t, name, sizeof(name), t->filter.src);
		seg(line, sizeof(line), "/%s", name);
	}
	seg(line, sizeof(line), "up %s", offset_text(a, sizeof(a), now - t->wall_start));
	move(y, 0);
	attrset(tui_attr(t, CP_TITLE));
	hline(' ', t->w);
	tui_put(y, 0, t->w, tui_attr(t, CP_TITLE), line);
}

/* What the status bar shows, after the keys. */
static const char *const help_tail[] = {
	"Status bar: replay state, file, capture time +offset, packets, flow",
	"  exporters heard, records and records lost (no-tmpl: data waiting for a",
	"  template), drops in the kernel (k) and the ring (r), packets a second,",
	"  /filter, time running",
};

#define HELP_LINES 64
#define HELP_WIDTH TUI_HELP_WIDTH
#define HELP_BESIDE 49		/* the column of the help's right-hand keys */

/*
 * The help's lines, from the key table: a section's heading flush left;
 * a row's keys at column 2 and what they do at 12 (after a longer label,
 * 3 spaces on), further lines of it at 12 too; a row "beside" the one
 * above at column 49 of that one's last line. Rows without a label are
 * named by the row above. Returns the number of lines.
 */
int
tui_help_lines(char lines[][HELP_WIDTH], int max)
{
	int n = 0;

	for (size_t i = 0; i < tui_n_keys; i++) {
		const struct tui_key *k = &tui_keys[i];
		const char *h = k->help, *nl;

		if (k->section != NULL && n < max)
			snprintf(lines[n++], HELP_WIDTH, "%s", k->section);
		if (k->label == NULL || h == NULL)
			continue;
		if (k->beside && n > 0) {
			char *l = lines[n - 1];
			size_t len = strlen(l);

			snprintf(l + len, HELP_WIDTH - len, "%*s%-3s  %s",
			    len + 2 < HELP_BESIDE ? (int)(HELP_BESIDE - len) : 2, "",
			    k->label, h);
			continue;
		}
		for (bool first = true; n < max; first = false) {
			nl = strchr(h, '\n');
			if (first && strlen(k->label) <= 9)
				snprintf(lines[n], HELP_WIDTH, "  %-9s %.*s", k->label,
				    nl != NULL ? (int)(nl - h) : (int)strlen(h), h);
			else if (first)
				snprintf(lines[n], HELP_WIDTH, "  %s   %.*s", k->label,
				    nl != NULL ? (int)(nl - h) : (int)strlen(h), h);
			else
				snprintf(lines[n], HELP_WIDTH, "%12s%.*s", "",
				    nl != NULL ? (int)(nl - h) : (int)strlen(h), h);
			n++;
			if (nl == NULL)
				break;
			h = nl + 1;
		}
	}
	for (size_t i = 0; i < NS_ARRAY_LEN(help_tail) && n < max; i++)
		snprintf(lines[n++], HELP_WIDTH, "%s", help_tail[i]);
	return n;
}

void
tui_help(struct tui *t)
{
	static char help_lines[HELP_LINES][HELP_WIDTH];
	static int n;
	int bw, bh, x0, y0 = 1, rows, i;

	if (n == 0)
		n = tui_help_lines(help_lines, HELP_LINES);
	bw = NS_MIN(t->w, 80);
	bh = NS_MIN(t->h - 2, n + 2);
	x0 = (t->w - bw) / 2;
	rows = bh - 2;
	if (t->help_scroll > n - rows)
		t->help_scroll = NS_MAX(0, n - rows);
	for (i = 0; i < bh; i++) {
		move(y0 + i, x0);
		attrset(A_NORMAL);
		hline(' ', bw);
	}
	tui_put(y0, x0, bw, tui_attr(t, CP_TITLE), "");
	move(y0, x0);
	attrset(tui_attr(t, CP_TITLE));
	hline(' ', bw);
	tui_putf(y0, x0 + 1, bw - 2, tui_attr(t, CP_TITLE), "Keys%s",
	    n > rows ? " (Up/Down scroll)" : "");
	for (i = 0; i < rows && t->help_scroll + i < n; i++) {
		const char *l = help_lines[t->help_scroll + i];

		tui_put(y0 + 1 + i, x0 + 1, bw - 2,
		    l[0] != ' ' ? A_BOLD : A_NORMAL, l);
	}
	move(y0 + bh - 1, x0);
	attrset(tui_attr(t, CP_TITLE));
	hline(' ', bw);
	attrset(A_NORMAL);
}

