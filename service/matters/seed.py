"""The checklist of inspection matters (随机抽查事项清单) every database starts with."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.matters.models import InspectionMatter

#: counters that accept mail (收寄) with the whole security "three systems" (三项制度)
_COUNTERS = ["postal_outlet", "express_outlet"]
#: sites with the user-information item in their checklist
_USER_DATA = ["postal_outlet", "express_outlet", "express_terminal", "sorting_center",
              "parcel_locker"]

#: Every matter names items that the checklist of every site type it applies to has
#: (tests/matters/test_matters.py fails when they drift apart).
MATTERS = [
    dict(
        code="express_licence",
        name="快递业务经营许可事项检查",
        legal_basis="《中华人民共和国邮政法》第五十一条、第五十二条；《快递暂行条例》第十七条；"
                    "《快递业务经营许可管理办法》",
        site_types=["express_outlet"],
        item_codes=["licence_displayed"],
    ),
    dict(
        code="delivery_safety_three_systems",
        name="寄递安全“三项制度”落实情况检查",
        legal_basis="《中华人民共和国反恐怖主义法》第二十条；《快递暂行条例》第三十一条；"
                    "《邮件快件收寄验视规定》；《邮件快件实名收寄管理办法》",
        site_types=_COUNTERS,
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
        code="terminal_service",
        name="快递末端网点收寄与投递服务检查",
        legal_basis="《快递暂行条例》第二十五条、第三十一条；《快递市场管理办法》；"
                    "《邮件快件实名收寄管理办法》",
        site_types=["express_terminal"],
        item_codes=["real_name", "acceptance_check", "delivery_handling"],
    ),
    dict(
        code="sorting_center_safety",
        name="邮件快件处理场所安全管理检查",
        legal_basis="《中华人民共和国邮政法》；《快递暂行条例》第三十一条、第三十二条；"
                    "《邮件快件寄递协议服务安全管理办法》",
        site_types=["sorting_center"],
        item_codes=["xray_check", "video_monitoring", "sorting_handling",
                    "suspicious_items_handling", "fire_safety"],
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
        site_types=["postal_outlet", "express_outlet", "express_terminal"],
        item_codes=["recycling_device", "packaging_compliance"],
    ),
    dict(
        code="user_information_security",
        name="寄递用户个人信息安全检查",
        legal_basis="《中华人民共和国个人信息保护法》；《快递暂行条例》第三十四条；"
                    "《寄递服务用户个人信息安全管理规定》",
        site_types=_USER_DATA,
        item_codes=["user_info_protection"],
    ),
    dict(
        code="postal_universal_service",
        name="邮政普遍服务监督检查",
        legal_basis="《中华人民共和国邮政法》第十四条至第二十条；《邮政普遍服务监督管理办法》；"
                    "《邮政普遍服务标准》",
        site_types=["postal_outlet"],
        item_codes=["licence_displayed", "service_hours"],
    ),
    dict(
        code="publication_point_work",
        name="“扫黄打非”工作站（点）工作情况检查",
        legal_basis="《出版管理条例》；《印刷业管理条例》；“扫黄打非”进基层工作有关要求",
        site_types=["publication_point"],
        item_codes=["signage", "ledger", "reporting_channel", "publication_check"],
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
