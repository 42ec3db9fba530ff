"""What each site type must (and must not) carry, as bureaus keep their registry.

Plain rules over a site's state (its current values overlaid by a body's), so the API and
file imports break them with the same messages. The host of a publication point needs the
database and is checked in `sites.py`.
"""

from __future__ import annotations

from service.registry.models import (
    DEREGISTERED,
    REGISTERED,
    UNREGISTERED,
    WORK_POINT,
    WORKSTATION,
)

#: the types a green outlet (绿色网点) designation applies to
GREEN_TYPES = ("postal_outlet", "express_outlet", "express_terminal", "sorting_center")
#: the host a publication point of each kind needs
HOST_TYPES = {WORK_POINT: ("postal_outlet",), WORKSTATION: ("express_outlet", "sorting_center")}

#: (field, the site type it belongs to, message when missing there (None: optional or
#: checked below), message when another type has it)
_NEEDED = (
    ("outlet_operator", "postal_outlet",
     "A postal outlet (邮政局所) needs who runs it: self_run 自办 or agency 代办.",
     "Only postal outlets have an operator (自办/代办)."),
    ("outlet_location", "postal_outlet",
     "A postal outlet (邮政局所) needs where it is: urban 城区, township 乡镇 or village 村.",
     "Only postal outlets have an outlet location (城区/乡镇/村)."),
    ("postal_only", "postal_outlet", None, "Only postal outlets are postal-only (纯邮网点)."),
    ("registration_status", "express_terminal",
     "An express terminal (快递末端网点) needs its registration status (备案): registered, "
     "unregistered (未备案) or deregistered (注销).",
     "Only express terminals have a registration status (备案)."),
    ("registration_number", "express_terminal", None,
     "Only express terminals have a registration number."),
    ("registered_on", "express_terminal", None,
     "Only express terminals have a registration date."),
    ("deregistered_on", "express_terminal", None,
     "Only express terminals are deregistered (注销)."),
    ("cell_count", "parcel_locker",
     "A parcel locker (智能快件箱) needs its number of cells (格口数).", None),
    ("host_site_id", "publication_point",
     "A publication point (“扫黄打非”工作站/点) needs the site hosting it (host_site_id).",
     "Only publication points have a host site."),
    ("publication_kind", "publication_point",
     "A publication point needs its kind: work_point 工作点 or workstation 工作站.",
     "Only publication points have a publication kind."),
)
_TERMINAL_FIELDS = ("registration_number", "registered_on", "deregistered_on")


def fill_defaults(state: dict, fields: dict) -> None:
    """Values a bureau need not type: a postal outlet is not postal-only unless said so; a
    terminal with a registration number and no status is registered."""
    site_type = state.get("site_type")
    if site_type == "postal_outlet" and state.get("postal_only") is None:
        fields["postal_only"] = state["postal_only"] = False
    if (site_type == "express_terminal" and state.get("registration_status") is None
            and state.get("registration_number") is not None):
        fields["registration_status"] = state["registration_status"] = REGISTERED


def type_errors(state: dict) -> dict[str, str]:
    """Each broken rule of the site's type, by field."""
    site_type = state.get("site_type")
    errors: dict[str, str] = {}
    for field, needed_by, missing, unwanted in _NEEDED:
        needed = site_type == needed_by
        if needed and missing and state.get(field) is None:
            errors.setdefault(field, missing)
        elif not needed and unwanted and state.get(field) is not None:
            errors.setdefault(field, unwanted)
    if site_type == "express_terminal":
        errors.update({k: v for k, v in registration_errors(state).items() if k not in errors})
    if state.get("green_since") is not None and site_type not in GREEN_TYPES:
        errors.setdefault("green_since", "Only outlets and sorting centres are designated "
                                         "green outlets (绿色网点).")
    return errors


def registration_errors(state: dict) -> dict[str, str]:
    """A terminal's registration status and what it needs: registered with number and date,
    unregistered with neither, deregistered with the day it ended."""
    status = state.get("registration_status")
    number, registered, ended = (state.get(f) for f in _TERMINAL_FIELDS)
    errors = {}
    if status == REGISTERED:
        if number is None:
            errors["registration_number"] = "A registered terminal needs its 备案号."
        if registered is None:
            errors["registered_on"] = "A registered terminal needs its registration date."
        if ended is not None:
            errors["deregistered_on"] = "A registered terminal has no deregistration date."
    elif status == UNREGISTERED:
        for field in _TERMINAL_FIELDS:
            if state.get(field) is not None:
                errors[field] = "An unregistered terminal (未备案) has no registration yet."
    elif status == DEREGISTERED:
        if ended is None:
            errors["deregistered_on"] = "A deregistered terminal needs the day (注销日期)."
        elif registered is not None and ended < registered:
            errors["deregistered_on"] = "Deregistered before it was registered."
    return errors
