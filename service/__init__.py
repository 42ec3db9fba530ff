"""Postal inspection and enforcement backend (邮政行业监督检查与执法)."""

import service.audit.hooks  # noqa: F401  (every process that writes keeps the audit trail)
from service.app import create_app

__all__ = ["create_app"]
