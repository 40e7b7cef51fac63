"""Issue 15 against real servers on loopback: gunicorn with two workers (a burst of wrong passwords checks no more
than five, the workers agree on the key they made themselves, no ``Server: gunicorn`` banner) and Debian's nginx
with the shipped ``deploy/nginx.conf`` in front of the app, through which people can sign in and out.

nginx comes from ``apt-get install nginx`` (``.ci/run`` installs it); without it the proxy test is skipped, unless
``REQUIRE_NGINX=1`` (as in CI), when it fails.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import Engine

from dashboard.auth.accounts import create_user
from dashboard.store import schema
from dashboard.store.engine import get_engine
from dashboard.store.reference import ensure_reference_data
from tests.actions_support import PASSWORDS, add_users

ROOT = Path(__file__).resolve().parents[2]
BURST = 12


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(port: int, method: str, path: str, body: str | None = None, headers: dict | None = None):  # type: ignore[no-untyped-def]
    """One request on its own connection (so requests spread over the workers); (status, headers, text)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        all_headers = dict(headers or {})
        if body is not None:
            all_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def _cookie(headers) -> str:  # type: ignore[no-untyped-def]
    values = [v for k, v in headers.items() if k.lower() == "set-cookie" and v.startswith("session=")]
    assert values, "no session cookie was set"
    return values[-1].split(";", 1)[0]


def _wait_for(port: int, process: subprocess.Popen, what: str, log: Path) -> None:
    deadline = time.time() + 120
    while time.time() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} stopped: {log.read_text()[-3000:]}")
        try:
            if _request(port, "GET", "/health")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"{what} did not start: {log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


# A gunicorn config for the tests: the shipped one, a worker that builds the app itself (no preload, so each
# worker reads or makes the instance key on its own), and a count of every real password check, kept in a file.
# Two servers run it, so a burst split between them is certain to reach two worker processes.
COUNTING_CONF = textwrap.dedent(
    """
    import os
    from dashboard.gunicorn_conf import *  # noqa: F403
    from dashboard.gunicorn_conf import post_fork as _shipped_post_fork

    workers = 1
    threads = 6
    preload_app = False

    def post_fork(server, worker):
        _shipped_post_fork(server, worker)
        import sys
        import werkzeug.security

        real = werkzeug.security.check_password_hash

        def counting(pwhash, password):
            accounts = sys.modules.get("dashboard.auth.accounts")
            if accounts is None or pwhash != getattr(accounts, "_DUMMY_HASH", None):
                with open(os.environ["PASSWORD_CHECKS_FILE"], "a") as handle:
                    handle.write(f"{os.getpid()}\\n")
            return real(pwhash, password)

        werkzeug.security.check_password_hash = counting
    """
)


