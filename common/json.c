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
	static const char sp[] = "\n                                                                ";
	int n = 2 * w->depth;

	if (!w->pretty)
		return;
	if (n > (int)sizeof(sp) - 2)
		n = (int)sizeof(sp) - 2;
	fwrite(sp, 1, (size_t)n + 1, w->f);
}

/* Runs of characters that need no escape go out in one write. */
static void
put_string(struct json_w *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i, run = 0;

	fputc('"', w->f);
	for (i = 0; i < len && p[i] != '\0'; i++) {
		unsigned char c = p[i];
		char esc[7];

		if (c != '"' && c != '\\' && c >= 0x20 && c != 0x7f)
			continue;
		fwrite(p + run, 1, i - run, w->f);
		run = i + 1;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			fwrite(esc, 1, 2, w->f);
		} else {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			fwrite(esc, 1, 6, w->f);
		}
	}
	fwrite(p + run, 1, i - run, w->f);
	fputc('"', w->f);
}

static void
put_u64(FILE *f, uint64_t v)
{
	char buf[24], *e = buf + sizeof(buf), *p = e;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	fwrite(p, 1, (size_t)(e - p), f);
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
		fwrite(": ", 1, w->pretty ? 2 : 1, w->f);
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
	put_u64(w->f, val);
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
