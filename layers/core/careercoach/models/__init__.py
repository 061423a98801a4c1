"""Domain models (Pydantic v2)."""