def _gunicorn(url: str, tmp_path: Path, config: str, **env: str) -> tuple[subprocess.Popen, int, Path]:
    port = _port()
    log = tmp_path / f"gunicorn-{port}.log"
    environment = {
        **{k: v for k, v in os.environ.items() if k != "SECRET_KEY"},  # no SECRET_KEY: the instance key is used
        "DATABASE_URL": url,
        "DASHBOARD_INSTANCE_DIR": str(tmp_path / "instance"),
        "DASHBOARD_AUTO_SEED": "0",
        "DASHBOARD_CACHE_DIR": str(tmp_path / "cache"),
        "LOG_LEVEL": "WARNING",
        "BIND": f"127.0.0.1:{port}",
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", config, "app:server"],
        cwd=ROOT,
        env=environment,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    _wait_for(port, process, "gunicorn", log)
    return process, port, log


def _prepared(engine: Engine) -> None:
    schema.upgrade(engine)
    ensure_reference_data(engine)
    add_users(engine)


def test_a_burst_against_two_workers_checks_no_more_than_five_passwords(store, tmp_path):
    _prepared(store)
    config = tmp_path / "counting_conf.py"
    config.write_text(COUNTING_CONF)
    checks = tmp_path / "password-checks"
    checks.touch()
    url = store.url.render_as_string(hide_password=False)
    servers = []
    try:
        for _ in range(2):
            servers.append(_gunicorn(url, tmp_path, str(config), PASSWORD_CHECKS_FILE=str(checks)))
        ports = [port for _process, port, _log in servers] * (BURST // 2)
        wrong = urlencode({"username": "erin", "password": "not-her-password", "next": "/"})
        with ThreadPoolExecutor(BURST) as pool:
            answers = list(pool.map(lambda port: _request(port, "POST", "/auth/login", wrong), ports))
        assert [a[0] for a in answers] == [303] * BURST
        pids = checks.read_text().split()
        assert len(pids) == 5, f"{len(pids)} passwords were checked by {len(set(pids))} workers"
        assert {a[1]["Location"] for a in answers} == {"/login?error=invalid&next=%2F"}  # locked says nothing more
        # Locked now: even the right password is refused (and not checked).
        right = urlencode({"username": "erin", "password": PASSWORDS["erin"], "next": "/"})
        for port in ports[:2]:
            assert _request(port, "POST", "/auth/login", right)[1]["Location"] == "/login?error=invalid&next=%2F"
        assert len(checks.read_text().split()) == 5

        # Both workers made their app and read the one key in the instance folder: a session made on one is
        # good on the other.
        admin = urlencode({"username": "ada", "password": PASSWORDS["ada"], "next": "/"})
        status, headers, _ = _request(ports[0], "POST", "/auth/login", admin)
        assert status == 303 and headers["Location"] == "/"
        cookie = _cookie(headers)
        with ThreadPoolExecutor(4) as pool:
            healths = list(pool.map(lambda port: _request(port, "GET", "/health", headers={"Cookie": cookie}), ports))
        assert all('"observations"' in text for _s, _h, text in healths)  # the admin's view, from both workers
        key = tmp_path / "instance" / "secret_key"
        assert key.stat().st_mode & 0o777 == 0o600

        # No banner naming the server.
        assert all(h.get("Server") is None for _s, h, _t in healths)
    finally:
        for process, _port, _log in servers:
            _stop(process)


def _nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def _nginx_config(tmp_path: Path, app_port: int, proxy_port: int) -> Path:
    """The shipped deploy/nginx.conf, its upstreams pointed at the app on loopback and its port moved, inside a
    main configuration of its own (foreground, pid, logs and temporary files in ``tmp_path``)."""
    shipped = (ROOT / "deploy" / "nginx.conf").read_text()
    site, replaced = re.subn(r"server\s+app\d+:8050", f"server 127.0.0.1:{app_port}", shipped)
    assert replaced == 2, "the shipped config names its two upstream replicas app1:8050 and app2:8050"
    site, replaced = re.subn(r"listen\s+80;", f"listen 127.0.0.1:{proxy_port};", site)
    assert replaced == 1
    (tmp_path / "site.conf").write_text(site)
    temp = tmp_path / "nginx-temp"
    temp.mkdir()
    main = f"""
        {"user root;" if os.geteuid() == 0 else ""}
        worker_processes 1;
        daemon off;
        pid {tmp_path / "nginx.pid"};
        error_log {tmp_path / "nginx-error.log"} warn;
        events {{ worker_connections 256; }}
        http {{
            access_log {tmp_path / "nginx-access.log"};
            client_body_temp_path {temp / "body"};
            proxy_temp_path {temp / "proxy"};
            fastcgi_temp_path {temp / "fastcgi"};
            uwsgi_temp_path {temp / "uwsgi"};
            scgi_temp_path {temp / "scgi"};
            include {tmp_path / "site.conf"};
        }}
    """
    path = tmp_path / "nginx.conf"
    path.write_text(textwrap.dedent(main))
    return path


def test_people_can_sign_in_and_out_through_the_shipped_nginx_config(tmp_path):
    binary = _nginx()
    if binary is None:
        message = "nginx is not installed (apt-get install nginx)"
        if os.environ.get("REQUIRE_NGINX") == "1":
            pytest.fail(message)
        pytest.skip(message)
    url = f"sqlite:///{tmp_path / 'proxy.db'}"
    engine = get_engine(url)
    _prepared(engine)
    create_user(engine, "priya", "editor", "lantern-harbour-quiet-7", display_name="Priya Shah")
    app, app_port, _log = _gunicorn(url, tmp_path, "python:dashboard.gunicorn_conf", DASHBOARD_TRUSTED_PROXIES="1")
    proxy_port = _port()
    config = _nginx_config(tmp_path, app_port, proxy_port)
    nginx = subprocess.Popen(
        [binary, "-c", str(config), "-p", str(tmp_path), "-e", str(tmp_path / "nginx-error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_for(proxy_port, nginx, "nginx", tmp_path / "nginx-error.log")
        site = f"http://127.0.0.1:{proxy_port}"  # what the browser has in its address bar, port and all
        form = urlencode({"username": "priya", "password": "lantern-harbour-quiet-7", "next": "/actions"})
        status, headers, _ = _request(
            proxy_port, "POST", "/auth/login", form, {"Origin": site, "Referer": f"{site}/login"}
        )
        assert status == 303, f"sign-in through the proxy answered {status}"
        assert headers["Location"] == "/actions"
        cookie = _cookie(headers)
        status, headers, layout = _request(proxy_port, "GET", "/_dash-layout", headers={"Cookie": cookie})
        assert status == 200 and "Priya Shah" in layout
        assert "gunicorn" not in (headers.get("Server") or "") and headers.get("Server") in (None, "nginx")
        assert headers["X-Content-Type-Options"] == "nosniff"
        # Another site's form is still refused through the proxy.
        status, _h, _t = _request(proxy_port, "POST", "/auth/logout", "", {"Origin": "http://evil.example"})
        assert status == 403
        status, headers, _ = _request(proxy_port, "POST", "/auth/logout", "", {"Origin": site, "Cookie": cookie})
        assert status == 303 and headers["Location"] == "/"
        status, _h, layout = _request(proxy_port, "GET", "/_dash-layout", headers={"Cookie": cookie})
        assert "Priya Shah" not in layout
        # A client's own X-Forwarded-Host does not get past nginx (it sets the real one), so it cannot make
        # another site's form look like this site's.
        spoofed = {"Origin": "http://evil.example", "X-Forwarded-Host": "evil.example"}
        assert _request(proxy_port, "POST", "/auth/login", form, spoofed)[0] == 403
    finally:
        _stop(nginx)
        _stop(app)
