"""Content tooling for product managers: the catalog and case checks (``catalog validate``), their
rules, and the JSON schemas editors use. Generating a document never needs this package."""
