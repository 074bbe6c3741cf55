"""URL routes of the whole site."""

from django.contrib import admin
from django.urls import include, path

from newsstand.web import site

# Admin modules are found here rather than at start-up (SimpleAdminConfig in settings).
admin.autodiscover()

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("newsstand.web.urls")),
]

handler404 = site.page_not_found
handler500 = site.server_error
