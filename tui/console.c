/*
 * The ncurses console: the loop, the keys and the replay of a file.
 *
 * The loop never blocks on anything but poll(): the terminal, the
 * capture's wake-up fd and the lookups' fd. Each wake does a bounded
 * amount of analysis (PUMP_BUDGET of CPU time), recomputes verdicts a
 * few times a second, and redraws at most ten times a second, so the
 * keys stay responsive under a flood.
 *
 * A file replays at its recorded pace (tui/pace.c): a packet is analysed
 * when the replay clock reaches its timestamp. While the clock waits, the
 * capture fd is left out of poll(): the file reader keeps signalling while
 * its ring is full, and polling it would spin.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "report/export.h"
#include "common/util.h"
#include "tui/screen.h"

#define PUMP_BUDGET 0.03	/* seconds of analysis per wake */
#define DRAW_EVERY 0.1		/* at most ten redraws a second */
#define UPDATE_MIN 0.5		/* verdicts recomputed at most twice a second */
/*
 * A paced replay decides the local side after this many frames or wall
 * seconds instead of waiting for the analysis's own sample (or the end of
 * the file), so hosts show while the capture plays.
 */
#define EARLY_DECIDE_FRAMES 1000
#define EARLY_DECIDE_SECONDS 5.0

static bool curses_on;

static void
restore_terminal(void)
{
	if (curses_on) {
		endwin();
		curses_on = false;
	}
}

static void
on_lookup(void *arg, const struct ns_addr *a, const struct lk_info *li)
{
	struct tui *t = arg;

	if (li->rdns.status == LK_DONE && li->rdns.name[0] != '\0') {
		char clean[TUI_NAME_LEN];

		tui_clean(t, clean, sizeof(clean), li->rdns.name);
		tui_name_set(t, a, clean);
	}
	t->data_dirty = true;
	t->dirty = true;
}

/* With speed max the clock stands still; put it where the replay is. */
static void
pace_sync(struct tui *t, double now)
{
	if (t->pace.speed <= 0 && t->pumped > 0)
		tui_pace_anchor(&t->pace, t->last_ts, now);
}

static bool
local_decided(const struct tui *t)
{
	return ana_local_reason(t->ana)[0] != '\0';
}

/*
 * Analyse what is due. Returns true if more is due at once (the budget
 * ran out); *wait is how long until the next packet is due (-1: until
 * something happens), *ring_empty whether the capture fd is worth polling.
 */
static bool
pump(struct tui *t, double now, double *wait, bool *ring_empty)
{
	double start = now;
	unsigned n = 0;

	*wait = -1;
	*ring_empty = false;
	for (;;) {
		double ts;

		if ((++n & 63) == 0 && ns_now_mono() - start > PUMP_BUDGET)
			return true;
		if (!session_next_ts(t->ses, &ts)) {
			*ring_empty = true;
			return false;
		}
		if (t->file) {
			double due;

			if (!t->pace.anchored)
				tui_pace_anchor(&t->pace, ts, now);
			due = tui_pace_due_in(&t->pace, ts, now);
			if (due != 0) {
				*wait = due;
				return false;
			}
		}
		if (session_pump(t->ses, 1, 0, 0) != 1)
			return false;
		if (t->pumped++ == 0)
			t->first_ts = ts;
		if (ts > t->last_ts)
			t->last_ts = ts;
		t->pps_n++;
		t->data_dirty = true;
	}
}

static void
update(struct tui *t, double now)
{
	double c0 = ns_now_mono(), cost;

	if (!t->decided && local_decided(t))
		t->decided = true;
	/* A followed log has no interface to say what is local: decide early too. */
	if (!t->decided && ((t->file && t->pace.speed > 0) || session_is_log(t->ses)) &&
	    (t->pumped >= EARLY_DECIDE_FRAMES ||
	     (t->pumped > 0 && now - t->wall_start >= EARLY_DECIDE_SECONDS))) {
		ana_flush(t->ana);
		t->decided = true;
		tui_message(t, "Local side inferred from the first %" PRIu64 " packets (set it with --local).",
		    t->pumped);
	}
	ana_update(t->ana);
	if (!t->frozen_display)
		tui_list_refresh(t);
	if (t->scr == SCR_DETAIL)
		tui_detail_refresh(t);
	cost = ns_now_mono() - c0;
	/* A big table: recompute less often rather than stall the keys. */
	t->update_every = NS_MAX(UPDATE_MIN, cost * 10);
	t->t_update = now;
	t->data_dirty = false;
	t->dirty = true;
}

