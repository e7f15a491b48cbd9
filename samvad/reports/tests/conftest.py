from samvad.campaigns.tests.conftest import make_campaign, publish  # noqa: F401 (fixtures)
