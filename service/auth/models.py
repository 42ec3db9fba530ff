"""Users of the bureaus, their role and their jurisdiction (管辖)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from service.common.access import (  # noqa: F401 (the roles, also read from here)
    ADMIN,
    ANALYST,
    INSPECTOR,
    LEGAL_REVIEWER,
    ROLES,
    SUPERVISOR,
)
from service.db import Base, TimestampMixin, UTCDateTime, VersionedMixin, new_uuid, utcnow


class User(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    #: login name, unique across the country
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(64))
    #: argon2id hash; the password itself is never stored
    password_hash: Mapped[str] = mapped_column(String(255))
    #: one of ROLES
    role: Mapped[str] = mapped_column(String(20), index=True)
    #: the administration's area: the user sees only this region's subtree
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    #: the administration's name, e.g. 上海市宝山区邮政管理局
    bureau_name: Mapped[str | None] = mapped_column(String(128))
    #: enforcement certificate (执法证) number; inspectors need a valid one to enforce
    certificate_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    certificate_valid_from: Mapped[date | None] = mapped_column(Date)
    certificate_valid_until: Mapped[date | None] = mapped_column(Date)
    #: deactivated users cannot log in and their tokens stop working at once
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    def certificate_valid_on(self, day: date) -> bool:
        """True when the enforcement certificate covers `day`."""
        return bool(
            self.certificate_number
            and self.certificate_valid_from
            and self.certificate_valid_until
            and self.certificate_valid_from <= day <= self.certificate_valid_until
        )


class LoginThrottle(Base):
    """Failed logins of one user's name from one client address, and the lock they led to:
    keyed by both, so a stranger who knows a username locks out only their own address."""

    __tablename__ = "login_throttles"

    #: the user whose name was tried (unknown usernames are not tracked)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                               primary_key=True)
    #: the client's address as the app sees it (behind proxies: TRUSTED_PROXY_COUNT)
    client_address: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: consecutive failures from this address; reset by a success or a lock
    failures: Mapped[int] = mapped_column(Integer, default=0)
    #: logins of this username from this address are refused until then
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the last failure, so old rows can be told apart
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
