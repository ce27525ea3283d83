// OperationCall facts of Alembic revision scripts: which function an operation runs in, its table, whether it
// stands under an existence check (guarded), inside a batch or an autocommit block; and the revision identifiers.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "facts_test_support.h"

using ormlint::testing::facts::Loaded;
using namespace ormlint;

namespace {

const char* kHeader = R"(from alembic import op, context
import sqlalchemy as sa
from sqlalchemy.engine.reflection import Inspector

revision = "abc123"
down_revision = "def456"
)";

// The operations named `name`, in source order.
std::vector<const OperationCall*> named(const Loaded& p, const std::string& name) {
  std::vector<const OperationCall*> out;
  for (const auto& op : p.operations("rev.py")) {
    if (op.name == name) out.push_back(&op);
  }
  return out;
}

}  // namespace

TEST_CASE("guards: the seeds' safe-migration pattern", "[guards]") {
  // /work/shared/seeds/000: the "Neo Protocol" boilerplate, verbatim.
  Loaded p(R"(from alembic import op
import sqlalchemy as sa
from sqlalchemy.engine.reflection import Inspector

revision = "abc123"
down_revision = None

def upgrade():
    bind = op.get_bind()
    inspector = Inspector.from_engine(bind)
    
    # Example: Adding 'new_column' to 'users' table
    table_name = 'users'
    column_name = 'new_column'
    
    existing_columns = [c['name'] for c in inspector.get_columns(table_name)]
    
    if column_name not in existing_columns:
        op.add_column(table_name, sa.Column(column_name, sa.String(50)))
    else:
        print(f"Column {column_name} already exists in {table_name}. Skipping.")

def downgrade():
    # Downgrade logic should also be safe if possible, but usually drop_column is fine
    # unless the column doesn't exist.
    bind = op.get_bind()
    inspector = Inspector.from_engine(bind)
    
    table_name = 'users'
    column_name = 'new_column'
    
    existing_columns = [c['name'] for c in inspector.get_columns(table_name)]
    
    if column_name in existing_columns:
        op.drop_column(table_name, column_name)
)",
           "rev.py");
  const auto& ops = p.operations("rev.py");
  // op.get_bind() is no schema operation.
  REQUIRE(ops.size() == 2);
  CHECK(ops[0].name == "add_column");
  CHECK(ops[0].function == "upgrade");
  CHECK(ops[0].receiver == "op");
  CHECK(ops[0].guarded);
  CHECK_FALSE(ops[0].in_batch);
  CHECK(ops[0].table == "users");  // `table_name = 'users'`: a name holding one string is read as that string
  CHECK(ops[0].column_name() == "new_column");
  CHECK(ops[1].name == "drop_column");
  CHECK(ops[1].function == "downgrade");
  CHECK(ops[1].guarded);
  CHECK(ops[1].table == "users");
  CHECK(ops[1].column_name() == "new_column");
}

