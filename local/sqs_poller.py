"""The Lambda SQS trigger: poll each queue that a function's `Type: SQS` event names and invoke it in batches.

Semantics follow the Lambda event source mapping:
- a batch holds up to BatchSize messages, in the Lambda SQS event shape;
- the handler returning normally deletes the batch; raising leaves every message for a retry;
- with ReportBatchItemFailures, only the messages listed in `batchItemFailures` are retried, and a malformed
  response fails the whole batch;
- a retried message becomes visible again after the queue's VisibilityTimeout (or `retry_delay_seconds`, to
  keep local loops short), and moto moves it to the DLQ once it has been received maxReceiveCount times.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from local.template import SqsTrigger

log = logging.getLogger("local.sqs")

Invoke = Callable[[str, Any], Any]
MAX_RECEIVE = 10  # SQS hands out at most 10 messages per ReceiveMessage call


class _Poller:
    def __init__(
        self,
        trigger: SqsTrigger,
        queue_arn: str,
        queue_url: str,
        sqs: Any,
        invoke: Invoke,
        region: str,
        retry_delay_seconds: int | None,
        idle_seconds: float,
    ) -> None:
        self.trigger = trigger
        self.queue_arn = queue_arn
        self.queue_url = queue_url
        self.sqs = sqs
        self.invoke = invoke
        self.region = region
        self.retry_delay_seconds = retry_delay_seconds
        self.idle_seconds = idle_seconds
        self.stopping = threading.Event()
        self.thread = threading.Thread(
            target=self._loop, name=f"local-sqs-{trigger.function_id}-{trigger.event_name}", daemon=True
        )

    def _loop(self) -> None:
        while not self.stopping.is_set():
            try:
                messages = self._receive()
                if messages:
                    self.process(messages)
                    continue
            except Exception:
                if self.stopping.is_set():
                    return  # moto may already be gone during shutdown
                log.exception("polling %s failed", self.queue_arn)
            self.stopping.wait(self.idle_seconds)

    def _receive(self) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        deadline = time.monotonic() + self.trigger.maximum_batching_window_seconds
        while len(messages) < self.trigger.batch_size and not self.stopping.is_set():
            response = self.sqs.receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=min(MAX_RECEIVE, self.trigger.batch_size - len(messages)),
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
                WaitTimeSeconds=0,
            )
            received = response.get("Messages", [])
            messages.extend(received)
            if not received and (not messages or time.monotonic() >= deadline):
                break
            if not received:
                self.stopping.wait(0.05)  # inside the batching window: wait a little for more
        return messages

    def process(self, messages: list[dict[str, Any]]) -> None:
        started = time.perf_counter()
        event = {"Records": [self._record(message) for message in messages]}
        failed_ids = self._invoke(event, {message["MessageId"] for message in messages})
        succeeded = [message for message in messages if message["MessageId"] not in failed_ids]
        for start in range(0, len(succeeded), MAX_RECEIVE):
            chunk = succeeded[start : start + MAX_RECEIVE]
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(chunk)],
            )
        if self.retry_delay_seconds is not None:
            for message in messages:
                if message["MessageId"] in failed_ids:
                    self.sqs.change_message_visibility(
                        QueueUrl=self.queue_url,
                        ReceiptHandle=message["ReceiptHandle"],
                        VisibilityTimeout=self.retry_delay_seconds,
                    )
        elapsed = (time.perf_counter() - started) * 1000
        log.info(
            "SQS %s batch=%d failed=%d %.1fms",
            self.trigger.function_id,
            len(messages),
            len(failed_ids),
            elapsed,
        )

    def _invoke(self, event: dict[str, Any], message_ids: set[str]) -> set[str]:
        """The ids of the messages to retry."""
        try:
            result = self.invoke(self.trigger.function_id, event)
        except Exception:
            log.exception("%s failed; the whole batch will be retried", self.trigger.function_id)
            return message_ids
        if not self.trigger.report_batch_item_failures or result is None:
            return set()
        # Lambda's rules: no or empty batchItemFailures is a full success; anything malformed (a non-object
        # response, an item without a valid itemIdentifier) fails the whole batch.
        failures = result.get("batchItemFailures") if isinstance(result, dict) else "malformed"
        if not failures:
            return set()
        identifiers = (
            [item.get("itemIdentifier") if isinstance(item, dict) else None for item in failures]
            if isinstance(failures, list)
            else [None]
        )
        if any(identifier not in message_ids for identifier in identifiers):
            log.error(
                "%s returned malformed batchItemFailures; retrying the whole batch", self.trigger.function_id
            )
            return message_ids
        return {str(identifier) for identifier in identifiers}

    def _record(self, message: dict[str, Any]) -> dict[str, Any]:
        record: dict[str, Any] = {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message.get("Body", ""),
            "attributes": dict(message.get("Attributes", {})),
            "messageAttributes": {
                name: _message_attribute(value)
                for name, value in message.get("MessageAttributes", {}).items()
            },
            "md5OfBody": message.get("MD5OfBody"),
            "eventSource": "aws:sqs",
            "eventSourceARN": self.queue_arn,
            "awsRegion": self.region,
        }
        if "MD5OfMessageAttributes" in message:
            record["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"]
        return record


def _message_attribute(value: dict[str, Any]) -> dict[str, Any]:
    attribute: dict[str, Any] = {
        "stringListValues": [],
        "binaryListValues": [],
        "dataType": value["DataType"],
    }
    if "StringValue" in value:
        attribute["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        attribute["binaryValue"] = base64.b64encode(value["BinaryValue"]).decode()
    return attribute


class SqsPoller:
    """One polling thread per enabled SQS trigger."""

    name = "sqs"

    def __init__(self) -> None:
        self._pollers: list[_Poller] = []

    def add(self, poller: _Poller) -> None:
        self._pollers.append(poller)

    @property
    def pollers(self) -> list[_Poller]:
        return list(self._pollers)

    def start(self) -> None:
        for poller in self._pollers:
            poller.thread.start()

    def stop(self) -> None:
        for poller in self._pollers:
            poller.stopping.set()
        for poller in self._pollers:
            if poller.thread.is_alive():
                poller.thread.join(timeout=30)


def build_poller(
    triggers: list[SqsTrigger],
    resolve: Callable[[Any], Any],
    sqs: Any,
    invoke: Invoke,
    region: str,
    retry_delay_seconds: int | None = None,
    idle_seconds: float = 0.2,
) -> SqsPoller:
    component = SqsPoller()
    for trigger in triggers:
        if not trigger.enabled:
            continue
        arn = str(resolve(trigger.queue))
        url = sqs.get_queue_url(QueueName=arn.rsplit(":", 1)[-1])["QueueUrl"]
        component.add(_Poller(trigger, arn, url, sqs, invoke, region, retry_delay_seconds, idle_seconds))
    return component
