"""The migration from one team per posting to several keeps every posting's team, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("postings", "0002_question_card_badge")]
AFTER = [("postings", "0004_remove_posting_team")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_each_posting_keeps_its_team_through_the_move_to_several_and_back():
    try:
        old = migrate(BEFORE)
        Team, Posting = old.get_model("postings", "Team"), old.get_model("postings", "Posting")
        core = Team.objects.create(name="Core", slug="core")
        design = Team.objects.create(name="Design", slug="design")
        Posting.objects.create(title="Backend Engineer", slug="backend-engineer", team=core)
        Posting.objects.create(title="Product Designer", slug="product-designer", team=design)

        new = migrate(AFTER)
        Posting = new.get_model("postings", "Posting")
        teams = {
            posting.slug: [team.slug for team in posting.teams.order_by("name")]
            for posting in Posting.objects.all()
        }
        assert teams == {"backend-engineer": ["core"], "product-designer": ["design"]}

        # Backwards, a posting on two teams keeps the first by name.
        Team = new.get_model("postings", "Team")
        Posting.objects.get(slug="backend-engineer").teams.add(
            Team.objects.create(name="Monetization", slug="monetization")
        )
        old = migrate(BEFORE)
        Posting = old.get_model("postings", "Posting")
        assert dict(Posting.objects.values_list("slug", "team__slug")) == {
            "backend-engineer": "core",
            "product-designer": "design",
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_postings_get_their_salary_written_by_the_migration_that_keeps_it():
    try:
        old = migrate([("postings", "0006_posting_openings")])
        Posting = old.get_model("postings", "Posting")
        Posting.objects.create(
            title="Backend Engineer",
            slug="backend-engineer",
            salary_min=118_938,
            salary_max=244_872,
            salary_currency="USD",
            salary_period="year",
        )
        Posting.objects.create(title="Volunteer", slug="volunteer")

        new = migrate([("postings", "0007_salary_shown")])
        shown = dict(
            new.get_model("postings", "Posting").objects.values_list("slug", "salary_shown")
        )
        assert shown["backend-engineer"]["text"] == "$118,938 – $244,872 USD per year"
        assert shown["volunteer"] == {}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
