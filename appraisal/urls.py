"""URLs of the accountability pages, under /appraisal/. Each views module
owns its own ``urlpatterns``; this file only stitches them together."""

from .views import classifications, rules, scores

app_name = "appraisal"

urlpatterns = [
    *scores.urlpatterns,
    *rules.urlpatterns,
    *classifications.urlpatterns,
]
