"""Made-up resume texts for scale work: `seed_demo --applications` stores one with each
synthetic application, so that search is measured against real volume (about 3.5 KB each).

The words are known, so that a benchmark can ask for what it knows is there, and how often:
every resume is mostly FILLER; each of COMMON_SKILLS is in about COMMON_SHARE of them, each of
RARE_SKILLS in about RARE_SHARE, each of PHRASES (as the exact phrase) in about PHRASE_SHARE;
no resume holds any of ABSENT_WORDS. Only the seed command imports this module.
"""

import random

TARGET_LENGTH = 3500

# Words every resume is made of, drawn at random: each is in nearly every resume.
FILLER = tuple(
    (  # noqa: SIM905 - a paragraph reads better than 140 quoted words
        "experience team project projects built designed developed led managed improved delivered "
        "worked with across teams product customers users service services platform system "
        "systems performance reliability quality data reports features release releases support "
        "code review reviews testing tests automated automation deployment production monitoring "
        "incidents on call migration migrations backend frontend api apis integration "
        "integrations internal tools tooling documentation mentoring mentored junior engineers "
        "stakeholders requirements planning roadmap sprint agile scrum collaboration cross "
        "functional ownership scalable secure efficient maintainable responsible for the of and "
        "to in a an on at by from as our new existing legacy large small daily weekly company "
        "startup enterprise clients business analytics dashboards pipelines storage queries "
        "latency throughput cost reduced increased by percent months years university degree "
        "bachelor master computer science engineering mathematics course certificate volunteer "
        "languages english spanish french german interests hiking reading chess cooking travel "
        "photography music running"
    ).split()
)

# Each in about COMMON_SHARE of the resumes: a search for one matches tens of thousands.
COMMON_SKILLS = (
    "python",
    "javascript",
    "postgresql",
    "docker",
    "kubernetes",
    "react",
    "terraform",
    "django",
    "java",
    "linux",
)
COMMON_SHARE = 0.3

# Each in about RARE_SHARE of the resumes: a few hundred in 100,000.
RARE_SKILLS = ("erlang", "cobol", "fortran", "haskell", "ocaml", "elixir", "clojure", "prolog")
RARE_SHARE = 0.003

# Each in about PHRASE_SHARE of the resumes, always as these words in this order.
PHRASES = (
    "distributed systems",
    "machine learning",
    "event driven architecture",
    "site reliability engineering",
    "continuous integration",
)
PHRASE_SHARE = 0.1

# In no resume, nor in any name seed_demo makes: searches that must find nothing.
ABSENT_WORDS = ("zygomorphic", "quetzalcoatl", "xylophonist", "brachiosaurus", "quokkaesque")

_SKILL_LINES = (
    "Skilled in {}.",
    "Used {} every day.",
    "Introduced {} to the team.",
    "Several years of {}.",
    "Shipped production work in {}.",
)


def resume_text(rng: random.Random, name: str) -> str:
    """One resume of about TARGET_LENGTH characters for `name`, drawn from `rng` (the same
    generator state gives the same text)."""
    mentions = [s for s in COMMON_SKILLS if rng.random() < COMMON_SHARE]
    mentions += [s for s in RARE_SKILLS if rng.random() < RARE_SHARE]
    mentions += [p for p in PHRASES if rng.random() < PHRASE_SHARE]
    lines = [name, "Summary"]
    lines += [rng.choice(_SKILL_LINES).format(m) for m in mentions]
    length = sum(len(line) + 1 for line in lines)
    # About 7 characters a word with its space: draw the filler in one call, then cut it into
    # sentences of 8 to 15 words.
    words = rng.choices(FILLER, k=max(0, TARGET_LENGTH - length) // 7)
    start = 0
    while start < len(words):
        end = start + rng.randint(8, 15)
        sentence = " ".join(words[start:end])
        lines.append(sentence[:1].upper() + sentence[1:] + ".")
        start = end
    return "\n".join(lines)[:TARGET_LENGTH]