TEST_CASE("guards: existence checks of every shape", "[guards]") {
  SECTION("the else branch of an existence check") {
    Loaded p(std::string(kHeader) + R"(
def upgrade():
    insp = sa.inspect(op.get_bind())
    cols = [c["name"] for c in insp.get_columns("users")]
    if "email" in cols:
        op.alter_column("users", "email", nullable=False)
    else:
        op.add_column("users", sa.Column("email", sa.String(255)))
    op.create_index("ix_users_email", "users", ["email"])
)",
             "rev.py");
    CHECK(p.only_operation("rev.py", "alter_column").guarded);
    CHECK(p.only_operation("rev.py", "add_column").guarded);
    CHECK_FALSE(p.only_operation("rev.py", "create_index").guarded);  // after the if, unconditional
  }

  SECTION("has_table") {
    Loaded p(std::string(kHeader) + R"(
def upgrade():
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("audit_log"):
        op.create_table("audit_log", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_table("other", sa.Column("id", sa.Integer(), primary_key=True))
)",
             "rev.py");
    auto tables = named(p, "create_table");
    REQUIRE(tables.size() == 2);
    CHECK(tables[0]->table == "audit_log");
    CHECK(tables[0]->guarded);
    CHECK(tables[1]->table == "other");
    CHECK_FALSE(tables[1]->guarded);
  }

  SECTION("sa.inspect(op.get_bind()).get_columns inline in the condition") {
    Loaded p(std::string(kHeader) + R"(
def upgrade():
    if "phone" not in [c["name"] for c in sa.inspect(op.get_bind()).get_columns("users")]:
        op.add_column("users", sa.Column("phone", sa.String(20)))
)",
             "rev.py");
    const OperationCall& add = p.only_operation("rev.py", "add_column");
    CHECK(add.guarded);
    CHECK(add.table == "users");
  }

  SECTION("a same-file helper, and a helper calling a helper") {
    Loaded p(std::string(kHeader) + R"(
def _columns(table):
    bind = op.get_bind()
    return [c["name"] for c in sa.inspect(bind).get_columns(table)]


def column_exists(table, column):
    return column in _columns(table)


def table_exists(table):
    return sa.inspect(op.get_bind()).has_table(table)


def is_postgres():
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if not column_exists("users", "phone"):
        op.add_column("users", sa.Column("phone", sa.String(20)))
    if not table_exists("audit"):
        op.create_table("audit", sa.Column("id", sa.Integer()))
    if is_postgres():
        op.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
)",
             "rev.py");
    CHECK(p.only_operation("rev.py", "add_column").guarded);
    CHECK(p.only_operation("rev.py", "create_table").guarded);
    CHECK_FALSE(p.only_operation("rev.py", "execute").guarded);  // a dialect check is no existence check
  }

  SECTION("early return") {
    Loaded p(std::string(kHeader) + R"(
def upgrade():
    cols = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("users")}
    op.create_index("ix_before", "users", ["name"])
    if "x" in cols:
        return
    op.add_column("users", sa.Column("x", sa.Integer()))
    op.create_index("ix_users_x", "users", ["x"])
)",
             "rev.py");
    auto indexes = named(p, "create_index");
    REQUIRE(indexes.size() == 2);
    CHECK_FALSE(indexes[0]->guarded);  // before the check
    CHECK(p.only_operation("rev.py", "add_column").guarded);
    CHECK(indexes[1]->guarded);
  }

  SECTION("a name derived from the inspector's answer") {
    Loaded p(std::string(kHeader) + R"(
def upgrade():
    inspector = Inspector.from_engine(op.get_bind())
    existing = inspector.get_columns("users")
    names = {c["name"] for c in existing}
    if "x" not in names:
        op.add_column("users", sa.Column("x", sa.Integer()))
)",
             "rev.py");
    CHECK(p.only_operation("rev.py", "add_column").guarded);
  }

  SECTION("an existence check assigned inside try/except is still seen after it") {
    Loaded p(std::string(kHeader) + R"(
def upgrade():
    try:
        cols = [c["name"] for c in sa.inspect(op.get_bind()).get_columns("orders")]
    except Exception:
        cols = []
    if "total" not in cols:
        op.add_column("orders", sa.Column("total", sa.Integer()))
)",
             "rev.py");
    CHECK(p.only_operation("rev.py", "add_column").guarded);
  }

  SECTION("an existence check assigned in one branch of an if is still seen after it") {
    Loaded p(std::string(kHeader) + R"(
def upgrade():
    if context.is_offline_mode():
        cols = []
    else:
        cols = [c["name"] for c in sa.inspect(op.get_bind()).get_columns("orders")]
    if "total" not in cols:
        op.add_column("orders", sa.Column("total", sa.Integer()))
    op.create_index("ix_orders_total", "orders", ["total"])
)",
             "rev.py");
    CHECK(p.only_operation("rev.py", "add_column").guarded);
    CHECK_FALSE(p.only_operation("rev.py", "create_index").guarded);
  }

  SECTION("an unrelated condition is no guard") {
    Loaded p(std::string(kHeader) + R"(
def upgrade():
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    if context.is_offline_mode():
        op.execute("SELECT 1")
    if bind.dialect.name == "postgresql":
        op.add_column("users", sa.Column("x", sa.Integer()))
    if inspector.dialect.name == "sqlite":
        op.drop_column("users", "y")
    for table in ["a", "b"]:
        op.create_index("ix_" + table, table, ["id"])
)",
             "rev.py");
    CHECK_FALSE(p.only_operation("rev.py", "execute").guarded);
    CHECK_FALSE(p.only_operation("rev.py", "add_column").guarded);
    CHECK_FALSE(p.only_operation("rev.py", "drop_column").guarded);
    // A loop over literal names is no guard either; it runs its body once with each name.
    auto indexes = named(p, "create_index");
    REQUIRE(indexes.size() == 2);
    for (const OperationCall* index : indexes) CHECK_FALSE(index->guarded);
    CHECK(indexes[0]->table == "a");
    CHECK(indexes[1]->table == "b");
  }

  SECTION("a raw information_schema query") {
    Loaded p(std::string(kHeader) + R"(
def upgrade():
    conn = op.get_bind()
    found = conn.execute(sa.text(
        "SELECT 1 FROM information_schema.columns WHERE table_name='users' AND column_name='x'"
    )).fetchone()
    if not found:
        op.add_column("users", sa.Column("x", sa.Integer()))
)",
             "rev.py");
    CHECK(p.only_operation("rev.py", "add_column").guarded);
  }
}

