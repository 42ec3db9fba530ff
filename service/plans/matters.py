"""The checklist of inspection matters (随机抽查事项清单) every database starts with."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.plans.models import InspectionMatter

_OUTLETS = ["postal_outlet", "express_outlet", "express_terminal", "sorting_center"]

MATTERS = [
    dict(
        code="express_licence",
        name="快递业务经营许可事项检查",
        legal_basis="《中华人民共和国邮政法》第五十一条、第五十二条；《快递暂行条例》第十七条；"
                    "《快递业务经营许可管理办法》",
        site_types=["express_outlet", "sorting_center"],
        item_codes=["licence_displayed"],
    ),
    dict(
        code="delivery_safety_three_systems",
        name="寄递安全“三项制度”落实情况检查",
        legal_basis="《中华人民共和国反恐怖主义法》第二十条；《快递暂行条例》第三十一条；"
                    "《邮件快件收寄验视规定》；《邮件快件实名收寄管理办法》",
        site_types=_OUTLETS,
        item_codes=["real_name", "acceptance_check", "xray_check"],
    ),
    dict(
        code="terminal_registration",
        name="快递末端网点备案检查",
        legal_basis="《快递暂行条例》第二十条；《快递末端网点备案暂行规定》",
        site_types=["express_terminal"],
        item_codes=["registration_displayed"],
    ),
    dict(
        code="parcel_locker_service",
        name="智能快件箱服务规范检查",
        legal_basis="《智能快件箱寄递服务管理办法》",
        site_types=["parcel_locker"],
        item_codes=["locker_fees", "locker_notification"],
    ),
    dict(
        code="packaging_management",
        name="邮件快件包装管理检查",
        legal_basis="《中华人民共和国固体废物污染环境防治法》第六十八条；《邮件快件包装管理办法》",
        site_types=_OUTLETS,
        item_codes=["recycling_device", "packaging_compliance"],
    ),
    dict(
        code="user_information_security",
        name="寄递用户个人信息安全检查",
        legal_basis="《中华人民共和国个人信息保护法》；《快递暂行条例》第三十四条；"
                    "《寄递服务用户个人信息安全管理规定》",
        site_types=_OUTLETS,
        item_codes=["user_info_protection"],
    ),
]


def seed_inspection_matters(db: Session) -> int:
    """Insert the matters that are missing; existing rows (and bureaus' edits) stay."""
    known = set(db.scalars(select(InspectionMatter.code)))
    added = 0
    for matter in MATTERS:
        if matter["code"] not in known:
            db.add(InspectionMatter(**{**matter, "site_types": list(matter["site_types"])}))
            added += 1
    db.flush()
    return added
