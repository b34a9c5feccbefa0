"""The catalog layer: files in, a validated catalog out.

Strict YAML (:mod:`~engine.catalog.yamlio`), the text, date and range rules shared by
every field (:mod:`~engine.catalog.text`, :mod:`~engine.catalog.dates`,
:mod:`~engine.catalog.ranges`), the file schemas (:mod:`~engine.catalog.schema`),
loading and resolving vendors, criteria, presets and priorities
(:mod:`~engine.catalog.loading`), regions (:mod:`~engine.catalog.regions`), the bundled
data (:mod:`~engine.catalog.bundled`) and the price-dataset importers
(:mod:`engine.catalog.importers`). The only layer that reads the file system; it imports
no other layer of the engine.
"""
