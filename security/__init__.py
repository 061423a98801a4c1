"""Security tooling for the template: the IaC scan (``make iac-scan``) and its custom checkov checks."""
