#!/usr/bin/env bash
# ormlint where a change is made: real git repositories in temporary folders.
#
#   tests/git_workflow_test.sh path/to/ormlint
#
# Covers `check --staged` (the index snapshot: partially staged files judged as staged, renames, deletions, odd
# file names, context from unchanged files, a second head caused by a staged revision, a revision left dangling
# in an unstaged file by a staged deletion), `--changed-since REF`,
# explicit files with the whole project as context (what the pre-commit framework passes) and
# `--stdin-filename` (editors). Each case says what it expects; the last line is "N passed, M failed".
set -u

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
  echo "usage: $0 path/to/ormlint" >&2
  exit 2
fi
BIN="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
# shellcheck source=tests/report.sh
. "$(dirname "${BASH_SOURCE[0]:-$0}")/report.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ormlint-git.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
# Git must not read the user's settings (hooks, templates, signing) or ask anything.
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid
export NO_COLOR=1
# Git must never find a repository above the temporary folder (this checkout's own, say).
export GIT_CEILING_DIRECTORIES="$WORK"
mkdir -p "$HOME"

OUT="$WORK/out"



# expect NAME EXIT_CODE [--has REGEX]... [--lacks REGEX]... -- ARGS...: runs `ormlint ARGS` in the current folder.
expect() {
  local name="$1" expected="$2"
  shift 2
  local has=() lacks=()
  while [ "$1" != "--" ]; do
    case "$1" in
      --has) has+=("$2") ;;
      --lacks) lacks+=("$2") ;;
    esac
    shift 2
  done
  shift
  timeout 60 "$BIN" "$@" >"$OUT" 2>&1 </dev/null
  local code=$?
  if [ "$code" -ne "$expected" ]; then
    fail "$name" "exit code $code, expected $expected"
    return
  fi
  local pattern
  for pattern in "${has[@]+"${has[@]}"}"; do
    if ! grep -Eq -- "$pattern" "$OUT"; then
      fail "$name" "output lacks /$pattern/"
      return
    fi
  done
  for pattern in "${lacks[@]+"${lacks[@]}"}"; do
    if grep -Eq -- "$pattern" "$OUT"; then
      fail "$name" "output has /$pattern/"
      return
    fi
  done
  pass "$name"
}

# A new repository with a declarative base in app/base.py and a clean model in app/user.py, committed.
new_repo() {
  local dir="$WORK/$1"
  mkdir -p "$dir/app"
  git -c init.defaultBranch=main init -q "$dir"
  cat >"$dir/app/base.py" <<'EOF'
from sqlalchemy.orm import declarative_base

Base = declarative_base()
EOF
  cat >"$dir/app/user.py" <<'EOF'
from sqlalchemy import JSON, Column, Integer

from app.base import Base


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    settings = Column(JSON)
EOF
  git -C "$dir" add -A
  git -C "$dir" commit -qm "initial models"
  echo "$dir"
}

# Turns `settings` into the reserved `metadata` (reserved-attribute, an error) or back.
make_bad() { sed -i 's/^    settings = /    metadata = /' "$1"; }
make_good() { sed -i 's/^    metadata = /    settings = /' "$1"; }
BAD_USER='app/user.py:9:5: error\[reserved-attribute\]'

# --- staged mode -----------------------------------------------------------------------------------------------
repo=$(new_repo staged)
cd "$repo" || exit 2
expect "staged: nothing staged" 0 --has "0 files checked" -- check --staged
make_bad app/user.py
expect "staged: an unstaged bad edit is not judged" 0 -- check --staged
git add app/user.py
expect "staged: a staged bad model is reported (its base is in another, unchanged file)" 1 --has "$BAD_USER" \
  -- check --staged
make_good app/user.py
expect "staged: partially staged - the staged (bad) content is judged, not the fixed working tree" 1 \
  --has "$BAD_USER" -- check --staged
git add app/user.py
make_bad app/user.py
expect "staged: partially staged - the staged (good) content passes though the working tree is bad" 0 \
  -- check --staged
git checkout -q -- app/user.py
expect "staged: JSON names the staged file" 0 --has '"files_checked": 0' -- check --staged --format json
make_bad app/user.py
git add app/user.py
rm app/user.py
expect "staged: a staged file deleted from the working tree is judged from the index" 1 --has "$BAD_USER" \
  -- check --staged
git reset -q
git checkout -q -- app/user.py

# Untracked files are not part of the commit: not reported, not context.
cat >app/draft.py <<'EOF'
from sqlalchemy import JSON, Column, Integer

from app.base import Base


class Draft(Base):
    __tablename__ = "drafts"
    id = Column(Integer, primary_key=True)
    metadata = Column(JSON)
EOF
expect "staged: untracked files are not checked" 0 --lacks "draft" -- check --staged
rm app/draft.py

