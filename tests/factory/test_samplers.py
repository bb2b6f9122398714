"""The kernel's random draws follow the distributions the user wrote, checked with scipy.stats.

Each distribution is drawn 20,000 times by the kernel itself (the work times of a one-station
line, recorded by its trace) and compared with the distribution scipy.stats builds from the
same user-facing parameters (mean and sd, min/mode/max, shape and scale): a Kolmogorov-Smirnov
test of the shape and a z-test of the mean, each at a false-alarm rate of 1e-4 for a random
seed (the seeds are fixed, so the tests are deterministic). The reference parameters are
derived here from the textbook formulas, not taken from nevsim.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy import stats

from nevsim.factory.compile import compile_plant
from nevsim.factory.engine import run_replication
from tests.helpers import plant

DRAWS = 20_000
ALPHA = 1e-4
Z = stats.norm.ppf(1 - ALPHA / 2)


def _draws(cycle: Any, seed: int = 11) -> np.ndarray:
    scenario = plant([{"name": "S", "cycle": cycle}])
    assert scenario.factory is not None
    line = compile_plant(scenario.factory)
    mean = scenario.factory.stations[0].cycle.mean()
    raw = run_replication(line, seed, horizon=mean * DRAWS * 1.5, warmup=0.0,
                          trace_visits=DRAWS)
    work = raw.trace.work[0]
    assert (work >= 0).all()  # every slot written: the horizon covers DRAWS visits
    return work


def _lognormal(mean: float, sd: float) -> Any:
    sigma2 = math.log(1 + (sd / mean) ** 2)  # E = exp(mu + s2/2), Var = (e^s2 - 1) E^2
    return stats.lognorm(s=math.sqrt(sigma2), scale=math.exp(math.log(mean) - sigma2 / 2))


CASES = {
    "exponential": ({"dist": "exponential", "mean": "60s"}, stats.expon(scale=60)),
    "normal": ({"dist": "normal", "mean": "60s", "sd": "6s"}, stats.norm(60, 6)),
    "lognormal": ({"dist": "lognormal", "mean": "55s", "sd": "20s"}, _lognormal(55, 20)),
    "triangular": ({"dist": "triangular", "min": "40s", "mode": "50s", "max": "70s"},
                   stats.triang(c=(50 - 40) / (70 - 40), loc=40, scale=30)),
    "uniform": ({"dist": "uniform", "min": "45s", "max": "65s"}, stats.uniform(45, 20)),
    "weibull": ({"dist": "weibull", "shape": 2.0, "scale": "60s"},
                stats.weibull_min(c=2.0, scale=60)),
    "weibull, early failures": ({"dist": "weibull", "shape": 0.7, "scale": "1h"},
                                stats.weibull_min(c=0.7, scale=3600)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_draws_follow_the_distribution(name: str) -> None:
    cycle, reference = CASES[name]
    x = _draws(cycle)
    assert stats.kstest(x, reference.cdf).pvalue > ALPHA
    half = Z * reference.std() / math.sqrt(len(x))
    assert abs(x.mean() - reference.mean()) < half, (x.mean(), reference.mean())


@pytest.mark.parametrize("name", list(CASES))
def test_the_schema_mean_is_the_distributions_mean(name: str) -> None:
    # the mean nevsim uses for ideal cycle times and capacity checks
    cycle, reference = CASES[name]
    scenario = plant([{"name": "S", "cycle": cycle}])
    assert scenario.factory is not None
    assert scenario.factory.stations[0].cycle.mean() == pytest.approx(reference.mean(),
                                                                       rel=1e-12)


def test_empirical_draws_take_each_sample_equally_often() -> None:
    samples = [50, 61, 66, 70]
    x = _draws({"dist": "empirical", "samples": [f"{s}s" for s in samples]})
    counts = np.array([(x == s).sum() for s in samples])
    assert counts.sum() == DRAWS  # nothing but the samples
    assert stats.chisquare(counts).pvalue > ALPHA


def test_a_fixed_duration_is_drawn_exactly() -> None:
    assert (_draws("76s") == 76.0).all()


def test_a_normal_duration_is_cut_at_zero() -> None:
    # mean 10 s, sd 10 s: 15.9% of the normal lies below 0 and becomes 0
    x = _draws({"dist": "normal", "mean": "10s", "sd": "10s"})
    share = (x == 0).mean()
    p = stats.norm.cdf(0, 10, 10)
    assert abs(share - p) < Z * math.sqrt(p * (1 - p) / len(x))
    positive = x[x > 0]
    assert stats.kstest(positive, stats.truncnorm(-1, np.inf, loc=10, scale=10).cdf).pvalue \
        > ALPHA
