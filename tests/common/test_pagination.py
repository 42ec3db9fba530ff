"""Keyset pages ordered by a time column: the cursor carries the time as a time."""

from __future__ import annotations

from datetime import timedelta

from service.db import utcnow
from tests.evidence import helpers


def test_pages_ordered_by_start_time_follow_on_without_gaps_or_repeats(make, supervisor):
    starts = [utcnow() - timedelta(hours=hours) for hours in (5, 4, 3)]
    made = [helpers.inspection(make, started_at=start) for start in starts]
    seen, cursor = [], None
    for _ in range(5):
        answer = supervisor.get("/api/v1/inspections",
                                query_string={"limit": 1, **({"cursor": cursor} if cursor
                                                             else {})})
        assert answer.status_code == 200, answer.json
        seen += [item["id"] for item in answer.json["items"]]
        cursor = answer.json["next_cursor"]
        if cursor is None:
            break
    assert seen == [str(row.id) for row in made]
