"""The same experiment gives the same numbers on the local pool and on a Dask cluster.

A real scheduler and two worker processes run on loopback, started and stopped here; one
test kills a worker in the middle of an experiment, which must still complete, identically.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from nevsim.experiments.design import Experiment
from nevsim.experiments.executors import DaskCluster, LocalPool, executor
from nevsim.experiments.experiment import run
from nevsim.scenario.errors import UsageError

DASK = shutil.which("dask", path=str(Path(sys.executable).parent)) or shutil.which("dask")
SPEC = Experiment.model_validate({
    "name": "buffers", "scenario": "yizhuang", "replications": 4, "horizon": "12h", "seed": 3,
    "factors": [{"path": "factory.buffers[name=painted-body store].capacity",
                 "levels": [10, 60, 200]}]})


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A scheduler and two single-threaded workers on 127.0.0.1, no nanny (a kill is a loss)."""
    if DASK is None:
        pytest.skip("the dask command is not installed")
    folder = tmp_path_factory.mktemp("dask")
    file = folder / "scheduler.json"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    scheduler = subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0",
                                  "--no-dashboard", "--scheduler-file", str(file)],
                                 env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
    workers = []
    try:
        for _ in range(200):
            if file.exists() and file.stat().st_size > 0:
                break
            time.sleep(0.1)
        import json

        address = json.loads(file.read_text())["address"]
        for i in range(2):
            workers.append(subprocess.Popen(
                [DASK, "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                 "--host", "127.0.0.1", "--name", f"w{i}", "--local-directory",
                 str(folder / f"w{i}")], env=env, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True))
        yield {"address": address, "workers": workers}
    finally:
        for process in [*workers, scheduler]:
            _signal(process, signal.SIGTERM)
        for process in [*workers, scheduler]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _signal(process, signal.SIGKILL)
                process.wait(timeout=20)


def _signal(process: subprocess.Popen[bytes], sig: int) -> None:
    """Signal a process's group, if it is still there."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def _wait_for_workers(runner: DaskCluster, count: int) -> None:
    runner.client.wait_for_workers(count, timeout=120)


def test_local_pool_and_cluster_give_the_same_runs(cluster: dict[str, Any]) -> None:
    local = run(SPEC, LocalPool(1)).runs
    pooled = run(SPEC, LocalPool(2)).runs
    runner = DaskCluster(cluster["address"])
    try:
        _wait_for_workers(runner, 2)
        remote = run(SPEC, runner)
        assert remote.executor.startswith("Dask cluster") and remote.workers == 2
    finally:
        runner.close()
    pd.testing.assert_frame_equal(local, pooled)
    pd.testing.assert_frame_equal(local, remote.runs)


def test_an_experiment_survives_a_worker_killed_midway(cluster: dict[str, Any]) -> None:
    expected = run(SPEC, LocalPool(1)).runs
    runner = DaskCluster(cluster["address"])
    killed: list[int] = []

    def kill_one(done: int, total: int) -> None:
        if done >= 2 and not killed:
            victim = next(w for w in cluster["workers"] if w.poll() is None)
            _signal(victim, signal.SIGKILL)
            killed.append(victim.pid)

    try:
        _wait_for_workers(runner, 1)
        result = run(SPEC, runner, progress=kill_one)
    finally:
        runner.close()
    assert killed, "no worker was killed: the experiment finished too soon"
    pd.testing.assert_frame_equal(expected, result.runs)


def test_an_unreachable_scheduler_is_a_located_error() -> None:
    with pytest.raises(UsageError) as caught:
        executor("tcp://user:secret@127.0.0.1:9")
    text = str(caught.value)
    assert "--cluster" in text and "secret" not in text and "***@127.0.0.1:9" in text


def test_partnership_coalitions_and_a_network_sweep_run_on_the_cluster(
        cluster: dict[str, Any], tmp_path: Path) -> None:
    """The coalitions' values and a sweep's rows are the same on the cluster as here."""
    import yaml

    from nevsim.document import scenario_from_dict
    from nevsim.partnership import values
    from nevsim.partnership.solution import solve
    from nevsim.workflow.network import sweep
    from tests.network.builders import base
    from tests.partnership.test_values import TINY

    scenario = scenario_from_dict(TINY, "tiny")
    values._PLANS.clear()
    here = [c.value for c in solve(scenario, workers=1).coalitions]
    values._PLANS.clear()
    runner = DaskCluster(cluster["address"])
    try:
        _wait_for_workers(runner, 1)
        there = [c.value for c in solve(scenario, runner=runner).coalitions]
    finally:
        runner.close()
    assert here == pytest.approx(there)
    path = tmp_path / "net.yaml"
    path.write_text(yaml.safe_dump({"name": "net", "network": base()}))
    rate = "network.duties[name=de-car].rate"
    local = sweep(path, rate, [0.0, 0.5], report_dir=None, record=False).table
    remote = sweep(path, rate, [0.0, 0.5], report_dir=None, record=False,
                   cluster=cluster["address"]).table
    pd.testing.assert_frame_equal(local, remote)
    assert list(local.profit) == pytest.approx([4400, 2400])


def test_factory_replications_run_on_the_cluster(cluster: dict[str, Any]) -> None:
    """`nevsim factory simulate --cluster` gives the replications the local pool gives."""
    from nevsim.workflow.factory import run as simulate_run

    here = simulate_run("yizhuang", seed=4, replications=4, horizon=43200.0, workers=1,
                        report_dir=None, record=False).result
    there = simulate_run("yizhuang", seed=4, replications=4, horizon=43200.0,
                         report_dir=None, record=False, cluster=cluster["address"]).result
    pd.testing.assert_frame_equal(here.replications, there.replications)
    assert there.jph.mean == here.jph.mean
