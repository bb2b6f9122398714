"""Plant one bug at a time in the analytic line evaluator, run its tests, count kills.

`.venv/bin/python tools/mutation/analytic_by_hand.py` (`MUT_START=k` resumes at k).
"""

from by_hand import run

A = "src/nevsim/factory/analytic.py"
MUTANTS = [
    (A, "        ((up_u == 1) & (n < top), state + 4, rate_u),", "        ((up_u == 1) & (n < top), state + 4, rate_d),"),
    (A, "        ((up_u == 1) & (n < top), state + 4, rate_u),", "        ((up_u == 1) & (n <= top - 2), state + 4, rate_u),"),
    (A, "        ((up_d == 1) & (n > 0), state - 1, fail_d),", "        ((up_d == 1), state - 1, fail_d),"),
    (A, "    return rate_d * float(grid[1:, :, 1].sum())", "    return rate_d * float(grid[:, :, 1].sum())"),
    (A, "    in_buffer = np.clip(np.arange(top + 1) - 1, 0, top - 2)", "    in_buffer = np.clip(np.arange(top + 1), 0, top - 2)"),
    (A, "    places = [g * (b + 2) - 2 for b in line.buffers]", "    places = [g * b for b in line.buffers]"),
    (A, "        speed = 1.0 / (1.0 / mu[station] + wait_short / rate)", "        speed = 1.0 / (1.0 / mu[station] + wait_short)"),
    (A, "        return speed, frequency * speed / rate, frequency / length", "        return speed, frequency / rate, frequency / length"),
    (A, "        length = (own / r[station] if own > 0 else 0.0) + wait_long", "        length = (own / r[station] if own > 0 else 0.0) + 2 * wait_long"),
    (A, "            into_long = down[i - 1][0] * grid[1, 0, 1] + up[i - 1][1] * grid[0, 1, 1]", "            into_long = down[i - 1][0] * grid[1, 0, 1]"),
    (A, "            down[i] = pseudo(i + 1, float(grid[top, 1, 1]), float(grid[top, 1, 0]),", "            down[i] = pseudo(i + 1, float(grid[top, 1, 0]), float(grid[top, 1, 1]),"),
    (A, "            up[i] = pseudo(i, float(grid[0, 1, 1]), float(grid[0, 0, 1]), float(into_long),", "            up[i] = pseudo(i, float(grid[0, 1, 1]), float(grid[0, 0, 1] + grid[0, 0, 0]), float(into_long),"),
    (A, "        elif q[j + 1] < caps[j + 1]:", "        elif q[j + 1] <= caps[j + 1]:"),
    (A, "                moves.append(((*state[:j], WORKING, *state[j + 1:]), float(line.repair[j])))", "                moves.append(((*state[:j], IDLE, *state[j + 1:]), float(line.repair[j])))"),
    (A, "    throughput = float(line.rate[-1] * pi[states[:, k - 1] == WORKING].sum())", "    throughput = float(line.rate[0] * pi[states[:, 0] == WORKING].sum())"),
    (A, "                if value(moved) > value(current) * (1 + 1e-12):", "                if value(moved) > value(current) * 1.01:"),
    (A, "    granularity = int(min(MOST_GRANULARITY, max(1, round(1.0 / max(spread, 1e-9)))))", "    granularity = 1"),
    (A, "        return float((law.sd / mean) ** 2)", "        return float(law.sd / mean)"),
    (A, "            if price(option) < price(current) and value(option) >= target:", "            if price(option) <= price(current) and value(option) >= target:"),
]
run(MUTANTS, "tests/factory/test_analytic.py")
