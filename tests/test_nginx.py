"""A published release served by Debian's nginx with deploy/nginx/, as a department serves it:
the headers every response needs, compression, caching, the 404 page, attachment types, and 20
releases published while pages and search files are requested."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, FixtureSite, document

pytestmark = pytest.mark.slow  # `invoke test --fast` leaves it out

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, root: Path, docroot: Path, port: int):
        conf = root / "conf"
        shutil.copytree(ROOT / "deploy/nginx", conf / "xxgk")
        origin = f"http://127.0.0.1:{port}"
        user = "user root;\n" if os.geteuid() == 0 else ""
        (conf / "nginx.conf").write_text(
            f"""{user}daemon off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {root}/tmp-body;
    proxy_temp_path {root}/tmp-proxy;
    fastcgi_temp_path {root}/tmp-fastcgi;
    uwsgi_temp_path {root}/tmp-uwsgi;
    scgi_temp_path {root}/tmp-scgi;
    include xxgk/http.conf;
    server {{
        listen 127.0.0.1:{port};
        root {docroot};
        set $gk_site_origin "{origin}";
        include xxgk/site.conf;
    }}
}}
""",
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            [NGINX, "-p", str(root), "-c", str(conf / "nginx.conf")], stderr=subprocess.PIPE
        )
        self.port = port
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        self.process.kill()
        raise RuntimeError(self.process.stderr.read().decode())

    def get(self, path: str, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response, body

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not shutil.which("nginx") and not Path(NGINX).exists():
        pytest.skip("Debian's nginx is not installed (`make test` installs it)")
    from commands import deploy
    from disclosure.build import build

    root = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    site = FixtureSite(root / "site")
    site.write("news/report.pdf", b"%PDF-1.4 report")
    site.write("news/table.csv", "项目,金额\n出国,12\n")
    site.write("news/notice.docx", b"PK\x03\x04 word")
    site.write("news/data.bin", b"\x00\x01 unknown")
    site.write(
        "news/a.md",
        document(
            extra="附件:\n  - report.pdf\n  - table.csv\n  - notice.docx\n  - data.bin",
            body="正文，见附件。" * 40,
        ),
    )
    os.environ["SITEURL"] = f"http://127.0.0.1:{port}"
    try:
        outcome = build(
            ROOT / "publishconf.py", site.overrides(DISCLOSURE_TODAY="2015-04-01", CMS_ADMIN=True)
        )
    finally:
        del os.environ["SITEURL"]
    assert outcome.ok, outcome.report()
    srv = root / "srv"
    deploy.release(site.output, str(srv))
    server = Server(root, srv / "current", port)
    yield server, site, srv
    server.stop()


def _directives(policy: str) -> dict:
    return {
        part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()
    }


def test_every_response_carries_the_security_headers_and_the_pages_policy(served):
    server, site, _ = served
    page = BeautifulSoup(site.page("index.html"), "html.parser")
    meta = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    css = re.search(r'href="[^"]*/(theme/css/site\.css\?v=\w+)"', site.page("index.html")).group(1)
    for path in (
        "/",
        "/index.html",
        "/docs/003186648-201503-00001.html",
        "/search/tier1.js",
        "/" + css,
        "/news/report.pdf",
        "/news/table.csv",
        "/catalogue.json",
        "/feeds/all.atom.xml",
        "/gone.html",
    ):
        response, _ = server.get(path)
        assert response.status in (200, 404), path
        policy = _directives(response.getheader("Content-Security-Policy") or "")
        assert policy.pop("frame-ancestors") == "'self'", path
        assert policy == _directives(meta), path
        assert "theme/js/" in policy["script-src"] and "'self'" not in policy["script-src"]
        assert response.getheader("X-Content-Type-Options") == "nosniff", path
        assert response.getheader("X-Frame-Options") == "SAMEORIGIN", path
        assert response.getheader("Strict-Transport-Security"), path


def test_the_web_editor_has_its_own_policy_and_the_pages_keep_theirs(served):
    server, site, _ = served
    page = BeautifulSoup(
        (site.output / "admin/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    meta = _directives(
        page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    )
    for path in ("/admin/", "/admin/index.html", "/admin/decap-cms.js", "/admin/config.yml"):
        response, _ = server.get(path)
        assert response.status == 200, path
        policy = _directives(response.getheader("Content-Security-Policy"))
        assert policy.pop("frame-ancestors") == "'self'" and policy == meta, path
        assert response.getheader("X-Robots-Tag") == "noindex, nofollow"
    assert server.get("/admin/config.yml")[0].getheader("Content-Type").startswith("text/yaml")
    assert "'unsafe-eval'" in meta["script-src"]
    index = _directives(server.get("/index.html")[0].getheader("Content-Security-Policy"))
    assert "unsafe" not in index["script-src"]


def test_compression_caching_and_the_404_page(served):
    server, site, _ = served
    html = site.page("index.html")
    css = re.search(r'href="[^"]*/(theme/css/site\.css\?v=\w+)"', html).group(1)
    script = re.search(r'src="[^"]*/(theme/js/site\.js\?v=\w+)"', html).group(1)
    for path in ("/index.html", "/" + css, "/" + script, "/search/tier1.js", "/catalogue.json"):
        response, body = server.get(path, {"Accept-Encoding": "gzip"})
        assert response.getheader("Content-Encoding") == "gzip", path
        assert gzip.decompress(body)
    assert "max-age=31536000" in server.get("/" + css)[0].getheader("Cache-Control")
    assert server.get("/theme/css/site.css")[0].getheader("Cache-Control") == "no-cache"
    for path in ("/index.html", "/search/tier1.js", "/news/report.pdf"):
        assert server.get(path)[0].getheader("Cache-Control") == "no-cache", path
    response, body = server.get("/no/such/page.html")
    assert response.status == 404
    assert body == (site.output / "404.html").read_bytes()


def test_attachments_are_served_with_their_own_type(served):
    server, _, _ = served
    expected = {
        "/news/report.pdf": "application/pdf",
        "/news/table.csv": "text/csv",
        "/news/notice.docx": "application/vnd.openxmlformats-officedocument",
        "/news/data.bin": "application/octet-stream",
        "/search/tier1.js": "application/javascript",
    }
    for path, kind in expected.items():
        response, _ = server.get(path)
        assert response.status == 200, path
        assert response.getheader("Content-Type").startswith(kind), (
            path,
            response.getheader("Content-Type"),
        )
        assert "html" not in response.getheader("Content-Type")


def test_twenty_releases_under_load_never_fail_or_mix(served, tmp_path):
    from commands import deploy

    server, site, srv = served
    failures, seen, done = [], set(), threading.Event()
    marker = re.compile(rb"release-(\d+)")

    def reader():
        deadline = time.monotonic() + 120
        for _ in range(20_000):  # bounded in count and time, loopback only
            if done.is_set() or time.monotonic() > deadline:
                return
            for path in ("/index.html", "/search/tier1.js"):
                try:
                    response, body = server.get(path)
                except OSError as exc:
                    failures.append(f"{path}: {exc}")
                    continue
                found = marker.findall(body)
                if response.status != 200 or len(found) != 2 or found[0] != found[1]:
                    failures.append(f"{path}: {response.status} {found}")
                seen.update(found)

    def release(number: int) -> None:
        copy = tmp_path / f"release{number}"
        shutil.copytree(site.output, copy)
        for rel, start, end in (("index.html", "<!--", "-->"), ("search/tier1.js", "/*", "*/")):
            text = (copy / rel).read_text(encoding="utf-8")
            tag = f"{start}release-{number}{end}"
            (copy / rel).write_text(tag + "\n" + text + "\n" + tag + "\n", encoding="utf-8")
        deploy.release(copy, str(srv))

    release(0)
    thread = threading.Thread(target=reader)
    thread.start()
    for number in range(1, 21):
        release(number)
        time.sleep(0.05)
    done.set()
    thread.join()
    assert failures == []
    assert len(seen) >= 5  # the reader saw the releases change under it
    assert marker.findall(server.get("/index.html")[1]) == [b"20", b"20"]
    assert len(deploy.releases(srv)) == deploy.KEEP
