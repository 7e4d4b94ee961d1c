"""The seller's business database: models, sessions, migrations and the demo shop."""
