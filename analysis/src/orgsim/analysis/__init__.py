"""Read, summarise and plot orgsim results.

Typical use::

    import orgsim.analysis as oa
    result = oa.load("results/turbulent.h5")
    oa.scenario_difference(result, "final_lead", "following_orders", "empowered")
    oa.plot_trajectories(result, "innovation").savefig("innovation.png")
    oa.plot_run_frame(traces, period=50)   # inside two firms of one run (orgsim.trace)

Everything here reads the HDF5 files that ``orgsim run``, ``compare`` and ``sweep``
write; see the top-level README for their layout.
"""

from .io import OrgsimFileError, Result, load, to_frame
from .march import MARCH_1991_FIGURE_1
from .runner import orgsim
from .plots import plot_difference, plot_heatmap, plot_lead, plot_march_figure1, plot_trajectories
from .watch import frame_data, plot_run_frame, plot_run_small_multiples
from .stats import (
    by_design,
    interval,
    paired_difference,
    point_difference,
    primacy,
    scenario_difference,
    sobol_from_blocks,
    sobol_indices,
    summarise,
    window_mean,
    window_share_in_lead,
)

__all__ = [
    "MARCH_1991_FIGURE_1",
    "OrgsimFileError",
    "Result",
    "by_design",
    "frame_data",
    "interval",
    "load",
    "orgsim",
    "paired_difference",
    "plot_difference",
    "plot_heatmap",
    "plot_lead",
    "plot_march_figure1",
    "plot_run_frame",
    "plot_run_small_multiples",
    "plot_trajectories",
    "point_difference",
    "primacy",
    "scenario_difference",
    "sobol_from_blocks",
    "sobol_indices",
    "summarise",
    "to_frame",
    "window_mean",
    "window_share_in_lead",
]
