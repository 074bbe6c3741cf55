from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "newsstand.members"
    label = "members"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Members"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from newsstand.members.roles import sync_role_permissions

        # The roles' permissions follow the models: every migrate gives the editor and
        # admin groups the permissions of models added since (by any app).
        post_migrate.connect(sync_role_permissions, sender=self)
