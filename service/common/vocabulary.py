"""Words several features share, so none of them imports another just for a list.

The kinds of inspection (检查方式) are named by inspections, by the tasks that ask for one
(an inspection of the task's kind completes it) and by plans (a draw makes double_random
tasks).
"""

from __future__ import annotations

ROUTINE, DOUBLE_RANDOM = "routine", "double_random"
INSPECTION_KINDS = (ROUTINE, DOUBLE_RANDOM, "special", "unannounced", "joint",
                    "cross_district", "re_inspection", "complaint", "licence_verification",
                    "remote")
