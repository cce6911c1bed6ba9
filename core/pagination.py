"""Pagination shared by every desk list: callers choose the page size, up to a cap that keeps each page cheap."""

from rest_framework.pagination import CursorPagination, PageNumberPagination

MAX_PAGE_SIZE = 100


class DeskPagination(PageNumberPagination):
    """The default for lists behind a token: numbered pages, `?page_size=` up to MAX_PAGE_SIZE."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class PublicCursorPagination(CursorPagination):
    """Public lists page by cursor: stable while new rows arrive and never a COUNT(*) over the whole table."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
