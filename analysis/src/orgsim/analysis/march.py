"""March (1991) Figure 1's targets, as docs/model.md (Purpose and patterns) gives them."""

import pandas as pd

#: Equilibrium code score (n = 50, m = 30) by socialisation rate p1 (columns) and
#: code-learning rate p2 (rows), read to about +-0.005 from an independent recreation with
#: 100,000 runs per point.
MARCH_1991_FIGURE_1 = pd.DataFrame(
    [[0.865, 0.803, 0.800, 0.806, 0.812],
     [0.955, 0.869, 0.810, 0.767, 0.740],
     [0.973, 0.907, 0.840, 0.780, 0.728]],
    index=pd.Index([0.1, 0.5, 0.9], name="p2"),
    columns=pd.Index([0.1, 0.3, 0.5, 0.7, 0.9], name="p1"),
)
