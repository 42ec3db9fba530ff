"""Self-check bodies as a bureau records them from an enterprise's report."""

from __future__ import annotations

from tests.checklists import factories as checklists


def body(db, site, *, fail: str | None = None, **overrides) -> dict:
    """Every item of the site type's current checklist passed, but `fail`."""
    template = checklists.current(db, site.site_type)
    answers = [{"item_code": item.code, "answer": "fail" if item.code == fail else "pass"}
               for item in template.items]
    return {"site_id": str(site.id), "template_id": str(template.id),
            "checked_on": "2026-03-02", "answers": answers, **overrides}
