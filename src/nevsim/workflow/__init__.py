"""The workflow: load a scenario, run a part, write its report and record the run.

One function per part and task, used alike by the command line, notebooks and (later) the
web interface: `factory.run`, `factory.sweep`, `network.run`, `network.sweep`. The engines
below (`nevsim.factory.simulate`, `nevsim.network.plan`) compute; this layer adds what a run
needs around them.
"""

from nevsim.workflow import factory, network
from nevsim.workflow.common import MAIN_SCENARIO, Run, load, open_store, report_path

__all__ = ["MAIN_SCENARIO", "Run", "factory", "load", "network", "open_store", "report_path"]
