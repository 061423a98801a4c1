"""LearningFunction: a learning path built from a stored resume (sync), latest, history, docs."""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from careercoach import http
from careercoach.generation_routes import add_generation_routes
from careercoach.observability import logger, metrics, tracer

PREFIX = "/api/v1/learning"
app = http.create_http_app(
    prefix=PREFIX,
    title="Learning path API",
    description="A personalised, ordered learning path built from a stored resume.",
)
add_generation_routes(app, kind="learning_path", prefix=PREFIX, resource="learning-path")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return http.resolve(app, event, context)
