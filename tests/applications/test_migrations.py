"""The data migrations that gave every posting its pipeline and made stage names unique
ignoring case, run against rows as they were before."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("applications", "0003_resume_text_status"), ("postings", "0002_question_card_badge")]
AFTER = [("applications", "0005_stage_name_unique_ignoring_case")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_postings_without_stages_get_the_default_pipeline_and_case_twins_are_renamed():
    old = migrate(BEFORE)
    Posting = old.get_model("postings", "Posting")
    Stage = old.get_model("applications", "Stage")
    Team = old.get_model("postings", "Team")
    team = Team.objects.create(name="Core", slug="core")
    bare = Posting.objects.create(title="Bare", slug="bare", team=team)
    twins = Posting.objects.create(title="Twins", slug="twins", team=team)
    for position, name in enumerate(["Screen", "screen", "SCREEN", "Screen (2)"]):
        Stage.objects.create(posting=twins, name=name, candidate_name=name, position=position)
    try:
        new = migrate(AFTER)
        Stage = new.get_model("applications", "Stage")
        assert list(
            Stage.objects.filter(posting_id=bare.pk).order_by("position").values_list("name")
        ) == [
            ("Applied",),
            ("Screen",),
            ("Interview",),
            ("Offer",),
            ("Hired",),
            ("Rejected",),
            ("Withdrawn",),
        ]
        assert list(
            Stage.objects.filter(posting_id=twins.pk).order_by("position").values_list("name")
        ) == [("Screen",), ("screen (3)",), ("SCREEN (4)",), ("Screen (2)",)]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
