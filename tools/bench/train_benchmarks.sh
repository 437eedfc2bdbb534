#!/usr/bin/env bash
# Measures the training pipeline (issue 6 "Speed and size") and POST /train (issue 7 "Speed")
# and prints the raw RESULT lines (README.md "Training pipeline" holds the last ones).
#
#   tools/bench/train_benchmarks.sh                 # pipeline on 2 h and 6 h, then POST /train
#   RUNS=5 MAX_LOAD=0.5 tools/bench/train_benchmarks.sh
#
# Captures come from //tools:generate-capture (100 containers, 2 packages, 3 s step, seed 1):
# 2 h and 6 h of the `mixed` workload (36 MB and 113 MB; the issue's 38 MB and 111 MB), 1 h of
# the `stepped` one (28.6 MB, README "Capture parsing and extraction"). They are kept in
# $CAPTURES between runs. Each pipeline run is its own process (train-bench prints its VmHWM).
#
# Environment:
#   RUNS      pipeline runs per capture (default 3)
#   CAPTURES  folder for the generated captures (default /tmp/kepler-train-bench)
#   MAX_LOAD  wait (up to 10 minutes) until the 1-minute load average is below this (default:
#             don't wait); the load is printed before and after either way
#   ONLY      "pipeline" or "service" to run one half
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS="${RUNS:-3}"
CAPTURES="${CAPTURES:-/tmp/kepler-train-bench}"
BIN=bazel-out/k8-opt/bin
ONLY="${ONLY:-}"

bazel build -c opt //tools:train-bench //tools:generate-capture //trainer:kepler-trainer >&2
mkdir -p "$CAPTURES"
WORK="$(mktemp -d /tmp/kepler-train-bench-work.XXXXXX)"
TRAINER_PID=""
cleanup() {
  if [ -n "$TRAINER_PID" ]; then kill "$TRAINER_PID" 2>/dev/null || true; wait "$TRAINER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

load() { cut -d' ' -f1 /proc/loadavg; }
wait_for_quiet() {
  [ -n "${MAX_LOAD:-}" ] || return 0
  for _ in $(seq 120); do
    awk -v max="$MAX_LOAD" '{ exit !($1 < max) }' /proc/loadavg && return 0
    sleep 5
  done
}

capture() {  # name hours workload
  local path="$CAPTURES/$1.json"
  if [ ! -s "$path" ]; then
    "$BIN/tools/generate-capture" --output="$path" --duration=$(($2 * 3600)) --step=3 \
      --containers=100 --packages=2 --workload="$3" --seed=1 >&2
  fi
  echo "$path"
}

pipeline() {  # capture [train-bench flags...]
  local path="$1"
  shift
  for run in $(seq "$RUNS"); do
    wait_for_quiet
    echo "load_before=$(load) run=$run capture=$(basename "$path") $*"
    "$BIN/tools/train-bench" --capture="$path" --output_dir="$WORK/pipeline/std_v0.7.11" "$@" |
      grep -E '^(RESULT|TRAINER)'
  done
  echo "load_after=$(load)"
}

# POST /train with all ten trainers for abs and dyn, rapl-sysfs, the min isolator.
service() {  # capture
  local path="$1" request="$WORK/train-request.json" log="$WORK/trainer.log" port=""
  local trainers='"LinearRegressionTrainer","SGDRegressorTrainer","PolynomialRegressionTrainer","GradientBoostingRegressorTrainer","KNeighborsRegressorTrainer","SVRRegressorTrainer","XgboostFitTrainer","LogarithmicRegressionTrainer","ExponentialRegressionTrainer","LogisticRegressionTrainer"'
  {
    printf '{"name": "bench_MinIdleIsolator", "energy_source": "rapl-sysfs", "use_vm_metrics": false, '
    printf '"trainer": {"abs_trainers": [%s], "dyn_trainers": [%s], ' "$trainers" "$trainers"
    printf '"isolator": "MinIdleIsolator", "isolator_args": {}}, "prom_response": '
    cat "$path"
    printf '}'
  } >"$request"
  "$BIN/trainer/kepler-trainer" --port=0 --grpc_port=-1 --model_path="$WORK/models" 2>"$log" &
  TRAINER_PID=$!
  for _ in $(seq 100); do
    port="$(sed -n 's/.*serving HTTP on port \([0-9]*\).*/\1/p' "$log")"
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { cat "$log" >&2; exit 1; }
  for run in $(seq "$RUNS"); do
    wait_for_quiet
    echo "load_before=$(load) run=$run POST /train $(basename "$path") request_mb=$(($(stat -c %s "$request") / 1000000))"
    curl -sS -o "$WORK/pipeline.zip" -w 'RESULT http=%{http_code} total_s=%{time_total} ' \
      --data-binary @"$request" -H 'Content-Type: application/json' "http://127.0.0.1:$port/train"
    echo "zip_mb=$(awk -v b="$(stat -c %s "$WORK/pipeline.zip")" 'BEGIN { printf "%.1f", b / 1e6 }') vmhwm_mb=$(awk '/VmHWM/ { printf "%.0f", $2 * 1024 / 1e6 }' "/proc/$TRAINER_PID/status")"
  done
  echo "load_after=$(load)"
}

if [ "$ONLY" != "service" ]; then
  pipeline "$(capture mixed-2h 2 mixed)"
  pipeline "$(capture mixed-6h 6 mixed)"
fi
if [ "$ONLY" != "pipeline" ]; then
  one_hour="$(capture stepped-1h 1 stepped)"
  echo "# the pipeline's own time on the capture POST /train sends (rapl-sysfs only)"
  pipeline "$one_hour" --sources=rapl-sysfs
  service "$one_hour"
fi
