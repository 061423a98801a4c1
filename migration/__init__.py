"""Tools for teams moving from the original FastAPI system (docs/migrating.md)."""
