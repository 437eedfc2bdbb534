#!/usr/bin/env bash
# Measures the model server (issue 3) and the estimator (issue 4) against their "Speed and size"
# targets and prints a markdown table (README.md "Measurements" holds the last one).
#
#   tools/bench/run_service_benchmarks.sh               # everything, 10 s per load run
#   DURATION=5s MAX_LOAD=1.0 tools/bench/run_service_benchmarks.sh
#
# Builds with -c opt and runs the binaries from bazel-out/k8-opt/bin (bazel-bin follows whichever
# configuration was built last). Services get temporary ports, sockets and model folders; the
# bundled models (testdata/model-db) are copied there. The load drivers run on the same 2 cores
# as the services, so every result includes the driver's own CPU use. The machine is shared:
# each load run's notes say how much of the CPU other processes took meanwhile (from
# /proc/stat, minus the service's and the driver's own time), so a miss caused by someone
# else's compile can be told from a slow service; re-run when that share is low.
#
# Environment:
#   DURATION      measured time per load run (default 10s); WARMUP: unrecorded start (1s)
#   MAX_LOAD      wait (up to 10 minutes) until the 1-minute load average is below this before
#                 starting (default: don't wait); the load is printed before and after either way
#   STARTS        how many times each service is started for the first-answer time (default 5)
#   SOCKET_CLIENTS concurrent estimator clients in the closed loops (default 8)
#   ONLY          comma-separated parts to report: model-server, linear, xgboost,
#                 gradient-boosting, knn (the published pickles), served (default all; the model
#                 server always runs, as it serves the linear archive)
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-1s}"
STARTS="${STARTS:-5}"
SOCKET_CLIENTS="${SOCKET_CLIENTS:-8}"
BIN=bazel-out/k8-opt/bin
SAMPLES=testdata/reference-samples
MODELS_DIR=testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly

bazel build -c opt //server:kepler-model-server //estimator:kepler-estimator \
  //tools:http-load //tools:socket-load //tools:proc-rss //tools:first-answer >&2

WORK="$(mktemp -d /tmp/kepler-bench.XXXXXX)"
SERVICE_PID=""  # the service being measured, stopped on exit
BACKEND_PID=""  # a model server the measured estimator fetches from, stopped on exit
cleanup() {
  stop_service
  stop_backend
  rm -rf "$WORK"
}
stop_backend() {
  [ -n "$BACKEND_PID" ] || return 0
  kill "$BACKEND_PID" 2>/dev/null || true
  wait "$BACKEND_PID" 2>/dev/null || true
  BACKEND_PID=""
}
stop_service() {
  [ -n "$SERVICE_PID" ] || return 0
  kill "$SERVICE_PID" 2>/dev/null || true
  wait "$SERVICE_PID" 2>/dev/null || true
  SERVICE_PID=""
}
trap cleanup EXIT

ROWS=()   # markdown rows of the part being measured
TABLE=()  # rows of the selected parts, printed at the end

# selected PART: whether ONLY (comma-separated parts) is unset or names PART.
selected() { [ -z "${ONLY:-}" ] || [[ ",$ONLY," == *",$1,"* ]]; }

load_average() { cut -d' ' -f1-3 /proc/loadavg; }

wait_for_quiet_machine() {
  [ -n "${MAX_LOAD:-}" ] || return 0
  for _ in $(seq 120); do
    awk -v max="$MAX_LOAD" '{ exit !($1 < max) }' /proc/loadavg && return 0
    echo "load $(load_average), waiting for < $MAX_LOAD" >&2
    sleep 5
  done
}

# field NAME LINE: the value of NAME=value in a RESULT line.
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }

# row MEASUREMENT TARGET RESULT MET NOTES
row() { ROWS+=("| $1 | $2 | $3 | $4 | $5 |"); }

# busy NOTE-RESULT-LINE: the notes cell for a load run.
busy() { echo "others used $(field others "$1")% of the CPU"; }

# yes/no for "VALUE OP LIMIT" (OP is < or >=).
met() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { ok = op == "<" ? v < l : v >= l; print ok ? "yes" : "**no**" }'; }

# cpu_jiffies: "busy total" jiffies of all cores, from /proc/stat. Busy is process time (user,
# nice, system, steal); interrupt time is left out since loopback traffic is accounted there.
cpu_jiffies() {
  awk '/^cpu / { t = 0; for (i = 2; i <= 9; ++i) t += $i; print $2 + $3 + $4 + $9, t }' /proc/stat
}

