#include "facts/facts_codec.h"

#include "core/binary_codec.h"
#include "core/location_codec.h"
#include "core/build_id.h"

namespace ormlint {

template <>
constexpr Expr::Kind kLastEnumValue<Expr::Kind> = Expr::Kind::Other;
template <>
constexpr Parameter::Kind kLastEnumValue<Parameter::Kind> = Parameter::Kind::VarKeyword;
template <>
constexpr ModuleFacts::BindingKind kLastEnumValue<ModuleFacts::BindingKind> = ModuleFacts::BindingKind::Assignment;

// Each fact type lists its members once, in `describe`; the writer and the reader both walk that list, so the two
// directions cannot disagree. A member missing from a list would be lost on a cache hit: the codec test compares
// decoded facts with freshly built ones on every fixture file. (In namespace ormlint, not an anonymous one, so
// that the codec's templates find them by argument-dependent lookup.)
template <class A, Is<Keyword> S>
void describe(A& a, S& x) {
  a(x.name, x.value, x.loc);
}
template <class A, Is<Expr> S>
void describe(A& a, S& x) {
  a(x.kind, x.loc, x.text, x.name, x.resolved, x.is_fstring, x.target, x.items, x.keywords);
}
template <class A, Is<Import> S>
void describe(A& a, S& x) {
  a(x.bound_name, x.origin, x.module, x.is_star, x.is_relative, x.is_fallback, x.loc, x.statement_loc);
}
template <class A, Is<Assignment> S>
void describe(A& a, S& x) {
  a(x.target, x.value, x.loc, x.set_in_function);
}
template <class A, Is<AttributeAssignment> S>
void describe(A& a, S& x) {
  a(x.target, x.value);
}
template <class A, Is<ClassAttribute> S>
void describe(A& a, S& x) {
  a(x.name, x.loc, x.annotation, x.value, x.from_declared_attr, x.added_after_class);
}
template <class A, Is<HybridProperty> S>
void describe(A& a, S& x) {
  a(x.name, x.loc, x.returned, x.has_expression);
}
template <class A, Is<ClassDef> S>
void describe(A& a, S& x) {
  a(x.name, x.loc, x.bases, x.class_keywords, x.decorators, x.attributes, x.module_level, x.body_names,
    x.discarded_calls, x.hybrids);
}
template <class A, Is<Parameter> S>
void describe(A& a, S& x) {
  a(x.name, x.kind, x.default_value);
}
template <class A, Is<FunctionDef> S>
void describe(A& a, S& x) {
  a(x.name, x.loc, x.def_loc, x.trivial_body, x.raises_only, x.checks_existence, x.returned_call, x.parameters,
    x.forwarded_callee);
}
template <class A, Is<OperationCall> S>
void describe(A& a, S& x) {
  a(x.function, x.name, x.receiver, x.in_batch, x.table, x.guarded, x.guard_candidates,
    x.guard_checks_tables_only, x.conditional, x.in_autocommit_block, x.through_connection, x.dialect,
    x.table_position, x.call, x.result_name);
}
template <class A, Is<RevisionCall> S>
void describe(A& a, S& x) {
  a(x.function, x.call, x.in_autocommit_block);
}
template <class A, Is<UncalledOperation> S>
void describe(A& a, S& x) {
  a(x.function, x.attribute);
}
template <class A, Is<RevisionInfo> S>
void describe(A& a, S& x) {
  a(x.revision, x.revision_loc, x.down_revision, x.down_revision_loc, x.branch_labels, x.branch_labels_loc,
    x.depends_on, x.depends_on_loc, x.docstring, x.upgrade, x.downgrade, x.operations, x.calls,
    x.uncalled_operations, x.database_names);
}
template <class A, Is<Comment> S>
void describe(A& a, S& x) {
  a(x.line, x.text, x.loc);
}
template <class A, Is<ModuleFacts::Binding> S>
void describe(A& a, S& x) {
  a(x.kind, x.index);
}
template <class A, Is<ModuleFacts> S>
void describe(A& a, S& x) {
  a(x.imports, x.function_imports, x.assignments, x.classes, x.functions, x.comments, x.module_expressions,
    x.revision, x.docstring, x.bindings, x.has_star_import, x.module_names, x.dynamic_globals,
    x.attribute_assignments, x.query_calls, x.dialect_chosen_imports);
}
template <class A, Is<SyntaxProblem> S>
void describe(A& a, S& x) {
  a(x.loc, x.message);
}
template <class A, Is<FileFacts> S>
void describe(A& a, S& x) {
  a(x.facts, x.syntax_problem);
}

std::string encode_facts(const FileFacts& facts) {
  BinaryWriter writer;
  writer(facts);
  return writer.take();
}

FileFacts decode_facts(std::string_view bytes, std::shared_ptr<const void> owner) {
  FileFacts facts;
  facts.facts.texts->retain(std::move(owner));
  try {
    BinaryReader reader(bytes);
    reader(facts);
    if (!reader.at_end()) throw FactsDecodeError("trailing bytes");
  } catch (const BinaryDecodeError& e) {
    throw FactsDecodeError(e.what());
  }
  // Bindings index into the fact lists: an index beyond them would be read out of bounds later.
  const ModuleFacts& m = facts.facts;
  for (const auto& [name, binding] : m.bindings) {
    size_t size = 0;
    switch (binding.kind) {
      case ModuleFacts::BindingKind::Import: size = m.imports.size(); break;
      case ModuleFacts::BindingKind::Class: size = m.classes.size(); break;
      case ModuleFacts::BindingKind::Function: size = m.functions.size(); break;
      case ModuleFacts::BindingKind::Assignment: size = m.assignments.size(); break;
    }
    if (binding.index >= size) throw FactsDecodeError("binding out of range");
  }
  return facts;
}

std::string_view facts_layout_id() {
  // Facts depend on all the code that builds them (this file, the fact builders, the grammar, the tree-sitter
  // runtime), so the id is the build ids of every loaded object: any rebuild or library upgrade changes it. The
  // compile stamp stands in should the linker have written no build ids.
  static const std::string id = [] {
    std::string ids = loaded_build_ids();
    return std::string(ORMLINT_VERSION " ") + (ids.empty() ? __DATE__ " " __TIME__ : ids);
  }();
  return id;
}

}  // namespace ormlint
