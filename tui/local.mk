libns_a_SOURCES += tui/console.c
