"""CKV_CC_2: every SQS queue is encrypted at rest, with SSE-SQS or with a KMS key.

Checkov's CKV_AWS_27 accepts only ``KmsMasterKeyId``. careercoach uses SSE-SQS (``SqsManagedSseEnabled``)
on purpose, so CKV_AWS_27 is acknowledged for its queues and this check makes sure neither form is missing.
"""

from __future__ import annotations

from typing import Any

from checkov.cloudformation.checks.resource.base_resource_check import BaseResourceCheck
from checkov.common.models.enums import CheckCategories, CheckResult


def _is_true(value: object) -> bool:
    """CloudFormation takes booleans as YAML/JSON booleans or as the strings "true"/"false"."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


class SQSQueueEncryptedAtRest(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure SQS queues are encrypted at rest (SqsManagedSseEnabled: true or a KmsMasterKeyId)",
            id="CKV_CC_2",
            categories=[CheckCategories.ENCRYPTION],
            supported_resources=["AWS::SQS::Queue"],
            guideline="security/checkov_checks/sqs_encryption.py",
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        self.evaluated_keys = ["Properties/SqsManagedSseEnabled", "Properties/KmsMasterKeyId"]
        properties = conf.get("Properties")
        if not isinstance(properties, dict):
            return CheckResult.FAILED
        if _is_true(properties.get("SqsManagedSseEnabled")):
            return CheckResult.PASSED
        # A key id, alias or ARN; intrinsics (Ref, GetAtt, Sub) arrive as non-empty mappings.
        key = properties.get("KmsMasterKeyId")
        return CheckResult.PASSED if key not in (None, "", {}) else CheckResult.FAILED


check = SQSQueueEncryptedAtRest()
