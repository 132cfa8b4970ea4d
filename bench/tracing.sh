#!/usr/bin/env bash
# What tracing costs (not a test): throughput of the reference process seq5 with tracing on (every span
# recorded and written to the local span store, the default) and off (sampler always_off: spans are not
# recorded, ids stay real; no span store; no Camel spans), alternating ROUNDS times in one run (each round
# a fresh hub, INSTANCES instances, 64 in flight); prints each RESULT, the medians and the cost
# = 1 - median(on) / median(off), and how many spans the store kept per instance in the last "on" round.
#
#   bench/tracing.sh                           H2 (the embedded default)
#   DATABASE=postgresql bench/tracing.sh       PostgreSQL on 127.0.0.1:5432/test
#   ROUNDS=5 INSTANCES=5000 SKIP_BUILD=1 bench/tracing.sh   # quicker, noisier
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS="${ROUNDS:-3}"
INSTANCES="${INSTANCES:-15000}"
DATABASE="${DATABASE:-h2}"
PG_URL="${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}"
JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx2g}"

[ -n "${SKIP_BUILD:-}" ] || ./mvnw -q -B -DskipTests package
args=()
[ "$DATABASE" = postgresql ] && args+=("--jdbc=$PG_URL" "--user=${PG_USER:-postgres}")

run() { # arguments...
  # shellcheck disable=SC2086
  java $JAVA_OPTS -cp routes/target/baton.jar -Dloader.main=dev.baton.hub.bench.Benchmark \
    org.springframework.boot.loader.launch.PropertiesLauncher --workloads=seq5 --instances="$INSTANCES" \
    "$@" "${args[@]}" 2>&1 | grep -E "^(RESULT|# spans)" || true
}

echo "# tracing bench $(date -u +%Y-%m-%dT%H:%M:%SZ) host=$(hostname) cpus=$(nproc) db=$DATABASE"
out=$(mktemp)
for round in $(seq "$ROUNDS"); do
  run | sed "s/^RESULT/RESULT tracing=on round=$round/; s/^# spans/# tracing=on round=$round spans/" | tee -a "$out"
  run --otel.traces.sampler=always_off --baton.tracing.store.enabled=false --camel.opentelemetry.enabled=false \
    | sed "s/^RESULT/RESULT tracing=off round=$round/" | tee -a "$out"
done
median() { grep "^RESULT tracing=$1 " "$out" | sed 's/.*instances_per_s=\([0-9.]*\).*/\1/' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
on=$(median on); off=$(median off)
awk -v on="$on" -v off="$off" 'BEGIN { printf "RESULT workload=seq5 tracing_on_median_per_s=%.1f tracing_off_median_per_s=%.1f tracing_cost_pct=%.1f\n", on, off, (1 - on / off) * 100 }'
rm -f "$out"
