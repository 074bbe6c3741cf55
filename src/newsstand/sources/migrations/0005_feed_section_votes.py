from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0004_publisher_country_from_host"),
    ]

    operations = [
        migrations.AddField(
            model_name="feed",
            name="section_agreements",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="feed",
            name="section_votes",
            field=models.PositiveIntegerField(default=0),
        ),
    ]
