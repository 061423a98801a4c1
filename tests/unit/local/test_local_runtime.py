"""LocalRuntime against the fixture template: resources really exist in moto, env resolves to them."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import boto3
import pytest

from local.runtime import LocalRuntime

FIXTURES = Path(__file__).parent / "fixtures"


def _client(runtime: LocalRuntime, service: str) -> Any:
    return boto3.client(service, endpoint_url=runtime.endpoint, region_name="us-east-1")


def test_dynamodb_table_with_gsi_and_ttl(runtime: LocalRuntime) -> None:
    dynamodb = _client(runtime, "dynamodb")
    table = dynamodb.describe_table(TableName="careercoach-local-tasks")["Table"]
    assert table["KeySchema"] == [{"AttributeName": "task_id", "KeyType": "HASH"}]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    (index,) = table["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "by_unique_key"
    ttl = dynamodb.describe_time_to_live(TableName="careercoach-local-tasks")["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"}


def test_queue_with_redrive_to_dlq(runtime: LocalRuntime) -> None:
    sqs = _client(runtime, "sqs")
    url = runtime.environment["TASKS_QUEUE_URL"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["VisibilityTimeout"] == "30"
    redrive = json.loads(attributes["RedrivePolicy"])
    assert redrive["deadLetterTargetArn"] == "arn:aws:sqs:us-east-1:123456789012:careercoach-local-TasksDLQ"
    assert int(redrive["maxReceiveCount"]) == 2
    dlq_url = sqs.get_queue_url(QueueName="careercoach-local-TasksDLQ")["QueueUrl"]
    dlq = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["MessageRetentionPeriod"])["Attributes"]
    assert dlq["MessageRetentionPeriod"] == "1209600"


def test_topic_exists(runtime: LocalRuntime) -> None:
    topics = _client(runtime, "sns").list_topics()["Topics"]
    assert {"TopicArn": runtime.environment["ALARM_TOPIC_ARN"]} in topics


def test_environment_resolves_intrinsics(runtime: LocalRuntime) -> None:
    env = runtime.environment
    assert env["STAGE"] == "dev"
    assert env["LOG_LEVEL"] == "DEBUG"
    assert env["TASKS_TABLE"] == "careercoach-local-tasks"
    assert env["TASKS_TABLE_ARN"] == "arn:aws:dynamodb:us-east-1:123456789012:table/careercoach-local-tasks"
    assert env["TASKS_QUEUE_URL"].startswith(runtime.endpoint)
    assert env["TASKS_QUEUE_ARN"] == "arn:aws:sqs:us-east-1:123456789012:careercoach-local-TasksQueue"
    assert env["QUEUE_NAME_VIA_SUB"] == "careercoach-local-TasksQueue"
    assert env["STACK_INFO"] == "us-east-1/123456789012/careercoach-local/aws"
    assert env["API_URL"] == runtime.http_url
    assert env["ORIGINS"] == "http://localhost:5173;https://*.example.com"
    assert env["FIRST_ORIGIN"] == "http://localhost:5173"
    assert env["DEBUG_ONLY"] == "yes"
    assert env["ECHO_ONLY"] == "echo"  # one function's own variable joins the shared union
    for key in ("TASKS_TABLE", "AWS_ENDPOINT_URL", "AWS_SAM_LOCAL"):
        assert os.environ[key] == env[key]


def test_invoke_runs_the_real_handler_with_env_and_layers(runtime: LocalRuntime) -> None:
    result = runtime.invoke("EchoFunction", {"hello": "world"})
    body = json.loads(result["body"])
    assert body["event"] == {"hello": "world"}
    assert body["layer"] == "fixturelib"
    assert body["env"]["TASKS_TABLE"] == "careercoach-local-tasks"
    assert body["env"]["AWS_ENDPOINT_URL"] == runtime.endpoint
    assert body["context"]["function_name"] == "careercoach-local-EchoFunction"


def test_handlers_reach_moto_through_aws_endpoint_url(runtime: LocalRuntime) -> None:
    message = {
        "Records": [{"messageId": "m1", "body": "hello", "attributes": {"ApproximateReceiveCount": "1"}}]
    }
    assert runtime.invoke("WorkerFunction", message) == {"batchItemFailures": []}
    item = _client(runtime, "dynamodb").get_item(
        TableName="careercoach-local-tasks", Key={"task_id": {"S": "hello#1"}}
    )
    assert item["Item"]["unique_key"] == {"S": "hello"}


def test_routes_and_docs(runtime: LocalRuntime) -> None:
    assert "GET /items/{id}" in {route.route_key for route in runtime.routes}
    assert runtime.docs_urls == [f"{runtime.http_url}/api/v1/echo/docs"]
    assert set(runtime.function_names) == {
        "EchoFunction",
        "OtherFunction",
        "ShapesFunction",
        "WorkerFunction",
    }


def test_unknown_function_invoke(runtime: LocalRuntime) -> None:
    with pytest.raises(KeyError, match="EchoFunction"):
        runtime.invoke("Missing", {})
