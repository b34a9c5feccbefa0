"""Every renderer: what a user reads or downloads.

- :mod:`~engine.reports.export` — ranking and sensitivity as table, CSV, JSON; priorities YAML
- :mod:`~engine.reports.excel` — the ranking as an Excel workbook
- :mod:`~engine.reports.record` — the decision record (Markdown)
- :mod:`~engine.reports.compare` — the comparison as table, Markdown, CSV, JSON
- :mod:`~engine.reports.policy_output` — policy results as text, JSON, JUnit, GitHub, SARIF
- :mod:`~engine.reports.price_drift` — price drift as text and JSON
- :mod:`~engine.reports.diff` — how a ranking changed between two catalogs (Markdown)
- :mod:`~engine.reports.escape`, :mod:`~engine.reports.summarise` — escaping for each
  output channel; cutting long lists

Imports the model layers below (policy, mcda, catalog); never the CLI.
"""
