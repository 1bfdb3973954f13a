"""Template sources stay readable in a diff: short lines, one block-opening tag a line.

The templates were once packed onto lines of several hundred characters. A line may open one block
(`{% if %}`, `{% for %}`, `{% with %}`, `{% blocktranslate %}`, ...). An `{% if %}...{% endif %}`
closed on the same line around a single word (what it shows holds no whitespace, as in `、` or
`（{{ note }}）`) is not counted: moving it onto lines of its own would put a visible space into the
page, which matters in Chinese text.
"""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MAX_LINE = 160

BLOCK_TAGS = (
    "if",
    "for",
    "block",
    "with",
    "blocktranslate",
    "blocktrans",
    "comment",
    "spaceless",
    "autoescape",
    "filter",
    "ifchanged",
    "verbatim",
    "localize",
    "localtime",
    "timezone",
    "language",
    "cache",
)
OPENING_TAG = re.compile(r"\{%-?\s*(?:" + "|".join(BLOCK_TAGS) + r")\b")
# The body may hold text without whitespace, variables and {% translate %}, nothing that opens a block.
INLINE_IF = re.compile(
    r"\{%\s*if\b[^%]*%\}"
    r"(?:[^\s{]|\{\{[^}]*\}\}|\{%\s*translate\b[^%]*%\})+"
    r"\{%\s*endif\s*%\}"
)


def template_lines():
    files = sorted(p for p in TEMPLATES.rglob("*") if p.is_file())
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            yield f"{path.relative_to(TEMPLATES.parent)}:{number}", line


def blocks_opened(line: str) -> int:
    return len(OPENING_TAG.findall(INLINE_IF.sub("", line)))


def test_the_templates_are_found():
    assert len({where.split(":")[0] for where, _ in template_lines()}) > 50


def test_no_template_line_is_longer_than_160_characters():
    long = [f"{where} ({len(line)} characters)" for where, line in template_lines() if len(line) > MAX_LINE]
    assert not long, "\n".join(long)


def test_no_template_line_opens_two_blocks():
    packed = [f"{where}: {line.strip()}" for where, line in template_lines() if blocks_opened(line) >= 2]
    assert not packed, "\n".join(packed)


def test_the_rule_counts_packed_tags_but_not_an_if_around_one_word():
    packed = "{% if a %}<ul>{% for x in xs %}<li>{{ x }}</li>{% endfor %}</ul>{% endif %}"
    separated = "{% for q in qs %}{{ q.name }}{% if not forloop.last %}、{% endif %}{% endfor %}"
    spaced = "{{ a }}{% if b %}（{{ b }}）{% endif %}{% if c %} · {{ c }}{% endif %}"
    assert blocks_opened(packed) == 2
    assert blocks_opened(separated) == 1
    assert blocks_opened(spaced) == 1
