libns_a_SOURCES += \
	capture/ring.c capture/ring.h \
	capture/decode.c capture/decode.h \
	capture/fwframe.c capture/fwframe.h \
	capture/cap.c capture/cap.h \
	capture/pcapng.c capture/pcapng.h
