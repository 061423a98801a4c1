"""Developer tools run by make targets (`make quality`); not shipped in any Lambda layer."""
