"""ResumesFunction: resume CRUD over the HTTP API."""

from careercoach.api.app import create_http_app, lambda_handler_for
from careercoach.api.resumes import DESCRIPTION, PREFIX, TITLE, resumes_router

app = create_http_app(prefix=PREFIX, title=TITLE, description=DESCRIPTION, routers=[resumes_router()])
lambda_handler = lambda_handler_for(app)
