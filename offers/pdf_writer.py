"""Making the offer letter's PDF with WeasyPrint, in a process of its own under a budget.

Run as `python -m offers.pdf_writer CPU_SECONDS MEMORY_BYTES` with the letter's HTML on stdin;
the PDF comes back on stdout, nothing on failure. Like applications.resume_reader it imports
no Django and holds no secret, and it puts itself under CPU, memory and core-file limits
first: a letter is recruiters' text, and a layout engine fed ten thousand paragraphs should
cost seconds, not the server. It fetches nothing: every URL is refused.
"""

import resource
import sys


def refuse_urls(url, *args, **kwargs):
    raise ValueError("offer letters load nothing from outside")


def main(argv: list[str]) -> None:
    cpu_seconds, memory_bytes = int(argv[0]), int(argv[1])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    out = sys.stdout.buffer
    # Only the PDF may reach the parent's pipe, whatever a library prints.
    sys.stdout = sys.stderr
    html = sys.stdin.buffer.read().decode()
    from weasyprint import HTML

    out.write(HTML(string=html, url_fetcher=refuse_urls).write_pdf())
    out.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
