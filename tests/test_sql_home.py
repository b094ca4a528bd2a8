"""SQL against the warehouse's tables lives in `warehouse/` (and the dashboards' named `.sql`
queries), never as string literals in the Python of the other rooms.

Found with `ast`, not grep: (1) a string literal (plain, f-string or concatenation) passed to
`.execute` / `.executemany` / `.sql` / `.query`, and (2) any string constant outside a
docstring that reads like a SQL statement or names a warehouse table the way SQL does (a query
or a fragment kept in a variable, like the old `CURRENT_TAGS`, is the same leak). `warehouse/*.py` may hold short statements (transactions,
one-liners it owns); everything else reads files or calls the warehouse.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROOMS_WITHOUT_SQL = ("extractors", "dashboards", "flows")
EXECUTORS = {"execute", "executemany", "sql", "query", "from_query"}
SQL_STATEMENT = re.compile(
    r"^\s*(select\s.+\sfrom\s|insert\s+(or\s+\w+\s+)?into\s|update\s+\w+\s+set\s|delete\s+from\s"
    r"|with\s+\w+\s+as\s*\(|create\s+(or\s+replace\s+)?(temp\s+)?(table|view)\s|copy\s*\(|begin\b|commit\b)",
    re.I | re.S,
)
# A fragment naming a warehouse table the way SQL does ("… from taxonomy_versions …") is SQL too.
TABLES = sorted({m.group(1) for path in (ROOT / "warehouse" / "migrations").glob("*.sql")
                 for m in re.finditer(r"create table (?:if not exists )?(\w+)", path.read_text(encoding="utf-8"), re.I)})
TABLE_REFERENCE = re.compile(r"\b(from|join|into|update)\s+(" + "|".join(TABLES) + r")\b", re.I)


def _has_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _has_literal(node.left) or _has_literal(node.right)
    return False


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def sql_literals(source: str, filename: str = "<src>") -> list[str]:
    """`line: what` for every SQL string literal in a module's source."""
    tree = ast.parse(source, filename=filename)
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in EXECUTORS
                and node.args and _has_literal(node.args[0])):
            found.append(f"{node.lineno}: string passed to .{node.func.attr}()")
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
              and (SQL_STATEMENT.match(node.value) or TABLE_REFERENCE.search(node.value))):
            found.append(f"{node.lineno}: SQL statement in a string: {node.value.strip()[:60]!r}")
    return found


def test_the_detector_finds_each_kind_of_leak():
    """The check can fail: each shape of inline SQL is caught, a file-backed query is not."""
    assert sql_literals('con.execute("select 1")')
    assert sql_literals('con.execute(f"delete from runs where x = {y}")')
    assert sql_literals('con.execute("select a " + TAGS + " from t", [1])')
    assert sql_literals('TAGS = """\n  select taxonomy_version from taxonomy_versions limit 1"""')
    assert sql_literals('x = "update runs set status = 1"')
    assert sql_literals('CURRENT = "(t.v = (select v from taxonomy_versions limit 1))"')
    assert not sql_literals('con.execute(query("digest_table"), {"day": d})')
    assert not sql_literals('def f():\n    """Select the rows from the table."""\n')
    assert not sql_literals('echo("Try: select topic from v_article_topics")')


def test_no_sql_strings_outside_the_warehouse():
    offenders = []
    for room in ROOMS_WITHOUT_SQL:
        for path in sorted((ROOT / room).rglob("*.py")):
            rel = path.relative_to(ROOT)
            offenders += [f"{rel}:{hit}" for hit in sql_literals(path.read_text(encoding="utf-8"), str(rel))]
    assert offenders == [], ("SQL belongs in warehouse/ (.sql files, or a function there) or in a named "
                             "dashboards/sql/*.sql query:\n" + "\n".join(offenders))


def test_every_named_dashboard_query_is_used():
    """A `dashboards/sql/*.sql` file nobody reads is dead SQL (and a test of it would test nothing)."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "dashboards").rglob("*.py"))
    unused = [p.name for p in sorted((ROOT / "dashboards" / "sql").glob("*.sql")) if f'"{p.stem}"' not in code]
    assert unused == []


def test_every_warehouse_sql_file_is_used():
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "warehouse").glob("*.py"))
    unused = [p.name for p in sorted((ROOT / "warehouse" / "sql").glob("*.sql")) if f'"{p.name}"' not in code]
    assert unused == []
