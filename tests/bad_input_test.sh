#!/usr/bin/env bash
# Bad input never crashes or hangs ormlint:
#
#   tests/bad_input_test.sh path/to/ormlint
#
# Each case writes its fixtures into a fresh temporary folder (nothing binary is committed), next to good.py, a
# model with a known finding (`metadata = Column(JSON)` on a declarative_base() class: reserved-attribute), and
# runs `ormlint check` under `timeout 60`. A case passes when ormlint
#   - exits 0, 1 or 2 (never a signal, an abort or the timeout),
#   - exits with the code the case expects,
#   - says what is wrong with the bad file, naming it (stdout or stderr),
#   - still checks the other files: good.py's finding is reported.
# The last line is "N passed, M failed"; the exit code is non-zero when any case failed.
set -u

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
  echo "usage: $0 path/to/ormlint" >&2
  exit 2
fi
BIN="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
# shellcheck source=tests/report.sh
. "$(dirname "${BASH_SOURCE[0]:-$0}")/report.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ormlint-bad-input.XXXXXX")"
chmod 755 "$WORK"  # the unreadable-file case runs ormlint as another user
cleanup() {
  chmod -R u+rwX "$WORK" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

GOOD_FINDING='good\.py:10:5: error\[reserved-attribute\] `metadata` is reserved'



# A fresh folder for a case, holding good.py; prints its path.
new_case() {
  local dir="$WORK/$1"
  mkdir -p "$dir"
  chmod 755 "$dir"
  cat >"$dir/good.py" <<'EOF'
from sqlalchemy import JSON, Column, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Thing(Base):
    __tablename__ = "things"
    id = Column(Integer, primary_key=True)
    metadata = Column(JSON)
EOF
  echo "$dir"
}

# check_run NAME DIR EXPECTED_EXIT MESSAGE_REGEX [--as-nobody] -- ARGS...
# Runs `ormlint check --color never ARGS` in DIR and checks the exit code, the message about the bad input
# (MESSAGE_REGEX, grep -E over stdout and stderr; "" when the bad input deserves no message, and then nothing may
# name it), and good.py's finding.
check_run() {
  local name="$1" dir="$2" expected="$3" message="$4"
  shift 4
  local prefix=()
  if [ "$1" = "--as-nobody" ]; then
    prefix=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    shift
  fi
  [ "$1" = "--" ] && shift
  OUT="$WORK/$name.out"
  local start end code
  start=$(date +%s)
  # (The outer braces keep bash's own "Aborted" report of a crashed child out of the log.)
  { (cd "$dir" && "${prefix[@]}" timeout 60 "$BIN" check --color never "$@") >"$OUT" 2>&1; } 2>/dev/null
  code=$?
  end=$(date +%s)
  if [ "$code" -eq 124 ]; then
    fail "$name" "timed out after 60 s (hang)"
    return
  fi
  if [ "$code" -gt 2 ]; then
    local signal=""
    [ "$code" -gt 128 ] && signal=" (signal $((code - 128)): $(kill -l $((code - 128)) 2>/dev/null))"
    fail "$name" "crashed: exit code $code$signal"
    return
  fi
  if [ "$code" -ne "$expected" ]; then
    fail "$name" "exit code $code, expected $expected"
    return
  fi
  if ! grep -Eq "$GOOD_FINDING" "$OUT"; then
    fail "$name" "good.py's reserved-attribute finding is missing: the other files were not checked"
    return
  fi
  if [ -n "$message" ] && ! grep -Eq "$message" "$OUT"; then
    fail "$name" "no clear message matching /$message/"
    return
  fi
  pass "$name ($((end - start)) s, exit $code)"
}

# Repeats STRING COUNT times (no newline), without needing python.
repeat() { head -c "$2" /dev/zero | tr '\0' "$1"; }

# --- Encoding ---------------------------------------------------------------------------------------------------

dir=$(new_case invalid-utf8)
printf 'x = 1\n\xff\xfe = 2\n' >"$dir/bad.py"
check_run invalid-utf8 "$dir" 1 'bad\.py:2:1: error\[syntax-error\] not valid UTF-8' -- .

dir=$(new_case binary-file)
printf 'PK\003\004\000\000\001\002binary\000junk\377\n' >"$dir/x.py"
check_run binary-file "$dir" 1 'x\.py:1:1: error\[syntax-error\] binary file \(contains NUL bytes\)' -- .

dir=$(new_case template-saved-as-python)
printf '{%% extends "data_loaders/default.jinja" %%}\n{%% block content %%}\nx = {{ name }}\n' >"$dir/loader.py"
check_run template-saved-as-python "$dir" 1 'loader\.py:1:1: error\[syntax-error\] `\{%` starts a template tag \(Jinja, Django\): this file is a template' -- .

# A cookiecutter repository: the template folder is left out, and the run says so instead of a silent
# "All checks passed (0 files checked)".
dir=$(new_case template-folder)
mkdir -p "$dir/{{cookiecutter.project_slug}}/app"
printf 'from sqlalchemy import Column, Integer\nfrom sqlalchemy.orm import declarative_base\nBase = declarative_base()\nclass U(Base):\n    __tablename__ = "u"\n    id = Column(Integer, primary_key=True)\n    metadata = Column(Integer)\n' >"$dir/{{cookiecutter.project_slug}}/app/models.py"
check_run template-folder "$dir" 1 'warning: skipped `\{\{cookiecutter\.project_slug\}\}/`: a project template' -- .
check_run template-folder-named "$dir" 1 'models\.py:7:5: error\[reserved-attribute\]' -- good.py '{{cookiecutter.project_slug}}'

dir=$(new_case empty-file)
: >"$dir/empty.py"
check_run empty-file "$dir" 1 '' -- .
if grep -q 'empty\.py' "$OUT"; then fail "empty-file (silence)" "an empty file must give no finding and no error"; else pass "empty-file (silence)"; fi

dir=$(new_case crlf-bom)
{ printf '\357\273\277'; sed 's/$/\r/' "$dir/good.py"; } >"$dir/crlf_bom.py"
check_run crlf-bom "$dir" 1 'crlf_bom\.py:10:5: error\[reserved-attribute\] `metadata` is reserved' -- .

# --- Nesting: 3 MB on one line, 100k parentheses ----------------------------------------------------------------

dir=$(new_case nested-brackets-3mb)
{ printf 'x = '; repeat '[' 1500000; repeat ']' 1500000; printf '\n'; } >"$dir/nested.py"
check_run nested-brackets-3mb "$dir" 1 'nested\.py:1:[0-9]+: error\[syntax-error\] brackets nested more than 200 deep' -- .

dir=$(new_case unbalanced-brackets-3mb)
{ printf 'x = '; repeat '[' 3000000; printf '\n'; } >"$dir/unbalanced.py"
check_run unbalanced-brackets-3mb "$dir" 1 'unbalanced\.py:1:[0-9]+: error\[syntax-error\] brackets nested more than 200 deep' -- .

dir=$(new_case parentheses-100k)
{ printf 'x = '; repeat '(' 100000; printf '1'; repeat ')' 100000; printf '\n'; } >"$dir/parens.py"
check_run parentheses-100k "$dir" 1 'parens\.py:1:[0-9]+: error\[syntax-error\] brackets nested more than 200 deep' -- .

# Depth the tree-sitter runtime of Debian 12 cannot hold (a node with 65,536 children corrupts its heap) without
# any bracket: an unfinished prefix-operator chain, and a valid file with 70,000 comment lines in a row.
dir=$(new_case unary-chain-100k)
{ printf 'x = '; repeat '-' 100000; printf '\n'; } >"$dir/unary.py"
check_run unary-chain-100k "$dir" 1 'unary\.py:1:1: error\[syntax-error\] more than 50000 tokens' -- .

dir=$(new_case comment-run-70k)
{ printf 'x = 1\n'; yes '# a comment line' | head -n 70000; } >"$dir/comments.py"
check_run comment-run-70k "$dir" 1 'comments\.py:2:1: error\[syntax-error\] more than 50000 tokens \(or comment lines\)' -- .

dir=$(new_case indentation-100-levels)
awk 'BEGIN { for (i = 0; i < 100; i++) { printf "%*sif x:\n", i, "" } printf "%*spass\n", 100, "" }' >"$dir/indented.py"
check_run indentation-100-levels "$dir" 1 'indented\.py:101:101: error\[syntax-error\] more than 99 levels of indentation' -- .

# --- Big files --------------------------------------------------------------------------------------------------

dir=$(new_case lines-200k)
awk 'BEGIN {
  print "from sqlalchemy import Column, ForeignKey, Integer, String"
  print "from sqlalchemy.orm import declarative_base"
  print ""
  print "Base = declarative_base()"
  n = 4
  for (i = 0; n < 200000; i++) {
    print ""; print ""
    print "class Model" i "(Base):"
    print "    __tablename__ = \"model_" i "\""
    print "    id = Column(Integer, primary_key=True)"
    print "    name = Column(String(80), nullable=False)  # column " i
    print "    parent_id = Column(Integer, ForeignKey(\"model_" i "_parent.id\", ondelete=\"CASCADE\"))"
    n += 7
  }
}' | head -n 200000 >"$dir/huge.py"
check_run lines-200k "$dir" 1 '' -- .
# It must parse (its foreign keys point at tables it does not define, so other rules may report on it).
if grep -q 'huge\.py.*syntax-error' "$OUT"; then fail "lines-200k (parsed)" "huge.py must parse"; else pass "lines-200k (parsed)"; fi

