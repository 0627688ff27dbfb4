/*
 * The oracle for text that came from the network and reaches a terminal
 * or a report (STYLE.md, "Untrusted bytes"): valid UTF-8 with no C0
 * control but (when allowed) newline and tab, no DEL, and no C1 control
 * (U+0080-U+009F, which an 8-bit terminal reads as CSI and friends).
 */
#ifndef NS_FUZZ_PRINTABLE_H
#define NS_FUZZ_PRINTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Offset of the first byte that breaks the rule, or -1. */
static inline long
fuzz_unprintable(const char *str, size_t len, bool newlines)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		uint32_t cp;
		size_t n, k;

		if (c < 0x80) {
			if ((c < 0x20 && !(newlines && (c == '\n' || c == '\t'))) || c == 0x7f)
				return (long)i;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 2, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 3, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 4, cp = c & 0x07;
		else
			return (long)i;
		if (len - i < n)
			return (long)i;
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return (long)i;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
			return (long)i;
		i += n;
	}
	return -1;
}

#endif
