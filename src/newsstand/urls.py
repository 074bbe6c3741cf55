"""URL routes of the whole site."""

from django.contrib import admin
from django.urls import include, path

# Admin modules are found here rather than at start-up (SimpleAdminConfig in settings).
admin.autodiscover()

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("newsstand.web.urls")),
]
