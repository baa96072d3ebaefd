#!/usr/bin/env bash
# Reproduces every figure of docs/benchmarks.md: builds the load tool with the WebFlux
# baseline and the JMH jar, then runs each scenario and keeps its full output.
#
# Usage: perf/run-benchmarks.sh [OUTPUT_DIR]    (default: perf/results/<UTC date and time>)
# Takes about 15 minutes on 2 cores. Every server listens on 127.0.0.1 only, and every run
# stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-perf/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"

# Each watch stream takes one file descriptor in the client and one in the server, and
# --fork gives each side its own process. 10,000 watchers need more than the common
# default of 1,024; 50,000 would need about 50,100 per process.
ulimit -n 20000 || echo "note: ulimit -n 20000 failed; the limit stays at $(ulimit -n)"

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc: $(nproc)"
    free -h
    java -version 2>&1
    echo "ulimit -n: $(ulimit -n) (hard $(ulimit -Hn))"
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    git rev-parse HEAD
} > "$out/machine.txt"

mvn -B -q -Pwebflux,benchmarks package -DskipTests
jar=webflux-baseline/target/load-tool-webflux.jar
load() {
    local name=$1
    shift
    echo "== $name: load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
    java -Xmx3g -jar "$jar" --fork "$@" 2>&1 | grep -v ' INFO ' > "$out/$name.txt" || true
    tail -n 6 "$out/$name.txt"
}

# Deliveries per second to 10,000 watchers, 1 KB events, as fast as every watcher keeps up.
load fanout-max --server sse-watch,nio-floor,webflux --watchers 10000 --rate max \
    --window 32 --duration 20
# Commit-to-last-watcher latency at 10,000 watchers and 20 changes per second.
load fanout-20 --server sse-watch,nio-floor,webflux --watchers 10000 --rate 20 --duration 20
# The same at 1,000 watchers, where the machine is not the limit.
load fanout-20-1000 --server sse-watch,nio-floor --watchers 1000 --rate 20 --duration 20
# Store reads with one watcher (10,000 watchers: see fanout-20).
load reads-1 --server sse-watch --watchers 1 --rate 20 --duration 10
# CPU per change with 1,000 and with 100,000 resources in the collection.
for resources in 1000 100000; do
    load "cpu-$resources" --server sse-watch --watchers 10 --event-bytes 256 \
        --resources "$resources" --rate 200 --duration 20
done
# Idle watchers held by one server process, with heap histograms.
load idle --histogram --server sse-watch,nio-floor --watchers 19000 --duration 0
# A new watcher's snapshot on a warm hub of 10,000 resources.
for bytes in 256 1024; do
    load "snapshot-$bytes" --server sse-watch --watchers 1 --event-bytes "$bytes" \
        --resources 10000 --duration 0 --snapshot-probes 200
done
# Micro-benchmarks.
java -jar benchmarks/target/benchmarks.jar -rf text -rff "$out/jmh.txt" > "$out/jmh.log" 2>&1
cat "$out/jmh.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
echo "results in $out"
