"""Running many independent tasks (replications, sweep points) on local processes."""

from nevsim.experiments.pool import Outcome, choose_workers, free_cores, run_tasks

__all__ = ["Outcome", "choose_workers", "free_cores", "run_tasks"]
