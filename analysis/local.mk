libns_a_SOURCES += \
	analysis/ana.c analysis/ana.h analysis/internal.h \
	analysis/table.c analysis/sets.c \
	analysis/host.c analysis/twin.c analysis/sight.c analysis/verdict.c \
	analysis/frag.c analysis/frag.h \
	analysis/ntp.c analysis/ntp.h \
	analysis/reflect.c analysis/reflect.h \
	analysis/login.c analysis/login.h
