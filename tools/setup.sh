#!/usr/bin/env bash
# Installs, from Debian's archive, everything the build, the services and the tests need.
# Idempotent: installs only what is missing.
set -euo pipefail
PACKAGES=(
  bazel-bootstrap libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libeigen3-dev zlib1g-dev libgtest-dev libgmock-dev libbenchmark-dev libminizip-dev
  libboost-dev libcurl4-openssl-dev rapidjson-dev libxgboost-dev libsvm-dev libnanoflann-dev
  prometheus python3 curl zip unzip libexpat1-dev
  clang-14 libclang-rt-14-dev llvm-14 pkg-config
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
