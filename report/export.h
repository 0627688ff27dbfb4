/*
 * Exporting a session: the summary to a file (Markdown, JSON or text),
 * and an evidence capture of the chosen hosts as pcapng, named with its
 * SHA-256 in the summary. Files are written atomically and never replace
 * an existing file unless forced; a failure leaves the session running.
 */
#ifndef NS_EXPORT_H
#define NS_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/ana.h"
#include "report/report.h"

struct export_opts {
	const char *path;		/* the summary; NULL for none */
	enum report_fmt fmt;
	bool force;
	const char *evidence_path;	/* pcapng; NULL for none */
	struct ns_addr hosts[ANA_MAX_WATCH];	/* evidence hosts; none = automatic */
	int n_hosts;
	FILE *reread;			/* the capture file, read again for full evidence */
};

/* The format a file name asks for (.md, .markdown, .json, .txt); -1 if none. */
int export_format_of(const char *path, enum report_fmt *);
/* 0, or -1 with a message; msg also says what was written. */
int ana_export(struct ana *, struct report_meta *, const struct export_opts *,
    char *msg, size_t msglen);

#endif
