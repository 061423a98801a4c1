"""CloudFormation short tags and intrinsic functions, evaluated the way CloudFormation does."""

from __future__ import annotations

from pathlib import Path

import pytest

from local.cfn_yaml import load_yaml
from local.intrinsics import IntrinsicError, Resolver, StackInfo, to_env_value


def _resolver() -> Resolver:
    resolver = Resolver(
        StackInfo(stack_name="demo"),
        parameters={"Stage": "prod", "Origins": ["https://a.test", "https://b.test"]},
        conditions={
            "IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
            "IsDev": {"Fn::Not": [{"Condition": "IsProd"}]},
            "Both": {"Fn::And": [{"Condition": "IsProd"}, {"Fn::Or": [{"Condition": "IsDev"}, True]}]},
        },
        mappings={"Sizes": {"prod": {"Memory": 1024}}},
    )
    resolver.register("Queue", "https://queue.url", {"Arn": "arn:aws:sqs:us-east-1:123456789012:q"})
    return resolver


def test_short_tags_become_long_form(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "A: !Ref X\n"
        "B: !GetAtt Queue.Arn\n"
        "C: !Sub '${AWS::Region}-x'\n"
        "D: !If [Cond, 1, 2]\n"
        "E: !Join [',', [a, !Ref Y]]\n"
        "F: !GetAtt [Queue, Arn]\n"
        "G: !Select [0, !Split [',', 'a,b']]\n",
        encoding="utf-8",
    )
    document = load_yaml(path)
    assert document["A"] == {"Ref": "X"}
    assert document["B"] == {"Fn::GetAtt": ["Queue", "Arn"]}
    assert document["C"] == {"Fn::Sub": "${AWS::Region}-x"}
    assert document["D"] == {"Fn::If": ["Cond", 1, 2]}
    assert document["E"] == {"Fn::Join": [",", ["a", {"Ref": "Y"}]]}
    assert document["F"] == {"Fn::GetAtt": ["Queue", "Arn"]}
    assert document["G"] == {"Fn::Select": [0, {"Fn::Split": [",", "a,b"]}]}


def test_ref_getatt_and_pseudo_parameters() -> None:
    resolver = _resolver()
    assert resolver.resolve({"Ref": "Stage"}) == "prod"
    assert resolver.resolve({"Ref": "Queue"}) == "https://queue.url"
    assert resolver.resolve({"Fn::GetAtt": ["Queue", "Arn"]}) == "arn:aws:sqs:us-east-1:123456789012:q"
    assert resolver.resolve({"Ref": "AWS::StackName"}) == "demo"
    assert resolver.resolve({"Ref": "AWS::AccountId"}) == "123456789012"


def test_sub_forms() -> None:
    resolver = _resolver()
    text = "${AWS::Region}:${AWS::AccountId}:${AWS::StackName}:${AWS::Partition}:${AWS::URLSuffix}"
    assert resolver.resolve({"Fn::Sub": text}) == "us-east-1:123456789012:demo:aws:amazonaws.com"
    assert resolver.resolve({"Fn::Sub": "${Queue}|${Queue.Arn}|${Stage}"}) == (
        "https://queue.url|arn:aws:sqs:us-east-1:123456789012:q|prod"
    )
    assert resolver.resolve({"Fn::Sub": ["${Name}-${Stage}", {"Name": {"Ref": "AWS::StackName"}}]}) == (
        "demo-prod"
    )
    assert resolver.resolve({"Fn::Sub": "${!Literal}"}) == "${Literal}"


def test_conditions_and_no_value() -> None:
    resolver = _resolver()
    assert resolver.condition("IsProd") is True
    assert resolver.condition("IsDev") is False
    assert resolver.condition("Both") is True
    assert resolver.resolve({"Fn::If": ["IsDev", "dev", "not-dev"]}) == "not-dev"
    resolved = resolver.resolve(
        {
            "Keep": 1,
            "Drop": {"Fn::If": ["IsDev", 1, {"Ref": "AWS::NoValue"}]},
            "List": [1, {"Ref": "AWS::NoValue"}],
        }
    )
    assert resolved == {"Keep": 1, "List": [1]}


def test_list_functions_and_mappings() -> None:
    resolver = _resolver()
    assert resolver.resolve({"Fn::Join": [";", {"Ref": "Origins"}]}) == "https://a.test;https://b.test"
    assert resolver.resolve({"Fn::Select": [1, {"Ref": "Origins"}]}) == "https://b.test"
    assert resolver.resolve({"Fn::Split": ["-", "a-b"]}) == ["a", "b"]
    assert resolver.resolve({"Fn::FindInMap": ["Sizes", {"Ref": "Stage"}, "Memory"]}) == 1024
    assert resolver.resolve({"Fn::GetAZs": ""}) == ["us-east-1a", "us-east-1b", "us-east-1c"]


def test_unknown_references_fail_clearly() -> None:
    resolver = _resolver()
    with pytest.raises(IntrinsicError, match="Missing"):
        resolver.resolve({"Ref": "Missing"})
    with pytest.raises(IntrinsicError, match=r"Queue\.Nope"):
        resolver.resolve({"Fn::GetAtt": ["Queue", "Nope"]})
    with pytest.raises(IntrinsicError, match="ImportValue"):
        resolver.resolve({"Fn::ImportValue": "x"})


def test_environment_values_are_strings() -> None:
    assert to_env_value(True) == "true"
    assert to_env_value(30) == "30"
    assert to_env_value(["a", "b"]) == "a,b"
    with pytest.raises(IntrinsicError):
        to_env_value({"a": 1})
