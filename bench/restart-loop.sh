#!/usr/bin/env bash
# Issue 13's proof, repeated: RestartUnderLoadTest with many restarts (not part of the build's default two).
# A forked hub is restarted RESTARTS times, SIGTERM and SIGKILL in turn, while four clients post CloudEvents
# and start instances (with Idempotency-Key), each retrying until it gets a definitive answer; the test fails
# unless every accepted event and start is exactly one instance, no other instance exists, and all complete.
# Prints the test's summary line (restarts, time from start to ready, answers, 503s, refused connections).
#
#   bench/restart-loop.sh                  20 restarts
#   RESTARTS=50 bench/restart-loop.sh
#   MVN_FLAGS=-o RESTARTS=5 bench/restart-loop.sh     offline Maven
set -euo pipefail
cd "$(dirname "$0")/.."

RESTARTS="${RESTARTS:-20}"
log="$(mktemp -t baton-restart-loop.XXXXXX.log)"
echo "# restart loop $(date -u +%Y-%m-%dT%H:%M:%SZ) restarts=$RESTARTS host=$(hostname) cpus=$(nproc) log=$log"
# shellcheck disable=SC2086
if ./mvnw -B ${MVN_FLAGS:-} -pl routes -am -Dtest=RestartUnderLoadTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbaton.test.restarts="$RESTARTS" verify >"$log" 2>&1; then
  grep -E 'restarts in|Tests run:.*RestartUnderLoadTest' "$log" || true
  echo "PASSED: 0 lost, 0 duplicated across $RESTARTS restarts"
else
  grep -E 'restarts in|Tests run:|FAIL|Expect|expected|but was' "$log" | head -40 || true
  echo "FAILED: see $log; the hub logs stay in the test's temporary folder (junit* under java.io.tmpdir)" >&2
  exit 1
fi
