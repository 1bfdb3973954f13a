"""The queue rows tag writes each row's cells escaped, its check box named for the batch forms, its link
to the row's page, and the empty queue's one row."""

from __future__ import annotations

import uuid

from django.template import Context, Template

from applications.queues import QueuePage, QueueRow

TEMPLATE = Template("{% load queue_tags %}{% queue_rows page empty submitted=submitted %}")


def _row(**changes) -> QueueRow:
    values = {
        "pk": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "number": "2026-0001-000001",
        "name": "张三",
        "organisation": "衢州市某某有限公司",
        "qualification": "工程师",
        "specialty": "机械",
        "declaration_type": "正常申报",
        "plan": "2026年度评审计划",
        "submitted": "2026-07-01 09:30",
        "url": "/applications/12345678-1234-5678-1234-567812345678/",
    }
    return QueueRow(**{**values, **changes})


def _render(rows, *, submitted=False, empty="暂无待办。") -> str:
    page = QueuePage(object_list=rows, has_next=False, has_previous=False, total=len(rows))
    return TEMPLATE.render(Context({"page": page, "empty": empty, "submitted": submitted}))


def test_a_row_has_its_check_box_link_and_cells():
    html = _render([_row()], submitted=True)
    assert html.startswith('<tr><td><input type="checkbox" name="applications"')
    assert 'value="12345678-1234-5678-1234-567812345678"' in html
    assert 'aria-label="选择 2026-0001-000001"' in html
    assert '<a href="/applications/12345678-1234-5678-1234-567812345678/">2026-0001-000001</a>' in html
    for cell in (
        "张三",
        "衢州市某某有限公司",
        "工程师（机械）",
        "正常申报",
        "2026年度评审计划",
        "2026-07-01 09:30",
    ):
        assert f"<td>{cell}</td>" in html
    assert html.count("<td") == 8
    assert "2026-07-01 09:30" not in _render([_row()])


def test_what_an_applicant_typed_is_escaped_in_every_cell():
    hostile = '<script>alert("x")</script>&'
    html = _render(
        [_row(name=hostile, organisation=hostile, qualification=hostile, specialty=hostile, plan=hostile)]
    )
    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;") == 5


def test_an_empty_queue_says_so_across_the_table():
    assert _render([], empty="暂无<申报>。") == '<tr><td colspan="7">暂无&lt;申报&gt;。</td></tr>'
    assert _render([], submitted=True).startswith('<tr><td colspan="8">')


def test_twenty_rows_are_twenty_table_rows():
    rows = [_row(pk=uuid.uuid4(), number=f"2026-0001-{n:06d}") for n in range(20)]
    html = _render(rows)
    assert html.count("<tr>") == 20
    assert [f"2026-0001-{n:06d}" in html for n in range(20)] == [True] * 20
