"""Plant one bug at a time in the development program's code, run tests/program, count kills.

A hand-written list of plausible one-line bugs (a wrong link formula, an off-by-one
percentile, a lost cost), run by `by_hand.run`:
`.venv/bin/python tools/mutation/program_by_hand.py` (`MUT_START=k` resumes at mutant k).
"""

from by_hand import run

MUTANTS = [
    ("src/nevsim/program/schedule.py", "bound = finish[i, s] + lag[k] - dj", "bound = finish[i, s] + lag[k] + dj"),
    ("src/nevsim/program/schedule.py", "bound = start[i, s] + lag[k] - dj", "bound = finish[i, s] + lag[k] - dj"),
    ("src/nevsim/program/schedule.py", "bound = start[i, s] + lag[k]\n", "bound = start[i, s]\n"),
    ("src/nevsim/program/schedule.py", "earliest = 0.0  # nothing", "earliest = -1e9  # nothing"),
    ("src/nevsim/program/schedule.py", "bound = late[j, s] - d[j, s] - lag[k] + di", "bound = late[j, s] - d[j, s] - lag[k]"),
    ("src/nevsim/program/schedule.py", "bound = late[j, s] - lag[k] + di", "bound = late[j, s] + lag[k] + di"),
    ("src/nevsim/program/schedule.py", "if late[i, 0] - finish[i, 0] <= slack:", "if late[i, 0] - finish[i, 0] < slack:"),
    ("src/nevsim/program/schedule.py", "room = start[j] - lag - finish[i]", "room = start[j] - finish[i]"),
    ("src/nevsim/program/model.py", "return np.where(u < split, a + np.sqrt(u * (b - a) * (c - a)),", "return np.where(u > split, a + np.sqrt(u * (b - a) * (c - a)),"),
    ("src/nevsim/program/model.py", "return (1 + self.shape * (self.peak - self.low) / span,", "return (1 + self.shape * (self.high - self.peak) / span,"),
    ("src/nevsim/program/model.py", "return math.log(self.mu) - s2 / 2, math.sqrt(s2)", "return math.log(self.mu), math.sqrt(s2)"),
    ("src/nevsim/program/model.py", "days = float(number) * {\"day\": 1.0, \"week\": per_week, \"month\": per_month}[kind]", "days = float(number) * {\"day\": 1.0, \"week\": 5.0, \"month\": per_month}[kind]"),
    ("src/nevsim/program/montecarlo.py", "passes = rng.geometric(1 - loop.repeat, n)", "passes = rng.geometric(loop.repeat, n)"),
    ("src/nevsim/program/montecarlo.py", "passes = np.minimum(passes, loop.max_passes)", "passes = np.minimum(passes, loop.max_passes + 1)"),
    ("src/nevsim/program/montecarlo.py", "d[j] *= np.where(hit, 1 + (impact.factor - 1) * scale, 1.0)", "d[j] *= np.where(hit, impact.factor * scale, 1.0)"),
    ("src/nevsim/program/montecarlo.py", "            cost += risk.mitigation.cost\n", "            pass\n"),
    ("src/nevsim/program/montecarlo.py", "cost += program.overhead_per_day * sop", "cost += program.overhead_per_day * sop * 0"),
    ("src/nevsim/program/montecarlo.py", "cost += hit * risk.cost", "cost += risk.cost"),
    ("src/nevsim/program/montecarlo.py", "d[loop.exit] += extra", "d[loop.body[0]] += extra"),
    ("src/nevsim/program/montecarlo.py", "counts[j, max(int(np.ceil(finish[j, s] - 1e-4)), 0)] += 1", "counts[j, max(int(np.floor(finish[j, s])), 0)] += 1"),
    ("src/nevsim/program/montecarlo.py", "chance = risk.mitigation.probability", "chance = risk.probability"),
    ("src/nevsim/program/sampling.py", "r = 2 * np.sin(np.pi * rank / 6)", "r = rank.copy()"),
    ("src/nevsim/program/sampling.py", "return (rng.permutation(n) + rng.random(n)) / n", "return rng.random(n)"),
    ("src/nevsim/program/simulation.py", "need = max(1, int(np.ceil(level * n - 1e-9)))", "need = max(1, int(np.ceil(level * n - 1e-9)) + 1)"),
    ("src/nevsim/program/simulation.py", "cov = cross / n - (total / n) * sop.mean()", "cov = cross / n"),
    ("src/nevsim/program/results.py", "return min(max(int(np.ceil(level * n)) - 1, 0), n - 1)", "return min(max(int(np.ceil(level * n)), 0), n - 1)"),
    ("src/nevsim/program/results.py", "both = on_time & in_budget", "both = on_time | in_budget"),
    ("src/nevsim/program/calendar.py", "index = np.maximum(np.ceil(np.asarray(t, dtype=float) - 1e-9) - 1, 0).astype(np.int64)", "index = np.maximum(np.ceil(np.asarray(t, dtype=float) - 1e-9), 0).astype(np.int64)"),
    ("src/nevsim/program/calendar.py", 'self.weekmask = "".join("1" if d in calendar.working_days else "0" for d in days)', 'self.weekmask = "1111100"'),
    ("src/nevsim/program/checks.py", "if np.linalg.eigvalsh(matrix).min() <= 1e-9:", "if np.linalg.eigvalsh(matrix).min() <= -1:"),
    ("src/nevsim/program/schedule.py", "                            if used > capacity[r]:", "                            if used > capacity[r] + 1:"),
    ("src/nevsim/program/schedule.py", "                        if t < end < later:", "                        if t <= end < later:"),
    ("src/nevsim/program/schedule.py", "                            if at < t or at >= t + dj:", "                            if at < t or at > t + dj:"),
    ("src/nevsim/program/montecarlo.py", "    key = np.where(np.isnan(late), np.inf, late)", "    key = np.where(np.isnan(late), np.inf, -late)"),
    ("src/nevsim/program/montecarlo.py", "                not_done = chosen != k", "                not_done = chosen == k"),
    ("src/nevsim/program/montecarlo.py", "                cost -= not_done * fixed.of_task(int(j))", "                pass"),
    ("src/nevsim/program/montecarlo.py", "for k, tasks in enumerate(options) if k != int(np.argmax(chances))]", "for k, tasks in enumerate(options) if k != int(np.argmin(chances))]"),
    ("src/nevsim/program/compare.py", "        kept = [tagged.pop(_key(kind, item), item) for item in items]", "        kept = [item for item in items]"),
    ("src/nevsim/program/compare.py", "            if (old is None or _plain(old) != _plain(item)) and item.change is None:", "            if old is None and item.change is None:"),
    ("src/nevsim/program/mspdi.py", "            lag = _number(link, \"LinkLag\", 0.0, where) / 10 / minutes_per_day", "            lag = _number(link, \"LinkLag\", 0.0, where) / minutes_per_day"),
    ("src/nevsim/program/mspdi.py", "_TYPES = {\"0\": \"FF\", \"1\": \"FS\", \"2\": \"SF\", \"3\": \"SS\"}", "_TYPES = {\"0\": \"FS\", \"1\": \"FS\", \"2\": \"SF\", \"3\": \"SS\"}"),
    ("src/nevsim/program/xer.py", "        lag = _hours(row, \"lag_hr_cnt\", 0.0, where) / day_hours", "        lag = _hours(row, \"lag_hr_cnt\", 0.0, where) / 8"),
]
run(MUTANTS, "tests/program")
