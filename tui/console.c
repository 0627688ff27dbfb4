/*
 * Until the ncurses console lands, a terminal gets the text report.
 */
#include "config.h"

#include <stdio.h>

#include "main.h"

int
ns_console(struct ns_options *o, struct cap *cap, struct ana *ana, struct lk *lk,
    volatile sig_atomic_t *stop)
{
	struct report_meta meta;

	while (!*stop) {
		if (ns_pump(cap, ana, 4096, 0) == 0 && !cap_wait(cap, 100))
			break;
	}
	ana_flush(ana);
	ns_fill_meta(cap, o, &meta);
	meta.lookups = lk;
	report_write(stdout, REPORT_TEXT, ana, &meta);
	return meta.read_error != NULL;
}
