/*
 * The host list: one row per remote host, sorted by any column, filtered,
 * with the incidents above it.
 *
 * The order is recomputed at each analysis update (a few times a second).
 * A sort is stable and ties are broken by traffic and then address, so
 * equal rows never swap places between updates; 'o' freezes the order
 * outright, as iftop's 'o' does: every host keeps its place and new hosts
 * are added at the bottom.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "tui/screen.h"

const char *const tui_col_title[COL__COUNT] = {
	[COL_ADDR] = "ADDRESS",
	[COL_VERDICT] = "VERDICT",
	[COL_CONF] = "CONF",
	[COL_PIN] = "IN",
	[COL_POUT] = "OUT",
	[COL_RIN] = "IN/s",
	[COL_ROUT] = "OUT/s",
	[COL_PORTS] = "PORTS",
	[COL_LAST] = "LAST",
};

/* Widths of the fixed columns; the address takes what is left. */
static const int col_width[COL__COUNT] = {
	[COL_ADDR] = 0,
	[COL_VERDICT] = 16,
	[COL_CONF] = 4,
	[COL_PIN] = 5,
	[COL_POUT] = 5,
	[COL_RIN] = 5,
	[COL_ROUT] = 5,
	[COL_PORTS] = 5,
	[COL_LAST] = 4,
};

/* Columns sorted smallest first by default; the others biggest first. */
static bool
ascending(enum tui_col c)
{
	return c == COL_ADDR;
}

void
tui_list_init(struct tui *t)
{
	ns_amap_init(&t->ranks);
	ns_amap_init(&t->names);
	t->sort = COL_VERDICT;
}

void
tui_list_free(struct tui *t)
{
	for (unsigned i = 0; i < t->n_names; i++)
		free(t->name_str[i]);
	free(t->name_str);
	free(t->rows);
	free(t->view);
	ns_amap_free(&t->ranks);
	ns_amap_free(&t->names);
}

const char *
tui_name_of(const struct tui *t, const struct ns_addr *a)
{
	uintptr_t i;

	if (ns_amap_get(&t->names, a, &i))
		return t->name_str[i];
	return "";
}

/* name is already printable (tui_clean). */
void
tui_name_set(struct tui *t, const struct ns_addr *a, const char *name)
{
	uintptr_t i;

	if (ns_amap_get(&t->names, a, &i)) {
		if (strcmp(t->name_str[i], name) != 0) {
			free(t->name_str[i]);
			t->name_str[i] = xstrdup(name);
		}
		return;
	}
	if (t->n_names == t->cap_names) {
		t->cap_names = t->cap_names ? t->cap_names * 2 : 64;
		t->name_str = xreallocarray(t->name_str, t->cap_names, sizeof(*t->name_str));
	}
	t->name_str[t->n_names] = xstrdup(name);
	ns_amap_put(&t->names, a, t->n_names);
	t->n_names++;
}

/* ---- sorting ---- */

