// A file's facts as bytes and back, for the facts cache (engine/facts_cache.h): what building them from a syntax
// tree gives, so that an unchanged file need not be parsed again. Compact, versioned by the caller, and decoded
// defensively — a cache file is outside ormlint's control, so bad bytes are an error, never a crash.
#pragma once
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "facts/module_facts.h"
#include "facts/syntax_problem.h"

namespace ormlint {

// Everything loading a file derives from its bytes (besides the bytes themselves).
struct FileFacts {
  ModuleFacts facts;  // names not yet resolved (Expr::resolved empty)
  std::optional<SyntaxProblem> syntax_problem;
};

struct FactsDecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string encode_facts(const FileFacts& facts);
// Throws FactsDecodeError when `bytes` are not what encode_facts wrote. The facts' texts point into `bytes`
// (nothing is copied), so their store keeps `owner`, whatever holds the bytes, alive.
FileFacts decode_facts(std::string_view bytes, std::shared_ptr<const void> owner);
// The same, for bytes of the caller's (tests, tools): the facts keep their own copy.
inline FileFacts decode_facts(std::string bytes) {
  auto owned = std::make_shared<const std::string>(std::move(bytes));
  return decode_facts(*owned, owned);
}

// Identifies the build that writes facts: cached facts are only used by the very build (program and libraries)
// that wrote them, since any change to the code building them may change them.
std::string_view facts_layout_id();

}  // namespace ormlint
