/*
 * Files written whole or not at all: into a temporary file beside the
 * target, then renamed (or, unless asked to overwrite, linked, so that an
 * existing file is never replaced).
 */
#ifndef NS_AFILE_H
#define NS_AFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct afile {
	FILE *f;
	char *path;
	char *tmp;
	bool force;
};

/* NULL with a message ("x.md exists; add --force to overwrite it") on failure. */
FILE *afile_open(struct afile *, const char *path, bool force, char *err, size_t errlen);
/* Flush, sync and put in place; -1 with a message, the target untouched. */
int afile_commit(struct afile *, char *err, size_t errlen);
void afile_abort(struct afile *);

#endif
