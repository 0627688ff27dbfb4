/*
 * A small streaming JSON writer: the report and the exports write JSON
 * through it, so that every string is escaped in one place.
 */
#ifndef NS_JSON_H
#define NS_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json_w {
	FILE *f;
	int depth;
	bool first[32];	/* no comma needed before the next member, per level */
	bool pretty;
};

void json_init(struct json_w *, FILE *, bool pretty);
void json_obj_open(struct json_w *, const char *key);
void json_obj_close(struct json_w *);
void json_arr_open(struct json_w *, const char *key);
void json_arr_close(struct json_w *);
/* key is NULL inside arrays. */
void json_str(struct json_w *, const char *key, const char *val);
void json_strn(struct json_w *, const char *key, const char *val, size_t len);
void json_u64(struct json_w *, const char *key, uint64_t val);
void json_i64(struct json_w *, const char *key, int64_t val);
void json_dbl(struct json_w *, const char *key, double val, int decimals);
void json_bool(struct json_w *, const char *key, bool val);
void json_null(struct json_w *, const char *key);
void json_end(struct json_w *);

#endif