static void
check_finished(struct tui *t)
{
	int n = session_nsources(t->ses);
	uint64_t total = 0;
	bool all_done = true;

	for (int i = 0; i < n; i++) {
		struct cap_source_stats st;

		session_source_stats(t->ses, i, &st);
		total += st.frames;
		all_done = all_done && st.done;
	}
	if (t->file && all_done)
		t->total_frames = total;
	{
		const char *w = session_warning(t->ses, &t->cap_warned);
		char clean[200];

		if (w != NULL) {
			tui_clean(t, clean, sizeof(clean), w);
			tui_message(t, "%s", clean);
		}
	}
	if (!t->finished && session_finished(t->ses)) {
		t->finished = true;
		if (!t->flushed) {
			ana_flush(t->ana);
			t->flushed = true;
		}
		t->data_dirty = true;
		if (session_error(t->ses) != NULL) {
			char clean[200];

			tui_clean(t, clean, sizeof(clean), session_error(t->ses));
			tui_message(t, "%s", clean);
		} else if (t->file && session_is_log(t->ses)) {
			tui_message(t, "End of the log: %" PRIu64 " packet%s.", t->pumped,
			    t->pumped == 1 ? "" : "s");
		} else if (t->file) {
			tui_message(t, "End of the capture: %" PRIu64 " packet%s.", t->pumped,
			    t->pumped == 1 ? "" : "s");
		} else {
			tui_message(t, "Every capture source has stopped.");
		}
	}
}

static void
hint_line(struct tui *t, int y)
{
	const char *h;

	move(y, 0);
	attrset(A_NORMAL);
	hline(' ', t->w);
	if (t->xprompt) {
		char clean[sizeof(t->xbuf)];
		int x;

		tui_clean(t, clean, sizeof(clean), t->xbuf);
		x = tui_putf(y, 0, t->w, A_BOLD, "export to: ");
		x += tui_put(y, x, t->w - x, A_NORMAL, clean);
		tui_put(y, x, 1, A_REVERSE, " ");
		if (t->msg[0] != '\0' && ns_now_mono() < t->msg_until)
			tui_put(y > 0 ? y - 1 : y, 0, t->w, tui_attr(t, CP_NOTE), t->msg);
		else if (x + 4 < t->w)
			tui_put(y, x + 3, t->w - x - 3, tui_attr(t, CP_DIM),
			    session_is_log(t->ses) ? ".md .json .txt: summary (a log has no packets); Enter, Esc" :
			    ".md .json .txt: summary; .pcapng: packets of the selected host; Enter, Esc");
		return;
	}
	if (t->prompt) {
		char clean[TUI_FILTER_LEN];
		int x;

		tui_clean(t, clean, sizeof(clean), t->pbuf);
		x = tui_putf(y, 0, t->w, A_BOLD, "/ ");
		x += tui_put(y, x, t->w - x, A_NORMAL, clean);
		tui_put(y, x, 1, A_REVERSE, " ");
		if (t->filter.error[0] != '\0' && x + 4 < t->w)
			tui_put(y, x + 3, t->w - x - 3, tui_attr(t, CP_NOTE), t->filter.error);
		else if (x + 4 < t->w)
			tui_put(y, x + 3, t->w - x - 3, tui_attr(t, CP_DIM),
			    "address, CIDR, port N, verdict, attack, call; Enter, Esc");
		return;
	}
	if (t->msg[0] != '\0' && ns_now_mono() < t->msg_until) {
		tui_put(y, 0, t->w, tui_attr(t, CP_NOTE), t->msg);
		return;
	}
	if (t->scr == SCR_LIST && t->n_inc > 0)
		h = "Enter detail  i incidents  / filter  1-9 sort  o freeze  space pause  ? help";
	else if (t->scr == SCR_LIST)
		h = "Enter detail  / filter  1-9 sort  o freeze  space pause  n step  ? help  q quit";
	else if (t->scr == SCR_INCIDENTS)
		h = "Esc back  Up/Down PgUp/PgDn scroll  ? help  q quit";
	else
		h = "Esc back  Up/Down PgUp/PgDn scroll  [ ] prev/next host  ? help  q quit";
	tui_put(y, 0, t->w, tui_attr(t, CP_DIM), h);
}

/*
 * For the benchmark (bench/live.sh): when each frame was drawn, and how
 * far the analysis had got, to show the screen stays responsive under load.
 * "seconds-since-start frames-captured ring-drops packets-analysed hosts".
 */
