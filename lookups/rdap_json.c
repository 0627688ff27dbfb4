/*
 * RDAP answers (RFC 9083 "ip network" objects, with the cidr0 extension)
 * read with cJSON. The answer is hostile: any member may be missing or of
 * the wrong type, strings may hold escape sequences, entities may nest
 * without end. Every string is bounded and made printable; the entity
 * walk is bounded in depth and count.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "common/util.h"
#include "lookups/plugin.h"
#include "lookups/rdap.h"
#include "lookups/registry.h"

#define MAX_ENTITY_DEPTH 4	/* ARIN nests abuse two deep */
#define MAX_ENTITIES 64

/* cJSON accessors that accept any input. */

static const char *
str_member(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) && v->valuestring != NULL ? v->valuestring : NULL;
}

static void
copy_member(const cJSON *obj, const char *key, char *dst, size_t dstlen)
{
	const char *s = str_member(obj, key);

	if (s != NULL)
		ns_printable(dst, dstlen, s, strlen(s));
}

static bool
has_role(const cJSON *ent, const char *role)
{
	const cJSON *roles = cJSON_GetObjectItemCaseSensitive(ent, "roles"), *r;
	int n = 0;

	if (!cJSON_IsArray(roles))
		return false;
	cJSON_ArrayForEach(r, roles) {
		if (++n > 16)
			break;
		if (cJSON_IsString(r) && r->valuestring != NULL &&
		    strcasecmp(r->valuestring, role) == 0)
			return true;
	}
	return false;
}

/*
 * jCard (RFC 7095): ["vcard", [[name, params, type, value], ...]].
 * Calls fn for each property called name whose value is a string.
 */
static void
vcard_each(const cJSON *ent, const char *name, void (*fn)(void *, const char *),
    void *arg)
{
	const cJSON *va = cJSON_GetObjectItemCaseSensitive(ent, "vcardArray");
	const cJSON *props, *p;
	int n = 0;

	if (!cJSON_IsArray(va) || !cJSON_IsArray(props = cJSON_GetArrayItem(va, 1)))
		return;
	cJSON_ArrayForEach(p, props) {
		const cJSON *pn, *val;

		if (++n > 64)
			break;
		if (!cJSON_IsArray(p) || !cJSON_IsString(pn = cJSON_GetArrayItem(p, 0)) ||
		    pn->valuestring == NULL || strcasecmp(pn->valuestring, name) != 0)
			continue;
		val = cJSON_GetArrayItem(p, 3);
		if (cJSON_IsString(val) && val->valuestring != NULL)
			fn(arg, val->valuestring);
	}
}

static void
add_contact(void *arg, const char *s)
{
	reg_add_abuse(arg, s, strlen(s));
}

static void
set_org(void *arg, const char *s)
{
	struct lk_rdap *out = arg;

	if (out->org[0] == '\0')
		ns_printable(out->org, sizeof(out->org), s, strlen(s));
}

static void
walk_entities(const cJSON *ents, int depth, int *visited, struct lk_rdap *out)
{
	const cJSON *e;

	if (!cJSON_IsArray(ents) || depth > MAX_ENTITY_DEPTH)
		return;
	cJSON_ArrayForEach(e, ents) {
		if (++*visited > MAX_ENTITIES)
			return;
		if (!cJSON_IsObject(e))
			continue;
		if (has_role(e, "registrant"))
			vcard_each(e, "fn", set_org, out);
		if (has_role(e, "abuse")) {
			vcard_each(e, "email", add_contact, out);
			vcard_each(e, "tel", add_contact, out);
		}
		walk_entities(cJSON_GetObjectItemCaseSensitive(e, "entities"), depth + 1,
		    visited, out);
	}
}

/* RIPE puts the inetnum's "descr" lines in a remark titled "description". */
static void
org_from_remarks(const cJSON *root, struct lk_rdap *out)
{
	const cJSON *rem = cJSON_GetObjectItemCaseSensitive(root, "remarks"), *r;
	int n = 0;

	if (out->org[0] != '\0' || !cJSON_IsArray(rem))
		return;
	cJSON_ArrayForEach(r, rem) {
		const char *title = str_member(r, "title");
		const cJSON *d;

		if (++n > 16)
			break;
		if (title == NULL || strcasecmp(title, "description") != 0)
			continue;
		d = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r, "description"), 0);
		if (cJSON_IsString(d) && d->valuestring != NULL)
			set_org(out, d->valuestring);
		return;
	}
}

