"""Every model of the project has an admin with search and filters, and its list page loads."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from nongsan.accounts.tests.factories import UserFactory

PROJECT_MODELS = [model for model in apps.get_models() if model.__module__.startswith("nongsan.")]


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda model: model._meta.label)
def test_every_model_has_an_admin_with_search_and_filters(model):
    model_admin = admin.site._registry.get(model)
    assert model_admin is not None, f"{model._meta.label} is not in the admin"
    assert model_admin.search_fields, f"{model._meta.label} has no search"
    assert model_admin.list_filter, f"{model._meta.label} has no filters"


@pytest.mark.django_db
@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda model: model._meta.label)
def test_every_admin_list_page_loads_and_searches(client, model):
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "Lục Ngạn"}).status_code == 200
