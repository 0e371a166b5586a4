#!/usr/bin/env bash
# Runs every test of QueuedTraining on a fresh machine: installs what the tests need (dotnet local tools,
# pinned npm packages), checks the peers that come with the machine image (moto_server, boto3, the AWS
# CLI), builds, runs each test project and the Pester suite, and ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export AWS_EC2_METADATA_DISABLED=true DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NO_COLOR=1
results="$(pwd)/.artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"
failed_steps=()

step() { echo; echo "==> $*"; }

step "dotnet local tools"
if [ -f .config/dotnet-tools.json ]; then
  dotnet tool restore || failed_steps+=("dotnet tool restore")
fi

step "pinned npm packages"
while IFS= read -r lock; do
  dir=$(dirname "$lock")
  echo "npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || failed_steps+=("npm ci in $dir")
done < <(find tests -name package-lock.json -not -path '*/node_modules/*' | sort)

step "chromium for the dashboard's browser test"
# Debian's chromium, driven by Microsoft.Playwright through its path; Playwright never downloads a browser.
if [ ! -x /usr/bin/chromium ]; then
  (apt-get update && apt-get install -y chromium) || failed_steps+=("apt-get install chromium")
else
  echo "found chromium: /usr/bin/chromium"
fi

step "peers from the machine image"
# moto, boto3 and the AWS CLI come with the machine image (PyPI is not reachable here). Tests that need
# them fail loudly, naming what is missing; nothing is skipped.
for tool in moto_server python3 aws node; do
  if command -v "$tool" >/dev/null 2>&1; then echo "found $tool: $(command -v "$tool")"; else echo "MISSING: $tool (tests that need it will fail)"; fi
done
python3 -c "import boto3, botocore" 2>/dev/null && echo "found boto3/botocore" || echo "MISSING: python3 boto3/botocore"

step "restore and build"
dotnet restore QueuedTraining.sln --locked-mode || failed_steps+=("restore")
dotnet build QueuedTraining.sln -c Release --no-restore || failed_steps+=("build")

passed=0
failed=0
step "xunit tests"
for project in $(find tests -name '*.Tests.csproj' | sort); do
  name=$(basename "$project" .csproj)
  log="$results/$name.log"
  # A hung test host is aborted after 10 minutes and counted as a failure, so a hang fails loudly instead of eating the run.
  dotnet test "$project" -c Release --no-build --logger "console;verbosity=normal" \
    --blame-hang --blame-hang-timeout 10min --blame-hang-dump-type none >"$log" 2>&1
  code=$?
  # The run's closing block: "Total tests: N", "     Passed: N", "     Failed: N".
  p=$(sed -nE 's/^ +Passed: +([0-9]+)$/\1/p' "$log" | tail -n 1); p=${p:-0}
  f=$(sed -nE 's/^ +Failed: +([0-9]+)$/\1/p' "$log" | tail -n 1); f=${f:-0}
  if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "$name exited $code without a failing test: counted as one failure"; fi
  echo "$name: $p passed, $f failed"
  if [ "$f" -gt 0 ]; then grep -E "^\s+Failed |Error Message|Assert|Exception" "$log" | head -n 40; fi
  passed=$((passed + p)); failed=$((failed + f))
done

if [ -f tests/QueuedTraining.PowerShell.Tests/Invoke-Tests.ps1 ]; then
  step "Pester tests"
  log="$results/pester.log"
  dotnet tool run pwsh -NoProfile -NonInteractive -File tests/QueuedTraining.PowerShell.Tests/Invoke-Tests.ps1 -Configuration Release >"$log" 2>&1
  code=$?
  p=$(sed -nE 's/^Pester: ([0-9]+) passed, ([0-9]+) failed.*/\1/p' "$log" | tail -n 1); p=${p:-0}
  f=$(sed -nE 's/^Pester: ([0-9]+) passed, ([0-9]+) failed.*/\2/p' "$log" | tail -n 1); f=${f:-0}
  if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "Pester exited $code without a failing test: counted as one failure"; tail -n 30 "$log"; fi
  echo "Pester: $p passed, $f failed"
  if [ "$f" -gt 0 ]; then grep -E "\[-\]|Expected|Error" "$log" | head -n 40; fi
  passed=$((passed + p)); failed=$((failed + f))
fi

for s in "${failed_steps[@]+"${failed_steps[@]}"}"; do
  echo "step failed: $s"; failed=$((failed + 1))
done

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
