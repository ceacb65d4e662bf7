"""Errors shared across apps. Each carries a message a user can act on."""


class MastheadError(Exception):
    """Base for errors shown to users as one line."""


class NetworkFileError(MastheadError):
    """The network file is unreadable or invalid."""


class WireError(MastheadError):
    """A wire item could not be parsed or applied."""


class FetchError(MastheadError):
    """Something could not be fetched over HTTP(S) (core/http.py)."""