# service_jiffies: user + system jiffies of the service being measured.
service_jiffies() { awk '{ print $14 + $15 }' "/proc/$SERVICE_PID/stat"; }

# run_load DESCRIPTION DRIVER ARGS...: runs a driver, echoes its report to stderr and prints its
# RESULT line with "others=P" appended: the share of the machine's CPU (all cores, percent) used
# by processes other than the service and the driver during the run, i.e. other engineers' work.
run_load() {
  local what="$1"; shift
  echo "== $what (load $(load_average))" >&2
  local report busy0 total0 busy1 total1 svc0 svc1 driver
  read -r busy0 total0 < <(cpu_jiffies)
  svc0="$(service_jiffies)"
  report="$( { TIMEFORMAT='%U %S'; time "$@" --duration="$DURATION" --warmup="$WARMUP"; } 2>"$WORK/time")"
  read -r busy1 total1 < <(cpu_jiffies)
  svc1="$(service_jiffies)"
  driver="$(tail -n 1 "$WORK/time" | awk '{ print ($1 + $2) * 100 }')"
  echo "$report" >&2
  echo "$(grep '^RESULT ' <<<"$report") others=$(awk -v b=$((busy1 - busy0)) -v t=$((total1 - total0)) \
    -v s=$((svc1 - svc0)) -v d="$driver" 'BEGIN { o = (b - s - d) / t * 100; printf "%.0f", o < 0 ? 0 : o }')"
}

summary() {  # requests/s, error count and latency percentiles of a RESULT line
  echo "$(field rps "$1") req/s, $(field errors "$1") errors, p50 $(field p50_ms "$1") ms, p99 $(field p99_ms "$1") ms, p99.9 $(field p999_ms "$1") ms"
}

# first_answers LABEL FIRST-ANSWER-ARGS...: median and worst of STARTS start-to-first-answer times.
first_answers() {
  local label="$1"; shift
  local times=() line
  for _ in $(seq "$STARTS"); do
    line="$("$BIN/tools/first-answer" "$@" | grep '^RESULT ')"
    echo "$label: $line" >&2
    times+=("$(field first_answer_ms "$line")")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{ t[NR] = $1 } END { printf "%.1f %.1f\n", t[int((NR + 1) / 2)], t[NR] }'
}

# wait_for_log FILE TEXT: waits up to 10 s for TEXT in FILE.
wait_for_log() {
  for _ in $(seq 1000); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.01; done
  echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2; return 1
}

copy_models() {
  mkdir -p "$1"
  cp -rL testdata/model-db/ec2-0.7.11 testdata/model-db/specpower-0.7.11 "$1/"
  chmod -R u+w "$1"
}

server_args() {  # MODEL_PATH PORT
  echo "--model_path=$1 --port=$2 --grpc_port=-1 --address=127.0.0.1 --fetch_initial_pipelines=false"
}

load_model_server() {  # PORT
  local http=("$BIN/tools/http-load" "--target=127.0.0.1:$1" --path=/model)
  local r
  r="$(run_load "POST /model weight=true, 16 connections, closed loop" "${http[@]}" "--body_file=$SAMPLES/model-request-weight.json" --connections=16)"
  row "model server: POST /model weight=true, 16 keep-alive connections" ">= 20,000 req/s" "$(summary "$r")" "$(met "$(field rps "$r")" ">=" 20000)" "$(busy "$r")"
  r="$(run_load "POST /model weight=true at 1,000 req/s" "${http[@]}" "--body_file=$SAMPLES/model-request-weight.json" --connections=16 --rate=1000)"
  row "model server: weight=true at 1,000 req/s (open loop), p99" "< 2 ms" "$(summary "$r")" "$(met "$(field p99_ms "$r")" "<" 2)" "$(busy "$r")"
  r="$(run_load "POST /model weight=false (archive), 16 connections, closed loop" "${http[@]}" "--body_file=$SAMPLES/model-request-zip.json" --connections=16)"
  row "model server: POST /model weight=false (archive, $(archive_bytes "$1") bytes)" ">= 5,000 req/s" "$(summary "$r")" "$(met "$(field rps "$r")" ">=" 5000)" "$(busy "$r")"
  r="$("$BIN/tools/proc-rss" --pid="$SERVICE_PID")"
  row "model server: resident memory after the runs (VmRSS / peak VmHWM)" "< 40 MB" "$(kb_mb "$(field vmrss_kb "$r")") / $(kb_mb "$(field vmhwm_kb "$r")") MB" "$(met "$(field vmhwm_kb "$r")" "<" 40960)" "$(anonymous "$SERVICE_PID")"
}

