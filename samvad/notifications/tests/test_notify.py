from django.urls import reverse

from samvad.notifications.models import Notification


def test_the_page_lists_a_persons_notifications_and_marks_them_read(login, world):
    Notification.objects.create(user=world.editor, message="लौटाई गई", link="/")
    Notification.objects.create(user=world.admin, message="someone else's", link="/")
    page = login(world.editor).get(reverse("notifications:list")).content.decode()
    assert "लौटाई गई" in page and "someone else" not in page
    assert not Notification.objects.filter(user=world.editor, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=world.admin, read_at__isnull=True).exists()


def test_the_unread_count_counts_what_unread_selects(world):
    from django.utils import timezone

    from samvad.notifications.selectors import unread, unread_count

    Notification.objects.create(user=world.editor, message="a")
    Notification.objects.create(user=world.editor, message="b")
    Notification.objects.create(user=world.editor, message="read", read_at=timezone.now())
    Notification.objects.create(user=world.admin, message="someone else's")
    assert unread_count(world.editor) == unread(world.editor).count() == 2
