"""Publishers subscribed before countries were guessed get theirs from their host name."""

from django.db import migrations

from newsstand.core.countries import country_of_host


def guess_countries(apps, schema_editor):  # type: ignore[no-untyped-def]
    Publisher = apps.get_model("sources", "Publisher")
    for publisher in Publisher.objects.filter(country="").only("id", "host"):
        country = country_of_host(publisher.host)
        if country:
            Publisher.objects.filter(pk=publisher.pk).update(country=country)


class Migration(migrations.Migration):
    dependencies = [("sources", "0003_feed_full_text")]

    operations = [migrations.RunPython(guess_countries, migrations.RunPython.noop)]
