"""What ran, with which inputs, and what came out: the run store (SQLite by default)."""

from nevsim.store.runs import RunRecord, RunStore, default_url

__all__ = ["RunRecord", "RunStore", "default_url"]
