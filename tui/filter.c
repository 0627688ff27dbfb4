/*
 * The host list filter, typed after '/': whitespace-separated terms that
 * must all match; '!' before a term negates it.
 *
 *   10.0.0.0/8, 192.0.2.7, 2001:db8::/32   address or network
 *   port 123, :123, 123                    a local or remote port it used
 *   scan, flood, serving, ...              part of a verdict name (3+ letters)
 *   attack                                 any attack verdict
 *   call                                   worth a call
 *   anything else                          part of the address or the name
 *
 * The port term looks at the ports the analysis lists for a host (its
 * top ports and recent exchanges), not every port it ever touched: the
 * snapshot API keeps no full set, and a filter is for finding hosts, so a
 * port seen once among thousands is an accepted miss.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui.h"

static bool
is_verdict_part(const char *w)
{
	if (strlen(w) < 3)
		return false;
	for (int v = 0; v < V__COUNT; v++)
		if (strstr(ana_verdict_name((enum ana_verdict)v), w) != NULL)
			return true;
	return false;
}

static int
parse_port(const char *w, uint16_t *port)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)*w))
		return -1;
	v = strtoul(w, &end, 10);
	if (*end != '\0' || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static void
lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

int
tui_filter_parse(struct tui_filter *f, const char *text)
{
	char buf[TUI_FILTER_LEN], *w, *save = NULL;
	bool want_port = false;

	memset(f, 0, sizeof(*f));
	snprintf(f->src, sizeof(f->src), "%s", text);
	snprintf(buf, sizeof(buf), "%s", text);
	for (w = strtok_r(buf, " \t", &save); w != NULL; w = strtok_r(NULL, " \t", &save)) {
		struct tui_term *t;
		bool negate = false;

		if (*w == '!') {
			negate = true;
			w++;
			if (*w == '\0')
				continue;	/* "! x" reads as "!x" */
		}
		lower(w);
		if (strcmp(w, "port") == 0) {
			want_port = true;
			continue;
		}
		if (f->n >= TUI_FILTER_TERMS) {
			snprintf(f->error, sizeof(f->error), "at most %d terms", TUI_FILTER_TERMS);
			return -1;
		}
		t = &f->t[f->n];
		memset(t, 0, sizeof(*t));
		t->negate = negate;
		if (want_port || *w == ':' || strspn(w, "0123456789") == strlen(w)) {
			const char *p = *w == ':' ? w + 1 : w;

			if (parse_port(p, &t->port) != 0) {
				snprintf(f->error, sizeof(f->error), "\"%.40s\" is not a port number", p);
				return -1;
			}
			t->kind = TT_PORT;
			f->needs_ports = true;
			want_port = false;
		} else if (ns_cidr_parse(&t->cidr, w) == 0) {
			t->kind = TT_CIDR;
		} else if (strcmp(w, "attack") == 0) {
			t->kind = TT_ATTACK;
		} else if (strcmp(w, "call") == 0) {
			t->kind = TT_CALL;
		} else if (is_verdict_part(w)) {
			t->kind = TT_VERDICT;
			snprintf(t->text, sizeof(t->text), "%s", w);
		} else {
			t->kind = TT_TEXT;
			snprintf(t->text, sizeof(t->text), "%s", w);
		}
		f->n++;
	}
	if (want_port) {
		snprintf(f->error, sizeof(f->error), "\"port\" wants a number after it");
		return -1;
	}
	return 0;
}

/* Case-insensitive substring; needle is already lower case. */
static bool
contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (hay == NULL)
		return false;
	for (; *hay; hay++) {
		size_t i;

		for (i = 0; i < n; i++)
			if (tolower((unsigned char)hay[i]) != needle[i])
				break;
		if (i == n)
			return true;
	}
	return n == 0;
}

static bool
term_match(const struct tui_term *t, const struct tui_subject *s)
{
	switch (t->kind) {
	case TT_CIDR:
		return ns_cidr_contains(&t->cidr, s->addr);
	case TT_PORT:
		for (int i = 0; i < s->n_ports; i++)
			if (s->ports[i] == t->port)
				return true;
		return false;
	case TT_VERDICT:
		return strstr(ana_verdict_name(s->verdict), t->text) != NULL;
	case TT_ATTACK:
		return ana_verdict_is_attack(s->verdict);
	case TT_CALL:
		return s->call;
	case TT_TEXT:
		return contains(s->addr_s, t->text) || contains(s->name, t->text);
	}
	return false;
}

bool
tui_filter_match(const struct tui_filter *f, const struct tui_subject *s)
{
	for (int i = 0; i < f->n; i++)
		if (term_match(&f->t[i], s) == f->t[i].negate)
			return false;
	return true;
}
