/*
 * Unit tests of the console's pure parts: the filter language, the
 * replay clock and the key table.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "tui/screen.h"
#include "tui/tui.h"

static int passed, failed;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (cond) {                                                    \
			passed++;                                              \
		} else {                                                       \
			failed++;                                              \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		}                                                              \
	} while (0)

static bool
near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

static bool
match(const char *filter, const char *addr, const char *name, enum ana_verdict v,
    bool call, const uint16_t *ports, int n_ports)
{
	struct tui_filter f;
	struct ns_addr a;
	struct tui_subject s;

	if (tui_filter_parse(&f, filter) != 0) {
		printf("  cannot parse \"%s\": %s\n", filter, f.error);
		return false;
	}
	if (ns_addr_parse(&a, addr) != 0)
		return false;
	memset(&s, 0, sizeof(s));
	s.addr = &a;
	s.addr_s = addr;
	s.name = name;
	s.verdict = v;
	s.call = call;
	s.ports = ports;
	s.n_ports = n_ports;
	return tui_filter_match(&f, &s);
}

static void
test_filter(void)
{
	static const uint16_t ntp[] = { 123, 40000 };
	struct tui_filter f;

	/* The empty filter matches everything. */
	CHECK(tui_filter_parse(&f, "") == 0 && f.n == 0);
	CHECK(match("", "192.0.2.1", "", V_SERVING, false, NULL, 0));
	CHECK(match("   ", "192.0.2.1", "", V_SERVING, false, NULL, 0));
	/* Address and CIDR. */
	CHECK(match("192.0.2.1", "192.0.2.1", "", V_SERVING, false, NULL, 0));
	CHECK(!match("192.0.2.1", "192.0.2.10", "", V_SERVING, false, NULL, 0));
	CHECK(match("192.0.2.0/24", "192.0.2.10", "", V_SERVING, false, NULL, 0));
	CHECK(!match("192.0.2.0/24", "198.51.100.1", "", V_SERVING, false, NULL, 0));
	CHECK(match("2001:db8::/32", "2001:db8::5", "", V_SERVING, false, NULL, 0));
	/* A partial address is text. */
	CHECK(tui_filter_parse(&f, "192.0") == 0 && f.t[0].kind == TT_TEXT);
	CHECK(match("192.0", "192.0.2.1", "", V_SERVING, false, NULL, 0));
	/* Ports: three spellings; needs_ports asks the caller for them. */
	CHECK(tui_filter_parse(&f, "port 123") == 0 && f.n == 1 && f.t[0].kind == TT_PORT &&
	    f.t[0].port == 123 && f.needs_ports);
	CHECK(match(":123", "192.0.2.1", "", V_SERVING, false, ntp, 2));
	CHECK(match("40000", "192.0.2.1", "", V_SERVING, false, ntp, 2));
	CHECK(!match("port 53", "192.0.2.1", "", V_SERVING, false, ntp, 2));
	CHECK(tui_filter_parse(&f, "port") != 0 && strstr(f.error, "number") != NULL);
	CHECK(tui_filter_parse(&f, "port x") != 0 && strstr(f.error, "\"x\"") != NULL);
	CHECK(tui_filter_parse(&f, "70000") != 0);
	/* Verdicts, by part of the name. */
	CHECK(match("scan", "192.0.2.1", "", V_PORT_SCAN, false, NULL, 0));
	CHECK(!match("scan", "192.0.2.1", "", V_FLOOD, false, NULL, 0));
	CHECK(match("flood", "192.0.2.1", "", V_REFLECTION_FLOOD, false, NULL, 0));
	CHECK(match("SERVING", "192.0.2.1", "", V_SERVING, false, NULL, 0));
	CHECK(match("attack", "192.0.2.1", "", V_AMPLIFIER_ABUSE, false, NULL, 0));
	CHECK(!match("attack", "192.0.2.1", "", V_UNSOLICITED, false, NULL, 0));
	CHECK(match("call", "192.0.2.1", "", V_FLOOD, true, NULL, 0));
	CHECK(!match("call", "192.0.2.1", "", V_FLOOD, false, NULL, 0));
	/* Negation, and all terms must match. */
	CHECK(!match("!serving", "192.0.2.1", "", V_SERVING, false, NULL, 0));
	CHECK(match("!serving", "192.0.2.1", "", V_SOLICITED, false, NULL, 0));
	CHECK(match("192.0.2.0/24 !solicited", "192.0.2.1", "", V_SERVING, false, NULL, 0));
	CHECK(!match("192.0.2.0/24 scan", "192.0.2.1", "", V_SERVING, false, NULL, 0));
	/* Name text, case-insensitive. */
	CHECK(match("google", "192.0.2.1", "time.Google.com", V_SOLICITED, false, NULL, 0));
	CHECK(!match("google", "192.0.2.1", "", V_SOLICITED, false, NULL, 0));
	/* Too many terms is an error, not a silent cut. */
	CHECK(tui_filter_parse(&f, "a1 a2 a3 a4 a5 a6 a7 a8 a9") != 0);
}

