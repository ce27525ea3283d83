#!/usr/bin/env bash
# Validates ormlint's SARIF against the official SARIF 2.1.0 schema (draft-04; fetched into third_party/ by
# scripts/bootstrap) with Debian's python3-jsonschema, and checks what the schema cannot: every result's
# ruleIndex points at a rule with the result's ruleId. Prints every problem; exits 1 on any.
#
#   tests/sarif_schema_test.sh --file F [--root R]        validate the SARIF file F
#   tests/sarif_schema_test.sh --unit-sample [--root R]   validate the file the [output] unit tests write,
#                                                         ${TMPDIR:-/tmp}/ormlint-output-test.sarif
#   tests/sarif_schema_test.sh --binary B --root R        validate `B check --format sarif --exit-zero
#                                                         fixtures/demo-app`, run in R
#   tests/sarif_schema_test.sh B R                        same as --binary B --root R
#
# R is the repository root (default: this script's parent folder); the schema is read from it.
set -euo pipefail

usage() {
  echo "usage: $0 --file F [--root R] | --unit-sample [--root R] | --binary B --root R | B R" >&2
  exit 2
}

file="" binary="" root=""
while [ $# -gt 0 ]; do
  case "$1" in
    --file) [ $# -ge 2 ] || usage; file="$2"; shift 2 ;;
    --unit-sample) file="${TMPDIR:-/tmp}/ormlint-output-test.sarif"; shift ;;
    --binary) [ $# -ge 2 ] || usage; binary="$2"; shift 2 ;;
    --root) [ $# -ge 2 ] || usage; root="$2"; shift 2 ;;
    -*) usage ;;
    *)
      [ $# -eq 2 ] || usage
      binary="$1" root="$2"
      shift 2
      ;;
  esac
done
if [ -n "$file" ] && [ -n "$binary" ]; then usage; fi
if [ -z "$file" ] && [ -z "$binary" ]; then usage; fi
[ -n "$root" ] || root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

schema="$root/third_party/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"
if [ ! -f "$schema" ]; then
  echo "sarif_schema_test: schema not found at $schema (run scripts/bootstrap)" >&2
  exit 1
fi
# Debian's interpreter explicitly: python3-jsonschema is installed for it, not for a pyenv python on PATH.
python=/usr/bin/python3
if ! "$python" -c 'import jsonschema' 2>/dev/null; then
  echo "sarif_schema_test: $python cannot import jsonschema (apt-get install python3-jsonschema)" >&2
  exit 1
fi

if [ -n "$binary" ]; then
  # Resolve the binary before changing directory, so a relative path keeps working.
  case "$binary" in /*) ;; *) binary="$PWD/$binary" ;; esac
  file="$(mktemp "${TMPDIR:-/tmp}/ormlint-sarif.XXXXXX")"
  trap 'rm -f "$file"' EXIT
  if ! (cd "$root" && "$binary" check --no-cache --format sarif --exit-zero fixtures/demo-app) >"$file"; then
    echo "sarif_schema_test: '$binary check --no-cache --format sarif --exit-zero fixtures/demo-app' failed" >&2
    exit 1
  fi
elif [ ! -f "$file" ]; then
  echo "sarif_schema_test: no such file: $file" >&2
  exit 1
fi

"$python" - "$schema" "$file" <<'PY'
import json
import sys

import jsonschema

schema_path, sarif_path = sys.argv[1], sys.argv[2]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
try:
    with open(sarif_path, encoding="utf-8") as f:
        log = json.load(f)
except (OSError, ValueError) as error:
    print(f"{sarif_path}: not JSON: {error}")
    sys.exit(1)

jsonschema.Draft4Validator.check_schema(schema)
# Check "format" keywords too where the installed checkers can (uri, date-time ...).
format_checker = getattr(jsonschema.Draft4Validator, "FORMAT_CHECKER", None) or jsonschema.draft4_format_checker
validator = jsonschema.Draft4Validator(schema, format_checker=format_checker)

problems = []
for error in sorted(validator.iter_errors(log), key=lambda e: [str(p) for p in e.absolute_path]):
    where = "/" + "/".join(str(p) for p in error.absolute_path)
    problems.append(f"{where}: {error.message}")

# The schema cannot tie a result to its rule: check ruleIndex against tool.driver.rules by hand.
for r, run in enumerate(log.get("runs", []) if isinstance(log, dict) else []):
    rules = run.get("tool", {}).get("driver", {}).get("rules", [])
    for i, result in enumerate(run.get("results", [])):
        index = result.get("ruleIndex")
        if index is None:
            continue
        if not 0 <= index < len(rules):
            problems.append(f"/runs/{r}/results/{i}/ruleIndex: {index} is outside tool.driver.rules ({len(rules)})")
        elif "ruleId" in result and rules[index].get("id") != result["ruleId"]:
            problems.append(f"/runs/{r}/results/{i}: ruleIndex {index} is rule {rules[index].get('id')!r}, "
                            f"not ruleId {result['ruleId']!r}")

for problem in problems:
    print(problem)
if problems:
    print(f"{sarif_path}: {len(problems)} problem(s) against SARIF 2.1.0")
    sys.exit(1)
results = sum(len(run.get("results", [])) for run in log["runs"])
print(f"{sarif_path}: valid SARIF 2.1.0 ({results} results)")
PY
