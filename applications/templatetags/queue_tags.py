"""{% queue_rows page empty submitted=… %}: the rows of a work queue (applications.queues.QueueRow), each
with its check box, written in Python: a queue page's twenty rows of nine cells were most of the time the
template engine spent on it (tests/applications/test_queue_rows_tag.py checks the HTML, its escaping and
its empty row)."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _row(row, choose: str, submitted: bool) -> str:
    number = escape(row.number)
    cells = [
        f'<td><input type="checkbox" name="applications" value="{escape(str(row.pk))}" '
        f'aria-label="{choose} {number}"></td>',
        f'<td><a href="{escape(row.url)}">{number}</a></td>',
        f"<td>{escape(row.name)}</td>",
        f"<td>{escape(row.organisation)}</td>",
        f"<td>{escape(row.qualification)}（{escape(row.specialty)}）</td>",
        f"<td>{escape(row.declaration_type)}</td>",
        f"<td>{escape(row.plan)}</td>",
    ]
    if submitted:
        cells.append(f"<td>{escape(row.submitted)}</td>")
    return "<tr>" + "".join(cells) + "</tr>"


@register.simple_tag
def queue_rows(page, empty: str, submitted: bool = False) -> SafeString:
    """`submitted` adds the submission time; `empty` is the text of an empty queue."""
    if not page.object_list:
        return mark_safe(f'<tr><td colspan="{8 if submitted else 7}">{escape(str(empty))}</td></tr>')
    choose = escape(_("选择"))
    return mark_safe("\n".join(_row(row, choose, submitted) for row in page.object_list))
