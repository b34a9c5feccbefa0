"""Robustness of a ranking: dominance, stability intervals, SMAA-2, what would it take.

All analyses work on a :class:`DecisionProblem`: the utilities of the ranked
offerings (those that pass the must-haves) on the *weighted* criteria, with the
buyer's normalised weights and aggregation method. Criteria the buyer weighted 0 stay
at 0 throughout: the buyer said they do not matter.

Measures
--------
Dominance and Pareto front
    Offering *a* dominates *b* when its utility is at least as high on every weighted
    criterion and strictly higher on one; the non-dominated offerings form the Pareto
    front (Belton & Stewart, *Multiple Criteria Decision Analysis*, 2002, §2.3). A
    dominated offering cannot rank first under any strictly positive weights.
Stability intervals
    How far one weight can move, the others rescaled proportionally, before the first
    place (or the order of the top *k*) changes (Triantaphyllou & Sánchez, *Decision
    Sciences* 28(1), 1997; Mareschal, *EJOR* 33, 1988, for the "others rescaled"
    convention). Closed form for the additive models; for TOPSIS found numerically.
SMAA-2 rank acceptability
    Weights are sampled around the buyer's weights; the rank acceptability
    :math:`b_i^r` is the share of samples in which offering *i* takes rank *r*; the
    central weight vector is the mean of the weights that make *i* first; the
    confidence factor is the share of (value) samples in which *i* is first at its
    central weights (Lahdelma & Salminen, "SMAA-2", *Operations Research* 49(3),
    2001; Tervonen & Figueira, *J. Multi-Crit. Decis. Anal.* 15, 2008).
What would it take
    For an offering that is not first: the smallest change of the weights in the L1
    norm (within bounds the buyer sets) that makes it (at least jointly) first, a
    linear program solved with ``scipy.optimize.linprog`` (HiGHS); and the cut of
    its monthly cost that would, with the weights unchanged. An offering for which no
    weights exist is not *potentially optimal* (Hazen, *Operations Research* 34(2),
    1986).

Modules
-------
- :mod:`~engine.mcda.sensitivity.problem` — :class:`~engine.mcda.sensitivity.problem.DecisionProblem`
- :mod:`~engine.mcda.sensitivity.dominance` — dominance and the Pareto front
- :mod:`~engine.mcda.sensitivity.stability` — stability intervals
- :mod:`~engine.mcda.sensitivity.smaa` — SMAA-2 rank acceptability (weight sampling)
- :mod:`~engine.mcda.sensitivity.what_it_takes` — what would it take (linear programs)
- :mod:`~engine.mcda.sensitivity.report` — all of them on one ranking
  (:func:`~engine.mcda.sensitivity.report.sensitivity_with`)

The four analyses do not import each other (an import-linter contract); each is
imported only by what uses it, so ``shortlist rank`` loads none of them.
"""