time_model_server_start() {
  local times
  copy_models "$WORK/models-fresh"
  # shellcheck disable=SC2046
  times="$(first_answers "model server start" --target='127.0.0.1:{port}' --path=/model "--body_file=$SAMPLES/model-request-weight.json" \
    -- "$BIN/server/kepler-model-server" $(server_args "$WORK/models-fresh" '{port}'))"
  row "model server: start to first weight=true answer (median / worst of $STARTS)" "< 300 ms" "${times% *} / ${times#* } ms" "$(met "${times#* }" "<" 300)" "load average $(cut -d' ' -f1 /proc/loadavg)"
}

measure_model_server() {
  copy_models "$WORK/models"
  # shellcheck disable=SC2046
  CONFIG_PATH=/nonexistent "$BIN/server/kepler-model-server" $(server_args "$WORK/models" 0) \
    2>"$WORK/server.log" &
  SERVICE_PID=$!
  wait_for_log "$WORK/server.log" "serving HTTP on port "
  local port
  port="$(sed -n 's/.*serving HTTP on port \([0-9]*\).*/\1/p' "$WORK/server.log")"
  if selected model-server; then load_model_server "$port"; fi
  fetch_linear_archive "$port"
  stop_service
  if selected model-server; then time_model_server_start; fi
}

anonymous() {  # PID: its anonymous resident memory (heap, stacks); the rest is shared libraries
  awk '/^RssAnon:/ { printf "of which anonymous %.1f MB", $2 / 1024 }' "/proc/$1/status"
}

kb_mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }

archive_bytes() {  # PORT: size of the archive the weight=false request is answered with
  curl -sf -X POST "http://127.0.0.1:$1/model" --data-binary "@$SAMPLES/model-request-zip.json" | wc -c
}

# The served SGDRegressorTrainer archive (completed with weight.json by the server): the linear
# model the estimator loads from a local file, as it would after downloading it.
fetch_linear_archive() {
  curl -sf -X POST "http://127.0.0.1:$1/model" -o "$WORK/linear.zip" -d \
    '{"metrics":["bpf_cpu_time_ms","bpf_page_cache_hit"],"output_type":"AbsPower","source":"rapl-sysfs","filter":"","trainer_name":"SGDRegressorTrainer","node_type":-1,"weight":false}'
}

measure_estimator() {  # LABEL MODEL_ZIP
  local label="$1" model="$2" socket="$WORK/estimator-$1.sock"
  CONFIG_PATH=/nonexistent MODEL_CONFIG="NODE_COMPONENTS_INIT_URL=file://$model" \
    "$BIN/estimator/kepler-estimator" --socket="$socket" \
    --model_path="$WORK/download-$label" --machine_spec=testdata/prom/machine_spec.json \
    2>"$WORK/estimator-$label.log" &
  SERVICE_PID=$!
  local pid=$SERVICE_PID
  wait_for_log "$WORK/estimator-$label.log" "serving on "
  local sock=("$BIN/tools/socket-load" "--target=unix:$socket" --metrics=10)
  local r
  r="$(run_load "estimator ($label): 1-row requests" "${sock[@]}" --rows=1 --connections="$SOCKET_CLIENTS")"
  row "estimator ($label): 1-row requests, new connection each, $SOCKET_CLIENTS clients" ">= 20,000 req/s" "$(summary "$r")" "$(met "$(field rps "$r")" ">=" 20000)" "$(busy "$r")"
  r="$(run_load "estimator ($label): 1,000-row requests" "${sock[@]}" --rows=1000 --connections="$SOCKET_CLIENTS")"
  row "estimator ($label): 1,000-row requests (10 metrics), $SOCKET_CLIENTS clients" ">= 3,000 req/s" "$(summary "$r")" "$(met "$(field rps "$r")" ">=" 3000)" "$(busy "$r")"
  r="$(run_load "estimator ($label): 100-row requests at 100 req/s" "${sock[@]}" --rows=100 --connections=8 --rate=100)"
  row "estimator ($label): 100-row requests at 100 req/s (open loop), p99" "< 1 ms" "$(summary "$r")" "$(met "$(field p99_ms "$r")" "<" 1)" "$(busy "$r")"
  r="$("$BIN/tools/proc-rss" --pid="$pid")"
  row "estimator ($label): resident memory after the runs (VmRSS / peak VmHWM)" "< 20 MB" "$(kb_mb "$(field vmrss_kb "$r")") / $(kb_mb "$(field vmhwm_kb "$r")") MB" "$(met "$(field vmhwm_kb "$r")" "<" 20480)" "$(anonymous "$pid")"
  stop_service
  "$BIN/tools/socket-load" --rows=1 --metrics=10 --print_request >"$WORK/one-row.json"
  local times
  times="$(
    export CONFIG_PATH=/nonexistent MODEL_CONFIG="NODE_COMPONENTS_INIT_URL=file://$model"
    first_answers "estimator ($label) start" --target="unix:$socket" --body_file="$WORK/one-row.json" \
      -- "$BIN/estimator/kepler-estimator" --socket="$socket" --model_path="$WORK/download-$label" \
      --machine_spec=testdata/prom/machine_spec.json
  )"
  row "estimator ($label): start to first answer (median / worst of $STARTS)" "< 50 ms" "${times% *} / ${times#* } ms" "$(met "${times#* }" "<" 50)" "load average $(cut -d' ' -f1 /proc/loadavg)"
}

