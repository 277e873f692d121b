"""Create the national default categories and the police event-type mapping."""

from django.db import migrations


def create_defaults(apps, schema_editor):
    from tryggnav.incidents.taxonomy import taxonomy_ensure

    taxonomy_ensure(
        category_model=apps.get_model("incidents", "Category"),
        mapping_model=apps.get_model("incidents", "PoliceTypeMapping"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_defaults, migrations.RunPython.noop),
    ]
