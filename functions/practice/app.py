"""PracticeFunction: practice sessions over a resume's interview questions, answers evaluated now or in the
background, progress, health, docs. Its responses hold answers, so its traces never capture them."""

from careercoach.api.app import create_http_app, lambda_handler_for
from careercoach.api.practice import DESCRIPTION, PREFIX, TITLE, practice_router

app = create_http_app(prefix=PREFIX, title=TITLE, description=DESCRIPTION, routers=[practice_router()])
lambda_handler = lambda_handler_for(app, capture_response=False)
