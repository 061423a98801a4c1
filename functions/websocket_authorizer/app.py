"""WebSocketAuthorizerFunction: the $connect REQUEST authorizer. Verifies the bearer token against the
issuer's JWKS and hands the owner (the token's sub) to the connection; refuses with 401 otherwise."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from careercoach import container
from careercoach.api.authorizer import authorize_websocket
from careercoach.observability import logger


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return authorize_websocket(event, container.current().verifier)