static int
cmp_num(double a, double b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

static int
cmp_col(const struct tui *t, enum tui_col c, const struct tui_row *x,
    const struct tui_row *y)
{
	const struct ana_host_row *a = &x->r, *b = &y->r;

	switch (c) {
	case COL_ADDR:
		return ns_addr_cmp(&a->addr, &b->addr);
	case COL_VERDICT: {
		int r = cmp_num(ana_verdict_severity(a->verdict), ana_verdict_severity(b->verdict));

		if (r == 0)
			r = cmp_num(a->verdict, b->verdict);
		if (r == 0)
			r = cmp_num(a->confidence, b->confidence);
		return r;
	}
	case COL_CONF:
		return cmp_num(a->confidence, b->confidence);
	case COL_PIN:
		return cmp_num((double)a->packets_in, (double)b->packets_in);
	case COL_POUT:
		return cmp_num((double)a->packets_out, (double)b->packets_out);
	case COL_RIN:
		return cmp_num(a->pps_in, b->pps_in);
	case COL_ROUT:
		return cmp_num(a->pps_out, b->pps_out);
	case COL_PORTS:
		return cmp_num(a->local_ports, b->local_ports);
	case COL_LAST:
		return cmp_num(a->last, b->last);
	case COL__COUNT:
		break;
	}
	(void)t;
	return 0;
}

/* Negative when x goes above y. */
static int
row_order(const struct tui *t, unsigned xi, unsigned yi, bool by_rank)
{
	const struct tui_row *x = &t->rows[xi], *y = &t->rows[yi];
	int r;

	if (by_rank)
		return cmp_num(x->rank, y->rank);
	r = cmp_col(t, t->sort, x, y);
	if (!ascending(t->sort))
		r = -r;
	if (r == 0)
		r = -cmp_num((double)(x->r.packets_in + x->r.packets_out),
		    (double)(y->r.packets_in + y->r.packets_out));
	if (r == 0)
		r = ns_addr_cmp(&x->r.addr, &y->r.addr);
	return t->reverse ? -r : r;
}

/* A stable merge sort: qsort is not stable and has no context argument. */
static void
sort_view(const struct tui *t, unsigned *v, unsigned *tmp, unsigned n, bool by_rank)
{
	unsigned m, i, j, k;

	if (n < 2)
		return;
	m = n / 2;
	sort_view(t, v, tmp, m, by_rank);
	sort_view(t, v + m, tmp, n - m, by_rank);
	for (i = 0, j = m, k = 0; i < m && j < n;)
		tmp[k++] = row_order(t, v[j], v[i], by_rank) < 0 ? v[j++] : v[i++];
	while (i < m)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

/* ---- filtering ---- */

static int
host_ports(struct tui *t, const struct ns_addr *a, uint16_t *ports, int max)
{
	struct ana_host_info *in = t->scratch;
	int n = 0;

	if (!ana_host(t->ana, a, in))
		return 0;
	for (int i = 0; i < in->n_top_local && n < max; i++)
		ports[n++] = in->top_local[i].port;
	for (int i = 0; i < in->n_top_remote && n < max; i++)
		ports[n++] = in->top_remote[i].port;
	for (int i = 0; i < in->n_exchanges && n + 2 <= max; i++) {
		ports[n++] = in->exchanges[i].lport;
		ports[n++] = in->exchanges[i].rport;
	}
	if (in->probed_top_port != 0 && n < max)
		ports[n++] = in->probed_top_port;
	return n;
}

static bool
row_matches(struct tui *t, const struct tui_row *r)
{
	uint16_t ports[2 * ANA_TOP_PORTS + 2 * ANA_TIMELINE + 1];
	struct tui_subject s = {
		.addr = &r->r.addr,
		.addr_s = r->addr_s,
		.name = tui_name_of(t, &r->r.addr),
		.verdict = r->r.verdict,
		.call = r->r.call,
	};

	if (t->filter.n == 0)
		return true;
	if (t->filter.needs_ports) {
		s.n_ports = host_ports(t, &r->r.addr, ports, (int)NS_ARRAY_LEN(ports));
		s.ports = ports;
	}
	return tui_filter_match(&t->filter, &s);
}

/* Rebuild the view from t->rows: sort, apply the frozen ranks, filter. */
static void
build_view(struct tui *t)
{
	unsigned *all = xcalloc(t->n_rows ? t->n_rows : 1, sizeof(*all));
	unsigned *tmp = xcalloc(t->n_rows ? t->n_rows : 1, sizeof(*tmp));
	unsigned i, n = 0;

	for (i = 0; i < t->n_rows; i++)
		all[i] = i;
	sort_view(t, all, tmp, t->n_rows, false);
	if (t->frozen) {
		for (i = 0; i < t->n_rows; i++) {
			struct tui_row *r = &t->rows[all[i]];
			uintptr_t rank;

			if (ns_amap_get(&t->ranks, &r->r.addr, &rank)) {
				r->rank = (uint32_t)rank;
			} else {
				r->rank = t->next_rank++;
				ns_amap_put(&t->ranks, &r->r.addr, r->rank);
			}
		}
		sort_view(t, all, tmp, t->n_rows, true);
	}
	for (i = 0; i < t->n_rows; i++)
		if (row_matches(t, &t->rows[all[i]]))
			all[n++] = all[i];
	free(t->view);
	free(tmp);
	t->view = all;
	t->n_view = n;
	/*
	 * On the list the selection is always a row of it: a host the filter
	 * hid gives way to the first one. The detail keeps its host, shown or
	 * not (--watch names one that may not have sent anything yet).
	 */
	if (n > 0 && (!t->has_sel || (t->scr == SCR_LIST && tui_list_selected_index(t) < 0))) {
		t->sel = t->rows[all[0]].r.addr;
		t->has_sel = true;
	}
}

void
tui_list_refresh(struct tui *t)
{
	unsigned n = ana_nhosts(t->ana);
	struct ana_host_row *tmp;

	tmp = xcalloc(n ? n : 1, sizeof(*tmp));
	n = ana_hosts(t->ana, tmp, n);
	if (n > t->cap_rows) {
		t->cap_rows = n;
		t->rows = xreallocarray(t->rows, n, sizeof(*t->rows));
	}
	for (unsigned i = 0; i < n; i++) {
		struct tui_row *r = &t->rows[i];

		r->r = tmp[i];
		ns_addr_fmt(&r->r.addr, r->addr_s, sizeof(r->addr_s));
		r->rank = 0;
	}
	t->n_rows = n;
	free(tmp);
	t->n_inc = ana_incidents(t->ana, t->inc, TUI_MAX_INCIDENTS);
	ana_totals(t->ana, &t->tot);
	build_view(t);
}

void
tui_list_apply_filter(struct tui *t)
{
	build_view(t);
	t->top = 0;
	t->dirty = true;
}

void
tui_list_set_sort(struct tui *t, enum tui_col c)
{
	if (t->sort == c) {
		t->reverse = !t->reverse;
	} else {
		t->sort = c;
		t->reverse = false;
	}
	if (t->frozen)
		tui_message(t, "order frozen: press o to sort again");
	build_view(t);
	t->dirty = true;
}

void
tui_list_freeze(struct tui *t, bool on)
{
	t->frozen = on;
	ns_amap_clear(&t->ranks);
	t->next_rank = 0;
	if (on) {
		/* Rank every host in the order now on screen, hidden ones after. */
		for (unsigned i = 0; i < t->n_view; i++)
			ns_amap_put(&t->ranks, &t->rows[t->view[i]].r.addr, t->next_rank++);
	}
	build_view(t);
	t->dirty = true;
}

int
tui_list_selected_index(const struct tui *t)
{
	if (!t->has_sel)
		return -1;
	for (unsigned i = 0; i < t->n_view; i++)
		if (ns_addr_eq(&t->rows[t->view[i]].r.addr, &t->sel))
			return (int)i;
	return -1;
}

void
tui_list_select_index(struct tui *t, int i)
{
	if (t->n_view == 0)
		return;
	if (i < 0)
		i = 0;
	if (i >= (int)t->n_view)
		i = (int)t->n_view - 1;
	t->sel = t->rows[t->view[i]].r.addr;
	t->has_sel = true;
	t->dirty = true;
}

void
tui_list_move(struct tui *t, int delta)
{
	int i = tui_list_selected_index(t);

	tui_list_select_index(t, i < 0 ? 0 : i + delta);
}

/* ---- drawing ---- */

/* Five columns at most: 9999, 12.3k, 123k, 1.2M ... */
static const char *
fmt5(char *buf, size_t len, double v, bool frac)
{
	if (frac && v > 0 && v < 9.95)
		snprintf(buf, len, "%.1f", v);
	else if (v < 9999.5)
		snprintf(buf, len, "%.0f", v);
	else if (v < 99950)
		snprintf(buf, len, "%.1fk", v / 1e3);
	else if (v < 999500)
		snprintf(buf, len, "%.0fk", v / 1e3);
	else if (v < 99.95e6)
		snprintf(buf, len, "%.1fM", v / 1e6);
	else if (v < 999.5e6)
		snprintf(buf, len, "%.0fM", v / 1e6);
	else
		snprintf(buf, len, "%.1fG", v / 1e9);
	return buf;
}

static void
layout(struct tui *t)
{
	int fixed = 0, x = 0;

	for (int c = 1; c < COL__COUNT; c++)
		fixed += col_width[c] + 1;
	for (int c = 0; c < COL__COUNT; c++) {
		t->col_x[c] = x;
		x += (c == COL_ADDR ? t->w - fixed : col_width[c]) + 1;
	}
	t->col_x[COL__COUNT] = t->w + 1;
}

static int
cwidth(const struct tui *t, int c)
{
	return t->col_x[c + 1] - t->col_x[c] - 1;
}

/* Right-aligned in its column. */
static void
put_right(const struct tui *t, int y, int c, attr_t a, const char *s)
{
	int w = cwidth(t, c), sw = tui_width(s);

	tui_put(y, t->col_x[c] + (sw < w ? w - sw : 0), w, a, s);
}

static void
draw_header(struct tui *t, int y)
{
	attr_t base = tui_attr(t, CP_TITLE);

	move(y, 0);
	attrset(base);
	hline(' ', t->w);
	for (int c = 0; c < COL__COUNT; c++) {
		char title[32];
		attr_t a = base;

		if (c == (int)t->sort && !t->frozen) {
			bool down = ascending(t->sort) == t->reverse;

			snprintf(title, sizeof(title), "%d %s%s", c + 1, tui_col_title[c],
			    down ? t->g->down : t->g->up);
			a |= A_BOLD | A_UNDERLINE;
		} else {
			snprintf(title, sizeof(title), "%d %s", c + 1, tui_col_title[c]);
		}
		/* Numbers help find the sort key; drop them where they do not fit. */
		if (tui_width(title) > cwidth(t, c))
			memmove(title, title + 2, strlen(title + 2) + 1);
		if (c == COL_ADDR || c == COL_VERDICT)
			tui_put(y, t->col_x[c], cwidth(t, c), a, title);
		else
			put_right(t, y, c, a, title);
	}
}

static void
draw_row(struct tui *t, int y, const struct tui_row *r, bool sel)
{
	char buf[64], text[NS_ADDRSTRLEN + TUI_NAME_LEN + 4];
	const char *name = tui_name_of(t, &r->r.addr);
	double now = t->tot.last_ts;
	attr_t base = sel ? tui_attr(t, CP_SEL) : A_NORMAL;
	int sev = ana_verdict_severity(r->r.verdict);

	if (sel) {
		move(y, 0);
		attrset(base);
		hline(' ', t->w);
	}
	if (name[0] != '\0')
		snprintf(text, sizeof(text), "%s %s", r->addr_s, name);
	else
		snprintf(text, sizeof(text), "%s", r->addr_s);
	if (tui_width(text) > cwidth(t, COL_ADDR)) {
		/* Cut with a mark, so that a cut address is never read as whole. */
		int cw = cwidth(t, COL_ADDR);

		tui_put(y, 0, cw - 1, base, text);
		tui_put(y, cw - 1, 1, base, t->g->more);
	} else {
		tui_put(y, 0, cwidth(t, COL_ADDR), base, text);
	}
	tui_put(y, t->col_x[COL_VERDICT], cwidth(t, COL_VERDICT),
	    base | tui_sev_attr(t, sev) | (r->r.call ? A_BOLD : 0),
	    ana_verdict_name(r->r.verdict));
	snprintf(buf, sizeof(buf), "%.2f", r->r.confidence);
	put_right(t, y, COL_CONF, base, buf);
	put_right(t, y, COL_PIN, base, fmt5(buf, sizeof(buf), (double)r->r.packets_in, false));
	put_right(t, y, COL_POUT, base, fmt5(buf, sizeof(buf), (double)r->r.packets_out, false));
	put_right(t, y, COL_RIN, base, fmt5(buf, sizeof(buf), r->r.pps_in, true));
	put_right(t, y, COL_ROUT, base, fmt5(buf, sizeof(buf), r->r.pps_out, true));
	put_right(t, y, COL_PORTS, base, fmt5(buf, sizeof(buf), r->r.local_ports, false));
	put_right(t, y, COL_LAST, base, tui_age(buf, sizeof(buf), now - r->r.last));
}

static int
draw_incidents(struct tui *t, int y, int max_lines)
{
	unsigned shown = 0;

	for (unsigned i = 0; i < t->n_inc && (int)shown < max_lines; i++) {
		const struct ana_incident *in = &t->inc[i];
		char loc[NS_ADDRSTRLEN], pk[16], pps[16], port[32];

		if (shown + 1 == (unsigned)max_lines && t->n_inc > shown + 1) {
			tui_putf(y + (int)shown, 0, t->w, tui_attr(t, CP_BAD),
			    "! and %u more incidents (i lists them)", t->n_inc - shown);
			shown++;
			break;
		}
		/* Port 0: aimed at many ports of the address. */
		if (in->port != 0)
			snprintf(port, sizeof(port), " %s/%u", in->proto == 6 ? "tcp" :
			    in->proto == 17 ? "udp" : "ip", in->port);
		else
			snprintf(port, sizeof(port), " (many ports)");
		tui_putf(y + (int)shown, 0, t->w, tui_sev_attr(t, ana_verdict_severity(in->kind)),
		    "! %s on %s%s: %" PRIu64 " hosts, %s pkts, peak %s/s, confidence %.2f",
		    ana_verdict_name(in->kind), ns_addr_fmt(&in->local, loc, sizeof(loc)), port,
		    in->remote_hosts, ns_fmt_si(pk, sizeof(pk), (double)in->packets),
		    ns_fmt_si(pps, sizeof(pps), in->peak_pps), in->confidence);
		shown++;
	}
	return (int)shown;
}

static void
draw_title(struct tui *t)
{
	char local[NS_CIDRSTRLEN * 2 + 8] = "", right[64];
	struct ns_cidr nets[3];
	unsigned ncall = 0;
	int nl = ana_local_networks(t->ana, nets, 3), x;

	for (unsigned i = 0; i < t->n_rows; i++)
		ncall += t->rows[i].r.call;
	for (int i = 0; i < nl && i < 2; i++) {
		char c[NS_CIDRSTRLEN];

		snprintf(local + strlen(local), sizeof(local) - strlen(local), "%s%s",
		    i ? "," : "", ns_cidr_fmt(&nets[i], c, sizeof(c)));
	}
	move(0, 0);
	attrset(tui_attr(t, CP_TITLE));
	hline(' ', t->w);
	x = tui_putf(0, 0, t->w, tui_attr(t, CP_TITLE) | A_BOLD, "ntpsleuth ");
	if (t->filter.n > 0)
		snprintf(right, sizeof(right), " (%u shown)", t->n_view);
	else
		right[0] = '\0';
	x += tui_putf(0, x, t->w - x, tui_attr(t, CP_TITLE),
	    "%u hosts%s, %u to call%s | local %s%s", t->n_rows, right, ncall,
	    t->frozen ? ", order frozen" : "", !t->decided ? "(working it out)" : local,
	    nl > 2 ? ",..." : "");
}

void
tui_list_draw(struct tui *t)
{
	int y = 1, sel, i, ninc;

	layout(t);
	draw_title(t);
	ninc = draw_incidents(t, y, NS_MAX(1, (t->h - 6) / 6));
	y += ninc;
	t->head_y = y;
	draw_header(t, y++);
	t->list_y = y;
	t->list_h = t->h - 2 - y;
	sel = tui_list_selected_index(t);
	if (sel < 0 && t->n_view > 0) {
		tui_list_select_index(t, 0);
		sel = 0;
	}
	if (sel >= 0) {
		if (sel < t->top)
			t->top = sel;
		if (sel >= t->top + t->list_h)
			t->top = sel - t->list_h + 1;
	}
	if (t->top > (int)t->n_view - t->list_h)
		t->top = NS_MAX(0, (int)t->n_view - t->list_h);
	for (i = 0; i < t->list_h && t->top + i < (int)t->n_view; i++) {
		const struct tui_row *r = &t->rows[t->view[t->top + i]];

		/* Ask once a host is on screen: repeated asks are free. */
		if (t->lk != NULL)
			lk_query(t->lk, &r->r.addr);
		draw_row(t, t->list_y + i, r, t->top + i == sel);
	}
	if (t->n_view == 0) {
		const char *why;
		char buf[200];

		if (!t->decided)
			why = "Working out which side is local; hosts appear once it is decided.";
		else if (t->n_rows > 0) {
			char f[TUI_FILTER_LEN];

			tui_clean(t, f, sizeof(f), t->filter.src);
			snprintf(buf, sizeof(buf), "No host matches the filter \"%s\" (c clears it).", f);
			why = buf;
		} else if (t->file && t->finished)
			why = "The capture has no remote hosts.";
		else
			why = "No remote hosts yet.";
		tui_put(t->list_y + 1, 2, t->w - 4, A_NORMAL, why);
	}
}

/* Mouse: a heading sorts, a row selects (and opens if already selected). */
bool
tui_list_click(struct tui *t, int y, int x, bool *open)
{
	*open = false;
	if (y == t->head_y) {
		for (int c = 0; c < COL__COUNT; c++)
			if (x >= t->col_x[c] && x < t->col_x[c + 1]) {
				tui_list_set_sort(t, (enum tui_col)c);
				return true;
			}
		return false;
	}
	if (y >= t->list_y && y < t->list_y + t->list_h) {
		int i = t->top + (y - t->list_y);

		if (i >= (int)t->n_view)
			return false;
		if (i == tui_list_selected_index(t))
			*open = true;
		tui_list_select_index(t, i);
		return true;
	}
	return false;
}
