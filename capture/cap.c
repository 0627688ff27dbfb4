#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/stat.h>

#include <pcap/pcap.h>

#include "capture/cap.h"
#include "capture/decode.h"
#include "capture/fwframe.h"
#include "capture/fwlog.h"
#include "common/util.h"

#ifndef DLT_NFLOG
#define DLT_NFLOG 239
#endif

#define DEFAULT_RING_ORDER 23	/* 8 MiB a source: 24,000 frames of the benchmark's mix */
/*
 * A classic pcap file is read in blocks of RD_BLOCK bytes into RD_BLOCKS
 * buffers that are reused once the consumer has released every frame in
 * them: 4 MiB however large the file, and the walk waits rather than run
 * further ahead.
 */
#define RD_BLOCK ((size_t)1 << 20)
#define RD_BLOCKS 4

struct source {
	struct cap *cap;
	int index;
	pcap_t *pcap;
	char *name;
	int dlt;
	bool live;
	/*
	 * Read only once poll() says the fd is readable: libpcap's netfilter
	 * reader blocks in recv() with no timeout, so neither the 50 ms
	 * timeout nor pcap_breakloop() would end a wait for a log group
	 * that logs nothing.
	 */
	bool poll_first;
	struct cap_ring *ring;
	pthread_t thread;
	bool started;
	uint32_t frameno;
	/*
	 * A classic pcap file in a regular file is read by this program in
	 * blocks (read_blocks), and the ring gets pointers into the blocks,
	 * not copies. libpcap reads what the walk leaves: anything after an
	 * unusual record, and whatever was appended after the walk's end.
	 */
	bool blocks;
	bool rd_swapped, rd_nano;
	int rd_fd;
	uint8_t *rd_buf[RD_BLOCKS];
	uint64_t rd_committed[RD_BLOCKS];	/* the ring's count after the block's last frame */
	bool has_prog;
	struct bpf_program prog;	/* the filter expression, for frames read by blocks */
	/*
	 * Written by the capture thread only, read by others for the stats:
	 * plain (relaxed) stores, no locked increment, which would wait for
	 * the packet's copy into the ring to reach the cache; on a line of
	 * their own, apart from what the consumer reads for every packet.
	 */
	char pad0[64];
	_Atomic uint64_t frames, ring_drops, kernel_drops, if_drops, bad_ts, truncated;
	char pad1[64];
	_Atomic uint32_t first_bad_ts;
	_Atomic bool done;
	double last_stats;
	char error[PCAP_ERRBUF_SIZE + 256];
	/*
	 * A firewall log: its descriptor until the thread takes it, the
	 * reader's context, and its counts as the thread last published
	 * them (pub, under the cap's lock) and as the main thread last
	 * took them (view).
	 */
	bool log, follow;
	int log_fd;
	char *log_path;
	struct fwlog_ctx log_ctx;
	struct fwlog_stats log_pub, log_view;
	/* Flow records: the sockets and files, and their counts as above. */
	struct flow_src *flow;
	struct flow_stats *flow_pub, *flow_view;
};

struct cap {
	struct source src[CAP_MAX_SOURCES];
	int n;
	bool live;
	int efd;
	_Atomic int consumer_waiting;
	_Atomic bool stopping;
	int next_rr;
	bool log, follow, flows;
	pthread_mutex_t lock;		/* log counts and the warning */
	char warning[600];
	unsigned warning_seq;
	char warning_view[600];		/* main thread: the copy cap_warning gave */
};

/*
 * One eventfd write per sleep of the consumer, not one per packet: the
 * consumer arms consumer_waiting before it sleeps, the first producer to
 * see it disarms it and writes.
 */
