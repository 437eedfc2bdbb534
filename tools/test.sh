#!/usr/bin/env bash
# Builds everything and runs every test, then prints "N passed, M failed" (test cases, counted
# from the JUnit XML Bazel writes; a test target that failed without a failing case counts as one).
set -uo pipefail
cd "$(dirname "$0")/.."
bazel build //... || { echo "0 passed, 1 failed"; bazel shutdown; exit 1; }
bazel test //... --test_output=errors "$@"
status=$?
python3 tools/count_tests.py bazel-testlogs
count_status=$?
bazel shutdown
[ $status -eq 0 ] && [ $count_status -eq 0 ]
