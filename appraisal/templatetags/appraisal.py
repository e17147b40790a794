"""Template helpers of the accountability pages::

{% load appraisal %}
{{ line.points|num }}        a number kept as a string, in the page's language
{{ value|level_label }}      "excellent" → Hoàn thành xuất sắc nhiệm vụ
{% level_badge value %}     the label in a badge coloured by level
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats
from django.utils.html import format_html

from ..choices import Level

register = template.Library()


@register.filter
def num(value):
    """A decimal (or a decimal kept as a string) as the page shows numbers:
    at most one decimal, without trailing zeros ("2", "2,5", "-16,7")."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    rounded = number.quantize(Decimal("0.1"))
    places = 0 if rounded == rounded.to_integral_value() else 1
    return formats.number_format(rounded, decimal_pos=places)


@register.filter
def level_label(value):
    return Level(value).label if value in Level.values else ""


@register.simple_tag
def level_badge(value):
    if value not in Level.values:
        return ""
    return format_html(
        '<span class="badge lv lv-{}">{}</span>', value, Level(value).label
    )


@register.filter
def pct(part, whole):
    """part of whole in percent, one decimal; "—" when there is no whole."""
    try:
        part, whole = int(part), int(whole)
    except (TypeError, ValueError):
        return "—"
    if not whole:
        return "—"
    return num(Decimal(part * 100) / Decimal(whole))
