#!/usr/bin/env bash
# What the audit trail costs (not a test). Two figures:
#  1. throughput of the reference process seq5 with the audit trail on (4 chains, the default), on with a
#     single chain (what one lock for the whole hub would cost), and off, alternating ROUNDS times in one
#     run (each round a fresh hub, INSTANCES instances, 64 in flight); prints each RESULT, the medians and
#     the cost = 1 - median(on) / median(off);
#  2. verification of a trail of ENTRIES entries (default 1,000,000): median of 3 full verifications.
#
#   bench/audit.sh                           H2 (the embedded default)
#   DATABASE=postgresql bench/audit.sh       PostgreSQL on 127.0.0.1:5432/test
#   ROUNDS=5 INSTANCES=5000 ENTRIES=200000 SKIP_BUILD=1 bench/audit.sh   # quicker, noisier
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS="${ROUNDS:-3}"
INSTANCES="${INSTANCES:-15000}"
ENTRIES="${ENTRIES:-1000000}"
DATABASE="${DATABASE:-h2}"
PG_URL="${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}"
JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx2g}"

[ -n "${SKIP_BUILD:-}" ] || ./mvnw -q -B -DskipTests package
args=()
[ "$DATABASE" = postgresql ] && args+=("--jdbc=$PG_URL" "--user=${PG_USER:-postgres}")

run() { # main class, arguments...
  local main="$1"; shift
  # shellcheck disable=SC2086
  java $JAVA_OPTS -cp routes/target/baton.jar -Dloader.main="$main" \
    org.springframework.boot.loader.launch.PropertiesLauncher "$@" "${args[@]}" 2>&1 | grep -E '^(RESULT|#)' || true
}

echo "# audit bench $(date -u +%Y-%m-%dT%H:%M:%SZ) host=$(hostname) cpus=$(nproc) db=$DATABASE"
out=$(mktemp)
for round in $(seq "$ROUNDS"); do
  for variant in on:true:4 one-chain:true:1 off:false:4; do
    IFS=: read -r name enabled chains <<<"$variant"
    run dev.baton.hub.bench.Benchmark --workloads=seq5 --instances="$INSTANCES" --baton.audit.enabled="$enabled" \
      --baton.audit.chains="$chains" | grep '^RESULT' | sed "s/^RESULT/RESULT audit=$name round=$round/" | tee -a "$out"
  done
done
median() { grep "audit=$1 " "$out" | sed 's/.*instances_per_s=\([0-9.]*\).*/\1/' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
on=$(median on); one=$(median one-chain); off=$(median off)
awk -v on="$on" -v one="$one" -v off="$off" 'BEGIN { printf "RESULT workload=seq5 audit_on_median_per_s=%.1f audit_one_chain_median_per_s=%.1f audit_off_median_per_s=%.1f audit_cost_pct=%.1f one_chain_cost_pct=%.1f\n", on, one, off, (1 - on / off) * 100, (1 - one / off) * 100 }'
rm -f "$out"
run dev.baton.hub.bench.AuditBenchmark --entries="$ENTRIES"
