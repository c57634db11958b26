"""CI gate: pip-audit over the installed environment.

Fails on any known vulnerability not justified in .ci/pip-audit-ignore.txt. When no
vulnerability database answers (a network without access to PyPI's JSON API or OSV), it
prints a clear warning and passes: an unreachable service says nothing about our
dependencies, and must not block CI. Run with the project's interpreter:
`.venv/bin/python .ci/pip_audit_gate.py`.
"""

import json
import re
import subprocess  # nosec B404 # runs pip-audit, nothing else
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
IGNORE_FILE = HERE / "pip-audit-ignore.txt"
SERVICES = ("pypi", "osv")
# What pip-audit says when a service cannot be reached or does not know any package.
UNREACHABLE = re.compile(
    r"ConnectionError|NameResolutionError|Max retries exceeded|Temporary failure in name "
    r"resolution|timed out|ProxyError|SSLError|Network is unreachable|Connection refused"
)
NOT_AUDITED = "could not be audited"


class Unreachable(Exception):
    pass


def ignored_vulns(path: Path = IGNORE_FILE) -> list[str]:
    """IDs from the ignore file; each line is `ID  reason`, and the reason is required."""
    ids = []
    if not path.exists():
        return ids
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        vuln_id, _, reason = line.partition(" ")
        if not reason.strip():
            raise SystemExit(f"{path.name}:{number}: {vuln_id} needs a reason after its ID.")
        ids.append(vuln_id)
    return ids


def verdict(report: dict) -> tuple[int, str]:
    """(exit status, message) for one pip-audit JSON report. Raises Unreachable when the
    service audited nothing at all."""
    dependencies = report.get("dependencies", [])
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    if vulnerable:
        lines = ["pip-audit found known vulnerabilities:"]
        for dep in vulnerable:
            for vuln in dep["vulns"]:
                fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix released"
                lines.append(f"  {dep['name']} {dep.get('version', '')}: {vuln['id']} ({fixes})")
        lines.append("Upgrade, or justify each one in .ci/pip-audit-ignore.txt (`ID  reason`).")
        return 1, "\n".join(lines)
    audited = [dep for dep in dependencies if "skip_reason" not in dep]
    not_found = [dep for dep in dependencies if NOT_AUDITED in dep.get("skip_reason", "")]
    if not audited and not_found:
        raise Unreachable(f"the service could audit none of {len(not_found)} packages")
    message = f"pip-audit: no known vulnerabilities in {len(audited)} packages."
    if not_found:
        names = ", ".join(dep["name"] for dep in not_found)
        message += f" Not audited (unknown to the service): {names}."
    return 0, message


def audit(service: str, ignore: list[str]) -> tuple[int, str]:
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--skip-editable",
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--vulnerability-service",
        service,
        "--timeout",
        "10",
    ]
    for vuln_id in ignore:
        command += ["--ignore-vuln", vuln_id]
    # A fixed argv (no shell); the only variable parts are IDs from our own ignore file.
    result = subprocess.run(  # noqa: S603  # nosec B603
        command, capture_output=True, text=True, timeout=600, check=False
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        if UNREACHABLE.search(result.stderr):
            raise Unreachable(result.stderr.strip().splitlines()[-1]) from None
        return 2, f"pip-audit failed (exit {result.returncode}):\n{result.stderr}"
    return verdict(report)


def main() -> int:
    ignore = ignored_vulns()
    reasons = []
    for service in SERVICES:
        try:
            status, message = audit(service, ignore)
        except Unreachable as exc:
            reasons.append(f"{service}: {exc}")
            continue
        print(f"{message} (service: {service})")
        return status
    print(
        "WARNING: pip-audit could not reach a vulnerability database, so dependencies were "
        "NOT audited. Run `.venv/bin/python .ci/pip_audit_gate.py` where PyPI or OSV is "
        "reachable. The offline check of .ci/security_floors.py (in the test suite) still "
        "holds the security-relevant packages at their last known security releases.\n  "
        + "\n  ".join(reasons),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