static void
wake_consumer(struct cap *c)
{
	uint64_t one = 1;

	if (atomic_load_explicit(&c->consumer_waiting, memory_order_relaxed) &&
	    atomic_exchange(&c->consumer_waiting, 0)) {
		if (write(c->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
			return;
	}
}

/* One more on a counter only this thread writes. */
static uint64_t
bump(_Atomic uint64_t *c)
{
	uint64_t v = atomic_load_explicit(c, memory_order_relaxed) + 1;

	atomic_store_explicit(c, v, memory_order_relaxed);
	return v;
}

static void
poll_kernel_stats(struct source *s)
{
	struct pcap_stat ps;

	if (!s->live || pcap_stats(s->pcap, &ps) != 0)
		return;
	atomic_store(&s->kernel_drops, ps.ps_drop);
	atomic_store(&s->if_drops, ps.ps_ifdrop);
}

/*
 * The capture thread's only work: hand each packet to the ring, as a copy
 * or, for a file read by blocks, as a pointer into the block (borrowed). A live
 * source drops and counts when the ring is full; a file source waits,
 * since nothing is lost by reading a file more slowly.
 */
static void
deliver(struct source *s, const struct pcap_pkthdr *h, const u_char *bytes, bool borrowed)
{
	struct cap_slot *slot;
	uint32_t len = h->caplen > CAP_SLOT_DATA ? CAP_SLOT_DATA : h->caplen;
	long frac = (long)h->ts.tv_usec;

	s->frameno++;
	while ((slot = cap_ring_reserve(s->ring, borrowed ? 0 : len)) == NULL) {
		if (s->live) {
			bump(&s->ring_drops);
			wake_consumer(s->cap);
			return;
		}
		if (atomic_load_explicit(&s->cap->stopping, memory_order_relaxed)) {
			pcap_breakloop(s->pcap);
			return;
		}
		wake_consumer(s->cap);
		nanosleep(&(struct timespec){ 0, 200000 }, NULL);
	}
	/* Timestamps are opened at nanosecond precision. */
	if (frac < 0 || frac >= 1000000000L) {
		if (bump(&s->bad_ts) == 1)
			atomic_store(&s->first_bad_ts, s->frameno);
		frac = frac < 0 ? 0 : 999999999L;
	}
	if (h->caplen > CAP_SLOT_DATA)
		bump(&s->truncated);
	slot->ts = (double)h->ts.tv_sec + frac / 1e9;
	slot->caplen = len;
	slot->wirelen = h->len;
	slot->frameno = s->frameno;
	slot->source = (uint16_t)s->index;
	slot->dlt = (uint16_t)s->dlt;
	if (borrowed) {
		slot->pkt = bytes;
	} else {
		memcpy(slot->data, bytes, len);
		slot->pkt = slot->data;
	}
	cap_ring_commit(s->ring);
	bump(&s->frames);
	wake_consumer(s->cap);
}

static void
on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	deliver((struct source *)user, h, bytes, false);
}

static uint32_t
rd32(const uint8_t *p, bool swapped)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swapped ? __builtin_bswap32(v) : v;
}

/* Wait until the consumer has released every frame of block i. */
static bool
block_wait(struct source *s, unsigned i)
{
	while (cap_ring_released(s->ring) < s->rd_committed[i]) {
		if (atomic_load_explicit(&s->cap->stopping, memory_order_relaxed))
			return false;
		wake_consumer(s->cap);
		nanosleep(&(struct timespec){ 0, 200000 }, NULL);
	}
	return true;
}

/* Up to n bytes of the file from off; fewer only at its end. */
static size_t
read_at(struct source *s, uint8_t *buf, size_t n, off_t off)
{
	return ns_read_full(s->rd_fd, buf, n, (long long)off);
}

/*
 * Walk the records as libpcap's reader would deliver them (sf-pcap.c):
 * signed 32-bit seconds and fraction, microseconds scaled to nanoseconds,
 * the filter applied. A record libpcap would cut or refuse (longer than
 * the snapshot length) or one cut short by the end of the file stops the
 * walk, and libpcap goes on from that record, so every error message and
 * every truncation stays libpcap's own. pcap_dispatch freads each frame
 * into its buffer and on_packet copied it again into the ring; here one
 * read brings a MiB of frames and nothing is copied after it. A record
 * that straddles two blocks is moved to the start of the next one.
 */
