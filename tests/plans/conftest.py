import pytest

from tests.plans import factories

BAOSHAN, JINGAN, QINGPU = "310113", "310106", "310118"


@pytest.fixture
def planner(make):
    """A supervisor of the Shanghai bureau (上海市邮政管理局): plans for every district."""
    return factories.supervisor(make, "310000")


@pytest.fixture
def api(as_user, planner):
    return as_user(planner)
