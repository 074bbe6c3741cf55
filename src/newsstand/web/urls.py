from django.urls import path

from newsstand.web import views

app_name = "web"
urlpatterns = [
    path("", views.front_page, name="front"),
]
