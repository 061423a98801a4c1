"""careercoach's own checkov checks, loaded with ``--external-checks-dir`` (checkov needs this file here).

Checkov executes every module in this directory; each module registers its check by instantiating it.
"""
