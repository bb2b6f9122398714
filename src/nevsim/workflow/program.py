"""The development program's workflow: simulate, report and record; compare two programs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nevsim.document import Scenario
from nevsim.program.compare import Comparison
from nevsim.program.model import Program
from nevsim.program.results import ProgramResult
from nevsim.program.simulation import simulate
from nevsim.scenario.reading import builtin_names
from nevsim.store import RunStore
from nevsim.workflow.common import Run, load, open_store, report_path

Progress = Callable[[int, int], None]


def run(
    scenario: str | Path | Scenario,
    *,
    samples: int = 10_000,
    seed: int = 0,
    latin_hypercube: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
    report_dir: Path | None = Path("out"),
    store: RunStore | str | None = None,
    record: bool = True,
) -> Run[ProgramResult]:
    """Simulate a program, write its HTML report into `report_dir` and record the run."""
    loaded = load(scenario, "program")
    runs = open_store(store, record)
    path = report_path(report_dir, "program", loaded.name) if report_dir else None
    result = simulate(loaded, samples=samples, seed=seed, latin_hypercube=latin_hypercube,
                      progress=progress, workers=workers)
    if path is not None:
        from nevsim.report.program import write_html

        write_html(result, path)
    run_id = None
    if runs is not None:
        parameters = {"samples": samples, "latin_hypercube": latin_hypercube,
                      "report": str(path) if path else None}
        run_id = runs.record("program", result.scenario, loaded.model_dump_json(), seed,
                             parameters, result.summary())
    return Run(loaded, result, path, run_id, runs.shown_url if runs else None)


def compare(
    baseline: str | Path | Scenario,
    variant: str | Path | Scenario,
    *,
    samples: int = 10_000,
    seed: int = 0,
    latin_hypercube: bool = False,
    workers: int | None = None,
    report_dir: Path | None = Path("out"),
    store: RunStore | str | None = None,
    record: bool = True,
) -> Run[Comparison]:
    """Simulate two programs side by side, and each step of the variant's changes.

    Every step uses the same seed, so the differences between steps are the changes' own.
    """
    from nevsim.program import compare as comparing

    first, second = load(baseline, "program"), load(variant, "program")
    assert first.program is not None and second.program is not None
    runs = open_store(store, record)
    name = f"{first.name}-vs-{second.name}"
    path = report_path(report_dir, "program-compare", name) if report_dir else None

    def run_one(program: Program, label: str) -> ProgramResult:
        scenario_name = {"A": first.name, "B": second.name}.get(label, label)
        result = simulate(program, samples=samples, seed=seed,
                          latin_hypercube=latin_hypercube, workers=workers)
        return result.renamed(scenario_name)

    done = comparing.compare(first.program, second.program, run_one, _source(variant))
    if path is not None:
        from nevsim.report.program import write_comparison_html

        write_comparison_html(done, path)
    run_id = None
    if runs is not None:
        run_id = runs.record("program-compare", name, second.model_dump_json(), seed,
                             {"baseline": first.name, "samples": samples,
                              "latin_hypercube": latin_hypercube,
                              "report": str(path) if path else None}, done.summary())
    return Run(second, done, path, run_id, runs.shown_url if runs else None)


def _source(ref: str | Path | Scenario) -> str:
    """How errors name a scenario: its file, or <built-in name>."""
    if isinstance(ref, Scenario):
        return ref.name
    return f"<built-in {ref}>" if str(ref) in builtin_names() else str(ref)