static void
log_frame(struct tui *t)
{
	uint64_t frames = 0, drops = 0;

	for (int i = 0; i < session_nsources(t->ses); i++) {
		struct cap_source_stats st;

		session_source_stats(t->ses, i, &st);
		frames += st.frames;
		drops += st.ring_drops;
	}
	fprintf(t->frame_log, "%.6f %" PRIu64 " %" PRIu64 " %" PRIu64 " %u\n",
	    t->t_draw - t->wall_start, frames, drops, t->pumped, ana_nhosts(t->ana));
}

static void
draw(struct tui *t)
{
	getmaxyx(stdscr, t->h, t->w);
	erase();
	if (t->h < TUI_MIN_ROWS || t->w < TUI_MIN_COLS) {
		tui_putf(0, 0, t->w, A_BOLD, "ntpsleuth needs %dx%d; this terminal is %dx%d.",
		    TUI_MIN_COLS, TUI_MIN_ROWS, t->w, t->h);
		tui_put(1, 0, t->w, A_NORMAL, "Make it larger, or press q to quit.");
		refresh();
		return;
	}
	if (t->scr == SCR_LIST)
		tui_list_draw(t);
	else if (t->scr == SCR_DETAIL)
		tui_detail_draw(t);
	else
		tui_incidents_draw(t);
	hint_line(t, t->h - 2);
	tui_status(t, t->h - 1);
	if (t->help)
		tui_help(t);
	refresh();
	t->t_draw = ns_now_mono();
	t->dirty = false;
	t->pumped_drawn = t->pumped;
	if (t->frame_log != NULL)
		log_frame(t);
}

/* ---- keys ---- */

static void
step(struct tui *t, bool second)
{
	double now = ns_now_mono(), ts;

	if (!t->file) {
		tui_message(t, "Stepping is for capture files; space freezes a live screen.");
		return;
	}
	pace_sync(t, now);
	if (!t->pace.paused)
		tui_pace_pause(&t->pace, true, now);
	if (!session_next_ts(t->ses, &ts)) {
		tui_message(t, t->finished ? "End of the capture." : "No packet waiting yet.");
		return;
	}
	if (!t->pace.anchored)
		tui_pace_anchor(&t->pace, ts, now);
	/* A second of capture time, after skipping any silence before it. */
	if (second)
		tui_pace_jump(&t->pace, NS_MAX(tui_pace_position(&t->pace, now), ts) + 1, now);
	else
		tui_pace_jump(&t->pace, ts, now);
	t->dirty = true;
}

static void
set_speed(struct tui *t, double speed)
{
	double now = ns_now_mono();
	char buf[32];

	if (!t->file) {
		tui_message(t, "Speed is for capture files.");
		return;
	}
	pace_sync(t, now);
	tui_pace_set_speed(&t->pace, speed, now);
	if (speed <= 0)
		snprintf(buf, sizeof(buf), "as fast as possible");
	else
		snprintf(buf, sizeof(buf), "x%g", speed);
	tui_message(t, "Replay speed %s.", buf);
}

static void
toggle_pause(struct tui *t)
{
	double now = ns_now_mono();

	if (!t->file) {
		t->frozen_display = !t->frozen_display;
		tui_message(t, t->frozen_display ? "Screen frozen; the analysis goes on (space resumes)." :
		    "Screen live again.");
		t->data_dirty = true;
		return;
	}
	pace_sync(t, now);
	tui_pace_pause(&t->pace, !t->pace.paused, now);
	t->dirty = true;
}

static void
open_detail(struct tui *t)
{
	if (!t->has_sel)
		return;
	t->scr = SCR_DETAIL;
	t->dscroll = 0;
	t->dlines = 0;		/* unknown until drawn */
	tui_detail_refresh(t);
	t->dirty = true;
}

/*
 * Export from the console: the summary (by the name's extension) or, for a
 * .pcapng name, an evidence capture of the selected host. An existing file
 * is replaced only after a second Enter; a failure is said on the status
 * line and the session goes on.
 */