TEST_CASE("guards: batch and autocommit blocks", "[guards]") {
  Loaded p(std::string(kHeader) + R"(
def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("age", sa.Integer()))
        batch_op.create_index("ix_users_age", ["age"])
        batch_op.drop_constraint("uq_users_name", type_="unique")
        batch_op.create_foreign_key("fk_users_org", "orgs", ["org_id"], ["id"])
    op.add_column("posts", sa.Column("x", sa.Integer()))
    with op.get_context().autocommit_block():
        op.execute("ALTER TYPE status ADD VALUE 'archived'")
    op.execute("UPDATE users SET age = 0")
    with op.batch_alter_table(table_name="tags") as tags_op:
        tags_op.drop_column("legacy")
)",
           "rev.py");
  const auto& ops = p.operations("rev.py");
  REQUIRE(ops.size() == 10);
  CHECK(ops[0].name == "batch_alter_table");
  CHECK(ops[0].table == "users");
  CHECK_FALSE(ops[0].in_batch);
  for (size_t i = 1; i <= 4; ++i) {
    INFO(ops[i].name);
    CHECK(ops[i].in_batch);
    CHECK(ops[i].receiver == "batch_op");
    CHECK(ops[i].table == "users");
    CHECK(ops[i].function == "upgrade");
  }
  CHECK(ops[1].name == "add_column");
  CHECK(ops[2].name == "create_index");
  CHECK(ops[3].name == "drop_constraint");
  CHECK(ops[4].name == "create_foreign_key");

  CHECK(ops[5].name == "add_column");
  CHECK(ops[5].table == "posts");
  CHECK_FALSE(ops[5].in_batch);

  CHECK(ops[6].name == "execute");
  CHECK(ops[6].in_autocommit_block);
  CHECK(ops[7].name == "execute");
  CHECK_FALSE(ops[7].in_autocommit_block);

  CHECK(ops[8].name == "batch_alter_table");
  CHECK(ops[8].table == "tags");
  CHECK(ops[9].name == "drop_column");
  CHECK(ops[9].receiver == "tags_op");
  CHECK(ops[9].in_batch);
  CHECK(ops[9].table == "tags");
}

