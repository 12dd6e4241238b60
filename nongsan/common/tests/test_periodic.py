"""The periodic table names real tasks, and the command queues exactly one frequency's."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils.module_loading import import_string
from django_tasks.base import Task

from nongsan.common.periodic import PERIODIC_TASKS


def test_every_periodic_entry_is_a_task_and_appears_once():
    paths = [path for paths in PERIODIC_TASKS.values() for path in paths]
    assert len(paths) == len(set(paths))
    for path in paths:
        assert isinstance(import_string(path), Task), path


@pytest.mark.django_db
@pytest.mark.parametrize("frequency", sorted(PERIODIC_TASKS))
def test_the_command_queues_the_tasks_of_one_frequency(admin_units, frequency):
    out = io.StringIO()
    call_command("enqueue_periodic", frequency, stdout=out)
    lines = out.getvalue().splitlines()
    # The tests' backend runs a task when it is queued: each one ran and succeeded.
    assert lines == [f"{path}: SUCCESSFUL" for path in PERIODIC_TASKS[frequency]]


def test_an_unknown_frequency_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("enqueue_periodic", "weekly")
