"""An independent SimPy model of a serial line with blocking after service.

It shares no code with the kernel. Buffers and servers are token containers: a job may leave
station k only after taking a token of station k+1 (buffer places + its server), and gives its
own token back as it leaves. Failures are operation-dependent: the clock to the next failure
runs only while the station works. All durations come from lists (the kernel's recorded draws).
"""

from __future__ import annotations

import simpy


def run_line(work: list[list[float]], buffers: list[int], ups: list[list[float]] | None,
             downs: list[list[float]] | None, jobs: int,
             busy: list[list[tuple[float, float]]] | None = None) -> list[float]:
    """Exit times of the first `jobs` jobs; work[k][v] is visit v's work at station k.

    `busy[k]`, if given, gets each visit's (start, end of work) at station k: the station is
    working or down in between, neither starved nor blocked.
    """
    env = simpy.Environment()
    K = len(work)
    tokens = [None] + [simpy.Container(env, capacity=buffers[k] + 1, init=buffers[k] + 1)
                       for k in range(1, K)]
    queues = [None] + [simpy.Store(env) for _ in range(1, K)]
    exits: list[float] = []

    def station(k: int):  # type: ignore[no-untyped-def]
        to_failure = ups[k][0] if ups else float("inf")
        failure = 1
        for v in range(jobs):
            if k > 0:
                yield queues[k].get()
            began = env.now
            remaining = work[k][v]
            while remaining > 0:
                if remaining <= to_failure:
                    yield env.timeout(remaining)
                    to_failure -= remaining
                    remaining = 0.0
                else:
                    yield env.timeout(to_failure)
                    remaining -= to_failure
                    assert downs is not None and ups is not None
                    yield env.timeout(downs[k][failure])
                    to_failure = ups[k][failure]
                    failure += 1
            if busy is not None:
                busy[k].append((began, env.now))
            if k < K - 1:
                yield tokens[k + 1].get(1)
                yield queues[k + 1].put(v)
            else:
                exits.append(env.now)
            if k > 0:
                yield tokens[k].put(1)

    for k in range(K):
        env.process(station(k))
    env.run()
    return exits