static void
test_pace(void)
{
	struct tui_pace p;

	tui_pace_init(&p, 1);
	CHECK(!p.anchored && tui_pace_due_in(&p, 1000, 5) == 0);
	tui_pace_anchor(&p, 1000, 5);
	CHECK(near(tui_pace_position(&p, 5), 1000));
	CHECK(near(tui_pace_position(&p, 7.5), 1002.5));
	CHECK(near(tui_pace_due_in(&p, 1010, 5), 10));
	CHECK(tui_pace_due_in(&p, 999, 5) == 0);
	/* Double speed from wall 10: position 1005 there, then 2 a second. */
	tui_pace_set_speed(&p, 2, 10);
	CHECK(near(tui_pace_position(&p, 10), 1005));
	CHECK(near(tui_pace_position(&p, 12), 1009));
	CHECK(near(tui_pace_due_in(&p, 1015, 10), 5));
	/* Paused: the clock stands; packets after it are never due. */
	tui_pace_pause(&p, true, 12);
	CHECK(near(tui_pace_position(&p, 100), 1009));
	CHECK(tui_pace_due_in(&p, 1010, 100) < 0);
	CHECK(tui_pace_due_in(&p, 1009, 100) == 0);
	/* A step moves the clock while paused. */
	tui_pace_jump(&p, 1010, 100);
	CHECK(near(tui_pace_position(&p, 200), 1010));
	CHECK(tui_pace_due_in(&p, 1010, 200) == 0);
	/* Resumed: from where it stood, without a jump. */
	tui_pace_pause(&p, false, 200);
	CHECK(near(tui_pace_position(&p, 200), 1010));
	CHECK(near(tui_pace_position(&p, 201), 1012));
	/* As fast as possible: everything is due. */
	tui_pace_set_speed(&p, 0, 201);
	CHECK(tui_pace_due_in(&p, 1e12, 201) == 0);
	/* Speed steps. */
	CHECK(near(tui_pace_faster(1), 2));
	CHECK(near(tui_pace_faster(1024), 0));
	CHECK(near(tui_pace_faster(0), 0));
	CHECK(near(tui_pace_slower(0), 1024));
	CHECK(near(tui_pace_slower(1), 0.5));
	CHECK(near(tui_pace_slower(1.0 / 64), 1.0 / 64));
}

/* The key table: each key runs one row, and the help shows each row. */
static void
test_keys(void)
{
	static char lines[64][TUI_HELP_WIDTH];
	bool unique = true, shaped = true, fits = true;
	int n;

	for (size_t i = 0; i < tui_n_keys; i++) {
		const struct tui_key *k = &tui_keys[i];

		/* A row that works has keys and a handler, and is named in the help. */
		if ((k->on != 0) != (k->fn != NULL) || (k->on != 0) != (k->keys[0] != 0))
			shaped = false;
		if (i == 0 && k->label == NULL)
			shaped = false;
		for (size_t j = 0; j < NS_ARRAY_LEN(k->keys) && k->keys[j] != 0; j++)
			for (unsigned on = TUI_ON_LIST; on <= TUI_ON_DETAIL; on <<= 1)
				if ((k->on & on) && tui_key_find(on, k->keys[j]) != k)
					unique = false;	/* an earlier row takes it */
	}
	CHECK(shaped);
	CHECK(unique);
	CHECK(tui_key_find(TUI_ON_LIST, 'q') != NULL && tui_key_find(TUI_ON_DETAIL, 'q') != NULL);
	CHECK(tui_key_find(TUI_ON_LIST, '[') == NULL && tui_key_find(TUI_ON_DETAIL, 'i') == NULL);
	CHECK(tui_key_find(TUI_ON_LIST, 'x') == NULL);
	n = tui_help_lines(lines, 64);
	CHECK(n > 20 && n < 64);
	for (int i = 0; i < n; i++)
		fits = fits && strlen(lines[i]) <= 78;	/* the box is 80 wide */
	CHECK(fits);
	CHECK(strcmp(lines[1], "  ? h       this help (any other key closes it)") == 0);
	CHECK(strcmp(lines[2], "  q         quit and restore the terminal        Ctrl-L  redraw") == 0);
}

int
main(void)
{
	test_filter();
	test_pace();
	test_keys();
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