static void
read_blocks(struct source *s)
{
	uint32_t snap = (uint32_t)pcap_snapshot(s->pcap);
	off_t base = 24;	/* file offset of the current block's first byte */
	size_t pos = 0, n = 0;	/* the walk, and the bytes read, in the block */
	unsigned cur = 0;
	struct pcap_pkthdr h;
	uint8_t *b;

	for (unsigned i = 0; i < RD_BLOCKS; i++)
		s->rd_buf[i] = xmalloc(RD_BLOCK);
	b = s->rd_buf[0];
	n = read_at(s, b, RD_BLOCK, base);
	for (;;) {
		uint32_t caplen = 0;
		const uint8_t *data = b + pos + 16;

		if (n - pos >= 16) {
			caplen = rd32(b + pos + 8, s->rd_swapped);
			if (caplen > snap || caplen > RD_BLOCK - 16)
				break;	/* libpcap cuts it or refuses it */
		}
		if (n - pos < 16 || n - pos - 16 < caplen) {
			/* The record goes on past the block, or the file ends. */
			unsigned next = (cur + 1) % RD_BLOCKS;
			size_t left = n - pos;

			if (n < RD_BLOCK)
				break;	/* the file ends here: libpcap says how */
			s->rd_committed[cur] = cap_ring_committed(s->ring);
			if (!block_wait(s, next))
				break;
			memcpy(s->rd_buf[next], b + pos, left);
			base += (off_t)pos;
			b = s->rd_buf[cur = next];
			n = left + read_at(s, b + left, RD_BLOCK - left, base + (off_t)left);
			pos = 0;
			continue;
		}
		/* The records lie one after another: ask for the ones a few lines on. */
		if (n - pos > 1024)
			__builtin_prefetch(b + pos + 1024);
		h.ts.tv_sec = (int32_t)rd32(b + pos, s->rd_swapped);
		h.ts.tv_usec = (int32_t)rd32(b + pos + 4, s->rd_swapped);
		if (!s->rd_nano)
			h.ts.tv_usec *= 1000;
		h.caplen = caplen;
		h.len = rd32(b + pos + 12, s->rd_swapped);
		pos += 16 + (size_t)caplen;
		if (!s->has_prog || pcap_offline_filter(&s->prog, &h, data))
			deliver(s, &h, data, true);
		if (atomic_load_explicit(&s->cap->stopping, memory_order_relaxed))
			break;
	}
	if (fseeko(pcap_file(s->pcap), base + (off_t)pos, SEEK_SET) != 0)
		snprintf(s->error, sizeof(s->error), "cannot read capture file %s: after packet %u: %s",
		    s->name, s->frameno, strerror(errno));
}

/*
 * Read a capture file libpcap opened by blocks, when it is classic pcap
 * (version 2.4, either byte order, micro- or nanosecond) in a regular
 * file. Swapped files only for link types whose headers libpcap does not
 * rewrite on reading (it swaps some pseudo-headers of other types).
 */