static void
export_now(struct tui *t)
{
	struct export_opts x;
	struct stat st;
	char msg[600];
	const char *dot = strrchr(t->xbuf, '.');

	memset(&x, 0, sizeof(x));
	if (t->xlen == 0)
		return;
	if (dot != NULL && strcmp(dot, ".pcapng") == 0 && session_is_log(t->ses)) {
		tui_message(t, "A firewall log has no packets to export: end the name in .md, .json or .txt.");
		return;
	} else if (dot != NULL && strcmp(dot, ".pcapng") == 0) {
		x.evidence_path = t->xbuf;
		if (t->has_sel) {
			x.hosts[0] = t->sel;
			x.n_hosts = 1;
		}
	} else if (export_format_of(t->xbuf, &x.fmt) == 0) {
		x.path = t->xbuf;
	} else {
		tui_message(t, "End the name in .md, .json, .txt or .pcapng.");
		return;
	}
	if (stat(t->xbuf, &st) == 0 && strcmp(t->xconfirm, t->xbuf) != 0) {
		snprintf(t->xconfirm, sizeof(t->xconfirm), "%s", t->xbuf);
		tui_message(t, "%s exists: Enter again to overwrite it, Esc to keep it.", t->xbuf);
		return;
	}
	x.force = strcmp(t->xconfirm, t->xbuf) == 0;
	t->xprompt = false;
	t->xconfirm[0] = '\0';
	if (session_export(t->ses, &x, msg, sizeof(msg)) != 0)
		tui_message(t, "Export failed: %s", msg);
	else
		tui_message(t, "%s", msg);
	t->data_dirty = true;
}

static void
export_key(struct tui *t, int ch)
{
	switch (ch) {
	case 27:
		t->xprompt = false;
		t->xconfirm[0] = '\0';
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
		export_now(t);
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (t->xlen > 0)
			t->xbuf[--t->xlen] = '\0';
		t->xconfirm[0] = '\0';
		break;
	case 21:
		t->xlen = 0;
		t->xbuf[0] = '\0';
		break;
	default:
		if (ch >= 32 && ch < 127 && t->xlen + 1 < sizeof(t->xbuf)) {
			t->xbuf[t->xlen++] = (char)ch;
			t->xbuf[t->xlen] = '\0';
			t->xconfirm[0] = '\0';
		}
		break;
	}
	t->dirty = true;
}

static void
prompt_key(struct tui *t, int ch)
{
	switch (ch) {
	case 27:	/* Esc: back to the filter as it was */
		t->prompt = false;
		t->filter = t->filter_before;
		tui_list_apply_filter(t);
		return;
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (t->filter.error[0] != '\0')
			return;		/* stay: the line says what is wrong */
		t->prompt = false;
		t->dirty = true;
		return;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (t->plen > 0)
			t->pbuf[--t->plen] = '\0';
		break;
	case 21:	/* Ctrl-U */
		t->plen = 0;
		t->pbuf[0] = '\0';
		break;
	default:
		if (ch >= 32 && ch < 127 && t->plen + 1 < sizeof(t->pbuf)) {
			t->pbuf[t->plen++] = (char)ch;
			t->pbuf[t->plen] = '\0';
		} else {
			return;
		}
	}
	/* Filter as it is typed; a text that does not parse keeps the last good one. */
	{
		struct tui_filter f;

		if (tui_filter_parse(&f, t->pbuf) == 0) {
			t->filter = f;
			tui_list_apply_filter(t);
		} else {
			snprintf(t->filter.error, sizeof(t->filter.error), "%s", f.error);
		}
	}
	t->dirty = true;
}

static void
mouse_key(struct tui *t)
{
	MEVENT ev;
	bool open;

	if (getmouse(&ev) != OK)
		return;
	if (t->help) {
		t->help = false;
		t->dirty = true;
		return;
	}
	if (ev.bstate & BUTTON1_PRESSED) {
		if (t->scr == SCR_LIST && tui_list_click(t, ev.y, ev.x, &open) && open)
			open_detail(t);
		t->dirty = true;
	}
	if (ev.bstate & BUTTON4_PRESSED) {
		if (t->scr == SCR_LIST)
			tui_list_move(t, -3);
		else
			tui_detail_scroll(t, -3);
	}
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED) {
		if (t->scr == SCR_LIST)
			tui_list_move(t, 3);
		else
			tui_detail_scroll(t, 3);
	}
#endif
}

/*
 * The keys of the host list and the detail screens, and those of every
 * screen, as one table: handle_key() runs the row that takes a key, and
 * tui_help() (draw.c) draws '?' from the same rows, so that the help
 * cannot drift from what the keys do. The modes that take every key (the
 * two prompts, the help itself) and the mouse come before it.
 */

static void
key_quit(struct tui *t, int ch, int arg)
{
	(void)ch;
	(void)arg;
	t->quit = true;
}

static void
key_help(struct tui *t, int ch, int arg)
{
	(void)ch;
	(void)arg;
	t->help = true;
	t->help_scroll = 0;
}

