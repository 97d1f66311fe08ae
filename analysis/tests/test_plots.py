import importlib.util
import io
import os
import pathlib
import subprocess
import sys

import matplotlib.collections
import matplotlib.colors
import matplotlib.patches
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import orgsim.analysis as oa


def render(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    assert buffer.getvalue().startswith(b"\x89PNG")


def test_trajectories_lead_and_heatmap_render_with_labels(compare_file, sweep_file):
    with oa.load(compare_file) as result:
        figure = oa.plot_trajectories(result, "innovation")
        ax = figure.axes[0]
        assert ax.get_xlabel() == "period"
        assert "share of dimensions" in ax.get_ylabel()
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["following_orders", "empowered"]
        render(figure)
        render(oa.plot_lead(result))
    with oa.load(sweep_file) as result:
        table = oa.summarise(result, "final_code_score")
        figure = oa.plot_heatmap(table, "firm.socialization", "firm.code_learning",
                                 title="code score", label="final code score")
        assert figure.axes[0].get_xlabel() == "firm.socialization"
        render(figure)
        render(oa.plot_march_figure1(result))
        render(oa.plot_trajectories(result, "code_score", by="firm.code_learning"))


def test_importing_the_package_leaves_the_backend_alone():
    # A notebook's inline backend (and any other) must survive `import orgsim.analysis`.
    backends = ["svg"]
    if importlib.util.find_spec("matplotlib_inline") is not None:
        backends.append("module://matplotlib_inline.backend_inline")
    source = str(pathlib.Path(oa.__file__).resolve().parents[2])
    for backend in backends:
        environment = dict(os.environ, MPLBACKEND=backend,
                           PYTHONPATH=source + os.pathsep + os.environ.get("PYTHONPATH", ""))
        completed = subprocess.run(
            [sys.executable, "-c", "import matplotlib; before = matplotlib.get_backend(); "
             "import orgsim.analysis; print(before, matplotlib.get_backend())"],
            capture_output=True, text=True, env=environment)
        assert completed.returncode == 0, completed.stderr
        assert completed.stdout.split() == [backend, backend]


@pytest.fixture(scope="module")
def wide_sweep(tmp_path_factory):
    """8 socialisation rates x 2 code-learning rates x 2 replications."""
    from conftest import march_sweep
    return march_sweep(tmp_path_factory.mktemp("plots") / "wide.h5",
                       socialization="0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8", replications=2)


def panels(figure):
    return [axis for axis in figure.axes if axis.get_visible() and axis.get_label() != "<colorbar>"]


def test_trajectories_facet_over_the_other_factor_instead_of_pooling_it(grid_file):
    with oa.load(grid_file) as result:
        figure = oa.plot_trajectories(result, "code_score", by="firm.socialization")
        axes = panels(figure)
        assert [axis.get_title() for axis in axes] == ["firm.code_learning = 0.1",
                                                       "firm.code_learning = 0.9"]
        assert all(len(axis.get_lines()) == 2 for axis in axes)
        # The line of socialisation 0.1 in the panel of code learning 0.9 averages those
        # runs only, not all runs at socialisation 0.1.
        data = result.trajectories["code_score"].isel(firm=0)
        runs = (data["firm.socialization"] == 0.1) & (data["firm.code_learning"] == 0.9)
        expected = data.isel(run=np.flatnonzero(runs.values)).mean("run").values
        drawn = np.asarray(axes[1].get_lines()[0].get_ydata(), float)
        reached = np.isfinite(drawn)
        assert reached.sum() > 5
        np.testing.assert_allclose(drawn[reached], expected[reached])
        render(figure)
        chosen = oa.plot_trajectories(result, "code_score", by="firm.socialization",
                                      where={"firm.code_learning": 0.9})
        assert len(panels(chosen)) == 1
        assert "at firm.code_learning = 0.9" in chosen.axes[0].get_title()
        drawn = np.asarray(chosen.axes[0].get_lines()[0].get_ydata(), float)
        np.testing.assert_allclose(drawn[reached], expected[reached])
        plt.close(chosen)
        with pytest.raises(ValueError, match=r"no run has firm.code_learning = 0.5; its values are 0.1, 0.9"):
            oa.plot_trajectories(result, "code_score", where={"firm.code_learning": 0.5})
        with pytest.raises(ValueError, match=r"where names 'env.turbulence', which .* does not vary"):
            oa.plot_trajectories(result, "code_score", where={"env.turbulence": 0.0})
        _, ax = plt.subplots()
        with pytest.raises(ValueError, match=r"2 panels and cannot go into one ax"):
            oa.plot_trajectories(result, "code_score", ax=ax)
        plt.close("all")


def test_trajectories_refuse_to_pool_two_factors_or_many_values(tmp_path, wide_sweep):
    from conftest import SCENARIOS, orgsim
    path = tmp_path / "three.h5"
    orgsim("sweep", SCENARIOS / "march1991.cfg", "--vary", "firm.socialization=0.1,0.5",
           "--vary", "firm.code_learning=0.1,0.9", "--vary", "firm.employees=20,30",
           "--replications", 2, "--out", path)
    with oa.load(path) as result:
        with pytest.raises(ValueError, match=r"^plot_trajectories would average over "
                                             r"firm.code_learning \(2 values\), firm.employees "
                                             r"\(2 values\); pass where=\{'firm.code_learning': 0.1\}"):
            oa.plot_trajectories(result, "code_score", by="firm.socialization")
        figure = oa.plot_trajectories(result, "code_score", where={"firm.employees": 20})
        assert len(panels(figure)) == 2
        plt.close(figure)
    with oa.load(wide_sweep) as result:
        with pytest.raises(ValueError, match=r"average over firm.socialization \(8 values\)"):
            oa.plot_trajectories(result, "code_score", by="firm.code_learning")


def test_many_lines_get_viridis_and_a_colour_bar(wide_sweep):
    with oa.load(wide_sweep) as result:
        figure = oa.plot_trajectories(result, "code_score", where={"firm.code_learning": 0.1})
        ax = figure.axes[0]
        colour_bars = [axis for axis in figure.axes if axis.get_label() == "<colorbar>"]
        assert len(colour_bars) == 1
        assert colour_bars[0].get_ylabel() == "firm.socialization"
        assert ax.get_legend() is None
        colours = [matplotlib.colors.to_hex(line.get_color()) for line in ax.get_lines()]
        assert len(colours) == 8 and len(set(colours)) == 8
        # Low values dark purple, high values yellow: viridis's ends.
        viridis = matplotlib.colormaps["viridis"]
        assert colours[0] == matplotlib.colors.to_hex(viridis(0.0))
        assert colours[-1] == matplotlib.colors.to_hex(viridis(1.0))
        render(figure)


def outlines(ax):
    return [patch for patch in ax.patches if not patch.get_fill()]


def test_level_heatmaps_have_no_stars_and_a_sequential_map(sweep_file):
    with oa.load(sweep_file) as result:
        table = oa.summarise(result, "final_code_score")
        assert (table["low"] > 0).all()  # every interval excludes 0: the old map starred all
        figure = oa.plot_heatmap(table, "firm.socialization", "firm.code_learning",
                                 label="final code score")
        ax = figure.axes[0]
        texts = [text for text in ax.texts]
        assert len(texts) == 6 and not any("*" in text.get_text() for text in texts)
        assert all(text.get_fontweight() == "normal" for text in texts)
        assert outlines(ax) == []
        assert {patch.get_alpha() for patch in ax.patches} == {1.0}
        colour_bar = figure.axes[1]
        assert colour_bar.get_ylabel() == "final code score"
        # Sequential: the highest mean's cell is viridis's top colour, the lowest its bottom.
        colours = {text.get_text(): matplotlib.colors.to_hex(patch.get_facecolor())
                   for text, patch in zip(texts, ax.patches)}
        viridis = matplotlib.colormaps["viridis"]
        assert colours[f"{table['mean'].max():.3f}"] == matplotlib.colors.to_hex(viridis(1.0))
        assert colours[f"{table['mean'].min():.3f}"] == matplotlib.colors.to_hex(viridis(0.0))
        render(figure)


def test_difference_heatmaps_outline_what_excludes_zero_and_fade_the_rest():
    table = pd.DataFrame({"x": [0.0, 0.0, 1.0, 1.0], "y": [0.0, 1.0, 0.0, 1.0],
                          "mean": [0.5, -0.4, 0.9, 0.01],
                          "low": [0.2, -0.6, -0.1, -0.2], "high": [0.8, -0.2, 1.9, 0.2]})
    table.attrs["kind"] = "difference"
    figure = oa.plot_heatmap(table, "x", "y", label="difference")
    ax = figure.axes[0]
    # Two intervals exclude 0 (0.5 and -0.4): two outlines, bold text, full colour.
    assert len(outlines(ax)) == 2
    weights = {text.get_text(): text.get_fontweight() for text in ax.texts}
    assert weights == {"+0.500": "bold", "-0.400": "bold", "+0.900": "normal", "+0.010": "normal"}
    cells = [patch for patch in ax.patches if patch.get_fill()]
    assert sorted(patch.get_alpha() for patch in cells) == [0.25, 0.25, 1.0, 1.0]
    # The large but uncertain 0.9 is the faded one, not deep red.
    faded = {text.get_text(): text.get_alpha() for text in ax.texts}
    assert faded["+0.900"] < 1 and faded["+0.500"] == 1
    colour_bar = figure.axes[1]
    assert "outlined: 95% interval excludes 0" in colour_bar.get_ylabel()
    low, high = colour_bar.get_ylim()
    assert low == pytest.approx(-high)  # centred on 0
    render(figure)
    # kind="level" on the same table: nothing marked.
    level = oa.plot_heatmap(table, "x", "y", kind="level")
    assert outlines(level.axes[0]) == []
    plt.close(level)
    with pytest.raises(ValueError, match="needs the table's low and high columns"):
        oa.plot_heatmap(table[["x", "y", "mean"]], "x", "y", kind="difference")


def test_point_difference_tables_draw_difference_maps_by_default(grid_file):
    with oa.load(grid_file) as a, oa.load(grid_file) as b:
        table = oa.point_difference(a, b, "final_code_score")
    figure = oa.plot_heatmap(table, "firm.socialization", "firm.code_learning")
    assert "outlined" in figure.axes[1].get_ylabel()
    assert outlines(figure.axes[0]) == []  # identical sweeps: every difference is exactly 0
    render(figure)


def test_plot_difference_draws_the_paired_mean_band_and_late_window(compare_file):
    with oa.load(compare_file) as result:
        figure = oa.plot_difference(result, "lead")
        ax = figure.axes[0]
        assert ax.get_title().replace("\n", " ") == ("lead: empowered minus following_orders "
                                                     "(paired, mean and 95% interval)")
        assert ax.get_ylabel() == "difference in lead (share of customers)"
        lead = result.trajectories["lead"].isel(firm=0)
        by_hand = (lead.sel(scenario="empowered") - lead.sel(scenario="following_orders")).mean("run")
        mean_line = [line for line in ax.get_lines() if line.get_label().startswith("mean of")][0]
        np.testing.assert_allclose(mean_line.get_ydata(), by_hand.values)
        bands = [c for c in ax.collections if isinstance(c, matplotlib.collections.PolyCollection)]
        assert len(bands) == 1
        # The late window: the last round(0.25 x 40) = 10 periods, 31-40.
        window = [patch for patch in ax.patches if patch.get_label().startswith("late window")]
        assert len(window) == 1
        x = window[0].get_xy()[:, 0]
        assert (x.min(), x.max()) == (30.5, 40.5)
        assert any(line.get_ydata()[0] == 0 and line.get_ydata()[-1] == 0 for line in ax.get_lines())
        render(figure)
        swapped = oa.plot_difference(result, "lead", a="empowered", b="following_orders", late_share=0.1)
        line = [line for line in swapped.axes[0].get_lines() if line.get_label().startswith("mean of")][0]
        np.testing.assert_allclose(line.get_ydata(), -by_hand.values)
        plt.close(swapped)
    with oa.load(compare_file) as result:
        with pytest.raises(ValueError, match="no scenario 'x'"):
            oa.plot_difference(result, "lead", b="x")