static void
use_blocks(struct source *s)
{
	FILE *f = pcap_file(s->pcap);
	struct stat st;
	uint8_t hdr[4];
	uint32_t magic;

	if (getenv("NTPSLEUTH_NO_BLOCKS") != NULL)
		return;
	if (f == NULL || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
		return;
	if (pcap_major_version(s->pcap) != 2 || pcap_minor_version(s->pcap) != 4 || ftello(f) != 24)
		return;
	if (pread(fileno(f), hdr, 4, 0) != 4)
		return;
	memcpy(&magic, hdr, 4);
	switch (magic) {
	case 0xa1b2c3d4: case 0xd4c3b2a1:
		s->rd_nano = false;
		break;
	case 0xa1b23c4d: case 0x4d3cb2a1:
		s->rd_nano = true;
		break;
	default:
		return;
	}
	s->rd_swapped = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	if (s->rd_swapped != (pcap_is_swapped(s->pcap) == 1) ||
	    (s->rd_swapped && s->dlt != DLT_EN10MB && s->dlt != DLT_RAW && s->dlt != DLT_IPV4 &&
	    s->dlt != DLT_IPV6 && s->dlt != DLT_NULL && s->dlt != DLT_LOOP))
		return;
	s->rd_fd = fileno(f);
	s->blocks = true;
}

static void *
capture_thread(void *arg)
{
	struct source *s = arg;
	int r;

	if (s->blocks)
		read_blocks(s);
	for (;;) {
		if (s->error[0] != '\0' || atomic_load(&s->cap->stopping))
			break;
		if (s->poll_first) {
			struct pollfd pfd = { .fd = pcap_get_selectable_fd(s->pcap), .events = POLLIN };

			r = poll(&pfd, 1, 50);
			if (r < 0 && errno != EINTR) {
				snprintf(s->error, sizeof(s->error), "cannot read interface %s: poll: %s",
				    s->name, strerror(errno));
				break;
			}
			/*
			 * One recv() then, and every message it brought (-1), so
			 * that none waits in libpcap's buffer behind a poll().
			 */
			r = r > 0 ? pcap_dispatch(s->pcap, -1, on_packet, (u_char *)s) : 0;
		} else {
			r = pcap_dispatch(s->pcap, 256, on_packet, (u_char *)s);
		}
		if (s->live) {
			double now = ns_now_mono();

			if (now - s->last_stats > 0.5) {
				poll_kernel_stats(s);
				s->last_stats = now;
			}
		}
		if (r == PCAP_ERROR_BREAK || atomic_load(&s->cap->stopping))
			break;
		if (r == PCAP_ERROR) {
			snprintf(s->error, sizeof(s->error), "cannot read %s%s: after packet %u: %s",
			    s->live ? "interface " : "capture file ", s->name, s->frameno,
			    pcap_geterr(s->pcap));
			break;
		}
		if (r == 0 && !s->live)
			break;	/* end of file */
	}
	poll_kernel_stats(s);
	atomic_store(&s->done, true);
	/* Always wake: the consumer must see that this source finished. */
	{
		uint64_t one = 1;

		if (write(s->cap->efd, &one, sizeof(one)) < 0)
			(void)0;
	}
	return NULL;
}


/* ---- firewall logs: a thread a file, its packets as DLT_FWLOG frames ---- */

/*
 * Each packet a log line stands for, serialized into the ring. A log is
 * on disk: nothing is lost by waiting for room, followed or not.
 */
static void
log_packet(void *arg, struct pkt *p)
{
	struct source *s = arg;
	uint32_t need = FWFRAME_HDR + (p->rule != NULL ? p->rule_len : 0) +
	    (p->payload != NULL && p->payload_caplen > 0 ? 2 + p->payload_caplen : 0);
	struct cap_slot *slot;

	/* fwframe_encode cuts the payload, then the rule, to the slot. */
	if (need > CAP_SLOT_DATA)
		need = CAP_SLOT_DATA;
	while ((slot = cap_ring_reserve(s->ring, need)) == NULL) {
		if (atomic_load_explicit(&s->cap->stopping, memory_order_relaxed))
			return;
		wake_consumer(s->cap);
		nanosleep(&(struct timespec){ 0, 200000 }, NULL);
	}
	s->frameno++;
	slot->ts = p->ts;
	slot->caplen = (uint32_t)fwframe_encode(p, slot->data, need);
	slot->wirelen = p->wirelen;
	slot->frameno = s->frameno;
	slot->source = (uint16_t)s->index;
	slot->dlt = DLT_FWLOG;
	slot->pkt = slot->data;
	cap_ring_commit(s->ring);
	bump(&s->frames);
	wake_consumer(s->cap);
}

static void
log_progress(void *arg, const struct fwlog_stats *st)
{
	struct source *s = arg;

	pthread_mutex_lock(&s->cap->lock);
	s->log_pub = *st;
	pthread_mutex_unlock(&s->cap->lock);
}

static void
log_warn(void *arg, const char *msg)
{
	struct source *s = arg;

	pthread_mutex_lock(&s->cap->lock);
	snprintf(s->cap->warning, sizeof(s->cap->warning), "%s", msg);
	s->cap->warning_seq++;
	pthread_mutex_unlock(&s->cap->lock);
	wake_consumer(s->cap);
}

static void *
log_thread(void *arg)
{
	struct source *s = arg;
	struct fwlog_follow fo = {
		.path = s->follow ? s->log_path : NULL,
		.stop = &s->cap->stopping,
		.progress = log_progress,
		.warn = log_warn,
		.arg = s,
	};
	struct fwlog_stats *st = xcalloc(1, sizeof(*st));
	char err[sizeof(s->error)];
	int fd = s->log_fd;

	s->log_fd = -1;
	if (fwlog_read_follow(fd, s->name, &s->log_ctx, log_packet, s, st, &fo, err,
	    sizeof(err)) != 0)
		snprintf(s->error, sizeof(s->error), "%s", err);
	free(st);
	atomic_store(&s->done, true);
	{
		uint64_t one = 1;

		if (write(s->cap->efd, &one, sizeof(one)) < 0)
			(void)0;
	}
	return NULL;
}

static void
flow_progress(void *arg, const struct flow_stats *st)
{
	struct source *s = arg;

	pthread_mutex_lock(&s->cap->lock);
	*s->flow_pub = *st;
	pthread_mutex_unlock(&s->cap->lock);
}

static void *
flow_thread(void *arg)
{
	struct source *s = arg;
	char err[sizeof(s->error)];

	if (flow_src_run(s->flow, log_packet, s, flow_progress, &s->cap->stopping, err,
	    sizeof(err)) != 0)
		snprintf(s->error, sizeof(s->error), "%s", err);
	atomic_store(&s->done, true);
	{
		uint64_t one = 1;

		if (write(s->cap->efd, &one, sizeof(one)) < 0)
			(void)0;
	}
	return NULL;
}

const struct flow_stats *
cap_flow_stats(struct cap *c, int i)
{
	struct source *s = &c->src[i];

	if (s->flow == NULL)
		return NULL;
	pthread_mutex_lock(&c->lock);
	*s->flow_view = *s->flow_pub;
	pthread_mutex_unlock(&c->lock);
	return s->flow_view;
}

bool
cap_is_flow(const struct cap *c)
{
	return c->flows;
}

static int
open_logs(struct cap *c, const struct cap_config *cfg, char *err, size_t errlen)
{
	c->log = true;
	c->n = cfg->n_logs;
	for (int i = 0; i < cfg->n_logs; i++) {
		struct source *s = &c->src[i];
		bool stdin_ = strcmp(cfg->logs[i], "-") == 0;

		s->log = true;
		s->name = xstrdup(stdin_ ? "standard input" : cfg->logs[i]);
		s->log_path = xstrdup(cfg->logs[i]);
		/* Opened now, while privileges last; read by the thread. */
		if ((s->log_fd = fwlog_open(cfg->logs[i], err, errlen)) < 0)
			return -1;
		/* A pipe is read to its end, which is as long as its writer lives. */
		s->follow = cfg->follow && !stdin_;
		if (s->follow && fwlog_fd_is_gzip(s->log_fd)) {
			ns_warnx("%s is gzip-compressed: read once, not followed", s->name);
			s->follow = false;
		}
		c->follow = c->follow || s->follow;
		fwlog_ctx_init(&s->log_ctx);
		s->log_ctx.format = cfg->log_format;
		s->log_ctx.utc_offset_s = cfg->log_tz;
		s->log_ctx.year = cfg->log_year;
		s->dlt = DLT_FWLOG;
	}
	return 0;
}

const struct fwlog_stats *
cap_log_stats(struct cap *c, int i)
{
	struct source *s = &c->src[i];

	if (!s->log)
		return NULL;
	pthread_mutex_lock(&c->lock);
	s->log_view = s->log_pub;
	pthread_mutex_unlock(&c->lock);
	return &s->log_view;
}

const char *
cap_warning(struct cap *c, unsigned *seen)
{
	const char *w = NULL;

	pthread_mutex_lock(&c->lock);
	if (c->warning_seq != *seen) {
		*seen = c->warning_seq;
		snprintf(c->warning_view, sizeof(c->warning_view), "%s", c->warning);
		w = c->warning_view;
	}
	pthread_mutex_unlock(&c->lock);
	return w;
}

bool
cap_is_log(const struct cap *c)
{
	return c->log;
}

static int
set_filter(struct source *s, const char *filter, char *err, size_t errlen)
{
	struct bpf_program prog;
	bpf_u_int32 net = 0, mask = PCAP_NETMASK_UNKNOWN;
	char ebuf[PCAP_ERRBUF_SIZE];

	if (filter == NULL || *filter == '\0')
		return 0;
	if (s->live && pcap_lookupnet(s->name, &net, &mask, ebuf) != 0)
		mask = PCAP_NETMASK_UNKNOWN;
	if (pcap_compile(s->pcap, &prog, filter, 1, mask) != 0) {
		/* libpcap compiles no filter for NFLOG: the rule is the filter. */
		snprintf(err, errlen, "bad filter expression \"%s\": %s%s", filter,
		    pcap_geterr(s->pcap), s->dlt == DLT_NFLOG ?
		    " (on nflog, choose the packets in the firewall rule that logs them)" : "");
		return -1;
	}
	if (pcap_setfilter(s->pcap, &prog) != 0) {
		snprintf(err, errlen, "cannot set filter on %s: %s", s->name,
		    pcap_geterr(s->pcap));
		pcap_freecode(&prog);
		return -1;
	}
	s->prog = prog;
	s->has_prog = true;
	return 0;
}

/* A netfilter log device of libpcap: "nflog" or "nflog:GROUP[,GROUP...]". */
static bool
is_nflog(const char *name)
{
	return strncmp(name, "nflog", 5) == 0 && (name[5] == ':' || name[5] == '\0');
}

static int
open_live(struct source *s, const struct cap_config *cfg, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	int r;

	s->pcap = pcap_create(s->name, ebuf);
	if (s->pcap == NULL) {
		snprintf(err, errlen, "cannot capture on %s: %s", s->name, ebuf);
		return -1;
	}
	/*
	 * libpcap reads an NFLOG group into a buffer of snapshot length + 128
	 * bytes (pcap-netfilter-linux.c), but the kernel sends a group's
	 * messages in batches of a page (4 KiB) or more: with a snapshot of one
	 * slot, a batch was cut and messages lost (16 of 109 in the lab, two
	 * more garbled). The largest snapshot makes room for a batch; the
	 * kernel copies at most 64 KiB of a packet whatever we ask, and the
	 * ring keeps a slot's worth of it (the payload comes last).
	 */
	pcap_set_snaplen(s->pcap, is_nflog(s->name) ? 262144 : CAP_SLOT_DATA);
	pcap_set_promisc(s->pcap, !cfg->no_promisc);
	pcap_set_timeout(s->pcap, 50);
	pcap_set_buffer_size(s->pcap, 8 << 20);
	pcap_set_tstamp_precision(s->pcap, PCAP_TSTAMP_PRECISION_NANO);
	r = pcap_activate(s->pcap);
	if (r < 0) {
		snprintf(err, errlen, "cannot capture on %s: %s%s", s->name,
		    pcap_statustostr(r),
		    r == PCAP_ERROR_PERM_DENIED ? " (run as root or give the binary CAP_NET_RAW)" :
		    r == PCAP_ERROR_NO_SUCH_DEVICE ? " (see `ip link` for interface names)" : "");
		if (r == PCAP_ERROR && *pcap_geterr(s->pcap) != '\0')
			snprintf(err, errlen, "cannot capture on %s: %s%s", s->name,
			    pcap_geterr(s->pcap),
			    /* The kernel says EPERM when another socket has the group. */
			    is_nflog(s->name) && strstr(pcap_geterr(s->pcap), "group") != NULL ?
			    " (it takes root, and one program at a time on a log group: is tcpdump or ulogd on it?)" : "");
		return -1;
	}
	/* The thread stops on pcap_breakloop; a blocking read would also wake on the 50 ms timeout. */
	s->poll_first = is_nflog(s->name) && pcap_get_selectable_fd(s->pcap) >= 0;
	return 0;
}

struct cap *
cap_open(const struct cap_config *cfg, char *err, size_t errlen)
{
	struct cap *c = xcalloc(1, sizeof(*c));
	unsigned order = cfg->ring_order ? cfg->ring_order : DEFAULT_RING_ORDER;
	char ebuf[PCAP_ERRBUF_SIZE];
	int i;

	pthread_mutex_init(&c->lock, NULL);
	for (i = 0; i < CAP_MAX_SOURCES; i++)
		c->src[i].log_fd = -1;
	c->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (c->efd < 0)
		fatal("eventfd");
	if (cfg->n_flows + cfg->n_flow_files > 0) {
		struct source *s = &c->src[0];

		if (cfg->file != NULL || cfg->n_ifaces > 0 || cfg->n_logs > 0) {
			snprintf(err, errlen, "flow records are read instead of packets or logs: leave out -r, -i and --fwlog");
			goto fail;
		}
		s->flow = flow_src_open(cfg->flows, cfg->n_flows, cfg->flow_files,
		    cfg->n_flow_files, err, errlen);
		if (s->flow == NULL)
			goto fail;
		c->flows = true;
		c->live = flow_src_live(s->flow);
		c->n = 1;
		s->name = xstrdup(flow_src_name(s->flow));
		s->dlt = DLT_FWLOG;
		s->cap = c;
		s->index = 0;
		s->flow_pub = xcalloc(1, sizeof(*s->flow_pub));
		s->flow_view = xcalloc(1, sizeof(*s->flow_view));
		s->ring = cap_ring_new(order);
		return c;
	}
	if (cfg->n_logs > 0) {
		if (cfg->file != NULL || cfg->n_ifaces > 0) {
			snprintf(err, errlen, "firewall logs are read instead of packets: leave out -r and -i");
			goto fail;
		}
		if (open_logs(c, cfg, err, errlen) != 0)
			goto fail;
		for (i = 0; i < c->n; i++) {
			c->src[i].cap = c;
			c->src[i].index = i;
			c->src[i].ring = cap_ring_new(order);
		}
		return c;
	}
	if (cfg->file != NULL && cfg->n_ifaces > 0) {
		snprintf(err, errlen, "-r and -i cannot be used together");
		goto fail;
	}
	if (cfg->file != NULL) {
		struct source *s = &c->src[0];

		c->n = 1;
		s->name = xstrdup(strcmp(cfg->file, "-") == 0 ? "standard input" : cfg->file);
		s->pcap = pcap_open_offline_with_tstamp_precision(cfg->file,
		    PCAP_TSTAMP_PRECISION_NANO, ebuf);
		if (s->pcap == NULL) {
			snprintf(err, errlen, "cannot open capture file %s: %s", s->name, ebuf);
			goto fail;
		}
	} else {
		c->live = true;
		c->n = cfg->n_ifaces;
		for (i = 0; i < cfg->n_ifaces; i++) {
			c->src[i].name = xstrdup(cfg->ifaces[i]);
			c->src[i].live = true;
			if (open_live(&c->src[i], cfg, err, errlen) != 0)
				goto fail;
		}
	}
	for (i = 0; i < c->n; i++) {
		struct source *s = &c->src[i];

		s->cap = c;
		s->index = i;
		s->dlt = pcap_datalink(s->pcap);
		if (!cap_dlt_supported(s->dlt)) {
			snprintf(err, errlen, "%s: link type %s (%d) is not supported",
			    s->name, cap_dlt_name(s->dlt), s->dlt);
			goto fail;
		}
		if (set_filter(s, cfg->filter, err, errlen) != 0)
			goto fail;
		if (!s->live)
			use_blocks(s);
		/*
		 * Records of frames read by blocks are 64 bytes, and the walk
		 * stops at RD_BLOCKS blocks ahead anyway: 1 MiB of ring holds
		 * 16,384 of them, the benchmark's 4 MiB of frames in blocks about
		 * 12,000.
		 */
		s->ring = cap_ring_new(s->blocks && cfg->ring_order == 0 ? 20 : order);
	}
	return c;
fail:
	cap_close(c);
	return NULL;
}

int
cap_start(struct cap *c)
{
	for (int i = 0; i < c->n; i++) {
		if (pthread_create(&c->src[i].thread, NULL,
		    c->src[i].flow != NULL ? flow_thread : c->src[i].log ? log_thread :
		    capture_thread, &c->src[i]) != 0)
			return -1;
		c->src[i].started = true;
	}
	return 0;
}

int
cap_nsources(const struct cap *c)
{
	return c->n;
}

bool
cap_is_live(const struct cap *c)
{
	return c->live || c->follow;
}

int
cap_dlt(const struct cap *c, int i)
{
	return c->src[i].dlt;
}

const char *
cap_source_name(const struct cap *c, int i)
{
	return c->src[i].name;
}

/*
 * Several sources are merged by timestamp so that a request seen on the
 * inside interface is analysed before the reply seen on the outside one.
 */
struct cap_slot *
cap_next(struct cap *c, int *source)
{
	struct cap_slot *best = NULL, *s;
	int i, bi = -1;

	if (c->n == 1) {
		*source = 0;
		return cap_ring_peek(c->src[0].ring);
	}
	/*
	 * Logs read to their end are analysed one after the other, as given,
	 * as they were before they had threads: the first not finished.
	 */
	if (c->log && !c->follow) {
		for (i = 0; i < c->n; i++) {
			/* done first: what it committed before is then in the ring */
			bool done = atomic_load(&c->src[i].done);

			s = cap_ring_peek(c->src[i].ring);
			if (s != NULL || !done)
				break;
		}
		*source = i < c->n ? i : -1;
		return i < c->n ? s : NULL;
	}
	for (i = 0; i < c->n; i++) {
		s = cap_ring_peek(c->src[i].ring);
		if (s == NULL) {
			/*
			 * A live source with nothing queued must not hold the
			 * others back; a file source has only one ring.
			 */
			continue;
		}
		if (best == NULL || s->ts < best->ts) {
			best = s;
			bi = i;
		}
	}
	*source = bi;
	return best;
}

void
cap_release(struct cap *c, int source)
{
	cap_ring_release(c->src[source].ring);
}

bool
cap_finished(struct cap *c)
{
	for (int i = 0; i < c->n; i++) {
		if (!atomic_load(&c->src[i].done) || cap_ring_used(c->src[i].ring) > 0)
			return false;
	}
	return true;
}

static bool
any_ready(struct cap *c)
{
	for (int i = 0; i < c->n; i++)
		if (cap_ring_used(c->src[i].ring) > 0)
			return true;
	return false;
}

bool
cap_wait(struct cap *c, int timeout_ms)
{
	struct pollfd pfd = { .fd = c->efd, .events = POLLIN };

	if (any_ready(c))
		return true;
	if (cap_finished(c))
		return false;
	atomic_store(&c->consumer_waiting, 1);
	if (!any_ready(c) && !cap_finished(c))
		poll(&pfd, 1, timeout_ms);
	cap_drain_fd(c);
	atomic_store(&c->consumer_waiting, 0);
	return !cap_finished(c);
}

int
cap_fd(struct cap *c)
{
	atomic_store(&c->consumer_waiting, 1);
	return c->efd;
}

/* After a wake-up: empty the eventfd and arm it for the next one. */
void
cap_drain_fd(struct cap *c)
{
	uint64_t v;

	while (read(c->efd, &v, sizeof(v)) > 0)
		;
	atomic_store(&c->consumer_waiting, 1);
}

void
cap_stats(struct cap *c, int i, struct cap_source_stats *st)
{
	struct source *s = &c->src[i];

	memset(st, 0, sizeof(*st));
	st->name = s->name;
	st->dlt = s->dlt;
	st->frames = atomic_load(&s->frames);
	st->ring_drops = atomic_load(&s->ring_drops);
	st->kernel_drops = atomic_load(&s->kernel_drops);
	st->if_drops = atomic_load(&s->if_drops);
	st->bad_ts = atomic_load(&s->bad_ts);
	st->first_bad_ts = atomic_load(&s->first_bad_ts);
	st->truncated = atomic_load(&s->truncated);
	st->ring_used = s->ring ? cap_ring_used(s->ring) : 0;
	st->ring_size = s->ring ? cap_ring_size(s->ring) : 0;
	st->done = atomic_load(&s->done);
}

const char *
cap_error(struct cap *c)
{
	for (int i = 0; i < c->n; i++)
		if (atomic_load(&c->src[i].done) && c->src[i].error[0] != '\0')
			return c->src[i].error;
	return NULL;
}

int
cap_local_addrs(const struct cap *c, struct ns_cidr *out, int max)
{
	pcap_if_t *all = NULL, *d;
	pcap_addr_t *a;
	char ebuf[PCAP_ERRBUF_SIZE];
	int n = 0, i;

	if (!c->live || pcap_findalldevs(&all, ebuf) != 0)
		return 0;
	for (d = all; d != NULL; d = d->next) {
		for (i = 0; i < c->n; i++)
			if (strcmp(d->name, c->src[i].name) == 0)
				break;
		/* "any" captures everything: every interface's address is ours. */
		if (i == c->n && !(c->n == 1 && strcmp(c->src[0].name, "any") == 0))
			continue;
		for (a = d->addresses; a != NULL && n < max; a = a->next) {
			if (a->addr == NULL)
				continue;
			if (a->addr->sa_family == AF_INET) {
				ns_addr_set4(&out[n].addr,
				    (const uint8_t *)&((const struct sockaddr_in *)(const void *)a->addr)->sin_addr);
				out[n++].bits = 32;
			} else if (a->addr->sa_family == AF_INET6) {
				ns_addr_set6(&out[n].addr,
				    (const uint8_t *)&((const struct sockaddr_in6 *)(const void *)a->addr)->sin6_addr);
				out[n++].bits = 128;
			}
		}
	}
	pcap_freealldevs(all);
	return n;
}

void
cap_close(struct cap *c)
{
	int i;

	if (c == NULL)
		return;
	atomic_store(&c->stopping, true);
	for (i = 0; i < c->n; i++)
		if (c->src[i].pcap != NULL)
			pcap_breakloop(c->src[i].pcap);
	for (i = 0; i < c->n; i++) {
		if (c->src[i].started)
			pthread_join(c->src[i].thread, NULL);
		if (c->src[i].pcap != NULL)
			pcap_close(c->src[i].pcap);
		if (c->src[i].has_prog)
			pcap_freecode(&c->src[i].prog);
		for (unsigned j = 0; j < RD_BLOCKS; j++)
			free(c->src[i].rd_buf[j]);
		cap_ring_free(c->src[i].ring);
		free(c->src[i].name);
		free(c->src[i].log_path);
		if (c->src[i].log_fd >= 0)
			close(c->src[i].log_fd);
		flow_src_free(c->src[i].flow);
		free(c->src[i].flow_pub);
		free(c->src[i].flow_view);
	}
	close(c->efd);
	pthread_mutex_destroy(&c->lock);
	free(c);
}
