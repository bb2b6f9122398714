"""Hostile files are refused with a located error, before they cost memory or time."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nevsim.cli.app import app

PLANT = "name: p\nfactory:\n  takt: 76s\n  stations:\n"
MEMORY = 50_000_000  # bytes a refused file may cost at most


def _refused(path: Path, expected: str) -> str:
    CliRunner().invoke(app, ["factory", "simulate", str(path)])  # imports out of the count
    tracemalloc.start()
    try:
        result = CliRunner().invoke(app, ["factory", "simulate", str(path), "--no-report"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.exit_code == 2, result.output
    assert str(path) in result.output and expected in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert peak < MEMORY, peak
    return result.output


def _bomb(levels: int = 9) -> str:
    """Anchors that expand tenfold each: 10^levels values from a few hundred bytes."""
    lines = ["x0: &x0 [1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s]"]
    lines += [f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 10)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("field", [
    "samples", "stations", "buffers", "feeders", "shops", "basis"])
def test_an_alias_bomb_in_any_list_field_is_refused(tmp_path: Path, field: str) -> None:
    path = tmp_path / "bomb.yaml"
    last = "*x8"
    body = {
        "samples": f"    - {{name: A, cycle: {{dist: empirical, samples: {last}}}}}\n",
        "stations": f"  stations: {last}\n",
        "buffers": f"    - {{name: A, cycle: 60s}}\n  buffers: {last}\n",
        "feeders": f"    - {{name: A, cycle: 60s}}\n  feeders: {last}\n",
        "shops": f"    - {{name: A, cycle: 60s}}\n  shops: {last}\n",
        "basis": f"    - {{name: A, cycle: 60s}}\nbasis: {last}\n",
    }[field]
    text = _bomb() + PLANT.replace("  stations:\n", "") + (
        "  stations:\n" if field != "stations" else "") + body
    path.write_text(text, encoding="utf-8")
    _refused(path, "expands to more than")


def test_python_tags_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "tag.yaml"
    path.write_text("name: !!python/object/apply:os.system ['echo owned']\n", encoding="utf-8")
    _refused(path, "not valid YAML")


@pytest.mark.parametrize(("encoding", "expected"), [("utf-16", "not UTF-8 text"),
                                                    ("latin-1", "not UTF-8 text")])
def test_files_in_other_encodings_are_refused(tmp_path: Path, encoding: str,
                                              expected: str) -> None:
    path = tmp_path / "enc.yaml"
    path.write_bytes((PLANT + "    - {name: Schweißen, cycle: 60s}\n").encode(encoding))
    _refused(path, expected)


def test_a_utf8_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes((PLANT + "    - {name: Schweißen, cycle: 60s}\n").encode("utf-8-sig"))
    result = CliRunner().invoke(app, ["factory", "simulate", str(path), "--horizon", "1h",
                                      "--replications", "2", "--no-report"])
    assert result.exit_code == 0, result.output


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(50_000_000)
    _refused(path, "a scenario file has at most")


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("name: " + "[" * 2000 + "]" * 2000 + "\n", encoding="utf-8")
    _refused(path, "nests more than")


@pytest.mark.parametrize("special", ["folder", "fifo", "/dev/null"])
def test_a_path_that_is_not_a_file_is_named_as_such(tmp_path: Path, special: str) -> None:
    import os

    if special == "folder":
        path = tmp_path
        expected = "this is a folder"
    elif special == "fifo":
        path = tmp_path / "pipe.yaml"
        os.mkfifo(path)
        expected = "not a regular file"
    else:
        path = Path(special)
        expected = "not a regular file"
    result = CliRunner().invoke(app, ["factory", "simulate", str(path)])
    assert result.exit_code == 2
    assert expected in result.output
