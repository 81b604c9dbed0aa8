"""The demo company gets three projects with ordered milestones and tasks, once."""

from __future__ import annotations

from django_tenants.utils import schema_context

from crm.projects.demo import projects_demo_seed
from crm.projects.models import Project
from tests.crm.contacts.factories import CustomerFactory


def test_demo_projects_are_made_once_with_milestones_and_tasks(company_a, szef):
    with schema_context(company_a.schema_name):
        CustomerFactory()
        CustomerFactory()

        assert projects_demo_seed() == 3
        assert projects_demo_seed() == 0

        project = Project.objects.get(name="Wdrożenie CRM")
        assert list(project.milestones.values_list("name", flat=True)) == [
            "Analiza wymagań",
            "Konfiguracja",
            "Szkolenie i start",
        ]
        assert project.tasks.count() == 6 and project.tasks.filter(done=True).count() == 3
        assert all(task.milestone_id for task in project.tasks.all())