static void
cidrs(const cJSON *root, struct lk_rdap *out, struct ns_addr *lo, struct ns_addr *hi)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "cidr0_cidrs"), *c;
	size_t used = 0;
	int n = 0;

	if (!cJSON_IsArray(arr))
		return;
	cJSON_ArrayForEach(c, arr) {
		const char *pfx = str_member(c, "v4prefix");
		const cJSON *len = cJSON_GetObjectItemCaseSensitive(c, "length");
		char buf[NS_CIDRSTRLEN + 8];
		struct ns_addr a, l, h;

		if (++n > 32)
			break;
		if (pfx == NULL)
			pfx = str_member(c, "v6prefix");
		if (pfx == NULL || !cJSON_IsNumber(len) || ns_addr_parse(&a, pfx) != 0 ||
		    len->valuedouble < 0 || len->valuedouble > (a.af == 4 ? 32 : 128) ||
		    len->valuedouble != (double)(int)len->valuedouble)
			continue;
		snprintf(buf, sizeof(buf), "%s/%d", pfx, (int)len->valuedouble);
		if (reg_range_parse(buf, &l, &h) != 0)
			continue;
		if (lo != NULL && lo->af == 0) {
			*lo = l;
			*hi = h;
		}
		if (used + strlen(buf) + 3 > sizeof(out->cidr))
			break;
		used += (size_t)snprintf(out->cidr + used, sizeof(out->cidr) - used, "%s%s",
		    used ? ", " : "", buf);
	}
}

int
rdap_parse(const char *body, size_t len, struct lk_rdap *out, struct ns_addr *lo,
    struct ns_addr *hi)
{
	const char *end = NULL, *cls, *s, *e;
	struct ns_addr l = { 0 }, h = { 0 };
	const cJSON *code;
	cJSON *root;
	int visited = 0;

	if (lo != NULL)
		memset(lo, 0, sizeof(*lo));
	if (hi != NULL)
		memset(hi, 0, sizeof(*hi));
	root = cJSON_ParseWithLengthOpts(body, len, &end, 0);
	if (root == NULL) {
		size_t at = end != NULL && end >= body ? (size_t)(end - body) : 0;

		if (len == 0)
			lk_reason(out->reason, "RDAP answer is empty");
		else if (at + 1 >= len)	/* cJSON places an error at the end on the last byte */
			lk_reason(out->reason,
			    "RDAP answer is cut short (truncated JSON, %zu bytes)", len);
		else
			lk_reason(out->reason,
			    "RDAP answer is not valid JSON (error at byte %zu of %zu)", at, len);
		return -1;
	}
	if (!cJSON_IsObject(root)) {
		lk_reason(out->reason, "RDAP answer is not a JSON object");
		cJSON_Delete(root);
		return -1;
	}
	code = cJSON_GetObjectItemCaseSensitive(root, "errorCode");
	if (cJSON_IsNumber(code)) {
		char title[80] = "";

		copy_member(root, "title", title, sizeof(title));
		lk_reason(out->reason, "RDAP server error %d%s%s",
		    code->valuedouble > -1e6 && code->valuedouble < 1e6 ?
		    (int)code->valuedouble : 0, title[0] ? ": " : "", title);
		cJSON_Delete(root);
		return -1;
	}
	cls = str_member(root, "objectClassName");
	if (cls != NULL && strcasecmp(cls, "ip network") != 0) {
		char c[40];

		lk_reason(out->reason, "RDAP answer is a \"%s\", not an IP network",
		    ns_printable(c, sizeof(c), cls, strlen(cls)));
		cJSON_Delete(root);
		return -1;
	}

	copy_member(root, "name", out->name, sizeof(out->name));
	copy_member(root, "handle", out->handle, sizeof(out->handle));
	if ((s = str_member(root, "country")) != NULL && strlen(s) == 2 &&
	    isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1])) {
		out->country[0] = (char)toupper((unsigned char)s[0]);
		out->country[1] = (char)toupper((unsigned char)s[1]);
		out->country[2] = '\0';
	}
	s = str_member(root, "startAddress");
	e = str_member(root, "endAddress");
	if (s != NULL && e != NULL && (ns_addr_parse(&l, s) != 0 ||
	    ns_addr_parse(&h, e) != 0 || l.af != h.af || ns_addr_cmp(&l, &h) > 0))
		memset(&l, 0, sizeof(l));
	if (lo != NULL && l.af != 0) {
		*lo = l;
		*hi = h;
	}
	cidrs(root, out, lo, hi);
	if (out->cidr[0] == '\0' && l.af != 0)
		reg_range_fmt(&l, &h, out->cidr, sizeof(out->cidr));

	walk_entities(cJSON_GetObjectItemCaseSensitive(root, "entities"), 0, &visited, out);
	org_from_remarks(root, out);
	cJSON_Delete(root);

	if (out->name[0] == '\0' && out->handle[0] == '\0' && out->cidr[0] == '\0') {
		lk_reason(out->reason, "RDAP answer has no network name, handle or range");
		return -1;
	}
	return 0;
}
