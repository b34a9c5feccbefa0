"""Catalog policy: rules a catalog must meet in CI (:mod:`~engine.policy.rules`, with their
waivers) and price drift against a price dataset (:mod:`~engine.policy.price_drift`).

Imports :mod:`engine.mcda` and :mod:`engine.catalog`; never a renderer or the CLI.
"""
