libns_a_SOURCES += \
	capture/ring.c capture/ring.h \
	capture/decode.c capture/decode.h \
	capture/fwframe.c capture/fwframe.h \
	capture/cap.c capture/cap.h \
	capture/pcapng.c capture/pcapng.h
# Flow records (NetFlow v5/v9, IPFIX, sFlow v5; doc/flow.md): the
# decoders, the records as packets, the sockets and files, the report's words.
libns_a_SOURCES += capture/flow.c capture/flow.h capture/flowdec.h capture/sflow.c \
	capture/flowfeed.c capture/flowsrc.c capture/flowstat.c
