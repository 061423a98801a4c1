"""WebSocketFunction: $connect, $disconnect, subscribe and unsubscribe on the WebSocket API."""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from careercoach import container
from careercoach.api import websocket
from careercoach.auth import auth_enabled
from careercoach.observability import logger, metrics, tracer


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    environment = container.current()
    return websocket.handle(event, environment.subscriptions, auth_enabled=auth_enabled(environment.settings))