# --- The file system --------------------------------------------------------------------------------------------

dir=$(new_case unreadable-file)
echo 'x = 1' >"$dir/secret.py"
chmod 000 "$dir/secret.py"
if [ "$(id -u)" -ne 0 ]; then
  check_run unreadable-file "$dir" 2 'secret\.py: Permission denied' -- .
elif ! command -v setpriv >/dev/null 2>&1; then
  echo "SKIP  unreadable-file: running as root and setpriv (util-linux) is missing, so nothing is unreadable"
elif ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$BIN"; then
  echo "SKIP  unreadable-file: user nobody (65534) cannot run $BIN"
else
  check_run unreadable-file "$dir" 2 'secret\.py: Permission denied' --as-nobody -- .
fi

# A folder that may not be listed is named too, not passed over (its files would silently go unchecked).
dir=$(new_case unreadable-folder)
mkdir "$dir/locked"
cp "$dir/good.py" "$dir/locked/inner.py"
chmod 000 "$dir/locked"
if [ "$(id -u)" -ne 0 ]; then
  check_run unreadable-folder "$dir" 2 'locked: Permission denied' -- .
elif ! command -v setpriv >/dev/null 2>&1; then
  echo "SKIP  unreadable-folder: running as root and setpriv (util-linux) is missing, so nothing is unreadable"
