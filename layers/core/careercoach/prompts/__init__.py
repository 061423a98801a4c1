"""Versioned prompt templates (Korean and English) and the compact, contact-free resume they carry."""

from careercoach.prompts.builder import PROMPT_VERSION, Prompt, interview_prompt, learning_prompt

__all__ = ["PROMPT_VERSION", "Prompt", "interview_prompt", "learning_prompt"]
