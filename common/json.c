#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

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
	w->blocks = NULL;
	w->block_len = NULL;
	w->n_blocks = 0;
}

void
json_init_mem(struct json_w *w, bool pretty)
{
	json_init(w, NULL, pretty);
}

void
json_flush(struct json_w *w)
{
	if (w->len == 0)
		return;
	if (w->f != NULL) {
		fwrite(w->buf, 1, w->len, w->f);
	} else {
		/* Memory: one block per flush, no realloc of what is written. */
		if ((w->n_blocks & (w->n_blocks - 1)) == 0) {
			size_t cap = w->n_blocks ? w->n_blocks * 2 : 16;

			w->blocks = xreallocarray(w->blocks, cap, sizeof(*w->blocks));
			w->block_len = xreallocarray(w->block_len, cap, sizeof(*w->block_len));
		}
		w->blocks[w->n_blocks] = xmalloc(w->len);
		memcpy(w->blocks[w->n_blocks], w->buf, w->len);
		w->block_len[w->n_blocks++] = w->len;
	}
	w->len = 0;
}

int
json_mem_write(struct json_w *w, FILE *f)
{
	int err = 0;

	json_flush(w);
	for (size_t i = 0; i < w->n_blocks; i++) {
		if (fwrite(w->blocks[i], 1, w->block_len[i], f) != w->block_len[i])
			err = -1;
		free(w->blocks[i]);
	}
	free(w->blocks);
	free(w->block_len);
	w->blocks = NULL;
	w->block_len = NULL;
	w->n_blocks = 0;
	return err;
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

/* Bytes a JSON string must escape: '"', '\\', controls and DEL. */
static const uint8_t needs_escape[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1, [0x7f] = 1,
};

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

		if (!needs_escape[c])
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

/*
 * The comma, the indentation and the key of the next member. A report
 * has a million of them: one check for room, then plain stores. The
 * key is copied as it is scanned, and the indentation is one fixed-size
 * copy: the variable-length memcpy and memset this replaces compiled to
 * rep-prefixed moves, whose start-up cost was a third of the report's
 * time in member().
 */
#define KEY_FAST 256
#define MEMBER_ROOM (2 + 64 + 1 + KEY_FAST + 3)

static void
member(struct json_w *w, const char *key)
{
	static const char sp[64] = "                                                                ";
	int ind = w->pretty && w->depth > 0 ? 2 * w->depth : -1;
	char *o;

	if (ind > 64)
		ind = 64;
	if (w->len + MEMBER_ROOM > sizeof(w->buf))
		json_flush(w);
	o = w->buf + w->len;
	if (!w->first[w->depth])
		*o++ = ',';
	if (ind >= 0) {
		*o++ = '\n';
		memcpy(o, sp, sizeof(sp));
		o += ind;
	}
	if (key != NULL) {
		size_t i;

		*o++ = '"';
		/* needs_escape[0] is set: one test ends the key or finds an escape. */
		for (i = 0; i < KEY_FAST && !needs_escape[(unsigned char)key[i]]; i++)
			o[i] = key[i];
		if (key[i] != '\0') {
			/* Escapes or a long key: the careful way, from the comma on. */
			if (!w->first[w->depth])
				putc_(w, ',');
			w->first[w->depth] = false;
			if (w->depth > 0)
				indent(w);
			put_string(w, key, strlen(key));
			put(w, ": ", w->pretty ? 2 : 1);
			return;
		}
		o += i;
		*o++ = '"';
		*o++ = ':';
		if (w->pretty)
			*o++ = ' ';
	}
	w->first[w->depth] = false;
	w->len = (size_t)(o - w->buf);
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

/*
 * printf's "%.*f" without printf, for |v| < 2^53 and up to 9 decimals:
 * v is m * 2^e exactly, so v * 10^d is m * 10^d * 2^e, an exact 128-bit
 * product shifted right with the remainder rounded to nearest, ties to
 * even, as glibc rounds. 0 when out of range (the caller uses printf).
 */
size_t
json_fmt_fixed(char *out, double v, int d)
{
	static const uint64_t p10[10] = { 1, 10, 100, 1000, 10000, 100000, 1000000,
		10000000, 100000000, 1000000000 };
	double a = fabs(v), m;
	unsigned __int128 x, q;
	uint64_t ip, fp;
	char *o = out;
	int e, sh;

	if (!(a < 9007199254740992.0) || d < 0 || d > 9)
		return 0;
	m = frexp(a, &e);
	x = (unsigned __int128)(uint64_t)ldexp(m, 53) * p10[d];	/* < 2^83 */
	sh = 53 - e;		/* a = mantissa * 2^-sh, sh >= 0 below 2^53 */
	if (sh == 0) {
		q = x;
	} else if (sh > 100) {
		q = 0;		/* below 2^-47 times 10^d: rounds to 0 */
	} else {
		unsigned __int128 rem = x & (((unsigned __int128)1 << sh) - 1);
		unsigned __int128 half = (unsigned __int128)1 << (sh - 1);

		q = x >> sh;
		if (rem > half || (rem == half && (q & 1)))
			q++;
	}
	ip = (uint64_t)(q / p10[d]);
	fp = (uint64_t)(q % p10[d]);
	if (signbit(v))
		*o++ = '-';
	{
		char t[24], *p = t + sizeof(t);

		do {
			*--p = (char)('0' + ip % 10);
			ip /= 10;
		} while (ip != 0);
		memcpy(o, p, (size_t)(t + sizeof(t) - p));
		o += t + sizeof(t) - p;
	}
	if (d > 0) {
		*o++ = '.';
		for (int i = d - 1; i >= 0; i--) {
			o[i] = (char)('0' + fp % 10);
			fp /= 10;
		}
		o += d;
	}
	*o = '\0';
	return (size_t)(o - out);
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
	if ((n = (int)json_fmt_fixed(buf, val, decimals)) > 0) {
		put(w, buf, (size_t)n);
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
