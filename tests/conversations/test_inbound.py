"""Trimming a reply's quoted history: what the timeline shows first (the whole text is kept)."""

import pytest

from conversations.inbound import trim_quoted


@pytest.mark.parametrize(
    ("text", "trimmed"),
    [
        (
            "Yes, Tuesday.\n\nOn Mon, 30 Nov 2026 at 09:00, Alice <jobs@x.example> wrote:\n> Hi",
            "Yes, Tuesday.",
        ),
        (
            # Gmail folds a long attribution over two lines.
            "Yes.\n\nOn Mon, 30 Nov 2026 at 09:00, Alice Wonderland-Smith <jobs+abc@x.example>\n"
            "wrote:\n> Hi",
            "Yes.",
        ),
        (
            "Sounds good.\n\n________________________________\nFrom: Alice <jobs@x.example>\n"
            "Sent: Monday, November 30, 2026 9:00 AM\nTo: Jane Doe\nSubject: Interview\n\nHi Jane",
            "Sounds good.",
        ),
        (
            "Thanks!\n\nFrom: Alice <jobs@x.example>\nDate: Monday\nTo: Jane\nSubject: Re: x\n\nHi",
            "Thanks!",
        ),
        ("See below.\n\n-----Original Message-----\nFrom: Alice\nHi", "See below."),
        # Trailing quoted lines without an attribution.
        ("Works for me.\n\n> Could you do Tuesday?\n> Alice", "Works for me."),
        # An inline answer keeps the quote it answers.
        (
            "> Could you do Tuesday?\nYes.\n> And Wednesday?\nNo.",
            "> Could you do Tuesday?\nYes.\n> And Wednesday?\nNo.",
        ),
        # A "From:" line in the candidate's own words is not a quoted block.
        ("From: my side, all fine.\nJane", "From: my side, all fine.\nJane"),
        # All quoted: nothing would be left, so nothing is trimmed.
        ("> only a quote", "> only a quote"),
    ],
    ids=[
        "gmail",
        "gmail-folded",
        "outlook",
        "apple-mail-headers",
        "original-message",
        "trailing-quote",
        "inline",
        "own-from-line",
        "all-quoted",
    ],
)
def test_the_quoted_history_is_trimmed(text, trimmed):
    assert trim_quoted(text) == trimmed


def test_trimming_a_long_hostile_text_is_quick():
    import time

    text = ("On " + "x" * 290 + "\n") * 20_000 + "> q\n" * 20_000
    started = time.monotonic()
    trim_quoted(text)
    assert time.monotonic() - started < 1
