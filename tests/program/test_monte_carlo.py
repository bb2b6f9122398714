"""The Monte Carlo against exact results; every tolerance is a multiple of the sampling error."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from nevsim.program import simulate
from nevsim.program.calendar import WorkCalendar
from nevsim.program.montecarlo import compile_program, sample_chunk
from tests.program.builders import chain, program

N = 20_000
Z = 4.0  # standard errors allowed: a correct engine fails about once in 16,000 runs


def _close(value: float, exact: float, sd: float, n: int = N) -> None:
    """Value is within Z standard errors of the exact mean of a quantity with this sd."""
    assert abs(value - exact) <= Z * sd / math.sqrt(n), (value, exact, Z * sd / math.sqrt(n))


def test_chain_of_independent_normals_has_the_sum_of_means_and_variances() -> None:
    laws = [(100, 10), (50, 5), (80, 8)]
    s = program([{"name": f"T{i}", "duration": {"dist": "normal", "mean": m, "sd": sd}}
                 for i, (m, sd) in enumerate(laws)], chain("T0", "T1", "T2", "SOP"))
    sop = simulate(s, samples=N, seed=3).sop_days
    variance = sum(sd**2 for _, sd in laws)
    _close(sop.mean(), 230, math.sqrt(variance))
    # the sample variance of normal data has sd variance * sqrt(2 / (n - 1))
    assert abs(sop.var(ddof=1) - variance) <= Z * variance * math.sqrt(2 / (N - 1))


def test_two_parallel_exponentials_merge_into_the_expected_maximum() -> None:
    """E[max] = 1/a + 1/b - 1/(a + b); E[max^2] = 2/a^2 + 2/b^2 - 2/(a + b)^2."""
    a, b = 1 / 10, 1 / 20
    s = program([{"name": "A", "duration": {"dist": "exponential", "mean": 10}},
                 {"name": "B", "duration": {"dist": "exponential", "mean": 20}}],
                [*chain("A", "SOP"), *chain("B", "SOP")])
    sop = simulate(s, samples=N, seed=4).sop_days
    mean = 1 / a + 1 / b - 1 / (a + b)
    second = 2 / a**2 + 2 / b**2 - 2 / (a + b) ** 2
    _close(sop.mean(), mean, math.sqrt(second - mean**2))


@pytest.mark.parametrize("p", [0.3, 0.6])
def test_a_geometric_loop_makes_one_over_one_minus_p_passes(p: float) -> None:
    """A 10-day body repeated with probability p: 10 / (1 - p) days, var 100 p / (1 - p)^2."""
    s = program([{"name": "Test", "duration": 10}], chain("Test", "SOP"),
                loops=[{"name": "L", "tasks": ["Test"], "repeat_probability": p}])
    result = simulate(s, samples=N, seed=5)
    _close(result.sop_days.mean(), 10 / (1 - p), math.sqrt(100 * p / (1 - p) ** 2))
    _close(result.loops["mean_passes"].iloc[0], 1 / (1 - p), math.sqrt(p) / (1 - p))


def test_a_loop_body_repeats_its_longest_path_and_its_cost() -> None:
    """A pass redoes the body's longest path and pays its costs again.

    Body Build(4) -> Test(6), a side task Spec(3) in parallel; at most 2 passes, p = 0.5.
    One pass lasts 10 (the body's longest path); E[SOP] = 10 + 0.5 x 10 = 15. Each pass costs
    4 x 1 + 6 x 2 + 3 x 0 = 16 plus fixed 1: E[cost] = 17 x 1.5 = 25.5.
    """
    s = program([{"name": "Build", "duration": 4, "cost": {"per_day": 1, "fixed": 1}},
                 {"name": "Test", "duration": 6, "cost": {"per_day": 2}},
                 {"name": "Spec", "duration": 3}],
                [*chain("Build", "Test", "SOP"), *chain("Spec", "SOP")],
                loops=[{"name": "L", "tasks": ["Build", "Spec", "Test"],
                        "repeat_probability": 0.5, "max_passes": 2}])
    result = simulate(s, samples=N, seed=6)
    _close(result.sop_days.mean(), 15, 5)
    _close(result.cost.mean(), 25.5, 8.5)
    assert result.sop_days.max() == 20 and result.loops["max_passes"].iloc[0] == 2


def test_a_risk_shifts_the_mean_by_its_probability_times_its_impact() -> None:
    """A risk's mean delay is q x impact.

    100 days; risk q = 0.3 adds 20 days: mean 106, sd 20 sqrt(q(1-q)). A factor 1.5
    risk with q = 0.2 on another 100-day task in series adds 0.2 x 50 = 10 more.
    """
    s = program([{"name": "A", "duration": 100}, {"name": "B", "duration": 100}],
                chain("A", "B", "SOP"),
                risks=[{"name": "late", "probability": 0.3, "impacts": [{"task": "A", "add": 20}],
                        "cost": 1000},
                       {"name": "slow", "probability": 0.2,
                        "impacts": [{"task": "B", "factor": 1.5}]}])
    result = simulate(s, samples=N, seed=7)
    sd = math.sqrt(20**2 * 0.21 + 50**2 * 0.16)
    _close(result.sop_days.mean(), 200 + 6 + 10, sd)
    _close(result.cost.mean(), 300, 1000 * math.sqrt(0.21))
    _close(result.risks["occurred"].iloc[0], 0.3, math.sqrt(0.21))


def test_a_mitigation_costs_money_and_lowers_chance_and_impact() -> None:
    """Mitigated: q 0.3 -> 0.1 and half the impact: factor 1.5 -> 1.25, then 20 -> 10 days.

    Mean 100 x (1 + 0.1 x 0.25) + 0.1 x 10 = 103.5; sd 35 sqrt(0.09) (one event, 35 days).
    """
    s = program([{"name": "A", "duration": 100}], chain("A", "SOP"),
                risks=[{"name": "late", "probability": 0.3,
                        "impacts": [{"task": "A", "factor": 1.5}, {"task": "A", "add": 20}],
                        "mitigation": {"cost": 500, "probability": 0.1, "impact_scale": 0.5},
                        "mitigated": True}])
    result = simulate(s, samples=N, seed=8)
    _close(result.sop_days.mean(), 103.5, 35 * math.sqrt(0.09))
    assert result.cost.min() == result.cost.max() == 500
    assert result.plan_cost == 500


def test_cost_is_fixed_plus_rate_times_duration_plus_overhead() -> None:
    """Cost = 5 + d (r + 2) with d ~ U(10, 20) and r ~ Tri(1, 2, 6) independent.

    Mean 5 + 15 x 5; variance E[d^2] E[(r+2)^2] - (15 x 5)^2.
    """
    s = program([{"name": "A", "duration": {"dist": "uniform", "min": 10, "max": 20},
                  "cost": {"fixed": 5, "per_day": {"dist": "triangular", "min": 1, "mode": 2,
                                                   "max": 6}}}],
                chain("A", "SOP"), overhead_per_day=2)
    result = simulate(s, samples=N, seed=9)
    var_r = (1 + 4 + 36 - 2 - 6 - 12) / 18
    second_d = 15**2 + 100 / 12
    variance = second_d * (var_r + 25) - 75**2
    _close(result.cost.mean(), 80, math.sqrt(variance))


def test_merge_bias_of_two_parallel_uniforms() -> None:
    """Two U(0, 200) in parallel: the plan says 100, the median of the max is 200 / sqrt(2).

    Quantile sd: sqrt(p(1-p)) / density, the density of the max being 2x / 200^2.
    """
    s = program([{"name": n, "duration": {"dist": "uniform", "min": 0, "max": 200}}
                 for n in "AB"], [*chain("A", "SOP"), *chain("B", "SOP")])
    result = simulate(s, samples=N, seed=10)
    median = 200 / math.sqrt(2)
    _close(float(np.median(result.sop_days)), median, 0.5 / (2 * median / 200**2))
    assert result.schedule.set_index("task").loc["SOP", "finish"] == 100


def test_criticality_index_is_the_chance_a_branch_is_the_longer() -> None:
    """U(0, 200) beside a fixed 120: the uniform is critical with P(U > 120) = 0.4."""
    s = program([{"name": "U", "duration": {"dist": "uniform", "min": 0, "max": 200}},
                 {"name": "F", "duration": 120}], [*chain("U", "SOP"), *chain("F", "SOP")])
    table = simulate(s, samples=N, seed=11).schedule.set_index("task")
    _close(table.loc["U", "criticality"], 0.4, math.sqrt(0.24))
    _close(table.loc["F", "criticality"], 0.6, math.sqrt(0.24))
    assert table.loc["SOP", "criticality"] == 1


@pytest.mark.parametrize("rank", [0.6, -0.4])
def test_requested_rank_correlation_is_reproduced(rank: float) -> None:
    """Spearman's rho of the sampled durations, compared on Fisher's z scale.

    The z scale's sd for Spearman's rho is about sqrt((1 + rho^2 / 2) / (n - 3)) (Bonett
    and Wright 2000).
    """
    s = program([{"name": "A", "duration": {"dist": "triangular", "min": 1, "mode": 2, "max": 9}},
                 {"name": "B", "duration": {"dist": "lognormal", "mean": 10, "sd": 4}},
                 {"name": "C", "duration": {"dist": "uniform", "min": 0, "max": 1}}],
                [*chain("A", "SOP"), *chain("B", "SOP"), *chain("C", "SOP")],
                correlations=[{"tasks": ["A", "B"], "rank": rank}])
    c = compile_program(s.program)
    n = 40_000  # enough to tell rank 0.6 from the normal-score correlation 0.618 it needs
    chunk = sample_chunk(c, n, np.random.SeedSequence(12), lhs=False)
    at = {name: k for k, name in enumerate(c.net.names)}
    rho = stats.spearmanr(chunk.durations[at["A"]], chunk.durations[at["B"]]).statistic
    sd = math.sqrt((1 + rank**2 / 2) / (n - 3))
    assert abs(math.atanh(rho) - math.atanh(rank)) <= Z * sd
    free = stats.spearmanr(chunk.durations[at["A"]], chunk.durations[at["C"]]).statistic
    assert abs(math.atanh(free)) <= Z * math.sqrt(1 / (n - 3))


def test_correlation_keeps_each_tasks_own_draws() -> None:
    """Reordering changes pairings only: each task's marginal mean is its law's."""
    s = program([{"name": "A", "duration": {"dist": "triangular", "min": 1, "mode": 2, "max": 9}},
                 {"name": "B", "duration": {"dist": "triangular", "min": 1, "mode": 2, "max": 9}}],
                [*chain("A", "SOP"), *chain("B", "SOP")],
                correlations=[{"tasks": ["A", "B"], "rank": 0.9}])
    table = simulate(s, samples=N, seed=13).schedule.set_index("task")
    sd = math.sqrt((1 + 4 + 81 - 2 - 9 - 18) / 18)
    _close(table.loc["A", "mean_duration"], 4, sd)
    _close(table.loc["B", "mean_duration"], 4, sd)


def test_latin_hypercube_puts_one_draw_in_each_stratum() -> None:
    s = program([{"name": "A", "duration": {"dist": "uniform", "min": 0, "max": 1000}}],
                chain("A", "SOP"))
    c = compile_program(s.program)
    n = 1000
    chunk = sample_chunk(c, n, np.random.SeedSequence(14), lhs=True)
    strata = np.floor(np.sort(chunk.durations[0].astype(np.float64))).astype(int)
    assert list(strata) == list(range(n))


def test_the_same_seed_gives_the_same_numbers_and_chunks_do_not_depend_on_the_total() -> None:
    s = program([{"name": "A", "duration": {"dist": "pert", "min": 1, "mode": 4, "max": 9}}],
                chain("A", "SOP"))
    one = simulate(s, samples=15_000, seed=21)
    two = simulate(s, samples=15_000, seed=21)
    other = simulate(s, samples=15_000, seed=22)
    short = simulate(s, samples=10_000, seed=21)
    assert np.array_equal(one.sop_days, two.sop_days) and np.array_equal(one.cost, two.cost)
    assert not np.array_equal(one.sop_days, other.sop_days)
    assert np.array_equal(one.sop_days[:10_000], short.sop_days)


def test_joint_confidence_of_date_and_budget() -> None:
    """Joint confidence is the share meeting both, not the product of the two.

    Cost = duration (1 a day) ~ U(0, 100). Budget 30 and the date of day 50: both hold
    exactly when the duration is at most 30, so joint = in budget = 0.3, on time = 0.5.
    """
    s = program([{"name": "A", "duration": {"dist": "uniform", "min": 0, "max": 100},
                  "cost": {"per_day": 1}}], chain("A", "SOP"))
    result = simulate(s, samples=N, seed=15)
    date = WorkCalendar(s.program.calendar, s.program.start).finish_date(50.0)
    share = result.confidence(sop=date.item(), budget=30)
    _close(share["on_time"], 0.5, 0.5)
    _close(share["in_budget"], 0.3, math.sqrt(0.21))
    assert share["joint"] == share["in_budget"]


SEVEN = [10.5, 20.5, 30.5, 40.5, 50.5, 60.5, 70.5]


@pytest.mark.parametrize(("samples", "lhs"), [(N, False), (7, True)])
def test_task_finish_percentiles_by_hand(samples: int, lhs: bool) -> None:
    """Percentiles are inverted distribution functions, dates whole working days.

    Seven equally likely durations: P50 is the 4th (4/7 >= 0.5 > 3/7), P80 the 6th
    (6/7 >= 0.8 > 5/7). Seven Latin hypercube samples draw each value exactly once. The
    dates are those of working days 41 and 61 (a part-day of work uses the whole day).
    """
    s = program([{"name": "A", "duration": {"dist": "empirical", "samples": SEVEN}}],
                chain("A", "SOP"))
    result = simulate(s, samples=samples, seed=16, latin_hypercube=lhs)
    if lhs:
        assert sorted(result.sop_days) == SEVEN
    cal = WorkCalendar(s.program.calendar, s.program.start)
    row = result.schedule.set_index("task").loc["A"]
    assert row["p50_finish_date"] == cal.finish_date(40.5).item() == cal.day(40).item()
    assert row["p80_finish_date"] == cal.finish_date(60.5).item()
    levels = {level.level: level for level in result.levels()}
    assert levels["P50"].sop == cal.finish_date(40.5).item()
    assert levels["P80"].sop == cal.finish_date(60.5).item()


def test_latin_hypercube_follows_the_triangular_law() -> None:
    """Stratified draws through the inverse: the share at or below x is F(x) within 1/n."""
    law = {"dist": "triangular", "min": 0, "mode": 10, "max": 100}
    s = program([{"name": "A", "duration": law}], chain("A", "SOP"))
    n = 5000
    sop = np.sort(simulate(s, samples=n, seed=17, latin_hypercube=True).sop_days)
    x = np.array([5.0, 10.0, 30.0, 60.0, 90.0])
    exact = np.where(x <= 10, x**2 / (100 * 10), 1 - (100 - x) ** 2 / (100 * 90))
    assert np.all(np.abs(np.searchsorted(sop, x, side="right") / n - exact) <= 1 / n)


def test_lognormal_durations_have_the_mean_and_sd_given() -> None:
    s = program([{"name": "A", "duration": {"dist": "lognormal", "mean": 50, "sd": 20}}],
                chain("A", "SOP"))
    sop = simulate(s, samples=N, seed=18).sop_days
    _close(sop.mean(), 50, 20)
    # the sample sd's own sd is sd x sqrt((kurtosis - 1) / 4n); a lognormal's kurtosis is
    # w^4 + 2w^3 + 3w^2 - 3 with w = 1 + (sd / mean)^2
    w = 1 + (20 / 50) ** 2
    kurtosis = w**4 + 2 * w**3 + 3 * w**2 - 3
    assert abs(sop.std() - 20) <= Z * 20 * math.sqrt((kurtosis - 1) / (4 * N))


def test_cruciality_is_the_correlation_with_sop() -> None:
    """Cruciality is Pearson's correlation of a task's duration with SOP.

    SOP = A + B in series, A ~ N(100, 10), B ~ N(100, 30): corr(A, SOP) = 10 / sqrt(1000),
    corr(B, SOP) = 30 / sqrt(1000); sd of Pearson's r about (1 - r^2) / sqrt(n).
    """
    s = program([{"name": "A", "duration": {"dist": "normal", "mean": 100, "sd": 10}},
                 {"name": "B", "duration": {"dist": "normal", "mean": 100, "sd": 30}}],
                chain("A", "B", "SOP"))
    table = simulate(s, samples=N, seed=19).schedule.set_index("task")
    for task, r in (("A", 10 / math.sqrt(1000)), ("B", 30 / math.sqrt(1000))):
        _close(table.loc[task, "cruciality"], r, 1 - r**2)
    assert table.loc["SOP", "cruciality"] == 0


def test_a_branch_takes_each_path_with_its_probability() -> None:
    """Only the chosen path's tasks are done.

    Route A (10 days, fixed cost 100) with p = 0.3 or route B (20 days, 5 a day) with
    p = 0.7, both into SOP: E[SOP] = 0.3 x 10 + 0.7 x 20 = 17, E[cost] = 0.3 x 100 + 0.7 x 100
    = 100; the plan takes the likelier route B: SOP 20, cost 100.
    """
    s = program([{"name": "A", "duration": 10, "cost": {"fixed": 100}},
                 {"name": "B", "duration": 20, "cost": {"per_day": 5}}],
                [*chain("A", "SOP"), *chain("B", "SOP")],
                branches=[{"name": "route", "options": [
                    {"probability": 0.3, "does": ["A"]}, {"probability": 0.7, "does": ["B"]}]}])
    result = simulate(s, samples=N, seed=20)
    _close(result.sop_days.mean(), 17, 10 * math.sqrt(0.21))
    assert set(result.sop_days) == {10.0, 20.0} and set(result.cost) == {100.0}
    table = result.schedule.set_index("task")
    assert table.loc["SOP", "finish"] == 20 and result.plan_cost == 100


def test_a_sop_that_never_moves_has_no_crucial_task() -> None:
    """A random task off the path to SOP: SOP is fixed, so every cruciality is 0, not NaN."""
    s = program([{"name": "A", "duration": 10},
                 {"name": "B", "duration": {"dist": "uniform", "min": 1, "max": 5}}],
                [*chain("A", "SOP"), *chain("B", "SOP")])
    table = simulate(s, samples=500, seed=21).schedule.set_index("task")
    assert (table["cruciality"] == 0).all()
