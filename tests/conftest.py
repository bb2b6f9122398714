"""Every test writes runs to its own store, never to the working folder's."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_run_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEVSIM_STORE", f"sqlite:///{tmp_path / 'runs.sqlite'}")