# Names with a space, a newline, non-ASCII and a leading dash.
mkdir -p "app/-odd dir"
odd="app/-odd dir/mödel
two.py"
cp app/user.py "$odd"
sed -i 's/"users"/"odd_users"/; s/class User/class OddUser/' "$odd"
make_bad "$odd"
git add -A
expect "staged: a file whose name has a space, a newline, a leading dash and non-ASCII" 1 \
  --has 'reserved-attribute' --has 'mödel' -- check --staged --format json
git commit -qm "odd name" --no-verify
git mv "$odd" "app/renamed.py"
expect "staged: a renamed file is checked under its new name" 1 --has 'app/renamed.py:9:5' -- check --staged
git commit -qm "rename" --no-verify
git rm -q app/renamed.py
expect "staged: a staged deletion reports nothing and does not fail" 0 -- check --staged
git commit -qm "delete" --no-verify

# Deleting the file that defines the base from the index: the staged snapshot no longer knows Base, so the
# (unchanged) model is not judged a mapped class; the working tree still has base.py.
git rm -q --cached app/base.py
make_bad app/user.py
git add app/user.py
expect "staged: the snapshot is the index - a base removed from the index is gone" 0 --lacks "reserved-attribute" \
  -- check --staged
git reset -q
git checkout -q -- app/user.py

