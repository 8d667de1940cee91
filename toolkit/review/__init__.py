"""Review tools: the designer's live preview, the reviewer's static report, approvals tied to
content, and the pack for LINE's flexible-message review.

Public surface:

- :func:`serve` (``lnm serve``) and :func:`create_app`, the Starlette application behind it;
- :func:`write_report` (``lnm review``) and :class:`ReviewReport`;
- :func:`approve`, :func:`check_approvals`, :func:`content_hash`, :class:`ApprovalCheck`
  (``lnm approve``, ``--require-approved``);
- :func:`build_pack` (``lnm pack``).

Importing this package is light: each function loads its web, browser or imaging libraries when
called.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ApprovalCheck", "PackResult", "ReviewReport", "approve", "build_pack", "check_approvals",
           "content_hash", "create_app", "serve", "write_report"]


def __getattr__(name: str) -> Any:
    if name in ("ApprovalCheck", "approve", "check_approvals", "content_hash"):
        from . import approvals

        return getattr(approvals, name)
    if name in ("serve", "create_app"):
        from . import server

        return getattr(server, name)
    if name in ("write_report", "ReviewReport"):
        from . import report

        return getattr(report, name)
    if name in ("build_pack", "PackResult"):
        from . import pack

        return getattr(pack, name)
    raise AttributeError(name)
