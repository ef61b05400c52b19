"""Product and bare baseline measured interleaved: for each page and concurrency, a batch of `c`
concurrent product requests, then `c` baseline requests, and so on until each has `requests`.

The SQL of one request of each page is first captured in this process (the real app driven by a
test client). Then both are served over HTTP by gunicorn with the product's settings (serve.py) and
driven by HTTP clients on a thread pool here (http_drivers.py); every worker is warmed up on each page
first. `in_process=True` is the former way: both driven as WSGI apps in this process (test clients
on the thread pool), where c > 1 serialises on the GIL and the garbage collector."""
from __future__ import annotations

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from national_bench import baseline, serve
from national_bench.http_drivers import HttpDrivers
from national_bench.pages import Page, key, sign_in


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


class Drivers:
    """Per thread: a signed-in product client per user, and a baseline client."""

    def __init__(self, app, bare):
        self.app, self.bare = app, bare
        self.local = threading.local()

    def ready(self, page: Page):
        """This thread's client for the page's user, signed in (outside the timed request)."""
        clients = self.local.__dict__.setdefault("clients", {})
        if (page.user, page.host) not in clients:
            clients[(page.user, page.host)] = sign_in(self.app, page)
        return clients[(page.user, page.host)]

    def product(self, page: Page):
        client = self.ready(page)
        if page.form is None:
            return client.get(page.path, base_url=page.base_url, headers=page.headers)
        # the session as before the POST: its flash messages would be shown (and dropped) by the page it
        # redirects to, which is not asked for; kept, they would grow the cookie with every request
        name = self.app.config["SESSION_COOKIE_NAME"]
        before = client.get_cookie(name, domain=page.hostname)
        response = client.post(page.path, base_url=page.base_url, data=page.form(), headers=page.headers)
        if before is not None:
            client.set_cookie(name, before.value, domain=page.hostname)
        return response

    def baseline(self, page: Page):
        client = self.local.__dict__.setdefault("bare", None) or self.bare.test_client()
        self.local.bare = client
        return client.open(f"/{key(page.name)}", method=page.method)


def timed(call) -> tuple[float, Any]:
    started = time.perf_counter()
    response = call()
    return (time.perf_counter() - started) * 1000, response


def capture(app, page: Page, drivers: Drivers, warmup: int = 3):
    """Warm the page up, then capture the SQL of one request: (capture, response bytes)."""
    for _ in range(warmup):
        drivers.product(page)
    holder: dict = {}
    if page.form is not None:  # the captured request's form, so the baseline can vary it like the product
        make, form = page.form, page.form()
        page.form = lambda: form
        recipe = baseline.capturing(lambda: holder.setdefault("r", drivers.product(page)))
        page.form, recipe.form, recipe.make_form = make, form, make
    else:
        recipe = baseline.capturing(lambda: holder.setdefault("r", drivers.product(page)))
    response = holder["r"]
    if response.status_code not in page.expect or "/login" in (response.headers.get("Location") or ""):
        raise SystemExit(f"{page.name}: {page.path} answered HTTP {response.status_code} "
                         f"({response.headers.get('Location', '')})")
    return recipe, len(response.get_data())


def batch(pool: ThreadPoolExecutor, drivers, call, page: Page, concurrency: int, ok: tuple) -> list[float]:
    """`concurrency` requests at once; their times in ms (each thread's client made ready untimed)."""
    def task(_i):
        drivers.ready(page)
        return timed(lambda: call(page))

    times = []
    for ms, response in pool.map(task, range(concurrency)):
        if response.status_code not in ok or "/login" in (response.headers.get("Location") or ""):
            raise SystemExit(f"{page.name}: HTTP {response.status_code} during the run "
                             f"({response.headers.get('Location') or ''})")
        times.append(ms)
    return times


def warm_up(page: Page, drivers, width: int, rounds: int = 2) -> None:
    """Untimed: `width` concurrent requests of the page to each, so every server worker has served it."""
    with ThreadPoolExecutor(width) as pool:
        for _ in range(rounds):
            batch(pool, drivers, drivers.product, page, width, page.expect)
            batch(pool, drivers, drivers.baseline, page, width, (200,))


def run_page(page: Page, drivers, requests: int, concurrency: int) -> dict:
    product: list[float] = []
    bare: list[float] = []
    with ThreadPoolExecutor(concurrency) as pool:
        for _ in range(max(1, requests // concurrency)):
            product += batch(pool, drivers, drivers.product, page, concurrency, page.expect)
            bare += batch(pool, drivers, drivers.baseline, page, concurrency, (200,))
    return {"product_p50": statistics.median(product), "product_p95": percentile(product, .95),
            "baseline_p50": statistics.median(bare), "baseline_p95": percentile(bare, .95),
            "ratio_p95": percentile(product, .95) / max(percentile(bare, .95), 1e-6), "n": len(product)}


def measure(app, page_list: list[Page], requests: int, concurrencies: tuple[int, ...], echo,
            in_process: bool = False, wilayah: Path | None = None) -> tuple[list[dict], str]:
    """The table's rows, and how the two were served."""
    baseline.install()
    recipes, sizes = {}, {}
    local = Drivers(app, None)
    for page in page_list:
        recipes[key(page.name)], sizes[page.name] = capture(app, page, local)
    if in_process:
        local.bare = baseline.bare_app(recipes)
        served = "in one process: product and baseline as WSGI apps, test clients on a thread pool"
        echo(f"  {served}")
        return run_all(page_list, local, recipes, sizes, requests, concurrencies, echo, 0), served
    with serve.served(recipes, wilayah, echo) as servers:
        echo(f"  {servers.describe()}")
        drivers = HttpDrivers(app, servers.product, servers.baseline)
        width = servers.workers * servers.threads
        return run_all(page_list, drivers, recipes, sizes, requests, concurrencies, echo, width), servers.describe()


def run_all(page_list: list[Page], drivers, recipes: dict, sizes: dict, requests: int,
            concurrencies: tuple[int, ...], echo, warm: int) -> list[dict]:
    rows = []
    for page in page_list:
        if warm:
            warm_up(page, drivers, warm)
        row = {"page": page.name, "path": page.path, "statements": len(recipes[key(page.name)].statements),
               "kb": round(sizes[page.name] / 1024, 1)}
        for c in concurrencies:
            result = run_page(page, drivers, requests, c)
            row[f"c{c}"] = {k: round(v, 2) for k, v in result.items()}
            echo(f"  {page.name:<22} c={c}: product p50 {result['product_p50']:7.1f} p95 {result['product_p95']:7.1f}"
                 f" | baseline p50 {result['baseline_p50']:6.1f} p95 {result['baseline_p95']:6.1f}"
                 f" → {result['ratio_p95']:4.1f}×")
        rows.append(row)
    return rows


def table(rows: list[dict], concurrencies: tuple[int, ...]) -> str:
    head = f"{'page':<22}" + "".join(f" | c={c} product p50/p95   baseline p50/p95  ratio" for c in concurrencies) \
        + " | SQL/req | KB"
    lines = [head, "-" * len(head)]
    for row in rows:
        line = f"{row['page']:<22}"
        for c in concurrencies:
            r = row[f"c{c}"]
            line += (f" | {r['product_p50']:7.1f} /{r['product_p95']:7.1f}   {r['baseline_p50']:6.1f} /"
                     f"{r['baseline_p95']:6.1f}  {r['ratio_p95']:4.1f}×")
        lines.append(line + f" | {row['statements']:>7} | {row['kb']:>6}")
    return "\n".join(lines)
