"""Middleware of the whole site."""

from django.http import Http404

# The largest id a row can have (a 64-bit primary key).
LARGEST_ROW_ID = 2**63 - 1


class RowIdsInRange:
    """An id in a URL beyond any row's id names a page that does not exist.

    `<int:pk>` accepts any number of digits; passed to the database, a
    20-digit id overflows (SQLite) or is out of range (PostgreSQL) and the
    reader got a server error instead of "not found".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in (*view_args, *view_kwargs.values()):
            if (
                isinstance(value, int)
                and not -LARGEST_ROW_ID <= value <= LARGEST_ROW_ID
            ):
                raise Http404
        return None
