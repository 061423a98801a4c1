"""Offline generation of interview questions and learning paths: no network, no API key."""

from careercoach.offline.generator import OfflineGenerator, generate_learning_path, generate_questions

__all__ = ["OfflineGenerator", "generate_learning_path", "generate_questions"]
