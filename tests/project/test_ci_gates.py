"""The pip-audit gate in .ci/: it fails on findings, and only warns when no database answers."""

import importlib.util
from pathlib import Path

import pytest

GATE = Path(__file__).resolve().parents[2] / ".ci" / "pip_audit_gate.py"


@pytest.fixture(scope="module")
def gate():
    spec = importlib.util.spec_from_file_location("pip_audit_gate", GATE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_known_vulnerability_fails_the_gate(gate):
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.0",
                "vulns": [{"id": "GHSA-aaaa-bbbb-cccc", "fix_versions": ["5.2.1"]}],
            },
            {"name": "celery", "version": "5.4.0", "vulns": []},
        ]
    }
    status, message = gate.verdict(report)
    assert status == 1
    assert "django 5.2.0: GHSA-aaaa-bbbb-cccc (5.2.1)" in message


def test_a_clean_audit_passes_and_names_what_it_could_not_audit(gate):
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "vulns": []},
            {"name": "ats", "skip_reason": "distribution marked as editable"},
            {
                "name": "private-lib",
                "skip_reason": "Dependency not found on PyPI and could not "
                "be audited: private-lib (1.0)",
            },
        ]
    }
    status, message = gate.verdict(report)
    assert status == 0
    assert "no known vulnerabilities in 1 packages" in message
    assert "private-lib" in message


def test_a_service_that_audits_nothing_counts_as_unreachable(gate):
    report = {
        "dependencies": [
            {
                "name": name,
                "skip_reason": f"Dependency not found on PyPI and could not be "
                f"audited: {name} (1.0)",
            }
            for name in ("django", "celery")
        ]
    }
    with pytest.raises(gate.Unreachable):
        gate.verdict(report)


def test_every_ignored_vulnerability_needs_a_reason(gate, tmp_path):
    ignore = tmp_path / "ignore.txt"
    ignore.write_text("# comment\nPYSEC-2024-1  no fix released; we never call the API\n")
    assert gate.ignored_vulns(ignore) == ["PYSEC-2024-1"]
    ignore.write_text("PYSEC-2024-2\n")
    with pytest.raises(SystemExit, match="needs a reason"):
        gate.ignored_vulns(ignore)


def test_the_committed_ignore_file_is_valid(gate):
    gate.ignored_vulns()
