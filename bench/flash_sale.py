"""Scenario: a flash sale of ``size`` units (default 1,000) of one listing to 200 concurrent
buyers, through the HTTP layer.

A real HTTP server (``bench/_flash_server.py``: the WSGI application on a fixed pool of
threads, its own process) serves ``POST /api/v1/checkouts/``; 200 buyer threads, each with
its own API token, buy one unit at a time until told the listing is sold out. Printed: orders
per second, latency, and the units oversold (orders beyond the stock, or a negative stock:
must be 0). Baseline in the same run and through the same server with the same 200 threads:
``UPDATE … SET stock = stock - 1 WHERE id = ? AND stock > 0`` on a second listing, one per
request — the physical limit of one hot row — and our ratio to it (target ≥ 0.25).
Meant for PostgreSQL (``--database-url``); on SQLite every checkout waits for the one writer.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

NAME = "flash_sale"
DEFAULT_SIZE = 1_000
BUYERS = 200
SERVER_THREADS = int(os.environ.get("BENCH_SERVER_THREADS", "16"))
TARGET = 0.25


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _post(port: int, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _crowd(worker: Any) -> float:
    """Run ``worker(index)`` on BUYERS threads released together; seconds until all end."""
    gate = threading.Barrier(BUYERS + 1)

    def body(index: int) -> None:
        gate.wait()
        worker(index)

    threads = [threading.Thread(target=body, args=(index,)) for index in range(BUYERS)]
    for thread in threads:
        thread.start()
    gate.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def _baseline(port: int, listing_id: int) -> dict[str, Any]:
    sold = [0] * BUYERS
    path = f"/bench/decrement/{listing_id}/"

    def worker(index: int) -> None:
        while True:
            status, content = _post(port, path, b"", {"Content-Length": "0"})
            if status != 200 or not json.loads(content)["sold"]:
                return
            sold[index] += 1

    seconds = _crowd(worker)
    return {"sold": sum(sold), "seconds": seconds, "per_s": sum(sold) / seconds}


def _sold_out(content: bytes) -> bool:
    text = content.decode()
    return "chỉ còn" in text or "không còn bán" in text


def _flash_sale(port: int, listing_id: int, tokens: list[str], commune_code: str) -> dict[str, Any]:
    orders = [0] * BUYERS
    errors = [0] * BUYERS
    latencies: list[list[float]] = [[] for _ in range(BUYERS)]
    body = json.dumps(
        {
            "lines": [{"listing": listing_id, "quantity": "1"}],
            "buyer_name": "Người mua thử",
            "buyer_phone": "0987654321",
            "delivery_address": "Số 1, thôn Đông",
            "delivery_commune": commune_code,
            "payment_method": "cod",
        }
    ).encode()

    def worker(index: int) -> None:
        headers = {
            "Authorization": f"Bearer {tokens[index]}",
            "Content-Type": "application/json",
        }
        while errors[index] < 20:
            started = time.perf_counter()
            status, content = _post(port, "/api/v1/checkouts/", body, headers)
            latencies[index].append(time.perf_counter() - started)
            if status == 201:
                orders[index] += 1
            elif status == 400 and _sold_out(content):
                return  # sold out: what every late buyer must be told
            else:
                errors[index] += 1

    seconds = _crowd(worker)
    flat = sorted(value for row in latencies for value in row)
    return {
        "orders": sum(orders),
        "errors": sum(errors),
        "seconds": seconds,
        "per_s": sum(orders) / seconds,
        "p50_ms": statistics.median(flat) * 1000,
        "p95_ms": flat[int(len(flat) * 0.95) - 1] * 1000,
    }


def _prepare(units: int) -> tuple[Any, Any, list[str], str]:
    from django.conf import settings

    from nongsan.accounts.models import User
    from nongsan.accounts.tokens import token_create
    from nongsan.catalog.tests.factories import listing, selling_household
    from nongsan.producers.personal_data import development_keys
    from nongsan.producers.tests.factories import current_commune

    if not getattr(settings, "PERSONAL_DATA_KEYS", None):
        keys, index_key = development_keys("bench")
        settings.PERSONAL_DATA_KEYS = keys
        settings.PERSONAL_DATA_INDEX_KEY = index_key
    household = selling_household(current_commune("01"))
    sale = listing(household, publish=True, stock_quantity=units, title="Vải thiều giờ vàng")
    baseline = listing(household, publish=True, stock_quantity=units, title="Hàng đối chứng")
    tokens = []
    stamp = int(time.time())
    for index in range(BUYERS):
        buyer = User.objects.create_user(
            phone=f"+8496{stamp % 10000:04d}{index:03d}", password=None, full_name="Người mua"
        )
        tokens.append(token_create(user=buyer, name="flash sale")[1])
    return sale, baseline, tokens, current_commune("79").code


def run(*, size: int | None = None) -> dict[str, Any]:
    from django.db import connection

    from nongsan.catalog.models import Listing
    from nongsan.orders.models import OrderItem

    units = size or DEFAULT_SIZE
    sale, baseline_listing, tokens, commune_code = _prepare(units)
    connection.close()
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "bench._flash_server", str(port), str(SERVER_THREADS)],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        env=os.environ.copy(),
    )
    try:
        assert server.stdout is not None  # noqa: S101 - piped above
        if server.stdout.readline().strip() != b"ready":
            raise RuntimeError("the benchmark server did not start")
        baseline = _baseline(port, baseline_listing.pk)
        sale_result = _flash_sale(port, sale.pk, tokens, commune_code)
    finally:
        server.terminate()
        server.wait(timeout=30)
    stock = Listing.objects.get(pk=sale.pk).stock_quantity
    sold = sum(
        OrderItem.objects.filter(listing_id=sale.pk).values_list("quantity", flat=True),
        Decimal(0),
    )
    oversold = max(Decimal(0), sold - units) + max(Decimal(0), -stock)
    return {
        "scenario": NAME,
        "database": connection.vendor,
        "size": units,
        "buyers": BUYERS,
        "server_threads": SERVER_THREADS,
        "orders": sale_result["orders"],
        "errors": sale_result["errors"],
        "orders_per_s": round(sale_result["per_s"], 1),
        "p50_ms": round(sale_result["p50_ms"], 1),
        "p95_ms": round(sale_result["p95_ms"], 1),
        "oversold": int(oversold),
        "stock_left": str(stock.normalize()),
        "baseline_decrements_per_s": round(baseline["per_s"], 1),
        "ratio": round(sale_result["per_s"] / baseline["per_s"], 3),
        "target": TARGET,
    }
