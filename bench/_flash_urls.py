"""The project's routes plus the flash-sale benchmark's baseline route (this server only)."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as project_urlpatterns
from nongsan.catalog.models import Listing


@csrf_exempt
@require_POST
def decrement(request: HttpRequest, pk: int) -> HttpResponse:
    """One conditional decrement of one row: the physical limit for one hot listing."""
    table = connection.ops.quote_name(Listing._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET stock_quantity = stock_quantity - 1"  # noqa: S608 - a model's table
            " WHERE id = %s AND stock_quantity > 0",
            [pk],
        )
        sold = cursor.rowcount == 1
    return JsonResponse({"sold": sold})


urlpatterns = [path("bench/decrement/<int:pk>/", decrement), *project_urlpatterns]
