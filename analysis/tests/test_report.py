import dataclasses
import subprocess
import sys

import orgsim.analysis.report as report


def test_report_writes_plots_and_a_summary(compare_file, sweep_file, tmp_path):
    written = report.write_report(str(compare_file), str(tmp_path / "compare"))
    names = {path.rsplit("/", 1)[-1] for path in written}
    assert {"summary.md", "lead.png", "trajectory_innovation.png"} <= names
    summary = (tmp_path / "compare" / "summary.md").read_text()
    assert "Probability of ending first" in summary
    assert "![lead.png](lead.png)" in summary
    written = report.write_report(str(sweep_file), str(tmp_path / "sweep"))
    names = {path.rsplit("/", 1)[-1] for path in written}
    assert {"march1991_figure1.png", "heatmap_final_innovation.png"} <= names


def test_the_command_line_reports_bad_files_in_one_line(tmp_path):
    (tmp_path / "x.h5").write_text("nope")
    completed = subprocess.run([sys.executable, "-m", "orgsim.analysis", "report",
                                str(tmp_path / "x.h5"), "--out", str(tmp_path / "out")],
                               capture_output=True, text=True)
    assert completed.returncode == 2
    assert completed.stderr.count("\n") == 1
    assert "is not an HDF5 file" in completed.stderr


def test_report_draws_paired_differences_for_a_comparison(compare_file, tmp_path):
    written = report.write_report(str(compare_file), str(tmp_path / "compare"))
    names = {path.rsplit("/", 1)[-1] for path in written}
    assert {"difference_lead.png", "difference_innovation.png"} <= names
    assert "![difference_lead.png](difference_lead.png)" in (tmp_path / "compare" / "summary.md").read_text()


def test_report_treats_integer_design_columns_as_numeric(tmp_path, monkeypatch):
    from conftest import SCENARIOS, orgsim
    import orgsim.analysis as oa
    path = tmp_path / "employees.h5"
    orgsim("sweep", SCENARIOS / "march1991.cfg", "--vary", "firm.employees=20,40",
           "--vary", "firm.socialization=0.1,0.5", "--replications", 2, "--out", path)

    def load_with_integers(file):
        # orgsim is about to write integer keys as int64; until then, make it so here.
        result = oa.load(file)
        design = result.design.assign({"firm.employees": result.design["firm.employees"].astype("int64")})
        return dataclasses.replace(result, design=design)

    monkeypatch.setattr(report, "load", load_with_integers)
    written = report.write_report(str(path), str(tmp_path / "out"))
    assert "heatmap_final_innovation.png" in {p.rsplit("/", 1)[-1] for p in written}


def test_report_of_a_continuous_design_says_what_it_did_not_draw(tmp_path):
    from conftest import SCENARIOS, orgsim
    path = tmp_path / "lhs.h5"
    orgsim("sweep", SCENARIOS / "march1991.cfg", "--design", "lhs", "--samples", 8,
           "--vary", "firm.socialization=0.1:0.9", "--vary", "firm.code_learning=0.1:0.9",
           "--replications", 2, "--out", path)
    written = report.write_report(str(path), str(tmp_path / "out"))
    names = {p.rsplit("/", 1)[-1] for p in written}
    assert not any(name.startswith("trajectory_") for name in names)
    summary = (tmp_path / "out" / "summary.md").read_text()
    assert "Not drawn:" in summary and "would average over firm.code_learning" in summary
