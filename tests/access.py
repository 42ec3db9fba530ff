"""The access matrix: every endpoint × role × own/other jurisdiction, in one table.

Each feature lists its endpoints in `tests/<feature>/access_cases.py`:

    ORDER = 30                         # builders run in this order (sites before inspections)
    def build(make, side): ...         # make this feature's objects in side.region
    CASES = [Endpoint(...), ...]

The caller is always a user of the *own* side's bureau (宝山区 310113). Against the *other*
side (苏州市虎丘区 320505) an item answers 404 and a list shows none of its objects.
`test_access_matrix.py` fails when an /api/v1 route has no row here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

OWN_REGION = "310113"    # 上海市宝山区
OTHER_REGION = "320505"  # 苏州市虎丘区


class Side(SimpleNamespace):
    """One jurisdiction's objects; builders set attributes (side.site, side.user, …).
    `caller` is the user the request is sent as (of the own region), for objects only
    their own people may touch (an inspection's photos)."""

    region: str
    name: str
    caller: object


@dataclass(frozen=True)
class Endpoint:
    method: str
    #: the Flask rule exactly as registered, e.g. "/api/v1/sites/<uuid:site_id>"
    rule: str
    #: roles that may call it; empty means any logged-in user
    roles: tuple[str, ...]
    url: Callable[[Side], str]
    body: Callable[[Side], Any] | None = None
    ok: int = 200
    #: the answer when the URL or body points into the other jurisdiction
    other_status: int = 404
    #: for lists: the id (as the API writes it) that must be listed for own, absent for other
    listed: Callable[[Side], str] | None = None
    #: multipart uploads etc.: return kwargs for the test client instead of json=
    request_kwargs: Callable[[Side], dict] | None = None
    headers: dict = field(default_factory=dict)
    #: answers without a login too (the public list of decisions)
    public: bool = False

    @property
    def id(self) -> str:
        return f"{self.method} {self.rule}"
