/*
 * libFuzzer target: the whole analysis. The input is cut into frames
 * (fuzz.h gives the layout), fed with cap_decode_frame() and ana_packet() as a capture file
 * would be, then ana_flush(), ana_update(), the console's snapshots and
 * report_write() run on what came out.
 *
 * Besides what ASan and UBSan catch, two properties of the report are
 * checked, since bytes from the network reach it: the JSON report parses
 * as JSON (cJSON), and no report, text or Markdown, holds a control
 * character other than newline and tab (no escape sequence reaches a
 * terminal that shows it). The evidence lines of every host and incident
 * are checked the same way.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "analysis/ana.h"
#include "report/report.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/printable.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_FRAMES 2048

/* Local networks for --local, chosen by the flags' two high bits. */
static const char *const local_sets[4][3] = {
	{ "192.168.0.0/16", "fd00::/8", "127.0.0.1" },
	{ "10.0.0.0/8", "2001:db8::/32", "::1" },
	{ "172.16.0.0/12", "192.0.2.0/24", "2003::/16" },
	{ "128.0.0.0/1", "::/0", NULL },	/* nearly everything: internal traffic */
};

static void
broken(const char *what, const char *report, size_t len)
{
	fprintf(stderr, "fuzz_ana: broken: %s\n--- report (%zu bytes) ---\n", what, len);
	fwrite(report, 1, len, stderr);
	fprintf(stderr, "\n--- end of report ---\n");
	abort();
}

static void
check_line(const char *what, const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	if (n == max)
		broken(what, "not NUL-terminated", 18);
	if (fuzz_unprintable(s, n, false) >= 0)
		broken(what, s, n);
}

