"""WeeklyCount now belongs to the incidents app; its table keeps its name and data
(state only: no SQL runs)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0004_perf_group_time_indexes"),
        ("lagesbild", "0003_minutes_version"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="WeeklyCount",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("group_id", models.BigIntegerField(default=0)),
                        ("municipality_code", models.CharField(default="", max_length=4)),
                        ("area_id", models.BigIntegerField(default=0)),
                        ("category_id", models.BigIntegerField()),
                        ("source", models.CharField(max_length=8)),
                        ("precision", models.CharField(max_length=12)),
                        ("police_type", models.CharField(default="", max_length=120)),
                        ("week", models.DateField()),
                        ("n", models.IntegerField(default=0)),
                    ],
                    options={
                        "db_table": "lagesbild_weeklycount",
                        "indexes": [
                            models.Index(
                                fields=["group_id", "week"], name="weeklycount_group_week"
                            ),
                            models.Index(
                                fields=["municipality_code", "source", "group_id", "week"],
                                name="weeklycount_police_week",
                            ),
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=(
                                    "group_id",
                                    "municipality_code",
                                    "area_id",
                                    "category_id",
                                    "source",
                                    "precision",
                                    "police_type",
                                    "week",
                                ),
                                name="weeklycount_key",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
