"""Plant one bug at a time in the analytic line evaluator, run its tests, count kills.

`.venv/bin/python tools/mutation/analytic_by_hand.py` (`MUT_START=k` resumes at k).
"""

from by_hand import run

A = "src/nevsim/factory/analytic.py"
MUTANTS = [
    (A, "        ((up_u == 1) & (n < top), state + 4, rate_u),", "        ((up_u == 1) & (n < top), state + 4, rate_d),"),
    (A, "        ((up_u == 1) & (n < top), state + 4, rate_u),", "        ((up_u == 1) & (n <= top - 2), state + 4, rate_u),"),
    (A, "        ((up_d == 1) & (n > 0), state - 1, fail_d),", "        ((up_d == 1), state - 1, fail_d),"),
    (A, "    throughput = rate_d * float(grid[1:, :, 1].sum())", "    throughput = rate_d * float(grid[:, :, 1].sum())"),
    (A, "    places = [g * (b + 2) - 2 for b in line.buffers]", "    places = [g * b for b in line.buffers]"),
    (A, "                mu_u[i] = 1.0 / (1.0 / mu[i] + starved / slow[i])", "                mu_u[i] = 1.0 / (1.0 / mu[i] + starved)"),
    (A, "                blocked = max(1.0 / x[i + 1] - slow[i + 1] / mu_u[i + 1], 0.0)", "                blocked = max(1.0 / x[i + 1] - 1.0 / mu_u[i + 1], 0.0)"),
    (A, "        elif q[j + 1] < caps[j + 1]:", "        elif q[j + 1] <= caps[j + 1]:"),
    (A, "                moves.append(((*state[:j], WORKING, *state[j + 1:]), float(line.repair[j])))", "                moves.append(((*state[:j], IDLE, *state[j + 1:]), float(line.repair[j])))"),
    (A, "    throughput = float(line.rate[-1] * pi[states[:, k - 1] == WORKING].sum())", "    throughput = float(line.rate[0] * pi[states[:, 0] == WORKING].sum())"),
    (A, "                if value(moved) > value(current) * (1 + 1e-12):", "                if value(moved) > value(current) * 1.01:"),
    (A, "    granularity = int(min(MOST_GRANULARITY, max(1, round(1.0 / max(spread, 1e-9)))))", "    granularity = 1"),
    (A, "        return float((law.sd / mean) ** 2)", "        return float(law.sd / mean)"),
    (A, "            if price(option) < price(current) and value(option) >= target:", "            if price(option) <= price(current) and value(option) >= target:"),
]
run(MUTANTS, "tests/factory/test_analytic.py")
