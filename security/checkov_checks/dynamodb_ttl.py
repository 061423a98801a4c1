"""CKV_CC_1: every DynamoDB table expires its items (Time to Live enabled).

Every table in this application holds ephemeral data (task progress, WebSocket connections, idempotency
records, quota counters); a table without TTL grows forever and keeps user-linked data longer than needed.
"""

from __future__ import annotations

from typing import Any

from checkov.cloudformation.checks.resource.base_resource_check import BaseResourceCheck
from checkov.common.models.enums import CheckCategories, CheckResult


def _is_true(value: object) -> bool:
    """CloudFormation takes booleans as YAML/JSON booleans or as the strings "true"/"false"."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


class DynamoDBTableTimeToLive(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure DynamoDB tables enable Time to Live (all careercoach tables hold ephemeral data)",
            id="CKV_CC_1",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=["AWS::DynamoDB::Table"],
            guideline="security/checkov_checks/dynamodb_ttl.py",
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        self.evaluated_keys = ["Properties/TimeToLiveSpecification/Enabled"]
        properties = conf.get("Properties")
        ttl = properties.get("TimeToLiveSpecification") if isinstance(properties, dict) else None
        if not isinstance(ttl, dict) or not _is_true(ttl.get("Enabled")):
            return CheckResult.FAILED
        attribute = ttl.get("AttributeName")
        return CheckResult.PASSED if isinstance(attribute, str) and attribute else CheckResult.FAILED


check = DynamoDBTableTimeToLive()
