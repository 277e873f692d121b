"""The demo programme as seed 001 has it: overall goals are goals, not sub-goals."""

from __future__ import annotations

from tryggnav.demo import foundation, programmes, steering
from tryggnav.programmes.models import FollowUp, ResponsibilityArea, SubGoal


def test_an_areas_overall_goal_is_its_goal_not_a_sub_goal(db):
    foundation.load()
    steering.load()
    programmes.load()
    assert not SubGoal.objects.filter(text__startswith="Det övergripande målet").exists()
    area = ResponsibilityArea.objects.get(name="Trygghetsskapande och brottsförebyggande arbete")
    assert area.goal.startswith("Det övergripande målet")
    introductions = FollowUp.objects.values_list("introduction", flat=True)
    assert introductions and not any("[i originalet" in text for text in introductions)
