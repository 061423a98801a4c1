"""careercoach: the domain package shared by every function (the core Lambda layer)."""
