# The suite's own Redis server and SMTP sink, for the processes of the topology test.
from tests.notifications.conftest import own_redis, smtp_sink  # noqa: F401
