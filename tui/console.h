/*
 * The live console: what main.c calls. It draws what the session gives
 * it (session.h) and never opens a capture or reads the command line.
 */
#ifndef NS_TUI_CONSOLE_H
#define NS_TUI_CONSOLE_H

#include <signal.h>
#include <stdbool.h>

#include "common/addr.h"

struct session;

struct console_opts {
	bool no_color;		/* --no-color */
	double speed;		/* replay pace for files; 0 = as fast as possible */
	struct ns_addr watch;	/* --watch: open on this host's panels */
	bool has_watch;
};

/*
 * Runs until q, *stop or the end of a capture file; without a usable
 * terminal, prints the text report at the end of the input instead.
 * Returns the exit status.
 */
int console_run(struct session *, const struct console_opts *, volatile sig_atomic_t *stop);

#endif
