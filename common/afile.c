#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "common/afile.h"
#include "common/util.h"

FILE *
afile_open(struct afile *a, const char *path, bool force, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	memset(a, 0, sizeof(*a));
	if (!force && stat(path, &st) == 0) {
		snprintf(err, errlen, "%s exists; add --force to overwrite it", path);
		return NULL;
	}
	a->path = xstrdup(path);
	xasprintf(&a->tmp, "%s.XXXXXX", path);
	fd = mkstemp(a->tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		afile_abort(a);
		return NULL;
	}
	fchmod(fd, 0644);
	a->f = fdopen(fd, "w");
	if (a->f == NULL) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		afile_abort(a);
		return NULL;
	}
	a->force = force;
	return a->f;
}

int
afile_commit(struct afile *a, char *err, size_t errlen)
{
	int r = 0;

	if (fflush(a->f) != 0 || fsync(fileno(a->f)) != 0 || ferror(a->f)) {
		snprintf(err, errlen, "cannot write %s: %s", a->path, strerror(errno));
		r = -1;
	}
	if (fclose(a->f) != 0 && r == 0) {
		snprintf(err, errlen, "cannot write %s: %s", a->path, strerror(errno));
		r = -1;
	}
	a->f = NULL;
	if (r == 0 && a->force && rename(a->tmp, a->path) != 0) {
		snprintf(err, errlen, "cannot put %s in place: %s", a->path, strerror(errno));
		r = -1;
	} else if (r == 0 && !a->force && link(a->tmp, a->path) != 0) {
		if (errno == EEXIST)
			snprintf(err, errlen, "%s appeared meanwhile; add --force to overwrite it", a->path);
		else
			snprintf(err, errlen, "cannot put %s in place: %s", a->path, strerror(errno));
		r = -1;
	}
	if (r != 0 || !a->force)
		unlink(a->tmp);
	free(a->tmp);
	free(a->path);
	a->tmp = a->path = NULL;
	return r;
}

void
afile_abort(struct afile *a)
{
	if (a->f != NULL)
		fclose(a->f);
	if (a->tmp != NULL)
		unlink(a->tmp);
	free(a->tmp);
	free(a->path);
	memset(a, 0, sizeof(*a));
}
