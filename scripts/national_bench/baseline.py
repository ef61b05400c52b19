"""The bare baseline: a minimal Flask app that runs, for each page, the SQL the product ran for one
request of it (captured with `before_cursor_execute`, statement and parameters as sent to psycopg),
on the same role (the engine's own URL: the app role, or the platform role for console reads), in one
transaction with the same `set_config('app.tenant_id', …)` the product sends, then renders the
largest result with a trivial template, and rolls back (so an intake's INSERTs can run again)."""
from __future__ import annotations

import os
import pickle
import random
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import psycopg
from flask import Flask, render_template_string
from sqlalchemy import event
from sqlalchemy.engine import Engine

TEMPLATE = """<!doctype html><title>{{ page }}</title><table>{% for row in rows %}<tr>{% for cell in row %}
<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}</table>"""


@dataclass
class Capture:
    statements: list = field(default_factory=list)  # (conninfo, statement, parameters, many)
    form: dict | None = None  # what a POST sent: its values are made new on every replay
    make_form: Callable[[], dict] | None = None


NEW_ID = re.compile(r"^id(__\d+)?$")
TICKET = re.compile(r"^([A-Z0-9]{2,12})-(\d{4})-(\d+)$")


def fresh(capture: Capture) -> list:
    """The statements with the values a write made unique replaced: ids first written by an INSERT, the
    form's values, the ticket (the product committed them; the baseline would meet them otherwise)."""
    swap: dict = {}
    if capture.form is not None and capture.make_form is not None:
        new_form = capture.make_form()
        swap = {old: new_form[k] for k, old in capture.form.items() if isinstance(old, str) and len(old) >= 8}
    for _url, statement, parameters, _many in capture.statements:
        if statement.lstrip().upper().startswith("INSERT"):  # the new rows' own ids (`id`, `id__3`…)
            for rows in (parameters if isinstance(parameters, list | tuple) else [parameters]):
                for name, value in (rows.items() if isinstance(rows, dict) else ()):
                    if NEW_ID.match(name) and isinstance(value, uuid.UUID):
                        swap.setdefault(value, uuid.uuid4())

    def change(value):
        if isinstance(value, dict):
            return {k: change(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(change(v) for v in value)
        if value in swap if isinstance(value, str | uuid.UUID) else False:
            return swap[value]
        if isinstance(value, str):
            if match := TICKET.match(value):  # the top of the range (the product's counter never gets there),
                width = len(match[3])            # same length (24 characters at most)
                return f"{match[1]}-{match[2]}-{random.randint(10 ** width - 10 ** (width - 1), 10 ** width - 1)}"
            for old, new in swap.items():
                if isinstance(old, uuid.UUID) and str(old) in value:
                    value = value.replace(str(old), str(new))
        return value

    return [(url, statement, change(parameters), many) for url, statement, parameters, many in capture.statements]


def _values(parameters):
    if isinstance(parameters, dict):
        for v in parameters.values():
            yield from _values(v)
    elif isinstance(parameters, list | tuple):
        for v in parameters:
            yield from _values(v)
    else:
        yield parameters


_local = threading.local()


def _listener(conn, cursor, statement, parameters, context, executemany):
    capture = getattr(_local, "capture", None)
    if capture is not None:
        url = conn.engine.url.set(drivername="postgresql")
        # insertmanyvalues sends one batched statement with one mapping even when `executemany` is set
        many = executemany and isinstance(parameters, list | tuple) and bool(parameters) \
            and isinstance(parameters[0], dict | list | tuple)
        capture.statements.append((url.render_as_string(hide_password=False), statement, parameters, many))


def install() -> None:
    """Listen on every engine (the app's and the platform bind)."""
    if not event.contains(Engine, "before_cursor_execute", _listener):
        event.listen(Engine, "before_cursor_execute", _listener)


def capturing(run) -> Capture:
    """Run `run()` in this thread and return the statements it sent."""
    _local.capture = Capture()
    try:
        run()
        return _local.capture
    finally:
        capture, _local.capture = _local.capture, None
        del capture


def bare_app(recipes: dict[str, Capture]) -> Flask:
    app = Flask("bare_baseline")
    connections = threading.local()

    def connection(conninfo: str):
        pool = connections.__dict__.setdefault("by_url", {})
        if conninfo not in pool:
            pool[conninfo] = psycopg.connect(conninfo)
        return pool[conninfo]

    @app.route("/<page>", methods=["GET", "POST"])
    def run(page: str):
        rows: list = []
        used = []
        try:
            for conninfo, statement, parameters, many in fresh(recipes[page]):
                conn = connection(conninfo)
                if conn not in used:
                    used.append(conn)
                with conn.cursor() as cursor:
                    if many:
                        cursor.executemany(statement, parameters)
                    else:
                        cursor.execute(statement, parameters or None)
                    if cursor.description is not None:
                        result = cursor.fetchall()
                        if len(result) >= len(rows):
                            rows = result
        finally:
            for conn in used:
                conn.rollback()
        return render_template_string(TEMPLATE, page=page, rows=rows)

    return app


RECIPES_ENV = "BENCH_RECIPES"


def from_env() -> Flask:
    """The bare app for gunicorn: its recipes from the pickle named by BENCH_RECIPES."""
    with open(os.environ[RECIPES_ENV], "rb") as f:
        recipes = pickle.load(f)
    return bare_app(recipes)
