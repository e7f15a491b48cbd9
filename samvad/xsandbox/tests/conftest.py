from samvad.xsandbox.testing import xsandbox  # noqa: F401 (the fixture)
