"""LearningFunction: a learning path built from a stored resume (sync and async), progress, latest,
history, health, docs."""

from careercoach.api.generation import generation_app
from careercoach.generation.learning import LEARNING_PATH

app, lambda_handler = generation_app(LEARNING_PATH)
