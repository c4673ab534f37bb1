#!/usr/bin/env bash
# The action's post step (and the action/stop step): reads the client report from the running mock, stops the
# mock, puts the report on the run's summary, and fails when the report's verdict gates the job (the require or
# fail-on input) or the mock exited with an error. Runs whatever the job did before; a second run is a no-op.
set -uo pipefail

session="${1:-${STATE_session:-${ACCUAUTH_KIT_MOCK_SESSION:-}}}"
if [[ -z "$session" || ! -f "$session/settings.sh" ]]; then
  echo "accuauth-kit mock: no mock was started by this action, nothing to stop"
  exit 0
fi
if [[ -f "$session/stopped" ]]; then
  echo "accuauth-kit mock: already stopped and reported by an earlier step"
  exit 0
fi
# Written by start.sh with declare -p: bin, url, report_dir, log, require, fail_on.
# shellcheck source=/dev/null
source "$session/settings.sh"
pid="$(cat "$session/pid")"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"

alive() { [[ ! -f "$session/exit-code" ]] && kill -0 "$pid" 2>/dev/null; }

# The report reads the running mock, so it comes before the stop.
report_args=(report --mock "$url" --out "$report_dir")
[[ -n "$require" ]] && report_args+=(--require "$require")
[[ -n "$fail_on" ]] && report_args+=(--fail-on "$fail_on")
if alive; then
  "${bin[@]}" "${report_args[@]}" >/dev/null 2>"$session/report.err"
  report_code=$?
else
  echo "the mock had exited before the report could read it" >"$session/report.err"
  report_code=2
fi
cat "$session/report.err"

# SIGTERM: the mock finishes the answers it owes and exits (within its 10 s shutdown grace); SIGKILL only if not.
# The exit code is written by the subshell that waited on the mock, once the mock is gone.
exited_within() {
  local ticks=$(($1 * 10))
  while ((ticks-- > 0)); do
    [[ -f "$session/exit-code" ]] && return 0
    sleep 0.1
  done
  [[ -f "$session/exit-code" ]]
}
if alive; then kill -TERM "$pid" 2>/dev/null; fi
if ! exited_within 15; then
  kill -KILL "$pid" 2>/dev/null
  exited_within 5
  echo "::warning title=accuauth-kit mock::the mock did not exit within 15 s of SIGTERM and was killed"
fi
mock_code="$(cat "$session/exit-code" 2>/dev/null || echo killed)"

echo "::group::accuauth-kit mock log"
cat "$log"
echo "::endgroup::"

if [[ -f "$report_dir/client-summary.md" && "$report_code" != 2 ]]; then
  cat "$report_dir/client-summary.md" >>"$summary"
else
  printf '## accuauth-kit client report\n\nNo report: %s\n' "$(tail -n 1 "$session/report.err")" >>"$summary"
fi
touch "$session/stopped"

status=0
if [[ "$mock_code" != 0 ]]; then
  # With --strict (or strict: true in the config) the mock exits 1 after client mistakes; its log lists them.
  echo "::error title=accuauth-kit mock::the mock exited with $mock_code (its log is above)"
  status=1
fi
if [[ -n "$require$fail_on" && "$report_code" != 0 ]]; then
  echo "::error title=accuauth-kit client report::the client report failed (exit $report_code); see the job summary and $report_dir"
  status=1
elif [[ "$report_code" == 2 ]]; then
  echo "::warning title=accuauth-kit client report::no client report: $(tail -n 1 "$session/report.err")"
fi
echo "accuauth-kit mock: stopped; the client report is in $report_dir"
exit "$status"
