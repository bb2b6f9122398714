"""Plant one bug at a time in the resequencing store and the parts rule, count kills.

`.venv/bin/python tools/mutation/store_by_hand.py` (`MUT_START=k` resumes at k). Each mutant
recompiles the kernel (about a minute).
"""

from by_hand import run

R = "src/nevsim/factory/resequencing.py"
K = "src/nevsim/factory/kernel.py"
C = "src/nevsim/factory/compile.py"
MUTANTS = [
    (R, "state.tail_order > best_tail:", "state.tail_order < best_tail:"),
    (R, "        best = empty if empty >= 0 else roomiest", "        best = roomiest if roomiest >= 0 else empty"),
    (R, "        key = b if store.retrieval == RETRIEVE_FIFO else body.order", "        key = body.order"),
    (R, "        if best < 0 or cost < best_cost or", "        if best < 0 or cost > best_cost or"),
    (R, "        leaving = n - (rule.window - 1)", "        leaving = n - rule.window"),
    (R, "        cost += line.rules[r].weight * excess(cls, 1, r, line, ws)", "        cost += line.rules[r].weight * excess(cls, 0, r, line, ws)"),
    (R, "    return max(0, ws.rule_counts[side, r] + line.marks[cls, r] - line.rules[r].most)", "    return max(0, ws.rule_counts[side, r] + line.marks[cls, r] - line.rules[r].most + 1)"),
    (R, "    late = 1 if order < top else 0", "    late = 1 if order > top else 0"),
    (R, "    state.head = (state.head + 1) % places(lane, store)", "    state.head = (state.head + 1) % (places(lane, store) + 1)"),
    (K, "    if last > pull:", "    if last >= pull:"),
    (K, "        if ws.state[nk].visits <= ahead - nxt.buffer - nxt.servers:", "        if ws.state[nk].visits < ahead - nxt.buffer - nxt.servers:"),
    (K, "            below = line.store[0].at", "            below = line.main + 1"),
    (K, "           and place(totals.placed, store, ws)):", "           and place(totals.placed, store, ws) and False):"),
    (K, "            new = k > reached  # a first visit: it takes its parts", "            new = k >= reached  # a first visit: it takes its parts"),
    (K, "        _copy_vehicle(lane[waiting], m)  # `reached` is at least k: it just visited k", "        _copy_vehicle(lane[waiting], m)\n        lane[waiting].reached = k"),
    (C, "            places, extra = divmod(buffer.capacity, buffer.lanes)", "            places, extra = divmod(buffer.capacity + 1, buffer.lanes)"),
]
run(MUTANTS, "tests/factory/test_store.py", timeout=600)
