"""The domain model, at the bottom of the layers: the vocabularies, the needs profile, the catalog
with its pricing, the case. Everything above reads these types; nothing here imports a stage."""
