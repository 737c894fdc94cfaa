#!/usr/bin/env bash
# Builds cdrsim and runs the whole test suite (ctest). With --sanitize, the same suite built with
# AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/. With --tsan, the tests where the
# mock's threads meet, built with ThreadSanitizer in build-tsan/: any report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

dir=build
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
only=()
case "${1:-}" in
  "") ;;
  --sanitize)
    dir=build-asan
    flags=(-DCMAKE_BUILD_TYPE=Debug -DCDRSIM_SANITIZE=ON)
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    ;;
  --tsan)
    dir=build-tsan
    flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCDRSIM_TSAN=ON -DCDRSIM_BUILD_BENCH=OFF)
    # The mock a test starts inherits these: a report there kills it, and the test fails.
    export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
    # Where threads meet (the other tests run one thread at a time, or in-process without threads,
    # so ThreadSanitizer has nothing to compare there):
    #   test_mock_concurrency  every vendor's queries from many threads with concurrent resets,
    #                          clock moves, health and Huawei admin calls
    #   test_huawei_e2e        a long poll woken by an admin call and cut by a reset from other
    #                          threads; sessions handed between connection threads
    #   test_mock_aliyun_auth  the nonce cache claimed from four threads at once
    #   test_itnio_e2e, test_yunfu_e2e, test_aliyun_e2e
    #                          each vendor end to end: requests on the worker threads, with resets
    #                          and clock moves in between
    #   test_mock_http         the HTTP layer: connections suspended by workers and resumed by the
    #                          timer thread, header deadlines cut from it, a stop while they wait
    #   test_mock_timer, test_mock_http_text
    #                          the timer thread's cancel against a running callback; log lines
    #                          from four threads handed to the log's writer thread
    #   test_mock_control_concurrency
    #                          records added and cleared behind a vendor's gate, variants swapping
    #                          worlds and the journal's ring, all while the vendors are queried
    #   test_control_e2e       the control plane over HTTP, requests on the worker threads
    #   test_push_itnio        the push worker delivering and retrying while requests add
    #                          records, move the clock, reset and change the target
    #   test_push_yunfu, test_push_huawei
    #                          the same for a batch per request, and for a call ended by an
    #                          admin request under the vendor's lock
    only=(-R '^(test_mock_concurrency|test_huawei_e2e|test_mock_aliyun_auth|test_itnio_e2e|test_yunfu_e2e|test_aliyun_e2e|test_mock_http|test_mock_timer|test_mock_http_text|test_mock_control_concurrency|test_control_e2e|test_push_itnio|test_push_yunfu|test_push_huawei)$')
    ;;
  *)
    echo "usage: scripts/test.sh [--sanitize | --tsan]" >&2
    exit 2
    ;;
esac
cmake -S . -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" -j"$(nproc)"
ctest --test-dir "$dir" --output-on-failure -j"$(nproc)" "${only[@]}"
