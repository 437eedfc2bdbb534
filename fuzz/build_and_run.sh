#!/usr/bin/env bash
# Builds the fuzz targets in fuzz/ with clang's libFuzzer, ASan and UBSan, and runs each for a
# bounded time. Exits non-zero on any crash, leak, timeout, out-of-memory, sanitizer report or
# failed FUZZ_CHECK. See docs/fuzzing.md.
#
# Usage: fuzz/build_and_run.sh [--build-only] [NAME...]
#   NAME: power_request_json json_framer model_request_json pickle_scaler archive xgboost_forest
#         http_response sklearn_model (default: all)
# Environment (all optional):
#   FUZZ_SECONDS  seconds each fuzzer runs (default 20)
#   FUZZ_JOBS     parallel compiles and fuzzers (default: nproc; 1 under `bazel test`)
#   FUZZ_OUT      work folder for objects, binaries, corpora, logs and crash inputs
#                 (default: $TEST_TMPDIR/fuzz under Bazel, else a new folder under /tmp)
#   FUZZ_RSS_MB   libFuzzer -rss_limit_mb (default 1024)
#   FUZZ_FLAGS    extra libFuzzer flags, e.g. "-seed=1 -runs=100000" (default under Bazel:
#                 "-seed=1"; outside it: none, so a random seed)
#   FUZZ_CXX      the compiler (default clang++-14)
#
# Bazel's toolchain is gcc, so this compiles the needed sources with clang directly: our code
# with -fsanitize=fuzzer-no-link,address,undefined, the messages protoc generates from proto/
# with address,undefined only, linked against Debian's absl, protobuf, minizip and zlib (which
# are not instrumented). Under `bazel test` (//fuzz:<name>_fuzz_test) the sources come from the
# test's runfiles, so each test's `data` in fuzz/BUILD.bazel must list what SOURCES names below,
# the headers those include, and the .proto files.
set -euo pipefail

# ---- What each fuzzer is built from (besides fuzz/<name>_fuzzer.cc). ----
declare -A SOURCES=(
  [power_request_json]="gateway/power_request_json.cc gateway/legacy_json_fields.cc core/energy_source.cc"
  [json_framer]="gateway/json_framer.cc"
  [model_request_json]="gateway/model_request_json.cc gateway/legacy_json_fields.cc core/energy_source.cc core/feature_group.cc core/node_type.cc"
  [pickle_scaler]="core/pickle_scaler.cc core/sklearn/sklearn_pickle.cc core/pickle/pickle_machine.cc core/pickle/numpy_array.cc core/pickle/joblib_file.cc"
  [sklearn_model]="core/sklearn/sklearn_model.cc core/sklearn/sklearn_pickle.cc core/sklearn/gradient_boosting_estimator.cc core/sklearn/knn_estimator.cc core/sklearn/linear_estimator.cc core/sklearn/svr_estimator.cc core/pickle/pickle_machine.cc core/pickle/numpy_array.cc core/pickle/joblib_file.cc core/pickle_scaler.cc core/component_map.cc core/json_util.cc core/gradient_boosting_model.cc core/internal/gradient_boosting_table.cc core/internal/json_arrays.cc core/linear_model.cc core/regression_math.cc core/regressor_model.cc core/model.cc core/json_fields.cc"
  [archive]="core/archive.cc core/internal/zip_memory_io.cc core/file_util.cc"
  [xgboost_forest]="core/xgboost_forest.cc"
  [http_response]="core/internal/http_response_reader.cc core/internal/http_url.cc"
)
declare -A PROTOS=(
  [power_request_json]="estimator types"
  [model_request_json]="model_server types"
  [sklearn_model]="types"
)
declare -A DICT=(
  [power_request_json]=json [json_framer]=json [model_request_json]=json
  [pickle_scaler]=pickle [archive]=zip [xgboost_forest]=json
  [http_response]=http [sklearn_model]=pickle
)
declare -A MAX_LEN=([archive]=8192 [sklearn_model]=70000)
ALL=(power_request_json json_framer model_request_json pickle_scaler archive xgboost_forest
  http_response sklearn_model)
ABSL_PKGS="absl_statusor absl_status absl_strings absl_str_format absl_flat_hash_map absl_flat_hash_set absl_hash"

# ---- Arguments and environment. ----
build_only=0
names=()
for arg in "$@"; do
  case "$arg" in
    --build-only) build_only=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) [ -n "${SOURCES[$arg]+x}" ] || { echo "fuzz: unknown fuzzer '$arg'" >&2; exit 2; }
       names+=("$arg") ;;
  esac
