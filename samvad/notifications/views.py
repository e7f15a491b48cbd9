from django.shortcuts import render
from django.utils import timezone

from samvad.notifications.models import Notification
from samvad.org import access
from samvad.org.access import AUTHENTICATED


@access.allow(AUTHENTICATED)
def notification_list(request):
    items = list(Notification.objects.filter(user=request.user)[:100])
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return render(request, "notifications/list.html", {"notifications": items})
