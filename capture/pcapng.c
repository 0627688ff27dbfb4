#include "config.h"

#include <math.h>
#include <string.h>

#include "capture/pcapng.h"

static int
put32(FILE *f, uint32_t v)
{
	return fwrite(&v, 4, 1, f) == 1 ? 0 : -1;
}

static int
pad(FILE *f, size_t len)
{
	static const uint8_t zero[4];
	size_t p = (4 - len % 4) % 4;

	return p == 0 || fwrite(zero, 1, p, f) == p ? 0 : -1;
}

/* Option: code, length, value padded to 4 bytes. */
static int
option(FILE *f, uint16_t code, const void *val, uint16_t len)
{
	uint16_t h[2] = { code, len };

	if (fwrite(h, 2, 2, f) != 2 || (len && fwrite(val, 1, len, f) != len))
		return -1;
	return pad(f, len);
}

static uint32_t
optlen(size_t len)
{
	return (uint32_t)(4 + len + (4 - len % 4) % 4);
}

/*
 * Section Header Block:
 * | 0x0A0D0D0A | length | 0x1A2B3C4D | major 1 | minor 0 | section length -1 (64) |
 * | options (shb_userappl, opt_comment) | length |
 */
int
pcapng_begin(struct pcapng_w *w, FILE *f, const char *comment)
{
	static const char app[] = PACKAGE_STRING;
	size_t clen = comment ? strlen(comment) : 0;
	uint32_t len = 28 + optlen(sizeof(app) - 1) + (clen ? optlen(clen) : 0) + 4;
	uint16_t ver[2] = { 1, 0 };
	int64_t sect = -1;

	memset(w, 0, sizeof(*w));
	w->f = f;
	if (clen > 65000)
		clen = 65000;
	if (put32(f, 0x0A0D0D0A) || put32(f, len) || put32(f, 0x1A2B3C4D) ||
	    fwrite(ver, 2, 2, f) != 2 || fwrite(&sect, 8, 1, f) != 1 ||
	    option(f, 4, app, sizeof(app) - 1) ||
	    (clen && option(f, 1, comment, (uint16_t)clen)) || option(f, 0, NULL, 0) ||
	    put32(f, len))
		return -1;
	return 0;
}

/*
 * Interface Description Block:
 * | 0x00000001 | length | linktype (16) | reserved (16) | snaplen |
 * | options (if_tsresol = 9: nanoseconds) | length |
 */
static int
iface(struct pcapng_w *w, int dlt)
{
	uint8_t res = 9;
	uint32_t len = 20 + optlen(1) + 4;
	uint16_t lt[2] = { (uint16_t)dlt, 0 };

	if (w->n_ifaces >= PCAPNG_MAX_IFACES)
		return -1;
	if (put32(w->f, 1) || put32(w->f, len) || fwrite(lt, 2, 2, w->f) != 2 ||
	    put32(w->f, 0) || option(w->f, 9, &res, 1) || option(w->f, 0, NULL, 0) ||
	    put32(w->f, len))
		return -1;
	w->dlts[w->n_ifaces] = dlt;
	return w->n_ifaces++;
}

/*
 * Enhanced Packet Block:
 * | 0x00000006 | length | interface id | timestamp high | timestamp low |
 * | captured length | original length | data, padded | length |
 */
int
pcapng_packet(struct pcapng_w *w, int dlt, double ts, const uint8_t *data, uint32_t caplen,
    uint32_t wirelen)
{
	int id;
	uint64_t t = ts > 0 ? (uint64_t)llround(ts * 1e9) : 0;
	uint32_t len = 32 + caplen + (4 - caplen % 4) % 4;

	for (id = 0; id < w->n_ifaces && w->dlts[id] != dlt; id++)
		;
	if (id == w->n_ifaces && (id = iface(w, dlt)) < 0)
		return -1;
	if (put32(w->f, 6) || put32(w->f, len) || put32(w->f, (uint32_t)id) ||
	    put32(w->f, (uint32_t)(t >> 32)) || put32(w->f, (uint32_t)t) ||
	    put32(w->f, caplen) || put32(w->f, wirelen) ||
	    fwrite(data, 1, caplen, w->f) != caplen || pad(w->f, caplen) ||
	    put32(w->f, len))
		return -1;
	w->packets++;
	return 0;
}
