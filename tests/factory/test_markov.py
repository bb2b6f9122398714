"""Exponential lines with finite buffers against the exact continuous-time Markov chain."""

from __future__ import annotations

from collections import deque

import numpy as np
import pytest
from scipy import linalg

from nevsim.factory import simulate
from tests.helpers import plant

IDLE, WORKING, BLOCKED = 0, 1, 2


def exact_throughput(means: list[float], buffers: list[int]) -> float:
    """Jobs per second of a BAS line with an unlimited source, from its CTMC.

    State: (status of each station, content of the buffer in front of stations 1..K-1).
    """
    K = len(means)
    rates = [1.0 / m for m in means]

    def after_departure(s: list[int], q: list[int], k: int) -> None:
        # station k's server has emptied: take the next job from its buffer or a blocked upstream
        if k == 0:
            s[0] = WORKING
        elif q[k] > 0:
            q[k] -= 1
            s[k] = WORKING
            if s[k - 1] == BLOCKED:
                q[k] += 1
                after_departure(s, q, k - 1)
        elif s[k - 1] == BLOCKED:
            s[k] = WORKING
            after_departure(s, q, k - 1)
        else:
            s[k] = IDLE

    def complete(state: tuple[int, ...], k: int) -> tuple[int, ...]:
        s, q = list(state[:K]), [0, *state[K:]]
        if k == K - 1:
            after_departure(s, q, k)
        elif s[k + 1] == IDLE:
            s[k + 1] = WORKING
            after_departure(s, q, k)
        elif q[k + 1] < buffers[k + 1]:
            q[k + 1] += 1
            after_departure(s, q, k)
        else:
            s[k] = BLOCKED
        return (*s, *q[1:])

    start = (WORKING, *([IDLE] * (K - 1)), *([0] * (K - 1)))
    index = {start: 0}
    edges: list[tuple[int, int, float]] = []
    todo = deque([start])
    while todo:
        state = todo.popleft()
        for k in range(K):
            if state[k] == WORKING:
                nxt = complete(state, k)
                if nxt not in index:
                    index[nxt] = len(index)
                    todo.append(nxt)
                edges.append((index[state], index[nxt], rates[k]))
    n = len(index)
    Q = np.zeros((n, n))
    for i, j, r in edges:
        Q[i, j] += r
        Q[i, i] -= r
    # solve pi Q = 0 with sum(pi) = 1
    A = np.vstack([Q.T, np.ones(n)])
    b = np.zeros(n + 1)
    b[-1] = 1.0
    pi = linalg.lstsq(A, b)[0]
    return float(sum(pi[i] * rates[-1] for st, i in index.items() if st[K - 1] == WORKING))


def test_markov_chain_of_a_single_station_is_its_rate() -> None:
    assert exact_throughput([60.0], [0]) == pytest.approx(1 / 60.0)


def test_markov_chain_matches_the_two_station_closed_form() -> None:
    # two exponential stations, equal rate mu, no buffer: throughput = 2/3 mu
    assert exact_throughput([60.0, 60.0], [0, 0]) == pytest.approx(2 / 3 / 60.0)


@pytest.mark.parametrize(
    ("means", "buffers"),
    [([60.0, 70.0], [0, 2]), ([60.0, 60.0, 60.0], [0, 1, 3]), ([50.0, 70.0, 55.0], [0, 0, 2])],
)
def test_exponential_line_throughput_within_ci_of_exact(means: list[float],
                                                        buffers: list[int]) -> None:
    exact_jph = exact_throughput(means, buffers) * 3600.0
    stations = [{"name": f"S{i}", "cycle": {"dist": "exponential", "mean": m}}
                for i, m in enumerate(means)]
    caps = {(f"S{i - 1}", f"S{i}"): b for i, b in enumerate(buffers) if i > 0}
    result = simulate(plant(stations, caps), seed=7, replications=20, horizon=20 * 86400.0,
                      warmup=86400.0)
    assert result.jph.contains(exact_jph), (result.jph, exact_jph)
    assert result.jph.half_width < 0.01 * exact_jph  # and the interval is tight
