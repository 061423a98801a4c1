"""InterviewFunction: interview questions grounded in a stored resume (sync and async), progress, latest,
history, health, docs."""

from careercoach.api.generation import generation_app
from careercoach.generation.interview import INTERVIEW

app, lambda_handler = generation_app(INTERVIEW)
