"""Background work through django-tasks (docs/decisions/0011-background-tasks.md).

The database backend (django-tasks-db) needs nothing but the database: a pilot commune runs
`manage.py db_worker` beside the web server. At national scale the same tasks run on the
RQ backend (django-tasks-rq) against Redis by changing TASKS_BACKEND; no code changes.
"""

import environ

env = environ.Env()

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.backend.DatabaseBackend"),
    }
}
