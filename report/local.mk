# report/: the summary writers (text, Markdown, JSON) and the evidence
# export (pcapng of the chosen hosts, re-read from the capture file). They
# read the analysis's host snapshots and the lookups' results as plain
# data; the analysis knows nothing of them.
libns_a_SOURCES += \
	report/report.c report/report.h \
	report/export.c report/export.h
