from samvad.campaigns.tests.builders import make_campaign, publish  # noqa: F401 (fixtures)
