"""The offer letter as a PDF, made by offers.pdf_writer in a child process (why a child:
see applications.resumes._read_in_child)."""

import ctypes.util
import importlib.util
import os
import subprocess  # nosec B404 # the PDF writer runs as a child process
import sys
from functools import cache

from django.conf import settings

from applications.resumes import CHILD_ENVIRONMENT
from offers import letter

PDF_SECONDS = 20
PDF_CPU_SECONDS = 15
PDF_MEMORY_BYTES = 1024 * 1024 * 1024


class LetterFailed(RuntimeError):
    """The PDF could not be made within its budget."""


@cache
def available() -> bool:
    """WeasyPrint and the Pango libraries it loads are installed."""
    return bool(
        importlib.util.find_spec("weasyprint")
        and ctypes.util.find_library("pango-1.0")
        and ctypes.util.find_library("pangoft2-1.0")
    )


def render_pdf(offer) -> bytes:
    command = [
        sys.executable,
        "-m",
        "offers.pdf_writer",
        str(PDF_CPU_SECONDS),
        str(PDF_MEMORY_BYTES),
    ]
    environment = {name: os.environ[name] for name in CHILD_ENVIRONMENT if name in os.environ}
    try:
        done = subprocess.run(  # noqa: S603  # nosec B603 # fixed arguments, no shell
            command,
            input=letter.document(offer).encode(),
            capture_output=True,
            cwd=settings.BASE_DIR,
            env=environment,
            timeout=PDF_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise LetterFailed("The letter took too long to make.") from exc
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF-"):
        raise LetterFailed("The letter's PDF could not be made.")
    return done.stdout
