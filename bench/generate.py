#!/usr/bin/env python3
"""Generate a synthetic SQLAlchemy + Alembic project for ormlint benchmarks.

    bench/generate.py N OUT_DIR

Writes N Python files (plus a pyproject.toml holding the [tool.ormlint] settings) under OUT_DIR, which is
emptied first: about 2/3 model modules (app/models/base.py, app/models/mixins.py, app/models/m_XXXX.py) and
1/3 Alembic revisions (alembic/versions/XXXX_rev.py) chained through down_revision. Output is deterministic (fixed seed):
the same N always gives byte-identical files. A non-empty OUT_DIR is only emptied when an earlier run wrote
it (it holds the .ormlint-bench marker), so a mistyped path cannot wipe a real folder.

The code is written the way real projects write it: both declarative styles (Column(...) and
Mapped[...] = mapped_column(...)), foreign keys between the generated tables, relationships, Enum and
DateTime columns, mixins, and a sprinkling of the pitfalls ormlint looks for (reserved attribute names,
native enums, naive datetimes, foreign keys without ondelete, unguarded migration operations), so the
rules have something to report.
"""
import keyword
import os
import random
import shutil
import sys

SEED = 20260114
MARKER = ".ormlint-bench"

WORDS = [
    "account", "address", "agent", "alert", "asset", "audit", "badge", "batch", "billing", "booking", "branch",
    "budget", "campaign", "card", "cart", "category", "channel", "claim", "client", "comment", "contract",
    "coupon", "customer", "dashboard", "device", "discount", "document", "domain", "event", "export", "feature",
    "feedback", "file", "folder", "grant", "group", "import", "incident", "invoice", "issue", "job", "ledger",
    "license", "listing", "location", "member", "message", "metric", "note", "offer", "order", "payment",
    "payout", "permission", "plan", "policy", "post", "price", "product", "profile", "project", "quota",
    "receipt", "refund", "region", "release", "report", "request", "review", "role", "schedule", "segment",
    "session", "shipment", "sku", "subscription", "supplier", "survey", "tag", "task", "team", "template",
    "tenant", "ticket", "token", "transfer", "trip", "upload", "vendor", "visit", "voucher", "warehouse",
    "webhook", "widget", "workflow", "zone",
]
FIELDS = [
    "name", "title", "slug", "code", "description", "status", "kind", "amount", "quantity", "currency", "email",
    "phone", "url", "notes", "priority", "score", "rank", "label", "color", "country", "city", "postal_code",
    "reference", "external_id", "checksum", "version", "locale", "timezone_name", "source", "channel_name",
    "comment_text", "summary", "weight", "height", "width", "ratio", "counter", "flags", "hash_value", "path",
]
STATUSES = ["draft", "active", "pending", "archived", "failed", "done", "cancelled", "paused"]


def plural(word):
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def camel(name):
    return "".join(part.capitalize() for part in name.split("_"))


class Table:
    def __init__(self, index, rng):
        word = WORDS[index % len(WORDS)]
        suffix = index // len(WORDS)
        self.singular = word if suffix == 0 else f"{word}_{suffix}"
        self.name = plural(word) if suffix == 0 else f"{plural(word)}_{suffix}"
        self.cls = camel(word) + ("" if suffix == 0 else str(suffix))
        self.index = index
        self.modern = rng.random() < 0.55  # Mapped/mapped_column style, else Column(...)
        self.module = None  # set by the generator


