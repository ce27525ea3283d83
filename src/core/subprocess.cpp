#include "core/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>
#include <utility>

extern char** environ;

namespace ormlint {

namespace fs = std::filesystem;

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

// The environment a child gets: ours, with each of `overrides` ("NAME=value") replacing its NAME.
std::vector<std::string> environment_with(const std::vector<std::string>& overrides) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry; ++entry) {
    std::string_view current(*entry);
    const bool replaced = std::any_of(overrides.begin(), overrides.end(), [&](const std::string& override) {
      const size_t equals = override.find('=');
      return equals != std::string::npos && current.compare(0, equals + 1, override, 0, equals + 1) == 0;
    });
    if (!replaced) env.emplace_back(current);
  }
  env.insert(env.end(), overrides.begin(), overrides.end());
  return env;
}

// execve's form of a list of strings: pointers into it, then a null pointer.
std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (const auto& text : strings) pointers.push_back(const_cast<char*>(text.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

}  // namespace

struct StartedProcess::Pipes {
  Pipe in, out, err;
};

StartedProcess::StartedProcess(pid_t pid, std::unique_ptr<Pipes> pipes)
    : pid_(pid), pipes_(std::move(pipes)) {}

StartedProcess::StartedProcess(StartedProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), pipes_(std::move(other.pipes_)) {}

StartedProcess& StartedProcess::operator=(StartedProcess&& other) noexcept {
  if (this != &other) {
    StartedProcess discarded(std::move(*this));
    pid_ = std::exchange(other.pid_, -1);
    pipes_ = std::move(other.pipes_);
  }
  return *this;
}

StartedProcess::~StartedProcess() {
  if (pid_ < 0) return;
  pipes_.reset();  // end-of-file on its input; its writes fail instead of blocking
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

std::optional<StartedProcess> StartedProcess::start(const std::vector<std::string>& argv, const fs::path& dir,
                                                    std::string& error, const std::vector<std::string>& env) {
  // A child that exits before reading all its input must not kill ormlint with SIGPIPE: writes fail with EPIPE.
  static std::once_flag ignore_sigpipe;
  std::call_once(ignore_sigpipe, [] { std::signal(SIGPIPE, SIG_IGN); });
  auto pipes = std::make_unique<Pipes>();
  if (!pipes->in.ok() || !pipes->out.ok() || !pipes->err.ok()) {
    error = std::string("cannot create a pipe: ") + std::strerror(errno);
    return std::nullopt;
  }
  SpawnActions spawn;
  posix_spawn_file_actions_adddup2(&spawn.actions, pipes->in.fd[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&spawn.actions, pipes->out.fd[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&spawn.actions, pipes->err.fd[1], STDERR_FILENO);
  if (!dir.empty()) posix_spawn_file_actions_addchdir_np(&spawn.actions, dir.c_str());
  std::vector<char*> args = c_strings(argv);
  const std::vector<std::string> child_env = env.empty() ? std::vector<std::string>{} : environment_with(env);
  std::vector<char*> envp = c_strings(child_env);
  pid_t pid = 0;
  if (int rc = posix_spawnp(&pid, args[0], &spawn.actions, nullptr, args.data(),
                            env.empty() ? environ : envp.data());
      rc != 0) {
    error = argv[0] + ": " + std::strerror(rc);
    return std::nullopt;
  }
  // The child's ends are its own now: holding them would keep its input open and our reads from ending.
  pipes->in.close_read();
  pipes->out.close_write();
  pipes->err.close_write();
  // Writes to the child take what the pipe holds and return: a blocking write of a large input would wait for
  // a child that is itself waiting for its output to be read.
  fcntl(pipes->in.fd[1], F_SETFL, fcntl(pipes->in.fd[1], F_GETFL) | O_NONBLOCK);
  return StartedProcess(pid, std::move(pipes));
}

ProcessResult StartedProcess::finish(std::string_view input) {
  ProcessResult result;
  pump(pipes_->in, pipes_->out, pipes_->err, input, result);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::optional<ProcessResult> run_process(const std::vector<std::string>& argv, const fs::path& dir,
                                         std::string_view input, std::string& error,
                                         const std::vector<std::string>& env) {
  std::optional<StartedProcess> process = StartedProcess::start(argv, dir, error, env);
  if (!process) return std::nullopt;
  return process->finish(input);
}

}  // namespace ormlint
