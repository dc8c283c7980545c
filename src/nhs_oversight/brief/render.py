"""Lay a :class:`Briefing` out as Markdown, HTML or JSON. Nothing is computed here."""

from __future__ import annotations

import json
from typing import Any

from nhs_oversight.brief.model import Briefing, Table

FORMATS = ("markdown", "html", "json")


def banner(b: Briefing) -> str | None:
    if not b.dataset:
        return None
    if b.dataset == "SYNTHETIC":
        return "SYNTHETIC DATA: fictional trusts, for demonstration only."
    return f"{b.dataset} DATA"


# -- Markdown -------------------------------------------------------------------------------------
def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|")


def _md_table(t: Table) -> str:
    lines = [f"**{t.caption}**", "", "| " + " | ".join(_md_cell(c) for c in t.columns) + " |"]
    lines.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(t.columns))) + "|")
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in t.rows]
    return "\n".join(lines)


def to_markdown(b: Briefing) -> str:
    parts = [f"# {b.title}"]
    if banner(b):
        parts.append(f"> **{banner(b)}**")
    for section in b.sections:
        parts.append(f"## {section.title}")
        for block in section.blocks:
            if isinstance(block, Table):
                parts.append(_md_table(block))
            elif block.bullets:
                parts.append("\n".join(f"- {s.text}" for s in block.sentences))
            else:
                parts.append(" ".join(s.text for s in block.sentences))
    return "\n\n".join(parts) + "\n"


# -- HTML -----------------------------------------------------------------------------------------
_HTML = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ b.title }}</title>
<style>
body { font-family: Arial, Helvetica, sans-serif; color: #212b32; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
h1, h2 { color: #005eb8; }
.banner { background: #ffeb3b; color: #212b32; padding: .5rem 1rem; font-weight: bold; border-left: 6px solid #212b32; }
table { border-collapse: collapse; margin: 1rem 0; font-size: .9rem; }
caption { text-align: left; font-weight: bold; padding-bottom: .25rem; }
th, td { border-bottom: 1px solid #d8dde0; padding: .25rem .5rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 2px solid #005eb8; }
</style>
</head>
<body>
<main>
<h1>{{ b.title }}</h1>
{% if banner %}<p class="banner" role="note">{{ banner }}</p>{% endif %}
{% for section in b.sections %}
<section id="{{ section.id }}" aria-labelledby="h-{{ section.id }}">
<h2 id="h-{{ section.id }}">{{ section.title }}</h2>
{% for block in section.blocks %}
{% if block.columns is defined %}
<table>
<caption>{{ block.caption }}</caption>
<thead><tr>{% for c in block.columns %}<th scope="col">{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in block.rows %}<tr>{% for cell in row %}{% if loop.first %}<th scope="row">{{ cell }}</th>{% else %}<td>{{ cell }}</td>{% endif %}{% endfor %}</tr>
{% endfor %}</tbody>
</table>
{% elif block.bullets %}
<ul>
{% for s in block.sentences %}<li>{{ s.text }}</li>
{% endfor %}</ul>
{% else %}
<p>{% for s in block.sentences %}{{ s.text }}{% if not loop.last %} {% endif %}{% endfor %}</p>
{% endif %}
{% endfor %}
</section>
{% endfor %}
</main>
</body>
</html>
"""


def to_html(b: Briefing) -> str:
    """A self-contained page: tables before any picture, captions and header scopes for screen
    readers, the dataset label as a banner."""
    import jinja2

    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.from_string(_HTML).render(b=b, banner=banner(b))


# -- JSON -----------------------------------------------------------------------------------------
def to_dict(b: Briefing) -> dict[str, Any]:
    from nhs_oversight import __version__
    from nhs_oversight.util.jsonable import to_jsonable

    return {
        "title": b.title,
        "dataset": b.dataset,
        "period": b.period,
        "previous_period": b.previous_period,
        "segment_counts": {str(k): v for k, v in b.segment_counts.items()},
        "previous_segment_counts": {str(k): v for k, v in b.previous_segment_counts.items()} if b.previous_segment_counts else None,
        "breakdowns": to_jsonable(b.breakdowns),
        "sections": [s.to_dict() for s in b.sections],
        "provenance": to_jsonable(b.provenance),
        "generator": {"name": "nhs-oversight", "version": __version__},
    }


def to_json(b: Briefing) -> str:
    return json.dumps(to_dict(b), indent=2, ensure_ascii=False) + "\n"


def render(b: Briefing, fmt: str) -> str:
    from nhs_oversight.errors import OptionError

    if fmt not in FORMATS:
        raise OptionError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return {"markdown": to_markdown, "html": to_html, "json": to_json}[fmt](b)
