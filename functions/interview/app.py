"""InterviewFunction: interview questions grounded in a stored resume (sync), latest, history, docs."""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from careercoach import http
from careercoach.generation_routes import add_generation_routes
from careercoach.observability import logger, metrics, tracer

PREFIX = "/api/v1/interview"
app = http.create_http_app(
    prefix=PREFIX,
    title="Interview questions API",
    description="Personalised, in-depth interview questions grounded in a stored resume.",
)
add_generation_routes(app, kind="interview", prefix=PREFIX, resource="questions")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return http.resolve(app, event, context)
