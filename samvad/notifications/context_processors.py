from samvad.notifications.selectors import unread_count


def notifications(request):
    user = getattr(request, "user", None)
    # A callable, so the count is read only when the navigation shows it; each home page
    # passes the number it read together with its own figures instead.
    return {"unread_notifications": lambda: _unread_count(user)}


def _unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user)
