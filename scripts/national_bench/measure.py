"""Product and bare baseline measured interleaved: for each page and concurrency, a batch of `c`
concurrent product requests, then `c` baseline requests, and so on until each has `requests`.
Both are WSGI apps driven in this process by a thread pool (one test client per thread)."""
from __future__ import annotations

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from national_bench import baseline
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
        if page.method == "POST":
            return client.post(page.path, base_url=page.base_url, data=page.form(), headers=page.headers)
        return client.get(page.path, base_url=page.base_url, headers=page.headers)

    def baseline(self, page: Page):
        client = self.local.__dict__.setdefault("bare", None) or self.bare.test_client()
        self.local.bare = client
        return client.open(f"/{key(page.name)}", method=page.method)


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    response = call()
    return (time.perf_counter() - started) * 1000, response


def capture(app, page: Page, drivers: Drivers, warmup: int = 3):
    """Warm the page up, then capture the SQL of one request: (capture, response bytes)."""
    for _ in range(warmup):
        drivers.product(page)
    holder = {}
    if page.form is not None:  # the captured request's form, so the baseline can vary it like the product
        make, form = page.form, page.form()
        page.form = lambda: form
        recipe = baseline.capturing(lambda: holder.setdefault("r", drivers.product(page)))
        page.form, recipe.form, recipe.make_form = make, form, make
    else:
        recipe = baseline.capturing(lambda: holder.setdefault("r", drivers.product(page)))
    response = holder["r"]
    if response.status_code not in page.expect:
        raise SystemExit(f"{page.name}: {page.path} answered HTTP {response.status_code} "
                         f"({response.headers.get('Location', '')})")
    return recipe, len(response.get_data())


def run_page(page: Page, drivers: Drivers, requests: int, concurrency: int) -> dict:
    product, bare = [], []
    with ThreadPoolExecutor(concurrency) as pool:
        for _ in range(max(1, requests // concurrency)):
            for sink, call, ok in ((product, drivers.product, page.expect), (bare, drivers.baseline, (200,))):
                def task(_i, call=call):
                    drivers.ready(page)
                    return timed(lambda: call(page))

                results = list(pool.map(task, range(concurrency)))
                for ms, response in results:
                    if response.status_code not in ok:
                        raise SystemExit(f"{page.name}: HTTP {response.status_code} during the run")
                    sink.append(ms)
    return {"product_p50": statistics.median(product), "product_p95": percentile(product, .95),
            "baseline_p50": statistics.median(bare), "baseline_p95": percentile(bare, .95),
            "ratio_p95": percentile(product, .95) / max(percentile(bare, .95), 1e-6), "n": len(product)}


def measure(app, page_list: list[Page], requests: int, concurrencies: tuple[int, ...], echo) -> list[dict]:
    baseline.install()
    recipes, sizes = {}, {}
    drivers = Drivers(app, None)
    for page in page_list:
        recipes[key(page.name)], sizes[page.name] = capture(app, page, drivers)
    drivers.bare = baseline.bare_app(recipes)
    rows = []
    for page in page_list:
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
