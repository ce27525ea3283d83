#!/usr/bin/env bash
# Benchmarks ormlint on a generated project and prints a Markdown table ready for the README.
#
#   bench/run.sh [N]            N = number of generated Python files (default 2000)
#
# The binary is $ORMLINT_BIN (default build/ormlint, relative to the repository root); when the default is
# missing it is built first (Release, into build/, like scripts/build). The project is generated into
# bench/out/ (git-ignored) by bench/generate.py. Each measurement is the best wall time of 5 runs (after one
# warm-up run, so the page cache is hot) of:
#   - parse-only: `ormlint parse` (read + tree-sitter parse, nothing else), --jobs 1 and --jobs 2;
#   - end-to-end: `ormlint check --exit-zero --format json --output /dev/null --no-cache`, --jobs 1 and --jobs 2:
#     every file parsed, as on a first run or in CI without a restored cache;
#   - end-to-end, warm cache: the same without --no-cache, after the warm-up filled .ormlint_cache/: no file is
#     parsed, the project model and every rule still run (a re-run after editing nothing; the hook's common case).
# The best CPU time (user + sys) of the runs is shown too: it suffers less than wall time when other processes
# share the machine (the load average at the start is printed, with a warning when it is high).
# Targets: end-to-end / parse-only <= 1.3x, and 2 jobs >= 1.7x faster than 1 job (judged on the cold runs; the
# warm ones are shown beside them).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

n="${1:-2000}"
if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: bench/run.sh [N]   (N: number of files to generate, a positive integer)" >&2
  exit 2
fi

bin="${ORMLINT_BIN:-build/ormlint}"
if [[ ! -x "$bin" ]]; then
  if [[ -n "${ORMLINT_BIN:-}" ]]; then
    echo "bench/run.sh: ORMLINT_BIN=$bin is not an executable file" >&2
    exit 2
  fi
  echo "Building ormlint (Release) into build/ ..." >&2
  scripts/build
fi
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
# Timings of a Debug build say nothing about ormlint: warn when the binary's build tree says so.
cache="$(dirname "$bin")/CMakeCache.txt"
if [[ -f "$cache" ]]; then
  build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache")"
  if [[ "$build_type" != "Release" ]]; then
    echo "bench/run.sh: warning: $bin is a '${build_type:-unset}' build, not Release: the numbers are not representative" >&2
  fi
fi

out="bench/out"
python3 bench/generate.py "$n" "$out" >&2

cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)"
[[ -n "$cpu" ]] || cpu="$(uname -m)"

BENCH_BIN="$bin" BENCH_DIR="$out" BENCH_CPU="$cpu" BENCH_NPROC="$(nproc)" python3 - <<'PY'
import os
import resource
import subprocess
import sys
import time

binary = os.environ["BENCH_BIN"]
corpus = os.environ["BENCH_DIR"]
runs = 5

version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
files = 0
total_bytes = 0
for folder, _dirs, names in os.walk(corpus):
    for name in names:
        if name.endswith(".py"):
            files += 1
            total_bytes += os.path.getsize(os.path.join(folder, name))
mb = total_bytes / 1e6

nproc = int(os.environ["BENCH_NPROC"])
load = os.getloadavg()[0]
print(f"Machine: {os.environ['BENCH_CPU']}, nproc = {nproc}, load average {load:.2f} at start")
print(f"Binary: {binary} ({version})")
print(f"Corpus: {files} files, {mb:.1f} MB (bench/generate.py {files} bench/out)")
if load > 0.5 * nproc:
    print(f"Warning: the machine is busy (load average {load:.2f} on {nproc} cores): wall times, and the 2-job "
          "speed-up most of all, are not representative; CPU times suffer less.")
print()


def measure(label, args, expect):
    """Best wall time and best CPU time (user + sys) of `runs` runs, after one warm-up run; checks the exit code
    and what the command says."""
    def once():
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(args, cwd=corpus, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0 or (expect and expect not in done.stdout):
            sys.exit(f"bench: `{' '.join(args)}` failed (exit {done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return elapsed, cpu
    once()
    samples = [once() for _ in range(runs)]
    return min(wall for wall, _ in samples), min(cpu for _, cpu in samples)


check = [binary, "check", "--exit-zero", "--format", "json", "--output", "/dev/null"]
cases = [
    ("parse-only", 1, [binary, "parse", "--jobs", "1", "."], f"parsed {files} files"),
    ("parse-only", 2, [binary, "parse", "--jobs", "2", "."], f"parsed {files} files"),
    ("end-to-end", 1, [*check, "--no-cache", "--jobs", "1", "."], None),
    ("end-to-end", 2, [*check, "--no-cache", "--jobs", "2", "."], None),
    ("end-to-end, warm cache", 1, [*check, "--jobs", "1", "."], None),
    ("end-to-end, warm cache", 2, [*check, "--jobs", "2", "."], None),
]
times = {}
for label, jobs, args, expect in cases:
    times[(label, jobs)] = measure(label, args, expect)


def verdict(ok):
    return "met" if ok else "**missed**"


print(f"| Benchmark ({files} files, {mb:.1f} MB) | Jobs | Wall time (best of {runs}) | Files/s | MB/s | CPU time (user+sys) |")
print("|---|---:|---:|---:|---:|---:|")
for label, jobs, _args, _expect in cases:
    t, cpu = times[(label, jobs)]
    print(f"| {label} | {jobs} | {t * 1000:.0f} ms | {files / t:,.0f} | {mb / t:.1f} | {cpu * 1000:.0f} ms |")
print()
print("| Ratio | Jobs 1 | Jobs 2 | Target |")
print("|---|---:|---:|---|")
r1 = times[("end-to-end", 1)][0] / times[("parse-only", 1)][0]
r2 = times[("end-to-end", 2)][0] / times[("parse-only", 2)][0]
print(f"| end-to-end / parse-only (wall) | {r1:.2f}x | {r2:.2f}x | <= 1.3x: {verdict(max(r1, r2) <= 1.3)} |")
c1 = times[("end-to-end", 1)][1] / times[("parse-only", 1)][1]
c2 = times[("end-to-end", 2)][1] / times[("parse-only", 2)][1]
print(f"| end-to-end / parse-only (CPU) | {c1:.2f}x | {c2:.2f}x | |")
w1 = times[("end-to-end, warm cache", 1)][0] / times[("parse-only", 1)][0]
w2 = times[("end-to-end, warm cache", 2)][0] / times[("parse-only", 2)][0]
print(f"| end-to-end, warm cache / parse-only (wall) | {w1:.2f}x | {w2:.2f}x | (no file parsed) |")
print()
print("| Speed-up, 2 jobs vs 1 (wall) | Speed-up | Target |")
print("|---|---:|---|")
for label in ("parse-only", "end-to-end", "end-to-end, warm cache"):
    s = times[(label, 1)][0] / times[(label, 2)][0]
    target = "" if "warm" in label else f">= 1.7x: {verdict(s >= 1.7)}"
    print(f"| {label} | {s:.2f}x | {target} |")
PY
