"""The HTTP server of the flash-sale benchmark, run as its own process:
``python -m bench._flash_server PORT THREADS``.

The project's WSGI application behind a real HTTP server with a fixed pool of worker threads
(the shape of gunicorn's ``gthread`` worker: each thread keeps its own database connection),
plus one route only this server has, ``POST /bench/decrement/<id>/``: the single-row
conditional decrement the benchmark uses as its baseline, through the same server, so that
the HTTP and WSGI costs are the same on both sides of the ratio.
"""

from __future__ import annotations

import logging
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        return


class PooledWSGIServer(WSGIServer):
    """Accepts connections on one thread and serves each on a fixed pool of threads."""

    request_queue_size = 1024

    def __init__(self, address: tuple[str, int], threads: int) -> None:
        super().__init__(address, QuietHandler)
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="wsgi")

    def process_request(self, request: Any, client_address: Any) -> None:
        self.pool.submit(self._serve, request, client_address)

    def _serve(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


def main() -> None:
    port, threads = int(sys.argv[1]), int(sys.argv[2])
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django
    from django.conf import settings

    django.setup()
    # A sold-out answer (400) is the expected end of each buyer, not something to log.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    from nongsan.producers.personal_data import development_keys

    keys, index_key = development_keys("bench")
    settings.PERSONAL_DATA_KEYS = keys
    settings.PERSONAL_DATA_INDEX_KEY = index_key
    settings.ROOT_URLCONF = "bench._flash_urls"
    from django.core.wsgi import get_wsgi_application

    server = PooledWSGIServer(("127.0.0.1", port), threads)
    server.set_app(get_wsgi_application())
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
