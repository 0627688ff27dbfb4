# report/: the summary writers (text, Markdown, JSON), the evidence
# export (pcapng of the chosen hosts, re-read from the capture file) and
# the events (JSON lines of verdict changes and incidents). They
# read the analysis's host snapshots and the lookups' results as plain
# data; the analysis knows nothing of them.
libns_a_SOURCES += \
	report/report.c report/report.h \
	report/export.c report/export.h \
	report/events.c report/events.h
