"""SLRT Cloud: one Flask app serving every region at its own subdomain."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from config import INSTANCE, ROOT, Config, refuse_unsafe_settings


def create_app(config: type | dict | None = None) -> Flask:
    """Application factory. `config` is a config class or a mapping of overrides."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(INSTANCE),
    )
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    refuse_unsafe_settings(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    register_models()
    register_extensions(app)
    register_request_hooks(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_cli(app)
    register_template_helpers(app)
    if app.config.get("PROXY_FIX_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_FIX_HOPS"]
        # Flask's documented way to add WSGI middleware; mypy forbids assigning over a method.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    return app


def register_models() -> None:
    """Import every model module so the metadata (and migrations) see all tables."""
    from app import models  # noqa: F401


def register_extensions(app: Flask) -> None:
    from app.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate, talisman
    from app.tenancy.reads import configure_replica_binds, configure_replica_engines
    from app.tenancy.scoping import configure_platform_bind, install_tenant_scoping

    configure_platform_bind(app)
    configure_replica_binds(app)
    install_tenant_scoping()  # the tenant filter holds from the first statement, tenant or not
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    htmx.init_app(app)
    from app.accounts.locale import select_locale

    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        content_security_policy={
            "default-src": "'self'",
            "img-src": ["'self'", "data:"],
            "style-src": "'self'",
            "script-src": "'self'",
            "form-action": "'self'",
            "frame-ancestors": "'none'",
            "base-uri": "'self'",
        },
        referrer_policy="same-origin",
        frame_options="DENY",
    )
    from app.accounts import auth  # noqa: F401  (registers the user loader)
    from app.accounts.models import configure_hasher
    from app.db_setup import configure_engine_events

    configure_hasher(app.config)

    with app.app_context():
        for engine in db.engines.values():  # the app's, and the platform or replica binds if any
            configure_engine_events(engine)
        configure_replica_engines()


def register_request_hooks(app: Flask) -> None:
    from app import logging_setup
    from app.extensions import db
    from app.platform.audit import save_kept_events
    from app.request_guards import register_guards
    from app.tenancy.resolver import resolve_tenant

    register_guards(app)  # NUL bytes refused first; no-store on private responses
    logging_setup.init_app(app)  # before even that: the request id and one log line per request
    app.before_request(resolve_tenant)

    @app.after_request
    def finish_transaction(response):
        """One transaction per request: commit what succeeded, roll back the rest."""
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
            save_kept_events()  # audit of refusals (failed login, 403) outlives the rollback
        response.vary.add("HX-Request")
        return response

    app.after_request(logging_setup.note_identity)  # registered last, so it runs before the commit

    @app.teardown_request
    def rollback_on_error(exc):
        if exc is not None:
            db.session.rollback()


def register_blueprints(app: Flask) -> None:
    from app.blueprints.attachments import bp as attachments_bp
    from app.blueprints.auth import bp as auth_bp
    from app.blueprints.cases import bp as cases_bp
    from app.blueprints.dashboard import bp as dashboard_bp
    from app.blueprints.health import bp as health_bp
    from app.blueprints.home import bp as home_bp
    from app.blueprints.intake import bp as intake_bp
    from app.blueprints.org import bp as org_bp
    from app.blueprints.platform import bp as platform_bp
    from app.blueprints.platform_reports import bp as platform_reports_bp
    from app.blueprints.public import bp as public_bp
    from app.blueprints.register import bp as register_bp
    from app.blueprints.settings_org import bp as settings_org_bp
    from app.blueprints.settings_sop import bp as settings_sop_bp

    for bp in (health_bp, home_bp, auth_bp, org_bp, platform_bp, cases_bp, intake_bp, public_bp, register_bp,
               settings_org_bp):
        app.register_blueprint(bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(attachments_bp)
    app.register_blueprint(platform_reports_bp)
    app.register_blueprint(settings_sop_bp)
    from app.blueprints.locale import bp as locale_bp

    app.register_blueprint(locale_bp)
    from app.blueprints.api import bp as api_bp
    from app.blueprints.api.tokens_page import page as api_tokens_page

    app.register_blueprint(api_bp)
    app.register_blueprint(api_tokens_page)
    from app.blueprints.notices import bp as notices_bp

    app.register_blueprint(notices_bp)
    from app.blueprints.partner import bp as partner_bp

    app.register_blueprint(partner_bp)
    from app.blueprints.dev_mailbox import bp as dev_mailbox_bp

    app.register_blueprint(dev_mailbox_bp)
    from app.blueprints.households import bp as households_bp
    from app.blueprints.monitoring import bp as monitoring_bp
    from app.blueprints.programs import bp as programs_bp
    from app.blueprints.verval import bp as verval_bp

    for bp in (households_bp, programs_bp, verval_bp, monitoring_bp):
        app.register_blueprint(bp)


def register_errorhandlers(app: Flask) -> None:
    from app.error_pages import render_error  # a page, or a fragment for htmx

    for code in (400, 403, 404, 405, 409, 410, 413, 429, 500):
        app.register_error_handler(code, render_error)
    from app.errors import register_refusals

    register_refusals(app)  # a domain refusal escaping its route: 403/404/409/422 with its message


def register_cli(app: Flask) -> None:
    from app.cli import demo_cli
    from app.dashboard.rebuild import dashboard_cli
    from app.reference.cli import wilayah_cli
    from app.tenants.cli import tenants_cli

    app.cli.add_command(wilayah_cli)
    app.cli.add_command(tenants_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(dashboard_cli)
    from app.notices.cli import sla_cli

    app.cli.add_command(sla_cli)
    from app.reports.cli import reports_cli

    app.cli.add_command(reports_cli)


def register_template_helpers(app: Flask) -> None:
    from app.templating import register

    register(app)
