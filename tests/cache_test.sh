#!/usr/bin/env bash
# The facts cache of `ormlint check`, on the real binary in temporary folders:
#
#   tests/cache_test.sh path/to/ormlint path/to/source-root
#
# Covers: the first run creating .ormlint_cache/ (.gitignore, CACHEDIR.TAG, facts-*.bin) in the project folder;
# warm runs printing byte for byte what cold and --no-cache runs print (terminal and JSON); edits, reverts,
# same-size edits and module renames seen at once (no stale facts), also when the facts come by the file's stamp
# (size, times, inode) without reading it; a git work tree staying clean; --no-cache,
# ORMLINT_NO_CACHE, --cache-dir, ORMLINT_CACHE_DIR and `cache-dir` in the configuration (and their order);
# damaged cache files (truncated, random bytes, empty, a directory) read as a cold cache; an unwritable cache
# folder giving a warning, never other findings or another exit code; `check --staged` with a cache still judging
# the staged content. Each case says what it expects; the last line is "N passed, M failed".
set -u

if [ $# -ne 2 ] || [ ! -x "$1" ] || [ ! -d "$2/fixtures/demo-app" ]; then
  echo "usage: $0 path/to/ormlint path/to/source-root" >&2
  exit 2
fi
BIN="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
ROOT="$(cd "$2" && pwd)"
# shellcheck source=tests/report.sh
. "$(dirname "${BASH_SOURCE[0]:-$0}")/report.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ormlint-cache.XXXXXX")"
cleanup() {
  chmod -R u+rwX "$WORK" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
# Git must not read the user's settings or find a repository above the temporary folder (this checkout's own).
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid
export GIT_CEILING_DIRECTORIES="$WORK"
export NO_COLOR=1
# The caller's cache settings must not change what is tested.
unset ORMLINT_CACHE_DIR ORMLINT_NO_CACHE
mkdir -p "$HOME"

OUT="$WORK/out"

# git, only inside the temporary folder.
g() {
  case "$PWD/" in
    "$WORK"/*) git "$@" ;;
    *)
      echo "cache_test: refusing to run git outside $WORK (in $PWD)" >&2
      exit 2
      ;;
  esac
}

# ol PREFIX ARGS...: runs `ormlint ARGS` in the current folder; stdout in PREFIX.out, stderr in PREFIX.err, the exit
# code in $rc. A crash or a hang shows as an exit code above 2.
rc=0
ol() {
  local prefix="$1"
  shift
  timeout 120 "$BIN" "$@" >"$prefix.out" 2>"$prefix.err" </dev/null
  rc=$?
}

# same NAME FILE EXPECTED_FILE: FILE's bytes are EXPECTED_FILE's (a failure shows the difference).
same() {
  if cmp -s "$2" "$3"; then
    pass "$1"
  else
    diff "$3" "$2" >"$OUT" 2>&1
    fail "$1" "$2 differs from $3"
  fi
}

# quiet NAME PREFIX: the run wrote nothing on stderr.
quiet() {
  if [ -s "$2.err" ]; then
    cp "$2.err" "$OUT"
    fail "$1" "unexpected stderr"
  else
    pass "$1"
  fi
}

# code NAME EXPECTED: $rc is EXPECTED.
code() {
  if [ "$rc" -eq "$2" ]; then
    pass "$1"
  else
    fail "$1" "exit code $rc, expected $2"
  fi
}

# no_cache_folder NAME DIR: DIR holds no .ormlint_cache, however deep.
no_cache_folder() {
  if [ -n "$(find "$2" -name .ormlint_cache -print -quit)" ]; then
    find "$2" -name .ormlint_cache >"$OUT"
    fail "$1" "a cache folder was created"
  else
    pass "$1"
  fi
}

# cache_folder_ok NAME DIR: DIR is a cache folder - .gitignore ignoring everything, CACHEDIR.TAG, one facts file.
cache_folder_ok() {
  local name="$1" dir="$2"
  local facts
  facts=$(find "$dir" -maxdepth 1 -name 'facts-*.bin' -type f | wc -l)
  if [ ! -d "$dir" ]; then
    fail "$name" "no folder $dir"
  elif ! grep -qx '\*' "$dir/.gitignore" 2>/dev/null; then
    fail "$name" "$dir/.gitignore does not ignore everything"
  elif ! grep -q '^Signature: 8a477f597d28d172789f06886806bc55' "$dir/CACHEDIR.TAG" 2>/dev/null; then
    fail "$name" "$dir/CACHEDIR.TAG lacks the signature"
  elif [ "$facts" -ne 1 ]; then
    ls -la "$dir" >"$OUT"
    fail "$name" "$facts facts-*.bin files in $dir, expected 1"
  else
    pass "$name"
  fi
}

# The one facts file of a cache folder.
facts_file() { find "$1" -maxdepth 1 -name 'facts-*.bin' | head -n 1; }

# A fresh copy of the demo app (without a cache a run in the source tree may have left); prints its path.
demo_copy() {
  local dir="$WORK/$1"
  cp -R "$ROOT/fixtures/demo-app" "$dir"
  rm -rf "$dir/.ormlint_cache"
  echo "$dir"
}

# A small project: a declarative base and a clean model importing it relatively; prints its path.
small_project() {
  local dir="$WORK/$1"
  mkdir -p "$dir/app"
  cat >"$dir/pyproject.toml" <<'EOF'
[project]
name = "small"
EOF
  : >"$dir/app/__init__.py"
  cat >"$dir/app/base.py" <<'EOF'
from sqlalchemy.orm import declarative_base

Base = declarative_base()
EOF
  cat >"$dir/app/user.py" <<'EOF'
from sqlalchemy import JSON, Column, Integer

from .base import Base


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    settings = Column(JSON)
EOF
  echo "$dir"
}
# Turns `settings` into the reserved `metadata` (reserved-attribute, an error) or back: the same size either way.
make_bad() { sed -i 's/^    settings = /    metadata = /' "$1"; }
make_good() { sed -i 's/^    metadata = /    settings = /' "$1"; }
BAD_USER='app/user.py:9:5: error\[reserved-attribute\]'

# has NAME PREFIX REGEX / lacks NAME PREFIX REGEX: PREFIX.out matches (does not match) REGEX.
has() {
  if grep -Eq -- "$3" "$2.out"; then pass "$1"; else cp "$2.out" "$OUT"; fail "$1" "output lacks /$3/"; fi
}
lacks() {
  if grep -Eq -- "$3" "$2.out"; then cp "$2.out" "$OUT"; fail "$1" "output has /$3/"; else pass "$1"; fi
}

# cached_equals_cold NAME: in the current folder, a cached run (then a warm one) prints what --no-cache prints,
# with the same exit code, terminal and JSON.
cached_equals_cold() {
  local name="$1" format expected_rc
  for format in terminal json; do
    ol "$WORK/cold" check --no-cache --format "$format"
    expected_rc=$rc
    ol "$WORK/cached" check --format "$format"
    same "$name ($format): cached run = --no-cache run" "$WORK/cached.out" "$WORK/cold.out"
    code "$name ($format): cached run exit code" "$expected_rc"
    ol "$WORK/warm" check --format "$format"
    same "$name ($format): warm run = --no-cache run" "$WORK/warm.out" "$WORK/cold.out"
    code "$name ($format): warm run exit code" "$expected_rc"
    cp "$WORK/cold.out" "$WORK/cold-$format.out"
  done
}

# edit_seen NAME: cached_equals_cold, after an edit that changes the terminal output (else the case proves little).
edit_seen() {
  cp "$WORK/cold-terminal.out" "$WORK/before-edit.out"
  cached_equals_cold "$1"
  if cmp -s "$WORK/cold-terminal.out" "$WORK/before-edit.out"; then
    fail "$1: the edit changes the findings" "the output is the same as before the edit"
  else
    pass "$1: the edit changes the findings"
  fi
}

# --- first and later runs on the demo app ----------------------------------------------------------------------
demo=$(demo_copy demo)
cd "$demo" || exit 2
sleep 2.1  # settled files (see the damaged-cache cases below): "a warm run leaves the cache file as it was" holds
ol "$WORK/nocache" check --no-cache
nocache_rc=$rc
if [ "$nocache_rc" -eq 1 ]; then pass "demo: --no-cache run has findings (exit 1)"; else fail "demo: --no-cache run" "exit code $rc"; fi
no_cache_folder "demo: --no-cache creates no cache folder" "$demo"
ol "$WORK/nocache-json" check --no-cache --format json

ol "$WORK/run1" check
code "demo: first run exit code" "$nocache_rc"
cache_folder_ok "demo: first run creates .ormlint_cache with .gitignore, CACHEDIR.TAG and a facts file" \
  "$demo/.ormlint_cache"
same "demo: first run = --no-cache run" "$WORK/run1.out" "$WORK/nocache.out"
quiet "demo: first run says nothing on stderr" "$WORK/run1"
cp "$(facts_file "$demo/.ormlint_cache")" "$WORK/facts-after-run1"

ol "$WORK/run2" check
code "demo: second run exit code" "$nocache_rc"
same "demo: second run = first run" "$WORK/run2.out" "$WORK/run1.out"
quiet "demo: second run says nothing on stderr" "$WORK/run2"
# Every file's facts were found: nothing new to store, the file is not rewritten.
same "demo: a warm run leaves the cache file as it was (all hits)" "$(facts_file "$demo/.ormlint_cache")" \
  "$WORK/facts-after-run1"
ol "$WORK/run2-json" check --format json
same "demo: warm JSON = --no-cache JSON" "$WORK/run2-json.out" "$WORK/nocache-json.out"
ol "$WORK/run2-sarif" check --format sarif
ol "$WORK/nocache-sarif" check --format sarif --no-cache
same "demo: warm SARIF = --no-cache SARIF" "$WORK/run2-sarif.out" "$WORK/nocache-sarif.out"

# From a subfolder: the cache is the project's (the folder of pyproject.toml), not the subfolder's.
cd "$demo/app" || exit 2
ol "$WORK/sub" check
ol "$WORK/sub-cold" check --no-cache
same "demo: run from a subfolder = --no-cache" "$WORK/sub.out" "$WORK/sub-cold.out"
no_cache_folder "demo: a run from a subfolder creates no cache folder there" "$demo/app"
cd "$demo" || exit 2

# Two runs at once on a cold cache: both right, the cache still good afterwards.
rm -rf "$demo/.ormlint_cache"
timeout 120 "$BIN" check >"$WORK/para1.out" 2>"$WORK/para1.err" </dev/null &
p1=$!
timeout 120 "$BIN" check >"$WORK/para2.out" 2>"$WORK/para2.err" </dev/null &
p2=$!
wait "$p1"
rc1=$?
wait "$p2"
rc2=$?
if [ "$rc1" -eq "$nocache_rc" ] && [ "$rc2" -eq "$nocache_rc" ]; then
  pass "demo: two simultaneous cold runs exit like --no-cache"
else
  fail "demo: two simultaneous cold runs" "exit codes $rc1 and $rc2, expected $nocache_rc"
fi
same "demo: simultaneous run 1 = --no-cache" "$WORK/para1.out" "$WORK/nocache.out"
same "demo: simultaneous run 2 = --no-cache" "$WORK/para2.out" "$WORK/nocache.out"
quiet "demo: simultaneous run 1 says nothing on stderr" "$WORK/para1"
quiet "demo: simultaneous run 2 says nothing on stderr" "$WORK/para2"
cache_folder_ok "demo: after simultaneous runs the cache folder is whole (no temporary files left)" \
  "$demo/.ormlint_cache"
if [ "$(find "$demo/.ormlint_cache" -mindepth 1 | wc -l)" -eq 3 ]; then
  pass "demo: the cache folder holds exactly .gitignore, CACHEDIR.TAG and the facts file"
else
  find "$demo/.ormlint_cache" >"$OUT"
  fail "demo: the cache folder holds exactly .gitignore, CACHEDIR.TAG and the facts file" "other files"
fi
ol "$WORK/after-para" check
same "demo: the run after simultaneous runs = --no-cache" "$WORK/after-para.out" "$WORK/nocache.out"

# --- edits are seen at once --------------------------------------------------------------------------------------
# Each edit of the demo app: cached (and warm) output = --no-cache output.
cached_equals_cold "demo: unchanged"
sed -i 's/^    email: /    metadata: /' app/models/user.py
edit_seen "demo: a model edited (a reserved attribute)"
printf '\nclass Broken(:\n' >>app/models/tool.py
edit_seen "demo: a syntax error added"
sed -i '$d' app/models/tool.py
sed -i '$d' app/models/tool.py
edit_seen "demo: the syntax error removed"
mv app/models/billing.py app/models/payments.py
edit_seen "demo: a model module renamed"
rm -f alembic/versions/20260112093000_add_user_flags.py
edit_seen "demo: a revision deleted"

small=$(small_project edits)
cd "$small" || exit 2
ol "$WORK/e" check
code "edits: a clean model passes" 0
make_bad app/user.py
ol "$WORK/e" check
code "edits: a finding introduced by a same-size edit is reported at once (exit 1)" 1
has "edits: ... naming it" "$WORK/e" "$BAD_USER"
make_good app/user.py
ol "$WORK/e" check
code "edits: the finding removed again passes at once" 0
lacks "edits: ... and reports nothing" "$WORK/e" "reserved-attribute"
make_bad app/user.py
ol "$WORK/e" check
code "edits: back to the bad version (its facts are still cached): reported" 1
has "edits: ... naming it" "$WORK/e" "$BAD_USER"
cached_equals_cold "edits: bad model"

# File stamps: a file unchanged (size, times, inode) for a few seconds has its facts taken from the cache unread,
# its bytes read only for what shows them (a snippet). A change must still be seen at once, even a same-size edit
# whose modification time is set back (the change time is in the stamp too).
stamped=$(small_project stamps)
cd "$stamped" || exit 2
make_bad app/user.py
sleep 2.5  # older than the cache's settling time: the next run records the files' stamps
ol "$WORK/st" check
code "stamps: a settled project's first run reports the finding" 1
ol "$WORK/st-warm" check
ol "$WORK/st-cold" check --no-cache
same "stamps: a run from stamps (the file unread until its snippet is shown) = --no-cache" "$WORK/st-warm.out" \
  "$WORK/st-cold.out"
cp -p app/user.py "$WORK/user-before.py"
make_good app/user.py
touch -r "$WORK/user-before.py" app/user.py  # same size, same modification time: only the bytes and ctime differ
ol "$WORK/st" check
code "stamps: a same-size edit with its mtime set back is seen (exit 0)" 0
lacks "stamps: ... and the old finding is gone" "$WORK/st" "reserved-attribute"
cd "$small" || exit 2

# The same bytes under another module name: `from .base import Base` means another module, and a package's
# `.base` is its own submodule. The facts (resolved import origins) differ with the name, not with the content.
mkdir -p lib
: >lib/__init__.py
cp app/user.py lib/user.py
rm app/user.py
ol "$WORK/e" check
ol "$WORK/e-cold" check --no-cache
same "edits: a module moved to a package without .base = --no-cache" "$WORK/e.out" "$WORK/e-cold.out"
lacks "edits: ... and its relative import no longer finds the declarative base" "$WORK/e" "reserved-attribute"
mkdir -p app/user
mv lib/user.py app/user/__init__.py
ol "$WORK/e" check
ol "$WORK/e-cold" check --no-cache
same "edits: the module turned into a package (app/user/__init__.py) = --no-cache" "$WORK/e.out" "$WORK/e-cold.out"
mv app/user/__init__.py app/user.py
rmdir app/user
ol "$WORK/e" check
code "edits: moved back, the finding is reported again" 1
has "edits: ... at its old place" "$WORK/e" "$BAD_USER"

# --- a git work tree stays clean -----------------------------------------------------------------------------------
repo=$(small_project repo)
cd "$repo" || exit 2
g -c init.defaultBranch=main init -q .
g add -A
g commit -qm "initial models"
ol "$WORK/git" check
ol "$WORK/git" check
cache_folder_ok "git: the cache folder is created in the work tree" "$repo/.ormlint_cache"
g status --porcelain --untracked-files=all >"$OUT"
if [ -s "$OUT" ]; then fail "git: after runs, git status is clean (the cache ignores itself)" "git status not empty"; else pass "git: after runs, git status is clean (the cache ignores itself)"; fi
g add -A
if [ -z "$(g diff --cached --name-only)" ]; then
  pass "git: 'git add -A' adds nothing from the cache"
else
  g diff --cached --name-only >"$OUT"
  fail "git: 'git add -A' adds nothing from the cache" "files staged"
fi

# --- check --staged uses the cache and judges the staged content -------------------------------------------------
rm -rf .ormlint_cache
ol "$WORK/st" check --staged
code "staged: nothing staged passes" 0
cache_folder_ok "staged: --staged writes the cache too" "$repo/.ormlint_cache"
make_bad app/user.py
g add app/user.py
make_good app/user.py
for round in cold warm; do
  ol "$WORK/st" check --staged
  code "staged ($round): a bad staged version with a good working tree is reported (exit 1)" 1
  has "staged ($round): ... naming it" "$WORK/st" "$BAD_USER"
  ol "$WORK/st" check
  code "staged ($round): the good working tree itself passes" 0
done
g add app/user.py
make_bad app/user.py
for round in cold warm; do
  ol "$WORK/st" check --staged
  code "staged ($round): a good staged version with a bad working tree passes" 0
  lacks "staged ($round): ... and reports nothing" "$WORK/st" "reserved-attribute"
  ol "$WORK/st" check
  code "staged ($round): the bad working tree itself is reported" 1
done
ol "$WORK/st" check --staged --no-cache
code "staged: --no-cache agrees" 0
g checkout -q -- app/user.py
# An unstaged change to another file (the base no longer declarative in the working tree) stays out of the staged
# judgement, also once the cache holds the working tree's version: the run decodes cached files while git answers
# (engine.h, PreloadedFiles), and must then take the index's version of this one.
make_bad app/user.py
g add app/user.py
cp app/base.py "$WORK/base.py.orig"
printf 'Base = object\n' >app/base.py
sleep 2.1  # older than the cache's 2-second settling mark (facts_cache.h), so the cache keeps its stamp
for round in cold warm; do
  ol "$WORK/st" check --staged
  code "staged ($round): an unstaged change to the base is not read (exit 1)" 1
  has "staged ($round): ... the staged model is still judged on the index's base" "$WORK/st" "$BAD_USER"
  ol "$WORK/st" check app/base.py  # caches the working tree's base.py
done
cp "$WORK/base.py.orig" app/base.py
g reset -q -- app/user.py
g checkout -q -- app/user.py

# Editors: the buffer on stdin is judged, not the file on disk, with the cache too.
cp app/user.py "$WORK/good_buffer.py"
cp app/user.py "$WORK/bad_buffer.py"
make_bad "$WORK/bad_buffer.py"
for round in cold warm; do
  timeout 120 "$BIN" check --stdin-filename app/user.py <"$WORK/bad_buffer.py" >"$WORK/st.out" 2>"$WORK/st.err"
  rc=$?
  code "stdin ($round): a bad buffer for a good file on disk is reported" 1
  has "stdin ($round): ... naming it" "$WORK/st" "$BAD_USER"
done
make_bad app/user.py
for round in cold warm; do
  timeout 120 "$BIN" check --stdin-filename app/user.py <"$WORK/good_buffer.py" >"$WORK/st.out" 2>"$WORK/st.err"
  rc=$?
  code "stdin ($round): a good buffer for a bad file on disk passes" 0
done
g checkout -q -- app/user.py
g status --porcelain --untracked-files=all >"$OUT"
if [ -s "$OUT" ]; then fail "staged: git status is clean afterwards" "git status not empty"; else pass "staged: git status is clean afterwards"; fi

# --- where the cache goes ------------------------------------------------------------------------------------------
place=$(small_project place)
cd "$place" || exit 2
ol "$WORK/p" check --no-cache
no_cache_folder "place: --no-cache creates no cache folder" "$place"
ORMLINT_NO_CACHE=1 ol "$WORK/p" check
no_cache_folder "place: ORMLINT_NO_CACHE=1 creates no cache folder" "$place"
ORMLINT_NO_CACHE=1 ol "$WORK/p" check --cache-dir "$WORK/place-nocache"
if [ -e "$WORK/place-nocache" ]; then fail "place: ORMLINT_NO_CACHE=1 beats --cache-dir" "folder created"; else pass "place: ORMLINT_NO_CACHE=1 beats --cache-dir"; fi

ol "$WORK/p" check --cache-dir "$WORK/d-option"
cache_folder_ok "place: --cache-dir D puts the cache in D" "$WORK/d-option"
no_cache_folder "place: ... and not in the project" "$place"
ORMLINT_CACHE_DIR="$WORK/d-env" ol "$WORK/p" check
cache_folder_ok "place: ORMLINT_CACHE_DIR=D puts the cache in D" "$WORK/d-env"
no_cache_folder "place: ... and not in the project" "$place"
ORMLINT_CACHE_DIR="$WORK/d-env2" ol "$WORK/p" check --cache-dir "$WORK/d-option2"
if [ -d "$WORK/d-option2" ] && [ ! -e "$WORK/d-env2" ]; then pass "place: --cache-dir beats ORMLINT_CACHE_DIR"; else fail "place: --cache-dir beats ORMLINT_CACHE_DIR" "wrong folder"; fi

cat >>pyproject.toml <<'EOF'

[tool.ormlint]
cache-dir = "build-cache/ormlint"
EOF
mkdir -p sub
cd sub || exit 2
ol "$WORK/p" check
cd .. || exit 2
cache_folder_ok "place: cache-dir in [tool.ormlint] is relative to the configuration's folder" "$place/build-cache/ormlint"
no_cache_folder "place: ... and no .ormlint_cache is made" "$place"
if [ -e "$place/sub/build-cache" ]; then fail "place: ... not relative to the working directory" "sub/build-cache made"; else pass "place: ... not relative to the working directory"; fi
ORMLINT_CACHE_DIR="$WORK/d-env3" ol "$WORK/p" check
if [ -d "$WORK/d-env3" ]; then pass "place: ORMLINT_CACHE_DIR beats cache-dir in the configuration"; else fail "place: ORMLINT_CACHE_DIR beats cache-dir in the configuration" "not in $WORK/d-env3"; fi
ORMLINT_NO_CACHE='' ol "$WORK/p" check --cache-dir "$WORK/d-empty-env"
if [ -d "$WORK/d-empty-env" ]; then pass "place: an empty ORMLINT_NO_CACHE leaves the cache on"; else fail "place: an empty ORMLINT_NO_CACHE leaves the cache on" "no cache written"; fi
cat >ormlint.toml <<'EOF'
cache-dir = "other-cache"
EOF
ol "$WORK/p" check
cache_folder_ok "place: cache-dir in ormlint.toml" "$place/other-cache"
make_bad app/user.py
ol "$WORK/p" check
code "place: a custom cache folder inside the project is not read as source (finding reported, exit 1)" 1
ol "$WORK/p-cold" check --no-cache
same "place: ... and the output = --no-cache" "$WORK/p.out" "$WORK/p-cold.out"

# --- damaged cache files -------------------------------------------------------------------------------------------
damaged=$(demo_copy damaged)
cd "$damaged" || exit 2
# The cache records a file's stamp only once the file has been unchanged for 2 s (src/engine/facts_cache.cpp):
# a fresh copy's stamps would otherwise be recorded by whichever run comes 2 s after the copy, and the check that a
# warm run leaves the repaired cache file as it is would depend on the timing.
sleep 2.1
ol "$WORK/dm-cold" check --no-cache
cold_rc=$rc
ol "$WORK/dm" check
facts=$(facts_file "$damaged/.ormlint_cache")
if [ -n "$facts" ]; then pass "damaged: a cache file to damage"; else fail "damaged: a cache file to damage" "none"; facts="$damaged/.ormlint_cache/facts-missing.bin"; fi
size=$(wc -c <"$facts")
# damage_and_check NAME: the cache file was just damaged; the run prints the cold output with the cold exit code,
# and the next run is warm again (for damage a save repairs).
damage_and_check() {
  local name="$1" expect_warning="${2:-}"
  ol "$WORK/dm" check
  code "damaged: $name - exit code unchanged" "$cold_rc"
  same "damaged: $name - output = --no-cache" "$WORK/dm.out" "$WORK/dm-cold.out"
  if [ -z "$expect_warning" ]; then
    quiet "damaged: $name - nothing on stderr" "$WORK/dm"
    ol "$WORK/dm2" check
    same "damaged: $name - the next run = --no-cache" "$WORK/dm2.out" "$WORK/dm-cold.out"
    cp "$facts" "$WORK/dm-facts"
    ol "$WORK/dm3" check
    same "damaged: $name - the cache was repaired (a warm run leaves it as it is)" "$facts" "$WORK/dm-facts"
  fi
  ol "$WORK/dm" check --format json
  ol "$WORK/dm-json-cold" check --format json --no-cache
  same "damaged: $name - JSON = --no-cache" "$WORK/dm.out" "$WORK/dm-json-cold.out"
}
truncate -s $((size / 2)) "$facts"
damage_and_check "truncated to half"
truncate -s $((size - 1)) "$facts"
damage_and_check "last byte cut"
: >"$facts"
damage_and_check "zero-length file"
head -c "$size" /dev/urandom >"$facts"
damage_and_check "random bytes of the same size"
head -c 100000 /dev/urandom >"$facts"
damage_and_check "100 kB of random bytes"
{ head -c 20 "$WORK/facts-after-run1"; head -c 5000 /dev/urandom; } >"$facts"
damage_and_check "the right magic, then random bytes"
cp "$facts" "$WORK/good-facts"
printf '\x55' | dd of="$facts" bs=1 seek=$((size / 2)) conv=notrunc status=none
damage_and_check "one byte in the middle changed"
rm -f "$facts"
mkdir -p "$facts/inside"
ol "$WORK/dm" check
code "damaged: a directory in the file's place - exit code unchanged" "$cold_rc"
same "damaged: a directory in the file's place - output = --no-cache" "$WORK/dm.out" "$WORK/dm-cold.out"
if grep -Eq 'ormlint: (error|fatal)|terminate|Aborted' "$WORK/dm.err"; then
  cp "$WORK/dm.err" "$OUT"
  fail "damaged: a directory in the file's place - at most a warning on stderr" "an error"
else
  pass "damaged: a directory in the file's place - at most a warning on stderr"
fi
rm -rf "$facts"
rm -rf "$damaged/.ormlint_cache"
mkdir -p "$damaged/.ormlint_cache"
printf 'not a folder\n' >"$damaged/.ormlint_cache/.gitignore.tmp-not-ours"
ol "$WORK/dm" check
same "damaged: a cache folder holding a foreign file - output = --no-cache" "$WORK/dm.out" "$WORK/dm-cold.out"

# --- a cache folder that cannot be written -----------------------------------------------------------------------
unwritable=$(small_project unwritable)
cd "$unwritable" || exit 2
make_bad app/user.py
printf 'a regular file\n' >"$WORK/regular"
ol "$WORK/uw-cold" check --no-cache
uw_rc=$rc
ol "$WORK/uw-cold-json" check --no-cache --format json
for how in option env; do
  for format in terminal json; do
    if [ "$how" = option ]; then
      ol "$WORK/uw" check --format "$format" --cache-dir "$WORK/regular/cache"
    else
      ORMLINT_CACHE_DIR="$WORK/regular/cache" ol "$WORK/uw" check --format "$format"
    fi
    code "unwritable ($how, $format): exit code unchanged ($uw_rc)" "$uw_rc"
    expected="$WORK/uw-cold.out"
    [ "$format" = json ] && expected="$WORK/uw-cold-json.out"
    same "unwritable ($how, $format): findings unchanged" "$WORK/uw.out" "$expected"
    if grep -q '^ormlint: warning: cannot write the facts cache' "$WORK/uw.err"; then
      pass "unwritable ($how, $format): a warning on stderr"
    else
      cp "$WORK/uw.err" "$OUT"
      fail "unwritable ($how, $format): a warning on stderr" "no 'ormlint: warning: cannot write the facts cache'"
    fi
  done
done
ol "$WORK/uw" check --exit-zero --cache-dir "$WORK/regular/cache"
code "unwritable: --exit-zero still exits 0" 0
ol "$WORK/uw" check --cache-dir "$WORK/regular"
code "unwritable: the cache folder is a regular file - exit code unchanged" "$uw_rc"
same "unwritable: the cache folder is a regular file - findings unchanged" "$WORK/uw.out" "$WORK/uw-cold.out"
if [ "$(cat "$WORK/regular")" = "a regular file" ]; then pass "unwritable: the regular file is untouched"; else fail "unwritable: the regular file is untouched" "changed"; fi
if [ "$(id -u)" -ne 0 ]; then
  mkdir -p "$WORK/readonly"
  chmod 555 "$WORK/readonly"
  ol "$WORK/uw" check --cache-dir "$WORK/readonly/cache"
  code "unwritable: a read-only folder - exit code unchanged" "$uw_rc"
  same "unwritable: a read-only folder - findings unchanged" "$WORK/uw.out" "$WORK/uw-cold.out"
  if grep -q '^ormlint: warning: cannot write the facts cache' "$WORK/uw.err"; then
    pass "unwritable: a read-only folder - a warning on stderr"
  else
    cp "$WORK/uw.err" "$OUT"
    fail "unwritable: a read-only folder - a warning on stderr" "none"
  fi
fi

report
