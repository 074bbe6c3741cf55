from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "newsstand.articles"
    label = "articles"
    default_auto_field = "django.db.models.BigAutoField"
