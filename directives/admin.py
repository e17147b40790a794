"""Admin for directives, the plans that carry them out, and their items."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from units.admin import HistoryAdmin

from .models import Directive, DirectiveItem


class DirectiveItemInline(admin.TabularInline):
    model = DirectiveItem
    fields = ["number", "content", "order"]
    extra = 0
    verbose_name = _("mục")
    verbose_name_plural = _("các mục của văn bản")


@admin.register(Directive)
class DirectiveAdmin(HistoryAdmin):
    list_display = [
        "number",
        "kind",
        "title",
        "issuing_unit",
        "issue_date",
        "status",
        "parent",
    ]
    list_display_links = ["number", "title"]
    list_select_related = ["issuing_unit", "parent"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "title"]
    autocomplete_fields = ["issuing_unit", "parent"]
    date_hierarchy = "issue_date"
    inlines = [DirectiveItemInline]
    show_facets = admin.ShowFacets.NEVER
    fieldsets = [
        (None, {"fields": ["kind", "number", "title", "issuing_unit", "issue_date"]}),
        (_("Nội dung và thực hiện"), {"fields": ["summary", "status", "parent"]}),
    ]


@admin.register(DirectiveItem)
class DirectiveItemAdmin(HistoryAdmin):
    """Items are edited inside their directive; this page is for finding an
    item (the task form's autocomplete) and for its history."""

    list_display = ["number", "directive", "content", "order"]
    list_select_related = ["directive"]
    list_filter = ["directive__kind"]
    search_fields = ["number", "content", "directive__number"]
    autocomplete_fields = ["directive"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request):
        # __str__ names the directive: join it for lists and autocompletes.
        return super().get_queryset(request).select_related("directive")
