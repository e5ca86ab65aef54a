"""索引号 (index number): the Anhui form ``<organisation code>/<YYYYMM>-<NNNNN>``.

The organisation code is the 9-character 组织机构代码 (GB 11714, older documents)
or the 18-character 统一社会信用代码 (GB 32100, newer documents).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ORG_CODE_RE = r"[0-9A-Z]{8}[0-9X]"
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_RE = rf"[{USCC_CHARS}]{{18}}"
INDEX_RE = re.compile(rf"^(?P<org>{USCC_RE}|{ORG_CODE_RE})/(?P<year>\d{{4}})(?P<month>\d{{2}})-(?P<serial>\d{{5}})$")

EXAMPLE = "003186641/201503-00012"
FORM = "机构代码/年月-五位流水号，例如 " + EXAMPLE

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@dataclass(frozen=True)
class IndexNumber:
    """A parsed 索引号."""

    org_code: str  # 机构代码
    year: int
    month: int
    serial: int  # 流水号

    def __str__(self) -> str:
        return f"{self.org_code}/{self.year:04d}{self.month:02d}-{self.serial:05d}"

    @property
    def slug(self) -> str:
        """ASCII, URL-safe and stable: the document's permanent address."""
        return str(self).replace("/", "-").lower()


def parse(text: str) -> IndexNumber | None:
    """Parse a normalised index number; None if it is not of the Anhui form."""
    match = INDEX_RE.match(text)
    if not match:
        return None
    month = int(match["month"])
    if not 1 <= month <= 12:
        return None
    return IndexNumber(match["org"], int(match["year"]), month, int(match["serial"]))


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
