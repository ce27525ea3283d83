#!/usr/bin/env python3
"""Generate one long Alembic history for timing ormlint's revision-graph rules.

    bench/generate_revisions.py N OUT_DIR

Writes OUT_DIR/alembic.ini and N revision scripts in OUT_DIR/alembic/versions/, named like Alembic's default
template (`<12-hex id>_<slug>.py`). The history is a chain from one base revision with a branch every ~500
revisions: two or three short branches that a merge revision (down_revision = a tuple) joins again, so the
history ends with exactly one head and one root and a clean project produces no graph findings. Output is
deterministic: the same N gives byte-identical files. OUT_DIR is emptied first only when an earlier run wrote it
(it holds the .ormlint-bench-revisions marker), so a mistyped path cannot wipe a real folder.

    bench/generate_revisions.py 10000 /tmp/revs && build/ormlint check --exit-zero /tmp/revs
"""
import hashlib
import os
import shutil
import sys

MARKER = ".ormlint-bench-revisions"
BRANCH_EVERY = 500

TABLES = ["accounts", "invoices", "orders", "payments", "projects", "shipments", "tickets", "users"]
COLUMNS = ["archived_at", "external_ref", "notes", "priority", "region", "source", "status_reason", "version"]

INI = """[alembic]
script_location = %(here)s/alembic
prepend_sys_path = .
sqlalchemy.url = postgresql://bench:bench@localhost/bench
"""


def revision_id(index):
    return hashlib.sha1(("revision-%d" % index).encode()).hexdigest()[:12]


def script(index, down, date):
    rid = revision_id(index)
    table = TABLES[index % len(TABLES)]
    column = "%s_%d" % (COLUMNS[index % len(COLUMNS)], index)
    if isinstance(down, tuple):
        slug = "merge_heads"
        down_src = "(" + ", ".join('"%s"' % d for d in down) + ")"
        revises = ", ".join(down)
        upgrade, downgrade = "pass", "pass"
    else:
        slug = "add_%s_%s" % (table, column)
        down_src = '"%s"' % down if down else "None"
        revises = down or ""
        upgrade = 'op.add_column("%s", sa.Column("%s", sa.String(length=64), nullable=True))' % (table, column)
        downgrade = 'op.drop_column("%s", "%s")' % (table, column)
    text = (
        '"""%s\n\nRevision ID: %s\nRevises: %s\nCreate Date: %s\n\n"""\n'
        "from alembic import op\nimport sqlalchemy as sa\n\n\n"
        "# revision identifiers, used by Alembic.\n"
        'revision = "%s"\ndown_revision = %s\nbranch_labels = None\ndepends_on = None\n\n\n'
        "def upgrade():\n    %s\n\n\ndef downgrade():\n    %s\n"
    ) % (slug.replace("_", " "), rid, revises, date, rid, down_src, upgrade, downgrade)
    return "%s_%s.py" % (rid, slug), text


def history(n):
    """(index, down) pairs: a chain with branches that a merge joins again."""
    steps = [(0, None)]
    head = revision_id(0)
    index = 1
    while index < n:
        remaining = n - index
        if index % BRANCH_EVERY == 0 and remaining >= 8:
            width = 2 + (index // BRANCH_EVERY) % 2  # two or three branches
            tips = []
            for b in range(width):
                parent = head
                for _ in range(1 + (index + b) % 2):  # one or two revisions per branch
                    steps.append((index, parent))
                    parent = revision_id(index)
                    index += 1
                tips.append(parent)
            steps.append((index, tuple(tips)))
            head = revision_id(index)
            index += 1
            continue
        steps.append((index, head))
        head = revision_id(index)
        index += 1
    return steps[:n]


def prepare(out):
    if os.path.exists(out) and os.listdir(out):
        if not os.path.exists(os.path.join(out, MARKER)):
            sys.exit("generate_revisions.py: %s is not empty and was not written by this script; refusing to empty it" % out)
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "alembic", "versions"))
    with open(os.path.join(out, MARKER), "w") as f:
        f.write("written by bench/generate_revisions.py\n")


def main(argv):
    if len(argv) != 3 or not argv[1].isdigit() or int(argv[1]) < 1:
        sys.exit("usage: bench/generate_revisions.py N OUT_DIR   (N: number of revisions, a positive integer)")
    n, out = int(argv[1]), argv[2]
    prepare(out)
    with open(os.path.join(out, "alembic.ini"), "w") as f:
        f.write(INI)
    versions = os.path.join(out, "alembic", "versions")
    for index, down in history(n):
        date = "2024-%02d-%02d %02d:%02d:00" % (1 + index // 2000 % 12, 1 + index // 70 % 28, index // 60 % 24, index % 60)
        name, text = script(index, down, date)
        with open(os.path.join(versions, name), "w") as f:
            f.write(text)
    print("wrote %d revisions to %s" % (n, versions))


if __name__ == "__main__":
    main(sys.argv)
