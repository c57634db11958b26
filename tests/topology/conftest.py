import os
import uuid
from urllib.parse import urlparse

import psycopg
import pytest

from tests.conftest import need

# The suite's own Redis server and SMTP sink, for the processes of the topology tests.
from tests.notifications.conftest import own_redis, smtp_sink  # noqa: F401


@pytest.fixture
def database():
    """A database of the test's own on the suite's PostgreSQL server, which processes of the
    site write while the test reads (no test transaction could hold that): its URL."""
    url = os.environ.get("DATABASE_URL", "")
    need(url.startswith("postgres"), "the topology tests need PostgreSQL (DATABASE_URL)")
    name = f"ats_topology_{uuid.uuid4().hex[:10]}"
    admin = urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urlparse(url)._replace(path=f"/{name}").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
