from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """The same answer for an unknown user and a wrong password, so accounts cannot
    be discovered through the login page."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确。"),
        "inactive": _("用户名或密码不正确。"),
    }
    username = forms.CharField(
        label=_("用户名"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
