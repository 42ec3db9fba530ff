"""Postal inspection and enforcement backend (邮政行业监督检查与执法)."""

from service.app import create_app

__all__ = ["create_app"]
