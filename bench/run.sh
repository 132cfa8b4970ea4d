#!/usr/bin/env bash
# Baton's benchmark (not a test): the reference processes seq5 (5 sequential no-op steps) and
# fork3 (3-way fork, join, 1 step), closed loop with 64 instances in flight and 2 starter threads,
# as ../shared/bench-peers measures Camunda 7, Flowable and a bare Camel + Artemis chain.
# Prints RESULT lines: instances/s, hand-offs/s, p50/p90/p99 start-to-end latency, heap after the run.
#
# Workload o2c (not in the default list): examples/processes/order-to-cash.yaml end to end against the
# embedded SAP and Salesforce sandboxes, ORDERS orders entered in SAP (after 100 warm-up orders), 64 in
# flight; prints orders/s, event-to-Opportunity and order-to-done latency, Salesforce/SAP calls per order.
#
#   bench/run.sh                         H2 and PostgreSQL (if reachable), 1,000 and 10,000 instances
#   INSTANCES=2000 DATABASES=h2 bench/run.sh
#   SKIP_BUILD=1 JAVA_OPTS="-Xmx2g" bench/run.sh
#   WORKLOADS=o2c DATABASES=h2 bench/run.sh          order to cash, 1,000 orders (ORDERS=2000 for more)
set -euo pipefail
cd "$(dirname "$0")/.."

INSTANCES="${INSTANCES:-1000,10000}"
ORDERS="${ORDERS:-1000}"
WORKLOADS="${WORKLOADS:-seq5,fork3}"
DATABASES="${DATABASES:-h2 postgresql}"
PG_URL="${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}"
JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx2g}"

[ -n "${SKIP_BUILD:-}" ] || ./mvnw -q -B -DskipTests package

echo "# bench $(date -u +%Y-%m-%dT%H:%M:%SZ) host=$(hostname) cpus=$(nproc) mem_gib=$(awk '/MemTotal/{printf "%.0f", $2/1048576}' /proc/meminfo) java=$(java -version 2>&1 | head -1 | sed 's/.*"\(.*\)".*/\1/')"
for db in $DATABASES; do
  args=()
  if [ "$db" = postgresql ]; then
    if ! (command -v pg_isready >/dev/null && pg_isready -h 127.0.0.1 -p 5432 -q); then
      echo "# PostgreSQL is not reachable at $PG_URL: skipped"; continue
    fi
    args+=("--jdbc=$PG_URL" "--user=${PG_USER:-postgres}")
  fi
  # shellcheck disable=SC2086
  java $JAVA_OPTS -cp routes/target/baton.jar -Dloader.main=dev.baton.hub.bench.Benchmark \
    org.springframework.boot.loader.launch.PropertiesLauncher \
    --workloads="$WORKLOADS" --instances="$INSTANCES" --orders="$ORDERS" "${args[@]}" 2>&1 | grep -E '^(RESULT|#)' || true
done
