from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import services
from .models import Notification


@login_required
def notification_list(request):
    qs = Notification.objects.filter(recipient=request.user).select_related("complaint")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_read(request):
    ids = request.POST.getlist("id") or None
    services.mark_read(request.user, [int(i) for i in ids if i.isdigit()] if ids else None)
    # Back to where the user was, but only on this site: a posted "next" naming
    # another host (or //host, or another scheme) is an open redirect.
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "notifications:list"
    return redirect(target)


@login_required
def notification_open(request, pk: int):
    # Only the recipient's own notices: someone else's id is simply not found.
    note = Notification.objects.filter(recipient=request.user, pk=pk).first()
    if note is None:
        from django.http import Http404

        raise Http404
    services.mark_read(request.user, [note.pk])
    return redirect(note.url or "notifications:list")


@login_required
def bell(request):
    return render(
        request, "notifications/_bell.html", {"unread": services.unread_count(request.user)}
    )
