/*
 * A small streaming JSON writer: the report and the exports write JSON
 * through it, so that every string is escaped in one place.
 */
#ifndef NS_JSON_H
#define NS_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Output is gathered in buf and goes to f when it fills, when the
 * outermost object or array closes, and at json_end(): a 40 MB report is
 * a few thousand writes, not millions of locked stdio calls.
 */
#define JSON_BUF 16384
struct json_w {
	FILE *f;
	int depth;
	bool first[32];	/* no comma needed before the next member, per level */
	bool pretty;
	size_t len;
	char buf[JSON_BUF];
	/* Without a FILE (json_init_mem): the output, block by block. */
	char **blocks;
	size_t *block_len;
	size_t n_blocks;
};

void json_init(struct json_w *, FILE *, bool pretty);
/*
 * Into memory, for a part written by another thread: json_mem_write()
 * then puts it on a FILE and frees it.
 */
void json_init_mem(struct json_w *, bool pretty);
int json_mem_write(struct json_w *, FILE *);
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
/* printf's "%.*f" for |v| < 2^53, decimals <= 9, in out[40]; 0 if out of range. */
size_t json_fmt_fixed(char *out, double v, int decimals);
/* Hand what is gathered to the FILE (done by the calls above as needed). */
void json_flush(struct json_w *);

#endif
