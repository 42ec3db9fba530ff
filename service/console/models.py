"""The console's signed-in sessions, kept server-side so that signing out really ends one.

The session cookie is signed by Flask and carries only this row's id (and the user's): a
request whose row is missing, ended or past its expiry is treated as signed out, so a copied
cookie stops working the moment its owner signs out (or an administrator deactivates them).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, new_uuid, utcnow


class ConsoleSession(Base):
    __tablename__ = "console_sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                               index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the session stops working then (CONSOLE_SESSION_HOURS after signing in)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: set by signing out: the cookie is dead from then on
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def live(self, now: datetime) -> bool:
        return self.ended_at is None and now < self.expires_at
