"""The platform's periodic work, in one table: which background tasks run how often.

Nothing here runs by itself: cron (or the host's scheduler) calls ``manage.py
enqueue_periodic <frequency>`` and the task worker (``manage.py db_worker``) does the work::

    */5 * * * *  manage.py enqueue_periodic frequent
    0 * * * *    manage.py enqueue_periodic hourly
    30 1 * * *   manage.py enqueue_periodic daily

Each task is safe to run late, twice or concurrently with the pages (each is idempotent:
expiry, escalation and reminders remember what they already did; rebuilds replace).
"""

from __future__ import annotations

FREQUENT = "frequent"
HOURLY = "hourly"
DAILY = "daily"

# Dotted paths, imported only when enqueued, so this table loads no app.
PERIODIC_TASKS: dict[str, tuple[str, ...]] = {
    FREQUENT: (
        "nongsan.orders.tasks.reservations_expire_task",  # stock held at checkout
        "nongsan.orders.tasks.orders_escalate_task",  # unconfirmed orders: remind, cancel
        "nongsan.trade.tasks.offers_expire_task",  # traders' offers past their time
        "nongsan.messaging.tasks.messages_dispatch_stale_task",  # lost on-commit sends
    ),
    HOURLY: (
        "nongsan.programme.tasks.rollup_rebuild_task",  # dashboards' roll-up
        "nongsan.exports.tasks.exports_expire_task",  # exported files past their keep
    ),
    DAILY: (
        "nongsan.catalog.tasks.listings_expire_task",  # listings past their window
        "nongsan.orders.tasks.active_sellers_refresh_task",  # funnel: active in 90 days
        "nongsan.trade.tasks.candidates_rebuild_task",  # matching's candidate table
        "nongsan.reports.tasks.reports_remind_task",  # provincial report deadlines
        "nongsan.prices.tasks.order_prices_record_task",  # price board: delivered orders
        "nongsan.harvests.tasks.glut_alerts_raise_task",  # glut warnings, officers told
        "nongsan.harvests.tasks.forecast_snapshot_task",  # the week's forecast, kept
    ),
}
