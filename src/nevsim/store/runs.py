"""The run store: one row per analysis run, in SQLite by default or any SQLAlchemy URL.

Every part records its runs here the same way: the part, the scenario and a hash of its
validated content, the seed and parameters, and the headline results. A run that fails on bad
input records nothing; each record is one transaction, so an interrupted write leaves the
store as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, create_engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import NullPool

from nevsim.scenario.errors import Problem, StoreError

ENV_URL = "NEVSIM_STORE"


def safe_url(url: str) -> str:
    """The URL as it may be printed: any password replaced by ***."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "<a URL that is not a SQLAlchemy URL>" if "@" in url else url


def _mask(text: str, url: str) -> str:
    """A driver's message with the URL's password taken out, wherever it appears."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        password = make_url(url).password
    except (ArgumentError, ValueError):
        return text
    return text.replace(str(password), "***") if password else text


def default_url() -> str:
    """$NEVSIM_STORE, or a SQLite file `.nevsim/runs.sqlite` in the working folder."""
    return os.environ.get(ENV_URL) or f"sqlite:///{Path('.nevsim') / 'runs.sqlite'}"


class _Base(DeclarativeBase):
    pass


class _Run(_Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    part: Mapped[str] = mapped_column(String(32))
    scenario: Mapped[str] = mapped_column(String(200))
    scenario_sha256: Mapped[str] = mapped_column(String(64))
    seed: Mapped[int] = mapped_column(Integer)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    nevsim_version: Mapped[str] = mapped_column(String(32))


@dataclass(frozen=True)
class RunRecord:
    """One recorded run."""

    id: int
    created_at: datetime
    part: str
    scenario: str
    scenario_sha256: str
    seed: int
    parameters: dict[str, Any]
    summary: dict[str, Any]
    nevsim_version: str


def content_hash(content: str) -> str:
    """SHA-256 of a scenario's validated content, to tell identical inputs apart from edits."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


class RunStore:
    """Record and read runs. `url` is any SQLAlchemy URL (sqlite:///file, postgresql+psycopg://)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        try:
            if self.url.startswith("sqlite:///") and self.url != "sqlite:///:memory:":
                Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True,
                                                                        exist_ok=True)
            # no pool: a run is recorded now and then, and a pooled connection left open at
            # exit is a leak the PostgreSQL driver warns about
            self._engine = create_engine(self.url, poolclass=NullPool)
            _Base.metadata.create_all(self._engine)
        except (SQLAlchemyError, OSError, ValueError) as exc:
            raise StoreError([Problem(ENV_URL, "cannot open the run store "
                                      f"{safe_url(self.url)}: {_mask(str(exc), self.url)}")]
                             ) from None

    @property
    def shown_url(self) -> str:
        """The store's URL as it may be printed (no password)."""
        return safe_url(self.url)

    @contextmanager
    def _failing(self, action: str) -> Iterator[None]:
        """Turn a database failure into a StoreError that names the store, not its password."""
        try:
            yield
        except SQLAlchemyError as exc:
            raise StoreError([Problem(ENV_URL, f"cannot {action} the run store "
                                      f"{self.shown_url}: {_mask(str(exc), self.url)}")]
                             ) from None

    def record(self, part: str, scenario: str, content: str, seed: int,
               parameters: dict[str, Any], summary: dict[str, Any]) -> int:
        """Store one run (one transaction) and return its id."""
        from nevsim import __version__

        row = _Run(created_at=datetime.now(UTC), part=part, scenario=scenario,
                   scenario_sha256=content_hash(content), seed=seed,
                   parameters=json.loads(json.dumps(parameters, default=str)),
                   summary=json.loads(json.dumps(summary, default=str)),
                   nevsim_version=__version__)
        with self._failing("record a run in"), Session(self._engine) as session, \
                session.begin():
            session.add(row)
            session.flush()
            return int(row.id)

    def runs(self, limit: int = 50) -> list[RunRecord]:
        """The most recent runs first."""
        with self._failing("read"), Session(self._engine) as session:
            rows = session.scalars(select(_Run).order_by(_Run.id.desc()).limit(limit)).all()
            return [_record(r) for r in rows]

    def get(self, run_id: int) -> RunRecord:
        """One run by id."""
        with self._failing("read"), Session(self._engine) as session:
            row = session.get(_Run, run_id)
            if row is None:
                raise StoreError([Problem("id", "no run with that id in the store", run_id)],
                                 self.shown_url)
            return _record(row)


def _record(row: _Run) -> RunRecord:
    return RunRecord(row.id, row.created_at, row.part, row.scenario, row.scenario_sha256,
                     row.seed, dict(row.parameters), dict(row.summary), row.nevsim_version)
