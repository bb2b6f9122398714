"""The workflow: load a scenario, run a part, write its report and record the run.

One function per part and task, used alike by the command line, notebooks and (later) the
web interface: `factory.run`, `factory.sweep`, `network.run`, `network.sweep`, `program.run`,
`program.compare`, `partnership.run`, `experiment.run`.
The engines below (`nevsim.factory.simulate`, `nevsim.network.plan`, `nevsim.program.simulate`)
compute; this layer adds what a run needs around them.
"""

from typing import TYPE_CHECKING

from nevsim.lazy import lazy

if TYPE_CHECKING:
    from nevsim.workflow import experiment, factory, network, partnership, program
    from nevsim.workflow.common import Run, load, open_store, report_path

MAIN_SCENARIO = "yizhuang"
"""The built-in scenario of the main job (`nevsim run`, `make run`)."""

__all__ = ["MAIN_SCENARIO", "Run", "experiment", "factory", "load", "network", "open_store",
           "partnership", "program", "report_path"]
__getattr__ = lazy(globals(), {
    "factory": "nevsim.workflow.factory", "network": "nevsim.workflow.network",
    "program": "nevsim.workflow.program", "partnership": "nevsim.workflow.partnership",
    "experiment": "nevsim.workflow.experiment",
    "Run": "nevsim.workflow.common", "load": "nevsim.workflow.common",
    "open_store": "nevsim.workflow.common", "report_path": "nevsim.workflow.common",
})
