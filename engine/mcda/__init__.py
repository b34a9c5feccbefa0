"""The decision model: catalog in, ranking and robustness out; no file system, no output.

- :mod:`~engine.mcda.matrix` — the decision matrix (each offering's performance per criterion)
- :mod:`~engine.mcda.requirements` — the gate (must-haves; who is excluded and why)
- :mod:`~engine.mcda.value_functions` — performance to utility
- :mod:`~engine.mcda.aggregation` — weighted sum, weighted product, TOPSIS
- :mod:`~engine.mcda.elicitation` — weights from an order (ROC) or pairwise comparisons (AHP)
- :mod:`~engine.mcda.scoring` — the ranking (:func:`~engine.mcda.scoring.rank`)
- :mod:`~engine.mcda.comparison` — the side-by-side comparison model
- :mod:`engine.mcda.sensitivity` — the robustness analyses, one module each

Imports only :mod:`engine.catalog` (and :mod:`engine.errors`).
"""
