from functools import cache


def unread(request):
    """The bell's unread count; one indexed COUNT on the partial unread index, run
    only when a template shows the bell (templates call a callable; pages rendered
    without the layout, such as the bell's own refresh, do not count twice)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .services import unread_count

    @cache
    def count() -> int:
        return unread_count(user)

    return {"notifications_unread": count}
