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
