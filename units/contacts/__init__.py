"""联络员: each unit's contact people, kept by the office; models registered with the units app
(``units.models`` re-exports them). Imports nothing of ``tasks/``."""