elif ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$BIN"; then
  echo "SKIP  unreadable-folder: user nobody (65534) cannot run $BIN"
else
  check_run unreadable-folder "$dir" 2 'locked: Permission denied' --as-nobody -- .
fi

dir=$(new_case symlink-loop)
ln -s b "$dir/a"
ln -s a "$dir/b"
ln -s loop_b.py "$dir/loop_a.py"
ln -s loop_a.py "$dir/loop_b.py"
check_run symlink-loop "$dir" 2 'loop_a\.py: broken or looping symbolic link' -- .

dir=$(new_case dangling-symlink)
ln -s nowhere/missing.py "$dir/gone.py"
check_run dangling-symlink "$dir" 2 'gone\.py: broken or looping symbolic link' -- .

dir=$(new_case directory-named-py)
mkdir -p "$dir/trap.py"
check_run directory-named-py "$dir" 1 '' -- .
check_run directory-named-py-explicit "$dir" 1 '' -- good.py trap.py
if grep -q 'trap\.py' "$OUT"; then fail "directory-named-py (silence)" "a folder named trap.py is a folder, not a file to read"; else pass "directory-named-py (silence)"; fi

dir=$(new_case nonexistent-path)
check_run nonexistent-path "$dir" 2 'no/such/path\.py: No such file or directory' -- good.py no/such/path.py

report