done
[ ${#names[@]} -gt 0 ] || names=("${ALL[@]}")

if [ -n "${TEST_SRCDIR:-}" ]; then  # under `bazel test`: sources are the runfiles
  ROOT="$TEST_SRCDIR/${TEST_WORKSPACE:-kepler_model}"
  OUT="${FUZZ_OUT:-$TEST_TMPDIR/fuzz}"
  JOBS="${FUZZ_JOBS:-1}"
  # A fixed seed keeps CI reproducible: a test that fails fails again on the same inputs. Longer
  # campaigns outside Bazel use random seeds to explore (docs/fuzzing.md).
  FUZZ_FLAGS="${FUZZ_FLAGS:--seed=1}"
  export TMPDIR="$TEST_TMPDIR"
else
  ROOT="$(cd "$(dirname "$0")/.." && pwd)"
  OUT="${FUZZ_OUT:-$(mktemp -d /tmp/kepler-fuzz.XXXXXX)}"
  JOBS="${FUZZ_JOBS:-$(nproc)}"
fi
SECONDS_EACH="${FUZZ_SECONDS:-20}"
RSS_MB="${FUZZ_RSS_MB:-1024}"
CXX="${FUZZ_CXX:-clang++-14}"
mkdir -p "$OUT"/{gen,obj,bin,corpus,artifacts,logs}
OUT="$(cd "$OUT" && pwd)"

for tool in "$CXX" protoc pkg-config; do
  command -v "$tool" >/dev/null || { echo "fuzz: $tool not found (run tools/setup.sh)" >&2; exit 1; }
done

# ---- Build. ----
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
CXXFLAGS="-std=c++17 -O1 -g -fno-omit-frame-pointer $SAN \
  -fsanitize-ignorelist=$ROOT/fuzz/ubsan_ignorelist.txt -I$ROOT -I$OUT/gen \
  $(pkg-config --cflags protobuf minizip zlib $ABSL_PKGS)"
LIBS="$(pkg-config --libs $ABSL_PKGS protobuf minizip zlib) -lpthread"

# Compiles one source (path relative to ROOT, or absolute) into OUT/obj; $2 adds flags.
compile() {
  local src="$1" extra="$2" obj
  obj="$OUT/obj/$(echo "${src#"$OUT"/}" | tr '/' '_').o"
  [ "${src:0:1}" = / ] || src="$ROOT/$src"
  $CXX $CXXFLAGS $extra -c "$src" -o "$obj" || { echo "fuzz: cannot compile $src" >&2; return 1; }
}
export -f compile
export CXX CXXFLAGS OUT ROOT

declare -A units=()  # source -> extra compile flags, each compiled once
objects_of() {       # the objects fuzzer $1 links, in link order
  local name="$1" src proto
  for src in "fuzz/${name}_fuzzer.cc" ${SOURCES[$name]}; do
    echo "$OUT/obj/$(echo "$src" | tr '/' '_').o"
  done
  for proto in ${PROTOS[$name]:-}; do
    echo "$OUT/obj/gen_kepler_model_v1_$proto.pb.cc.o"
  done
}
for name in "${names[@]}"; do
  for src in "fuzz/${name}_fuzzer.cc" ${SOURCES[$name]}; do
    [ -f "$ROOT/$src" ] || { echo "fuzz: $src missing (is it in the test's data?)" >&2; exit 1; }
    units[$src]="-fsanitize=fuzzer-no-link"
  done
  # Generated message code: not what is fuzzed, and -O0 compiles it three times faster.
  for proto in ${PROTOS[$name]:-}; do units["$OUT/gen/kepler/model/v1/$proto.pb.cc"]="-O0"; done
done

# protoc writes kepler/model/v1/*.pb.{h,cc} under OUT/gen, included as in the Bazel build.
protos=()
for name in "${names[@]}"; do
  for proto in ${PROTOS[$name]:-}; do protos+=("$ROOT/proto/kepler/model/v1/$proto.proto"); done
done
if [ ${#protos[@]} -gt 0 ]; then
  protoc -I"$ROOT/proto" --cpp_out="$OUT/gen" $(printf '%s\n' "${protos[@]}" | sort -u)
fi

echo "fuzz: compiling ${#units[@]} sources with $CXX ($JOBS at a time) into $OUT"
for src in "${!units[@]}"; do printf '%s\0%s\0' "$src" "${units[$src]}"; done |
  xargs -0 -n 2 -P "$JOBS" bash -c 'compile "$1" "$2"' _
for name in "${names[@]}"; do
  mapfile -t objects < <(objects_of "$name")
  $CXX $SAN -fsanitize=fuzzer "${objects[@]}" $LIBS -o "$OUT/bin/${name}_fuzzer"
done
echo "fuzz: built ${names[*]} in $OUT/bin (${SECONDS}s)"
[ "$build_only" -eq 0 ] || exit 0

# ---- Run. ----
symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer
[ -x "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH="$symbolizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# ASan's default 256 MB quarantine is most of a fuzzer's memory; 64 MB still spans thousands of
# runs of these small inputs, and keeps two fuzzers side by side (as `bazel test` runs them) lean.
export ASAN_OPTIONS="${ASAN_OPTIONS:-quarantine_size_mb=64}"

run_one() {  # NAME DICT MAX_LEN: runs a fuzzer on its seeds; new inputs go to OUT/corpus
  local name="$1" dict="$2" max_len="$3" rc=0
  mkdir -p "$OUT/corpus/$name" "$OUT/artifacts/$name"
  "$OUT/bin/${name}_fuzzer" -max_total_time="$SECONDS_EACH" -rss_limit_mb="$RSS_MB" -timeout=10 \
    -max_len="$max_len" -dict="$ROOT/fuzz/dict/$dict.dict" -print_final_stats=1 \
    -artifact_prefix="$OUT/artifacts/$name/" ${FUZZ_FLAGS:-} \
    "$OUT/corpus/$name" "$ROOT/fuzz/corpus/$name" >"$OUT/logs/$name.log" 2>&1 || rc=$?
  echo "$rc" >"$OUT/logs/$name.rc"
}
export -f run_one
export SECONDS_EACH RSS_MB FUZZ_FLAGS

# One line per fuzzer: result, executions, exec/s, coverage (edges), features, corpus size.
summarize() {
  local name="$1" status="$2" log="$OUT/logs/$1.log" done_line
  done_line="$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -n 1 || true)"
  stat() { grep -oE "^stat::$1: *[0-9]+" "$log" | grep -oE '[0-9]+$' || echo '?'; }
  cov() { echo "$done_line" | grep -oE "$1: *[0-9]+" | grep -oE '[0-9]+$' || echo '?'; }
  printf 'fuzz: %-20s %-6s execs=%s exec/s=%s cov=%s ft=%s corpus=%s new=%s rss=%sMB\n' \
    "$name" "$status" "$(stat number_of_executed_units)" "$(stat average_exec_per_sec)" \
    "$(cov cov)" "$(cov ft)" "$(cov corp)" "$(stat new_units_added)" "$(stat peak_rss_mb)"
}

echo "fuzz: running each for ${SECONDS_EACH}s ($JOBS at a time)"
for name in "${names[@]}"; do printf '%s\0%s\0%s\0' "$name" "${DICT[$name]}" "${MAX_LEN[$name]:-4096}"; done |
  xargs -0 -n 3 -P "$JOBS" bash -c 'run_one "$@"' _

failed=()
xml_cases=""
for name in "${names[@]}"; do
  rc="$(cat "$OUT/logs/$name.rc" 2>/dev/null || echo 1)"
  log="$OUT/logs/$name.log"
  # libFuzzer exits non-zero on a crash, leak, timeout or OOM; a sanitizer report that somehow
  # did not stop the process still fails the run.
  if [ "$rc" -ne 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log"; then
    failed+=("$name")
    summarize "$name" FAILED
    echo "---- $name: last lines of $log ----"
    tail -n 60 "$log"
    for input in "$OUT/artifacts/$name"/*; do
      if [ -e "$input" ]; then echo "fuzz: reproduce with: $OUT/bin/${name}_fuzzer $input"; fi
    done
    xml_cases+="<testcase name=\"$name\" classname=\"fuzz\"><failure message=\"fuzzer failed (exit $rc)\"/></testcase>"
  else
    summarize "$name" ok
    xml_cases+="<testcase name=\"$name\" classname=\"fuzz\"/>"
  fi
done

# Under Bazel: keep failing inputs and logs, and report one JUnit test case per fuzzer.
if [ -n "${TEST_UNDECLARED_OUTPUTS_DIR:-}" ]; then
  cp -r "$OUT/logs" "$OUT/artifacts" "$TEST_UNDECLARED_OUTPUTS_DIR/" 2>/dev/null || true
fi
if [ -n "${XML_OUTPUT_FILE:-}" ]; then
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="fuzz" tests="%d" failures="%d">%s</testsuite></testsuites>\n' \
    "${#names[@]}" "${#failed[@]}" "$xml_cases" >"$XML_OUTPUT_FILE"
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (logs and inputs in $OUT)"
  exit 1
fi
echo "fuzz: all ${#names[@]} fuzzers ran clean"
