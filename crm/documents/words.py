"""Amounts in words ("słownie") as Polish invoices print them: the whole units in words,
the hundredths as a fraction, e.g. 1234.56 PLN → "jeden tysiąc dwieście trzydzieści
cztery złote 56/100".

Written here rather than taken from num2words (0.5.14): its Polish says "tysiąc" where
invoices say "jeden tysiąc", and its currency mode reads integers as grosze. The Polish
grammar needed is small: three plural forms (1 → "złoty", 2–4 except 12–14 → "złote",
else "złotych"), applied to the currency and to each thousands group.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_PL_ONES = ("", "jeden", "dwa", "trzy", "cztery", "pięć", "sześć", "siedem", "osiem", "dziewięć")
_PL_TEENS = (
    "dziesięć",
    "jedenaście",
    "dwanaście",
    "trzynaście",
    "czternaście",
    "piętnaście",
    "szesnaście",
    "siedemnaście",
    "osiemnaście",
    "dziewiętnaście",
)
_PL_TENS = (
    "",
    "",
    "dwadzieścia",
    "trzydzieści",
    "czterdzieści",
    "pięćdziesiąt",
    "sześćdziesiąt",
    "siedemdziesiąt",
    "osiemdziesiąt",
    "dziewięćdziesiąt",
)
_PL_HUNDREDS = (
    "",
    "sto",
    "dwieście",
    "trzysta",
    "czterysta",
    "pięćset",
    "sześćset",
    "siedemset",
    "osiemset",
    "dziewięćset",
)
# (one, few, many) for 10^3, 10^6, 10^9, 10^12.
_PL_GROUPS = (
    ("tysiąc", "tysiące", "tysięcy"),
    ("milion", "miliony", "milionów"),
    ("miliard", "miliardy", "miliardów"),
    ("bilion", "biliony", "bilionów"),
)
# The currency's (one, few, many) in Polish; any other currency is named by its code.
_PL_CURRENCIES = {
    "PLN": ("złoty", "złote", "złotych"),
    "EUR": ("euro", "euro", "euro"),
    "USD": ("dolar amerykański", "dolary amerykańskie", "dolarów amerykańskich"),
    "GBP": ("funt szterling", "funty szterlingi", "funtów szterlingów"),
    "CHF": ("frank szwajcarski", "franki szwajcarskie", "franków szwajcarskich"),
    "CZK": ("korona czeska", "korony czeskie", "koron czeskich"),
    "SEK": ("korona szwedzka", "korony szwedzkie", "koron szwedzkich"),
    "NOK": ("korona norweska", "korony norweskie", "koron norweskich"),
    "DKK": ("korona duńska", "korony duńskie", "koron duńskich"),
    "UAH": ("hrywna", "hrywny", "hrywien"),
}
# Feminine currencies say "jedna", "dwie" (jedna korona, dwie korony).
_PL_FEMININE = {"CZK", "SEK", "NOK", "DKK", "UAH"}

_EN_ONES = (
    "",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_GROUPS = ("thousand", "million", "billion", "trillion")


def polish_plural(n: int, forms: tuple[str, str, str]) -> str:
    """The form for n things: 1 złoty, 2–4 złote (but 12–14 złotych), otherwise złotych."""
    if n == 1:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]


def _pl_below_thousand(n: int, *, feminine: bool = False) -> list[str]:
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    words = [_PL_HUNDREDS[hundreds]]
    if tens == 1:
        words.append(_PL_TEENS[ones])
    else:
        words.append(_PL_TENS[tens])
        words.append("dwie" if feminine and ones == 2 else _PL_ONES[ones])
    return [w for w in words if w]


def polish_number(n: int, *, feminine: bool = False) -> str:
    """A whole number in Polish words: 1000 → "jeden tysiąc", 22 → "dwadzieścia dwa".
    `feminine` for feminine nouns: "jedna korona", "dwadzieścia dwie korony" (but
    "dwadzieścia jeden koron", as Polish says)."""
    if n < 0:
        return "minus " + polish_number(-n, feminine=feminine)
    if n == 0:
        return "zero"
    if n == 1 and feminine:
        return "jedna"
    groups: list[int] = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    if len(groups) > len(_PL_GROUPS) + 1:
        raise ValueError("number too large to write in words")
    words: list[str] = []
    for power in range(len(groups) - 1, -1, -1):
        group = groups[power]
        if not group:
            continue
        if power == 0:
            words += _pl_below_thousand(group, feminine=feminine)
        else:
            words += _pl_below_thousand(group)
            words.append(polish_plural(group, _PL_GROUPS[power - 1]))
    return " ".join(words)


def _en_below_thousand(n: int) -> list[str]:
    hundreds, rest = divmod(n, 100)
    words = [_EN_ONES[hundreds], "hundred"] if hundreds else []
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(_EN_TENS[tens] + (f"-{_EN_ONES[ones]}" if ones else ""))
    elif rest:
        words.append(_EN_ONES[rest])
    return words


def english_number(n: int) -> str:
    """A whole number in English words: 1234 → "one thousand two hundred thirty-four"."""
    if n < 0:
        return "minus " + english_number(-n)
    if n == 0:
        return "zero"
    groups: list[int] = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    if len(groups) > len(_EN_GROUPS) + 1:
        raise ValueError("number too large to write in words")
    words: list[str] = []
    for power in range(len(groups) - 1, -1, -1):
        if groups[power]:
            words += _en_below_thousand(groups[power])
            if power:
                words.append(_EN_GROUPS[power - 1])
    return " ".join(words)


def amount_in_words(amount: Decimal, currency: str, language: str = "pl") -> str:
    """The amount as invoices write it: whole units in words, the currency, hundredths as
    "NN/100". Polish names the common currencies with their plural forms ("22 złote",
    "25 złotych", "2 dolary amerykańskie"); English and other currencies use the code
    ("one thousand two hundred thirty-four EUR 56/100"). Negative amounts (a correction
    that gives money back) start with "minus"."""
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "minus " if value < 0 else ""
    whole, hundredths = divmod(int(abs(value) * 100), 100)
    code = currency.upper()
    if language.split("-")[0] == "pl":
        words = polish_number(whole, feminine=code in _PL_FEMININE)
        forms = _PL_CURRENCIES.get(code)
        name = polish_plural(whole, forms) if forms else code
    else:
        words = english_number(whole)
        name = code
    return f"{sign}{words} {name} {hundredths:02d}/100"
