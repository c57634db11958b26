"""The backup and restore of README's "Deploying" section, run as a drill: dump the database
and archive the files, lose both, restore them, and the restored site serves the same
candidate and the same resume."""

import hashlib
import shutil
import subprocess

import psycopg
import pytest

from tests.conftest import need
from tests.notifications.conftest import free_port
from tests.topology.site import (
    Processes,
    application_url,
    apply,
    pdf_resume,
    prepare,
    production_env,
    query,
    signed_in,
)

pytestmark = [pytest.mark.topology, pytest.mark.xdist_group("topology")]


def test_a_restored_backup_serves_the_same_candidate_and_resume(
    database, own_redis, smtp_sink, tmp_path
):
    for tool in ("pg_dump", "pg_restore", "tar"):
        need(shutil.which(tool) is not None, f"the restore drill needs {tool} (postgresql-client)")
    var = tmp_path / "var"
    env = production_env(
        database=database, redis_url=own_redis.url, smtp_port=smtp_sink.port, var=var
    )
    posting = prepare(env)
    processes = Processes(log_dir=tmp_path, env=env)
    try:
        site = processes.web("web", free_port())
        assert apply(site, 7, ip="10.0.0.7") == 302
        [(application,)] = query(database, "SELECT id FROM applications_application")
        before = signed_in(site).get(application_url(site, posting, application)).text
        assert processes.stop("web") == 0

        # The backup: the database in pg_dump's custom format, the private files as a tarball.
        dump, files = tmp_path / "ats.dump", tmp_path / "private.tar.gz"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--dbname={database}", f"--file={dump}"],
            check=True,
        )
        subprocess.run(["tar", "-C", var / "private", "-czf", files, "."], check=True)

        # The loss: the database dropped, the files gone.
        name = database.rsplit("/", 1)[1]
        admin = database.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        shutil.rmtree(var / "private")

        # The restore, into an empty database of the same name and an empty directory.
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={database}", dump],
            check=True,
        )
        (var / "private").mkdir()
        subprocess.run(["tar", "-C", var / "private", "-xzf", files], check=True)

        site = processes.web("restored", free_port())
        recruiter = signed_in(site)
        page = recruiter.get(application_url(site, posting, application))
        assert page.status_code == 200 and "Applicant 7" in page.text
        assert page.text.count("applicant7@example.com") == before.count("applicant7@example.com")
        resume = recruiter.get(application_url(site, posting, application) + "resume/download/")
        assert resume.status_code == 200
        assert hashlib.sha256(resume.content).digest() == hashlib.sha256(pdf_resume(7)).digest()
    finally:
        processes.stop_all()
