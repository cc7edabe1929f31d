"""The project's URLs plus two test-only views: one that takes as long as it is told to
(longer than any request may), and a quick one. Never part of the production URLs."""

import time

from django.http import HttpResponse
from django.urls import include, path


def _slow(request):
    time.sleep(float(request.GET.get("seconds", "60")))
    return HttpResponse("finished", content_type="text/plain")


def _quick(request):
    return HttpResponse("quick", content_type="text/plain")


urlpatterns = [
    path("test-only/slow", _slow),
    path("test-only/quick", _quick),
    path("", include("wipostad.urls")),
]
