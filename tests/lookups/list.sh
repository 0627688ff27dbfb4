#!/bin/sh
# The public NTP list (its literal addresses work without DNS), the
# public/why judgement, and the report's JSON.
. "${srcdir:-.}/tests/lookups/lib.sh"
exec $LK_CHECK list "$srcdir/assets/public-ntp.list"
