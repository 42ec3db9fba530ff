"""The registry (检查对象名录库): enterprises (寄递企业) and the sites inspectors visit."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
    select,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column

from service.db import Base, TimestampMixin, VersionedMixin, new_uuid

SITE_TYPES = (
    "postal_outlet",       # 邮政普遍服务网点（邮政局所）
    "express_outlet",      # 快递营业网点（分支机构）
    "express_terminal",    # 快递末端网点（快递服务站/驿站）
    "sorting_center",      # 分拨中心 / 邮件快件处理场所
    "parcel_locker",       # 智能快件箱
    "publication_point",   # “扫黄打非”工作站 / 工作点
)
#: who runs a postal outlet: the postal enterprise itself (自办) or an agent (代办)
OUTLET_OPERATORS = ("self_run", "agency")
#: where a postal outlet is: a town or city centre (城区), a township (乡镇) or a village
#: (村: 村邮站)
OUTLET_LOCATIONS = ("urban", "township", "village")
#: an express terminal's registration (末端网点备案): registered (备案, with number and
#: date), unregistered (未备案: found in the field) or deregistered (注销, with date)
REGISTERED, UNREGISTERED, DEREGISTERED = REGISTRATION_STATUSES = (
    "registered", "unregistered", "deregistered")
#: a publication point (“扫黄打非”) is a 工作点 hosted by a postal outlet, or a 工作站 at a
#: major express enterprise's outlet or sorting centre
WORK_POINT, WORKSTATION = PUBLICATION_KINDS = ("work_point", "workstation")
SITE_ACTIVE, SITE_SUSPENDED, SITE_CLOSED = "active", "suspended", "closed"
SITE_STATUSES = (SITE_ACTIVE, SITE_SUSPENDED, SITE_CLOSED)
#: an enterprise's licence (快递业务经营许可证): valid, or revoked (吊销) by a served decision
LICENCE_VALID, LICENCE_REVOKED = LICENCE_STATUSES = ("valid", "revoked")


class Enterprise(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "enterprises"
    # The enterprises list's keyset order.
    __table_args__ = (Index("ix_enterprises_name_id", "name", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    #: registered name, e.g. 上海顺丰速运有限公司
    name: Mapped[str] = mapped_column(String(128))
    #: brand (邮政, 顺丰, 中通, 圆通, 申通, 韵达, 极兔, 德邦, 京东 …)
    brand: Mapped[str] = mapped_column(String(32), index=True)
    #: 统一社会信用代码, 18 characters with the GB 32100 check character
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    #: 快递业务经营许可证 number; null for enterprises that need none
    licence_number: Mapped[str | None] = mapped_column(String(64))
    #: one of LICENCE_STATUSES: revoked once a revocation decision (吊销许可) is served
    licence_status: Mapped[str] = mapped_column(String(16), default=LICENCE_VALID,
                                                server_default=LICENCE_VALID)
    #: the day the revocation was served, and the enforcement case that decided it
    licence_revoked_on: Mapped[date | None] = mapped_column(Date)
    licence_revoked_case_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    #: 主要品牌: some rates count only major brands' sites
    is_major_brand: Mapped[bool] = mapped_column(Boolean, default=False)
    #: where the enterprise is registered; bureaus at or above or below it see it
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)


class Site(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "sites"
    __table_args__ = (
        # The nearby search's bounding-box prefilter is a range scan on this index.
        Index("ix_sites_lat_lon", "lat", "lon"),
        # filters by region and type; with the id, the keyset order of the coverage gap
        Index("ix_sites_region_code_site_type_id", "region_code", "site_type", "id"),
        Index("ix_sites_updated_at_id", "updated_at", "id"),
        # The sites list's keyset order (name, id); the jurisdiction filters along it.
        Index("ix_sites_name_id", "name", "id"),
        CheckConstraint("lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180",
                        name="coordinates_range"),
        CheckConstraint("closed_on IS NULL OR closed_on >= opened_on", name="closed_after_opened"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    #: the bureau's own code for the site (网点编码); unique when given
    code: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    #: one of SITE_TYPES
    site_type: Mapped[str] = mapped_column(String(24))
    #: postal outlets: who runs it, one of OUTLET_OPERATORS
    outlet_operator: Mapped[str | None] = mapped_column(String(16))
    #: postal outlets: where it is, one of OUTLET_LOCATIONS
    outlet_location: Mapped[str | None] = mapped_column(String(16))
    #: postal outlets: a 纯邮网点, offering postal services only
    postal_only: Mapped[bool | None] = mapped_column(Boolean)
    #: publication points: one of PUBLICATION_KINDS
    publication_kind: Mapped[str | None] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(256))
    #: the district (or town/village) the site lies in; decides jurisdiction
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    #: WGS-84 latitude and longitude, whatever crs the client sent
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    #: the operating enterprise (null only where none is known)
    enterprise_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("enterprises.id"), index=True
    )
    #: for publication points: the outlet hosting it
    host_site_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sites.id"), index=True)
    #: active, suspended (停业整顿) or closed; closed sites are kept, never deleted
    status: Mapped[str] = mapped_column(String(16), default=SITE_ACTIVE, index=True)
    #: the day it opened; with closed_on it says whether it was active in a period
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    #: why it was closed
    closed_reason: Mapped[str | None] = mapped_column(String(256))
    #: urban (城区) or rural; defaults to the region's flag
    urban: Mapped[bool] = mapped_column(Boolean)
    #: express terminals: one of REGISTRATION_STATUSES
    registration_status: Mapped[str | None] = mapped_column(String(16), index=True)
    #: 备案号 of an express terminal (末端网点备案), and the day it was registered
    registration_number: Mapped[str | None] = mapped_column(String(64))
    registered_on: Mapped[date | None] = mapped_column(Date)
    #: the day its registration was cancelled (注销)
    deregistered_on: Mapped[date | None] = mapped_column(Date)
    #: designated a green outlet (绿色网点) on this day; null when not designated
    green_since: Mapped[date | None] = mapped_column(Date)
    #: number of cells of a parcel locker
    cell_count: Mapped[int | None] = mapped_column(Integer)

    #: the operating enterprise's licence status (LICENCE_STATUSES), read with the site only
    #: where asked for (`undefer`): the phones' changes feed
    enterprise_licence_status: Mapped[str | None] = deferred(
        select(Enterprise.licence_status).where(Enterprise.id == enterprise_id)
        .correlate_except(Enterprise).scalar_subquery())


IMPORT_KINDS = ("sites", "enterprises")


class ImportBatch(TimestampMixin, Base):
    """One accepted registry file: a re-upload of the same bytes replays its answer."""

    __tablename__ = "registry_import_batches"
    __table_args__ = (UniqueConstraint("kind", "scope_code", "sha256"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    #: one of IMPORT_KINDS
    kind: Mapped[str] = mapped_column(String(16))
    #: the importing administration's region: the same file in another scope is another batch
    scope_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    #: SHA-256 of the file's bytes, hex
    sha256: Mapped[str] = mapped_column(String(64))
    #: the file's name as uploaded, for people reading the history
    filename: Mapped[str] = mapped_column(String(256))
    #: datum of the coordinates when the file has no 坐标系 column (sites only)
    crs: Mapped[str | None] = mapped_column(String(8))
    #: data rows read from the file, and records created from them
    row_count: Mapped[int] = mapped_column(Integer)
    created_count: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
