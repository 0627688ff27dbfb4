#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "common/afile.h"
#include "common/util.h"
#include "lookups/cache.h"

#define LKC_FILE "lookups.v1"
#define LKC_MAX_FILE (16u << 20)	/* a bigger file is not ours: ignored */
#define LKC_MAX_LINE 4096
#define LKC_MAX_FIELDS (10 + LK_MAX_ABUSE)

/* mkdir -p, for the folders we create only: mode 0700. */
static int
mkdirs(const char *path)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			rc = -1;
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

char *
lkc_path(const char *cache_dir, const char *rdap_url)
{
	/* A fixed key: the name must be the same from one run to the next. */
	static const uint8_t key[16] = "ntpsleuth-cache";
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char *dir, *path;

	if (cache_dir != NULL && cache_dir[0] != '\0')
		dir = xstrdup(cache_dir);
	else if (xdg != NULL && xdg[0] == '/')	/* the spec: relative ones are invalid */
		xasprintf(&dir, "%s/ntpsleuth", xdg);
	else if (home != NULL && home[0] == '/')
		xasprintf(&dir, "%s/.cache/ntpsleuth", home);
	else
		return NULL;
	if (mkdirs(dir) != 0) {
		free(dir);
		return NULL;
	}
	if (rdap_url == NULL)
		xasprintf(&path, "%s/%s", dir, LKC_FILE);
	else
		xasprintf(&path, "%s/lookups-%016llx.v1", dir, (unsigned long long)
		    ns_siphash(key, rdap_url, strlen(rdap_url)));
	free(dir);
	return path;
}

static void
put_str(FILE *f, const char *s)
{
	char buf[512];

	/* Already printable; this also keeps tabs and newlines out. */
	fputc('\t', f);
	fputs(ns_printable(buf, sizeof(buf), s, strlen(s)), f);
}

void
lkc_put_rdns(FILE *f, const struct ns_addr *a, double expires,
    const struct lk_rdns *r)
{
	char as[NS_ADDRSTRLEN];

	fprintf(f, "rdns\t%s\t%.0f", ns_addr_fmt(a, as, sizeof(as)), expires);
	put_str(f, r->name);
	fputc('\n', f);
}

void
lkc_put_rdap(FILE *f, const struct ns_addr *a, double expires,
    const char *base, const struct lk_rdap *r)
{
	char as[NS_ADDRSTRLEN];

	fprintf(f, "rdap\t%s\t%.0f", ns_addr_fmt(a, as, sizeof(as)), expires);
	put_str(f, base);
	put_str(f, r->source);
	put_str(f, r->name);
	put_str(f, r->handle);
	put_str(f, r->cidr);
	put_str(f, r->country);
	put_str(f, r->org);
	for (int i = 0; i < r->n_abuse && i < LK_MAX_ABUSE; i++)
		put_str(f, r->abuse[i]);
	fputc('\n', f);
}

#define COPY(dst, src) ns_printable((dst), sizeof(dst), (src), strlen(src))

static int
parse_line(char *line, const char *base, double now, struct ns_addr *a,
    enum lk_part *part, double *expires, struct lk_info *info)
{
	char *f[LKC_MAX_FIELDS], *end;
	int n = 0;

	for (char *p = line; n < LKC_MAX_FIELDS; n++) {
		f[n] = p;
		if ((p = strchr(p, '\t')) == NULL) {
			n++;
			break;
		}
		*p++ = '\0';
	}
	if (n < 4 || ns_addr_parse(a, f[1]) != 0)
		return -1;
	*expires = strtod(f[2], &end);
	if (*end != '\0' || !(*expires > now))
		return -1;
	memset(info, 0, sizeof(*info));
	if (strcmp(f[0], "rdns") == 0 && n == 4) {
		*part = LK_PART_RDNS;
		info->rdns.status = LK_DONE;
		COPY(info->rdns.name, f[3]);
		return 0;
	}
	if (strcmp(f[0], "rdap") == 0 && n >= 10 && strcmp(f[3], base) == 0) {
		struct lk_rdap *r = &info->rdap;

		*part = LK_PART_RDAP;
		r->status = LK_DONE;
		COPY(r->source, f[4]);
		COPY(r->name, f[5]);
		COPY(r->handle, f[6]);
		COPY(r->cidr, f[7]);
		if (strlen(f[8]) == 2)
			COPY(r->country, f[8]);
		COPY(r->org, f[9]);
		for (int i = 10; i < n && r->n_abuse < LK_MAX_ABUSE; i++)
			COPY(r->abuse[r->n_abuse++], f[i]);
		return 0;
	}
	return -1;
}

void
lkc_load(const char *path, const char *base, unsigned max,
    void (*add)(void *, const struct ns_addr *, enum lk_part, double,
    const struct lk_info *), void *arg)
{
	FILE *f = fopen(path, "r");
	char line[LKC_MAX_LINE];
	struct stat st;
	double now = ns_now_wall();
	unsigned n = 0;

	if (f == NULL)
		return;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
	    (unsigned long long)st.st_size > LKC_MAX_FILE) {
		fclose(f);
		return;
	}
	while (n < max * 2 && fgets(line, sizeof(line), f) != NULL) {
		size_t len = strlen(line);
		struct lk_info info;
		struct ns_addr a;
		enum lk_part part;
		double expires;

		if (len == 0 || line[len - 1] != '\n') {
			/* Over-long line: skip the rest of it. */
			int c;

			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			continue;
		}
		line[len - 1] = '\0';
		if (line[0] == '#')
			continue;
		if (parse_line(line, base, now, &a, &part, &expires, &info) == 0) {
			add(arg, &a, part, expires, &info);
			n++;
		}
	}
	fclose(f);
}

int
lkc_write(const char *path, const char *buf, size_t len)
{
	struct afile af;
	char err[256];	/* not shown: lookups/lookup.c tries again at its next tick */
	FILE *f;

	if ((f = afile_open(&af, path, true, err, sizeof(err))) == NULL)
		return -1;
	/* The addresses one looked up stay one's own: 0600, not afile's 0644. */
	fchmod(fileno(f), 0600);
	fputs("# ntpsleuth lookup cache, format 1: see doc/lookups.md\n", f);
	if (len > 0 && fwrite(buf, 1, len, f) != len) {
		afile_abort(&af);
		return -1;
	}
	return afile_commit(&af, err, sizeof(err));
}
