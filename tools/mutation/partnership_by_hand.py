"""Plant one bug at a time in the partnership's code, run tests/partnership, count kills.

`.venv/bin/python tools/mutation/partnership_by_hand.py` (`MUT_START=k` resumes at k).
"""

from by_hand import run

C = "src/nevsim/partnership/coalitions.py"
V = "src/nevsim/partnership/values.py"
S = "src/nevsim/partnership/solution.py"
G = "src/nevsim/partnership/games.py"
R = "src/nevsim/partnership/results.py"
K = "src/nevsim/partnership/checks.py"
MUTANTS = [
    (C, "return owner is None or owner in members", "return owner in members"),
    (C, "_scale(s.unit_cost,\n                                                  component_factor.get(s.component, 1.0))", "_scale(s.unit_cost, 1.0)"),
    (C, "variable = math.prod(t.variable_cost for t in techs)", "variable = 1.0"),
    (C, "update[\"lead_time\"] = max(0, plant.lead_time - cut)", "update[\"lead_time\"] = plant.lead_time"),
    (C, "price_change[model] -= tech.licence_per_vehicle", "price_change[model] += tech.licence_per_vehicle"),
    (C, "if owners.of[\"models\"].get(model) != owner:", "if owners.of[\"models\"].get(model) == owner:"),
    (C, "price_change[model] += tech.price_premium", "price_change[model] += 0"),
    (C, "demand[model] = _scale(demand[model], access.without.demand)", "demand[model] = demand[model]"),
    (C, "price[model] = _scale(price[model], access.without.price)", "price[model] = price[model]"),
    (C, "if owners.member(\"access\", access.name, members) or \\", "if not owners.member(\"access\", access.name, members) or \\"),
    (C, "    if n < 2:\n        return 0.0", "    if n < 1:\n        return 0.0"),
    (C, "part.cooperation.per_pair * math.comb(n, 2)", "part.cooperation.per_pair * n"),
    (C, "    if not models or not plants:", "    if not models and not plants:"),
    (V, "        return self.profit - self.cooperation", "        return self.profit"),
    (V, "tables = len(members) in (1, len(players))", "tables = len(members) in (1,)"),
    (S, "    gain = game.v(players) - sum(alone.values())", "    gain = game.v(players)"),
    (S, "{p: alone[p] + shares[p] * gain for p in players}", "{p: shares[p] * gain for p in players}"),
    (S, "    if gap <= RELATIVE * scale:", "    if gap <= 0.1 * scale:"),
    (S, "    core_empty = epsilon < -RELATIVE * scale", "    core_empty = epsilon < RELATIVE * scale"),
    (S, "splits.append((\"by capital\", {p.name: (p.capital or 0.0) / total", "splits.append((\"by capital\", {p.name: 1 / len(players)"),
    (G, "    weight = [math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n)", "    weight = [math.factorial(s) * math.factorial(n - s) / math.factorial(n)"),
    (G, "    return [(game.values[frozenset([p])] if imputations else None, None) for p in game.players]", "    return [(None, None) for p in game.players]"),
    (G, "            probe = _max_excess(game, fixed, others, s, e, imputations)", "            probe = e"),
    (G, "    return Game(game.players, {s: x / scale for s, x in game.values.items()}), scale", "    return game, 1.0"),
    (G, "    return game.values[game.grand] >= alone - TOLERANCE * game._scale()", "    return True"),
    (R, "        return self.grand.value - sum(self.value([p]) for p in self.partners)", "        return self.grand.value"),
    (R, "\"marginal\": grand - (self.value(rest) if rest else 0.0),", "\"marginal\": grand,"),
    (K, "    if n > MAX_PARTNERS:", "    if n > 2 * MAX_PARTNERS:"),
    (K, "        if kind == \"suppliers\":\n            continue", "        if kind != \"plants\":\n            continue"),
    (K, "        if not math.isclose(total, 1.0, abs_tol=1e-9):", "        if total > 1.0 + 1e-9 and False:"),
]
run(MUTANTS, "tests/partnership")
