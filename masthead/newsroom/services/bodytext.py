"""An article's body as editors write it: plain text, not JSON.

    A paragraph is text between blank lines.

    - An intertitle is a line between dashes -

    > A quote is a paragraph that starts with ">".

Inside a block, the inline markup agency copy carries is written as it is (<em>, <strong>,
<a href="...">, <br>), and the whole goes through the sanitiser wire copy goes through. The
form is the one agencies use in plain-text copy (AFP's "- Intertitle -"), so a body read from
the wire and written back comes out as it went in.
"""

from __future__ import annotations

import re
from typing import Any

_INTERTITLE = re.compile(r"^-\s+(.+?)\s+-$")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
# In the text an editor sees, "&" stands for itself; an entity that would change meaning if
# read back ("&amp;lt;" must not become "<") is left as written.
_AMP = re.compile(r"&amp;(?![#a-zA-Z0-9]+;)")


def body_from_text(text: str) -> list[dict[str, str]]:
    """Blocks from an editor's text (not yet sanitised: article_body_clean does that)."""
    blocks = []
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    for chunk in _BLANK_LINES.split(normalised):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        first = _INTERTITLE.match(lines[0])
        if len(lines) == 1 and first:
            blocks.append({"type": "intertitle", "html": first.group(1)})
        elif lines[0].startswith(">"):
            quoted = " ".join(line.removeprefix(">").strip() for line in lines)
            blocks.append({"type": "quote", "html": quoted})
        else:
            blocks.append({"type": "paragraph", "html": " ".join(lines)})
    return blocks


def body_to_text(blocks: Any) -> str:
    """The text an editor edits for these blocks; body_from_text reads it back the same."""
    if not isinstance(blocks, list):
        return ""
    parts = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        html = _AMP.sub("&", str(block.get("html", "")).replace("\n", " ")).strip()
        if not html:
            continue
        kind = block.get("type")
        if kind == "intertitle":
            parts.append(f"- {html} -")
        elif kind == "quote":
            parts.append(f"> {html}")
        else:
            parts.append(html)
    return "\n\n".join(parts)
