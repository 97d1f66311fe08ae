import subprocess
import sys

import orgsim_analysis.report as report


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
    completed = subprocess.run([sys.executable, "-m", "orgsim_analysis", "report",
                                str(tmp_path / "x.h5"), "--out", str(tmp_path / "out")],
                               capture_output=True, text=True)
    assert completed.returncode == 2
    assert completed.stderr.count("\n") == 1
    assert "is not an HDF5 file" in completed.stderr
