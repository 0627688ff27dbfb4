#include "config.h"

#include <math.h>
#include <string.h>

#include "common/json.h"

void
json_init(struct json_w *w, FILE *f, bool pretty)
{
	w->f = f;
	w->depth = 0;
	memset(w->first, 0, sizeof(w->first));
	w->pretty = pretty;
	w->first[0] = true;
	w->len = 0;
}

void
json_flush(struct json_w *w)
{
	if (w->len > 0)
		fwrite(w->buf, 1, w->len, w->f);
	w->len = 0;
}

static void
put(struct json_w *w, const void *p, size_t n)
{
	if (w->len + n > sizeof(w->buf)) {
		json_flush(w);
		if (n > sizeof(w->buf)) {
			fwrite(p, 1, n, w->f);
			return;
		}
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void
putc_(struct json_w *w, char c)
{
	if (w->len == sizeof(w->buf))
		json_flush(w);
	w->buf[w->len++] = c;
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
	put(w, sp, (size_t)n + 1);
}

/* Runs of characters that need no escape go out in one copy. */
static void
put_string(struct json_w *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i, run = 0;

	putc_(w, '"');
	for (i = 0; i < len && p[i] != '\0'; i++) {
		unsigned char c = p[i];
		char esc[7];

		if (c != '"' && c != '\\' && c >= 0x20 && c != 0x7f)
			continue;
		put(w, p + run, i - run);
		run = i + 1;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			put(w, esc, 2);
		} else {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			put(w, esc, 6);
		}
	}
	put(w, p + run, i - run);
	putc_(w, '"');
}

static void
put_u64(struct json_w *w, uint64_t v)
{
	char buf[24], *e = buf + sizeof(buf), *p = e;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	put(w, p, (size_t)(e - p));
}

static void
member(struct json_w *w, const char *key)
{
	if (!w->first[w->depth])
		putc_(w, ',');
	w->first[w->depth] = false;
	if (w->depth > 0)
		indent(w);
	if (key != NULL) {
		put_string(w, key, strlen(key));
		put(w, ": ", w->pretty ? 2 : 1);
	}
}

static void
open_(struct json_w *w, const char *key, char c)
{
	member(w, key);
	putc_(w, c);
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
	putc_(w, c);
	if (w->depth == 0)
		json_flush(w);
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
	put_u64(w, val);
}

void
json_i64(struct json_w *w, const char *key, int64_t val)
{
	member(w, key);
	if (val < 0) {
		putc_(w, '-');
		put_u64(w, (uint64_t)0 - (uint64_t)val);
	} else {
		put_u64(w, (uint64_t)val);
	}
}

void
json_dbl(struct json_w *w, const char *key, double val, int decimals)
{
	char buf[400];
	int n;

	member(w, key);
	if (!isfinite(val)) {
		put(w, "null", 4);
		return;
	}
	if (decimals == 0 && val > -1e15 && val < 1e15 && val == (double)(int64_t)val) {
		/* Whole numbers, most of a report's: no printf. */
		if (val < 0) {
			putc_(w, '-');
			put_u64(w, (uint64_t)(-(int64_t)val));
		} else {
			put_u64(w, (uint64_t)val);
		}
		return;
	}
	n = snprintf(buf, sizeof(buf), "%.*f", decimals, val);
	if (n > 0)
		put(w, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void
json_bool(struct json_w *w, const char *key, bool val)
{
	member(w, key);
	if (val)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void
json_null(struct json_w *w, const char *key)
{
	member(w, key);
	put(w, "null", 4);
}

void
json_end(struct json_w *w)
{
	putc_(w, '\n');
	json_flush(w);
	fflush(w->f);
}
