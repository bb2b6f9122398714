"""Plant one bug at a time in the general kernel's inner loop and its bookkeeping, count kills.

`.venv/bin/python tools/mutation/kernel_by_hand.py` on a copy of the tree (`MUT_START=k`
resumes at k). Each mutant recompiles the kernel (about a minute).
"""

from by_hand import run

K = "src/nevsim/factory/kernel.py"
B = "src/nevsim/factory/blocks.py"
MUTANTS = [
    (K, "    closing = now.active_end < start", "    closing = now.active_end <= start"),
    (K, "    later = closing | (full_end > now.active_end)", "    later = closing"),
    (B, "    hit = take & (g0 < g1) & (length > d)", "    hit = take & (g0 <= g1) & (length > d)"),
    (B, "    if take and g1 - g0 > 1:", "    if take and g1 - g0 > 2:"),
    (B, "    counts = take & (e > window_start) & (at_end | (e <= horizon))",
     "    counts = (e > window_start) & (at_end | (e <= horizon))"),
    (K, "    now.server = now.server + 1 if now.server + 1 < s.servers else 0",
     "    now.server = now.server + 1 if now.server < s.servers else 0"),
    (K, "            if defect or nk == line.main or ws.waiting_at[nk] > 0 or nk == store_at:",
     "            if defect or nk == line.main or nk == store_at:"),
    (K, "            if defect or nk == line.main or ws.waiting_at[nk] > 0 or nk == store_at:",
     "            if defect or nk == line.main or ws.waiting_at[nk] > 0:"),
    (K, "        leave_shop(s.shop, entry, leave, window_start, horizon, ws.outputs)\n"
        "        entry = leave\n    return leave, entry",
     "        leave_shop(s.shop, entry, leave, window_start, horizon, ws.outputs)\n"
     "    return leave, entry"),
    (K, "    if leave <= end:\n        leave_tau = end_tau",
     "    if leave < end:\n        leave_tau = end_tau"),
]
run(MUTANTS, "tests/factory/test_serial_kernel.py tests/factory/test_statistics.py "
    "tests/factory/test_store.py tests/factory/test_deterministic.py "
    "tests/factory/test_simpy_reference.py", timeout=900)
