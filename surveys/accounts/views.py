"""Signing in, and the secretariat's page of sign-in lockouts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from surveys.accounts import lockout
from surveys.permissions import may


class SignInView(LoginView):
    """Django's sign-in page; repeated failures are counted and locked out by django-axes
    (surveys/accounts/lockout.py), as on the admin's login and the API token."""

    redirect_authenticated_user = True


def _unlock(request) -> None:
    username = request.POST.get("username", "").strip()
    address = request.POST.get("ip_address", "").strip()
    lifted = lockout.lockout_lift(username=username, ip_address=address) if username and address else 0
    names = {"username": username, "address": address}
    if lifted:
        messages.success(request, _("Lockout lifted: %(username)s can sign in again from %(address)s.") % names)
    else:
        messages.error(request, _("No lockout for %(username)s from %(address)s.") % names)


@login_required
@require_http_methods(["GET", "POST"])
def lockouts(request):
    """The usernames and addresses locked out now, each with a button that lifts it."""
    if not may(request.user, "surveys.unlock_signin"):
        raise PermissionDenied
    if request.method == "POST":
        _unlock(request)
        return redirect("lockouts")
    page = lockout.lockouts_page(request.GET.get("page"))
    return render(request, "registration/lockouts.html", {"lockouts": page.object_list, "page": page})
