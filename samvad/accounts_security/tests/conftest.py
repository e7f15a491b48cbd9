from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samvad.accounts_security import mfa
from samvad.conftest import PASSWORD

START = datetime(2025, 3, 3, 4, 30, tzinfo=UTC)  # 10:00 in Dausa


@pytest.fixture
def clock():
    """Time stands still unless a test moves it (codes change every 30 seconds)."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def mfa_roles(settings):
    settings.SAMVAD_MFA_REQUIRED_ROLES = ["district_admin", "editor"]


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    """The user has an authenticator app and recovery codes set up."""
    device = mfa.new_app_device(user)
    return device, mfa.confirm_app_device(user, device)


def password_login(client, user, ip: str = "127.0.0.1", password: str = PASSWORD):
    return client.post(
        reverse("login"), {"username": user.username, "password": password}, REMOTE_ADDR=ip
    )
