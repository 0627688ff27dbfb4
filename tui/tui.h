/*
 * The console's own modules (tui_ prefix). console.c owns the loop and
 * the state; list.c the host list; detail.c the host panels; draw.c the
 * drawing primitives (glyphs, colours, text clipped to a width); filter.c
 * and pace.c are pure and unit-tested (tests/tui/unit.c).
 *
 * Nothing here is shared between threads: the console runs on the main
 * thread, which owns the analysis and ncurses.
 */
#ifndef NS_TUI_H
#define NS_TUI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/ana.h"
#include "common/addr.h"

/* ---- filter.c: "/ 10.0.0.0/8 !serving port 123" ---- */

#define TUI_FILTER_LEN 128
#define TUI_FILTER_TERMS 8

enum tui_term_kind {
	TT_CIDR,	/* address or network */
	TT_PORT,	/* local or remote port */
	TT_VERDICT,	/* part of a verdict name: "scan", "flood" */
	TT_ATTACK,	/* "attack": any attack verdict */
	TT_CALL,	/* "call": worth a call */
	TT_TEXT,	/* part of the address text or the reverse-DNS name */
};

struct tui_term {
	enum tui_term_kind kind;
	bool negate;
	struct ns_cidr cidr;
	uint16_t port;
	char text[48];
};

struct tui_filter {
	char src[TUI_FILTER_LEN];	/* as typed */
	int n;
	struct tui_term t[TUI_FILTER_TERMS];
	bool needs_ports;
	char error[96];			/* why it did not parse, "" if it did */
};

/* What a filter looks at for one host. ports may be NULL if !needs_ports. */
struct tui_subject {
	const struct ns_addr *addr;
	const char *addr_s;
	const char *name;		/* reverse DNS or "" */
	enum ana_verdict verdict;
	bool call;
	const uint16_t *ports;
	int n_ports;
};

/* 0 on success; -1 with f->error set. An empty text is the empty filter. */
int tui_filter_parse(struct tui_filter *, const char *);
bool tui_filter_match(const struct tui_filter *, const struct tui_subject *);

/* ---- pace.c: the replay clock of a capture file ---- */

struct tui_pace {
	double speed;		/* capture seconds per wall second; 0 = max */
	bool paused;
	bool anchored;		/* false until the first packet is seen */
	double cap_anchor;	/* capture time at wall_anchor */
	double wall_anchor;
};

void tui_pace_init(struct tui_pace *, double speed);
/* Start the clock at the first packet's time. */
void tui_pace_anchor(struct tui_pace *, double cap_ts, double wall_now);
/* The capture time the replay has reached. */
double tui_pace_position(const struct tui_pace *, double wall_now);
void tui_pace_set_speed(struct tui_pace *, double speed, double wall_now);
void tui_pace_pause(struct tui_pace *, bool paused, double wall_now);
/* Move the clock to cap_ts (stepping while paused). */
void tui_pace_jump(struct tui_pace *, double cap_ts, double wall_now);
/* Wall seconds until cap_ts is due: 0 if now, a negative number if never (paused). */
double tui_pace_due_in(const struct tui_pace *, double cap_ts, double wall_now);
/* The next speed up or down: x2 steps from 1/64 to 1024, then max. */
double tui_pace_faster(double speed);
double tui_pace_slower(double speed);

#endif
