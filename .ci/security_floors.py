"""The oldest version of each security-relevant dependency the project accepts, and why.

The one list: pyproject.toml's lower bounds must equal it, and tests/project/test_ci_gates.py
checks both that they do and that the installed versions reach it. Unlike pip-audit, that
check needs no network, so it runs everywhere the tests run. Raise a floor when a security
release comes out, with the advisory it closes as the reason; name only advisories the
package's own release notes confirm.
"""

FLOORS: dict[str, tuple[str, str]] = {
    # Parses every request, form and upload.
    "django": ("5.2.19", "latest 5.2 security release as of 2026-11-30"),
    # Reads applicants' PDFs. The 6.21.4 release notes list three security fixes: a limit on
    # page attributes copied while flattening (#4290), EOF detection in the xref trailer
    # (#4289) and loop detection when cloning a DictionaryObject (#4288).
    "pypdf": ("6.21.4", "pypdf 6.21.4 security fixes #4288, #4289, #4290"),
    # Parses HTTP in front of Django.
    "gunicorn": (
        "23.0.0",
        "CVE-2024-6827 (TE.CL request smuggling); 22.0.0 closed CVE-2024-1135",
    ),
    # Sanitises the HTML that posting Markdown renders to.
    "nh3": ("0.3.8", "latest release as of 2026-11-30; no advisory verified"),
}