# A staged revision that makes a second head: reported on the staged revision only.
mkdir -p migrations/versions
cat >alembic.ini <<'EOF'
[alembic]
script_location = migrations
EOF
revision() {  # revision FILE ID DOWN
  cat >"migrations/versions/$1" <<EOF
"""$2"""
from alembic import op
import sqlalchemy as sa

revision = "$2"
down_revision = $3


def upgrade():
    op.create_table("t_$2", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("t_$2")
EOF
}
revision 0001_first.py a1 None
revision 0002_second.py b2 '"a1"'
git add -A
git commit -qm "migrations" --no-verify
revision 0003_other.py c3 '"a1"'
git add migrations/versions/0003_other.py
expect "staged: a staged revision that makes a second head is reported there, and on the old head it turned into one" 1 \
  --has '^migrations/versions/0003_other.py:.*multiple-heads' --has '^migrations/versions/0002_second.py:.*multiple-heads' \
  --lacks '0001_first.py:' -- check --staged
git reset -q
rm migrations/versions/0003_other.py

# What a staged change causes in files it leaves alone is shown there; what those files had before is not.
git rm -q migrations/versions/0001_first.py
expect "staged: deleting a revision reports the child it leaves dangling (an unstaged file)" 1 \
  --has '^migrations/versions/0002_second.py:6:1: error\[missing-down-revision\]' -- check --staged
if [ -f .ormlint_cache/base-findings.bin ]; then
  pass "staged: HEAD's project-wide findings are saved in the cache folder"
else
  fail "staged: HEAD's project-wide findings are saved in the cache folder" "no .ormlint_cache/base-findings.bin"
fi
expect "staged: the next run on the same HEAD compares with the saved findings: same report" 1 \
  --has '^migrations/versions/0002_second.py:6:1: error\[missing-down-revision\]' -- check --staged
expect "staged: --ignore applies to what a change causes elsewhere too" 0 --lacks '0002_second.py' \
  -- check --staged --ignore missing-down-revision
git reset -q
git checkout -q -- migrations/versions/0001_first.py
revision 0002_second.py b2 '"gone"'
git commit -qam "a dangling revision, committed" --no-verify
printf '\n# touched\n' >>app/user.py
git add app/user.py
expect "staged: a finding an unstaged file already had is not reported again" 0 \
  --lacks '0002_second.py' -- check --staged
git reset -q
git checkout -q -- app/user.py
revision 0002_second.py b2 '"a1"'
git commit -qam "the revision chain restored" --no-verify

# A repository whose first commit is being made: HEAD names no commit, every staged file is new.
unborn="$WORK/unborn"
mkdir -p "$unborn/app"
git -c init.defaultBranch=main init -q "$unborn"
cp "$repo/app/base.py" "$repo/app/user.py" "$unborn/app/"
cd "$unborn" || exit 2
make_bad app/user.py
git add -A
expect "staged, no commit yet: the staged files are all new and judged" 1 --has "$BAD_USER" -- check --staged
cd "$repo" || exit 2

# --- staged mode: where git is asked from -----------------------------------------------------------------------
# The snapshot asks git from the project's folder, not only the top level (so as not to wait for git to name it).
# A project in a sub-folder of its repository (its own pyproject.toml) still sees the whole index.
mono="$WORK/mono"
mkdir -p "$mono/backend/app" "$mono/tools"
git -c init.defaultBranch=main init -q "$mono"
cp "$repo/app/base.py" "$repo/app/user.py" "$mono/backend/app/"
printf '[tool.ormlint]\n' >"$mono/backend/pyproject.toml"
printf 'print("a tool outside the project")\n' >"$mono/tools/helper.py"
git -C "$mono" add -A
git -C "$mono" commit -qm "initial" --no-verify
cd "$mono/backend" || exit 2
make_bad app/user.py
git add app/user.py
expect "staged, project in a sub-folder: the staged model is judged, its base read from the index" 1 \
  --has "$BAD_USER" --has "1 file checked" -- check --staged
rm app/base.py
expect "staged, project in a sub-folder: ... also when the base is gone from the working tree" 1 \
  --has "$BAD_USER" -- check --staged
# `git --literal-pathspecs` (magit commits so) passes GIT_LITERAL_PATHSPECS on to the hook and to ormlint.
GIT_LITERAL_PATHSPECS=1 expect "staged, with GIT_LITERAL_PATHSPECS set: the whole index is still seen" 1 \
  --has "$BAD_USER" -- check --staged
git checkout -q -- app/base.py
git reset -q
git checkout -q -- app/user.py

# A bare repository has no work tree to check.
git init -q --bare "$WORK/bare.git"
cd "$WORK/bare.git" || exit 2
expect "staged in a bare repository is a clear error" 2 --has "not inside a git work tree" \
  --has "must be run in a work tree" -- check --staged

# The real hook: git runs it at the top level with GIT_INDEX_FILE set (a temporary index for `git commit PATH`),
# and, in a linked worktree, GIT_DIR.
hooked=$(new_repo hooked)
printf '#!/bin/sh\nexec "%s" check --staged\n' "$BIN" >"$hooked/.git/hooks/pre-commit"
chmod +x "$hooked/.git/hooks/pre-commit"
# commit_expect NAME EXIT_CODE REGEX GIT_ARGS...: `git GIT_ARGS` (a commit) exits with EXIT_CODE (0 or not 0),
# its output matching REGEX ("" for anything).
commit_expect() {
  local name="$1" expected="$2" pattern="$3"
  shift 3
  timeout 60 git "$@" >"$OUT" 2>&1 </dev/null
  local code=$?
  if { [ "$expected" -eq 0 ] && [ "$code" -ne 0 ]; } || { [ "$expected" -ne 0 ] && [ "$code" -eq 0 ]; }; then
    fail "$name" "git exit code $code"
  elif [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$OUT"; then
    fail "$name" "output lacks /$pattern/"
  else
    pass "$name"
  fi
}
git -C "$hooked" worktree add -q "$WORK/hooked-linked"
cd "$WORK/hooked-linked" || exit 2
make_bad app/user.py
git add app/user.py
commit_expect "hook, linked worktree (git sets GIT_DIR): a staged bad model blocks the commit" 1 "$BAD_USER" \
  commit -qm bad
commit_expect "hook, linked worktree: ... also under git --literal-pathspecs" 1 "$BAD_USER" \
  --literal-pathspecs commit -qm bad
make_good app/user.py
printf '\n# reviewed\n' >>app/user.py
commit_expect "hook, \`git commit PATH\` (a temporary index): the working tree's good version is judged" 0 \
  "1 file checked" \
  commit -qm good -- app/user.py
make_bad app/user.py
cd app || exit 2
commit_expect "hook, \`git commit PATH\` from a sub-folder: the bad version blocks it" 1 "$BAD_USER" \
  commit -qm bad -- user.py
cd .. || exit 2
git checkout -q -- app/user.py
cd "$repo" || exit 2

# --- explicit files: the project is context, only the files given are reported ------------------------------------
make_bad app/user.py
cp app/user.py app/other.py
sed -i 's/"users"/"others"/; s/class User/class Other/' app/other.py
expect "files: a passed file is judged with the project as context (Base from app/base.py)" 1 \
  --has "$BAD_USER" --lacks 'app/other.py' -- check app/user.py
(cd app && expect "files: from a sub-folder, the project root is still found" 1 --has 'user.py:9:5' \
  -- check user.py)
# What git ignores is not part of the project: a generated copy of the model (same table) must not clash with it.
mkdir -p generated
cp app/user.py generated/user_copy.py
printf 'generated/\n' >.gitignore
expect "files: git-ignored folders are not read for context" 1 --has "$BAD_USER" --lacks 'duplicate-table-name' \
  -- check app/user.py
expect "files: an ignored file named explicitly is still checked" 1 --has 'generated/user_copy.py:9:5' \
  -- check generated/user_copy.py
# A project of its own inside the ignored folder: checked as a whole, from inside or named from outside.
mkdir -p generated/app
cp app/base.py generated/app/base.py
mv generated/user_copy.py generated/app/user.py
printf '[tool.ormlint]\n' >generated/pyproject.toml
cd generated || exit 2
expect "files: a project inside an ignored folder is checked as a whole" 1 --has '^app/user.py:9:5' -- check .
cd .. || exit 2
expect "files: ... also when named from outside it" 1 --has '^generated/app/user.py:9:5' -- check generated
rm -rf generated .gitignore
printf '[tool.ormlint]\nexclude = ["app/user.py"]\n' >pyproject.toml
expect "files: config exclude applies to passed files" 0 --has "0 files checked" -- check app/user.py
rm pyproject.toml app/other.py

# --- editors: --stdin-filename ----------------------------------------------------------------------------------
git checkout -q -- app/user.py
make_bad app/user.py
cp app/user.py "$WORK/bad_buffer.py"
expect "stdin: the buffer is judged, not the (bad) file on disk" 0 --has "1 file checked" \
  -- check --stdin-filename app/user.py
git checkout -q -- app/user.py
exec 3<"$WORK/bad_buffer.py"
timeout 60 "$BIN" check --stdin-filename app/user.py <&3 >"$OUT" 2>&1
code=$?
exec 3<&-
if [ "$code" -eq 1 ] && grep -Eq "$BAD_USER" "$OUT" && ! grep -q "other" "$OUT"; then
  pass "stdin: a bad buffer for a clean file on disk is reported (its base from app/base.py on disk)"
else
  fail "stdin: a bad buffer for a clean file on disk is reported" "exit code $code"
fi
timeout 60 "$BIN" check --stdin-filename app/unsaved.py <"$WORK/bad_buffer.py" >"$OUT" 2>&1
code=$?
if [ "$code" -eq 1 ] && grep -q "app/unsaved.py:9:5" "$OUT"; then
  pass "stdin: a buffer for a file not yet on disk"
else
  fail "stdin: a buffer for a file not yet on disk" "exit code $code"
fi

# --- CI: --changed-since ----------------------------------------------------------------------------------------
git checkout -q -b feature
make_bad app/user.py
git commit -qam "bad change" --no-verify
cp app/user.py app/legacy.py
sed -i 's/"users"/"legacy"/; s/class User/class Legacy/' app/legacy.py
expect "changed-since: committed and untracked changes since the merge base are reported" 1 \
  --has "$BAD_USER" --has 'app/legacy.py' -- check --changed-since main
git add app/legacy.py
git commit -qm "legacy" --no-verify
git checkout -q main
git merge -q --no-ff feature -m merge
git checkout -q -b next
expect "changed-since: nothing changed since the branch point" 0 --has "0 files checked" \
  -- check --changed-since main
for name in first_of_several_untracked_models second_of_several_untracked_models third_of_several_untracked_models; do
  sed "s/\"users\"/\"$name\"/; s/class User/class M_$name/" "$WORK/bad_buffer.py" >"app/$name.py"
done
expect "changed-since: several untracked files with long names are all reported" 1 \
  --has 'first_of_several_untracked_models.py:9' --has 'second_of_several_untracked_models.py:9' \
  --has 'third_of_several_untracked_models.py:9' -- check --changed-since main
git add app/*_of_several_untracked_models.py
for name in first_of_several_untracked_models second_of_several_untracked_models third_of_several_untracked_models; do
  make_good "app/$name.py"
done
expect "staged: several partially staged files with long names are judged as staged" 1 \
  --has 'first_of_several_untracked_models.py:9' --has 'third_of_several_untracked_models.py:9' -- check --staged
git reset -q
rm app/*_of_several_untracked_models.py
expect "changed-since: an unknown ref is a clear error" 2 --has "no-such-branch" -- check --changed-since no-such-branch

# --- not a repository -------------------------------------------------------------------------------------------
mkdir -p "$WORK/plain"
cp app/user.py "$WORK/plain/"
cd "$WORK/plain" || exit 2
expect "staged outside a git repository is a clear error" 2 --has "not inside a git work tree" -- check --staged
cat >"$WORK/standalone_buffer.py" <<'EOF'
from sqlalchemy import JSON, Column, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    metadata = Column(JSON)
EOF
timeout 60 "$BIN" check --stdin-filename unsaved.py <"$WORK/standalone_buffer.py" >"$OUT" 2>&1
code=$?
if [ "$code" -eq 1 ] && grep -q "^unsaved.py:10:5: error\[reserved-attribute\]" "$OUT" && ! grep -q "error:" "$OUT" \
  && ! grep -q "user.py" "$OUT"; then
  pass "stdin: a buffer for a new file outside any project is checked alone"
else
  fail "stdin: a buffer for a new file outside any project is checked alone" "exit code $code"
fi

report