static void
key_redraw(struct tui *t, int ch, int arg)
{
	(void)t;
	(void)ch;
	(void)arg;
	clearok(curscr, TRUE);
}

static void
key_export(struct tui *t, int ch, int arg)
{
	time_t now = time(NULL);
	struct tm tm;

	(void)ch;
	(void)arg;
	localtime_r(&now, &tm);
	t->xprompt = true;
	t->xconfirm[0] = '\0';
	strftime(t->xbuf, sizeof(t->xbuf), "ntpsleuth-%Y%m%d-%H%M%S.md", &tm);
	t->xlen = strlen(t->xbuf);
}

static void
key_filter(struct tui *t, int ch, int arg)
{
	(void)ch;
	(void)arg;
	t->prompt = true;
	t->filter_before = t->filter;
	snprintf(t->pbuf, sizeof(t->pbuf), "%s", t->filter.src);
	t->plen = strlen(t->pbuf);
	if (t->scr != SCR_LIST)
		t->scr = SCR_LIST;
}

static void
key_clear(struct tui *t, int ch, int arg)
{
	(void)ch;
	(void)arg;
	tui_filter_parse(&t->filter, "");
	tui_list_apply_filter(t);
}

static void
key_pause(struct tui *t, int ch, int arg)
{
	(void)ch;
	(void)arg;
	toggle_pause(t);
}

/* arg: 1 for a second of capture time, 0 for one packet. */
static void
key_step(struct tui *t, int ch, int arg)
{
	(void)ch;
	step(t, arg != 0);
}

/* arg: 1 faster, -1 slower. */
static void
key_speed(struct tui *t, int ch, int arg)
{
	(void)ch;
	set_speed(t, arg > 0 ? tui_pace_faster(t->pace.speed) :
	    tui_pace_slower(t->pace.speed));
}

/* arg: rows to move, or +-TUI_PAGE for a page, +-TUI_ALL for the end. */
#define TUI_PAGE 1000000
#define TUI_ALL 2000000

static void
list_move(struct tui *t, int ch, int arg)
{
	int page = NS_MAX(1, t->list_h - 1);

	(void)ch;
	if (arg == -TUI_ALL)
		tui_list_select_index(t, 0);
	else if (arg == TUI_ALL)
		tui_list_select_index(t, (int)t->n_view - 1);
	else if (arg == -TUI_PAGE || arg == TUI_PAGE)
		tui_list_move(t, arg < 0 ? -page : page);
	else
		tui_list_move(t, arg);
}

static void
list_open(struct tui *t, int ch, int arg)
{
	(void)ch;
	(void)arg;
	open_detail(t);
}

/* '1'-'9': that column. */
static void
list_sort(struct tui *t, int ch, int arg)
{
	(void)arg;
	tui_list_set_sort(t, (enum tui_col)(ch - '1'));
}

/* arg: 1 the next column, -1 the previous one. */
static void
list_sort_next(struct tui *t, int ch, int arg)
{
	(void)ch;
	tui_list_set_sort(t, (enum tui_col)((t->sort + COL__COUNT + arg) % COL__COUNT));
}

static void
list_reverse(struct tui *t, int ch, int arg)
{
	(void)ch;
	(void)arg;
	t->reverse = !t->reverse;
	tui_list_apply_filter(t);
}

static void
list_freeze(struct tui *t, int ch, int arg)
{
	(void)ch;
	(void)arg;
	tui_list_freeze(t, !t->frozen);
	tui_message(t, t->frozen ? "Order frozen: new hosts go to the bottom (o to unfreeze)." :
	    "Order follows the sort again.");
}

static void
list_incidents(struct tui *t, int ch, int arg)
{
	(void)ch;
	(void)arg;
	if (t->n_inc == 0) {
		tui_message(t, "No incidents.");
		return;
	}
	t->scr = SCR_INCIDENTS;
	t->dscroll = 0;
	t->dlines = 0;
}

/* arg as list_move's. */
static void
detail_scroll(struct tui *t, int ch, int arg)
{
	int page = NS_MAX(1, t->dview - 1);

	(void)ch;
	if (arg == -TUI_ALL)
		tui_detail_scroll(t, INT_MIN / 2);
	else if (arg == TUI_ALL)
		tui_detail_scroll(t, INT_MAX);
	else if (arg == -TUI_PAGE || arg == TUI_PAGE)
		tui_detail_scroll(t, arg < 0 ? -page : page);
	else
		tui_detail_scroll(t, arg);
}

