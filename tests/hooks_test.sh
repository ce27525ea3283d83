#!/usr/bin/env bash
# The git hook, `ormlint install-hook` and the pre-commit framework integration, on real git repositories in a
# temporary folder:
#
#   tests/hooks_test.sh path/to/ormlint [GROUP...]
#
# Groups (default: all):
#   install    hooks/pre-commit itself (sh -n, shellcheck, how it finds ormlint, the exit status it passes on) and
#              install-hook: fresh install, core.hooksPath, worktrees, a foreign hook refused / kept as a backup
#              with --force / restored by --uninstall, re-installing is a no-op, not a repository.
#   framework  the real pre-commit package, offline: a `repo:` that is a local clone of .pre-commit-hooks.yaml,
#              hook id `ormlint` (files passed by the framework): a bad model blocks the commit, the fix goes in.
#   context    the same, where the passed file's base class lives in another, already committed file, and a
#              committed file with a finding is not reported (needs: explicit files read with project context).
#   staged     the plain git hook end to end (`ormlint check --staged`: the staged snapshot counts, not the work
#              tree), an ormlint error blocking, ORMLINT, and the `ormlint-staged` hook id.
# Git and pre-commit see only the temporary folder: HOME, PRE_COMMIT_HOME and the git identity point inside it.
# KEEP_WORK=1 keeps the folder for a look afterwards.
# The last line is "N passed, M failed"; the exit code is non-zero when any case failed.
set -u

if [ $# -lt 1 ] || [ ! -x "$1" ]; then
  echo "usage: $0 path/to/ormlint [install|framework|context|staged]..." >&2
  exit 2
fi
BIN="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
# shellcheck source=tests/report.sh
. "$(dirname "${BASH_SOURCE[0]:-$0}")/report.sh"
shift
GROUPS_WANTED="${*:-install framework context staged}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOOK_SOURCE="$ROOT/hooks/pre-commit"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ormlint-hooks.XXXXXX")"
WORK="$(cd "$WORK" && pwd -P)"
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
# Never in the checkout the test was started from: a relative path must not reach its repository.
cd "$WORK" || exit 2

# Nothing of the caller's git or pre-commit setup may leak in (or be touched).
export HOME="$WORK/home"
mkdir -p "$HOME"
export GIT_CONFIG_NOSYSTEM=1
export GIT_CEILING_DIRECTORIES="$WORK"
export GIT_AUTHOR_NAME="Hook Test" GIT_AUTHOR_EMAIL="hooks@example.invalid"
export GIT_COMMITTER_NAME="Hook Test" GIT_COMMITTER_EMAIL="hooks@example.invalid"
export PRE_COMMIT_HOME="$WORK/pre-commit-home"
export NO_COLOR=1
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES ORMLINT SKIP
# `ormlint` on PATH is the binary under test.
mkdir -p "$WORK/bin"
ln -s "$BIN" "$WORK/bin/ormlint"
PATH_WITH_ORMLINT="$WORK/bin:$PATH"
PATH_WITHOUT_ORMLINT="/usr/local/bin:/usr/bin:/bin"

OUT="$WORK/last.out"
RC=0



