#include "config.h"

#include <math.h>
#include <string.h>

#include "common/json.h"

void
json_init(struct json_w *w, FILE *f, bool pretty)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->pretty = pretty;
	w->first[0] = true;
}

static void
indent(struct json_w *w)
{
	if (!w->pretty)
		return;
	fputc('\n', w->f);
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

static void
put_string(struct json_w *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', w->f);
	for (size_t i = 0; i < len && p[i] != '\0'; i++) {
		unsigned char c = p[i];

		if (c == '"' || c == '\\') {
			fputc('\\', w->f);
			fputc(c, w->f);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(w->f, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
		} else {
			fputc(c, w->f);
		}
	}
	fputc('"', w->f);
}

static void
member(struct json_w *w, const char *key)
{
	if (!w->first[w->depth])
		fputc(',', w->f);
	w->first[w->depth] = false;
	if (w->depth > 0)
		indent(w);
	if (key != NULL) {
		put_string(w, key, strlen(key));
		fputs(w->pretty ? ": " : ":", w->f);
	}
}

static void
open_(struct json_w *w, const char *key, char c)
{
	member(w, key);
	fputc(c, w->f);
	if (w->depth + 1 < (int)(sizeof(w->first) / sizeof(w->first[0])))
		w->depth++;
	w->first[w->depth] = true;
}

static void
close_(struct json_w *w, char c)
{
	bool empty = w->first[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (!empty)
		indent(w);
	fputc(c, w->f);
}

void json_obj_open(struct json_w *w, const char *key) { open_(w, key, '{'); }
void json_obj_close(struct json_w *w) { close_(w, '}'); }
void json_arr_open(struct json_w *w, const char *key) { open_(w, key, '['); }
void json_arr_close(struct json_w *w) { close_(w, ']'); }

void
json_str(struct json_w *w, const char *key, const char *val)
{
	if (val == NULL) {
		json_null(w, key);
		return;
	}
	json_strn(w, key, val, strlen(val));
}

void
json_strn(struct json_w *w, const char *key, const char *val, size_t len)
{
	member(w, key);
	put_string(w, val, len);
}

void
json_u64(struct json_w *w, const char *key, uint64_t val)
{
	member(w, key);
	fprintf(w->f, "%llu", (unsigned long long)val);
}

void
json_i64(struct json_w *w, const char *key, int64_t val)
{
	member(w, key);
	fprintf(w->f, "%lld", (long long)val);
}

void
json_dbl(struct json_w *w, const char *key, double val, int decimals)
{
	member(w, key);
	if (!isfinite(val))
		fputs("null", w->f);
	else
		fprintf(w->f, "%.*f", decimals, val);
}

void
json_bool(struct json_w *w, const char *key, bool val)
{
	member(w, key);
	fputs(val ? "true" : "false", w->f);
}

void
json_null(struct json_w *w, const char *key)
{
	member(w, key);
	fputs("null", w->f);
}

void
json_end(struct json_w *w)
{
	fputc('\n', w->f);
	fflush(w->f);
}
