"""The template's alarms on the LLM layer's metrics: they exist, watch the metric the registry publishes with
the dimensions it publishes, and notify the existing alarm topic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from local.cfn_yaml import load_yaml

TEMPLATE = Path(__file__).resolve().parents[3] / "template.yaml"


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_yaml(TEMPLATE)


def _alarm_on(template: dict[str, Any], metric: str) -> dict[str, Any]:
    alarms = [
        resource["Properties"]
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::CloudWatch::Alarm" and resource["Properties"].get("MetricName") == metric
    ]
    assert len(alarms) == 1, f"one alarm on {metric}"
    return alarms[0]


def test_fallbacks_above_a_threshold_in_five_minutes_alarm(template: dict[str, Any]) -> None:
    alarm = _alarm_on(template, "LlmDegradedResults")
    assert alarm["Period"] == 300 and alarm["Statistic"] == "Sum"
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["Threshold"] == {"Ref": "LlmFallbackAlarmThreshold"}
    assert template["Parameters"]["LlmFallbackAlarmThreshold"]["Default"] == 5


def test_any_auth_or_configuration_failure_alarms(template: dict[str, Any]) -> None:
    alarm = _alarm_on(template, "LlmConfigFailures")
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (0, "GreaterThanThreshold")
    assert alarm["Period"] == 300 and alarm["Statistic"] == "Sum"


@pytest.mark.parametrize("metric", ["LlmDegradedResults", "LlmConfigFailures"])
def test_the_alarms_select_what_the_registry_publishes_and_notify_the_topic(
    template: dict[str, Any], metric: str
) -> None:
    alarm = _alarm_on(template, metric)
    variables = template["Globals"]["Function"]["Environment"]["Variables"]
    # The registry publishes these with only the Powertools `service` dimension, in the functions' namespace
    # (tests/integration/llm/test_llm_no_silent_fallback.py checks the EMF side).
    assert alarm["Namespace"] == variables["POWERTOOLS_METRICS_NAMESPACE"]
    assert alarm["Dimensions"] == [{"Name": "service", "Value": variables["POWERTOOLS_SERVICE_NAME"]}]
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    assert alarm["TreatMissingData"] == "notBreaching"
    assert template["Resources"]["AlarmTopic"]["Type"] == "AWS::SNS::Topic"
