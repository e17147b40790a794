"""Sign-in, sign-out and the landing page (project-level URL names:
``login``, ``logout``, ``home``).

Failed sign-ins are throttled by django-axes (settings ``AXES_*``): after
five failures for a username from one address, that pair is locked for
15 minutes and axes answers with ``registration/locked_out.html``."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .pages import HomeView


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Sau 5 lần sai liên tiếp, "
            "việc đăng nhập bằng tên này từ máy này sẽ bị tạm khóa 15 phút."
        ),
        "inactive": _("Tài khoản này đã bị ngừng sử dụng. Hãy liên hệ quản trị."),
    }

    def __init__(self, request=None, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")
        self.fields["username"].widget.attrs.update(
            autocapitalize="none", spellcheck="false"
        )
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True


urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
