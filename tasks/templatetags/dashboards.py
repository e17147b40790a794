"""The dashboard's long tables (``tasks.dashboard_html``) as template tags.

{% load dashboards %}
{% overview node.name total class_cards overview_links has_due due_end %}
{% unit_rows unit_rows %}
{% task_table data.backlog.lines show_days=True empty=empty %}
{% trend_rows data.trend %}
"""

from django import template

from ..dashboard_html import (
    options_html,
    overview_html,
    task_table_html,
    trend_rows_html,
    unit_foot_html,
    unit_head_html,
    unit_rows_html,
)

register = template.Library()


@register.simple_tag
def unit_rows(items):
    return unit_rows_html(items)


@register.simple_tag
def task_table(lines, show_days=False, show_path=False, empty=""):
    return task_table_html(lines, show_days=show_days, show_path=show_path, empty=empty)


@register.simple_tag
def trend_rows(months):
    return trend_rows_html(months)


@register.simple_tag
def options(choices, selected=None):
    return options_html(choices, selected)


@register.simple_tag
def unit_head(columns, order):
    return unit_head_html(columns, order)


@register.simple_tag
def unit_foot(own_rows, total, total_cells, total_links, node_name):
    return unit_foot_html(own_rows, total, total_cells, total_links, node_name)


@register.simple_tag
def overview(node_name, total, class_cards, links, has_due, due_end):
    return overview_html(
        node_name, total, class_cards, links, due_end if has_due else None
    )
