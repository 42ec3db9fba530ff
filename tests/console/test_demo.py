"""The console's demo work (make run): something in each queue a supervisor opens first,
computed figures, and added only once."""

from service.console import demo as console_demo
from service.console import logic
from service.enforcement.measures import Policy
from service.local import demo


def test_the_demo_work_fills_the_queues_once(db):
    demo.load(db)
    db.flush()
    added = console_demo.load(db)
    assert added["inspections"] >= 10 and added["cases"] >= 4
    counts = logic.queue_counts(db, scope="310113", policy=Policy())
    for queue in ("filing_approval", "legal_review", "publication", "flagged_inspection"):
        assert counts[queue] >= 1, queue
    assert console_demo.load(db) == {"inspections": 0, "cases": 0}
