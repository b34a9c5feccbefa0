"""Importers: turn public price datasets into vendor profiles.

Each importer reads one dataset that an optional package ships (no network), maps it
onto :mod:`engine.catalog.schema` without inventing facts the dataset does not have, and
writes one vendor profile per provider. Only the writing step touches the file system.

- :mod:`engine.catalog.importers.genai_prices` — the ``genai-prices`` package (MIT), the
  ``shortlist import genai-prices`` command and the dataset side of
  ``shortlist prices check``.
"""
