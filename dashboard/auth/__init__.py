"""Accounts, roles, sign-in and the write guard used by callbacks and the API alike.

Roles: viewers read; editors update actions, add views to meeting decks and upload data files; admins manage
users. Use ``current_user()`` to ask who is signed in and ``require_role("editor")`` before every write.
"""

from dashboard.auth.accounts import Account, AccountError
from dashboard.auth.session import AuthError, Forbidden, NotSignedIn, current_user, require_role

__all__ = ["Account", "AccountError", "AuthError", "Forbidden", "NotSignedIn", "current_user", "require_role"]
