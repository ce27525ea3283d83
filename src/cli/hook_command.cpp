#include "cli/hook_command.h"

#include <CLI/CLI.hpp>
#include <cstring>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

#include "cli/commands.h"
#include "core/atomic_write.h"
#include "core/paths.h"
#include "core/source_file.h"
#include "core/subprocess.h"

namespace ormlint::cli {

namespace fs = std::filesystem;

namespace {

constexpr fs::perms kHookMode = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec;  // 0755
constexpr fs::perms kAnyExecute = fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec;
constexpr std::string_view kBackupSuffix = ".ormlint-backup";
constexpr std::string_view kChainLine = "ormlint check --staged || exit $?";

// Anything that stops the command; what() is the whole message.
class HookError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  if (line.rfind("fatal: ", 0) == 0) line.erase(0, 7);
  return line;
}

// Paths as the user would type them from where they ran the command.
std::string shown(const fs::path& path, const fs::path& dir) {
  return relative_inside(path, dir).value_or(path.string());
}

// The folder git runs hooks from for the repository holding `dir`: .git/hooks, core.hooksPath, or the common
// folder of a linked worktree. Asking git gets every one of those cases right.
fs::path hooks_folder(const fs::path& dir) {
  std::string error;
  std::optional<ProcessResult> result =
      run_process({"git", "rev-parse", "--is-inside-work-tree", "--git-path", "hooks"}, dir, {}, error);
  if (!result) throw HookError("cannot run git (" + error + "); install-hook needs git on PATH");
  if (result->exit_code != 0) {
    const std::string why = first_line(result->err);
    throw HookError(dir.string() + " is not inside a git repository" + (why.empty() ? "" : " (git: " + why + ")"));
  }
  std::istringstream lines(result->out);
  std::string inside, hooks;
  std::getline(lines, inside);
  std::getline(lines, hooks);
  if (inside != "true") {
    throw HookError(dir.string() +
                    " is not inside a git work tree (a bare repository, or the .git folder): commits, and so "
                    "pre-commit hooks, happen in a work tree");
  }
  if (hooks.empty()) throw HookError("git did not say where the hooks folder is (`git rev-parse --git-path hooks`)");
  fs::path folder(hooks);  // relative to `dir` when git prints it relative
  if (folder.is_relative()) folder = dir / folder;
  return folder.lexically_normal();
}

// The file's bytes; nullopt when it cannot be read.
std::optional<std::string> read_text(const fs::path& file) {
  std::string error;
  return read_file_bytes(file, error);
}

bool exists_or_dangles(const fs::path& path) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(path, ec));
}

// Writes our hook next to its final place, then renames it there: git never sees a half-written hook, and the
// mode is set explicitly (the umask could leave it unexecutable).
void write_hook(const fs::path& hook) {
  std::error_code ec;
  fs::create_directories(hook.parent_path(), ec);
  if (ec) throw HookError("cannot create the hooks folder " + hook.parent_path().string() + ": " + ec.message());
  const std::string reason = write_file_atomically(hook, embedded_pre_commit_hook(), kHookMode);
  if (!reason.empty()) throw HookError("cannot install " + hook.string() + ": " + reason);
}

int install(const HookArgs& args, const fs::path& hook, const fs::path& dir, std::ostream& out) {
  const fs::path backup = fs::path(hook.string() + std::string(kBackupSuffix));
  const std::string_view ours = embedded_pre_commit_hook();
  std::error_code ec;
  if (exists_or_dangles(hook)) {
    if (fs::is_directory(hook, ec)) throw HookError(shown(hook, dir) + " is a folder, not a hook file; left unchanged");
    const std::optional<std::string> current = read_text(hook);  // nullopt: unreadable, or a dangling symlink
    const bool symlink = fs::is_symlink(fs::symlink_status(hook, ec));
    if (current && *current == ours) {
      const fs::perms mode = fs::status(hook, ec).permissions();
      if (!ec && (mode & kAnyExecute) == fs::perms::none) {
        fs::permissions(hook, kHookMode, fs::perm_options::replace, ec);
        if (ec) throw HookError("cannot make " + shown(hook, dir) + " executable: " + ec.message());
        out << "The ormlint pre-commit hook was installed but not executable; made it executable: "
            << shown(hook, dir) << "\n";
      } else {
        out << "The ormlint pre-commit hook is already installed: " << shown(hook, dir) << " (nothing to do)\n";
      }
      return kExitClean;
    }
    if (current && is_ormlint_hook(*current) && !symlink) {
      write_hook(hook);
      out << "Updated the ormlint pre-commit hook: " << shown(hook, dir) << "\n";
      return kExitClean;
    }
    if (!args.force) {
      throw HookError(shown(hook, dir) + " already exists and is not ormlint's hook; left unchanged.\n" +
                      "  To replace it (it is kept as " + shown(backup, dir) +
                      "): ormlint install-hook --force\n" +
                      "  Or keep it and chain ormlint from it: add the line  " + std::string(kChainLine));
    }
    if (exists_or_dangles(backup)) {
      const std::optional<std::string> saved = read_text(backup);
      if (!saved || !current || *saved != *current) {
        throw HookError(shown(backup, dir) + " already exists (a hook saved earlier); move it away first, so " +
                        "that neither hook is lost");
      }
    }
    // A rename keeps the user's hook exactly: bytes, mode, and a symlink stays a symlink.
    fs::rename(hook, backup, ec);
    if (ec) throw HookError("cannot move " + shown(hook, dir) + " to " + shown(backup, dir) + ": " + ec.message());
    out << "Saved the previous hook as " << shown(backup, dir)
        << " (`ormlint install-hook --uninstall` puts it back).\n";
  }
  write_hook(hook);
  out << "Installed the ormlint pre-commit hook: " << shown(hook, dir) << "\n"
      << "Before each commit it runs `ormlint check --staged`; to commit without the check once: "
         "git commit --no-verify\n";
  return kExitClean;
}