TEST_CASE("guards: operations in helpers, downgrade, and table arguments", "[guards]") {
  Loaded p(std::string(kHeader) + R"(
def _add_audit_columns(table):
    op.add_column(table, sa.Column("created_at", sa.DateTime()))


def _create_indexes():
    op.create_index(op.f("ix_users_email"), "users", ["email"], unique=True)
    op.create_index("ix_kw", table_name="accounts", columns=["name"])


def _unused():
    op.drop_table("never_called")


def upgrade():
    _add_audit_columns("users")
    _create_indexes()
    op.create_foreign_key("fk_orders_user", "orders", "users", ["user_id"], ["id"])
    op.create_unique_constraint("uq_users_email", "users", ["email"])


def downgrade():
    op.drop_constraint("fk_orders_user", "orders", type_="foreignkey")
    op.drop_index("ix_users_email", table_name="users")
    op.drop_column("users", "created_at")
)",
           "rev.py");
  const auto& ops = p.operations("rev.py");
  REQUIRE(ops.size() == 8);
  CHECK(ops[0].name == "add_column");
  CHECK(ops[0].function == "upgrade");  // attributed to the function calling the helper
  CHECK(ops[0].table == "users");       // the parameter, as this call sets it
  CHECK(ops[1].name == "create_index");
  CHECK(ops[1].function == "upgrade");
  CHECK(ops[1].table == "users");
  CHECK(ops[2].name == "create_index");
  CHECK(ops[2].table == "accounts");
  CHECK(ops[3].name == "create_foreign_key");
  CHECK(ops[3].table == "orders");  // the source table
  CHECK(ops[4].name == "create_unique_constraint");
  CHECK(ops[4].table == "users");
  for (size_t i = 5; i < 8; ++i) CHECK(ops[i].function == "downgrade");
  CHECK(ops[5].name == "drop_constraint");
  CHECK(ops[5].table == "orders");
  CHECK(ops[6].name == "drop_index");
  CHECK(ops[6].table == "users");
  CHECK(ops[7].name == "drop_column");
  CHECK(ops[7].table == "users");
  for (const auto& op : ops) CHECK(op.name != "drop_table");  // the uncalled helper's operation

  const auto& revision = *p.file("rev.py").facts.revision;
  REQUIRE(revision.upgrade.has_value());
  CHECK(revision.upgrade->name == "upgrade");
  CHECK_FALSE(revision.upgrade->trivial_body);
  REQUIRE(revision.downgrade.has_value());
  CHECK_FALSE(revision.downgrade->trivial_body);
}

TEST_CASE("guards: a helper's guard and a guarded helper call", "[guards]") {
  Loaded p(std::string(kHeader) + R"(
def add_column_if_missing(table, column):
    insp = sa.inspect(op.get_bind())
    if column.name not in [c["name"] for c in insp.get_columns(table)]:
        op.add_column(table, column)


def _drop_legacy():
    op.drop_column("users", "legacy")


def upgrade():
    add_column_if_missing("users", sa.Column("x", sa.Integer()))
    insp = sa.inspect(op.get_bind())
    if insp.has_table("legacy"):
        _drop_legacy()
    _drop_legacy()
)",
           "rev.py");
  const OperationCall& add = p.only_operation("rev.py", "add_column");
  CHECK(add.guarded);
  CHECK(add.function == "upgrade");
  auto drops = named(p, "drop_column");
  REQUIRE(drops.size() == 2);
  CHECK(drops[0]->guarded);  // the helper called under the check
  CHECK_FALSE(drops[1]->guarded);
}

TEST_CASE("guards: operations that run only when a test says so (conditional)", "[guards]") {
  Loaded p(std::string(kHeader) + R"(
def step(upgrade):
    if upgrade:
        op.execute("ALTER TYPE kind ADD VALUE 'c'")


def upgrade():
    op.execute("ALTER TYPE kind ADD VALUE 'a'")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TYPE kind ADD VALUE 'b'")
    else:
        op.execute("SELECT 1")
    step(True)
    found = op.get_bind().execute(sa.text("SELECT 1 FROM pg_enum WHERE enumlabel = 'd'"))
    if found.rowcount == 0:
        op.execute("ALTER TYPE kind ADD VALUE 'd'")
    elif op.get_bind().dialect.name == "sqlite":
        op.execute("SELECT 2")
    if found.rowcount:
        return
    op.execute("ALTER TYPE kind ADD VALUE 'e'")
)",
           "rev.py");
  std::vector<bool> conditional;
  for (const auto* op : named(p, "execute")) conditional.push_back(op->conditional);
  // A branch for one database, or a helper's literal direction flag, is not a condition; a test of anything
  // else is, in every branch after it, and so is an early return for what follows it.
  CHECK(conditional == std::vector<bool>{false, false, false, false, false, true, true, true});
}