/* arg: 1 the next host of the list, -1 the previous one. */
static void
detail_host(struct tui *t, int ch, int arg)
{
	int i;

	(void)ch;
	if (t->scr != SCR_DETAIL)
		return;
	i = tui_list_selected_index(t);
	tui_list_select_index(t, i < 0 ? 0 : i + arg);
	t->dscroll = 0;
	t->dlines = 0;
	tui_detail_refresh(t);
}

static void
detail_back(struct tui *t, int ch, int arg)
{
	(void)ch;
	(void)arg;
	t->scr = SCR_LIST;
}

#define ANY (TUI_ON_LIST | TUI_ON_DETAIL)
#define LIST TUI_ON_LIST
#define DETAIL TUI_ON_DETAIL
#define BKSP KEY_BACKSPACE, 127, 8

/* In the order of the help. */
const struct tui_key tui_keys[] = {
	{ .section = "Everywhere",
	  .on = ANY, .keys = { '?', 'h' }, .fn = key_help,
	  .label = "? h", .help = "this help (any other key closes it)" },
	{ .on = ANY, .keys = { 'q', 'Q' }, .fn = key_quit,
	  .label = "q", .help = "quit and restore the terminal" },
	{ .on = ANY, .keys = { 12 }, .fn = key_redraw,
	  .label = "Ctrl-L", .help = "redraw", .beside = true },
	{ .on = ANY, .keys = { 'e' }, .fn = key_export,
	  .label = "e", .help = "export: the summary (.md .json .txt) or the selected host's\n"
	  "packets (.pcapng); asks for the file name, never overwrites\n"
	  "without a second Enter" },

	{ .section = "Host list",
	  .on = LIST, .keys = { KEY_UP, 'k' }, .fn = list_move, .arg = -1,
	  .label = "Up Down j k  PgUp PgDn Home End", .help = "select a host" },
	{ .on = LIST, .keys = { KEY_DOWN, 'j' }, .fn = list_move, .arg = 1 },
	{ .on = LIST, .keys = { KEY_PPAGE }, .fn = list_move, .arg = -TUI_PAGE },
	{ .on = LIST, .keys = { KEY_NPAGE }, .fn = list_move, .arg = TUI_PAGE },
	{ .on = LIST, .keys = { KEY_HOME, 'g' }, .fn = list_move, .arg = -TUI_ALL },
	{ .on = LIST, .keys = { KEY_END, 'G' }, .fn = list_move, .arg = TUI_ALL },
	{ .on = LIST, .keys = { '\r', '\n', KEY_ENTER, KEY_RIGHT }, .fn = list_open,
	  .label = "Enter", .help = "open the selected host's detail" },
	{ .on = LIST, .keys = { '1', '2', '3', '4', '5', '6', '7', '8', '9' }, .fn = list_sort,
	  .label = "1-9", .help = "sort by column 1-9 (again: reverse)" },
	{ .on = LIST, .keys = { '<' }, .fn = list_sort_next, .arg = -1,
	  .label = "< >", .help = "previous/next column", .beside = true },
	{ .on = LIST, .keys = { '>' }, .fn = list_sort_next, .arg = 1 },
	{ .on = LIST, .keys = { 'r' }, .fn = list_reverse,
	  .label = "r", .help = "reverse the order" },
	{ .on = LIST, .keys = { 'o' }, .fn = list_freeze,
	  .label = "o", .help = "freeze the order", .beside = true },
	{ .on = LIST, .keys = { 'i' }, .fn = list_incidents,
	  .label = "i", .help = "the incidents, with their evidence (Esc back)" },
	{ .on = ANY, .keys = { '/' }, .fn = key_filter,
	  .label = "/", .help = "filter: address, CIDR, port N, verdict, attack, call or text;\n"
	  "!term negates; all terms must match" },
	{ .on = ANY, .keys = { 'c' }, .fn = key_clear,
	  .label = "c", .help = "clear the filter", .beside = true },
	/* No keys: mouse_key() takes KEY_MOUSE in every mode. */
	{ .label = "mouse",
	  .help = "click a host to select it, again to open; click a heading to sort" },

	{ .section = "Host detail",
	  .on = DETAIL, .keys = { KEY_UP, 'k' }, .fn = detail_scroll, .arg = -1,
	  .label = "Up Down PgUp PgDn Home End", .help = "scroll the panels" },
	{ .on = DETAIL, .keys = { KEY_DOWN, 'j' }, .fn = detail_scroll, .arg = 1 },
	{ .on = DETAIL, .keys = { KEY_PPAGE }, .fn = detail_scroll, .arg = -TUI_PAGE },
	{ .on = DETAIL, .keys = { KEY_NPAGE }, .fn = detail_scroll, .arg = TUI_PAGE },
	{ .on = DETAIL, .keys = { KEY_HOME, 'g' }, .fn = detail_scroll, .arg = -TUI_ALL },
	{ .on = DETAIL, .keys = { KEY_END, 'G' }, .fn = detail_scroll, .arg = TUI_ALL },
	{ .on = DETAIL, .keys = { '[' }, .fn = detail_host, .arg = -1,
	  .label = "[ ]", .help = "previous/next host" },
	{ .on = DETAIL, .keys = { ']' }, .fn = detail_host, .arg = 1 },
	{ .on = DETAIL, .keys = { 27, KEY_LEFT, BKSP }, .fn = detail_back,
	  .label = "Esc Left Bksp", .help = "back", .beside = true },

	{ .section = "Replay of a file (live: space freezes the screen)",
	  .on = ANY, .keys = { ' ' }, .fn = key_pause,
	  .label = "space", .help = "pause / resume" },
	{ .on = ANY, .keys = { 'n' }, .fn = key_step, .arg = 0,
	  .label = "n", .help = "step one packet", .beside = true },
	{ .on = ANY, .keys = { 'N' }, .fn = key_step, .arg = 1,
	  .label = "N", .help = "step one second (skips silence)" },
	{ .on = ANY, .keys = { '+', '=' }, .fn = key_speed, .arg = 1,
	  .label = "+ -", .help = "faster / slower", .beside = true },
	{ .on = ANY, .keys = { '-', '_' }, .fn = key_speed, .arg = -1 },
};
const size_t tui_n_keys = NS_ARRAY_LEN(tui_keys);

