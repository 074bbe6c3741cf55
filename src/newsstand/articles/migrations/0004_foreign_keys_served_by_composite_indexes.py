"""Drop the single-column indexes of three foreign keys whose look-ups a composite index
already serves: article.publisher_id ((publisher, identity) and others), article.section_id
((section, -published_at)) and articlefeed.article_id ((article, feed), unique).

Each index written costs time on every article stored. Only the indexes are dropped (an
AlterField would make SQLite copy the whole table, twice); their names are Django's, the
same on SQLite and PostgreSQL.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = (
    ("articles_article_publisher_id_95fc2d71", "articles_article", "publisher_id"),
    ("articles_article_section_id_624070f6", "articles_article", "section_id"),
    ("articles_articlefeed_article_id_d5631e2f", "articles_articlefeed", "article_id"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_enrichment_state"),
        ("sources", "0003_feed_full_text"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
                )
                for name, table, column in INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="publisher",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="articles",
                        to="sources.publisher",
                    ),
                ),
                migrations.AlterField(
                    model_name="article",
                    name="section",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="articles",
                        to="sources.section",
                    ),
                ),
                migrations.AlterField(
                    model_name="articlefeed",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="articles.article",
                    ),
                ),
            ],
        )
    ]
