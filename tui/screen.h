/*
 * The console's state and drawing, shared by console.c, list.c, detail.c
 * and draw.c. Everything runs on the main thread.
 */
#ifndef NS_TUI_SCREEN_H
#define NS_TUI_SCREEN_H

#include <curses.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "analysis/ana.h"
#include "common/amap.h"
#include "lookups/lookup.h"
#include "session.h"
#include "tui/console.h"
#include "tui/tui.h"

#define TUI_MIN_COLS 80
#define TUI_MIN_ROWS 24
#define TUI_NAME_LEN 96
#define TUI_MAX_INCIDENTS 16

enum tui_col {
	COL_ADDR, COL_VERDICT, COL_CONF, COL_PIN, COL_POUT, COL_RIN, COL_ROUT,
	COL_PORTS, COL_LAST, COL__COUNT
};

enum tui_scr { SCR_LIST, SCR_DETAIL, SCR_INCIDENTS };

/* Colour pairs; with colours off every pair draws as plain text. */
enum tui_pair {
	CP_NONE, CP_OK, CP_NOTE, CP_BAD, CP_TITLE, CP_DIM, CP_IN, CP_OUT, CP_SEL,
	CP__COUNT
};

struct tui_row {
	struct ana_host_row r;
	char addr_s[NS_ADDRSTRLEN];
	uint32_t rank;		/* place in the frozen order */
};

struct tui_glyphs {
	const char *hline, *spark[9], *bar, *half, *more, *up, *down, *play,
	    *pause, *ours, *theirs, *late, *burst, *burst_ours, *arrow_in,
	    *arrow_out, *dot;
};

struct tui {
	const struct console_opts *o;
	struct session *ses;
	struct ana *ana;		/* the session's */
	struct lk *lk;			/* the session's lookups, or NULL */
	volatile sig_atomic_t *stop;
	unsigned cap_warned;		/* cap_warning's count, those already shown */

	bool utf8, color, mouse;
	const struct tui_glyphs *g;
	int h, w;			/* screen size */
	bool quit;

	enum tui_scr scr;
	bool help;
	int help_scroll;
	bool prompt;			/* '/' typing a filter */
	char pbuf[TUI_FILTER_LEN];
	size_t plen;
	struct tui_filter filter, filter_before;
	bool xprompt;			/* 'e' typing an export file name */
	char xbuf[256];
	size_t xlen;
	char xconfirm[256];		/* a name to overwrite on a second Enter */

	/* The host list. */
	struct tui_row *rows;
	unsigned n_rows, cap_rows;
	unsigned *view;			/* indices into rows, filtered and sorted */
	unsigned n_view;
	struct ana_incident inc[TUI_MAX_INCIDENTS];
	unsigned n_inc;
	struct ana_totals tot;
	enum tui_col sort;
	bool reverse;
	bool frozen;
	struct ns_amap ranks;
	uint32_t next_rank;
	struct ns_addr sel;
	bool has_sel;
	int top;			/* first view index on screen */
	int list_y, list_h;		/* where the rows are drawn */
	int head_y;
	int col_x[COL__COUNT + 1];	/* column starts, for mouse sorting */

	/* Reverse-DNS names from the lookups. */
	struct ns_amap names;
	char **name_str;
	unsigned n_names, cap_names;

	/* The detail screen. */
	struct ana_host_info *info;
	struct ana_host_info *scratch;	/* the port filter's */
	bool info_ok;
	int dscroll, dlines, dview;

	/* Replay and counters. */
	bool file;
	struct tui_pace pace;
	bool finished, flushed, decided;
	uint64_t pumped, total_frames;
	uint64_t pumped_drawn;		/* pumped when the status line was last drawn */
	double last_ts, first_ts;
	bool frozen_display;		/* live "pause": analysis goes on */
	double pps, pps_t0;
	uint64_t pps_n;
	double wall_start;
	FILE *frame_log;		/* NTPSLEUTH_FRAME_LOG: one line a frame drawn */

	/* Timing. */
	double t_update, update_every, t_draw;
	bool dirty, data_dirty;
	char msg[160];
	double msg_until;
};

/*
 * A row of the console's key table (console.c), which both runs the keys
 * and is the '?' help (draw.c), in the order it is shown.
 */
#define TUI_ON_LIST 1u		/* the host list */
#define TUI_ON_DETAIL 2u	/* a host's detail, and the incidents */
struct tui_key {
	const char *section;	/* a heading shown before this row, or NULL */
	unsigned on;		/* TUI_ON_*: the screens it works on; 0 help only */
	int keys[10];		/* the key codes it takes, 0 after the last */
	void (*fn)(struct tui *, int ch, int arg);
	int arg;		/* passed to fn: rows can share one */
	const char *label;	/* the keys as the help names them; NULL: the row
				 * above named them with its own */
	const char *help;	/* what they do; '\n' starts another line */
	bool beside;		/* help in the right column of the line above */
};
extern const struct tui_key tui_keys[];
extern const size_t tui_n_keys;
/* The row that takes key ch on those screens, or NULL. */
const struct tui_key *tui_key_find(unsigned on, int ch);

/* draw.c */
void tui_draw_init(struct tui *);
int tui_put(int y, int x, int w, attr_t, const char *);
int tui_putf(int y, int x, int w, attr_t, const char *, ...)
    __attribute__((format(printf, 5, 6)));
int tui_width(const char *);
attr_t tui_attr(const struct tui *, enum tui_pair);
attr_t tui_sev_attr(const struct tui *, int severity);
void tui_clean(const struct tui *, char *dst, size_t, const char *src);
void tui_hline(const struct tui *, int y, int x, int w, attr_t);
void tui_spark(const struct tui *, char *dst, size_t, const uint32_t *, int n,
    uint32_t scale);
void tui_bar(const struct tui *, char *dst, size_t, double frac, int width);
void tui_status(struct tui *, int y);
void tui_help(struct tui *);
/* The '?' help as text; the number of lines. */
#define TUI_HELP_WIDTH 128
int tui_help_lines(char lines[][TUI_HELP_WIDTH], int max);
void tui_message(struct tui *, const char *, ...) __attribute__((format(printf, 2, 3)));
const char *tui_age(char *, size_t, double seconds);
const char *tui_clock(char *, size_t, double ts);

/* list.c */
void tui_list_init(struct tui *);
void tui_list_free(struct tui *);
void tui_list_refresh(struct tui *);
void tui_list_draw(struct tui *);
void tui_list_move(struct tui *, int delta);
void tui_list_select_index(struct tui *, int view_index);
bool tui_list_click(struct tui *, int y, int x, bool *open);
void tui_list_set_sort(struct tui *, enum tui_col);
void tui_list_freeze(struct tui *, bool);
int tui_list_selected_index(const struct tui *);
void tui_list_apply_filter(struct tui *);
const char *tui_name_of(const struct tui *, const struct ns_addr *);
void tui_name_set(struct tui *, const struct ns_addr *, const char *);
extern const char *const tui_col_title[COL__COUNT];

/* detail.c */
void tui_detail_refresh(struct tui *);
void tui_detail_draw(struct tui *);
void tui_detail_scroll(struct tui *, int delta);
void tui_incidents_draw(struct tui *);

#endif