def model_column_lines(rng, table, targets, enum_names, used):
    """Column definitions for one model class (5-15 columns), in the table's style."""
    lines = []
    modern = table.modern
    if modern:
        lines.append("    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)")
    else:
        lines.append("    id = Column(Integer, primary_key=True)")
    count = rng.randint(5, 15)
    fields = rng.sample(FIELDS, k=min(len(FIELDS), count))
    fks = []
    for target in targets:
        col = f"{target.singular}_id"
        if col in used:
            col = f"{target.singular}_{target.index}_id"
        used.add(col)
        ondelete = rng.choice(['"CASCADE"', '"SET NULL"', None, '"RESTRICT"'])
        od = f", ondelete={ondelete}" if ondelete else ""  # None: foreign-key-without-ondelete
        if modern:
            lines.append(f'    {col}: Mapped[int] = mapped_column(sa.ForeignKey("{target.name}.id"{od}), index=True)')
        else:
            lines.append(f'    {col} = Column(Integer, ForeignKey("{target.name}.id"{od}), nullable=False, index=True)')
        fks.append((col, target))
    for field in fields:
        if field in used:
            continue
        used.add(field)
        roll = rng.random()
        if field == "status" and enum_names:
            enum_name = rng.choice(enum_names)
            if modern:
                if rng.random() < 0.5:
                    lines.append(f"    status: Mapped[{enum_name}]")  # native-enum
                else:
                    lines.append(f"    status: Mapped[{enum_name}] = mapped_column(sa.Enum({enum_name}, native_enum=False, length=20))")
            else:
                native = "" if rng.random() < 0.5 else ", native_enum=False"
                lines.append(f"    status = Column(Enum({enum_name}{native}), nullable=False, default={enum_name}.{STATUSES[0].upper()})")
        elif roll < 0.45:
            length = rng.choice([20, 40, 80, 120, 255])
            nullable = rng.choice(["True", "False"])
            if modern:
                opt = "Optional[str]" if nullable == "True" else "str"
                lines.append(f"    {field}: Mapped[{opt}] = mapped_column(sa.String({length}), nullable={nullable})")
            else:
                lines.append(f"    {field} = Column(String({length}), nullable={nullable}, comment=\"the {field.replace('_', ' ')}\")")
        elif roll < 0.65:
            if modern:
                lines.append(f"    {field}: Mapped[int] = mapped_column(default=0, server_default=sa.text(\"0\"))")
            else:
                lines.append(f"    {field} = Column(Integer, nullable=False, default=0)")
        elif roll < 0.75:
            if modern:
                lines.append(f"    {field}: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))")
            else:
                lines.append(f"    {field} = Column(Numeric(12, 2), nullable=True)")
        elif roll < 0.85:
            if modern:
                lines.append(f"    {field}: Mapped[bool] = mapped_column(default=False)")
            else:
                lines.append(f"    {field} = Column(Boolean, nullable=False, server_default=sa.false())")
        else:
            if modern:
                lines.append(f"    {field}: Mapped[Optional[dict]] = mapped_column(sa.JSON, nullable=True)")
            else:
                lines.append(f"    {field} = Column(JSON, nullable=True)")
    # DateTime columns: mostly timezone-aware, some naive (naive-datetime-column / -default).
    for name in rng.sample(["published_at", "expires_at", "archived_at", "due_at", "synced_at"], k=rng.randint(1, 2)):
        roll = rng.random()
        if modern:
            if roll < 0.6:
                lines.append(f"    {name}: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))")
            elif roll < 0.8:
                lines.append(f"    {name}: Mapped[datetime] = mapped_column(default=datetime.utcnow)")
            else:
                lines.append(f"    {name}: Mapped[Optional[datetime]]")
        else:
            if roll < 0.6:
                lines.append(f"    {name} = Column(DateTime(timezone=True), nullable=True)")
            elif roll < 0.8:
                lines.append(f"    {name} = Column(DateTime, default=datetime.utcnow)")
            else:
                lines.append(f"    {name} = Column(DateTime(), nullable=True)")
    # A reserved attribute name now and then (reserved-attribute).
    if rng.random() < 0.08:
        if modern:
            lines.append("    metadata: Mapped[Optional[dict]] = mapped_column(sa.JSON)")
        else:
            lines.append("    metadata = Column(JSON)")
    elif rng.random() < 0.05:
        lines.append("    extra_metadata = Column(\"metadata\", JSON)  # the safe spelling")
    # Relationships to the foreign-key targets.
    for col, target in fks:
        rel = col[:-3]
        if keyword.iskeyword(rel):  # `import_id` -> `import` is no attribute name
            rel += "_ref"
        if modern:
            lines.append(f'    {rel}: Mapped["{target.cls}"] = relationship("{target.cls}", lazy="selectin")')
        else:
            lines.append(f'    {rel} = relationship("{target.cls}", backref="{table.name}_{rel}")')
    return lines


