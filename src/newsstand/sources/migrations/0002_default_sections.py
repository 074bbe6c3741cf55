from django.db import migrations

DEFAULT_SECTIONS = [
    ("world", "World"),
    ("politics", "Politics"),
    ("business", "Business"),
    ("technology", "Technology"),
    ("science", "Science"),
    ("health", "Health"),
    ("sport", "Sport"),
    ("culture", "Culture"),
    ("entertainment", "Entertainment"),
    ("opinion", "Opinion"),
]


def add_sections(apps, schema_editor):
    Section = apps.get_model("sources", "Section")
    for position, (slug, name) in enumerate(DEFAULT_SECTIONS):
        Section.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("sources", "0001_initial")]
    operations = [migrations.RunPython(add_sections, migrations.RunPython.noop)]
