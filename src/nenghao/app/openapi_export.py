"""Write the API's OpenAPI document to a file, for the dashboard's generated types.

``python -m nenghao.app.openapi_export build/web/openapi.json``; ``web/`` then runs
``openapi-typescript`` on it (``npm run gen:openapi``). No database is touched.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def document() -> dict[str, Any]:
    """The OpenAPI document of `create_app()`, built on an unused in-memory database."""
    from nenghao.app.server import create_app
    from nenghao.config import Settings

    return create_app(Settings(database_url="sqlite://")).openapi()


def main(argv: list[str] | None = None) -> int:
    """Write the document to the path given (default: stdout)."""
    args = sys.argv[1:] if argv is None else argv
    text = json.dumps(document(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if not args:
        sys.stdout.write(text)
        return 0
    out = Path(args[0])
    out.parent.mkdir(parents=True, exist_ok=True)
    if not out.is_file() or out.read_text(encoding="utf-8") != text:
        out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
