"""`nevsim program ...`: a thin shell over `nevsim.workflow.program`."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from nevsim.cli.common import (
    emit_run,
    examples,
    group,
    handled,
    print_where,
    progress_bar,
    stderr,
    stdout,
)
from nevsim.cli.factory import Json, NoReport, Out, Seed

Workers = Annotated[int | None, typer.Option(
    min=1, help="Threads (default: the free cores); the numbers do not depend on them.")]

Samples = Annotated[int, typer.Option(min=1, max=10_000_000,
                                      help="Monte Carlo samples (of each program compared).")]
LatinHypercube = Annotated[bool, typer.Option(
    "--latin-hypercube", help="Stratify every input's draws (Latin hypercube).")]

app = group("Development program: SOP date and cost with their confidence, and what drives them.")


@app.command("simulate", epilog=examples(
    "nevsim program simulate sequential",
    "nevsim program simulate co-creation --samples 20000 --seed 7 --latin-hypercube --json "
    "--no-report"))
def simulate_command(
    scenario: Annotated[str, typer.Argument(help="A YAML file or a built-in scenario name.")],
    samples: Samples = 10_000,
    seed: Seed = 0,
    latin_hypercube: LatinHypercube = False,
    as_json: Json = False,
    out: Out = Path("out"),
    no_report: NoReport = False,
    workers: Workers = None,
) -> None:
    """Plan the program at its most likely durations, then sample how it may unfold."""
    from nevsim.report.program import print_summary
    from nevsim.workflow import program as workflow

    with handled(), progress_bar("sampling", enabled=not as_json) as progress:
        done = workflow.run(scenario, samples=samples, seed=seed,
                            latin_hypercube=latin_hypercube, progress=progress,
                            workers=workers, report_dir=None if no_report else out)
    if as_json:
        emit_run(done.result.to_dict(), done.report, done.run_id)
        return
    print_summary(done.result, stdout)
    print_where(done.report, done.run_id, done.store)


@app.command("compare", epilog=examples("nevsim program compare sequential co-creation",
                                        "nevsim program compare sequential co-creation "
                                        "--samples 5000 --json --no-report"))
def compare_command(
    baseline: Annotated[str, typer.Argument(help="Program A: a YAML file or a built-in name.")],
    variant: Annotated[str, typer.Argument(
        help="Program B, whose `changes:` lead from A to it.")],
    samples: Samples = 10_000,
    seed: Seed = 0,
    latin_hypercube: LatinHypercube = False,
    as_json: Json = False,
    out: Out = Path("out"),
    no_report: NoReport = False,
    workers: Workers = None,
) -> None:
    """Two programs side by side, and what each of B's changes gives, applied in order."""
    from nevsim.report.program import print_comparison
    from nevsim.workflow import program as workflow

    with handled(), (stderr.status("simulating every step", spinner="dots")
                     if not as_json else nullcontext()):
        done = workflow.compare(baseline, variant, samples=samples, seed=seed,
                                latin_hypercube=latin_hypercube, workers=workers,
                                report_dir=None if no_report else out)
    if as_json:
        emit_run(done.result.summary(), done.report, done.run_id)
        return
    print_comparison(done.result, stdout)
    print_where(done.report, done.run_id, done.store)


@app.command("import", epilog=examples("nevsim program import schedule.xml --out my-program.yaml"))
def import_command(
    schedule: Annotated[Path, typer.Argument(
        help="A Microsoft Project XML (MSPDI) or Primavera P6 XER file.")],
    out: Annotated[Path | None, typer.Option(
        help="The scenario file to write (default: print it).")] = None,
) -> None:
    """Turn a Microsoft Project XML or Primavera XER schedule into a program to annotate."""
    import yaml

    from nevsim.document import scenario_from_dict
    from nevsim.program.imports import read_schedule
    from nevsim.scenario.errors import Problem, UsageError

    with handled():
        if out is not None and out.exists():
            raise UsageError([Problem("--out", "the file already exists; nevsim does not "
                                      "overwrite it", str(out))])
        document = read_schedule(schedule)
        scenario_from_dict(document, str(schedule))  # what is written must load
        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
        if out is None:
            typer.echo(text, nl=False)
            return
        try:
            with out.open("x", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            raise UsageError([Problem("--out", f"cannot write the file: "
                                      f"{exc.strerror or exc}", str(out))]) from None
    stdout.print(f"Program written to [bold]{out}[/bold]: add uncertainty, costs and risks, "
                 f"then run nevsim program simulate {out}")
