"""Numbers in input are written with the ASCII digits 0-9 only.

Python's ``str.isdigit()``, ``int()``, ``float()`` and the regular-expression class ``\\d``
also accept the digits of other scripts: full-width ``"１"``, Arabic-Indic ``"٣"`` and, for
``isdigit``, superscript ``"²"``. So ``"１"`` would be read as 1 yet stored beside ``"1"`` as
another key. Input is checked with `is_digits` and patterns spelled ``[0-9]``;
``tests/standards/test_ascii_digits.py`` keeps ``\\d`` and ``isdigit()`` out of the package.
"""

from __future__ import annotations


def is_digits(text: str) -> bool:
    """Whether `text` is one or more of the ASCII digits 0-9 (and nothing else)."""
    return text.isascii() and text.isdigit()
