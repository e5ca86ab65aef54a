"""索引号 (index number) and the schemes departments number their documents by.

A scheme is a pattern of literal characters and fields, set per publisher in ``publishers.yml``
(``index_scheme``); Anhui's ``{code}/{yyyy}{mm}-{nnnnn}`` is the default. Fields:

- ``{code}``: the publisher's 9-character 组织机构代码 (GB 11714) or 18-character
  统一社会信用代码 (GB 32100);
- ``{yyyy}`` the year and ``{mm}`` the month of the 发文日期 (a scheme may have no month);
- ``{category}`` a category segment (letters and digits, or one of the publisher's ``categories``);
- ``{nnnnn}`` the serial number, as many digits as there are ``n``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ORG_CODE_RE = r"[0-9A-Z]{8}[0-9X]"
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_RE = rf"[{USCC_CHARS}]{{18}}"
DEFAULT_SCHEME = "{code}/{yyyy}{mm}-{nnnnn}"
FIELD = re.compile(r"\{(code|yyyy|mm|category|n+)\}")

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@dataclass(frozen=True)
class IndexNumber:
    """A parsed 索引号."""

    org_code: str  # 机构代码
    year: int
    month: int  # 0 when the scheme has no month
    serial: int  # 流水号
    category: str = ""  # 分类段, "" when the scheme has none
    text: str = ""  # the whole number as the scheme writes it

    def __str__(self) -> str:
        return self.text

    @property
    def slug(self) -> str:
        """ASCII, URL-safe and stable: the document's permanent address."""
        return slug_of(self.text)

    @property
    def period(self) -> tuple:
        """What the serial counts within: same code, category, year (and month, if the scheme has
        one)."""
        return self.org_code, self.category, self.year, self.month


class IndexScheme:
    """One numbering scheme: parses, checks and makes 索引号 of its form."""

    def __init__(self, pattern: str = DEFAULT_SCHEME, categories: tuple[str, ...] = ()):
        self.pattern = pattern
        self.categories = tuple(categories)
        self.has_month = "{mm}" in pattern
        self.serial_width = 0
        parts, position = [], 0
        for match in FIELD.finditer(pattern):
            parts.append(re.escape(pattern[position : match.start()]))
            name = match.group(1)
            if name == "code":
                parts.append(rf"(?P<code>{USCC_RE}|{ORG_CODE_RE})")
            elif name == "yyyy":
                parts.append(r"(?P<year>\d{4})")
            elif name == "mm":
                parts.append(r"(?P<month>\d{2})")
            elif name == "category":
                choices = (
                    "|".join(re.escape(c.upper()) for c in self.categories) or r"[0-9A-Z]{1,12}"
                )
                parts.append(rf"(?P<category>{choices})")
            else:
                self.serial_width = len(name)
                parts.append(rf"(?P<serial>\d{{{len(name)}}})")
            position = match.end()
        parts.append(re.escape(pattern[position:]))
        self.regex = re.compile("^" + "".join(parts) + "$")

    @property
    def key(self) -> tuple:
        """Two schemes with the same key number documents alike."""
        return self.pattern, self.categories

    def problem(self) -> str | None:
        """Why the pattern cannot number documents, in Chinese; None when it can."""
        names = FIELD.findall(self.pattern)
        if re.search(r"[{}]", FIELD.sub("", self.pattern)):
            return (
                f"索引号规则“{self.pattern}”中有不认识的写法：只能用 {{code}}、{{yyyy}}、{{mm}}、"
                "{category}、{nnnnn}"
            )
        for needed, label in (("code", "{code}（机构代码）"), ("yyyy", "{yyyy}（年份）")):
            if names.count(needed) != 1:
                return f"索引号规则“{self.pattern}”要有且只有一个 {label}"
        if sum(1 for n in names if n.startswith("n")) != 1:
            return f"索引号规则“{self.pattern}”要有且只有一个流水号，例如 {{nnnnn}}（5 位）"
        return None

    def parse(self, text: str) -> IndexNumber | None:
        match = self.regex.match(text)
        if not match:
            return None
        month = int(match["month"]) if self.has_month else 0
        if self.has_month and not 1 <= month <= 12:
            return None
        category = match.groupdict().get("category") or ""
        return IndexNumber(
            match["code"], int(match["year"]), month, int(match["serial"]), category, text
        )

    def make(
        self, code: str, year: int, month: int, serial: int, category: str = ""
    ) -> IndexNumber:
        values = {"code": code, "yyyy": f"{year:04d}", "mm": f"{month:02d}", "category": category}
        text = FIELD.sub(
            lambda m: values.get(m.group(1)) or f"{serial:0{len(m.group(1))}d}", self.pattern
        )
        return IndexNumber(code, year, month if self.has_month else 0, serial, category, text)

    def form(self, code: str = "003186641") -> str:
        """The form in words, for messages: 机构代码/年份月份-5位流水号，例如 …"""
        words = {"code": "机构代码", "yyyy": "年份", "mm": "月份", "category": "分类"}
        text = FIELD.sub(
            lambda m: words.get(m.group(1)) or f"{len(m.group(1))}位流水号", self.pattern
        )
        return f"{text}，例如 {self.example(code)}"

    def example(self, code: str = "003186641") -> str:
        category = self.categories[0] if self.categories else "ZC"
        return self.make(code, 2015, 3, 12, category).text


DEFAULT = IndexScheme()
EXAMPLE = DEFAULT.example()
FORM = DEFAULT.form()


def slug_of(text: str) -> str:
    """A 索引号's address: lower case, every run of other characters one hyphen."""
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-")


def parse(text: str) -> IndexNumber | None:
    """Parse a normalised index number of the default scheme; None if it is not of that form."""
    return DEFAULT.parse(text)


def org_code_check_char(first8: str) -> str:
    """GB 11714 check character for a 组织机构代码."""
    total = sum(int(ch, 36) * w for ch, w in zip(first8, _ORG_WEIGHTS))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character for a 统一社会信用代码."""
    total = sum(USCC_CHARS.index(ch) * w for ch, w in zip(first17, _USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def code_problem(code: str) -> str | None:
    """Why an organisation code is invalid, in Chinese; None when it is valid."""
    if re.fullmatch(ORG_CODE_RE, code):
        if org_code_check_char(code[:8]) != code[8]:
            return f"组织机构代码 {code} 的校验位应为 {org_code_check_char(code[:8])}"
        return None
    if re.fullmatch(USCC_RE, code):
        if uscc_check_char(code[:17]) != code[17]:
            return f"统一社会信用代码 {code} 的校验位应为 {uscc_check_char(code[:17])}"
        return None
    return f"{code} 既不是 9 位组织机构代码，也不是 18 位统一社会信用代码"
