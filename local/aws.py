"""A moto server on loopback, and the template's data resources (tables, queues, topics...) created in it.

Resources are created in dependency order (a DLQ before the queue whose RedrivePolicy points at it) and each
registers what `Ref`/`Fn::GetAtt` return for it, so function environments resolve to the local names.
"""

from __future__ import annotations

import json
import logging
import secrets
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

from local.intrinsics import NO_VALUE, Resolver
from local.template import (
    SERVERLESS_LAYER,
    Template,
    TemplateError,
    referenced_ids,
)

log = logging.getLogger("local.aws")

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


class MotoServer:
    """moto in this process, bound to 127.0.0.1 only (port 0 picks a free one)."""

    name = "moto"

    def __init__(self, port: int = 0) -> None:
        self._requested_port = port
        self._server: ThreadedMotoServer | None = None
        self.endpoint = ""

    def start(self) -> None:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per AWS call is noise
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self._requested_port, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        # moto keeps its state in module globals shared by every server in the process: start from empty.
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")  # noqa: S310
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310 - loopback URL built above
            pass

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None


def client(service: str, endpoint: str, region: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=FAKE_CREDENTIALS["AWS_SESSION_TOKEN"],
    )


def _physical_name(template: Template, logical_id: str, explicit: Any, limit: int = 80) -> str:
    """CloudFormation appends a random suffix; locally a stable `<stack>-<LogicalId>` is easier to find."""
    if explicit not in (None, NO_VALUE):
        return str(explicit)
    return f"{template.stack.stack_name}-{logical_id}"[:limit]


def _arn(template: Template, service: str, resource: str) -> str:
    stack = template.stack
    return f"arn:{stack.partition}:{service}:{stack.region}:{stack.account_id}:{resource}"


