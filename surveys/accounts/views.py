"""Signing in."""

from __future__ import annotations

from django.contrib.auth.views import LoginView
from django.utils.translation import ngettext

from surveys.accounts import signin


class ThrottledLoginView(LoginView):
    """Sign-in that refuses further attempts after repeated failures (HTTP 429)."""

    redirect_authenticated_user = True

    def _who(self) -> tuple[str, str | None]:
        return self.request.POST.get("username", "")[:150], self.request.META.get("REMOTE_ADDR")

    def post(self, request, *args, **kwargs):
        username, address = self._who()
        wait = signin.blocked_for(username, address)
        if wait:
            # An unbound form: a bound one would check the password (slow on purpose) only to
            # throw the result away.
            form = self.get_form_class()(self.request, initial={"username": username})
            minutes = (wait + 59) // 60
            refusal = ngettext(
                "Too many failed sign-in attempts. For your security, try again in %(minutes)s minute.",
                "Too many failed sign-in attempts. For your security, try again in %(minutes)s minutes.",
                minutes,
            ) % {"minutes": minutes}
            return self.render_to_response(self.get_context_data(form=form, throttled=refusal), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        signin.record_failure(*self._who())
        return super().form_invalid(form)

    def form_valid(self, form):
        signin.record_success(form.get_user().get_username())
        return super().form_valid(form)
