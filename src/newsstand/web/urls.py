from django.urls import path

from newsstand.web import outbox, pictures, site, views
from newsstand.web.accounts.urls import urlpatterns as account_urls

app_name = "web"
urlpatterns = [
    path("", views.front_page, name="front"),
    path("section/<slug:slug>/", views.section_page, name="section"),
    path("publisher/<int:publisher_id>/", views.publisher_page, name="publisher"),
    path("article/<int:article_id>/", views.article_page, name="article"),
    path("story/<int:story_id>/", views.story_page, name="story"),
    path("top/", views.top_stories_page, name="top"),
    path("top/<slug:slug>/", views.top_stories_page, name="top_section"),
    path("topic/<slug:slug>/", views.topic_page, name="topic"),
    path("health/feeds/", views.feed_health, name="feed_health"),
    path("health/outbox/", outbox.outbox, name="outbox"),
    *account_urls,
    path("robots.txt", site.robots_txt, name="robots"),
    path("favicon.ico", site.favicon, name="favicon"),
    path("manifest.webmanifest", site.manifest, name="manifest"),
    path("sw.js", site.service_worker, name="service_worker"),
    path("offline/", site.offline, name="offline"),
    path("img/<str:key>/<int:width>.webp", pictures.picture, name="picture"),
]