class ResourceProvisioner:
    """Creates the supported resources in moto and teaches the resolver their names, ARNs and URLs."""

    def __init__(self, template: Template, resolver: Resolver, endpoint: str) -> None:
        self.template = template
        self.resolver = resolver
        self.endpoint = endpoint
        self.created: dict[str, str] = {}  # logical id -> physical id, for reporting
        self._creators: dict[str, Callable[[str, dict[str, Any]], None]] = {
            "AWS::DynamoDB::Table": self._table,
            "AWS::Serverless::SimpleTable": self._simple_table,
            "AWS::SQS::Queue": self._queue,
            "AWS::SNS::Topic": self._topic,
            "AWS::SNS::Subscription": self._subscription,
            "AWS::SecretsManager::Secret": self._secret,
            "AWS::SSM::Parameter": self._ssm_parameter,
        }

    def _client(self, service: str) -> Any:
        return client(service, self.endpoint, self.template.stack.region)

    def provision(self) -> None:
        self._register_compute()
        supported = {
            key: value
            for key, value in self.template.resources.items()
            if value.get("Type") in self._creators
        }
        for logical_id in _dependency_order(supported):
            resource = supported[logical_id]
            properties = self.resolver.resolve(resource.get("Properties") or {})
            self._creators[resource["Type"]](logical_id, properties)

    # --- resources that are not created but are referred to -----------------------------------------
    def _register_compute(self) -> None:
        template = self.template
        for logical_id, spec in template.functions.items():
            name = _physical_name(template, logical_id, self.resolver.resolve(spec.function_name), 64)
            arn = _arn(template, "lambda", f"function:{name}")
            self.resolver.register(logical_id, name, {"Arn": arn})
        for logical_id, resource in template.resources.items():
            if resource.get("Type") == SERVERLESS_LAYER:
                arn = _arn(template, "lambda", f"layer:{template.stack.stack_name}-{logical_id}:1")
                self.resolver.register(logical_id, arn, {"Arn": arn})

        def fallback(logical_id: str, attribute: str | None) -> Any:
            if logical_id not in template.resources:
                raise TemplateError(f"reference to unknown resource or parameter {logical_id!r}")
            if attribute is None:
                return logical_id
            # IAM roles, alarms, log groups...: nothing local stands behind them, a stable fake ARN is enough.
            return _arn(template, "local", f"{logical_id}/{attribute}")

        self.resolver.set_fallback(fallback)

    # --- creators -----------------------------------------------------------------------------------
    def _table(self, logical_id: str, props: dict[str, Any]) -> None:
        name = _physical_name(self.template, logical_id, props.get("TableName"), 255)
        request: dict[str, Any] = {
            "TableName": name,
            "KeySchema": props["KeySchema"],
            "AttributeDefinitions": props["AttributeDefinitions"],
            "BillingMode": props.get("BillingMode", "PROVISIONED"),
        }
        if request["BillingMode"] == "PROVISIONED":
            request["ProvisionedThroughput"] = props.get(
                "ProvisionedThroughput", {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
            )
        index_keys = ("IndexName", "KeySchema", "Projection", "ProvisionedThroughput")
        for kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
            if props.get(kind):
                request[kind] = [{k: v for k, v in index.items() if k in index_keys} for index in props[kind]]
        stream = props.get("StreamSpecification")
        if stream:
            request["StreamSpecification"] = {
                "StreamEnabled": True,
                "StreamViewType": stream["StreamViewType"],
            }
        dynamodb = self._client("dynamodb")
        description = dynamodb.create_table(**request)["TableDescription"]
        ttl = props.get("TimeToLiveSpecification")
        if ttl and str(ttl.get("Enabled", False)).lower() == "true":
            dynamodb.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True},
            )
        attributes = {"Arn": description["TableArn"]}
        if "LatestStreamArn" in description:
            attributes["StreamArn"] = description["LatestStreamArn"]
        self.resolver.register(logical_id, name, attributes)
        self.created[logical_id] = name

    def _simple_table(self, logical_id: str, props: dict[str, Any]) -> None:
        key = props.get("PrimaryKey") or {"Name": "id", "Type": "String"}
        kind = {"String": "S", "Number": "N", "Binary": "B"}[key.get("Type", "String")]
        self._table(
            logical_id,
            {
                "TableName": props.get("TableName"),
                "KeySchema": [{"AttributeName": key["Name"], "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": key["Name"], "AttributeType": kind}],
                "BillingMode": "PAY_PER_REQUEST",
            },
        )

    def _queue(self, logical_id: str, props: dict[str, Any]) -> None:
        fifo = str(props.get("FifoQueue", False)).lower() == "true"
        name = _physical_name(self.template, logical_id, props.get("QueueName"))
        if fifo and not name.endswith(".fifo"):
            name += ".fifo"
        attributes: dict[str, str] = {}
        for key, value in props.items():
            if key in ("QueueName", "Tags"):
                continue
            if isinstance(value, dict):  # RedrivePolicy / RedriveAllowPolicy are JSON strings in the API
                attributes[key] = json.dumps(value)
            elif isinstance(value, bool):
                attributes[key] = "true" if value else "false"
            else:
                attributes[key] = str(value)
        sqs = self._client("sqs")
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.resolver.register(logical_id, url, {"Arn": arn, "QueueName": name, "QueueUrl": url})
        self.created[logical_id] = url

    def _topic(self, logical_id: str, props: dict[str, Any]) -> None:
        name = _physical_name(self.template, logical_id, props.get("TopicName"), 256)
        attributes = {
            key: str(props[key]).lower() for key in ("FifoTopic", "ContentBasedDeduplication") if key in props
        }
        sns = self._client("sns")
        arn = sns.create_topic(Name=name, Attributes=attributes)["TopicArn"]
        for subscription in props.get("Subscription") or []:
            sns.subscribe(TopicArn=arn, Protocol=subscription["Protocol"], Endpoint=subscription["Endpoint"])
        self.resolver.register(logical_id, arn, {"TopicArn": arn, "TopicName": name})
        self.created[logical_id] = arn

    def _subscription(self, logical_id: str, props: dict[str, Any]) -> None:
        attributes = {"RawMessageDelivery": str(props["RawMessageDelivery"]).lower()}
        response = self._client("sns").subscribe(
            TopicArn=props["TopicArn"],
            Protocol=props["Protocol"],
            Endpoint=props["Endpoint"],
            Attributes=attributes if "RawMessageDelivery" in props else {},
            ReturnSubscriptionArn=True,
        )
        self.resolver.register(logical_id, response["SubscriptionArn"])

    def _secret(self, logical_id: str, props: dict[str, Any]) -> None:
        name = _physical_name(self.template, logical_id, props.get("Name"), 512)
        value = props.get("SecretString")
        generate = props.get("GenerateSecretString")
        if value is None and generate is not None:
            generated = secrets.token_urlsafe(int(generate.get("PasswordLength", 32)))
            if "SecretStringTemplate" in generate:
                document = json.loads(generate["SecretStringTemplate"])
                document[generate["GenerateStringKey"]] = generated
                value = json.dumps(document)
            else:
                value = generated
        request: dict[str, Any] = {"Name": name, "SecretString": value if value is not None else ""}
        if props.get("Description"):
            request["Description"] = props["Description"]
        arn = self._client("secretsmanager").create_secret(**request)["ARN"]
        self.resolver.register(logical_id, arn, {"Id": arn})
        self.created[logical_id] = arn

    def _ssm_parameter(self, logical_id: str, props: dict[str, Any]) -> None:
        name = _physical_name(self.template, logical_id, props.get("Name"), 2048)
        if not name.startswith("/") and "Name" not in props:
            name = f"{self.template.stack.stack_name}-{logical_id}"
        self._client("ssm").put_parameter(
            Name=name, Value=str(props["Value"]), Type=props.get("Type", "String"), Overwrite=True
        )
        self.resolver.register(
            logical_id, name, {"Type": props.get("Type", "String"), "Value": props["Value"]}
        )
        self.created[logical_id] = name


def _dependency_order(resources: Mapping[str, dict[str, Any]]) -> list[str]:
    """Topological order over references between the resources being created (DependsOn included)."""
    dependencies: dict[str, set[str]] = {}
    for key, value in resources.items():
        depends_on = value.get("DependsOn") or []
        needs = referenced_ids(value.get("Properties")) | set(
            [depends_on] if isinstance(depends_on, str) else depends_on
        )
        dependencies[key] = {name for name in needs if name in resources and name != key}
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(key: str) -> None:
        if key in ordered:
            return
        if key in visiting:
            raise TemplateError(f"circular reference between resources involving {key}")
        visiting.add(key)
        for dependency in sorted(dependencies[key]):
            visit(dependency)
        visiting.discard(key)
        ordered.append(key)

    for key in resources:
        visit(key)
    return ordered