int uninstall(const fs::path& hook, const fs::path& dir, std::ostream& out) {
  const fs::path backup = fs::path(hook.string() + std::string(kBackupSuffix));
  std::error_code ec;
  if (!exists_or_dangles(hook)) {
    out << "No pre-commit hook at " << shown(hook, dir) << "; nothing to remove.\n";
    if (exists_or_dangles(backup)) out << "(" << shown(backup, dir) << " is left as it is.)\n";
    return kExitClean;
  }
  const std::optional<std::string> current = fs::is_directory(hook, ec) ? std::nullopt : read_text(hook);
  if (!current || !is_ormlint_hook(*current)) {
    throw HookError(shown(hook, dir) + " is not ormlint's hook (it has no \"" + std::string(kManagedHookMarker) +
                    "\" line); left unchanged");
  }
  fs::remove(hook, ec);
  if (ec) throw HookError("cannot remove " + shown(hook, dir) + ": " + ec.message());
  if (exists_or_dangles(backup)) {
    fs::rename(backup, hook, ec);
    if (ec) {
      throw HookError("removed the ormlint hook, but cannot restore " + shown(backup, dir) + " as " +
                      shown(hook, dir) + ": " + ec.message());
    }
    out << "Removed the ormlint pre-commit hook and restored the previous one from " << shown(backup, dir) << ": "
        << shown(hook, dir) << "\n";
  } else {
    out << "Removed the ormlint pre-commit hook: " << shown(hook, dir) << "\n";
  }
  return kExitClean;
}

}  // namespace

bool is_ormlint_hook(std::string_view text) {
  for (size_t at = text.find(kManagedHookMarker); at != std::string_view::npos;
       at = text.find(kManagedHookMarker, at + 1)) {
    if (at == 0 || text[at - 1] == '\n') return true;
  }
  return false;
}

CLI::App* add_hook_command(CLI::App& app, HookArgs& args) {
  CLI::App* cmd = app.add_subcommand(
      "install-hook", "Install the git pre-commit hook that runs `ormlint check --staged` before each commit");
  auto* force = cmd->add_flag("--force", args.force,
                              "Replace an existing hook that is not ormlint's (kept as pre-commit.ormlint-backup)");
  auto* remove = cmd->add_flag("--uninstall", args.uninstall,
                               "Remove ormlint's hook and restore the backup, if there is one");
  auto* print = cmd->add_flag("--print", args.print, "Print the hook script instead of installing it");
  remove->excludes(force);
  print->excludes(force)->excludes(remove);
  return cmd;
}

int run_install_hook(const HookArgs& args, const fs::path& dir_in, std::ostream& out, std::ostream& err) {
  if (args.print) {
    out << embedded_pre_commit_hook();
    return kExitClean;
  }
  std::error_code ec;
  const fs::path dir = fs::absolute(dir_in, ec).lexically_normal();
  try {
    const fs::path hook = hooks_folder(dir) / "pre-commit";
    return args.uninstall ? uninstall(hook, dir, out) : install(args, hook, dir, out);
  } catch (const HookError& e) {
    err << "ormlint: error: install-hook: " << e.what() << "\n";
    return kExitError;
  } catch (const fs::filesystem_error& e) {
    err << "ormlint: error: install-hook: " << e.what() << "\n";
    return kExitError;
  }
}

}  // namespace ormlint::cli