TEST_CASE("guards: revision identifiers", "[guards]") {
  SECTION("plain template") {
    Loaded p(R"(
"""create users

Revision ID: 1a2b3c
Revises: 0f0e0d
"""
from alembic import op

revision = "1a2b3c"
down_revision = "0f0e0d"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
)",
             "rev.py");
    const auto& rev = p.file("rev.py").facts.revision;
    REQUIRE(rev.has_value());
    REQUIRE(rev->revision.has_value());
    CHECK(rev->revision->is_string());
    CHECK(rev->revision->text == "1a2b3c");
    CHECK(rev->revision_loc.line == 9);
    REQUIRE(rev->down_revision.has_value());
    CHECK(rev->down_revision->text == "0f0e0d");
    CHECK(rev->down_revision_loc.line == 10);
    REQUIRE(rev->branch_labels.has_value());
    CHECK(rev->branch_labels->kind == Expr::Kind::None);
    REQUIRE(rev->depends_on.has_value());
    REQUIRE(rev->docstring.has_value());
    CHECK(rev->docstring->find("Revision ID: 1a2b3c") != std::string::npos);
    CHECK(rev->upgrade->trivial_body);
    CHECK(rev->operations.empty());
  }

  SECTION("typed template") {
    Loaded p(R"(
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "ae1027a6acf"
down_revision: Union[str, None] = "1975ea83b712"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("users", sa.Column("x", sa.Integer()))


def downgrade() -> None:
    op.drop_column("users", "x")
)",
             "rev.py");
    const auto& rev = p.file("rev.py").facts.revision;
    REQUIRE(rev.has_value());
    CHECK(rev->revision->text == "ae1027a6acf");
    CHECK(rev->down_revision->text == "1975ea83b712");
    CHECK(rev->down_revision->is_string());
    CHECK(rev->branch_labels->kind == Expr::Kind::None);
    REQUIRE(rev->operations.size() == 2);
    CHECK(rev->operations[0].function == "upgrade");
    CHECK(rev->operations[1].function == "downgrade");
  }

  SECTION("first revision and merge revisions") {
    Loaded p(R"(
# file: first.py
revision = "base0"
down_revision = None

def upgrade():
    pass
# file: merge.py
revision = "m3rge"
down_revision = ("aaa111", "bbb222")

def upgrade():
    pass

def downgrade():
    pass
# file: merge_typed.py
from typing import Sequence, Union
revision: str = "m3rge2"
down_revision: Union[str, Sequence[str], None] = ("ccc", "ddd")

def upgrade() -> None:
    pass
)");
    const auto& first = p.file("first.py").facts.revision;
    REQUIRE(first.has_value());
    CHECK(first->down_revision->kind == Expr::Kind::None);
    CHECK_FALSE(first->downgrade.has_value());

    for (const char* rel : {"merge.py", "merge_typed.py"}) {
      INFO(rel);
      const auto& merge = p.file(rel).facts.revision;
      REQUIRE(merge.has_value());
      REQUIRE(merge->down_revision.has_value());
      CHECK(merge->down_revision->kind == Expr::Kind::Tuple);
      REQUIRE(merge->down_revision->items.size() == 2);
      CHECK(merge->down_revision->items[0].is_string());
    }
    CHECK(p.file("merge.py").facts.revision->down_revision->items[1].text == "bbb222");
    CHECK(p.file("merge_typed.py").facts.revision->down_revision->items[0].text == "ccc");
  }

  SECTION("not revisions") {
    Loaded p(R"(
# file: no_upgrade.py
from alembic import op
revision = "abc"
down_revision = None

def downgrade():
    op.drop_table("x")
# file: no_revision.py
from alembic import op

def upgrade():
    op.create_table("x")
# file: env.py
from alembic import context
config = context.config

def run_migrations_online():
    pass
)");
    CHECK_FALSE(p.file("no_upgrade.py").is_revision());
    CHECK_FALSE(p.file("no_revision.py").is_revision());
    CHECK_FALSE(p.file("env.py").is_revision());
  }
}

TEST_CASE("guards: op imported under another name", "[guards]") {
  Loaded p(R"(
from alembic import op as alembic_op
import sqlalchemy as sa

revision = "r1"
down_revision = None

def upgrade():
    alembic_op.add_column("users", sa.Column("x", sa.Integer()))
    other.add_column("users", sa.Column("y", sa.Integer()))
)",
           "rev.py");
  const auto& ops = p.operations("rev.py");
  REQUIRE(ops.size() == 1);
  CHECK(ops[0].receiver == "alembic_op");
  CHECK(ops[0].table == "users");
}

