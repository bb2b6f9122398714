#!/usr/bin/env bash
# Mutation score of a part, on a copy of the repository (cosmic-ray edits files in place):
#   tools/mutation/run.sh factory|network [mutants] [seed]
# Plants a seeded random sample of plausible one-line bugs, runs the part's tests after each,
# and prints how many the tests caught. Takes an hour or more; not part of `make test`.
set -euo pipefail
part=${1:?factory or network}
count=${2:-130}
seed=${3:-1}
root="$(cd "$(dirname "$0")/../.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
work="$(mktemp -d)"
git -C "$root" worktree add -f "$work/tree" HEAD >/dev/null
cd "$work/tree"
sed "s|python -m pytest|$python -m pytest|" "tools/mutation/$part.toml" > cr.toml
case $part in
  factory) scope='{"simulation.py": null, "results.py": null, "calendar.py": null,
    "distributions.py": null, "blocks.py": ["_draw", "sample", "sample_inline_exponential",
    "to_tau", "from_tau"]}' ;;
  network) scope='{"data.py": null}' ;;
esac
"$python" -m cosmic_ray.cli init cr.toml session.sqlite
"$python" tools/mutation/sample.py session.sqlite "$count" "$seed" "$scope"
"$python" -m cosmic_ray.cli exec cr.toml session.sqlite
"$python" - <<'PY'
import sqlite3
rows = dict(sqlite3.connect("session.sqlite").execute(
    "select test_outcome, count(*) from work_results group by 1").fetchall())
killed, survived = rows.get("KILLED", 0), rows.get("SURVIVED", 0)
print(f"killed {killed} of {killed + survived} mutants: score {killed / (killed + survived):.0%}")
PY
echo "session kept in $work/tree/session.sqlite (cosmic-ray dump cr.toml session.sqlite)"
