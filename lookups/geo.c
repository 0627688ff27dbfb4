/*
 * GeoIP and ASN from MaxMind DB files (libmaxminddb): country, city, AS
 * number and organisation.
 *
 * Databases: every --geoip-db, then every *.mmdb in /usr/share/GeoIP,
 * /var/lib/GeoIP and NS_DATADIR/geoip (where assets/geoip/install.sh puts
 * the free ones) and assets/geoip/db beside a binary run from its source
 * tree (where setup.sh puts them); or in the folders of
 * $NTPSLEUTH_GEOIP_DIRS (a colon list; empty for none) instead. All are opened in lk_start, before privileges drop.
 * Each field comes from the first database that has it, so a City or
 * Country database and an ASN database combine. The layouts understood:
 *
 *   GeoLite2/GeoIP2 Country, City  country.iso_code (registered_country
 *                                  as a fallback), city.names.en
 *   GeoLite2/GeoIP2 ASN, and the   autonomous_system_number,
 *   ip-location-db ASN layout      autonomous_system_organization
 *   ip-location-db country, city   country_code, city (a plain string)
 *
 * A database is data from outside: a lookup error (a corrupt search tree
 * or data section) is reported as LK_FAILED with the file's name, and the
 * other databases are still used.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <maxminddb.h>

#include "common/util.h"
#include "lookups/plugin.h"

#define MAX_DBS 16

#ifndef NS_DATADIR
#define NS_DATADIR "/usr/local/share/ntpsleuth"
#endif

struct db {
	MMDB_s mmdb;
	char name[64];		/* the file's base name, for reasons */
	dev_t dev;
	ino_t ino;
};

struct geo {
	struct db dbs[MAX_DBS];
	int n;
	char open_err[LK_REASON_LEN];	/* the first file that would not open */
};

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

static void
open_db(struct geo *g, const char *path, bool explicit)
{
	struct stat st;
	struct db *d;
	int rc;

	if (g->n == MAX_DBS)
		return;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (explicit && g->open_err[0] == '\0')
			lk_reason(g->open_err, "cannot open GeoIP database %s: %s",
			    base_name(path), stat(path, &st) != 0 ? strerror(errno) :
			    "not a regular file");
		return;
	}
	for (int i = 0; i < g->n; i++)
		if (g->dbs[i].dev == st.st_dev && g->dbs[i].ino == st.st_ino)
			return;
	d = &g->dbs[g->n];
	if ((rc = MMDB_open(path, MMDB_MODE_MMAP, &d->mmdb)) != MMDB_SUCCESS) {
		if (g->open_err[0] == '\0')
			lk_reason(g->open_err, "cannot open GeoIP database %s: %s%s%s",
			    base_name(path), MMDB_strerror(rc),
			    rc == MMDB_IO_ERROR ? ": " : "",
			    rc == MMDB_IO_ERROR ? strerror(errno) : "");
		return;
	}
	ns_printable(d->name, sizeof(d->name), base_name(path), strlen(base_name(path)));
	d->dev = st.st_dev;
	d->ino = st.st_ino;
	g->n++;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
open_dir(struct geo *g, const char *dir)
{
	char *names[64], *path;
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL && n < NS_ARRAY_LEN(names)) {
		size_t len = strlen(de->d_name);

		if (len > 5 && de->d_name[0] != '.' &&
		    strcmp(de->d_name + len - 5, ".mmdb") == 0)
			names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	/* Sorted, so that which database wins does not depend on the disk. */
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		xasprintf(&path, "%s/%s", dir, names[i]);
		open_db(g, path, false);
		free(path);
		free(names[i]);
	}
}

static void *
geo_start(const struct lk_config *cfg, char *err, size_t errlen)
{
	static const char *const dirs[] = { "/usr/share/GeoIP", "/var/lib/GeoIP",
	    NS_DATADIR "/geoip" };
	struct geo *g = xcalloc(1, sizeof(*g));
	const char *env;

	for (int i = 0; i < cfg->n_geoip_dbs; i++)
		if (cfg->geoip_dbs[i] != NULL)
			open_db(g, cfg->geoip_dbs[i], true);
	if ((env = getenv("NTPSLEUTH_GEOIP_DIRS")) != NULL) {
		char *copy = xstrdup(env), *save = NULL;

		for (char *d = strtok_r(copy, ":", &save); d != NULL;
		    d = strtok_r(NULL, ":", &save))
			open_dir(g, d);
		free(copy);
	} else {
		char *local = lk_beside_exe("assets/geoip/db");

		for (size_t i = 0; i < NS_ARRAY_LEN(dirs); i++)
			open_dir(g, dirs[i]);
		/* Where setup.sh puts them for a binary run from its source tree. */
		if (local != NULL)
			open_dir(g, local);
		free(local);
	}
	if (g->n == 0) {
		if (g->open_err[0] != '\0')
			snprintf(err, errlen, "%s", g->open_err);
		else
			snprintf(err, errlen, "no GeoIP database: pass --geoip-db PATH, or "
			    "install the free ones (assets/geoip/install.sh)");
		free(g);
		return NULL;
	}
	return g;
}

/* Look one path up; 1 found, 0 absent, -1 corrupt data. */
static int
get(MMDB_entry_s *entry, MMDB_entry_data_s *data, const char *const *path)
{
	int rc = MMDB_aget_value(entry, data, path);

	if (rc == MMDB_SUCCESS)
		return data->has_data ? 1 : 0;
	if (rc == MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR ||
	    rc == MMDB_INVALID_LOOKUP_PATH_ERROR)
		return 0;
	return -1;
}