#undef ANY
#undef LIST
#undef DETAIL
#undef BKSP

const struct tui_key *
tui_key_find(unsigned on, int ch)
{
	for (size_t i = 0; i < tui_n_keys; i++) {
		const struct tui_key *k = &tui_keys[i];

		if (!(k->on & on))
			continue;
		for (size_t j = 0; j < NS_ARRAY_LEN(k->keys) && k->keys[j] != 0; j++)
			if (k->keys[j] == ch)
				return k;
	}
	return NULL;
}

static void
handle_key(struct tui *t, int ch)
{
	const struct tui_key *k;

	if (ch == KEY_RESIZE) {
		t->dirty = true;
		return;
	}
	if (ch == KEY_MOUSE) {
		mouse_key(t);
		return;
	}
	if (t->xprompt) {
		export_key(t, ch);
		return;
	}
	if (t->prompt) {
		prompt_key(t, ch);
		return;
	}
	if (t->help) {
		if (ch == KEY_UP || ch == 'k')
			t->help_scroll = NS_MAX(0, t->help_scroll - 1);
		else if (ch == KEY_DOWN || ch == 'j')
			t->help_scroll++;
		else if (ch == 'q')
			t->quit = true;
		else
			t->help = false;
		t->dirty = true;
		return;
	}
	t->dirty = true;
	k = tui_key_find(t->scr == SCR_LIST ? TUI_ON_LIST : TUI_ON_DETAIL, ch);
	if (k != NULL)
		k->fn(t, ch, k->arg);
}

/* ---- the loop ---- */

static int
ms_until(double seconds)
{
	if (seconds <= 0)
		return 0;
	if (seconds > 1)
		return 1000;
	return (int)ceil(seconds * 1000);
}

/*
 * No usable terminal description (TERM unset or unknown): say so and print
 * the report at the end, as --report would, rather than exit.
 */
static int
no_terminal(struct session *ses, volatile sig_atomic_t *stop)
{
	const char *term = getenv("TERM");

	ns_warnx("cannot drive the terminal (TERM=%s); the report follows at the end "
	    "of the input (Ctrl-C to end a live capture)", term ? term : "unset");
	while (!*stop) {
		if (session_pump(ses, 4096, 0, 0) == 0 && !session_wait(ses, 100))
			break;
	}
	session_finish(ses);
	session_report(ses, stdout, REPORT_TEXT);
	return session_error(ses) != NULL;
}

static bool
start_curses(struct tui *t)
{
	SCREEN *s = newterm(NULL, stdout, stdin);

	if (s == NULL)
		return false;
	set_term(s);
	curses_on = true;
	ns_set_fatal_hook(restore_terminal);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	tui_draw_init(t);
	/* Presses, not clicks: click resolution would make getch() wait. */
	mouseinterval(0);
	t->mouse = mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
	    | BUTTON5_PRESSED
#endif
	    , NULL) != 0;
	getmaxyx(stdscr, t->h, t->w);
	return true;
}

