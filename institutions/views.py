from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    """我的工作台: who I am and where; the complaint app adds the work queues."""
    return render(request, "institutions/home.html", {"institution": request.user.institution})
