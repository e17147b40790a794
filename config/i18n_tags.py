"""Django's ``i18n`` template tags, with what a tag's fixed text translates
to remembered per language.

``{% translate "…" %}`` on a literal asks the translation catalogues again
at every render: a lazy string, a lookup through every app's catalogue, an
escape. A page like the dashboard renders about ninety of them (a tenth of
its rendering time): here each node keeps its answer for each language, so
that the next render is a dictionary lookup (a template's own text is never
escaped, so autoescape does not change it).

The catalogues are loaded once per process and never change under it, so
nothing is kept that could go stale. Tags that translate a variable, that
pass their text through filters or that take their context from a variable
are left to Django, as are ``{% blocktranslate %}`` and the other tags.
The syntax, ``as``, ``context``, ``noop`` and what ``makemessages`` finds
are Django's: ``TEMPLATES["OPTIONS"]["libraries"]`` loads this module as
``i18n``.
"""

from django.template import Library
from django.template.base import render_value_in_context
from django.templatetags import i18n
from django.utils import translation
from django.utils.safestring import SafeData, mark_safe

register = Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)


def _literal(expression) -> bool:
    """A quoted text with no filter (a constant's ``var`` is the text
    itself; ``TranslateNode`` wraps its own in a ``Variable``)."""
    return not expression.filters and (
        isinstance(expression.var, str) or expression.var.lookups is None
    )


class TranslateNode(i18n.TranslateNode):
    def render(self, context):
        if not (
            _literal(self.filter_expression)
            and (self.message_context is None or _literal(self.message_context))
        ):
            return super().render(context)
        key = translation.get_language()
        memo = self.__dict__.setdefault("_memo", {})
        if key not in memo:
            memo[key] = self._translated(context)
        if self.asvar:
            context[self.asvar] = memo[key]
            return ""
        return memo[key]

    def _translated(self, context):
        """``TranslateNode.render`` less its ``as``."""
        expression = self.filter_expression
        expression.var.translate = not self.noop
        if self.message_context:
            expression.var.message_context = self.message_context.resolve(context)
        value = render_value_in_context(expression.resolve(context), context)
        # Percent signs are doubled in template text: restored.
        unescaped = value.replace("%%", "%")
        return mark_safe(unescaped) if isinstance(value, SafeData) else unescaped


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = i18n.do_translate(parser, token)
    return TranslateNode(
        node.filter_expression, node.noop, node.asvar, node.message_context
    )
