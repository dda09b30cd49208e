"""The path converter every id in a URL goes through.

Django's ``<int:…>`` matches any run of digits, and an id past 64 bits then reaches the database: SQLite raises
OverflowError and PostgreSQL a DataError, both a 500. An id is a 64-bit key, so a longer run of digits names no
row and the address simply matches no page (404).
"""

from django.urls import register_converter


class IdConverter:
    # Eighteen digits stay below 2**63 - 1 whatever they are; no row of ours will ever need a nineteenth.
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
