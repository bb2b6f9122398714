"""Primavera P6 XER import: a small export written here, with dates worked out by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nevsim.cli.app import app
from nevsim.document import scenario_from_dict
from nevsim.program import simulate
from nevsim.program.imports import read_schedule
from nevsim.scenario.errors import ScenarioError

runner = CliRunner()


def _xer(*lines: list[str]) -> str:
    return "\n".join("\t".join(cells) for cells in lines) + "\n"


EXPORT = _xer(
    ["ERMHDR", "19.12", "2025-01-02", "Project", "admin", "admin", "dbxDatabaseNoName",
     "Project Management", "USD"],
    ["%T", "PROJECT"],
    ["%F", "proj_id", "proj_short_name", "plan_start_date"],
    ["%R", "100", "FACELIFT", "2025-01-06 08:00"],
    ["%T", "CALENDAR"],
    ["%F", "clndr_id", "default_flag", "clndr_name", "day_hr_cnt", "week_hr_cnt"],
    ["%R", "1", "Y", "Standard 10-hour day", "10", "50"],
    ["%T", "TASK"],
    ["%F", "task_id", "proj_id", "task_code", "task_name", "task_type",
     "target_drtn_hr_cnt"],
    ["%R", "1", "100", "A1000", "Design", "TT_Task", "50"],
    ["%R", "2", "100", "A1010", "Release", "TT_Task", "30"],
    ["%R", "3", "100", "A1020", "Tooling", "TT_Task", "40"],
    ["%R", "4", "100", "A1030", "Support", "TT_LOE", "400"],
    ["%R", "5", "100", "M1000", "SOP", "TT_FinMile", "0"],
    ["%T", "TASKPRED"],
    ["%F", "task_pred_id", "task_id", "pred_task_id", "pred_type", "lag_hr_cnt"],
    ["%R", "10", "2", "1", "PR_FS", "10"],
    ["%R", "11", "3", "1", "PR_SS", "20"],
    ["%R", "12", "5", "2", "PR_FS", "0"],
    ["%R", "13", "5", "3", "PR_FF", "0"],
    ["%E"],
)


def test_an_xer_export_becomes_a_program_with_its_dates(tmp_path: Path) -> None:
    """The imported program gives P6's dates, worked out by hand.

    From Mon 6 Jan 2025, 10-hour days (the file counts hours), Mon-Fri: Design 5 days (6-10
    Jan); Release FS +1 day, 3 days: working days 6-8 = 14-16 Jan; Tooling SS +2 days, 4
    days: 8-13 Jan; SOP after Release (FS) and Tooling (FF): 16 Jan. The level-of-effort
    activity is left out.
    """
    path = tmp_path / "plan.xer"
    path.write_text(EXPORT, encoding="utf-8")
    doc = read_schedule(path)
    assert doc["program"]["sop"] == "SOP"
    assert "Support" not in [t["name"] for t in doc["program"]["tasks"]]
    result = simulate(scenario_from_dict(doc), samples=1)
    table = result.schedule.set_index("task")
    assert table.loc["Release", "start_date"] == dt.date(2025, 1, 14)
    assert table.loc["Tooling", "start_date"] == dt.date(2025, 1, 8)
    assert table.loc["Tooling", "finish_date"] == dt.date(2025, 1, 13)
    assert result.plan_sop == dt.date(2025, 1, 16)
    out = tmp_path / "plan.yaml"
    done = runner.invoke(app, ["program", "import", str(path), "--out", str(out)])
    assert done.exit_code == 0 and out.exists()


@pytest.mark.parametrize(("text", "message"), [
    (EXPORT.replace("PR_SS", "PR_XX"), "TASKPRED[1].pred_type: expected PR_FS"),
    (EXPORT.replace("%R\t13\t5\t3", "%R\t13\t5\t4"), "TASKPRED[3]: no activity"),
    (EXPORT.replace("2025-01-06 08:00", "soon"), "PROJECT.plan_start_date"),
    (EXPORT.replace("\t30\n", "\tlots\n"), "TASK[1].target_drtn_hr_cnt: expected hours"),
    ("ERMHDR\t19.12\n%E\n", "no PROJECT table rows"),
])
def test_bad_exports_are_refused_with_a_located_error(tmp_path: Path, text: str,
                                                      message: str) -> None:
    path = tmp_path / "bad.xer"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        read_schedule(path)
    assert message in caught.value.render() and str(path) in caught.value.render()
