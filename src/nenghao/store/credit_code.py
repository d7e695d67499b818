"""Unified social credit code (统一社会信用代码) validation per GB 32100-2015."""

from __future__ import annotations

from nenghao.standards.digits import is_digits

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters allowed (I, O, Z, S and V are excluded), GB 32100-2015, 4.2."""
_CHAR = f"[{CHARSET}{CHARSET[10:].lower()}]"
CREDIT_CODE_PATTERN = rf"^{_CHAR}{{2}}[0-9]{{6}}{_CHAR}{{10}}$"
"""The form `validate_credit_code` accepts (either case); it then checks the check character."""

WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
"""Weights of positions 1 to 17 (3**(i-1) mod 31), GB 32100-2015, annex."""


class CreditCodeError(ValueError):
    """A unified social credit code that is malformed or fails its check character."""


def check_character(first17: str) -> str:
    """The 18th (check) character for the first 17 characters of a credit code.

    Parameters
    ----------
    first17 : str
        The registration authority, entity type, division, organisation code characters.

    References
    ----------
    GB 32100-2015, 4.5: C18 = 31 - (sum(Ci * Wi) mod 31), where 31 maps to 0.
    """
    if len(first17) != 17:
        raise CreditCodeError(
            f"expected 17 characters before the check character, got {len(first17)}"
        )
    total = 0
    for position, (char, weight) in enumerate(zip(first17, WEIGHTS, strict=True), start=1):
        index = CHARSET.find(char)
        if index < 0:
            raise CreditCodeError(f"character {char!r} at position {position} is not allowed")
        total += index * weight
    return CHARSET[(31 - total % 31) % 31]


def validate_credit_code(code: str) -> str:
    """Return the code, upper-cased and stripped, or raise `CreditCodeError` saying why not."""
    if not isinstance(code, str):
        raise CreditCodeError("credit code must be a string")
    normalised = code.strip().upper()
    if len(normalised) != 18:
        raise CreditCodeError(
            f"credit code must have 18 characters, {normalised!r} has {len(normalised)}"
        )
    for position, char in enumerate(normalised, start=1):
        if char not in CHARSET:
            raise CreditCodeError(f"character {char!r} at position {position} is not allowed")
    if not is_digits(normalised[2:8]):
        raise CreditCodeError(
            f"positions 3-8 must be the 6-digit division code, got {normalised[2:8]!r}"
        )
    expected = check_character(normalised[:17])
    if normalised[17] != expected:
        raise CreditCodeError(
            f"check character of {normalised} is {normalised[17]!r}, expected {expected!r}"
        )
    return normalised


def make_credit_code(
    division: str, organisation: str, *, authority: str = "9", kind: str = "1"
) -> str:
    """Build a valid code from a division code and a 9-character organisation code."""
    first17 = f"{authority}{kind}{division}{organisation}"
    return first17 + check_character(first17)
