"""Photos as evidence of inspections. Importing the feature hands inspections the photo
half of "flagged" (`service.evidence.flags`)."""

from service.evidence import flags  # noqa: F401
