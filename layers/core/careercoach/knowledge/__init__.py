"""The curated knowledge base: skills taxonomy, question templates, role expectations and the resource
catalog. Shipped as JSON inside the package, validated and indexed once per execution environment."""

from careercoach.knowledge.loader import Knowledge, KnowledgeError, catalog_entry, knowledge, resources_for

__all__ = ["Knowledge", "KnowledgeError", "catalog_entry", "knowledge", "resources_for"]
