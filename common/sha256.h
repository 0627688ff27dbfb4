/* SHA-256 (FIPS 180-4), to name an evidence file in a report. */
#ifndef NS_SHA256_H
#define NS_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	uint8_t buf[64];
	size_t n;
};

void sha256_init(struct sha256 *);
void sha256_update(struct sha256 *, const void *, size_t);
void sha256_final(struct sha256 *, uint8_t out[32]);
/* Hex digest of a file; 0, or -1 when it cannot be read. */
int sha256_file(const char *path, char hex[65]);

#endif
