"""The "API tokens" page: a user creates, sees and revokes their own tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .tokens import token_create, token_revoke, tokens_of

LIFETIME_CHOICES = [
    ("30", gettext_lazy("30 days")),
    ("90", gettext_lazy("90 days")),
    ("365", gettext_lazy("One year")),
    ("", gettext_lazy("Until I revoke it")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, for example: monthly report script."),
    )
    lifetime = forms.ChoiceField(
        label=gettext_lazy("Valid for"), choices=LIFETIME_CHOICES, initial="90", required=False
    )


def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        lifetime = form.cleaned_data["lifetime"]
        try:
            new = token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                lifetime_days=int(lifetime) if lifetime else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Shown in this answer only: it is not stored, so it cannot be shown again.
            secret = new.secret
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {"form": form, "secret": secret, "tokens": tokens_of(actor=request.user)},
    )


@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = tokens_of(actor=request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("api:tokens")