static void
snapshots(struct ana *a)
{
	unsigned n = ana_nhosts(a), i;
	struct ana_host_row *rows = calloc(n ? n : 1, sizeof(*rows));
	struct ana_host_info *info = malloc(sizeof(*info));
	struct ana_incident inc[16];

	if (rows == NULL || info == NULL)
		abort();
	n = ana_hosts(a, rows, n);
	for (i = 0; i < n; i++) {
		if (!ana_host(a, &rows[i].addr, info))
			broken("a listed host has no snapshot", "", 0);
		if (info->n_evidence < 0 || info->n_evidence > ANA_MAX_EVIDENCE)
			broken("evidence count out of range", "", 0);
		for (int j = 0; j < info->n_evidence; j++)
			check_line("host evidence", info->evidence[j], ANA_EVIDENCE_LEN);
		check_line("host advice", info->advice, sizeof(info->advice));
		check_line("burst pattern", info->bursts.pattern, sizeof(info->bursts.pattern));
		check_line("NTP refid", info->ntp.refid, sizeof(info->ntp.refid));
		check_line("NTP kiss code", info->ntp.kiss, sizeof(info->ntp.kiss));
		if ((unsigned)info->verdict >= V__COUNT || ana_verdict_name(info->verdict) == NULL)
			broken("verdict out of range", "", 0);
	}
	{
		struct ana_totals tot;
		struct ns_cidr nets[ANA_MAX_LOCAL];

		ana_totals(a, &tot);
		check_line("first decode error", tot.first_error, sizeof(tot.first_error));
		check_line("local reason", ana_local_reason(a), 512);
		if (ana_local_networks(a, nets, ANA_MAX_LOCAL) < 0)
			broken("negative local network count", "", 0);
	}
	n = ana_incidents(a, inc, 16);
	if (n > 16)
		broken("more incidents than asked for", "", 0);
	for (i = 0; i < n; i++) {
		if (inc[i].n_evidence < 0 || inc[i].n_evidence > 4 ||
		    inc[i].n_sample < 0 || inc[i].n_sample > ANA_INCIDENT_SAMPLE)
			broken("incident counts out of range", "", 0);
		for (int j = 0; j < inc[i].n_evidence; j++)
			check_line("incident evidence", inc[i].evidence[j], ANA_EVIDENCE_LEN);
	}
	free(rows);
	free(info);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ana_config cfg;
	struct report_meta meta;
	enum report_fmt fmt;
	struct ana *a;
	double ts;
	struct pkt p;
	uint8_t flags;
	uint32_t frameno = 0;
	uint64_t frames[2] = { 0, 0 };
	int first_dlt = -1;
	char *out = NULL;
	size_t outlen = 0;
	FILE *f;

	if (size < 1)
		return 0;
	flags = *data++, size--;

	memset(&cfg, 0, sizeof(cfg));
	ana_thresholds_default(&cfg.th);
	if (flags & FUZZ_ANA_INFER) {
		cfg.local_mode = ANA_LOCAL_INFER;
		cfg.infer_packets = flags & FUZZ_ANA_FEWINFER ? 8 : 0;
	} else {
		const char *const *set = local_sets[flags >> FUZZ_ANA_LOCAL_SHIFT];

		cfg.local_mode = ANA_LOCAL_GIVEN;
		for (int i = 0; i < 3 && set[i] != NULL; i++)
			if (ns_cidr_parse(&cfg.local[cfg.n_local++], set[i]) != 0)
				abort();
	}
	/* Tiny tables reach the eviction code; the defaults cost 4 MB an input. */
	if (!(flags & FUZZ_ANA_BIGCAPS)) {
		cfg.max_hosts = 16;
		cfg.max_flows = 32;
		cfg.max_targets = 8;
	}
	switch ((flags >> FUZZ_ANA_FMT_SHIFT) & 3) {
	case 1: fmt = REPORT_TEXT; break;
	case 2: fmt = REPORT_MARKDOWN; break;
	default: fmt = REPORT_JSON; break;
	}
	a = ana_new(&cfg);

	ts = flags & FUZZ_ANA_EPOCH ? 0.5 : FUZZ_TS_BASE;
	while (size >= 5 && frameno < MAX_FRAMES) {
		uint8_t sel = data[0];
		uint16_t dt = (uint16_t)(data[1] << 8 | data[2]);
		uint32_t len = (uint32_t)data[3] << 8 | data[4], v = dt & 0x3fff;
		int src = sel & FUZZ_SEL_SOURCE1 ? 1 : 0, dlt = fuzz_dlt(sel & 0x0f);

		data += 5, size -= 5;
		if (len > size)
			len = (uint32_t)size;
		switch (dt >> 14) {
		case FUZZ_DT_MS: ts += v / 1e3; break;
		case FUZZ_DT_S: ts += v; break;
		case FUZZ_DT_US: ts += v / 1e6; break;
		default: ts -= v / 1e3; break;
		}
		if (ts < 0)	/* pcap timestamps are unsigned */
			ts = 0;
		if (first_dlt < 0)
			first_dlt = dlt;
		frames[src]++;
		cap_decode_frame(&p, src, dlt, ts, ++frameno, data, len,
		    sel & FUZZ_SEL_SNAPPED ? len + 1000 : len);
		ana_packet(a, &p);
		data += len, size -= len;
	}
	ana_flush(a);
	ana_update(a);
	snapshots(a);

	memset(&meta, 0, sizeof(meta));
	meta.mode = "file";
	meta.n_sources = frames[1] ? 2 : 1;
	meta.sources[0].name = "fuzz0.pcap";
	meta.sources[1].name = "fuzz1.pcap";
	meta.sources[0].linktype = meta.sources[1].linktype =
	    cap_dlt_name(first_dlt < 0 ? 1 : first_dlt);
	meta.sources[0].frames = frames[0];
	meta.sources[1].frames = frames[1];
	meta.started = FUZZ_TS_BASE;
	f = open_memstream(&out, &outlen);
	if (f == NULL)
		abort();
	report_write(f, fmt, a, &meta);
	fclose(f);
	if (fuzz_unprintable(out, outlen, true) >= 0)
		broken("a control character or broken UTF-8 in the report", out, outlen);
	if (fmt == REPORT_JSON) {
		cJSON *j = cJSON_ParseWithLength(out, outlen);

		if (j == NULL || !cJSON_IsObject(j))
			broken("the JSON report does not parse", out, outlen);
		cJSON_Delete(j);
	}
	free(out);
	ana_free(a);
	return 0;
}
