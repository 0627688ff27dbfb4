/*
 * The report's "lookups" object for one host:
 *
 *   "lookups": {
 *     "rdns": { "status": "done", "name": "time.example.net" },
 *     "geo":  { "status": "done", "country": "DE", "city": null,
 *               "asn": 3320, "org": "Deutsche Telekom AG" },
 *     "rdap": { "status": "done", "source": "rdap.db.ripe.net",
 *               "name": "DTAG-DIAL", "handle": "...", "cidr": "...",
 *               "country": "DE", "org": "...", "abuse": ["abuse@..."] },
 *     "ntp":  { "status": "done", "public": true, "why": "...",
 *               "listed": true, "list_name": "...",
 *               "probe": { "stratum": 2, "refid": "...", "delay_ms": 12.3 } }
 *   }
 *
 * Every plugin object has "status" ("none", "pending", "done", "failed",
 * "off") and "reason" when it failed; unknown values are null. The
 * strings were made printable by the plugins and are escaped by the
 * JSON writer.
 */
#include "config.h"

#include "common/json.h"
#include "lookups/lookup.h"

static void
str_or_null(struct json_w *w, const char *key, const char *s)
{
	if (s[0] != '\0')
		json_str(w, key, s);
	else
		json_null(w, key);
}

static void
status(struct json_w *w, enum lk_status st, const char *reason)
{
	json_str(w, "status", lk_status_name(st));
	if (st == LK_FAILED)
		json_str(w, "reason", reason);
}

void
lk_info_json(struct json_w *w, const struct lk_info *info,
    const struct lk_ntp_observed *obs)
{
	const struct lk_rdap *r = &info->rdap;
	const struct lk_ntp *n = &info->ntp;
	char why[256];
	bool pub;

	json_obj_open(w, "lookups");

	json_obj_open(w, "rdns");
	status(w, info->rdns.status, info->rdns.reason);
	str_or_null(w, "name", info->rdns.name);
	json_obj_close(w);

	json_obj_open(w, "geo");
	status(w, info->geo.status, info->geo.reason);
	str_or_null(w, "country", info->geo.country);
	str_or_null(w, "city", info->geo.city);
	if (info->geo.asn != 0)
		json_u64(w, "asn", info->geo.asn);
	else
		json_null(w, "asn");
	str_or_null(w, "org", info->geo.org);
	json_obj_close(w);

	json_obj_open(w, "rdap");
	status(w, r->status, r->reason);
	str_or_null(w, "source", r->source);
	str_or_null(w, "name", r->name);
	str_or_null(w, "handle", r->handle);
	str_or_null(w, "cidr", r->cidr);
	str_or_null(w, "country", r->country);
	str_or_null(w, "org", r->org);
	json_arr_open(w, "abuse");
	for (int i = 0; i < r->n_abuse && i < LK_MAX_ABUSE; i++)
		json_str(w, NULL, r->abuse[i]);
	json_arr_close(w);
	json_obj_close(w);

	pub = lk_ntp_public(info, obs, why, sizeof(why));
	json_obj_open(w, "ntp");
	status(w, n->status, n->reason);
	json_bool(w, "public", pub);
	json_str(w, "why", why);
	json_bool(w, "listed", n->listed);
	str_or_null(w, "list_name", n->list_name);
	if (n->probed) {
		json_obj_open(w, "probe");
		json_i64(w, "stratum", n->probe_stratum);
		json_str(w, "refid", n->probe_refid);
		json_dbl(w, "delay_ms", n->probe_delay_ms, 2);
		json_obj_close(w);
	} else {
		json_null(w, "probe");
	}
	json_obj_close(w);

	json_obj_close(w);
}
