#!/usr/bin/env bash
# tacet-peer against Chromium and Firefox, by hand: each case runs tacet-peer and the browser
# runner (tests/browser/run.mjs) against each other over aiortc-style TCP signaling on
# 127.0.0.1, in both roles, and judges both sides' --json lines (tests/browser/judge.mjs).
# Not part of `cargo test` or `cargo xtask ci`: it needs the browsers and drivers .ci/run
# installs. docs/browsers.md says what passes today.
#
#   tests/browser/smoke.sh [BROWSERS] [CASES] [ROLES]
#     BROWSERS  chromium,firefox (default both)
#     CASES     connect,s1,...,s7 (default all; judge.mjs says what each checks)
#     ROLES     offer,answer: the role tacet-peer takes (default both)
# Each run's output stays in $SMOKE_OUT (default a fresh temporary folder). Exit status: the
# number of failed runs (0: all passed).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

browsers=${1:-chromium,firefox}
cases=${2:-connect,s1,s2,s3,s4,s5,s6,s7}
roles=${3:-offer,answer}
out=${SMOKE_OUT:-$(mktemp -d /tmp/tacet-browser-smoke.XXXXXX)}
mkdir -p "$out"

CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1} cargo build -q -p tacet-rtc --bin tacet-peer \
  || { echo "smoke.sh: cannot build tacet-peer" >&2; exit 100; }
peer="${CARGO_TARGET_DIR:-target}/debug/tacet-peer"
[ -d tests/browser/node_modules/playwright-core ] && [ -d tests/browser/node_modules/puppeteer-core ] \
  || { echo "smoke.sh: the browser drivers are missing: run .ci/run or npm ci --prefix tests/browser" >&2; exit 100; }

# tacet-peer's script and the browser's, per case (times from the first connected state).
scripts() {
  case $1 in
    connect) echo "4s close|" ;;
    s1) echo "2s stop video; 5s close|" ;;
    s2) echo "2s stop audio; 5s close|" ;;
    s3) echo "6s close|2s stop tag" ;;
    s4) echo "2s stop-media; 5s close|" ;;
    s5) echo "6s close|2s stop non-tag" ;;
    s6) echo "2s stop video; 3.5s add video; 6.5s close|" ;;
    s7) echo "2s stop video; 6s close|2s stop video" ;;
  esac
}

failed=0
port=$((20000 + RANDOM % 20000))
for browser in ${browsers//,/ }; do
  for kase in ${cases//,/ }; do
    for role in ${roles//,/ }; do
      port=$((port + 1))
      name="$browser-$kase-tacet-$role"
      IFS='|' read -r tscript bscript <<<"$(scripts "$kase")"
      targs=(--signaling tcp-socket --signaling-port "$port" --send audio,video --datachannel chat --json)
      [ -n "$tscript" ] && targs+=(--script "$tscript")
      bargs=(--signaling-port "$port" --send audio,video --datachannel chat --timeout 60)
      [ -n "$bscript" ] && bargs+=(--script "$bscript")
      if [ "$role" = offer ]; then
        timeout 90 "$peer" offer "${targs[@]}" >"$out/$name.tacet" 2>"$out/$name.tacet.err" &
        tpid=$!
        sleep 0.3
        timeout 90 node tests/browser/run.mjs "$browser" answer "${bargs[@]}" >"$out/$name.browser" 2>"$out/$name.browser.err"
        brc=$?
        wait $tpid
        trc=$?
      else
        timeout 90 node tests/browser/run.mjs "$browser" offer "${bargs[@]}" >"$out/$name.browser" 2>"$out/$name.browser.err" &
        bpid=$!
        sleep 0.3
        timeout 90 "$peer" answer "${targs[@]}" >"$out/$name.tacet" 2>"$out/$name.tacet.err"
        trc=$?
        wait $bpid
        brc=$?
      fi
      verdict=$(node tests/browser/judge.mjs "$kase" "$out/$name.tacet" "$out/$name.browser" "$trc" "$brc")
      [ $? -eq 0 ] || failed=$((failed + 1))
      printf '%-34s %s\n' "$name" "$verdict"
    done
  done
done
echo "smoke.sh: $failed failed; the runs' output is in $out"
exit "$failed"
