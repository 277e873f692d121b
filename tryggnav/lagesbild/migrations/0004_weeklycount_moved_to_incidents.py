"""WeeklyCount now belongs to the incidents app (incidents 0005); its table stays
(state only: no SQL runs)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("lagesbild", "0003_minutes_version"),
        ("incidents", "0005_weeklycount_moved_from_lagesbild"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="WeeklyCount")],
            database_operations=[],
        ),
    ]
