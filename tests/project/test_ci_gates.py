"""The dependency gates in .ci/: pip-audit fails on findings and only warns when no database
answers; the security floors hold without any network."""

import importlib.util
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]


def load_ci(name: str):
    """A module of .ci/, which is scripts rather than a package."""
    spec = importlib.util.spec_from_file_location(name, ROOT / ".ci" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gate():
    return load_ci("pip_audit_gate")


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


# The offline check: security floors, against what is installed and what pyproject.toml asks.


@pytest.fixture(scope="module")
def floors():
    return load_ci("security_floors").FLOORS


def declared_floors() -> dict[str, Version]:
    """{package: the version of its `>=` bound} for every dependency in pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found = {}
    for line in project["dependencies"] + project["optional-dependencies"]["dev"]:
        requirement = Requirement(line)
        for spec in requirement.specifier:
            if spec.operator == ">=":
                found[canonicalize_name(requirement.name)] = Version(spec.version)
    return found


def below_floor(floors, version_of=metadata.version) -> dict[str, tuple[str, str]]:
    """{package: (installed, floor)} for each package older than its floor."""
    return {
        name: (version_of(name), floor)
        for name, (floor, _) in floors.items()
        if Version(version_of(name)) < Version(floor)
    }


def test_every_installed_security_dependency_is_at_least_its_floor(floors):
    assert below_floor(floors) == {}, "upgrade these (installed, floor)"


def test_a_version_below_its_floor_is_reported_comparing_versions_not_text(floors):
    installed = {name: floor for name, (floor, _) in floors.items()}
    installed["django"] = "5.2.9"  # after "5.2.19" as text, before it as a version
    assert below_floor(floors, installed.get) == {"django": ("5.2.9", floors["django"][0])}


def test_pyproject_asks_for_exactly_the_security_floors(floors):
    declared = declared_floors()
    assert {name: declared.get(name) for name in floors} == {
        name: Version(floor) for name, (floor, _) in floors.items()
    }


def test_each_floor_says_why(floors):
    for name, (floor, reason) in floors.items():
        assert Version(floor) and len(reason) > 20, name