static bool
get_str(MMDB_entry_s *entry, const char *const *path, char *dst, size_t dstlen,
    int *bad)
{
	MMDB_entry_data_s data;
	int rc = get(entry, &data, path);

	if (rc < 0)
		(*bad)++;
	if (rc <= 0 || data.type != MMDB_DATA_TYPE_UTF8_STRING || data.data_size == 0)
		return false;
	ns_printable(dst, dstlen, data.utf8_string, data.data_size);
	return dst[0] != '\0';
}

static void
get_country(MMDB_entry_s *entry, struct lk_geo *out, int *bad)
{
	static const char *const paths[][4] = {
		{ "country", "iso_code", NULL },
		{ "country_code", NULL },
		{ "registered_country", "iso_code", NULL },
	};
	char cc[8];

	for (size_t i = 0; i < NS_ARRAY_LEN(paths) && out->country[0] == '\0'; i++) {
		if (get_str(entry, paths[i], cc, sizeof(cc), bad) && strlen(cc) == 2 &&
		    cc[0] >= 'A' && cc[0] <= 'Z' && cc[1] >= 'A' && cc[1] <= 'Z')
			memcpy(out->country, cc, 3);
	}
}

static void
get_asn(MMDB_entry_s *entry, struct lk_geo *out, int *bad)
{
	static const char *const path[] = { "autonomous_system_number", NULL };
	MMDB_entry_data_s data;
	int rc = get(entry, &data, path);

	if (rc < 0)
		(*bad)++;
	if (rc <= 0)
		return;
	switch (data.type) {
	case MMDB_DATA_TYPE_UINT16:
		out->asn = data.uint16;
		break;
	case MMDB_DATA_TYPE_UINT32:
		out->asn = data.uint32;
		break;
	case MMDB_DATA_TYPE_UINT64:
		out->asn = data.uint64 <= UINT32_MAX ? (uint32_t)data.uint64 : 0;
		break;
	case MMDB_DATA_TYPE_INT32:
		out->asn = data.int32 > 0 ? (uint32_t)data.int32 : 0;
		break;
	default:
		break;
	}
}

static void
geo_query(void *state, struct lk_job *job, const struct ns_addr *a,
    struct lk_info *info)
{
	static const char *const city_en[] = { "city", "names", "en", NULL };
	static const char *const city_plain[] = { "city", NULL };
	static const char *const org[] = { "autonomous_system_organization", NULL };
	struct geo *g = state;
	struct lk_geo *out = &info->geo;
	struct sockaddr_storage ss;
	char bad_db[LK_REASON_LEN] = "";
	const char *special = lk_addr_special(a);

	(void)job;
	/* Databases do place these somewhere (a registry's seat): misleading. */
	if (special != NULL) {
		out->status = LK_FAILED;
		lk_reason(out->reason, "%s: no location", special);
		return;
	}
	lk_sockaddr(a, 0, &ss);
	for (int i = 0; i < g->n; i++) {
		struct db *d = &g->dbs[i];
		MMDB_lookup_result_s res;
		int err = MMDB_SUCCESS, bad = 0;

		res = MMDB_lookup_sockaddr(&d->mmdb, (struct sockaddr *)&ss, &err);
		if (err == MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR)
			continue;
		if (err != MMDB_SUCCESS) {
			if (bad_db[0] == '\0')
				lk_reason(bad_db, "GeoIP database %s is damaged: %s", d->name,
				    MMDB_strerror(err));
			continue;
		}
		if (!res.found_entry)
			continue;
		get_country(&res.entry, out, &bad);
		if (out->city[0] == '\0' &&
		    !get_str(&res.entry, city_en, out->city, sizeof(out->city), &bad))
			get_str(&res.entry, city_plain, out->city, sizeof(out->city), &bad);
		if (out->asn == 0)
			get_asn(&res.entry, out, &bad);
		if (out->org[0] == '\0')
			get_str(&res.entry, org, out->org, sizeof(out->org), &bad);
		if (bad > 0 && bad_db[0] == '\0')
			lk_reason(bad_db, "GeoIP database %s has damaged data for this address",
			    d->name);
	}
	if (out->country[0] != '\0' || out->city[0] != '\0' || out->asn != 0 ||
	    out->org[0] != '\0') {
		out->status = LK_DONE;
		return;
	}
	out->status = LK_FAILED;
	if (bad_db[0] != '\0')
		lk_reason(out->reason, "%s", bad_db);
	else
		lk_reason(out->reason, "not in the GeoIP database%s (%d loaded)%s%.100s",
		    g->n == 1 ? "" : "s", g->n, g->open_err[0] ? "; " : "", g->open_err);
}

static void
geo_free(void *state)
{
	struct geo *g = state;

	for (int i = 0; i < g->n; i++)
		MMDB_close(&g->dbs[i].mmdb);
	free(g);
}

const struct lk_plugin lk_geo = {
	.name = "geo",
	.part = LK_PART_GEO,
	.workers = 1,
	.rate = 0,	/* local files: no limit beyond the queue cap */
	.disk_cache = false,
	.start = geo_start,
	.query = geo_query,
	.free = geo_free,
};
