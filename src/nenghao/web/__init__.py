"""The web dashboard: the built single-page app and how the API app serves it.

The Vue project lives in ``web/`` at the repository root; ``make web`` builds it into
``dist/`` beside this file (git-ignored). :func:`install` mounts it on a FastAPI app at ``/``.
"""

from __future__ import annotations

from nenghao.web.serve import DIST, install, is_built

__all__ = ["DIST", "install", "is_built"]
