"""plot_run_frame and plot_run_small_multiples draw what the trace holds."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import orgsim
import orgsim.analysis as oa
from conftest import SCENARIOS

PERIODS = 30


@pytest.fixture(scope="module")
def traces(tmp_path_factory):
    directory = tmp_path_factory.mktemp("watch")
    named = {}
    for name in ("following_orders", "empowered"):
        scenario = (orgsim.Scenario.load(SCENARIOS / f"{name}.cfg").set("env.turbulence", 0.05)
                    .set("run.periods", PERIODS))
        named[name] = orgsim.trace(scenario, replication=1, out=directory / f"{name}.h5")
    yield named
    for trace in named.values():
        trace.close()


def _axes(figure, label):
    return [axis for axis in figure.axes if axis.get_label() == label]


def _expected(trace, period):
    """The focal firm's beliefs at ``period``, explorers first, then by team and slot."""
    now = trace.sel(period=period, firm="focal")
    headcount = int(now.headcount)
    role = now.role.values[:headcount].astype(int)
    team = now.team.values[:headcount].astype(int)
    order = sorted(range(headcount), key=lambda slot: (-role[slot], team[slot], slot))
    return now.beliefs.values[:headcount][order].astype(int), now.reality.values.astype(int), \
        now.code.values.astype(int), role[order]


def test_the_frame_draws_both_firms_beliefs_against_reality_as_the_trace_holds_them(traces):
    period = 20
    figure = oa.plot_run_frame(traces, period)
    try:
        # Per firm: the belief matrix, the code row, the reality row, the role strip, the
        # pressure bars; then the innovation and lead curves and the one legend.
        for label in ("beliefs", "code", "reality", "role", "pressure"):
            assert len(_axes(figure, label)) == 2, label
        assert len(_axes(figure, "innovation")) == len(_axes(figure, "lead")) == 1
        assert len(_axes(figure, "legend")) == 1
        legends = [axis.get_legend() for axis in figure.axes if axis.get_legend() is not None]
        assert len(legends) == 1
        texts = [text.get_text() for text in legends[0].get_texts()]
        assert "belief (or code) matches reality" in texts and "no belief (0)" in texts
        assert "following orders (focal firm)" in texts and "empowered (focal firm)" in texts
        titles = [panel._suptitle.get_text() for panel in figure.subfigs[0].subfigs]
        assert titles[0].startswith("following orders: ") and titles[1].startswith("empowered: ")
        assert "following orders vs empowered" in figure._suptitle.get_text()
        assert "replication 1, seed 1, turbulence 0.05" in figure._suptitle.get_text()
        for matrix, code_axis, reality_axis, strip, trace in zip(
                _axes(figure, "beliefs"), _axes(figure, "code"), _axes(figure, "reality"),
                _axes(figure, "role"), traces.values()):
            beliefs, reality, code, role = _expected(trace, period)
            drawn = np.asarray(matrix.get_images()[0].get_array())
            # Each cell is belief x reality: +1 right, -1 wrong, 0 no belief; reality is +-1,
            # so multiplying back by reality gives the beliefs themselves.
            assert drawn.shape == beliefs.shape == (50, 30)
            np.testing.assert_array_equal(drawn * reality, beliefs)
            np.testing.assert_array_equal(np.asarray(code_axis.get_images()[0].get_array())[0], code * reality)
            np.testing.assert_array_equal(np.asarray(reality_axis.get_images()[0].get_array())[0], reality)
            np.testing.assert_array_equal(np.asarray(strip.get_images()[0].get_array())[:, 0], role)
            # Explorers are the first rows, as one block.
            assert (role[: role.sum()] == 1).all()
        for bars, trace in zip(_axes(figure, "pressure"), traces.values()):
            now = trace.sel(period=period, firm="focal")
            producers = now.role.values[: int(now.headcount)] == 0
            teams = sorted(set(now.team.values[: int(now.headcount)][producers].tolist()))
            widths = [patch.get_width() for patch in bars.patches]
            pressures = [float(now.pressure.values[: int(now.headcount)][producers & (now.team.values[: int(now.headcount)] == t)][0])
                         for t in teams]
            assert widths == pytest.approx(pressures)
            assert bars.get_xlim() == (0, 1)
        for variable in ("innovation", "lead"):
            axis = _axes(figure, variable)[0]
            assert axis.get_xlabel() == "period"
            assert axis.get_ylabel() == f"{variable} ({traces['empowered'][variable].attrs['units']})"
            firms = [line for line in axis.get_lines() if len(line.get_xdata()) == PERIODS]
            assert len(firms) == 2
            for line, trace in zip(firms, traces.values()):
                np.testing.assert_allclose(line.get_ydata(), trace[variable].sel(firm="focal").values)
            assert any(list(line.get_xdata()) == [period, period] for line in axis.get_lines())
    finally:
        plt.close(figure)


def test_small_multiples_draw_a_panel_per_firm_and_period(traces):
    periods = [1, 10, 30]
    figure = oa.plot_run_small_multiples(traces, periods)
    try:
        matrices = _axes(figure, "beliefs")
        assert len(matrices) == 2 * len(periods)
        assert not _axes(figure, "pressure")
        assert len([axis for axis in figure.axes if axis.get_legend() is not None]) == 1
        for index, matrix in enumerate(matrices):
            label, trace = list(traces.items())[index // len(periods)]
            period = periods[index % len(periods)]
            assert matrix.get_title().startswith(f"{label.replace('_', ' ')}, period {period}\n")
            beliefs, reality, _, _ = _expected(trace, period)
            np.testing.assert_array_equal(np.asarray(matrix.get_images()[0].get_array()) * reality, beliefs)
    finally:
        plt.close(figure)


def test_it_refuses_traces_of_different_runs_and_unrecorded_periods(traces, tmp_path):
    other = orgsim.trace(orgsim.Scenario.load(SCENARIOS / "empowered.cfg").set("run.periods", 5),
                         replication=0, out=tmp_path / "other.h5")
    try:
        with pytest.raises(ValueError, match="different runs"):
            oa.plot_run_frame({"following_orders": traces["following_orders"], "empowered": other}, 3)
    finally:
        other.close()
    with pytest.raises(ValueError, match="period 31 is not in the trace"):
        oa.plot_run_frame(traces, PERIODS + 1)
    assert list(oa.watch._traces(list(traces.values()))) == ["following_orders", "empowered"]
