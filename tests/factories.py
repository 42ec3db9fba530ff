"""Factories for test data, flushed into the test's session."""

from __future__ import annotations

import itertools
from datetime import date

from stdnum.cn import uscc as uscc_format

from service.auth.logic import hash_password
from service.auth.models import INSPECTOR, User
from service.regions.models import Region
from service.registry.models import Enterprise, Site

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)
_password_hash = None


def password_hash() -> str:
    global _password_hash
    if _password_hash is None:  # argon2 is slow on purpose; hash once per run
        _password_hash = hash_password(PASSWORD)
    return _password_hash


def valid_uscc(serial: int) -> str:
    """A unified social credit code with a correct GB 32100 check character."""
    body = f"91310113MA1G{serial:05d}"[:17]
    return body + uscc_format.calc_check_digit(body)


class Factories:
    def __init__(self, db):
        self.db = db

    def _add(self, obj):
        self.db.add(obj)
        self.db.flush()
        return obj

    def region(self, code: str, name: str, urban: bool = True) -> Region:
        from service.common.regions import level_of

        parent = code[:6] if len(code) == 9 else code[:9]
        return self._add(Region(code=code, name=name, level=level_of(code),
                                parent_code=parent, urban=urban))

    def user(self, role: str = INSPECTOR, region_code: str = "310113", **fields) -> User:
        n = next(_counter)
        defaults = dict(username=f"user{n}", full_name=f"用户{n}", password_hash=password_hash(),
                        role=role, region_code=region_code)
        if role == INSPECTOR:
            defaults.update(certificate_number=f"CERT{n:06d}",
                            certificate_valid_from=date(2024, 1, 1),
                            certificate_valid_until=date(2030, 12, 31))
        return self._add(User(**{**defaults, **fields}))

    def enterprise(self, region_code: str = "310000", **fields) -> Enterprise:
        n = next(_counter)
        defaults = dict(name=f"测试快递有限公司{n}", brand="顺丰", uscc=valid_uscc(n),
                        licence_number=f"EXP{n:06d}", is_major_brand=True,
                        region_code=region_code)
        return self._add(Enterprise(**{**defaults, **fields}))

    def site(self, region_code: str = "310113", **fields) -> Site:
        n = next(_counter)
        defaults = dict(name=f"测试网点{n}", site_type="express_outlet", address=f"测试路{n}号",
                        region_code=region_code, lat=31.40, lon=121.48, status="active",
                        opened_on=date(2020, 1, 1), urban=True)
        if "enterprise_id" not in fields and fields.get("site_type") != "postal_outlet":
            defaults["enterprise_id"] = self.enterprise().id
        return self._add(Site(**{**defaults, **fields}))