# The estimator as Kepler deploys it: MODEL_SERVER_ENABLE, its model fetched over http from a
# model server on loopback (the server's best for these features, a pickled scikit-learn model).
measure_estimator_served() {
  copy_models "$WORK/models-served"
  # shellcheck disable=SC2046
  CONFIG_PATH=/nonexistent "$BIN/server/kepler-model-server" $(server_args "$WORK/models-served" 0) \
    2>"$WORK/server-served.log" &
  BACKEND_PID=$!
  wait_for_log "$WORK/server-served.log" "serving HTTP on port "
  local port socket="$WORK/estimator-served.sock" r
  port="$(sed -n 's/.*serving HTTP on port \([0-9]*\).*/\1/p' "$WORK/server-served.log")"
  CONFIG_PATH=/nonexistent MODEL_SERVER_ENABLE=true MODEL_SERVER_URL="http://127.0.0.1:$port" \
    "$BIN/estimator/kepler-estimator" --socket="$socket" --model_path="$WORK/download-served" \
    --machine_spec=testdata/prom/machine_spec.json 2>"$WORK/estimator-served.log" &
  SERVICE_PID=$!
  wait_for_log "$WORK/estimator-served.log" "serving on "
  r="$(run_load "estimator (from the model server): 1,000-row requests" "$BIN/tools/socket-load" \
    "--target=unix:$socket" --metrics=10 --rows=1000 --connections="$SOCKET_CLIENTS")"
  row "estimator (model from the model server over http): 1,000-row requests, $SOCKET_CLIENTS clients" ">= 3,000 req/s" "$(summary "$r")" "$(met "$(field rps "$r")" ">=" 3000)" "$(busy "$r") ($(sed -n 's/^estimator: loaded \([^ ]*\) from .*/\1/p' "$WORK/estimator-served.log" | head -n 1))"
  r="$("$BIN/tools/proc-rss" --pid="$SERVICE_PID")"
  row "estimator (model from the model server over http): resident memory (VmRSS / peak VmHWM)" "< 20 MB" "$(kb_mb "$(field vmrss_kb "$r")") / $(kb_mb "$(field vmhwm_kb "$r")") MB" "$(met "$(field vmhwm_kb "$r")" "<" 20480)" "$(anonymous "$SERVICE_PID")"
  stop_service
  stop_backend
}

main() {
  wait_for_quiet_machine
  local before after
  before="$(load_average)"
  echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), kernel $(uname -r); load $before" >&2
  measure_model_server  # also serves the linear archive the estimator loads
  if selected model-server; then TABLE+=("${ROWS[@]}"); fi
  ROWS=()
  if selected linear; then measure_estimator linear "$WORK/linear.zip"; fi
  if selected xgboost; then measure_estimator xgboost "$PWD/$MODELS_DIR/XgboostFitTrainer_0.zip"; fi
  if selected gradient-boosting; then
    measure_estimator gradient-boosting "$PWD/$MODELS_DIR/GradientBoostingRegressorTrainer_0.zip"
  fi
  if selected knn; then measure_estimator knn "$PWD/$MODELS_DIR/KNeighborsRegressorTrainer_1.zip"; fi
  if selected served; then measure_estimator_served; fi
  TABLE+=("${ROWS[@]}")
  after="$(load_average)"
  echo
  echo "Machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), kernel $(uname -r)."
  echo "Load average (1, 5, 15 min) before: $before; after: $after. Load runs: $DURATION each after a $WARMUP warm-up."
  echo
  echo "| measurement | target | result | met | notes |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${TABLE[@]}"
}

main "$@"
