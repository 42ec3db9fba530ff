"""The first checklist (version 1) of every site type, with the items docs/domain.md names.

Item codes are stable: rates name them (e.g. the recycling-device coverage reads
`recycling_device`). Weights add up to 100 (量化百分制). Seeding only adds a site type's
version 1 when that site type has no checklist yet, so admins' later versions are kept.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.checklists.logic import build_template
from service.checklists.models import ChecklistTemplate

# The items shared by counters that accept mail (收寄): the security "three systems" (三项制度).
_REAL_NAME = ("real_name", "是否落实寄递实名制：收寄时核验寄件人有效身份证件并如实登记（实名收寄）")
_ACCEPTANCE = ("acceptance_check", "是否落实收寄验视制度：当面验视内件，拒收禁寄物品（收寄验视）")
_XRAY = ("xray_check", "是否落实过机安检制度：快件经安检机检查后方可发运（过机安检）")
_RECYCLING = ("recycling_device", "是否在营业场所设置包装废弃物回收装置（包装废弃物回收装置）")
_PACKAGING = ("packaging_compliance", "是否存在过度包装、使用不符合国家标准的包装物或胶带")
_USER_INFO = ("user_info_protection",
              "是否落实用户信息安全保护：面单、寄递详情单及系统账号规范管理，无违规泄露、买卖用户信息")
_E_TRICYCLE = ("e_tricycle", "快递电动三轮车是否统一编号、统一标识、规范停放和使用")
_PROHIBITED = ("prohibited_items_notice", "是否在显著位置公示禁止寄递物品和限制寄递物品目录")

#: (title, [(code, text, weight) …]) per site type
TEMPLATES: dict[str, tuple[str, list[tuple[str, str, int]]]] = {
    "postal_outlet": ("邮政普遍服务网点（邮政局所）监督检查表", [
        (*_REAL_NAME, 15), (*_ACCEPTANCE, 15), (*_XRAY, 10),
        ("licence_displayed",
         "是否在显著位置悬挂邮政企业标识、营业执照，公示服务种类和资费标准", 10),
        ("service_hours", "是否按规定公示并执行营业时间，提供邮政普遍服务", 10),
        (*_RECYCLING, 10), (*_PACKAGING, 5), (*_USER_INFO, 15), (*_PROHIBITED, 10),
    ]),
    "express_outlet": ("快递营业网点（分支机构）监督检查表", [
        (*_REAL_NAME, 20), (*_ACCEPTANCE, 15), (*_XRAY, 15),
        ("licence_displayed",
         "是否在显著位置公示快递业务经营许可证（或分支机构名录）及营业执照", 10),
        (*_RECYCLING, 10), (*_PACKAGING, 10), (*_USER_INFO, 10), (*_E_TRICYCLE, 5),
        (*_PROHIBITED, 5),
    ]),
    "express_terminal": ("快递末端网点（快递服务站/驿站）监督检查表", [
        ("registration_displayed", "是否已办理快递末端网点备案，并在显著位置公示备案信息", 15),
        (*_REAL_NAME, 15), (*_ACCEPTANCE, 10), (*_RECYCLING, 10), (*_PACKAGING, 5),
        (*_USER_INFO, 20), (*_E_TRICYCLE, 10),
        ("delivery_handling", "快件是否分类上架、不着地存放，未经收件人同意不代为签收", 15),
    ]),
    "sorting_center": ("分拨中心（邮件快件处理场所）监督检查表", [
        (*_XRAY, 25),
        ("video_monitoring", "处理场所是否全覆盖视频监控，录像保存期限符合要求", 15),
        ("sorting_handling", "是否文明分拣，无抛扔、踩踏邮件快件行为", 15),
        ("suspicious_items_handling", "发现禁寄或疑似危险物品是否按规定处置并报告", 15),
        (*_USER_INFO, 15),
        ("fire_safety", "消防设施是否完好有效，安全通道是否畅通", 15),
    ]),
    "parcel_locker": ("智能快件箱监督检查表", [
        ("operator_info_displayed", "是否在箱体显著位置公示运营企业名称、服务电话和投诉渠道", 15),
        ("locker_fees",
         "是否公示收费标准；未经收件人同意不得以快件箱投递，不得超标准或违规收取保管费", 25),
        ("locker_notification", "投递后是否及时告知收件人取件信息（取件码、地址、保管期限）", 25),
        (*_USER_INFO, 20),
        ("locker_condition", "箱体是否完好、安装牢固，格口无破损，运行正常", 15),
    ]),
    "publication_point": ("“扫黄打非”工作站（点）监督检查表", [
        ("signage", "是否在显著位置悬挂“扫黄打非”工作站（点）标识牌", 25),
        ("ledger", "是否建立并如实填写“扫黄打非”工作台账", 25),
        ("reporting_channel", "是否公示举报电话等举报渠道，并落实线索报告", 25),
        ("publication_check", "收寄出版物是否严格验视，发现非法出版物是否及时报告", 25),
    ]),
}


def seed_checklists(db: Session) -> int:
    """Add version 1 for every site type that has no checklist yet; returns how many."""
    known = set(db.scalars(select(ChecklistTemplate.site_type).distinct()))
    added = 0
    for site_type, (title, items) in TEMPLATES.items():
        if site_type in known:
            continue
        db.add(build_template(
            site_type=site_type, version=1, title=title, created_by_id=None,
            items=[{"code": code, "text": text, "weight": weight}
                   for code, text, weight in items]))
        added += 1
    db.flush()
    return added
