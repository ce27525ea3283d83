# Shared by the shell tests (sourced): counts and prints results, one line per case, and ends with
# "N passed, M failed". A failure shows the first lines of $OUT, the output of the case's last command.
passed=0
failed=0

pass() {
  passed=$((passed + 1))
  echo "PASS  $1"
}

fail() {
  failed=$((failed + 1))
  echo "FAIL  $1: $2"
  if [ -n "${OUT:-}" ] && [ -f "$OUT" ]; then
    echo "      output (first 30 lines, 300 characters each):"
    head -n 30 "$OUT" | cut -c1-300 | sed 's/^/      | /'
  fi
}

# The summary line; the exit status is 1 when any case failed.
report() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