int
console_run(struct session *ses, const struct console_opts *o, volatile sig_atomic_t *stop)
{
	struct tui *t;
	int rc;

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");	/* numbers read the same in every locale */
	t = xcalloc(1, sizeof(*t));
	t->o = o;
	t->ses = ses;
	t->ana = session_ana(ses);
	t->lk = session_lookups(ses);
	t->stop = stop;
	t->file = !session_live(ses);
	t->info = xcalloc(1, sizeof(*t->info));
	t->scratch = xcalloc(1, sizeof(*t->scratch));
	t->wall_start = ns_now_mono();
	t->pps_t0 = t->wall_start;
	t->update_every = UPDATE_MIN;
	tui_pace_init(&t->pace, t->file ? o->speed : 0);
	tui_filter_parse(&t->filter, "");
	tui_list_init(t);
	if (o->has_watch) {
		t->sel = o->watch;
		t->has_sel = true;
		t->scr = SCR_DETAIL;
	}
	if (!start_curses(t)) {
		tui_list_free(t);
		free(t->info);
		free(t->scratch);
		free(t);
		return no_terminal(ses, stop);
	}
	t->data_dirty = true;
	t->dirty = true;
	if (getenv("NTPSLEUTH_FRAME_LOG") != NULL &&
	    (t->frame_log = fopen(getenv("NTPSLEUTH_FRAME_LOG"), "a")) != NULL)
		setvbuf(t->frame_log, NULL, _IOLBF, 0);

	while (!*stop && !t->quit) {
		struct pollfd pfd[3];
		double now = ns_now_mono(), wait, timeout = 1;
		bool more, ring_empty;
		int nfd = 0, cap_i = -1, lk_i = -1, ch;

		more = pump(t, now, &wait, &ring_empty);
		check_finished(t);
		now = ns_now_mono();
		if (now - t->pps_t0 >= 1) {
			t->pps = (double)t->pps_n / (now - t->pps_t0);
			t->pps_n = 0;
			t->pps_t0 = now;
			t->dirty = true;
		}
		if (t->data_dirty && now - t->t_update >= t->update_every)
			update(t, now);
		if (now - t->t_draw >= 1)
			t->dirty = true;	/* the clocks in the status bar */
		/*
		 * Packets analysed since the last frame: the status line's
		 * counts and rate move at up to ten frames a second, while the
		 * list follows the verdicts' slower update.
		 */
		if (t->pumped != t->pumped_drawn)
			t->dirty = true;
		if (t->dirty && now - t->t_draw >= DRAW_EVERY)
			draw(t);

		pfd[nfd].fd = STDIN_FILENO;
		pfd[nfd++].events = POLLIN;
		if (ring_empty && !t->finished) {
			cap_i = nfd;
			pfd[nfd].fd = session_fd(ses);
			pfd[nfd++].events = POLLIN;
		}
		if (t->lk != NULL && lk_fd(t->lk) >= 0) {
			lk_i = nfd;
			pfd[nfd].fd = lk_fd(t->lk);
			pfd[nfd++].events = POLLIN;
		}
		if (more)
			timeout = 0;
		if (wait >= 0)
			timeout = NS_MIN(timeout, wait);
		if (t->dirty)
			timeout = NS_MIN(timeout, t->t_draw + DRAW_EVERY - now);
		if (t->data_dirty)
			timeout = NS_MIN(timeout, t->t_update + t->update_every - now);
		if (poll(pfd, (nfds_t)nfd, ms_until(timeout)) < 0 && errno != EINTR)
			fatal("poll");
		/* The terminal went away: nobody is left to press q. */
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			break;
		if (cap_i >= 0 && (pfd[cap_i].revents & POLLIN))
			session_drain_fd(ses);
		if (lk_i >= 0 && (pfd[lk_i].revents & POLLIN))
			lk_collect(t->lk, on_lookup, t);
		/* Also after EINTR: SIGWINCH arrives as KEY_RESIZE. */
		while ((ch = getch()) != ERR && !t->quit)
			handle_key(t, ch);
	}
	restore_terminal();
	ns_set_fatal_hook(NULL);
	if (t->frame_log != NULL)
		fclose(t->frame_log);
	rc = session_error(ses) != NULL;
	if (rc)
		ns_warnx("%s", session_error(ses));
	tui_list_free(t);
	free(t->info);
	free(t->scratch);
	free(t);
	return rc;
}
