"""The robustness study on a small grid, against the files it is computed from."""

import matplotlib.pyplot as plt
import pandas as pd

import orgsim.analysis as oa
from orgsim.analysis import robustness


SMALL = robustness.Study(replications=4, seeds=(1, 2), policies=("fixed 0", "relative"),
                         tie_rules=("hold",), lengths=(30,), turbulence=(0.0, 0.05))


def test_each_cell_is_the_paired_difference_of_its_compare_file(tmp_path):
    table = robustness.run_study(SMALL, echo=lambda line: None)
    assert len(table) == 2 * 2 * 2 * 2  # seeds x policies x windows x turbulence
    path = tmp_path / "cell.h5"
    oa.orgsim(*robustness.cell_command(SMALL, "relative", "hold", 30, 2, str(path)))
    with oa.load(path) as result:
        late = result.summaries["late_mean_lead"].isel(firm=0)
        turbulence = result.design["env.turbulence"].isel(scenario=0).values
        chosen = turbulence == 0.05
        difference = (late.isel(scenario=1).values - late.isel(scenario=0).values)[chosen]
    row = table[(table["policy"] == "relative") & (table["seed"] == 2) & (table["window"] == "late")
                & (table["turbulence"] == 0.05)].iloc[0]
    assert row["n"] == 4
    assert abs(row["mean"] - difference.mean()) < 1e-12


def test_agreement_marks_cells_whose_seeds_conclude_differently():
    rows = []
    for seed, (low, high) in [(1, (0.1, 0.3)), (2, (-0.1, 0.2))]:  # above 0, then could be 0
        rows.append({"policy": "p", "tie": "hold", "length": 200, "seed": seed, "turbulence": 0.0,
                     "window": "whole", "mean": (low + high) / 2, "low": low, "high": high, "n": 9})
    for seed in (1, 2):  # below 0 with both seeds
        rows.append({"policy": "p", "tie": "hold", "length": 200, "seed": seed, "turbulence": 0.0,
                     "window": "late", "mean": -0.2, "low": -0.3, "high": -0.1, "n": 9})
    cells = robustness.agreement(pd.DataFrame(rows)).set_index("window")
    assert not cells.loc["whole", "seeds_agree"] and cells.loc["whole", "sign"] == 1
    assert cells.loc["late", "seeds_agree"] and cells.loc["late", "sign"] == -1
    text = robustness.markdown_table(pd.DataFrame(rows))
    assert "+0.200 [+0.100, +0.300]* †" in text and "-0.200 [-0.300, -0.100]*" in text


def test_the_figure_has_a_panel_per_policy_and_window():
    table = robustness.run_study(SMALL, echo=lambda line: None)
    figure = robustness.plot_study(table)
    assert len(figure.axes) == 2 * 2  # policies x (length x window)
    assert all(ax.lines or ax.collections for ax in figure.axes)
    plt.close(figure)
