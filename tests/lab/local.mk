# tests/lab/: end-to-end scenarios in network namespaces (real chronyd,
# nmap, hping3 and scapy traffic, captured with tcpdump and checked against
# tests/lab/EXPECT).  run-lab.sh skips (77) unless root; the checker's own
# tests need nothing special.
TESTS += tests/lab/check-selftest.py tests/lab/run-lab.sh
EXTRA_DIST += \
	tests/lab/EXPECT \
	tests/lab/ikelab.py tests/lab/snmplab.py \
	tests/lab/check.py \
	tests/lab/check-selftest.py \
	tests/lab/dnslab.py \
	tests/lab/lab.sh \
	tests/lab/ntplab.py \
	tests/lab/record-bundled.sh \
	tests/lab/run-lab.sh \
	tests/lab/scenario.sh

# Captures, logs and reports of the last run (kept for inspection until
# make clean); the unpacked ntpsec tools.
clean-local: lab-clean-local
lab-clean-local:
	-rm -rf tests/out/lab tests/out/ntpsec tests/out/ntpsec-ntpd
.PHONY: lab-clean-local
