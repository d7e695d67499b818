"""How deeply a JSON text nests, measured on its bytes before anything parses it.

Python's `json` module recurses once per nested array or object, so about a thousand levels
exhaust the interpreter's stack (``RecursionError``) however small the body. Every JSON body
the platform parses itself (uplink messages over HTTPS and MQTT, MQTT envelopes, manual
filings) and every JSON request body the API parses (`nenghao.api.routing`) is measured here
first and refused beyond `MAX_JSON_DEPTH`.
"""

from __future__ import annotations

import re
from itertools import accumulate

MAX_JSON_DEPTH = 32
"""The deepest nesting of arrays and objects accepted. An uplink message needs 4 levels
(message, ``records``, a record, its ``register_event``) and no request body of the API
needs more than 4; 32 leaves ample room."""

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = b"[]{}"
_OTHER_BYTES = bytes(b for b in range(256) if b not in _BRACKETS)
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class JsonTooDeepError(ValueError):
    """A JSON text nests deeper than the limit."""

    def __init__(self, depth: int, limit: int) -> None:
        super().__init__(f"the JSON nests {depth} levels deep; at most {limit} levels are accepted")
        self.depth, self.limit = depth, limit


def json_depth(text: bytes) -> int:
    """The deepest nesting of arrays and objects in `text` (0 for a scalar).

    Brackets inside strings do not count. The scan is linear and never recurses; on a text
    that is not JSON the figure is an estimate (the parser then refuses the text anyway).
    """
    brackets = _STRING.sub(b"", text).translate(None, _OTHER_BYTES)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def check_json_depth(text: bytes, limit: int = MAX_JSON_DEPTH) -> None:
    """Raise `JsonTooDeepError` if `text` nests deeper than `limit`."""
    depth = json_depth(text)
    if depth > limit:
        raise JsonTooDeepError(depth, limit)
