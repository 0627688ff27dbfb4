/*
 * Bounds-checked reads of untrusted bytes: packets, and the NTP replies
 * lookups/ntpq.c receives. Every dissector reads through a cursor; a read past the end returns 0 and sets the sticky
 * `trunc` flag, which the dissector checks once at the points where a
 * truncated header changes what it does.
 */
#ifndef NS_CURSOR_H
#define NS_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cur {
	const uint8_t *p;	/* start of the current header */
	const uint8_t *end;	/* one past the last captured byte */
	bool trunc;		/* some read went past end */
};

static inline void
cur_init(struct cur *c, const uint8_t *p, size_t len)
{
	c->p = p;
	c->end = p + len;
	c->trunc = false;
}

static inline size_t
cur_left(const struct cur *c)
{
	return c->p < c->end ? (size_t)(c->end - c->p) : 0;
}

static inline bool
cur_has(struct cur *c, size_t off, size_t n)
{
	if (off > cur_left(c) || n > cur_left(c) - off) {
		c->trunc = true;
		return false;
	}
	return true;
}

static inline uint8_t
get_u8(struct cur *c, size_t off)
{
	return cur_has(c, off, 1) ? c->p[off] : 0;
}

static inline uint16_t
get_be16(struct cur *c, size_t off)
{
	if (!cur_has(c, off, 2))
		return 0;
	return (uint16_t)(c->p[off] << 8 | c->p[off + 1]);
}

static inline uint16_t
get_le16(struct cur *c, size_t off)
{
	if (!cur_has(c, off, 2))
		return 0;
	return (uint16_t)(c->p[off + 1] << 8 | c->p[off]);
}

/*
 * Host byte order, for the one format that carries it: NFLOG's attribute
 * headers, netlink's as the capturing machine wrote them (libpcap swaps
 * them when it reads a file of the other byte order).
 */
static inline uint16_t
get_he16(struct cur *c, size_t off)
{
	uint16_t v;

	if (!cur_has(c, off, 2))
		return 0;
	memcpy(&v, c->p + off, 2);
	return v;
}

static inline uint32_t
get_be32(struct cur *c, size_t off)
{
	if (!cur_has(c, off, 4))
		return 0;
	return (uint32_t)c->p[off] << 24 | (uint32_t)c->p[off + 1] << 16 |
	    (uint32_t)c->p[off + 2] << 8 | c->p[off + 3];
}

static inline uint32_t
get_le32(struct cur *c, size_t off)
{
	if (!cur_has(c, off, 4))
		return 0;
	return (uint32_t)c->p[off + 3] << 24 | (uint32_t)c->p[off + 2] << 16 |
	    (uint32_t)c->p[off + 1] << 8 | c->p[off];
}

static inline uint64_t
get_be64(struct cur *c, size_t off)
{
	if (!cur_has(c, off, 8))
		return 0;
	return (uint64_t)get_be32(c, off) << 32 | get_be32(c, off + 4);
}

/* Pointer to n bytes at off, or NULL (and trunc set). */
static inline const uint8_t *
get_bytes(struct cur *c, size_t off, size_t n)
{
	return cur_has(c, off, n) ? c->p + off : NULL;
}

/* Move the start forward by n bytes; false (and trunc) if not captured. */
static inline bool
cur_advance(struct cur *c, size_t n)
{
	if (!cur_has(c, 0, n))
		return false;
	c->p += n;
	return true;
}

/* Limit the cursor to n bytes from its start (a header's length field). */
static inline void
cur_limit(struct cur *c, size_t n)
{
	if (n < cur_left(c))
		c->end = c->p + n;
}

#endif
