"""Powertools logger, tracer and metrics shared by every function in this execution environment.

Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE, set in
the template's Globals. Nothing here logs request bodies or resume content."""

from __future__ import annotations

import warnings
from collections.abc import Mapping

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
metrics = Metrics()

# Reads and health checks record no metric of their own; Powertools warns on every such flush, which would
# put one warning per request in the logs and say nothing.
warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)


def record_generation(
    kind: str, provider: str, outcome: str, values: Mapping[str, float] | None = None
) -> None:
    """One EMF document per generation, dimensioned by kind, provider and outcome. Its own (ephemeral) metric
    set, so these dimensions do not leak onto the handler's other metrics."""
    from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit

    try:
        emf = EphemeralMetrics()
        emf.add_dimension(name="kind", value=kind)
        emf.add_dimension(name="provider", value=provider)
        emf.add_dimension(name="outcome", value=outcome)
        emf.add_metric(name="Generations", unit=MetricUnit.Count, value=1)
        for name, value in (values or {}).items():
            emf.add_metric(name=name, unit=MetricUnit.Count, value=value)
        emf.flush_metrics()
    except Exception as exc:  # metrics must never fail a generation
        logger.debug("Generation metrics not published", extra={"error_type": type(exc).__name__})
