"""The main job's verdict, figure and report, on comparisons made by the real binary."""

import base64
import subprocess
import sys

import numpy as np
import pytest

import orgsim.analysis as oa
from orgsim.analysis import verdict
from conftest import presets_compare


@pytest.fixture(scope="module")
def stable_file(results):
    return presets_compare(results / "verdict_stable.h5", turbulence=0)


def test_late_window_is_the_last_quarter_rounded_half_up():
    assert verdict.late_window(200) == (151, 200)
    assert verdict.late_window(40) == (31, 40)
    assert verdict.late_window(10) == (8, 10)  # 2.5 periods round up to 3
    assert verdict.late_window(1) == (1, 1)


def test_paired_table_is_the_run_by_run_difference_over_each_window(compare_file):
    with oa.load(compare_file) as result:
        table = verdict.paired_table(result)
        assert table.attrs["a"] == "following_orders" and table.attrs["b"] == "empowered"
        assert len(table) == 2 * len(verdict.MEASURES)
        assert set(table["window_label"]) == {"whole run (periods 1-40)",
                                               "late window (periods 31-40)"}
        lead = result.trajectories["lead"].isel(firm=0).values  # (scenario, run, period)
        late = table.set_index(["measure", "window"]).loc[("lead over the best rival", "late")]
        difference = lead[1, :, 30:40].mean(axis=1) - lead[0, :, 30:40].mean(axis=1)
        assert late["difference_mean"] == pytest.approx(difference.mean(), abs=1e-12)
        in_lead = table.set_index(["measure", "window"]).loc[("periods in the lead", "whole")]
        shares = result.summaries["share_periods_lead"].isel(firm=0).values
        assert in_lead["difference_mean"] == pytest.approx((shares[1] - shares[0]).mean(), abs=1e-12)
        excludes = (table["difference_low"] > 0) | (table["difference_high"] < 0)
        assert (table["excludes_zero"] == excludes).all()


def test_paired_table_refuses_a_file_that_is_not_a_comparison(run_file):
    with oa.load(run_file) as result, pytest.raises(ValueError, match="not a comparison"):
        verdict.paired_table(result)


@pytest.mark.parametrize("whole, late, words", [
    (1, 1, "Empowerment keeps the focal firm ahead more often, over the whole run and still"),
    (-1, 0, "Following orders leads more often over the whole run, but not in the late window"),
    (0, 1, "in the late window empowerment does"),
    (1, -1, "the answer depends on the time window"),
    (0, 0, "Neither leads more often"),
])
def test_the_conclusion_follows_the_two_windows(whole, late, words):
    assert words in verdict._conclusion("empowered", "following_orders", whole, late)


def test_verdict_says_what_lead_means_and_gives_both_windows(compare_file, stable_file):
    with oa.load(stable_file) as stable, oa.load(compare_file) as turbulent:
        results = {"stable": stable, "turbulent": turbulent}
        tables = {key: verdict.paired_table(result) for key, result in results.items()}
        text = verdict.verdict_text(results, tables)
    assert "best rival: the largest share among the 4 other firms" in text
    assert "In a stable world (env.turbulence = 0)" in text
    assert "In a turbulent world (env.turbulence = 0.05)" in text
    assert text.count("over the whole run (periods 1-40)") == 2
    assert text.count("over the late window (periods 31-40)") == 2
    assert text.count("    - leads its best rival in") + text.count("    - neither firm leads") == 4
    # Every difference is given with an interval and a mark for whether it excludes 0.
    for line in text.splitlines():
        if line.startswith("    - ") and "neither firm" not in line:
            assert "[" in line and ("*" in line or "(could be 0)" in line), line


def test_main_writes_the_figure_and_a_self_contained_report(compare_file, stable_file, tmp_path):
    out = tmp_path / "out"
    completed = subprocess.run([sys.executable, "-m", "orgsim.analysis.verdict", str(stable_file),
                                str(compare_file), "--out", str(out)], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert "== Verdict" in completed.stdout
    assert f"figure: {out / 'difference_over_time.png'}" in completed.stdout
    assert f"report: {out / 'report.html'}" in completed.stdout
    png = (out / "difference_over_time.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    html = (out / "report.html").read_text()
    assert base64.b64encode(png).decode() in html  # the figure is embedded, not linked
    assert "leads its best rival" in html and "<table>" in html
    assert sorted(path.name for path in out.iterdir()) == ["difference_over_time.png", "report.html"]


def test_figure_has_a_panel_per_world_and_measure_with_bands(compare_file, stable_file):
    with oa.load(stable_file) as stable, oa.load(compare_file) as turbulent:
        figure = verdict.difference_figure({"stable": stable, "turbulent": turbulent})
    axes = figure.axes
    assert len(axes) == 4
    titles = [ax.get_title() for ax in axes]
    assert any("stable" in t and "lead" in t for t in titles)
    assert any("turbulent" in t and "innovation" in t for t in titles)
    for ax in axes:
        assert ax.collections, "a 95% band is drawn"
        assert np.isfinite(ax.lines[0].get_ydata()).any()


def test_main_fails_in_one_line_on_a_file_that_is_not_a_comparison(run_file, tmp_path):
    completed = subprocess.run([sys.executable, "-m", "orgsim.analysis.verdict", str(run_file),
                                "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert completed.returncode == 2
    assert completed.stderr.count("\n") == 1 and "not a comparison" in completed.stderr
    assert not (tmp_path / "out" / "report.html").exists()


def test_main_fails_in_one_line_on_an_unwritable_directory(compare_file):
    completed = subprocess.run([sys.executable, "-m", "orgsim.analysis.verdict", str(compare_file),
                                "--out", "/proc/orgsim-report"], capture_output=True, text=True)
    assert completed.returncode == 1
    assert completed.stderr.count("\n") == 1 and "cannot write" in completed.stderr
