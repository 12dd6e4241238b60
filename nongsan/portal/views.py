from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """What the platform is and where each kind of visitor goes next."""
    return render(request, "portal/home.html")
