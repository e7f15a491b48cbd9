from samvad.notifications.models import Notification


def unread(user):
    return Notification.objects.filter(user=user, read_at__isnull=True)
