"""Translate SAM templates to the CloudFormation that AWS would deploy, offline.

Run with the tools environment's interpreter (it has samtranslator):

    .venv-tools/bin/python security/sam_transform.py template.yaml=out/template.json [more=pairs ...]

The transform runs fully offline: no credentials, no AWS calls. Local code paths (``CodeUri: functions/x/``)
are replaced by placeholder S3 URIs first, as ``sam validate`` does, because the translator only accepts S3
locations; nothing else in the template is changed. The managed-policy loader returns an empty map
instead of asking IAM: the translator then turns an AWS managed policy name into its
``arn:aws:iam::aws:policy/`` ARN by itself.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

PLACEHOLDER_BUCKET = "s3://iac-scan-placeholder"

# Properties the translator insists be S3 locations, per SAM resource type.
LOCAL_URI_PROPERTIES = {
    "AWS::Serverless::Function": "CodeUri",
    "AWS::Serverless::LayerVersion": "ContentUri",
    "AWS::Serverless::Api": "DefinitionUri",
    "AWS::Serverless::HttpApi": "DefinitionUri",
    "AWS::Serverless::StateMachine": "DefinitionUri",
}


class _NoManagedPolicies:
    """The managed-policy loader the translator asks for; a real one would list policies through IAM."""

    def load(self) -> dict[str, str]:
        return {}


def _placeholder(value: object) -> object:
    """An S3 URI standing in for a local path; S3 URIs and {Bucket, Key} objects are kept."""
    if isinstance(value, str) and not value.startswith("s3://"):
        return f"{PLACEHOLDER_BUCKET}/{value.strip('/') or 'root'}"
    return value


def replace_local_uris(template: dict[str, Any]) -> dict[str, Any]:
    """Point every local code or definition path at a placeholder S3 URI (in place; returned for chaining)."""
    function_globals = template.get("Globals", {}).get("Function", {})
    if isinstance(function_globals, dict) and "CodeUri" in function_globals:
        function_globals["CodeUri"] = _placeholder(function_globals["CodeUri"])
    for resource in template.get("Resources", {}).values():
        if not isinstance(resource, dict):
            continue
        key = LOCAL_URI_PROPERTIES.get(resource.get("Type", ""))
        properties = resource.get("Properties")
        if key is None or not isinstance(properties, dict):
            continue
        if key in properties:
            properties[key] = _placeholder(properties[key])
        elif (
            key == "CodeUri"
            and properties.get("PackageType", "Zip") == "Zip"
            and "InlineCode" not in properties
        ):
            # Inherits a local CodeUri from Globals, or none: the translator needs one either way.
            properties[key] = _placeholder(function_globals.get("CodeUri", "."))
    return template


def transform_file(source: Path) -> dict[str, Any]:
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse

    template = replace_local_uris(yaml_parse(source.read_text(encoding="utf-8")))
    result: dict[str, Any] = transform(template, {}, _NoManagedPolicies())
    return result


def main(argv: list[str]) -> int:
    if not argv or any("=" not in arg for arg in argv):
        print(__doc__, file=sys.stderr)
        return 2
    # The translator looks up the region's partition; it never calls AWS.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    for arg in argv:
        source, _, target = arg.partition("=")
        try:
            translated = transform_file(Path(source))
        except Exception as error:  # the translator's own exceptions carry every problem it found
            causes = getattr(error, "causes", None) or [error]
            print(f"sam_transform: {source}: cannot translate:", file=sys.stderr)
            for cause in causes:
                print(f"  - {cause}", file=sys.stderr)
            return 1
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_text(json.dumps(translated, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
