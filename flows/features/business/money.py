"""Exact money: ISO 4217 currencies, their minor units, parsing prices and formatting amounts.

Amounts are always whole numbers of the currency's minor unit (cents for EUR, yen for JPY,
fils for KWD), kept in ``int``; text from configuration goes through :class:`decimal.Decimal`
and is refused when it has more decimals than the currency allows. Floats never appear.
"""

from __future__ import annotations

import re
from decimal import Decimal

_AMOUNT_RE = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
# Active ISO 4217 codes (funds and precious metals left out).
_CODES = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD
    BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD
    EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD
    IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL
    MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN
    PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP
    STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED
    VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL
    """.split()  # noqa: SIM905
)
_EXPONENTS = {
    **dict.fromkeys("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(), 0),  # noqa: SIM905
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),  # noqa: SIM905
    **dict.fromkeys("CLF UYW".split(), 4),  # noqa: SIM905
}  # fmt: skip
_SYMBOLS = {
    "EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹", "BRL": "R$", "NGN": "₦",
    "ILS": "₪", "KRW": "₩", "TRY": "₺", "PHP": "₱", "VND": "₫", "UAH": "₴",
}  # fmt: skip
# Languages that write 1.234,50 € rather than €1,234.50.
_COMMA_LANGUAGES = frozenset(
    "de es fr it nl pt pl ro cs sk sl hr tr id da nb no sv fi el hu".split()  # noqa: SIM905
)


def is_currency(code: str) -> bool:
    """True when ``code`` is an active ISO 4217 code such as ``EUR`` (upper case)."""
    return code in _CODES


def exponent(currency: str) -> int:
    """How many decimals the currency's minor unit has: 2 for EUR, 0 for JPY, 3 for KWD."""
    return _EXPONENTS.get(currency, 2)


def parse_amount(text: str, currency: str) -> int:
    """Turn a decimal price written as text into minor units, exactly.

    Args:
        text: For example ``"12.50"``, ``"12"`` or ``"1250"`` (JPY).
        currency: The ISO 4217 code that decides how many decimals are allowed.

    Returns:
        ``1250`` for ``"12.50"`` EUR.

    Raises:
        ValueError: Not a plain non-negative decimal number, or more decimals than the
            currency has.
    """
    cleaned = text.strip()
    if not _AMOUNT_RE.fullmatch(cleaned):
        raise ValueError(f"{text!r} is not a plain decimal amount such as '12.50'")
    amount = Decimal(cleaned)
    places = exponent(currency)
    scaled = amount.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValueError(
            f"{str(amount)!r} has more than {places} decimals, too many for {currency}"
        )
    return int(scaled)


def format_money(minor: int, currency: str, locale: str = "en") -> str:
    """Render an amount for people: ``€27.50``, ``27,50 €`` (de, fr...), ``1,200 JPY`` style.

    Only the language of ``locale`` (``en_GB``, ``de-DE``) is used: it decides the separators.
    """
    places = exponent(currency)
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**places)
    grouped = f"{whole:,}"
    decimals = f"{frac:0{places}d}" if places else ""
    language = locale.replace("-", "_").split("_")[0].lower()
    symbol = _SYMBOLS.get(currency)
    if language in _COMMA_LANGUAGES:
        thousands = " " if language in ("fr", "sv", "fi", "nb", "no", "cs", "sk", "pl") else "."
        number = grouped.replace(",", thousands) + ("," + decimals if decimals else "")
        return f"{sign}{number} {symbol or currency}"
    number = grouped + ("." + decimals if decimals else "")
    if symbol:
        return f"{sign}{symbol}{number}"
    return f"{sign}{number} {currency}"


__all__ = ["exponent", "format_money", "is_currency", "parse_amount"]