TEST_CASE("operations: names that hold one string are read as that string", "[guards][constants]") {
  Loaded p(std::string(kHeader) + R"(
USERS = "users"
ORDERS = "orders"
ORDERS = "orders_v2"


def rename(table):
    op.drop_column(table, "legacy")  # a parameter: the table each call gives, when a string


def upgrade():
    op.add_column(USERS, sa.Column("a", sa.Integer()))  # module constant
    op.add_column(ORDERS, sa.Column("b", sa.Integer()))  # module name bound twice
    table_name: str = "invoices"
    op.create_index("ix_invoices_c", table_name, ["c"])
    with op.batch_alter_table(table_name) as batch_op:
        batch_op.drop_column("d")
    for looped in ["x", "y"]:
        op.drop_column(looped, "e")
    counter = "z"
    counter += "1"
    op.drop_column(counter, "f")
    twice = "one"
    twice = "two"
    op.drop_column(twice, "g")
    walrus = "w"
    if (walrus := "v"):
        op.drop_column(walrus, "h")
    formatted = f"t_{USERS}"  # an f-string of constants: "t_users"
    op.drop_column(formatted, "i")
    captured = "outer"
    helper = lambda: captured
    op.drop_column(captured, "j")
    USERS_SHADOW = USERS
    op.drop_column("accounts", column_name)
    rename("given")
    rename(column_name)


def downgrade():
    global USERS
    USERS = "people"
    op.drop_column(USERS, "a")
)",
           "rev.py");
  auto table_of = [&](const std::string& name, size_t index = 0) {
    auto ops = named(p, name);
    REQUIRE(ops.size() > index);
    return ops[index]->table;
  };
  CHECK(table_of("add_column", 0) == "users");
  CHECK(table_of("add_column", 1) == "");
  CHECK(table_of("create_index") == "invoices");
  auto drops = named(p, "drop_column");
  std::vector<std::string> tables;
  for (const OperationCall* op : drops) tables.push_back(op->function + ":" + op->table);
  // `for looped in ["x", "y"]:` walks its body once with each name (the next test case). A name bound twice
  // holds its latest plain assignment (`twice`: "two"; downgrade()'s `USERS = "people"`) until another kind
  // of binding (`+=`, a walrus, a lambda reading it) makes it unknown. An f-string of constants holds its
  // value.
  CHECK(tables == std::vector<std::string>{"upgrade:invoices", "upgrade:x", "upgrade:y",
                                           "upgrade:", "upgrade:two", "upgrade:", "upgrade:t_users",
                                           "upgrade:", "upgrade:accounts", "upgrade:given",
                                           "upgrade:", "downgrade:people"});
}

TEST_CASE("operations: a loop over literal table names runs its body once with each", "[guards][constants]") {
  Loaded p(std::string(kHeader) + R"(
TABLES = ["m1", "m2"]


def upgrade():
    for table in ("users", "teams"):
        op.add_column(table, sa.Column("note", sa.Text()))
        for column in ["a", "b"]:
            op.drop_column(table, column)
    for table in ("orders", "invoices"):
        table = table + "_archive"  # bound again: no longer the list's names
        op.add_column(table, sa.Column("note", sa.Text()))
    for table in TABLES:  # a module-level list bound once: its names too
        op.add_column(table, sa.Column("note", sa.Text()))
    for table in ("a", 1):  # not only strings
        op.add_column(table, sa.Column("note", sa.Text()))
    for table in ("p", "q"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("note", sa.Text()))
    else:
        op.add_column(table, sa.Column("done", sa.Text()))  # after the loop: the name holds the last one, unknown
)",
           "rev.py");
  std::vector<std::string> adds;
  for (const OperationCall* op : named(p, "add_column")) adds.push_back(op->table + "." + op->column_name());
  CHECK(adds == std::vector<std::string>{"users.note", "teams.note", ".note", "m1.note", "m2.note", ".note",
                                         "p.note", "q.note", ".done"});
  std::vector<std::string> drops;
  for (const OperationCall* op : named(p, "drop_column"))
    drops.push_back(op->table + "." + op->column_name());
  CHECK(drops == std::vector<std::string>{"users.a", "users.b", "teams.a", "teams.b"});
}
