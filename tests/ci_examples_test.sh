#!/usr/bin/env bash
# The CI examples and the CI formats against real tools:
#   - examples/github-actions.yml and examples/gitlab-ci.yml parse as YAML (Debian's python3-yaml) and wire
#     ormlint the way the README says (SARIF upload with security-events: write, fetch-depth: 0 for
#     --changed-since, the GitLab report as artifacts:reports:codequality);
#   - every option an example passes to `ormlint check` is one the binary accepts (`check --help`), and every
#     --format value it uses is accepted by the binary;
#   - `--format gitlab` on the demo app meets GitLab's documented Code Quality constraints (a JSON schema checked
#     with Debian's python3-jsonschema, plus unique fingerprints), and `--format github` prints only workflow
#     commands.
# Prints every problem; exits 1 on any.
#
#   tests/ci_examples_test.sh BINARY ROOT
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 BINARY ROOT" >&2; exit 2; }
binary="$(realpath "$1")" root="$(realpath "$2")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$binary" check --help >"$work/check-help.txt"
(cd "$root" && "$binary" check --no-cache --format gitlab --exit-zero fixtures/demo-app >"$work/demo-gitlab.json")
(cd "$root" && "$binary" check --no-cache --format github --exit-zero fixtures/demo-app >"$work/demo-github.txt")

python3 - "$root" "$binary" "$work" <<'EOF'
import json
import pathlib
import re
import shlex
import subprocess
import sys

import jsonschema
import yaml

root, binary, work = pathlib.Path(sys.argv[1]), sys.argv[2], pathlib.Path(sys.argv[3])
problems = []


def expect(condition, message):
    if not condition:
        problems.append(message)


def load(name):
    try:
        return yaml.safe_load((root / "examples" / name).read_text())
    except (OSError, yaml.YAMLError) as error:
        problems.append(f"examples/{name}: {error}")
        return None


def ormlint_commands(texts):
    """Every `ormlint check ...` command line in the given shell snippets, split into words."""
    commands = []
    for text in texts:
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("ormlint check"):
                commands.append(shlex.split(line.split("||")[0]))
    return commands


help_text = (work / "check-help.txt").read_text()
accepted_options = set(re.findall(r"--[a-z][a-z-]*", help_text))


def check_commands(name, commands):
    expect(commands, f"examples/{name}: no `ormlint check` command found")
    for words in commands:
        for i, word in enumerate(words):
            option = word.split("=")[0]
            if option.startswith("--"):
                expect(option in accepted_options, f"examples/{name}: `ormlint check` has no option {option}")
            if option == "--format" and i + 1 < len(words):
                probe = subprocess.run([binary, "check", "--format", words[i + 1], "--exit-zero", str(work / "none.py")],
                                       capture_output=True, text=True)
                expect("--format" not in probe.stderr,
                       f"examples/{name}: --format {words[i + 1]} is rejected: {probe.stderr.strip()}")


(work / "none.py").write_text("x = 1\n")

github = load("github-actions.yml")
if github is not None:
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1).
    triggers = github.get("on", github.get(True)) or {}
    expect("pull_request" in triggers and "push" in triggers, "github-actions.yml: runs on push and pull_request")
    expect(github.get("permissions", {}).get("security-events") == "write",
           "github-actions.yml: permissions: security-events: write")
    steps = [step for job in github.get("jobs", {}).values() for step in job.get("steps", [])]
    uses = {step.get("uses", "") for step in steps}
    expect("github/codeql-action/upload-sarif@v3" in uses, "github-actions.yml: uploads with upload-sarif@v3")
    checkouts = [step for step in steps if step.get("uses", "").startswith("actions/checkout@")]
    expect(any(step.get("with", {}).get("fetch-depth") == 0 for step in checkouts),
           "github-actions.yml: checkout with fetch-depth: 0")
    upload = next((step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif")), {})
    scripts = [step.get("run", "") for step in steps]
    commands = ormlint_commands(scripts)
    check_commands("github-actions.yml", commands)
    sarif = [c for c in commands if "sarif" in c]
    expect(sarif and "--output" in sarif[0] and sarif[0][sarif[0].index("--output") + 1] == upload.get("with", {}).get("sarif_file"),
           "github-actions.yml: the SARIF step writes the file upload-sarif uploads")
    expect(any("github" in c and "--changed-since" in c for c in commands),
           "github-actions.yml: a --format github --changed-since step")
    expect(any("scripts/bootstrap" in s for s in scripts) and any("scripts/build" in s for s in scripts),
           "github-actions.yml: builds ormlint with scripts/bootstrap and scripts/build")

gitlab = load("gitlab-ci.yml")
if gitlab is not None:
    job = gitlab.get("ormlint", {})
    expect(job.get("artifacts", {}).get("reports", {}).get("codequality") == "gl-code-quality-report.json",
           "gitlab-ci.yml: artifacts: reports: codequality: gl-code-quality-report.json")
    expect(job.get("artifacts", {}).get("when") == "always", "gitlab-ci.yml: the report is kept when the job fails")
    commands = ormlint_commands(job.get("script", []))
    check_commands("gitlab-ci.yml", commands)
    expect(any(c[c.index("--format") + 1] == "gitlab" and "gl-code-quality-report.json" in c
               for c in commands if "--format" in c),
           "gitlab-ci.yml: writes --format gitlab to gl-code-quality-report.json")
    expect(any("scripts/bootstrap" in s for s in job.get("before_script", [])),
           "gitlab-ci.yml: builds ormlint with scripts/bootstrap")

# GitLab's documented Code Quality report format
# (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format) as a JSON schema.
code_quality_schema = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1, "not": {"pattern": "^/"}},
                    "lines": {"type": "object", "required": ["begin"],
                              "properties": {"begin": {"type": "integer", "minimum": 1},
                                             "end": {"type": "integer", "minimum": 1}}},
                },
            },
        },
    },
}
raw = (work / "demo-gitlab.json").read_bytes()
expect(not raw.startswith(b"\xef\xbb\xbf"), "gitlab report: starts with a byte order mark")
report = json.loads(raw)
for error in jsonschema.Draft7Validator(code_quality_schema).iter_errors(report):
    problems.append(f"gitlab report: {error.json_path}: {error.message}")
expect(len(report) > 0, "gitlab report: the demo app has findings, the report has none")
fingerprints = [issue.get("fingerprint") for issue in report]
expect(len(set(fingerprints)) == len(fingerprints), "gitlab report: duplicate fingerprints")

annotations = (work / "demo-github.txt").read_text().splitlines()
expect(len(annotations) == len(report), f"github: {len(annotations)} annotations for {len(report)} findings")
command = re.compile(r"^::(error|warning|notice) file=[^,:]+,line=\d+,(col=\d+,)?endLine=\d+,(endColumn=\d+,)?"
                     r"title=ormlint OL\d+ \([a-z-]+\)::.+$")
for line in annotations:
    expect(command.match(line), f"github: not a workflow command: {line}")

for problem in problems:
    print(f"ci_examples_test: {problem}")
sys.exit(1 if problems else 0)
EOF
echo "ci_examples_test: ok"
