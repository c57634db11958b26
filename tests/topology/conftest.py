# The suite's own Redis server fixture, for the processes of the topology test.
from tests.notifications.conftest import own_redis  # noqa: F401
