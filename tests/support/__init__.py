"""Helpers shared by the test suites (events, Lambda contexts, handler loading)."""
