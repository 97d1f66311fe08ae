import io

import matplotlib.pyplot as plt

import orgsim_analysis as oa


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
    # A notebook's inline backend (and any other) must survive `import orgsim_analysis`.
    import os
    import pathlib
    import subprocess
    import sys
    import importlib.util
    backends = ["svg"]
    if importlib.util.find_spec("matplotlib_inline") is not None:
        backends.append("module://matplotlib_inline.backend_inline")
    source = str(pathlib.Path(oa.__file__).resolve().parents[1])
    for backend in backends:
        environment = dict(os.environ, MPLBACKEND=backend,
                           PYTHONPATH=source + os.pathsep + os.environ.get("PYTHONPATH", ""))
        completed = subprocess.run(
            [sys.executable, "-c", "import matplotlib; before = matplotlib.get_backend(); "
             "import orgsim_analysis; print(before, matplotlib.get_backend())"],
            capture_output=True, text=True, env=environment)
        assert completed.returncode == 0, completed.stderr
        assert completed.stdout.split() == [backend, backend]
