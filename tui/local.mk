# tui/: the ncurses console (issue 4)
libns_a_SOURCES += \
	tui/tui.h tui/screen.h \
	tui/console.c tui/list.c tui/detail.c tui/draw.c \
	tui/filter.c tui/pace.c tui/amap.c
