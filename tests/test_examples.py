"""Every command shown in the README and in `--help` runs as written, and succeeds."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nevsim.cli.app import app
from tests.program.test_mspdi import SCHEDULE

README = Path(__file__).resolve().parents[1] / "README.md"
runner = CliRunner()


def _readme_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    lines = [line for block in re.findall(r"```sh\n(.*?)```", text, re.S)
             for line in block.splitlines()]
    lines += re.findall(r"^\$ (nevsim .*)$", text, re.M)
    return [line.strip() for line in lines if line.strip().startswith("nevsim ")]


def _help_commands() -> list[str]:
    found = []
    for group in ([], ["factory"], ["network"], ["program"], ["partnership"], ["experiment"],
                  ["runs"], ["scenarios"]):
        listing = runner.invoke(app, [*group, "--help"]).output
        commands = re.findall(r"^  ([a-z]+)\s", listing.split("Commands:")[-1], re.M)
        for command in commands:
            text = runner.invoke(app, [*group, command, "--help"]).output
            found += re.findall(r"^\s+(nevsim .+)$", text, re.M)
    return found


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh folder with its own store and the files the examples read.

    The README's own plant as my-plant.yaml, a Microsoft Project schedule as schedule.xml,
    the README's experiment spec as buffers.yaml.
    """
    plant = next(b for b in re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"),
                                       re.S) if "factory:" in b)
    (tmp_path / "my-plant.yaml").write_text(plant, encoding="utf-8")
    (tmp_path / "schedule.xml").write_text(SCHEDULE, encoding="utf-8")
    spec = next(b for b in re.findall(r"```text\n(.*?)```", README.read_text(encoding="utf-8"),
                                      re.S) if b.startswith("name: painted-body-store"))
    (tmp_path / "buffers.yaml").write_text(spec, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEVSIM_STORE", f"sqlite:///{tmp_path / 'runs.sqlite'}")
    return tmp_path


def _run(line: str) -> None:
    args = shlex.split(line, comments=True)
    assert args[0] == "nevsim"
    result = runner.invoke(app, args[1:])
    assert result.exit_code == 0, f"{line}\n{result.output}"


def test_readme_commands_run_as_written(workdir: Path) -> None:
    commands = _readme_commands()
    assert any("sweep" in c for c in commands) and any("runs show 1" in c for c in commands)
    for line in commands:  # in order: `runs show 1` reads what the commands before recorded
        _run(line)
    assert (workdir / "out" / "factory-my-plant.html").exists() or \
        (workdir / "out" / "factory-three-stations.html").exists()


def test_help_examples_run_as_written(workdir: Path) -> None:
    commands = _help_commands()
    assert len(commands) >= 5
    for line in commands:
        _run(line)
