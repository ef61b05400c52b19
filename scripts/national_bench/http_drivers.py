"""HTTP clients for the product and the baseline served by gunicorn (serve.py), with the interface
measure.py drives (`ready`, `product`, `baseline`).

One connection per server and client thread, kept alive when the server allows it (gunicorn's sync
workers, the product's setting with one thread, close it after each response; http.client then opens
a new one for the next request, and that connect is timed, for both alike). The product is asked at
the page's host (the region's subdomain or the platform apex) in the Host header, with the session
cookie of a sign-in made in this process with the test client: the session lives in the database
and the cookie is signed with the same SECRET_KEY, so the served app accepts it. Cookies the server
sets on a GET are kept (the CSRF token the first page puts in the session); a POST carries the CSRF
token the served page gave, as a browser's form does (the served app checks CSRF; the capture app
does not). The cookie a POST sets is not kept: it only adds the flash messages that the page it
redirects to would show and drop, so the session stays what a browser's is after that page (kept,
the flashes of hundreds of intakes would grow the cookie the product decodes on every request)."""
from __future__ import annotations

import http.client
import re
import threading
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from national_bench.pages import Page, key, sign_in

CSRF_FIELD = re.compile(rb'name="csrf_token" value="([^"]+)"')


@dataclass
class Reply:
    status_code: int
    body: bytes
    headers: http.client.HTTPMessage


class HttpDrivers:
    def __init__(self, app, product_port: int, baseline_port: int):
        self.app = app
        self.ports = {"product": product_port, "baseline": baseline_port}
        self.local = threading.local()
        self.lock = threading.RLock()
        self.cookies: dict[tuple[str, str], dict[str, str]] = {}
        self.csrf: dict[tuple[str, str], str] = {}

    def _connection(self, server: str) -> http.client.HTTPConnection:
        connections = self.local.__dict__.setdefault("connections", {})
        if server not in connections:
            connections[server] = http.client.HTTPConnection("127.0.0.1", self.ports[server], timeout=300)
        return connections[server]

    def _send(self, server: str, method: str, path: str, headers: dict, body: bytes | None = None) -> Reply:
        conn = self._connection(server)
        for attempt in (1, 2):
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                conn.close()  # a kept-alive connection the server had closed while idle: once more, anew
                if attempt == 2:
                    raise
        data = response.read()  # http.client closes the connection itself when the server said so
        return Reply(response.status, data, response.headers)

    def _cookie_header(self, page: Page) -> str:
        with self.lock:
            return "; ".join(f"{name}={value}" for name, value in self.cookies[(page.user, page.host)].items())

    def _keep_cookies(self, page: Page, reply: Reply) -> None:
        headers = reply.headers.get_all("Set-Cookie") or []
        if not headers:
            return
        with self.lock:
            jar = self.cookies[(page.user, page.host)]
            for header in headers:
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value and morsel["max-age"] not in ("0", 0):
                        jar[name] = morsel.value
                    else:
                        jar.pop(name, None)

    def ready(self, page: Page) -> None:
        """The page's user signed in (once, outside the timed requests); this thread's connections."""
        if (page.user, page.host) not in self.cookies:
            with self.lock:
                if (page.user, page.host) not in self.cookies:
                    self._sign_in(page)
        self._connection("product")
        self._connection("baseline")

    def _sign_in(self, page: Page) -> None:
        who = (page.user, page.host)
        name = self.app.config["SESSION_COOKIE_NAME"]
        cookie = sign_in(self.app, page).get_cookie(name, domain=page.hostname)
        if cookie is None:
            raise SystemExit(f"{page.user}: no {name} cookie for {page.hostname} after signing in")
        self.cookies[who] = {name: cookie.value}
        # the page's own GET, untimed: the cookies it sets, and for a form, its CSRF token
        reply = self._send("product", "GET", page.path, self._headers(page))
        self._keep_cookies(page, reply)
        if reply.status_code != 200:
            raise SystemExit(f"{page.user} signed in, but {page.hostname}{page.path} answered the served "
                             f"product HTTP {reply.status_code} ({reply.headers.get('Location', '')})")
        if page.method == "POST":
            token = CSRF_FIELD.search(reply.body)
            if token is None:
                raise SystemExit(f"{page.name}: no csrf_token on {page.path}")
            self.csrf[who] = token[1].decode()

    def _headers(self, page: Page) -> dict:
        return {"Host": page.hostname, "Cookie": self._cookie_header(page), **page.headers}

    def _body(self, page: Page) -> tuple[dict, bytes | None]:
        if page.form is None:
            return {}, None
        form = {**page.form(), "csrf_token": self.csrf[(page.user, page.host)]}
        return {"Content-Type": "application/x-www-form-urlencoded"}, urlencode(form).encode()

    def product(self, page: Page) -> Reply:
        extra, body = self._body(page)
        reply = self._send("product", page.method, page.path, self._headers(page) | extra, body)
        if page.method == "GET":  # a POST's cookie only adds its flash messages (see the module's doc)
            self._keep_cookies(page, reply)
        return reply

    def baseline(self, page: Page) -> Reply:
        """The same request line and body (the bare app ignores the body) to the page's recipe."""
        extra, body = self._body(page)
        return self._send("baseline", page.method, f"/{key(page.name)}", {"Host": page.hostname} | extra, body)