def model_module(rng, index, tables, all_tables):
    """One app/models/m_XXXX.py: 1-3 model classes, an enum, and a module docstring."""
    out = []
    out.append(f'"""Models for {", ".join(t.name for t in tables)} (generated for ormlint benchmarks)."""')
    out.append("from __future__ import annotations")
    out.append("")
    out.append("import enum")
    out.append("from datetime import datetime, timezone")
    out.append("from decimal import Decimal")
    out.append("from typing import Optional")
    out.append("")
    out.append("import sqlalchemy as sa")
    out.append("from sqlalchemy import JSON, Boolean, Column, DateTime, Enum, ForeignKey, Index, Integer, Numeric, String")
    out.append("from sqlalchemy.orm import Mapped, mapped_column, relationship")
    out.append("")
    out.append("from .base import Base")
    out.append("from .mixins import AuditMixin, SoftDeleteMixin, TimestampMixin")
    out.append("")
    enum_names = []
    if rng.random() < 0.7:
        enum_name = f"{tables[0].cls}Status"
        enum_names.append(enum_name)
        out.append("")
        out.append(f"class {enum_name}(str, enum.Enum):")
        for status in rng.sample(STATUSES, k=rng.randint(3, 6)):
            out.append(f'    {status.upper()} = "{status}"')
        out.append("")
    for table in tables:
        # Foreign keys point at tables defined earlier (no cycles), mostly at nearby ones.
        targets = []
        for _ in range(min(table.index, rng.randint(0, 3))):
            lo = max(0, table.index - 50) if rng.random() < 0.7 else 0
            target = all_tables[rng.randrange(lo, table.index)]
            if target not in targets:
                targets.append(target)
        mixins = []
        if rng.random() < 0.6:
            mixins.append("TimestampMixin")
        if rng.random() < 0.2:
            mixins.append("SoftDeleteMixin")
        if rng.random() < 0.15:
            mixins.append("AuditMixin")
        out.append("")
        out.append(f"class {table.cls}({', '.join(mixins + ['Base'])}):")
        out.append(f'    """A {table.singular.replace("_", " ")} row."""')
        out.append("")
        out.append(f'    __tablename__ = "{table.name}"')
        if rng.random() < 0.3:
            out.append(f'    __table_args__ = (sa.UniqueConstraint("id", name="uq_{table.name}_id"), {{"comment": "{table.name}"}})')
        out.append("")
        out.extend(model_column_lines(rng, table, targets, enum_names, set()))
        if rng.random() < 0.4:
            out.append("")
            out.append("    def __repr__(self) -> str:")
            out.append(f'        return f"<{table.cls} id={{self.id}}>"')
        if rng.random() < 0.3:
            out.append("")
            out.append("    @property")
            out.append("    def is_recent(self) -> bool:")
            out.append("        return (datetime.now(timezone.utc) - self.created_at).days < 7  # noqa")
        out.append("")
    if rng.random() < 0.25:
        t = tables[0]
        out.append("")
        out.append(f'Index("ix_{t.name}_created", {t.cls}.id)')
    out.append("")
    return "\n".join(out)


BASE = '''"""The declarative base shared by every model."""
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
'''

MIXINS = '''"""Columns shared by many models."""
from datetime import datetime, timezone
from typing import Optional

import sqlalchemy as sa
from sqlalchemy import Column, DateTime, ForeignKey, Integer, func
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True),
        default=lambda: datetime.now(timezone.utc),
        onupdate=lambda: datetime.now(timezone.utc),
    )


class SoftDeleteMixin:
    deleted_at = Column(DateTime, nullable=True)  # naive on purpose: a pitfall for the benchmark


class AuditMixin:
    @declared_attr
    def created_by_id(cls):
        return Column(Integer, ForeignKey("accounts.id"))

    reviewed_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
'''


