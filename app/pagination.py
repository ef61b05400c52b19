"""Pagination through Flask-SQLAlchemy (`db.paginate`) for every paged list.

`page_of(select, page)` is `db.paginate` that never answers 404 for a page out of range: a
page past the end shows the last one, as a list that shrank under the reader should. Lists
of rows (several columns, or a union) page the same way through `RowsPagination`, which
hands back the rows instead of the first column; its count may be given (a union counted
table by table). The result is Flask-SQLAlchemy's `Pagination`; `templates/_pagination.html`
renders it.
"""
from __future__ import annotations

from collections.abc import Callable

from flask_sqlalchemy.pagination import Pagination, SelectPagination

from app.extensions import db

PAGE_SIZE = 20


class RowsPagination(SelectPagination):
    """`SelectPagination` whose items are whole rows; `counter()`, if given, is the total."""

    def _query_items(self) -> list:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).all())

    def _query_count(self) -> int:
        counter = self._query_args.get("counter")
        return counter() if counter is not None else super()._query_count()


def page_of(select, page: int, per_page: int = PAGE_SIZE, *, rows: bool = False,
            counter: Callable[[], int] | None = None) -> Pagination:
    """Page `page` of `select` (ordered by the caller); past the end, the last page."""

    def fetch(number: int) -> Pagination:
        if not rows and counter is None:
            return db.paginate(select, page=number, per_page=per_page, max_per_page=None, error_out=False)
        return RowsPagination(select=select, session=db.session(), counter=counter, page=number,
                              per_page=per_page, max_per_page=None, error_out=False)

    result = fetch(max(1, page))
    if result.pages and result.page > result.pages:
        result = fetch(result.pages)
    return result
