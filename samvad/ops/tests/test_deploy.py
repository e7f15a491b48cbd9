"""Acceptance 4: the shipped systemd units pass `systemd-analyze verify` without a single warning,
the nginx site passes `nginx -t`, and docs/deploy.md uses exactly the files in deploy/."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
UNITS = sorted(p for p in DEPLOY.iterdir() if p.suffix in (".service", ".timer"))


def tool(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: apt-get install systemd nginx")
        pytest.skip(f"{name} is missing (apt-get install systemd nginx)")
    return path


def test_the_systemd_units_verify_cleanly(tmp_path):
    analyze = tool("systemd-analyze")
    # An alternate root holding the system's own units, ours, and a stand-in for each program
    # our units run (the real ones exist only on an installed host).
    units = tmp_path / "etc/systemd/system"
    shutil.copytree("/lib/systemd/system", tmp_path / "usr/lib/systemd/system", symlinks=True)
    units.mkdir(parents=True)
    for unit in UNITS:
        shutil.copy(unit, units)
        for program in re.findall(r"^Exec\w*=[-@:+!]*(/\S+)", unit.read_text(), re.M):
            stand_in = tmp_path / program.lstrip("/")
            stand_in.parent.mkdir(parents=True, exist_ok=True)
            stand_in.write_text("#!/bin/sh\n")
            stand_in.chmod(0o755)
    names = [u.name.replace("@.", "@1.") for u in UNITS]
    run = subprocess.run(
        [analyze, "verify", f"--root={tmp_path}", *names], cwd=units, capture_output=True, text=True
    )
    assert run.returncode == 0 and not run.stdout + run.stderr, run.stdout + run.stderr
    assert {"samvad-web.service", "samvad-worker@1.service"} <= set(names)


def test_the_nginx_site_passes_nginx_t(tmp_path):
    nginx = tool("nginx")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=samvad.example",
            "-keyout",
            tmp_path / "privkey.pem",
            "-out",
            tmp_path / "fullchain.pem",
        ],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx/samvad.conf").read_text()
    assert "/etc/ssl/samvad/" in site
    (tmp_path / "samvad.conf").write_text(site.replace("/etc/ssl/samvad/", f"{tmp_path}/"))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ include {tmp_path}/samvad.conf; }}\n"
    )
    run = subprocess.run(
        [
            nginx,
            "-t",
            "-q",
            "-e",
            tmp_path / "error.log",
            "-p",
            tmp_path,
            "-c",
            tmp_path / "nginx.conf",
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "X-Forwarded-Proto $scheme" in site and "SAMVAD_TRUSTED_PROXIES=1" in site


def test_the_deploy_guide_uses_exactly_the_shipped_files():
    guide = (ROOT / "docs/deploy.md").read_text()
    shipped = {str(p.relative_to(ROOT)) for p in DEPLOY.rglob("*") if p.is_file()}
    named = set(re.findall(r"deploy/[\w@./-]+[\w]", guide))
    assert shipped == named
