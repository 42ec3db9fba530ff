"""Demo data for the embedded default (`postal-service demo-data`, `make run`).

Shanghai (上海市, 310000): the city bureau and the 宝山区 district bureau with a user of every
role, the brands' Shanghai enterprises, and a few hundred sites of every type across the 16
districts; then a month of 宝山区 work on them (service/local/activity.py). Everything is
deterministic (one seeded random.Random) and keyed by a natural key (username, USCC, site
code), so loading twice adds nothing.

The unified social credit codes (统一社会信用代码) are SYNTHETIC: 17 made-up characters plus
the correct GB 32100 check character. They pass `stdnum.cn.uscc` but name no real company;
licence and registration numbers are made up in the same way.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import uscc

from service.auth.logic import hash_password
from service.auth.models import User
from service.common.access import ADMIN, ANALYST, INSPECTOR, LEGAL_REVIEWER, SUPERVISOR
from service.db import new_uuid
from service.enforcement.catalogue import load_sample
from service.local.activity import load_activity
from service.regions.models import Region
from service.registry.models import (
    DEREGISTERED,
    REGISTERED,
    SITE_ACTIVE,
    SITE_CLOSED,
    SITE_SUSPENDED,
    UNREGISTERED,
    WORK_POINT,
    WORKSTATION,
    Enterprise,
    Site,
)

SEED = 2026
CITY, DISTRICT = "310000", "310113"
BUREAUS = {CITY: ("sh", "上海市邮政管理局"), DISTRICT: ("bs", "上海市宝山区邮政管理局")}
#: one demo password per role, the same at both bureaus (printed by `run-local`)
PASSWORDS = {
    INSPECTOR: "inspect-2026", SUPERVISOR: "supervise-2026", LEGAL_REVIEWER: "review-2026",
    ANALYST: "analyse-2026", ADMIN: "admin-demo-2026",
}
#: (role, how many) per bureau: at least two certified inspectors each (rule of two)
STAFF = {CITY: ((INSPECTOR, 2), (SUPERVISOR, 1), (LEGAL_REVIEWER, 1), (ANALYST, 1), (ADMIN, 1)),
         DISTRICT: ((INSPECTOR, 3), (SUPERVISOR, 1), (LEGAL_REVIEWER, 1), (ANALYST, 1),
                    (ADMIN, 1))}
NAMES = ("张伟", "王芳", "李强", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周杰", "吴敏", "徐鹏",
         "孙悦", "马骏", "朱琳")


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    region_code: str
    bureau_name: str


@dataclass(frozen=True)
class Brand:
    brand: str
    name: str
    org_code: str  # the 9 characters after the region in the synthetic USCC
    licence: str | None
    major: bool
    terminal: str  # what its end-of-line stations (末端网点) are called


# The brands' Shanghai operating companies. 中国邮政 runs the universal service, which needs
# no express licence (快递业务经营许可证); 宅急送 stands for a brand outside the major ones.
BRANDS = (
    Brand("邮政", "中国邮政集团有限公司上海市分公司", "MA1FL0001", None, True, "中邮驿站"),
    Brand("顺丰", "上海顺丰速运有限公司", "MA1FL0002", "沪20090003", True, "顺丰驿站"),
    Brand("中通", "上海中通吉速递服务有限公司", "MA1FL0003", "沪20090011", True, "兔喜生活"),
    Brand("圆通", "圆通速递有限公司上海分公司", "MA1FL0004", "沪20100007", True, "妈妈驿站"),
    Brand("申通", "申通快递有限公司上海分公司", "MA1FL0005", "沪20100012", True, "申通快递驿站"),
    Brand("韵达", "上海韵达货运有限公司", "MA1FL0006", "沪20090015", True, "韵达快递超市"),
    Brand("极兔", "极兔速递有限公司上海分公司", "MA1FL0007", "沪20200021", True, "极兔驿站"),
    Brand("德邦", "上海德邦物流有限公司", "MA1FL0008", "沪20140009", True, "德邦快递驿站"),
    Brand("京东", "上海京东物流有限公司", "MA1FL0009", "沪20130018", True, "京东快递驿站"),
    Brand("宅急送", "上海宅急送物流有限公司", "MA1FL0010", "沪20110025", False, "宅急送驿站"),
)


@dataclass(frozen=True)
class District:
    code: str
    name: str
    lat: float  # WGS-84 of the district's centre
    lon: float
    jitter_km: float
    roads: tuple[str, ...]
    towns: tuple[str, ...] = ()  # rural towns (乡镇) for township outlets and village stations


DISTRICTS = (
    District("310101", "黄浦区", 31.2317, 121.4846, 1.5,
             ("南京东路", "淮海中路", "西藏中路", "复兴东路")),
    District("310104", "徐汇区", 31.1885, 121.4365, 2.5,
             ("漕溪北路", "肇嘉浜路", "龙华中路", "田林路")),
    District("310105", "长宁区", 31.2204, 121.4240, 2.0,
             ("延安西路", "天山路", "仙霞路", "中山西路")),
    District("310106", "静安区", 31.2490, 121.4560, 2.0,
             ("南京西路", "共和新路", "北京西路", "大宁路")),
    District("310107", "普陀区", 31.2496, 121.3975, 2.0,
             ("长寿路", "曹杨路", "真北路", "武宁路")),
    District("310109", "虹口区", 31.2646, 121.5055, 1.5,
             ("四川北路", "曲阳路", "大连路", "临平路")),
    District("310110", "杨浦区", 31.2595, 121.5260, 2.0,
             ("控江路", "淞沪路", "长阳路", "国定路")),
    District("310112", "闵行区", 31.1128, 121.3816, 6.0,
             ("沪闵路", "七莘路", "莘松路", "都市路"), ("浦江镇",)),
    District("310113", "宝山区", 31.4050, 121.4890, 5.0,
             ("友谊路", "牡丹江路", "淞宾路", "同济路"), ("罗泾镇", "月浦镇")),
    District("310114", "嘉定区", 31.3750, 121.2655, 6.0,
             ("城中路", "博乐路", "塔城路", "曹安公路"), ("华亭镇", "外冈镇")),
    District("310115", "浦东新区", 31.2215, 121.5440, 9.0,
             ("世纪大道", "张杨路", "东方路", "川沙路"), ("书院镇", "大团镇")),
    District("310116", "金山区", 30.7416, 121.3420, 6.0,
             ("卫零路", "金山大道", "蒙山路", "龙皓路"), ("朱泾镇", "枫泾镇", "亭林镇")),
    District("310117", "松江区", 31.0320, 121.2277, 6.0,
             ("中山中路", "人民北路", "荣乐路", "新松江路"), ("泖港镇", "叶榭镇")),
    District("310118", "青浦区", 31.1497, 121.1240, 7.0,
             ("城中北路", "公园路", "外青松公路", "淀山湖大道"), ("朱家角镇", "练塘镇")),
    District("310120", "奉贤区", 30.9180, 121.4740, 6.0,
             ("解放中路", "环城东路", "南奉公路", "金海公路"), ("庄行镇", "青村镇")),
    District("310151", "崇明区", 31.6230, 121.3970, 4.0,
             ("人民路", "八一路", "北沿公路", "陈海公路"), ("堡镇", "陈家镇", "庙镇")),
)
CENTRAL = {"310101", "310104", "310105", "310106", "310107", "310109", "310110"}
VILLAGES = ("新建", "永安", "民主", "光明", "红星", "友谊", "胜利", "建设")
COMMUNITIES = ("花园", "新村", "公寓", "苑", "小区")
CELL_COUNTS = (48, 72, 96, 120, 144)
EXPRESS_BRANDS = BRANDS[1:]
#: the names on the shop signs
TRADE_NAMES = {"邮政": "中国邮政", "顺丰": "顺丰速运", "中通": "中通快递", "圆通": "圆通速递",
               "申通": "申通快递", "韵达": "韵达快递", "极兔": "极兔速递", "德邦": "德邦快递",
               "京东": "京东物流", "宅急送": "宅急送"}
#: closed sites closed in the past, whenever the demo is loaded
LAST_CLOSING = date(2025, 6, 30)
#: the day the first express outlet of each district became a green outlet (绿色网点)
GREEN_SINCE = date(2023, 6, 1)
#: the suffix of a publication point's code after its host's, per kind
POINT_SUFFIXES = {WORK_POINT: "-PP", WORKSTATION: "-WS"}


def demo_logins() -> list[DemoLogin]:
    """Every demo login, in the order they are printed."""
    logins = []
    for region_code, staff in STAFF.items():
        prefix, bureau = BUREAUS[region_code]
        for role, count in staff:
            for n in range(1, count + 1):
                username = f"{prefix}_{role}{n if count > 1 else ''}"
                logins.append(DemoLogin(username, PASSWORDS[role], role, region_code, bureau))
    return logins


def load(db: Session, *, today: date | None = None) -> dict[str, int]:
    """Add the demo users, enterprises, sites and activity that are missing; returns what
    was added."""
    today = today or date.today()
    users = _users(db, today)
    enterprises, enterprises_added = _enterprises(db)
    sites = _sites(db, random.Random(SEED), enterprises)
    db.flush()
    catalogues = int(load_sample(db).created)  # the SAMPLE violation catalogue
    return {"users": users, "enterprises": enterprises_added, "sites": sites,
            "catalogue versions": catalogues, **load_activity(db, today=today)}


# -- users ---------------------------------------------------------------------------------

def _users(db: Session, today: date) -> int:
    known = set(db.scalars(select(User.username)))
    hashes: dict[str, str] = {}  # argon2 is slow on purpose: hash each password once
    added = 0
    for n, login in enumerate(demo_logins()):
        if login.username in known:
            continue
        if login.password not in hashes:
            hashes[login.password] = hash_password(login.password)
        db.add(_user(login, n, hashes[login.password], today))
        added += 1
    return added


def _user(login: DemoLogin, n: int, password_hash: str, today: date) -> User:
    user = User(username=login.username, full_name=NAMES[n % len(NAMES)],
                password_hash=password_hash, role=login.role, region_code=login.region_code,
                bureau_name=login.bureau_name)
    if login.role == INSPECTOR:  # 执法证, valid from 2024 to three years from now
        user.certificate_number = f"沪邮执{login.region_code}{n + 1:03d}"
        user.certificate_valid_from = date(2024, 1, 1)
        user.certificate_valid_until = date(today.year + 3, 12, 31)
    return user


# -- enterprises ---------------------------------------------------------------------------

def synthetic_uscc(org_code: str, region_code: str = CITY) -> str:
    """A made-up 统一社会信用代码 with a correct check character: 9 (registered by market
    regulation), 1 (enterprise), the region, 9 organisation characters, the check."""
    body = f"91{region_code}{org_code}"
    return body + uscc.calc_check_digit(body)


def _enterprises(db: Session) -> tuple[dict[str, Enterprise], int]:
    """Brand -> Enterprise, adding the missing ones (key: USCC), and how many were added."""
    known = {e.uscc: e for e in db.scalars(select(Enterprise))}
    by_brand, added = {}, 0
    for brand in BRANDS:
        code = synthetic_uscc(brand.org_code)
        if code not in known:
            known[code] = Enterprise(name=brand.name, brand=brand.brand, uscc=code,
                                     licence_number=brand.licence, is_major_brand=brand.major,
                                     region_code=CITY)
            db.add(known[code])
            added += 1
        by_brand[brand.brand] = known[code]
    db.flush()
    return by_brand, added


# -- sites ---------------------------------------------------------------------------------

def _sites(db: Session, rng: random.Random, enterprises: dict) -> int:
    """Sites of every type in every district; publication points hosted by outlets."""
    known = dict(db.execute(select(Site.code, Site.id).where(Site.code.like("DEMO-%"))).all())
    urban = dict(db.execute(select(Region.code, Region.urban).where(Region.code.like("31%"))).all())
    added = 0
    for district in DISTRICTS:
        planned = _district_sites(district, rng, enterprises, bool(urban.get(district.code)))
        planned += _publication_points(district, rng, planned)
        planned += _workstation(district, planned, enterprises)
        for site in planned:  # every row is planned, so the random sequence never shifts
            if site.code in known:
                continue
            if site.host_site_id is not None:  # the host as stored, whether old or new
                suffix = POINT_SUFFIXES[site.publication_kind]
                site.host_site_id = known[site.code.removesuffix(suffix)]
            db.add(site)
            known[site.code] = site.id
            added += 1
    return added


def _district_sites(district: District, rng: random.Random, enterprises: dict,
                    urban: bool) -> list[Site]:
    sites = [_postal_outlet(district, n, rng, enterprises["邮政"]) for n in range(1, 6)]
    for n in range(1, 6):
        sites.append(_express_outlet(district, n, rng, enterprises))
        sites.append(_express_terminal(district, n, rng, enterprises))
    sites += [_locker(district, n, rng, enterprises) for n in range(1, 5)]
    if district.code not in CENTRAL:
        sites.append(_sorting_center(district, rng, enterprises))
    for site in sites:
        site.urban = urban if site.urban is None else site.urban
    _close_or_suspend_some(sites, rng)
    return sites


def _site(district: District, code: str, rng: random.Random, place: str, **fields) -> Site:
    """A site at a jittered point around the district's centre, at a number in `place` (a
    road, a town or a village)."""
    lat, lon = _jitter(district, rng)
    address = f"上海市{district.name}{place}{rng.randint(1, 1500)}号"
    opened = date(2015, 1, 1) + timedelta(days=rng.randint(0, 3300))
    return Site(id=new_uuid(), code=f"DEMO-{district.code}-{code}", address=address,
                region_code=district.code, lat=lat, lon=lon, status=SITE_ACTIVE, opened_on=opened,
                **fields)


def _jitter(district: District, rng: random.Random) -> tuple[float, float]:
    """A point within jitter_km of the centre (uniform over the disc)."""
    distance = district.jitter_km * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / 111.32
    dlon = distance * math.sin(bearing) / (111.32 * math.cos(math.radians(district.lat)))
    return round(district.lat + dlat, 6), round(district.lon + dlon, 6)


def _postal_outlet(district: District, n: int, rng: random.Random, post: Enterprise) -> Site:
    operator, location = _outlet_kind(district, n)
    short = district.name.removesuffix("区").removesuffix("新")
    fields = dict(site_type="postal_outlet", outlet_operator=operator, outlet_location=location,
                  postal_only=n in (2, 4), enterprise_id=post.id)  # some 纯邮网点
    if location == "urban":
        road = district.roads[n % len(district.roads)]
        name = f"上海市{short}{road}邮政{'支局' if operator == 'self_run' else '代办所'}"
        return _site(district, f"PO{n:02d}", rng, road, name=name, urban=None, **fields)
    town = district.towns[n % len(district.towns)]
    if location == "township":
        return _site(district, f"PO{n:02d}", rng, town, name=f"上海市{short}{town}邮政支局",
                     urban=False, **fields)
    village = f"{town}{rng.choice(VILLAGES)}村"
    return _site(district, f"PO{n:02d}", rng, village, name=f"{village}村邮站", urban=False,
                 **fields)


def _outlet_kind(district: District, n: int) -> tuple[str, str]:
    """(who runs it, where it is): outlets 1–3 are urban (self-run, self-run, agency); 4–5
    a self-run township outlet and an agency 村邮站 where there are towns."""
    if n <= 3 or not district.towns:
        return ("agency" if n in (3, 5) else "self_run"), "urban"
    return ("self_run", "township") if n == 4 else ("agency", "village")


def _express_outlet(district: District, n: int, rng: random.Random, enterprises: dict) -> Site:
    brand = EXPRESS_BRANDS[(int(district.code) + n) % len(EXPRESS_BRANDS)]
    road = rng.choice(district.roads)
    return _site(district, f"EO{n:02d}", rng, road,
                 name=f"{TRADE_NAMES[brand.brand]}{district.name}"
                      f"{road}营业部",
                 site_type="express_outlet", enterprise_id=enterprises[brand.brand].id,
                 urban=None, green_since=GREEN_SINCE if n == 1 else None)


def _express_terminal(district: District, n: int, rng: random.Random,
                      enterprises: dict) -> Site:
    brand = BRANDS[(int(district.code) * 3 + n) % len(BRANDS)]
    road = rng.choice(district.roads)
    community = road[:2] + rng.choice(COMMUNITIES)
    year = rng.randint(2019, 2025)
    site = _site(district, f"ET{n:02d}", rng, road, name=f"{brand.terminal}（{community}店）",
                 site_type="express_terminal", enterprise_id=enterprises[brand.brand].id,
                 urban=None)
    if n == 5 and int(district.code) % 3 == 0:  # found in the field by a clean-up campaign
        site.registration_status = UNREGISTERED
        return site
    site.registration_status = REGISTERED
    site.registration_number = f"沪快末备〔{year}〕{district.code}{n:03d}号"
    site.registered_on = max(site.opened_on, date(year, 1, 1)) + timedelta(days=20)
    return site


def _locker(district: District, n: int, rng: random.Random, enterprises: dict) -> Site:
    brand = BRANDS[(0, 1, 2, 8)[n % 4]]  # lockers of 邮政, 顺丰, 中通 and 京东
    road = rng.choice(district.roads)
    community = road[:2] + rng.choice(COMMUNITIES)
    return _site(district, f"PL{n:02d}", rng, road,
                 name=f"{community}智能快件箱（{brand.brand}）", site_type="parcel_locker",
                 enterprise_id=enterprises[brand.brand].id, cell_count=rng.choice(CELL_COUNTS),
                 urban=None)


def _sorting_center(district: District, rng: random.Random, enterprises: dict) -> Site:
    brand = EXPRESS_BRANDS[int(district.code) % len(EXPRESS_BRANDS)]
    trade = TRADE_NAMES[brand.brand]
    return _site(district, "SC01", rng, rng.choice(district.roads),
                 name=f"{trade}上海{district.name.removesuffix('区')}分拨中心",
                 site_type="sorting_center", enterprise_id=enterprises[brand.brand].id,
                 urban=None)


def _close_or_suspend_some(sites: list[Site], rng: random.Random) -> None:
    """About one site in twenty closed (with a date and reason), one in twenty suspended."""
    for site in sites:
        draw = rng.random()
        if draw < 0.05:
            site.status = SITE_CLOSED
            closed = site.opened_on + timedelta(days=rng.randint(200, 1500))
            site.closed_on = min(closed, LAST_CLOSING)
            site.closed_reason = rng.choice(("经营者主动歇业", "场地租约到期", "并入相邻网点"))
            if site.registration_status == REGISTERED:  # a closed terminal deregisters
                site.registration_status = DEREGISTERED
                site.deregistered_on = max(site.closed_on, site.registered_on)
        elif draw < 0.10:
            site.status = SITE_SUSPENDED  # 停业整顿: still counted as active by every rate


def _publication_points(district: District, rng: random.Random, sites: list[Site]) -> list[Site]:
    """“扫黄打非”工作点 in about half of the urban postal outlets (the seeds' target: 40%)."""
    hosts = [s for s in sites if s.site_type == "postal_outlet" and s.urban
             and s.status != SITE_CLOSED]
    return [_point(host, WORK_POINT, "“扫黄打非”工作点") for host in hosts
            if rng.random() < 0.5]


def _workstation(district: District, sites: list[Site], enterprises: dict) -> list[Site]:
    """One “扫黄打非”工作站 per district, at its first open express outlet or sorting centre of
    a major brand (the seeds: ≥3 in the urban districts, ≥1 per county)."""
    major = {e.id for e in enterprises.values() if e.is_major_brand}
    hosts = [s for s in sites if s.site_type in ("express_outlet", "sorting_center")
             and s.enterprise_id in major and s.status != SITE_CLOSED]
    return [_point(hosts[0], WORKSTATION, "“扫黄打非”工作站")] if hosts else []


def _point(host: Site, kind: str, label: str) -> Site:
    return Site(id=new_uuid(), code=f"{host.code}{POINT_SUFFIXES[kind]}",
                name=f"{host.name}{label}", site_type="publication_point",
                publication_kind=kind, address=host.address, region_code=host.region_code,
                lat=host.lat, lon=host.lon, host_site_id=host.id,
                enterprise_id=host.enterprise_id, status=SITE_ACTIVE, urban=host.urban,
                opened_on=max(host.opened_on, date(2019, 1, 1)))
