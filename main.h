/*
 * What main.c shares with the console: the parsed options and the pump
 * that moves packets from the capture rings into the analysis.
 */
#ifndef NS_MAIN_H
#define NS_MAIN_H

#include <signal.h>
#include <stdbool.h>

#include "analysis/ana.h"
#include "analysis/export.h"
#include "analysis/report.h"
#include "capture/cap.h"
#include "lookups/lookup.h"

struct ns_options {
	struct cap_config cap;
	struct ana_config ana;
	struct lk_config lk;
	const char *geoip[16];
	int n_geoip;
	char *filter;
	bool report;
	enum report_fmt report_fmt;
	double lookup_timeout;
	const char *check_server;
	struct ns_addr watch;
	bool has_watch;
	double speed;		/* replay pace for files; 0 = as fast as possible */
	bool no_color;
	double duration;	/* --duration: stop a live capture after it, s */
	struct export_opts export;	/* --export, --evidence and friends */
	bool export_fmt_given;
	const char *user;	/* -Z */
	const char *fwlog[8];	/* --fwlog */
	int n_fwlog;
	int fwlog_format;	/* --fwlog-format: index, or -1 for each line's own */
	int fwlog_tz;		/* --fwlog-tz: seconds east, or FWLOG_TZ_LOCAL */
	int fwlog_year;		/* --fwlog-year: 0 for the current one */
	double started;
};

/*
 * Analyse waiting packets: at most max, and none stamped after until_ts
 * (0 = no limit; the console paces a file replay with it).
 */
unsigned ns_pump(struct cap *, struct ana *, unsigned max, double until_ts);
void ns_fill_meta(struct cap *, const struct ns_options *, struct report_meta *);
/* The live console (tui/); returns the exit status. */
int ns_console(struct ns_options *, struct cap *, struct ana *, struct lk *,
    volatile sig_atomic_t *stop);

#endif
