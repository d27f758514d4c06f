"""Amounts in Chinese capital numerals (大写金额), as on financial statements.

Written as the People's Bank's rules for filling in vouchers have it: digits
壹贰叁肆伍陆柒捌玖, units 拾佰仟 within groups of four and 万亿 between them;
a run of zeros inside the number is one 零, and none at the end of a group;
拾 at the head is 壹拾; an amount in whole yuan ends in 整; a zero yuan
digit before the jiao, or zero jiao before the fen, is read 零 (¥1,680.32 is
壹仟陆佰捌拾元零叁角贰分, ¥325.04 is 叁佰贰拾伍元零肆分).
"""

from decimal import Decimal

from fundapp.money import cny

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("仟", "佰", "拾", "")
GROUP_UNITS = ("", "万", "亿", "万亿")
LIMIT = 10 ** (4 * len(GROUP_UNITS))  # up to 9999万亿 yuan


def _group_words(group: int) -> str:
    """1..9999 in capitals, with no leading 零 (the caller adds it)."""
    digits = (group // 1000, group // 100 % 10, group // 10 % 10, group % 10)
    words = ""
    zero_pending = False
    for digit, unit in zip(digits, SMALL_UNITS, strict=True):
        if digit == 0:
            zero_pending = bool(words)
            continue
        if zero_pending:
            words += "零"
            zero_pending = False
        words += DIGITS[digit] + unit
    return words


def _yuan_words(yuan: int) -> str:
    groups = []
    while yuan:
        groups.append(yuan % 10000)
        yuan //= 10000
    words = ""
    zero_pending = False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            zero_pending = bool(words)
            continue
        if words and (zero_pending or group < 1000):
            words += "零"
        words += _group_words(group) + GROUP_UNITS[index]
        zero_pending = False
    return words


def amount_in_capitals(amount: Decimal | str | int) -> str:
    """¥1,520,000.00 → 壹佰伍拾贰万元整; negative amounts start with 负."""
    value = cny(amount)
    sign = "负" if value < 0 else ""
    fen_total = int(abs(value) * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if yuan >= LIMIT:
        raise ValueError("Amounts in capitals stop below 10,000万亿 yuan.")
    if fen_total == 0:
        return "零元整"
    words = _yuan_words(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return sign + words + "整"
    if jiao:
        if yuan and yuan % 10 == 0:
            words += "零"
        words += DIGITS[jiao] + "角"
    if fen:
        if yuan and jiao == 0:
            words += "零"
        words += DIGITS[fen] + "分"
    return sign + words


SMALL_VALUES = {"拾": 10, "佰": 100, "仟": 1000}


def amount_from_capitals(words: str) -> Decimal:
    """Read capitals back into an amount (the inverse, used to check them)."""
    text = words.strip()
    sign = -1 if text.startswith("负") else 1
    text = text.removeprefix("负").removesuffix("整")
    jiao = fen = 0
    yuan_text, _sep, rest = text.rpartition("元") if "元" in text else ("", "", text)
    if "角" in rest:
        head, rest = rest.split("角", 1)
        jiao = DIGITS.index(head[-1])
    if "分" in rest:
        fen = DIGITS.index(rest.split("分", 1)[0][-1])
    # Each group of four digits ends at its unit; 万亿 is one unit.
    group_values = {"兆": 10**12, "亿": 10**8, "万": 10**4}
    total = section = number = 0
    for char in yuan_text.replace("万亿", "兆"):
        if char in DIGITS:
            number = DIGITS.index(char)
        elif char in SMALL_VALUES:
            section += number * SMALL_VALUES[char]
            number = 0
        elif char in group_values:
            total += (section + number) * group_values[char]
            section = number = 0
        else:
            raise ValueError(f"Not a capital numeral: {char!r}")
    yuan = total + section + number
    return cny(sign * (Decimal(yuan) + Decimal(jiao) / 10 + Decimal(fen) / 100))
