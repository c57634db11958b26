"""The orphan sweep on the local directory, the embedded default: no S3 server needed."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_sweep_finds_and_deletes_a_local_file_no_row_names(applicants, private_root, capsys):
    stray = private_root / "resumes/2020/01/stray.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"%PDF-1.4 stray")
    gone = applicants["ada"].resume.file
    (private_root / gone.name).unlink()

    call_command("storage_orphans", "--delete", "--grace-hours", "0")

    out = capsys.readouterr().out
    assert "orphan file: resumes/2020/01/stray.pdf (14 bytes)" in out
    assert f"row without file: applications.Resume {applicants['ada'].resume.pk} file" in out
    # Three resumes left and the stray one; four resumes named, Ada's among them.
    assert "4 files, 4 named by rows. Orphan files: 1 (deleted 1)" in out
    assert not stray.exists()
    kept = [a.resume.file.name for name, a in applicants.items() if name != "ada"]
    assert all((private_root / name).exists() for name in kept)
