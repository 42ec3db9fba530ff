"""Enforcement (执法). Importing the feature hands the tasks feature what a completed
re-inspection does to its rectification order (`service.enforcement.hooks`)."""

from service.enforcement import hooks  # noqa: F401
