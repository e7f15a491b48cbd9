"""Each app's part of `samvad generate`, here so that the apps themselves carry no demo code."""
