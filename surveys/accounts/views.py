"""Signing in, accepting an invitation, passwords (reset by e-mail, change), two-factor
codes, and the secretariat's page of sign-in lockouts."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from surveys.accounts import invitations, lockout, passwords, two_factor
from surveys.accounts.forms import PasswordResetRequestForm, TwoFactorCodeForm
from surveys.client_address import client_address
from surveys.errors import WorkflowError
from surveys.permissions import may


class SignInView(LoginView):
    """Django's sign-in page; repeated failures are counted and locked out by django-axes
    (surveys/accounts/lockout.py), as on the admin's login and the API token."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.WIPOSTAD_OIDC_ENABLED:
            context["sso_name"] = settings.WIPOSTAD_OIDC_NAME
            context["sso_url"] = reverse("oidc_authentication_init")
        return context


# --- passwords ---------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail address; the answer is the same whether or not the
    address belongs to an account."""

    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        # Counted before the form is read, whatever address is entered, so the answer
        # says nothing about addresses either.
        wait = passwords.request_wait(client_address(request))
        if wait:
            context = self.get_context_data(form=self.get_form(), wait_message=passwords.wait_message(wait))
            response = self.render_to_response(context)
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the e-mailed link. It never signs the person in, so the
    sign-in lockout and the two-factor code still stand between the link and the account:
    a lockout in force from this address is not lifted by a reset, and the page says
    when signing in will be possible."""

    post_reset_login = False
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        address = client_address(self.request)
        username = self.user.get_username()
        if lockout.is_locked_out(username=username, ip_address=address):
            minutes = lockout.minutes_to_wait(username, address)
            messages.warning(self.request, lockout.after_reset_message(minutes))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's password (the old one first). This session stays signed in; every
    other session of the account is signed out."""

    success_url = reverse_lazy("password_change_done")


# --- two-factor authentication -----------------------------------------------------------


def safe_next(request, candidate: str, default: str) -> str:
    """``candidate`` when it is an address on this site (never another site's), else ``default``."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    return safe_next(request, candidate, resolve_url(settings.LOGIN_REDIRECT_URL))


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Set up an authenticator app: a QR code (and the secret as text), confirmed with a code."""
    if not may(request.user, "surveys.use_two_factor"):
        raise PermissionDenied
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.enrolment_confirm(request, form.cleaned_data["otp_token"]):
            messages.success(
                request, _("Two-factor authentication is on. You will be asked for a code when you sign in.")
            )
            return redirect(_next_url(request))
        form.add_error(
            "otp_token",
            _("That code is not right. Check the time on your phone and enter the code your app shows now."),
        )
    enrolment = two_factor.enrolment(request)
    context = {
        "form": form,
        "qr_svg": enrolment.qr_svg(request.user),
        "secret": enrolment.secret,
        "device": two_factor.device_of(request.user),
        "required": two_factor.is_required(),
        "has_api_token": two_factor.has_api_token(request.user),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "registration/two_factor_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The code after the password, for a person who has an authenticator."""
    if request.user.is_verified() or two_factor.session_state(request) is not two_factor.State.DEVICE:
        return redirect(_next_url(request))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verdict = two_factor.code_verify(request, form.cleaned_data["otp_token"])
        if verdict.verified:
            return redirect(_next_url(request))
        form.add_error("otp_token", verdict.message)
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "registration/two_factor_verify.html", context)


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


# The backend that checks passwords: named when a person is signed in without one
# (accepting an invitation), since django-axes is listed first.
PASSWORD_BACKEND = "surveys.accounts.backends.PasswordBackend"


def _unusable(request, reason: str) -> HttpResponse:
    """The page of a link that cannot be used: it says why for this link only (an unknown
    link may have been replaced by a newer one), and nothing about any other."""
    status = 404 if reason == "unknown" else 410
    return render(request, "registration/invitation_unusable.html", {"reason": reason}, status=status)


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """An invitation's link: the office, the role and the round, and the choice of a
    password; once chosen, the person is signed in on their office's dashboard."""
    try:
        invitation = invitations.invitation_for_token(token)
    except invitations.InvitationUnusable as exc:
        return _unusable(request, exc.reason)
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # The language chosen for the contact, until they choose one with the switcher.
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = invitation.language
    existing = invitations.existing_account(invitation)
    problem = invitations.address_refusal(invitation.email, invitation.office)
    username = invitations.username_for(invitation)
    candidate = existing or get_user_model()(username=username, email=invitation.email)
    form = SetPasswordForm(candidate, request.POST or None)
    if request.method == "POST" and not problem and form.is_valid():
        try:
            user = invitations.invitation_accept(
                token=token,
                password=form.cleaned_data["new_password1"],
                sign_in=lambda user: login(request, user, backend=PASSWORD_BACKEND),
            )
        except invitations.InvitationUnusable as exc:
            return _unusable(request, exc.reason)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Welcome. Your account is ready: you answer for %(office)s. Next time, sign in with %(email)s.")
                % {"office": invitation.office.local_name, "email": user.get_username()},
            )
            return redirect("surveys:dashboard")
    context = {
        "invitation": invitation,
        "form": form,
        "problem": problem,
        "existing": existing is not None,
        "username": username,
        "signed_in_as": request.user if request.user.is_authenticated else None,
    }
    return render(request, "registration/invitation_accept.html", context, status=400 if form.errors else 200)
