"""The curated knowledge base: skills taxonomy, question templates, role expectations and the resource
catalog, and the answer vocabulary of the offline evaluator (`terms`). Shipped as JSON inside the package,
validated and indexed once per execution environment."""

from careercoach.knowledge.loader import Knowledge, KnowledgeError, catalog_entry, knowledge, resources_for
from careercoach.knowledge.terms import Terms, terms

__all__ = ["Knowledge", "KnowledgeError", "Terms", "catalog_entry", "knowledge", "resources_for", "terms"]
