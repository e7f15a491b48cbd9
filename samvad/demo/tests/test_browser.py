"""The demo's replay as a person sees it in chromium: the dashboard says how far it has got, and
shows the figures once it is done. The replay itself is not run: its progress is set in the
database, as the replay's own process sets it."""

import pytest

from samvad.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def replaying(db, settings):
    from samvad.demo.campaign import seed_campaign
    from samvad.demo.dausa import DEMO_PASSWORD, seed_dausa
    from samvad.demo.models import Replay
    from samvad.org.models import District

    settings.SAMVAD_DEMO = True
    seed_dausa(employees_per_department=0)
    campaign = seed_campaign(District.objects.get(code="dausa"))
    Replay.objects.create(day=4, days=10)
    return campaign, DEMO_PASSWORD


def test_the_dashboard_shows_the_replay_in_progress_and_the_figures_once_it_is_done(
    page, replaying
):
    from samvad.demo.models import Replay

    campaign, password = replaying
    log_in(page, "adc", password)
    progress = page.locator(".replaying")
    assert progress.inner_text() == "दिन 4 / 10 पुनः चलाए जा रहे हैं"
    assert page.locator(".cards").count() == 0  # no half-made figures on the home either

    page.goto(f"/campaigns/{campaign.pk}/")
    assert progress.inner_text() == "दिन 4 / 10 पुनः चलाए जा रहे हैं"
    assert page.locator("#scoreboard .card").count() == 0

    Replay.objects.update(day=5)
    # The dashboard asks again by itself while the replay runs.
    page.get_by_text("दिन 5 / 10 पुनः चलाए जा रहे हैं").wait_for()

    Replay.objects.update(done=True)
    page.locator("#scoreboard .card").first.wait_for()
    assert progress.count() == 0
    page.goto("/")
    assert page.locator(".replaying").count() == 0
    assert page.locator(".cards .card").count() == 3
