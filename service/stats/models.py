"""Snapshots of the figures bureaus report, and the periods waiting to be recomputed.

A snapshot is replaced whole, per period, inside one transaction (`service.stats.compute`),
so a repeated or crashed run leaves exactly one correct set; the primary keys make a second
copy impossible even if two runs raced.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime

#: site_type of a rate row that sums every type the rate counts
ALL_TYPES = "all"
#: recomputed from audited rows, so the audit trail leaves them out (service.audit.hooks)
DERIVED = {"info": {"audit": False}}


class CoverageSnapshot(Base):
    """One rate (覆盖率) for one region subtree, period and site type."""

    __tablename__ = "coverage_snapshots"
    # The key (period, region, type, rate) is the primary key: one row each, ever; its
    # prefix (period, region) serves every read. Derived data: not on the audit trail.
    __table_args__ = DERIVED

    #: "2026-11", "2026-Q4" or "2026"
    period_key: Mapped[str] = mapped_column(String(8), primary_key=True)
    #: the subtree's root: national 000000, a province, a city or a district
    region_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    #: a site type, or "all" for the rate over every type it counts
    site_type: Mapped[str] = mapped_column(String(24), primary_key=True)
    #: one of service.stats.rates.RATES (inspection_coverage, publication_point_coverage, …)
    rate: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: month, quarter or year (China time)
    period_kind: Mapped[str] = mapped_column(String(8))
    #: national, province, city or district
    region_level: Mapped[str] = mapped_column(String(16))
    numerator: Mapped[int] = mapped_column(BigInteger)
    denominator: Mapped[int] = mapped_column(BigInteger)
    #: numerator / denominator; null when the denominator is 0 (never 0% or 100%)
    value: Mapped[float | None] = mapped_column(Float)
    #: the target the rate is held to (e.g. 0.4), null when it has none
    target: Mapped[float | None] = mapped_column(Float)
    #: value >= target; null when either is null
    met: Mapped[bool | None] = mapped_column(Boolean)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MonthlyFigure(Base):
    """One count of the monthly statistics (月度执法统计) for one region subtree and month."""

    __tablename__ = "monthly_figures"
    __table_args__ = DERIVED
    #: "2026-11"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    #: one of service.stats.figures.FIGURES (inspections, sites_inspected, stock_…)
    figure: Mapped[str] = mapped_column(String(40), primary_key=True)
    region_level: Mapped[str] = mapped_column(String(16))
    value: Mapped[int] = mapped_column(BigInteger)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StatPeriod(Base):
    """A period that has been computed; its row is the lock a computation holds."""

    __tablename__ = "stat_periods"
    __table_args__ = DERIVED

    period_key: Mapped[str] = mapped_column(String(8), primary_key=True)
    period_kind: Mapped[str] = mapped_column(String(8))
    #: when the snapshot now stored was computed; null while never computed
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DirtyMonth(Base):
    """A past month whose figures changed after they were computed (a late inspection or
    void): the worker recomputes it, and its quarter and year."""

    __tablename__ = "stat_dirty_months"
    __table_args__ = DERIVED

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    #: the latest change; a recomputation clears the mark only if nothing came after it
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RecyclingPass(Base):
    """A counting inspection that answered `recycling_device` with pass, and until when it
    was its site's latest counting inspection: the recycling-device rate's input.

    Kept by `service.stats.recycling` in the transaction that completes or voids an
    inspection. The order of a site's counting inspections is (finish time, id): of two
    finishing at the same instant, the larger id is the later. A pass counts for a period
    ending at E when it finished before E and the next counting inspection of its site
    (`superseded_at`) did not (null: none yet), so a period's passes are a range of an index
    instead of one look-up per site. Derived data: not on the audit trail."""

    __tablename__ = "stat_recycling_passes"
    __table_args__ = (
        # The rate: the passes not superseded before a period's end, finished before it.
        Index("ix_stat_recycling_passes_superseded_finished_site", "superseded_at",
              "finished_at", "site_id"),
        # Upkeep: a site's passes before a given inspection.
        Index("ix_stat_recycling_passes_site_finished", "site_id", "finished_at"),
        DERIVED,
    )

    inspection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), primary_key=True)
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id"))
    #: the inspection's finish time (UTC)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the finish time of the site's next counting inspection; null while this one is the
    #: site's latest
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# The hooks that mark months dirty and keep the recycling passes are registered with the
# models, so every session that can write inspections has them.
from service.stats import dirty as _dirty  # noqa: E402,F401
from service.stats import recycling as _recycling  # noqa: E402,F401
