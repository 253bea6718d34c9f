"""Regular expressions that state in the OpenAPI schema exactly which strings an input field
accepts, range included, so that a client (or a fuzzer) that follows the schema is never
refused for the shape of a value. Written with ``[0-9]``, never ``\\d``: a schema's patterns
are ECMAScript's, and Python's ``\\d`` also matches other scripts' digits."""

from decimal import Decimal

import phonenumbers

DIGIT = "[0-9]"


def _digits(count: int) -> str:
    return "" if count == 0 else DIGIT if count == 1 else f"{DIGIT}{{{count}}}"


def _group(alternatives: list[str]) -> str:
    return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"


def _fixed_width(low: str, high: str) -> str:
    """Digit strings of one width from ``low`` to ``high`` (leading zeros are digits here)."""
    if low == high:
        return low
    if set(low) == {"0"} and set(high) == {"9"}:
        return _digits(len(low))
    if len(low) == 1:
        return f"[{low}-{high}]"
    if low[0] == high[0]:
        return low[0] + _fixed_width(low[1:], high[1:])
    rest = len(low) - 1
    alternatives = [low[0] + _fixed_width(low[1:], "9" * rest)]
    if int(high[0]) - int(low[0]) > 1:
        first, last = int(low[0]) + 1, int(high[0]) - 1
        span = str(first) if first == last else f"[{first}-{last}]"
        alternatives.append(span + _digits(rest))
    alternatives.append(high[0] + _fixed_width("0" * rest, high[1:]))
    return _group(alternatives)


def _whole_range(low: int, high: int) -> list[str]:
    """Whole numbers from ``low`` to ``high`` written without leading zeros, one alternative
    per width (whole widths ``[1-9][0-9]{n}`` merged)."""
    alternatives: list[str] = []
    full_widths: list[int] = []
    for width in range(len(str(low)), len(str(high)) + 1):
        start = max(low, 10 ** (width - 1) if width > 1 else 0)
        end = min(high, 10**width - 1)
        if start > end:
            continue
        if width > 1 and start == 10 ** (width - 1) and end == 10**width - 1:
            full_widths.append(width - 1)
            continue
        alternatives.append(_fixed_width(str(start).zfill(width), str(end).zfill(width)))
    if full_widths:
        fewest, most = min(full_widths), max(full_widths)
        tail = f"{DIGIT}{{{fewest}}}" if fewest == most else f"{DIGIT}{{{fewest},{most}}}"
        alternatives.append(f"[1-9]{tail}")
    return alternatives


def _fractions(places: int, low: int, high: int) -> str:
    """A point and 1 to ``places`` digits whose value, in units of the last place, lies in
    ``[low, high]``: "5" with two places is 50 hundredths."""
    if low == 0 and high == 10**places - 1:
        return rf"\.{DIGIT}{{1,{places}}}"
    alternatives = []
    for width in range(1, places + 1):
        scale = 10 ** (places - width)
        first, last = -(-low // scale), high // scale  # the multiples of scale inside
        if first <= last:
            alternatives.append(_fixed_width(str(first).zfill(width), str(last).zfill(width)))
    return rf"\.{_group(alternatives)}" if alternatives else ""


def decimal_pattern(*, low: Decimal, high: Decimal, places: int, whole: bool = False) -> str:
    """Plain decimals from ``low`` to ``high`` (0 ≤ low < high) with at most ``places``
    digits after the point: no sign, no leading zeros, no exponent, no lone point. ``whole``:
    whole numbers only, their point followed by zeros if by anything."""
    if whole:
        zeros = rf"(?:\.0{{1,{places}}})?" if places else ""
        return f"^{_group(_whole_range(int(low), int(high)))}{zeros}$"
    scale = 10**places
    low_units, high_units = int(low * scale), int(high * scale)
    low_whole, low_part = divmod(low_units, scale)
    high_whole, high_part = divmod(high_units, scale)
    any_fraction = f"(?:{_fractions(places, 0, scale - 1)})?"
    if low_whole == high_whole:
        alternatives = [f"{low_whole}{_fractions(places, low_part, high_part)}"]
        if low_part == 0:
            alternatives.append(str(low_whole))
    else:
        alternatives = []
        if low_part == 0:
            alternatives.append(f"{low_whole}{any_fraction}")
        else:
            alternatives.append(f"{low_whole}{_fractions(places, low_part, scale - 1)}")
        if high_whole - low_whole > 1:
            middle = _group(_whole_range(low_whole + 1, high_whole - 1))
            alternatives.append(f"{middle}{any_fraction}")
        top = _fractions(places, 0, high_part)
        alternatives.append(f"{high_whole}(?:{top})?" if top else str(high_whole))
    return f"^{_group(alternatives)}$"


def kenyan_mobile_pattern() -> str:
    """A Kenyan mobile number as ``core.phone`` reads it when written plainly: 07…/01…, the
    same without the 0, or with 254 / +254 in front. The numbers themselves are those
    phonenumbers, which decides, counts as Kenyan mobiles."""
    kenya = phonenumbers.PhoneMetadata.metadata_for_region("KE")
    assert kenya is not None
    assert kenya.mobile is not None
    national = str(kenya.mobile.national_number_pattern).replace(r"\d", DIGIT)
    return rf"^(?:\+?254|0)?{national}$"


def _python_whitespace() -> str:
    """What ``str.strip()`` removes (and so DRF's trimming), as a character class body:
    ECMAScript's ``\\s`` is a different set (it lacks U+001C-U+001F and U+0085)."""
    spaces = [code for code in range(0x110000) if chr(code).isspace()]
    ranges: list[tuple[int, int]] = []
    for code in spaces:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "".join(
        f"\\u{low:04x}" if low == high else f"\\u{low:04x}-\\u{high:04x}" for low, high in ranges
    )


WHITESPACE = _python_whitespace()


def text_pattern(*, allow_blank: bool, trimmed: bool) -> str:
    """Non-empty text as DRF's CharField reads it: never a NUL character and, unless blank is
    allowed, something besides the whitespace it trims. (Where blank is allowed the schema
    generator offers the empty string beside this pattern, as a branch of its own.)"""
    if allow_blank or not trimmed:
        return r"^[^\u0000]+$"
    return rf"^[^\u0000]*[^\u0000{WHITESPACE}][^\u0000]*$"
