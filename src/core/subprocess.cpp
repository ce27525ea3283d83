#include "core/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>

extern char** environ;

namespace ormlint {

namespace {

// A pipe whose ends close themselves.
struct Pipe {
  int fd[2] = {-1, -1};
  Pipe() {
    if (pipe2(fd, O_CLOEXEC) != 0) fd[0] = fd[1] = -1;
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  bool ok() const { return fd[0] >= 0; }
  void close_read() {
    if (fd[0] >= 0) ::close(fd[0]);
    fd[0] = -1;
  }
  void close_write() {
    if (fd[1] >= 0) ::close(fd[1]);
    fd[1] = -1;
  }
};

struct SpawnActions {
  posix_spawn_file_actions_t actions;
  SpawnActions() { posix_spawn_file_actions_init(&actions); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
};

// Writes `input` and reads both outputs at once: writing all input first could deadlock against a child that
// fills its output pipe before reading more (git cat-file --batch does exactly that).
void pump(Pipe& in, Pipe& out, Pipe& err, std::string_view input, ProcessResult& result) {
  size_t written = 0;
  if (input.empty()) in.close_write();
  std::array<char, 65536> buffer;
  while (out.fd[0] >= 0 || err.fd[0] >= 0) {
    std::array<pollfd, 3> fds{};
    nfds_t n = 0;
    auto watch = [&](int fd, short events) {
      if (fd >= 0) fds[n++] = pollfd{fd, events, 0};
    };
    watch(out.fd[0], POLLIN);
    watch(err.fd[0], POLLIN);
    watch(in.fd[1], POLLOUT);
    if (poll(fds.data(), n, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (nfds_t i = 0; i < n; ++i) {
      if (!fds[i].revents) continue;
      if (fds[i].fd == in.fd[1]) {
        ssize_t w = ::write(in.fd[1], input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 && errno != EINTR && errno != EAGAIN) written = input.size();  // the child closed its input
        if (written == input.size()) in.close_write();
        continue;
      }
      Pipe& from = fds[i].fd == out.fd[0] ? out : err;
      std::string& to = fds[i].fd == out.fd[0] ? result.out : result.err;
      ssize_t r = ::read(from.fd[0], buffer.data(), buffer.size());
      if (r > 0) {
        to.append(buffer.data(), static_cast<size_t>(r));
      } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
        from.close_read();
      }
    }
  }
  in.close_write();
}

}  // namespace

std::optional<ProcessResult> run_process(const std::vector<std::string>& argv, const std::filesystem::path& dir,
                                         std::string_view input, std::string& error) {
  // A child that exits before reading all its input must not kill ormlint with SIGPIPE: writes fail with EPIPE.
  static std::once_flag ignore_sigpipe;
  std::call_once(ignore_sigpipe, [] { std::signal(SIGPIPE, SIG_IGN); });
  Pipe in, out, err;
  if (!in.ok() || !out.ok() || !err.ok()) {
    error = std::string("cannot create a pipe: ") + std::strerror(errno);
    return std::nullopt;
  }
  SpawnActions spawn;
  posix_spawn_file_actions_adddup2(&spawn.actions, in.fd[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&spawn.actions, out.fd[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&spawn.actions, err.fd[1], STDERR_FILENO);
  if (!dir.empty()) posix_spawn_file_actions_addchdir_np(&spawn.actions, dir.c_str());
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  if (int rc = posix_spawnp(&pid, args[0], &spawn.actions, nullptr, args.data(), environ); rc != 0) {
    error = argv[0] + ": " + std::strerror(rc);
    return std::nullopt;
  }
  in.close_read();
  out.close_write();
  err.close_write();
  ProcessResult result;
  pump(in, out, err, input, result);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace ormlint
