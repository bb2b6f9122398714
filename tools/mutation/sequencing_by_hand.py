"""Plant one bug at a time in car sequencing (goals, search, policies, files), count kills.

`.venv/bin/python tools/mutation/sequencing_by_hand.py` (`MUT_START=k` resumes at k).
"""

from by_hand import run

S = "src/nevsim/factory/sequence_search.py"
Q = "src/nevsim/factory/sequencing.py"
ORDERS = "src/nevsim/factory/orders.py"
F = "src/nevsim/factory/sequence_files.py"
MUTANTS = [
    (S, "            found += count - most if excess else 1", "            found += count - most + 1 if excess else 1"),
    (S, "    first = max(0, fixed - window + 1)", "    first = max(0, fixed)"),
    (S, "    last = total - 1 if excess else total - window", "    last = total - window"),
    (S, "    for q in range(max(lo, max(1, fixed)), min(hi, colours.shape[0] - 1) + 1):", "    for q in range(max(lo, max(1, fixed + 1)), min(hi, colours.shape[0] - 1) + 1):"),
    (S, "    if run > limit:\n        return False\n    q += 1", "    q += 1"),
    (S, "        if q >= fixed:", "        if q > fixed:"),
    (S, "        _apply(3, a, b, a + b - mid + 1, order, pm, pc)", "        _apply(3, a, b, mid, order, pm, pc)"),
    (S, "            changed[k] = pm[k, lo] != pm[k, hi]", "            changed[k] = pm[k, lo] == pm[k, hi]"),
    (S, "    if b - a > reach:", "    if b - a > reach - 2:"),
    (ORDERS, "            costs[a, b] = variants.paint.dark_to_light", "            costs[b, a] = variants.paint.dark_to_light"),
    (ORDERS, "                    recent = sequence[-(window - 1):] if window > 1 else []", "                    recent = sequence[-window:] if window > 1 else []"),
    (ORDERS, "    limit = variants.paint.batch_limit or len(orders)", "    limit = (variants.paint.batch_limit or len(orders)) + 1"),
    (ORDERS, "found.change_cost * paint.purge_time / 3600.0", "found.colour_changes * paint.purge_time / 3600.0"),
    (F, "    fixed = sum(day(row) != last_day for row in cars)", "    fixed = 0"),
    (F, "        elif ident in seen:", "        elif ident in seen and False:"),
    (Q, "    phases = np.array([[moves // len(units), 0.5 * w, 0.005 * w] for w in units])", "    phases = np.array([[moves // len(units), 0.5 * w, 0.5 * w] for w in units])"),
]
run(MUTANTS, "tests/factory/test_sequencing.py tests/factory/test_orders.py")
