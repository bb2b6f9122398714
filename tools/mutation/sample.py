"""Keep a seeded random sample of plausible mutants in a cosmic-ray session.

Plausible: arithmetic swaps among + - * /, comparison swaps (< <=, > >=, == !=, < >), numbers
changed, conditions negated, and/or swapped, True/False swapped, a minus sign dropped, a loop
skipped; bit operators, powers and removed decorators are left out. `scopes` maps a module
file name to the functions to mutate (null: all of it).
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys

PLAUSIBLE_BINARY = {"Add", "Sub", "Mul", "Div"}
PLAUSIBLE_COMPARE = {("Lt", "LtE"), ("LtE", "Lt"), ("Gt", "GtE"), ("GtE", "Gt"), ("Eq", "NotEq"),
                     ("NotEq", "Eq"), ("Lt", "Gt"), ("Gt", "Lt"), ("LtE", "GtE"), ("GtE", "LtE")}
OTHER = {"NumberReplacer", "AddNot", "ReplaceAndWithOr", "ReplaceOrWithAnd", "ReplaceTrueWithFalse",
         "ReplaceFalseWithTrue", "ReplaceUnaryOperator_Delete_USub", "ZeroIterationForLoop"}


def plausible(op: str) -> bool:
    """Whether a cosmic-ray operator plants a bug a programmer could plausibly write."""
    name = op.split("/")[-1]
    if name in OTHER:
        return True
    parts = name.split("_")
    if name.startswith("ReplaceBinaryOperator_"):
        return parts[1] in PLAUSIBLE_BINARY and parts[2] in PLAUSIBLE_BINARY
    if name.startswith("ReplaceComparisonOperator_"):
        return (parts[1], parts[2]) in PLAUSIBLE_COMPARE
    return False


def main(session: str, n: int, seed: int, scopes: str) -> None:
    """Drop all but n plausible mutants in scope (JSON {file: [functions] or null})."""
    wanted = json.loads(scopes)
    db = sqlite3.connect(session)
    rows = db.execute("select job_id, module_path, operator_name, definition_name "
                      "from mutation_specs").fetchall()
    keep = []
    for job, module, op, definition in rows:
        scope = next((v for k, v in wanted.items() if module.endswith(k)), "absent")
        if scope == "absent" or not plausible(op):
            continue
        if scope is not None and (definition or "").split(".")[-1] not in scope:
            continue
        keep.append(job)
    keep.sort()
    random.Random(seed).shuffle(keep)
    chosen = set(keep[:n])
    drop = [(r[0],) for r in rows if r[0] not in chosen]
    db.executemany("delete from mutation_specs where job_id = ?", drop)
    db.executemany("delete from work_items where job_id = ?", drop)
    db.commit()
    print(f"{len(keep)} plausible in scope, kept {len(chosen)}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
