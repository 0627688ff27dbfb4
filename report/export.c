#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "report/export.h"
#include "capture/decode.h"
#include "capture/pcapng.h"
#include "common/afile.h"
#include "common/sha256.h"
#include "common/util.h"

int
export_format_of(const char *path, enum report_fmt *f)
{
	const char *dot = strrchr(path, '.');

	if (dot == NULL)
		return -1;
	if (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".markdown") == 0)
		*f = REPORT_MARKDOWN;
	else if (strcasecmp(dot, ".json") == 0)
		*f = REPORT_JSON;
	else if (strcasecmp(dot, ".txt") == 0)
		*f = REPORT_TEXT;
	else
		return -1;
	return 0;
}

/*
 * Without a choice, the evidence covers the hosts worth a look: attack
 * verdicts first, then unsolicited ones, at most ANA_MAX_WATCH.
 */
static int
pick_hosts(struct ana *a, struct ns_addr *out)
{
	unsigned n = ana_nhosts(a), i;
	struct ana_host_row *rows = xcalloc(n ? n : 1, sizeof(*rows));
	int k = 0;

	n = ana_hosts(a, rows, n);
	for (int sev = 2; sev >= 1; sev--)
		for (i = 0; i < n && k < ANA_MAX_WATCH; i++)
			if (ana_verdict_severity(rows[i].verdict) == sev)
				out[k++] = rows[i].addr;
	free(rows);
	return k;
}

struct ev_ctx {
	struct pcapng_w w;
	int err;
};

static void
ev_write(void *arg, int dlt, double ts, const uint8_t *data, uint32_t caplen, uint32_t wirelen)
{
	struct ev_ctx *c = arg;

	if (pcapng_packet(&c->w, dlt, ts, data, caplen, wirelen) != 0)
		c->err = 1;
}

static bool
involves(const struct ns_addr *hosts, int n, const struct pkt *p)
{
	for (int i = 0; i < n; i++)
		if (ns_addr_eq(&hosts[i], &p->src) || ns_addr_eq(&hosts[i], &p->dst))
			return true;
	return false;
}

/* A capture file is read again: every packet of the hosts, whole. */
static int
reread(const struct export_opts *o, const struct ns_addr *hosts, int n, struct ev_ctx *c,
    char *msg, size_t msglen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	int dlt, r, fd = dup(fileno(o->reread));
	FILE *f;

	/* pcap_close() closes the stream it reads: give it a copy. */
	if (fd < 0 || (f = fdopen(fd, "rb")) == NULL) {
		snprintf(msg, msglen, "cannot read the capture again for the evidence");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	rewind(f);
	p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (p == NULL) {
		snprintf(msg, msglen, "cannot read the capture again for the evidence: %s", ebuf);
		fclose(f);
		return -1;
	}
	dlt = pcap_datalink(p);
	while ((r = pcap_next_ex(p, &h, &data)) == 1) {
		struct pkt k;

		memset(&k, 0, sizeof(k));
		if (cap_decode(&k, dlt, data, h->caplen) >= PKT_NOT_IP && k.ipver == 0)
			continue;
		if (involves(hosts, n, &k))
			ev_write(c, dlt, (double)h->ts.tv_sec + h->ts.tv_usec / 1e9, data,
			    h->caplen, h->len);
	}
	/* A damaged file still yields what came before the damage. */
	pcap_close(p);
	return 0;
}

static int
write_evidence(struct ana *a, struct report_meta *m, const struct export_opts *o,
    char *msg, size_t msglen)
{
	struct ns_addr hosts[ANA_MAX_WATCH];
	char comment[1024], buf[NS_ADDRSTRLEN];
	struct ev_ctx c;
	struct afile af;
	FILE *f;
	size_t len;
	int n, i;

	n = o->n_hosts > 0 ? o->n_hosts : pick_hosts(a, hosts);
	if (o->n_hosts > 0)
		memcpy(hosts, o->hosts, sizeof(hosts[0]) * (size_t)n);
	if (n == 0) {
		snprintf(msg, msglen, "no host to take evidence of (no attack or unsolicited verdict; name one with --evidence-host)");
		return -1;
	}
	f = afile_open(&af, o->evidence_path, o->force, msg, msglen);
	if (f == NULL)
		return -1;
	len = (size_t)snprintf(comment, sizeof(comment), "ntpsleuth evidence: packets of");
	for (i = 0; i < n && len < sizeof(comment); i++)
		len += (size_t)snprintf(comment + len, sizeof(comment) - len, " %s",
		    ns_addr_fmt(&hosts[i], buf, sizeof(buf)));
	memset(&c, 0, sizeof(c));
	if (pcapng_begin(&c.w, f, comment) != 0)
		c.err = 1;
	if (o->reread != NULL) {
		if (reread(o, hosts, n, &c, msg, msglen) != 0) {
			afile_abort(&af);
			return -1;
		}
	} else {
		for (i = 0; i < n; i++)
			ana_evidence(a, &hosts[i], ev_write, &c);
	}
	if (c.err) {
		snprintf(msg, msglen, "cannot write %s", o->evidence_path);
		afile_abort(&af);
		return -1;
	}
	if (afile_commit(&af, msg, msglen) != 0)
		return -1;
	m->evidence_path = o->evidence_path;
	m->evidence_packets = c.w.packets;
	m->n_evidence_hosts = n;
	memcpy(m->evidence_hosts, hosts, sizeof(hosts[0]) * (size_t)n);
	if (sha256_file(o->evidence_path, m->evidence_sha256) != 0)
		snprintf(m->evidence_sha256, sizeof(m->evidence_sha256), "unreadable");
	return 0;
}

int
ana_export(struct ana *a, struct report_meta *m, const struct export_opts *o, char *msg,
    size_t msglen)
{
	struct afile af;
	FILE *f;
	size_t len = 0;

	msg[0] = '\0';
	if (o->evidence_path != NULL) {
		if (write_evidence(a, m, o, msg, msglen) != 0)
			return -1;
		len = (size_t)snprintf(msg, msglen, "wrote %s (%llu packets, SHA-256 %.16s...)",
		    o->evidence_path, (unsigned long long)m->evidence_packets, m->evidence_sha256);
	}
	if (o->path == NULL)
		return 0;
	f = afile_open(&af, o->path, o->force, msg, msglen);
	if (f == NULL)
		return -1;
	report_write(f, o->fmt, a, m);
	if (afile_commit(&af, msg, msglen) != 0)
		return -1;
	if (len < msglen)
		snprintf(msg + len, msglen - len, "%swrote %s", len ? "; " : "", o->path);
	return 0;
}