def revision_id(rng):
    return "".join(rng.choice("0123456789abcdef") for _ in range(12))


def revision_module(rng, index, rev, down, tables):
    """One alembic/versions/XXXX_rev.py."""
    out = []
    table = rng.choice(tables)
    other = rng.choice(tables)
    out.append(f'"""change {index}: {table.name}')
    out.append("")
    out.append(f"Revision ID: {rev}")
    out.append(f"Revises: {down or ''}")
    out.append(f"Create Date: 2026-01-{1 + index % 28:02d} {index % 24:02d}:{index % 60:02d}:00")
    out.append('"""')
    out.append("import sqlalchemy as sa")
    out.append("from alembic import op")
    out.append("from sqlalchemy.dialects import postgresql")
    out.append("")
    out.append(f'revision = "{rev}"')
    out.append(f'down_revision = "{down}"' if down else "down_revision = None")
    out.append("branch_labels = None")
    out.append("depends_on = None")
    out.append("")
    out.append("")
    up, downs = [], []
    kind = rng.random()
    if kind < 0.35:
        new = f"{table.name}_history_{index}"
        cols = [
            '        sa.Column("id", sa.Integer(), primary_key=True)',
            f'        sa.Column("{table.singular}_id", sa.Integer(), sa.ForeignKey("{table.name}.id"'
            + rng.choice([', ondelete="CASCADE"', ""]) + "), nullable=False)",
        ]
        for field in rng.sample(FIELDS, k=rng.randint(3, 10)):
            typ = rng.choice(["sa.String(80)", "sa.Integer()", "sa.Text()", "sa.Boolean()", "sa.Numeric(10, 2)"])
            cols.append(f'        sa.Column("{field}", {typ}, nullable={rng.choice(["True", "False"])})')
        if rng.random() < 0.4:
            cols.append(f'        sa.Column("state", sa.Enum("{STATUSES[0]}", "{STATUSES[1]}", name="state_{index}"), nullable=False)')
        cols.append('        sa.Column("created_at", sa.DateTime(' + rng.choice(["timezone=True", ""]) + '), server_default=sa.func.now())')
        up.append("    op.create_table(")
        up.append(f'        "{new}",')
        up.extend(c + "," for c in cols)
        up.append("    )")
        up.append(f'    op.create_index("ix_{new}_created_at", "{new}", ["created_at"])')
        downs.append(f'    op.drop_index("ix_{new}_created_at", table_name="{new}")')
        downs.append(f'    op.drop_table("{new}")')
    elif kind < 0.7:
        col = f"extra_{index}"
        if rng.random() < 0.6:
            up.append("    bind = op.get_bind()")
            up.append("    inspector = sa.inspect(bind)")
            up.append(f'    existing = [c["name"] for c in inspector.get_columns("{table.name}")]')
            up.append(f'    if "{col}" not in existing:')
            up.append(f'        op.add_column("{table.name}", sa.Column("{col}", sa.String(64), nullable=True))')
        else:
            up.append(f'    op.add_column("{table.name}", sa.Column("{col}", sa.Boolean(), nullable=False, server_default=sa.false()))')
        up.append(f'    op.create_index(op.f("ix_{table.name}_{col}"), "{table.name}", ["{col}"], unique=False)')
        downs.append(f'    op.drop_index(op.f("ix_{table.name}_{col}"), table_name="{table.name}")')
        downs.append(f'    op.drop_column("{table.name}", "{col}")')
    else:
        up.append(f'    with op.batch_alter_table("{other.name}", schema=None) as batch_op:')
        up.append(f'        batch_op.add_column(sa.Column("flag_{index}", sa.Boolean(), nullable=True))')
        up.append(f'        batch_op.alter_column("flag_{index}", existing_type=sa.Boolean(), nullable=True)')
        if rng.random() < 0.5:
            up.append(f'        batch_op.create_foreign_key("fk_{other.name}_{index}", "{table.name}", ["ref_{index}"], ["id"])')
        downs.append(f'    with op.batch_alter_table("{other.name}", schema=None) as batch_op:')
        downs.append(f'        batch_op.drop_column("flag_{index}")')
        if rng.random() < 0.3:
            up.append(f'    op.execute("UPDATE {other.name} SET flag_{index} = false WHERE flag_{index} IS NULL")')
    out.append("def upgrade() -> None:")
    out.append("    # ### commands auto generated by Alembic - please adjust! ###")
    out.extend(up)
    out.append("    # ### end Alembic commands ###")
    out.append("")
    out.append("")
    out.append("def downgrade() -> None:")
    out.extend(downs or ["    pass"])
    out.append("")
    return "\n".join(out)


