def unread(request):
    """The bell's unread count; one indexed COUNT on the partial unread index."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .services import unread_count

    return {"notifications_unread": unread_count(user)}
