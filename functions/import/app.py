"""ImportFunction: resume import (POST /api/v1/resumes/import: a PDF, Word or text file in, a resume out),
health, docs. Its own function so that the Resumes function's CRUD stays free of the document libraries
(the import layer) and of the LLM layer; see template.yaml."""

from careercoach.api.importing import import_app

app, lambda_handler = import_app()
