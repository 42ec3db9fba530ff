"""The words bureaus use in their lists: Chinese (or English) headers and values, mapped to
the API's fields and values. The first header of each field is the one documented."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from service.registry.models import SITE_ACTIVE, SITE_CLOSED, SITE_SUSPENDED
from service.registry.tables import normalise

SITE_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("网点编码", "编码"),
    "name": ("网点名称", "名称", "站点名称"),
    "site_type": ("网点类型", "类型"),
    "outlet_operator": ("局所类型", "局所性质", "经营方式", "自办代办"),
    "outlet_location": ("局所位置", "所在地", "城乡类别"),
    "postal_only": ("纯邮网点", "是否纯邮网点"),
    "publication_kind": ("工作站点类型", "扫黄打非类型"),
    "address": ("地址", "网点地址", "详细地址"),
    "region_code": ("行政区划代码", "区划代码"),
    "lat": ("纬度", "latitude"),
    "lon": ("经度", "longitude", "lng"),
    "crs": ("坐标系", "坐标类型"),
    "enterprise_uscc": ("企业统一社会信用代码", "统一社会信用代码", "所属企业统一社会信用代码"),
    "host_code": ("所属网点编码", "依托网点编码", "host_site_code"),
    "status": ("状态", "营业状态"),
    "opened_on": ("开业日期", "开办日期", "设立日期"),
    "closed_on": ("关闭日期", "撤销日期"),
    "closed_reason": ("关闭原因", "撤销原因"),
    "urban": ("城乡", "城区", "城乡属性"),
    "registration_status": ("备案状态",),
    "registration_number": ("备案号", "备案编号"),
    "registered_on": ("备案日期",),
    "deregistered_on": ("注销日期", "备案注销日期"),
    "green_since": ("绿色网点认定日期", "绿色网点日期"),
    "cell_count": ("格口数", "格口数量"),
}
SITE_REQUIRED = ("name", "site_type", "address", "region_code", "lat", "lon", "opened_on")

ENTERPRISE_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("企业名称", "名称", "单位名称"),
    "brand": ("品牌",),
    "uscc": ("统一社会信用代码", "信用代码"),
    "licence_number": ("许可证号", "经营许可证号", "快递业务经营许可证号"),
    "is_major_brand": ("主要品牌", "是否主要品牌"),
    "region_code": ("行政区划代码", "区划代码", "注册地区划代码"),
}
ENTERPRISE_REQUIRED = ("name", "brand", "uscc", "region_code")


def _words(groups: dict[Any, tuple[str, ...]]) -> dict[str, Any]:
    return {normalise(word): value for value, words in groups.items() for word in words}


SITE_TYPE_WORDS = _words({
    "postal_outlet": ("邮政普遍服务网点", "邮政局所", "邮政网点", "postal_outlet"),
    "express_outlet": ("快递营业网点", "营业网点", "分支机构", "express_outlet"),
    "express_terminal": ("快递末端网点", "末端网点", "快递服务站", "驿站", "express_terminal"),
    "sorting_center": ("分拨中心", "邮件快件处理场所", "处理场所", "sorting_center"),
    "parcel_locker": ("智能快件箱", "快件箱", "parcel_locker"),
    "publication_point": ("扫黄打非工作站", "扫黄打非工作点", "工作站", "工作点",
                          "publication_point"),
})
OUTLET_OPERATOR_WORDS = _words({
    "self_run": ("自办", "自办局所", "self_run"), "agency": ("代办", "代办局所", "agency"),
})
OUTLET_LOCATION_WORDS = _words({
    "urban": ("城区", "城市", "城镇", "urban"), "township": ("乡镇", "乡镇局所", "township"),
    "village": ("村", "村邮站", "农村", "village"),
})
PUBLICATION_KIND_WORDS = _words({
    "work_point": ("工作点", "扫黄打非工作点", "work_point"),
    "workstation": ("工作站", "扫黄打非工作站", "workstation"),
})
REGISTRATION_WORDS = _words({
    "registered": ("已备案", "备案", "registered"),
    "unregistered": ("未备案", "unregistered"),
    "deregistered": ("已注销", "注销", "deregistered"),
})
STATUS_WORDS = _words({
    SITE_ACTIVE: ("营业", "正常", "正常营业", "在营", SITE_ACTIVE),
    SITE_SUSPENDED: ("停业整顿", "暂停营业", SITE_SUSPENDED),
    SITE_CLOSED: ("关闭", "已关闭", "注销", "撤销", SITE_CLOSED),
})
CRS_WORDS = _words({
    "wgs84": ("wgs84", "wgs-84", "gps"),
    "gcj02": ("gcj02", "gcj-02", "高德", "腾讯", "国测局", "火星坐标"),
    "bd09": ("bd09", "bd-09", "百度"),
})
YES_NO_WORDS = _words({True: ("是", "true", "yes", "y", "1"),
                       False: ("否", "false", "no", "n", "0")})
URBAN_WORDS = {**YES_NO_WORDS, **_words({True: ("城区", "城市", "城镇", "城", "urban"),
                                         False: ("农村", "乡村", "村", "rural")})}

#: a day as people type it, with a time of day after it ignored (2021-06-01 00:00:00)
DATE_PATTERN = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T\s][\d:.]*)?$")


def _mapped(words: dict[str, Any]):
    def convert(value: Any) -> Any:
        found = words.get(normalise(value))
        return value if found is None else found  # the schema names what it cannot read
    return convert


def to_date(value: Any) -> Any:
    """2021-06-01, 2021/6/1, 2021.6.1, 2021年6月1日, 20210601 -> ISO; else unchanged (the
    schema then names it)."""
    text = str(value).strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    if match := DATE_PATTERN.match(text):
        try:
            return date(*(int(part) for part in match.groups())).isoformat()
        except ValueError:
            return text
    return text


def to_text(value: Any) -> str:
    """Codes typed into Excel arrive as numbers; the API reads them as text."""
    return str(value)


SITE_VALUES = {
    "site_type": _mapped(SITE_TYPE_WORDS), "outlet_operator": _mapped(OUTLET_OPERATOR_WORDS),
    "outlet_location": _mapped(OUTLET_LOCATION_WORDS), "postal_only": _mapped(YES_NO_WORDS),
    "publication_kind": _mapped(PUBLICATION_KIND_WORDS),
    "registration_status": _mapped(REGISTRATION_WORDS),
    "registered_on": to_date, "deregistered_on": to_date, "green_since": to_date,
    "status": _mapped(STATUS_WORDS), "crs": _mapped(CRS_WORDS), "urban": _mapped(URBAN_WORDS),
    "opened_on": to_date, "closed_on": to_date,
    "code": to_text, "region_code": to_text, "registration_number": to_text,
    "host_code": to_text, "enterprise_uscc": to_text, "name": to_text, "address": to_text,
    "closed_reason": to_text,
}
ENTERPRISE_VALUES = {
    "is_major_brand": _mapped(YES_NO_WORDS), "region_code": to_text, "uscc": to_text,
    "licence_number": to_text, "name": to_text, "brand": to_text,
}


def convert(values: dict[str, Any], converters: dict[str, Any]) -> dict[str, Any]:
    """A row's cells in the API's words."""
    return {field: converters.get(field, lambda v: v)(value) for field, value in values.items()}
