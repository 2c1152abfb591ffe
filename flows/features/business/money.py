"""Exact money: ISO 4217 currencies, their minor units, parsing prices and formatting amounts.

Amounts are always whole numbers of the currency's minor unit (cents for EUR, yen for JPY,
fils for KWD), kept in ``int``; text from configuration goes through :class:`decimal.Decimal`
and is refused when it has more decimals than the currency allows. Floats never appear.
"""

from __future__ import annotations

import re
from decimal import Decimal

from flows import currency_exponent as exponent
from flows import texts_for

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


def is_currency(code: str) -> bool:
    """True when ``code`` is an active ISO 4217 code such as ``EUR`` (upper case)."""
    return code in _CODES


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
    """Render an amount for people, as Babel writes it in ``locale``: ``€27.50`` (en_GB),
    ``27,50 €`` (es_ES), ``¥1,200``, ``KWD123.456``.

    Args:
        minor: The amount in the currency's minor unit (:func:`exponent`).
        currency: Its ISO 4217 code.
        locale: A locale such as ``es_ES`` or ``de-DE`` (an unknown one writes as English).
    """
    return texts_for(None, locale=locale.replace("-", "_")).money(minor, currency)


__all__ = ["exponent", "format_money", "is_currency", "parse_amount"]
