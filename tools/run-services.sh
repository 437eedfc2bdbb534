#!/usr/bin/env bash
# Builds and starts the services on the bundled default models (no network needed):
#   kepler-model-server  HTTP :8100 (POST /model, GET /best-models, /metrics), gRPC :8180
#   kepler-estimator     unix socket /tmp/estimator.sock, asking the model server above
# Models are copied from testdata/model-db into $KEPLER_MODEL_HOME (default /tmp/kepler-model).
# Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
HOME_DIR="${KEPLER_MODEL_HOME:-/tmp/kepler-model}"
bazel build -c opt //server:kepler-model-server //estimator:kepler-estimator
mkdir -p "$HOME_DIR/models"
for pipeline in ec2-0.7.11 specpower-0.7.11; do
  [ -d "$HOME_DIR/models/$pipeline" ] || cp -rL "testdata/model-db/$pipeline" "$HOME_DIR/models/"
done
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM
bazel-bin/server/kepler-model-server --model_path="$HOME_DIR/models" \
  --fetch_initial_pipelines=false &
pids+=($!)
# The estimator asks the local model server; SOCKET overrides the socket path.
MODEL_SERVER_ENABLE=true MODEL_SERVER_URL=http://localhost:8100 \
  bazel-bin/estimator/kepler-estimator --socket="${SOCKET:-/tmp/estimator.sock}" \
  --model_path="$HOME_DIR/download" &
pids+=($!)
echo "services started; try: curl -s localhost:8100/best-models"
wait
