"""Running many independent tasks (replications, sweep points) on local processes."""

from nevsim.experiments.pool import default_workers, run_tasks

__all__ = ["default_workers", "run_tasks"]
