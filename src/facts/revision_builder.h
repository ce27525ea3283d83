// Alembic revision scripts: identifiers, upgrade()/downgrade(), and every operation with its guard context.
#pragma once
#include <tree_sitter/api.h>

#include <filesystem>
#include <optional>
#include <string>

#include "core/source_file.h"
#include "facts/module_facts.h"

namespace ormlint {

// Returns the revision facts when the module is a revision script (a `revision =` assignment and an upgrade()).
// `module` must already hold the module's imports, assignments and functions.
std::optional<RevisionInfo> build_revision_info(TSNode root, const SourceFile& file, const ModuleFacts& module,
                                                 TextStore& texts);

// The table argument of an operation as written (`"users"`, `f"{prefix}items"`, `Hook.__tablename__`): its
// keyword, else its position; null for a batch operation (its table is the batch's) or when absent.
const Expr* written_table_argument(const OperationCall& op);

// Whether `op` is an op.execute running `CREATE [TEMP|TEMPORARY|UNLOGGED] TABLE [IF NOT EXISTS] <table> ...`
// spelled out in a string (directly or through `sa.text(...)`): a table made by SQL, as a table rebuild does.
bool sql_creates_table(const OperationCall& op, const std::string& table);

// The database a version folder is named for, or "": a folder whose name has a database's name and `versions` /
// `migrations` among its words (`sqlite_versions`, `versions-mysql`, `postgres_migrations`; bunkerweb's env.py
// picks `{database}_versions`), or a folder named just for a database inside a versions folder
// (`versions/sqlite/`, prefect's env.py picks `versions/{dialect}`). Its scripts run only on that database.
std::string folder_database(const std::filesystem::path& dir);

}  // namespace ormlint