# Every folder this script runs git or pre-commit in is inside $WORK. Anything else (an empty or garbled
# variable) stops the script before git can act on some other repository.
in_work() {
  case "$1" in
    "$WORK" | "$WORK"/*) [ -d "$1" ] && return 0 ;;
  esac
  echo "hooks_test.sh: internal error: '$1' is not a folder inside $WORK; stopping" >&2
  exit 3
}

# g DIR ARGS...: git -C DIR ARGS..., for DIR inside $WORK only.
g() {
  in_work "$1"
  local dir="$1"
  shift
  git -C "$dir" "$@"
}

# run DIR CMD...: runs CMD in DIR (inside $WORK), output (stdout and stderr) in $OUT, exit code in $RC.
run() {
  local dir="$1"
  in_work "$dir"
  shift
  (cd "$dir" && "$@") >"$OUT" 2>&1
  RC=$?
}

# new_repo NAME: a fresh repository in $WORK/NAME (printed).
new_repo() {
  local dir="$WORK/$1"
  mkdir -p "$dir"
  git -c init.defaultBranch=main init -q "$dir"
  echo "$dir"
}

mode_of() { stat -c %a "$1"; }

wanted() {
  case " $GROUPS_WANTED " in *" $1 "*) return 0 ;; *) return 1 ;; esac
}

# ---- Python fixtures ----------------------------------------------------------------------------------------------

# A model whose attribute `metadata` is reserved (error[reserved-attribute]); Base defined in the same file.
bad_model() {
  cat <<'EOF'
from sqlalchemy import JSON, Column, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Agent(Base):
    __tablename__ = "agents"
    id = Column(Integer, primary_key=True)
    metadata = Column(JSON)
EOF
}

good_model() { bad_model | sed 's/    metadata = Column(JSON)/    details = Column(JSON)/'; }

# ==== install =======================================================================================================

test_hook_script() {
  if sh -n "$HOOK_SOURCE"; then pass "hooks/pre-commit: sh -n"; else fail "hooks/pre-commit: sh -n" "syntax error"; fi
  if ! command -v shellcheck >/dev/null; then
    fail "hooks/pre-commit: shellcheck" "shellcheck is not installed (scripts/bootstrap installs it)"
  elif shellcheck -s sh "$HOOK_SOURCE" >"$OUT" 2>&1; then
    pass "hooks/pre-commit: shellcheck -s sh"
  else
    fail "hooks/pre-commit: shellcheck -s sh" "warnings"
  fi
  if [ -x "$HOOK_SOURCE" ]; then pass "hooks/pre-commit is executable"; else fail "hooks/pre-commit" "not executable"; fi
  run "$WORK" "$BIN" install-hook --print
  if [ "$RC" -eq 0 ] && cmp -s "$OUT" "$HOOK_SOURCE"; then
    pass "install-hook --print is hooks/pre-commit (embedded at build time)"
  else
    fail "install-hook --print" "exit $RC, or differs from hooks/pre-commit"
  fi
}

# A stand-in for ormlint with a chosen exit status, to see what the hook does with each one; it records its
# arguments. (The real binary runs in the `staged` group.)
fake_ormlint() {
  local status="$1" file="$WORK/fake-ormlint-$1"
  cat >"$file" <<EOF
#!/bin/sh
echo "fake ormlint: \$*" >"$WORK/fake-args"
echo "app/models.py:10:5: error[reserved-attribute] fake finding"
exit $status
EOF
  chmod +x "$file"
  echo "$file"
}

test_hook_outcomes() {
  local repo
  repo=$(new_repo hook-outcomes)
  cp "$HOOK_SOURCE" "$repo/pre-commit-under-test"

  run "$repo" env PATH="$PATH_WITHOUT_ORMLINT" sh ./pre-commit-under-test
  if [ "$RC" -eq 2 ] && grep -q "ormlint program was not found" "$OUT" && grep -q -- "--no-verify" "$OUT" &&
     grep -q "ORMLINT=" "$OUT"; then
    pass "hook without ormlint: blocks (exit 2), says how to install, point ORMLINT at it, or bypass"
  else
    fail "hook without ormlint" "exit $RC (expected 2) or the install/bypass help is missing"
  fi

  run "$repo" env PATH="$PATH_WITHOUT_ORMLINT" ORMLINT="$WORK/does-not-exist" sh ./pre-commit-under-test
  if [ "$RC" -eq 2 ] && grep -q "does-not-exist is not an executable program" "$OUT"; then
    pass "hook with ORMLINT naming a missing file: blocks (exit 2) and names it"
  else
    fail "hook with a bad ORMLINT" "exit $RC (expected 2), or the message does not name the file"
  fi

  local fake
  fake=$(fake_ormlint 0)
  run "$repo" env PATH="$PATH_WITHOUT_ORMLINT" ORMLINT="$fake" sh ./pre-commit-under-test
  if [ "$RC" -eq 0 ] && grep -q "fake ormlint: check --staged" "$WORK/fake-args" && ! grep -q "no-verify" "$OUT"; then
    pass "hook runs \$ORMLINT check --staged; exit 0 lets the commit through quietly"
  else
    fail "hook, ormlint exit 0" "exit $RC, arguments '$(cat "$WORK/fake-args" 2>/dev/null)'"
  fi

  fake=$(fake_ormlint 1)
  run "$repo" env PATH="$PATH_WITHOUT_ORMLINT" ORMLINT="$fake" sh ./pre-commit-under-test
  if [ "$RC" -eq 1 ] && grep -q "fake finding" "$OUT" && grep -q -- "git commit --no-verify" "$OUT" &&
     grep -qF "# ormlint: ignore[rule-name] -- " "$OUT"; then
    pass "hook, findings (exit 1): blocks, shows them, says how to bypass and how to suppress"
  else
    fail "hook, ormlint exit 1" "exit $RC (expected 1), or the findings / bypass / suppression help is missing"
  fi

  fake=$(fake_ormlint 2)
  run "$repo" env PATH="$PATH_WITHOUT_ORMLINT" ORMLINT="$fake" sh ./pre-commit-under-test
  if [ "$RC" -eq 2 ] && grep -q "could not check the commit" "$OUT" && grep -q -- "--no-verify" "$OUT"; then
    pass "hook, ormlint error (exit 2): blocks and says ormlint failed"
  else
    fail "hook, ormlint exit 2" "exit $RC (expected 2), or no 'could not check' message"
  fi

  # The PATH lookup, when ORMLINT is unset: the fake found as `ormlint` on PATH.
  mkdir -p "$WORK/fake-bin"
  ln -sf "$(fake_ormlint 1)" "$WORK/fake-bin/ormlint"
  run "$repo" env PATH="$WORK/fake-bin:$PATH_WITHOUT_ORMLINT" sh ./pre-commit-under-test
  if [ "$RC" -eq 1 ] && grep -q "fake finding" "$OUT"; then
    pass "hook finds ormlint on PATH when ORMLINT is unset"
  else
    fail "hook, ormlint on PATH" "exit $RC (expected 1)"
  fi
}

test_install_fresh() {
  local repo hook
  repo=$(new_repo fresh)
  hook="$repo/.git/hooks/pre-commit"
  rm -f "$hook"
  # A restrictive umask must not leave the hook unexecutable: the mode is set explicitly.
  # shellcheck disable=SC2016  # $0 is expanded by the inner shell
  run "$repo" sh -c 'umask 077 && exec "$0" install-hook' "$BIN"
  if [ "$RC" -eq 0 ] && cmp -s "$hook" "$HOOK_SOURCE" && [ "$(mode_of "$hook")" = 755 ] &&
     grep -q "Installed the ormlint pre-commit hook: .git/hooks/pre-commit" "$OUT"; then
    pass "install-hook: fresh repository gets hooks/pre-commit, mode 755 (even under umask 077)"
  else
    fail "install-hook fresh" "exit $RC, mode $(mode_of "$hook" 2>/dev/null), or content differs"
  fi

  local before after
  before=$(stat -c '%i %Y %a' "$hook")
  sleep 1
  run "$repo" "$BIN" install-hook
  after=$(stat -c '%i %Y %a' "$hook")
  if [ "$RC" -eq 0 ] && [ "$before" = "$after" ] && grep -q "already installed" "$OUT" &&
     [ ! -e "$hook.ormlint-backup" ]; then
    pass "install-hook again: no-op success (file untouched, no backup)"
  else
    fail "install-hook again" "exit $RC, '$before' -> '$after'"
  fi

  chmod 644 "$hook"
  run "$repo" "$BIN" install-hook
  if [ "$RC" -eq 0 ] && [ "$(mode_of "$hook")" = 755 ] && grep -q "made it executable" "$OUT"; then
    pass "install-hook: our hook without its execute bit is made executable again"
  else
    fail "install-hook, not executable" "exit $RC, mode $(mode_of "$hook")"
  fi

  # From a sub-folder, the repository's hook is the one installed.
  local other
  other=$(new_repo from-subfolder)
  mkdir -p "$other/src/pkg"
  run "$other/src/pkg" "$BIN" install-hook
  if [ "$RC" -eq 0 ] && cmp -s "$other/.git/hooks/pre-commit" "$HOOK_SOURCE" && [ ! -e "$other/src/pkg/.git" ] &&
     grep -qF "hook: $other/.git/hooks/pre-commit" "$OUT"; then
    pass "install-hook from a sub-folder installs into the repository's .git/hooks"
  else
    fail "install-hook from a sub-folder" "exit $RC"
  fi
}

test_install_hooks_path() {
  local repo
  repo=$(new_repo hooks-path)
  g "$repo" config core.hooksPath .githooks
  mkdir -p "$repo/sub"
  run "$repo/sub" "$BIN" install-hook
  if [ "$RC" -eq 0 ] && cmp -s "$repo/.githooks/pre-commit" "$HOOK_SOURCE" &&
     [ "$(mode_of "$repo/.githooks/pre-commit")" = 755 ] && [ ! -e "$repo/.git/hooks/pre-commit" ]; then
    pass "install-hook respects a relative core.hooksPath (run from a sub-folder; folder created)"
  else
    fail "install-hook with core.hooksPath" "exit $RC; .githooks/pre-commit missing or .git/hooks used"
  fi

  repo=$(new_repo hooks-path-absolute)
  g "$repo" config core.hooksPath "$WORK/shared hooks"
  run "$repo" "$BIN" install-hook
  if [ "$RC" -eq 0 ] && cmp -s "$WORK/shared hooks/pre-commit" "$HOOK_SOURCE"; then
    pass "install-hook respects an absolute core.hooksPath (with a space in it)"
  else
    fail "install-hook with an absolute core.hooksPath" "exit $RC"
  fi

  repo=$(new_repo worktree-main)
  g "$repo" commit -q --allow-empty -m start
  g "$repo" worktree add -q "$WORK/worktree-linked" 2>/dev/null
  run "$WORK/worktree-linked" "$BIN" install-hook
  if [ "$RC" -eq 0 ] && cmp -s "$repo/.git/hooks/pre-commit" "$HOOK_SOURCE"; then
    pass "install-hook in a linked worktree installs into the shared hooks folder (where git looks)"
  else
    fail "install-hook in a worktree" "exit $RC"
  fi
}

test_install_foreign() {
  local repo hook
  repo=$(new_repo foreign)
  hook="$repo/.git/hooks/pre-commit"
  printf '#!/bin/sh\necho "the team'"'"'s own checks"\n' >"$hook"
  chmod 750 "$hook"
  cp -p "$hook" "$WORK/foreign-original"

  run "$repo" "$BIN" install-hook
  if [ "$RC" -eq 2 ] && cmp -s "$hook" "$WORK/foreign-original" && [ "$(mode_of "$hook")" = 750 ] &&
     grep -q "\.git/hooks/pre-commit already exists and is not ormlint's hook" "$OUT" &&
     grep -q -- "--force" "$OUT" && grep -q "ormlint check --staged || exit" "$OUT" &&
     [ ! -e "$hook.ormlint-backup" ]; then
    pass "install-hook refuses a foreign hook: exit 2, names it, suggests --force or chaining, file unchanged"
  else
    fail "install-hook over a foreign hook" "exit $RC (expected 2), or the hook changed, or the message is unclear"
  fi

  run "$repo" "$BIN" install-hook --uninstall
  if [ "$RC" -eq 2 ] && cmp -s "$hook" "$WORK/foreign-original" && grep -q "is not ormlint's hook" "$OUT"; then
    pass "install-hook --uninstall leaves a foreign hook alone (exit 2)"
  else
    fail "uninstall of a foreign hook" "exit $RC (expected 2), or the hook changed"
  fi

  run "$repo" "$BIN" install-hook --force
  if [ "$RC" -eq 0 ] && cmp -s "$hook" "$HOOK_SOURCE" && cmp -s "$hook.ormlint-backup" "$WORK/foreign-original" &&
     [ "$(mode_of "$hook.ormlint-backup")" = 750 ] && grep -q "pre-commit.ormlint-backup" "$OUT"; then
    pass "install-hook --force: installs, keeps the old hook (bytes and mode) as pre-commit.ormlint-backup"
  else
    fail "install-hook --force" "exit $RC, or the backup differs from the old hook"
  fi

  run "$repo" "$BIN" install-hook --uninstall
  if [ "$RC" -eq 0 ] && cmp -s "$hook" "$WORK/foreign-original" && [ "$(mode_of "$hook")" = 750 ] &&
     [ ! -e "$hook.ormlint-backup" ]; then
    pass "install-hook --uninstall removes ours and restores the backup"
  else
    fail "install-hook --uninstall with a backup" "exit $RC, or the old hook is not back as it was"
  fi

  # --force never loses a backup that is already there.
  printf '#!/bin/sh\necho saved earlier\n' >"$hook.ormlint-backup"
  cp -p "$hook.ormlint-backup" "$WORK/older-backup"
  run "$repo" "$BIN" install-hook --force
  if [ "$RC" -eq 2 ] && cmp -s "$hook" "$WORK/foreign-original" && cmp -s "$hook.ormlint-backup" "$WORK/older-backup" &&
     grep -q "already exists" "$OUT"; then
    pass "install-hook --force refuses when a different backup already exists (both files unchanged)"
  else
    fail "install-hook --force over an existing backup" "exit $RC (expected 2), or a file changed"
  fi

  run "$repo" "$BIN" install-hook --force --uninstall
  if [ "$RC" -eq 2 ]; then pass "--force with --uninstall is a usage error"; else fail "--force --uninstall" "exit $RC"; fi
}

test_install_update_and_uninstall() {
  local repo hook
  repo=$(new_repo older-version)
  hook="$repo/.git/hooks/pre-commit"
  printf '#!/bin/sh\n# ormlint-managed-hook: an older version\nexec ormlint check\n' >"$hook"
  chmod 755 "$hook"
  run "$repo" "$BIN" install-hook
  if [ "$RC" -eq 0 ] && cmp -s "$hook" "$HOOK_SOURCE" && grep -q "Updated" "$OUT" && [ ! -e "$hook.ormlint-backup" ]; then
    pass "install-hook replaces an older ormlint hook (recognised by its marker line) without --force"
  else
    fail "install-hook over an older ormlint hook" "exit $RC"
  fi

  run "$repo" "$BIN" install-hook --uninstall
  if [ "$RC" -eq 0 ] && [ ! -e "$hook" ] && grep -q "Removed the ormlint pre-commit hook" "$OUT"; then
    pass "install-hook --uninstall removes our hook (no backup to restore)"
  else
    fail "install-hook --uninstall" "exit $RC, or the hook is still there"
  fi

  run "$repo" "$BIN" install-hook --uninstall
  if [ "$RC" -eq 0 ] && grep -q "nothing to remove" "$OUT"; then
    pass "install-hook --uninstall without a hook: nothing to do, exit 0"
  else
    fail "install-hook --uninstall without a hook" "exit $RC"
  fi
}

test_install_not_a_repository() {
  mkdir -p "$WORK/plain folder"
  run "$WORK/plain folder" "$BIN" install-hook
  if [ "$RC" -eq 2 ] && grep -q "is not inside a git repository" "$OUT" && [ ! -e "$WORK/plain folder/.git" ]; then
    pass "install-hook outside a repository: exit 2, clear message"
  else
    fail "install-hook outside a repository" "exit $RC (expected 2)"
  fi

  git init -q --bare "$WORK/bare.git"
  run "$WORK/bare.git" "$BIN" install-hook
  if [ "$RC" -eq 2 ] && grep -q "not inside a git work tree" "$OUT" && [ ! -e "$WORK/bare.git/hooks/pre-commit" ]; then
    pass "install-hook in a bare repository: exit 2, says why"
  else
    fail "install-hook in a bare repository" "exit $RC (expected 2)"
  fi
}

# ==== pre-commit framework ==========================================================================================

# A local clone source holding this repository's .pre-commit-hooks.yaml: `repo:` needs no network.
HOOK_REPO=""
HOOK_REV=""
make_hook_repo() {
  HOOK_REPO="$WORK/ormlint-hooks-repo"
  if [ -d "$HOOK_REPO/.git" ]; then
    HOOK_REV=$(g "$HOOK_REPO" rev-parse HEAD)
    return
  fi
  mkdir -p "$HOOK_REPO"
  cp "$ROOT/.pre-commit-hooks.yaml" "$HOOK_REPO/"
  git -c init.defaultBranch=main init -q "$HOOK_REPO"
  g "$HOOK_REPO" add .pre-commit-hooks.yaml
  g "$HOOK_REPO" commit -q -m "hooks" >/dev/null
  HOOK_REV=$(g "$HOOK_REPO" rev-parse HEAD)
}

# framework_repo NAME HOOK_ID: a repository using the framework with that hook; `pre-commit install` done.
# (Call make_hook_repo first, in the main shell.)
framework_repo() {
  local repo
  repo=$(new_repo "$1")
  cat >"$repo/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $HOOK_REPO
    rev: $HOOK_REV
    hooks:
      - id: $2
EOF
  in_work "$repo"
  (cd "$repo" && pre-commit install >/dev/null 2>&1) || echo "pre-commit install failed in $repo" >&2
  echo "$repo"
}

# commit REPO MESSAGE: `git commit` with ormlint on PATH; exit code in $RC, output in $OUT.
commit() {
  run "$1" env PATH="$PATH_WITH_ORMLINT" git commit -q -m "$2"
}

commits_in() { g "$1" rev-list --count HEAD 2>/dev/null || echo 0; }

test_framework() {
  if ! command -v pre-commit >/dev/null; then
    fail "pre-commit framework" "pre-commit is not installed (scripts/bootstrap installs Debian's package)"
    return
  fi
  run "$WORK" pre-commit validate-manifest "$ROOT/.pre-commit-hooks.yaml"
  if [ "$RC" -eq 0 ]; then pass ".pre-commit-hooks.yaml is a valid manifest"; else fail ".pre-commit-hooks.yaml" "invalid"; fi

  local repo
  make_hook_repo
  repo=$(framework_repo framework ormlint)
  mkdir -p "$repo/app"
  : >"$repo/app/__init__.py"
  good_model | sed 's/Agent/Team/; s/"agents"/"teams"/' >"$repo/app/teams.py"
  g "$repo" add -A
  commit "$repo" "start"
  if [ "$RC" -eq 0 ] && [ "$(commits_in "$repo")" = 1 ] && grep -q "^ormlint\.*Passed" "$OUT"; then
    pass "framework (hook id ormlint): a clean model is committed, the hook ran and passed"
  else
    fail "framework, clean first commit" "exit $RC"
  fi

  bad_model >"$repo/app/agents.py"
  g "$repo" add app/agents.py
  commit "$repo" "bad"
  if [ "$RC" -ne 0 ] && [ "$(commits_in "$repo")" = 1 ] &&
     grep -q "app/agents.py:10:5: error\[reserved-attribute\]" "$OUT"; then
    pass "framework: a staged bad model blocks the commit and the diagnostic is shown"
  else
    fail "framework, bad model" "exit $RC, $(commits_in "$repo") commits (expected the commit to fail with the finding)"
  fi

  good_model >"$repo/app/agents.py"
  g "$repo" add app/agents.py
  bad_model >"$repo/app/agents.py"  # unstaged: the framework sets it aside while the hooks run
  commit "$repo" "fixed"
  if [ "$RC" -eq 0 ] && [ "$(commits_in "$repo")" = 2 ] && g "$repo" show HEAD:app/agents.py | grep -q details &&
     grep -q "metadata = Column(JSON)" "$repo/app/agents.py"; then
    pass "framework: the staged fix is committed (an unstaged bad edit is set aside and kept)"
  else
    fail "framework, fixed model" "exit $RC, $(commits_in "$repo") commits (expected 2)"
  fi
}

# The README's `repo: local` variant, which needs no hook repository at all.
test_framework_local() {
  command -v pre-commit >/dev/null || { fail "pre-commit framework (repo: local)" "pre-commit is not installed"; return; }
  local repo
  repo=$(new_repo framework-local)
  cat >"$repo/.pre-commit-config.yaml" <<'EOF'
repos:
  - repo: local
    hooks:
      - id: ormlint
        name: ormlint
        entry: ormlint check --
        language: system
        types_or: [python, pyi]
        require_serial: true
EOF
  in_work "$repo"
  (cd "$repo" && pre-commit install >/dev/null 2>&1)
  g "$repo" add .pre-commit-config.yaml
  commit "$repo" "config"
  bad_model >"$repo/models.py"
  g "$repo" add models.py
  commit "$repo" "bad"
  if [ "$RC" -ne 0 ] && [ "$(commits_in "$repo")" = 1 ] && grep -q "models.py:10:5: error\[reserved-attribute\]" "$OUT"
  then
    pass "framework (repo: local, as in the README): a staged bad model blocks the commit"
  else
    fail "framework, repo: local" "exit $RC, $(commits_in "$repo") commits (expected 1 and the finding)"
  fi
}

test_framework_context() {
  command -v pre-commit >/dev/null || { fail "pre-commit framework (context)" "pre-commit is not installed"; return; }
  local repo
  make_hook_repo
  repo=$(framework_repo framework-context ormlint)
  mkdir -p "$repo/app"
  : >"$repo/app/__init__.py"
  cat >"$repo/app/base.py" <<'EOF'
from sqlalchemy.orm import declarative_base

Base = declarative_base()
EOF
  # Committed without the hook: a finding that is not part of later commits.
  cat >"$repo/app/legacy.py" <<'EOF'
from sqlalchemy import JSON, Column, Integer

from app.base import Base


class Legacy(Base):
    __tablename__ = "legacy"
    id = Column(Integer, primary_key=True)
    metadata = Column(JSON)
EOF
  g "$repo" add -A
  run "$repo" git commit -q --no-verify -m "base and legacy"

  cat >"$repo/app/users.py" <<'EOF'
from sqlalchemy import JSON, Column, Integer

from app.base import Base


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    metadata = Column(JSON)
EOF
  g "$repo" add app/users.py
  commit "$repo" "users"
  if [ "$RC" -ne 0 ] && grep -q "app/users.py:9:5: error\[reserved-attribute\]" "$OUT"; then
    pass "framework context: only app/users.py is passed, yet its base class from committed app/base.py is known"
  else
    fail "framework context (base class in another file)" \
      "exit $RC; expected the commit to fail on app/users.py:9 (needs \`ormlint check FILE\` to read the project for context)"
  fi
  if ! grep -q "app/legacy.py" "$OUT"; then
    pass "framework context: a committed file that was not passed is not reported"
  else
    fail "framework context (report filter)" "app/legacy.py was reported, though the framework did not pass it"
  fi

  local before
  before=$(commits_in "$repo")
  sed -i 's/    metadata = Column(JSON)/    details = Column(JSON)/' "$repo/app/users.py"
  g "$repo" add app/users.py
  commit "$repo" "users, fixed"
  if [ "$RC" -eq 0 ] && [ "$(commits_in "$repo")" = $((before + 1)) ]; then
    pass "framework context: the fixed file is committed although app/legacy.py still has a finding"
  else
    fail "framework context (fixed file)" "exit $RC; app/legacy.py's finding must not block a commit that does not touch it"
  fi
}

# ==== plain git hook and the ormlint-staged id, end to end ==========================================================

test_staged() {
  local repo
  repo=$(new_repo git-hook)
  run "$repo" "$BIN" install-hook
  [ "$RC" -eq 0 ] || { fail "git hook: install-hook" "exit $RC"; return; }
  mkdir -p "$repo/app"
  : >"$repo/app/__init__.py"
  cat >"$repo/app/base.py" <<'EOF'
from sqlalchemy.orm import declarative_base

Base = declarative_base()
EOF
  g "$repo" add -A
  commit "$repo" "base"
  if [ "$RC" -eq 0 ] && [ "$(commits_in "$repo")" = 1 ]; then
    pass "git hook: a clean commit goes through"
  else
    fail "git hook, clean commit" "exit $RC"
  fi

  cat >"$repo/app/users.py" <<'EOF'
from sqlalchemy import JSON, Column, Integer

from app.base import Base


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    metadata = Column(JSON)
EOF
  g "$repo" add app/users.py
  sed -i 's/    metadata = Column(JSON)/    details = Column(JSON)/' "$repo/app/users.py"  # fixed, but not staged
  commit "$repo" "users"
  if [ "$RC" -ne 0 ] && [ "$(commits_in "$repo")" = 1 ] &&
     grep -q "app/users.py:9:5: error\[reserved-attribute\]" "$OUT" && grep -q -- "git commit --no-verify" "$OUT" &&
     grep -qF "# ormlint: ignore[" "$OUT"; then
    pass "git hook: the staged bad model blocks the commit (the fix in the work tree is not staged); help shown"
  else
    fail "git hook, staged bad model" "exit $RC; expected a block on app/users.py:9 (base class from app/base.py)"
  fi

  g "$repo" add app/users.py
  bad_model >"$repo/app/users.py"  # bad again, unstaged: the staged snapshot is what counts
  commit "$repo" "users, fixed"
  if [ "$RC" -eq 0 ] && [ "$(commits_in "$repo")" = 2 ] && g "$repo" show HEAD:app/users.py | grep -q details; then
    pass "git hook: the staged fix is committed although the work tree is bad again"
  else
    fail "git hook, staged fix" "exit $RC, $(commits_in "$repo") commits (expected 2)"
  fi
  g "$repo" checkout -q -- app/users.py

  printf 'profil = "portable"\n' >"$repo/ormlint.toml"
  g "$repo" add ormlint.toml
  commit "$repo" "bad config"
  # (git commit itself exits 1 whatever the hook's status; the hook's message tells the two apart.)
  if [ "$RC" -ne 0 ] && [ "$(commits_in "$repo")" = 2 ] && grep -q "could not check the commit" "$OUT" &&
     grep -q "ormlint.toml" "$OUT"; then
    pass "git hook: an ormlint error (exit 2, a bad ormlint.toml) blocks the commit and says so"
  else
    fail "git hook, ormlint error" "exit $RC (expected 2)"
  fi
  g "$repo" rm -q --cached ormlint.toml
  rm -f "$repo/ormlint.toml"

  # ORMLINT instead of PATH.
  bad_model >"$repo/app/agents.py"
  g "$repo" add app/agents.py
  run "$repo" env PATH="$PATH_WITHOUT_ORMLINT" ORMLINT="$BIN" git commit -q -m agents
  if [ "$RC" -ne 0 ] && [ "$(commits_in "$repo")" = 2 ] && grep -q "app/agents.py:10:5: error\[reserved-attribute\]" "$OUT"; then
    pass "git hook: ORMLINT names the binary when it is not on PATH"
  else
    fail "git hook with ORMLINT" "exit $RC (expected 1 with the finding)"
  fi

  command -v pre-commit >/dev/null || { fail "pre-commit framework (ormlint-staged)" "pre-commit is not installed"; return; }
  make_hook_repo
  repo=$(framework_repo framework-staged ormlint-staged)
  good_model >"$repo/models.py"
  g "$repo" add -A
  commit "$repo" "start"
  local first=$RC
  bad_model >"$repo/models.py"
  g "$repo" add models.py
  commit "$repo" "bad"
  if [ "$first" -eq 0 ] && [ "$RC" -ne 0 ] && [ "$(commits_in "$repo")" = 1 ] &&
     grep -q "models.py:10:5: error\[reserved-attribute\]" "$OUT"; then
    pass "framework (hook id ormlint-staged): clean commit passes, staged bad model blocks"
  else
    fail "framework, ormlint-staged" "first commit exit $first, bad commit exit $RC"
  fi
}

# ---- run ------------------------------------------------------------------------------------------------------------

if wanted install; then
  test_hook_script
  test_hook_outcomes
  test_install_fresh
  test_install_hooks_path
  test_install_foreign
  test_install_update_and_uninstall
  test_install_not_a_repository
fi
if wanted framework; then
  test_framework
  test_framework_local
fi
wanted context && test_framework_context
wanted staged && test_staged

report
