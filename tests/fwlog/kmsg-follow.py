#!/usr/bin/python3
"""Follow /dev/kmsg from now on and copy the records that contain one of
the given words, as the raw "pri,seq,usec,flags;message" lines the kernel
hands out (continuation lines dropped). Stops after SECS seconds or when
the file STOP exists.

usage: kmsg-follow.py OUT SECS STOP WORD...
"""
import errno
import os
import select
import sys
import time


def main():
    out, secs, stop, words = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4:]
    fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
    os.lseek(fd, 0, os.SEEK_END)
    end = time.monotonic() + secs
    lost = 0
    with open(out, "w", encoding="utf-8", errors="replace") as f:
        while time.monotonic() < end and not os.path.exists(stop):
            r, _, _ = select.select([fd], [], [], 0.2)
            if not r:
                continue
            while True:
                try:
                    rec = os.read(fd, 8192)
                except BlockingIOError:
                    break
                except OSError as e:
                    if e.errno == errno.EPIPE:	# overwritten before we read it
                        lost += 1
                        continue
                    raise
                line = rec.decode("utf-8", "replace").split("\n", 1)[0]
                if any(w in line for w in words):
                    f.write(line + "\n")
            f.flush()
    if lost:
        print(f"kmsg-follow: {lost} records overwritten before they were read", file=sys.stderr)


main()
