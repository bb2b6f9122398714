"""The HTML reports in a real browser (Debian's Chromium driven by Playwright).

Each report opens from its file with the network cut off: every chart must render (plotly.js
is inlined), no request may leave the file, and no script may fail. Screenshots are saved in
out/screenshots/ for a person to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import nevsim

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed "
                                "(.ci/run installs Debian's package)")
SHOTS = Path(__file__).resolve().parents[1] / "out" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        yield chromium
        chromium.close()


def _open(browser: Any, report: Path, shot: str) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        ("file:", "data:", "blob:", "about:")) else route.abort())
    page.goto(report.as_uri())
    page.wait_for_function("document.querySelectorAll('.plotly-graph-div').length > 0 && "
                           "[...document.querySelectorAll('.plotly-graph-div')]"
                           ".every(d => d.querySelector('.main-svg'))", timeout=60_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    return page, requests, errors


def _check(page: Any, requests: list[str], errors: list[str], charts: int) -> None:
    divs = page.query_selector_all(".plotly-graph-div")
    assert len(divs) >= charts
    for div in divs:  # each chart drew something: traces in its plot area
        assert div.query_selector(".main-svg") is not None
        box = div.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 200
        assert div.query_selector_all(".trace, .barlayer .point, .scatterlayer path")
    outside = [u for u in requests if not u.startswith(("file:", "data:", "blob:", "about:"))]
    assert outside == []
    assert errors == []


def test_factory_report_renders_offline(browser: Any, tmp_path: Path) -> None:
    done = nevsim.workflow.factory.run("yizhuang", horizon="14d", replications=2,
                                       report_dir=tmp_path, record=False)
    assert done.report is not None
    page, requests, errors = _open(browser, done.report, "factory-yizhuang")
    _check(page, requests, errors, charts=5)
    text = page.inner_text("body")
    assert "holds" in text or "cannot tell" in text or "does NOT hold" in text
    assert "sealed-body buffer" in text  # buffers named as in the scenario
    assert "nan" not in text.split() and "inf" not in text.split() and "<NA>" not in text


def test_network_report_renders_offline(browser: Any, tmp_path: Path) -> None:
    done = nevsim.workflow.network.run("fullstack", compare_free_trade=False,
                                       report_dir=tmp_path, record=False)
    assert done.report is not None
    page, requests, errors = _open(browser, done.report, "network-fullstack")
    _check(page, requests, errors, charts=4)


def test_sweep_reports_render_offline(browser: Any, tmp_path: Path) -> None:
    factory = nevsim.workflow.factory.sweep(
        "yizhuang", "factory.buffers[name=sealed-body buffer].capacity", [2, 40],
        horizon="7d", replications=2, report_dir=tmp_path, record=False)
    network = nevsim.workflow.network.sweep(
        "fullstack", "network.duties[name=EU CVD BYD].rate", [0.0, 0.17],
        report_dir=tmp_path, record=False)
    for report, shot in ((factory.report, "factory-sweep"), (network.report, "network-sweep")):
        assert report is not None
        page, requests, errors = _open(browser, report, shot)
        _check(page, requests, errors, charts=1)


def test_program_report_renders_offline(browser: Any, tmp_path: Path) -> None:
    done = nevsim.workflow.program.run("sequential", samples=2000, seed=1,
                                       report_dir=tmp_path, record=False)
    assert done.report is not None
    page, requests, errors = _open(browser, done.report, "program-sequential")
    _check(page, requests, errors, charts=3)
    text = page.inner_text("body")
    assert "P80" in text and "Verification prototype test" in text and "Validation fails" in text
    assert "nan" not in text.split() and "inf" not in text.split() and "<NA>" not in text


def test_program_comparison_renders_offline(browser: Any, tmp_path: Path) -> None:
    done = nevsim.workflow.program.compare("sequential", "co-creation", samples=1000, seed=1,
                                           report_dir=tmp_path, record=False)
    assert done.report is not None
    page, requests, errors = _open(browser, done.report, "program-compare")
    _check(page, requests, errors, charts=3)
    text = page.inner_text("body")
    assert "virtual validation" in text and "P80 SOP" in text
    assert "nan" not in text.split() and "inf" not in text.split() and "<NA>" not in text


def test_partnership_report_renders_offline(browser: Any, tmp_path: Path) -> None:
    done = nevsim.workflow.partnership.run("alliance", report_dir=tmp_path, record=False)
    assert done.report is not None
    page, requests, errors = _open(browser, done.report, "partnership-alliance")
    _check(page, requests, errors, charts=3)
    text = page.inner_text("body")
    for expected in ("How much more together than apart?", "Shapley value", "nucleolus",
                     "Leapmotor International 51:49", "built for a partner", "VoltAuto"):
        assert expected in text, expected
    assert "nan" not in text.split() and "inf" not in text.split() and "<NA>" not in text


def test_experiment_report_renders_offline(browser: Any, tmp_path: Path) -> None:
    from nevsim.experiments.design import Experiment

    spec = Experiment.model_validate({
        "name": "store", "scenario": "yizhuang", "replications": 3, "horizon": "12h",
        "factors": [{"path": "factory.buffers[name=painted-body store].capacity",
                     "levels": [5, 60, 300]},
                    {"path": "factory.buffers[name=white body store].capacity",
                     "levels": [10, 100]}]})
    done = nevsim.workflow.experiment.run(spec, workers=1, report_dir=tmp_path, record=False)
    assert done.report is not None
    page, requests, errors = _open(browser, done.report, "experiment-store")
    _check(page, requests, errors, charts=2)
    text = page.inner_text("body")
    for expected in ("Which design is best?", "main effects", "told apart from the best"):
        assert expected in text, expected
    assert "nan" not in text.split() and "<NA>" not in text
