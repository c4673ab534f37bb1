#!/usr/bin/env bash
# The action's main step: starts `accuauth-kit mock` in the background, waits until /__admin/health answers, and
# hands the URL to the workflow. Everything stop.sh needs is kept in a session directory, found through
# GITHUB_STATE (the action's post step) or ACCUAUTH_KIT_MOCK_SESSION (the action/stop step).
#
# Inputs (as the runner passes them, hyphens as underscores): INPUT_CONFIG, INPUT_PORT, INPUT_CASSETTES,
# INPUT_STATE, INPUT_JOURNAL_FILE, INPUT_STRICT, INPUT_REQUIRE, INPUT_FAIL_ON, INPUT_REPORT_DIR, INPUT_BIN,
# INPUT_WAIT_SECONDS.
set -euo pipefail

action_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

fail() {
  echo "::error title=accuauth-kit mock::$1"
  exit 1
}

# The consumer's installed package first (the version its tests were written against), then this repository's
# own build (a workflow of this repository, after npm run build). Run directly, never through npx: the signal
# that stops the mock must reach the mock, not a shell npx puts in between.
if [[ -n "${INPUT_BIN:-}" ]]; then
  read -r -a bin <<<"$INPUT_BIN"
elif [[ -x node_modules/.bin/accuauth-kit ]]; then
  bin=("$PWD/node_modules/.bin/accuauth-kit")
elif [[ -f "$action_root/dist/cli/main.js" ]]; then
  bin=("${ACCUAUTH_ACTION_NODE:-node}" "$action_root/dist/cli/main.js")
else
  fail "accuauth-kit is not installed in $PWD: run npm ci (with accuauth-kit in devDependencies) before this step, or set the action's bin input"
fi

port="${INPUT_PORT:-4010}"
[[ "$port" =~ ^[0-9]+$ ]] || fail "port must be a number (0 picks a free port), not '$port'"
wait_seconds="${INPUT_WAIT_SECONDS:-30}"
[[ "$wait_seconds" =~ ^[1-9][0-9]*$ ]] || fail "wait-seconds must be a positive whole number, not '$wait_seconds'"
case "${INPUT_STRICT:-false}" in
  true | false) ;;
  *) fail "strict must be true or false, not '${INPUT_STRICT}'" ;;
esac

args=(mock --port "$port")
[[ -n "${INPUT_CONFIG:-}" ]] && args+=(--config "$INPUT_CONFIG")
[[ -n "${INPUT_STATE:-}" ]] && args+=(--state "$INPUT_STATE")
[[ -n "${INPUT_JOURNAL_FILE:-}" ]] && args+=(--journal-file "$INPUT_JOURNAL_FILE")
[[ "${INPUT_STRICT:-false}" == true ]] && args+=(--strict)
# Cassettes: one path per line or separated by spaces, as other actions take lists of paths.
for cassette in ${INPUT_CASSETTES:-}; do args+=(--cassette "$cassette"); done

session="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/accuauth-kit-mock.XXXXXX")"
report_dir="${INPUT_REPORT_DIR:-$session/client-report}"
mkdir -p "$report_dir"
report_dir="$(cd "$report_dir" && pwd)"
log="$session/mock.log"

# A subshell waits on the mock to keep its exit code (--strict exits 1 after client mistakes), which no other
# process could read once this step has ended. Its output goes to files: a step whose output a background
# process keeps open would not end.
(
  "${bin[@]}" "${args[@]}" </dev/null >"$log" 2>&1 &
  echo "$!" >"$session/pid"
  code=0
  wait "$!" || code=$?
  echo "$code" >"$session/exit-code"
) </dev/null >/dev/null 2>&1 &

ready_prefix='accuauth-kit mock listening on '
url=''
for ((tick = 0; tick < wait_seconds * 10; tick++)); do
  if [[ -f "$session/exit-code" ]]; then
    cat "$log"
    fail "the mock exited with $(cat "$session/exit-code") before it was ready (its log is above)"
  fi
  line="$(grep -m 1 "^$ready_prefix" "$log" 2>/dev/null || true)"
  if [[ -n "$line" ]]; then
    url="${line#"$ready_prefix"}"
    break
  fi
  sleep 0.1
done
if [[ -z "$url" ]]; then
  cat "$log"
  [[ -f "$session/pid" ]] && kill -TERM "$(cat "$session/pid")" 2>/dev/null || true
  fail "the mock was not ready within $wait_seconds s (its log is above); raise wait-seconds on a slow runner"
fi

# The ready line is printed once the port listens; the health check proves the admin API the report reads answers.
# The admin token, when there is one, goes to curl on stdin: on its command line any process could read it.
if [[ -n "${ACCUAUTH_ADMIN_TOKEN:-}" ]]; then
  printf 'header = "Authorization: Bearer %s"\n' "$ACCUAUTH_ADMIN_TOKEN"
fi | curl --config - --silent --show-error --fail --max-time 5 --retry 5 --retry-connrefused --retry-delay 1 \
  "$url/__admin/health" >/dev/null ||
  fail "the mock listens on $url but $url/__admin/health does not answer"

# Read back by stop.sh with `source`: written by declare -p, so every value is quoted.
{
  declare -p bin url report_dir log
  printf 'require=%q\nfail_on=%q\n' "${INPUT_REQUIRE:-}" "${INPUT_FAIL_ON:-}"
} >"$session/settings.sh"

echo "url=$url" >>"${GITHUB_OUTPUT:-/dev/null}"
echo "report-dir=$report_dir" >>"${GITHUB_OUTPUT:-/dev/null}"
echo "session=$session" >>"${GITHUB_STATE:-/dev/null}"
echo "ACCUAUTH_KIT_MOCK_SESSION=$session" >>"${GITHUB_ENV:-/dev/null}"
echo "accuauth-kit mock: $url (pid $(cat "$session/pid")); the client report will be written to $report_dir"
