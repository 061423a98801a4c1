"""WorkerFunction: runs generation tasks from SQS. Partial batch responses: a record that raises is
reported as failed and redelivered by SQS alone; the others are deleted."""

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from careercoach import container
from careercoach.observability import logger, metrics, tracer

processor = BatchProcessor(event_type=EventType.SQS)


def run_record(record: SQSRecord, lambda_context: LambdaContext | None = None) -> None:
    # A body that is not a task message raises here; after the last redelivery SQS moves it to the DLQ.
    task_id = json.loads(record.body)["task_id"]
    receive_count = int(record.attributes.approximate_receive_count)
    remaining = lambda_context.get_remaining_time_in_millis if lambda_context is not None else None
    container.current().task_service.run(task_id, receive_count=receive_count, remaining_ms=remaining)


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=run_record, processor=processor, context=context
    )
