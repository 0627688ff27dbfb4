# tui/: the ncurses console (issue 4)
libns_a_SOURCES += \
	tui/tui.h tui/screen.h tui/console.h \
	tui/console.c tui/list.c tui/detail.c tui/draw.c \
	tui/filter.c tui/pace.c

# Its tests (tests/tui/): the filter and the replay clock as units, and
# the console driven in tmux as a person would use it.
check_PROGRAMS += tests/tui/unit
tests_tui_unit_SOURCES = tests/tui/unit.c
tests_tui_unit_LDADD = libns.a $(NS_LIBS)
TESTS += \
	tests/tui/unit \
	tests/tui/list.sh \
	tests/tui/detail.sh \
	tests/tui/replay.sh \
	tests/tui/verdicts.sh \
	tests/tui/lookups.sh \
	tests/tui/export.sh \
	tests/tui/fwlog.sh
EXTRA_DIST += tests/tui/lib.sh tests/tui/fwlog.sh \
	tests/tui/list.sh tests/tui/detail.sh tests/tui/replay.sh \
	tests/tui/verdicts.sh tests/tui/lookups.sh tests/tui/export.sh tests/tui/mkflood.py tests/tui/screenshots.sh \
	doc/screenshots.md