def generate(n, out_dir):
    rng = random.Random(SEED)
    if os.path.isdir(out_dir) and os.listdir(out_dir):
        if not os.path.exists(os.path.join(out_dir, MARKER)):
            raise SystemExit(f"generate.py: {out_dir} is not empty and was not written by generate.py; not touching it")
        shutil.rmtree(out_dir)
    elif os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise SystemExit(f"generate.py: {out_dir} exists and is not a folder")
    models_dir = os.path.join(out_dir, "app", "models")
    versions_dir = os.path.join(out_dir, "alembic", "versions")
    os.makedirs(models_dir)
    os.makedirs(versions_dir)
    with open(os.path.join(out_dir, MARKER), "w", encoding="utf-8") as f:
        f.write("written by bench/generate.py; the whole folder is replaced on the next run\n")

    n_models = max(1, round(n * 2 / 3))
    n_revisions = max(0, n - n_models)
    # Fixed modules: app/__init__.py, app/models/__init__.py, base.py, mixins.py (counted among the models).
    n_model_modules = max(0, n_models - 4)

    tables = []
    modules = []
    for m in range(n_model_modules):
        count = rng.choice([1, 1, 1, 2, 2, 3])
        mod_tables = []
        for _ in range(count):
            t = Table(len(tables), rng)
            t.module = f"m_{m:04d}"
            tables.append(t)
            mod_tables.append(t)
        modules.append(mod_tables)
    if not tables:  # tiny N: still give the revisions something to refer to
        tables.append(Table(0, rng))

    written = 0

    def write(path, text):
        nonlocal written
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        written += 1

    # The project's own settings, so no ormlint.toml / pyproject.toml above OUT_DIR changes what runs.
    with open(os.path.join(out_dir, "pyproject.toml"), "w", encoding="utf-8") as f:
        f.write('[project]\nname = "ormlint-bench"\nversion = "0.0.0"\n\n[tool.ormlint]\nprofile = "portable"\n')

    fixed = [
        (os.path.join(out_dir, "app", "__init__.py"), '"""Benchmark application."""\n'),
        (os.path.join(models_dir, "__init__.py"), '"""Models package."""\nfrom .base import Base  # noqa: F401\n'),
        (os.path.join(models_dir, "base.py"), BASE),
        (os.path.join(models_dir, "mixins.py"), MIXINS),
    ]
    for path, text in fixed[: min(len(fixed), n_models)]:
        write(path, text)
    for m, mod_tables in enumerate(modules):
        write(os.path.join(models_dir, f"m_{m:04d}.py"), model_module(rng, m, mod_tables, tables))

    down = None
    for r in range(n_revisions):
        rev = revision_id(rng)
        write(os.path.join(versions_dir, f"{r:04d}_rev.py"), revision_module(rng, r, rev, down, tables))
        down = rev
    return written


def main(argv):
    if len(argv) != 3:
        print("usage: generate.py N OUT_DIR", file=sys.stderr)
        return 2
    try:
        n = int(argv[1])
    except ValueError:
        print(f"generate.py: N must be an integer, not {argv[1]!r}", file=sys.stderr)
        return 2
    if n < 1:
        print("generate.py: N must be at least 1", file=sys.stderr)
        return 2
    written = generate(n, argv[2])
    print(f"generated {written} files in {argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
