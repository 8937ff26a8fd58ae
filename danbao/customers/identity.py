"""Identity codes: the unified social credit code (统一社会信用代码, GB 32100-2015) and the resident
identity card number (公民身份号码, GB 11643-1999), plus masking for lists and exports.

Pure functions, no database. See ../shared/domain/regulation.md §9 for the rules and the caveats of
python-stdnum that this module works around:

* ``stdnum.cn.uscc`` refuses valid codes whose first 8 characters are not all digits (N… rural
  collective organisations, Y… others), so the checksum is computed here;
* ``stdnum.cn.ric`` looks the area code up in its own table, so a new or abolished county fails; here
  the checksum and the birth date decide validity and an unknown area is only a warning.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

__all__ = [
    "USCC_ALPHABET",
    "IdentityCheck",
    "check_ric",
    "check_uscc",
    "mask_mobile",
    "mask_ric",
    "mask_uscc",
    "ric_check_char",
    "uscc_check_char",
]


@dataclass(frozen=True)
class IdentityCheck:
    """Result of checking one code. ``normalized`` is the cleaned code (upper case, no spaces; a
    15-digit ID number upgraded to 18 digits) even when invalid, so a form can show it back."""

    valid: bool
    normalized: str
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    info: dict = field(default_factory=dict)


def _clean(value: str | None) -> str:
    return "".join((value or "").split()).upper()


# --- 统一社会信用代码 (GB 32100-2015) ---------------------------------------------------------

# 31 symbols, no I O S V Z; value = index (A=10 … Y=30).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Weights of positions 1–17: 3^(i-1) mod 31.
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

# Position 1: 登记管理部门代码; positions 1–2: 机构类别代码 (GB 32100-2015 table 1 and 2).
USCC_AUTHORITIES = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}
USCC_ORG_TYPES = {
    "11": "机关",
    "12": "事业单位",
    "13": "中央编办直接管理机构编制的群众团体",
    "19": "其他",
    "21": "外国常驻新闻机构",
    "29": "其他",
    "31": "律师执业机构",
    "32": "公证处",
    "33": "基层法律服务所",
    "34": "司法鉴定机构",
    "35": "仲裁委员会",
    "39": "其他",
    "41": "外国在华文化中心",
    "49": "其他",
    "51": "社会团体",
    "52": "民办非企业单位",
    "53": "基金会",
    "59": "其他",
    "61": "外国旅游部门常驻代表机构",
    "62": "港澳台地区旅游部门常驻内地（大陆）代表机构",
    "69": "其他",
    "71": "宗教活动场所",
    "72": "宗教院校",
    "79": "其他",
    "81": "工会",
    "89": "其他",
    "91": "企业",
    "92": "个体工商户",
    "93": "农民专业合作社",
    "A1": "军队事业单位",
    "A9": "其他",
    "N1": "集体经济组织",
    "N2": "农民专业合作社",
    "N3": "农村集体经济组织",
    "N9": "其他",
    "Y1": "其他",
}

# Embedded 组织机构代码 (GB 11714-1997): weights of its first 8 characters.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def uscc_check_char(body: str) -> str:
    """Check character for the first 17 characters of a credit code (all in USCC_ALPHABET)."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _org_code_check(code8: str) -> str | None:
    """Check character of a 9-character organisation code from its first 8 characters."""
    if any(c not in _ORG_ALPHABET for c in code8):
        return None
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(code8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def check_uscc(code: str | None) -> IdentityCheck:
    """Validate a unified social credit code. Errors make it invalid; a mismatching embedded
    organisation code (positions 9–17) is only a warning, since not every issuer followed GB 11714."""
    normalized = _clean(code)
    errors: list[str] = []
    warnings: list[str] = []
    if not normalized:
        return IdentityCheck(False, normalized, (_("Enter the unified social credit code."),))
    if len(normalized) != 18:
        errors.append(_("A unified social credit code has 18 characters; this one has %(n)d.") % {"n": len(normalized)})
        return IdentityCheck(False, normalized, tuple(errors))
    for pos, ch in enumerate(normalized, start=1):
        if ch not in USCC_ALPHABET:
            errors.append(
                _("Character %(pos)d (“%(ch)s”) is not allowed in a unified social credit code (I, O, S, V and Z are never used).")
                % {"pos": pos, "ch": ch}
            )
    if errors:
        return IdentityCheck(False, normalized, tuple(errors))
    region = normalized[2:8]
    if not region.isdigit():
        errors.append(_("Characters 3–8 must be the 6-digit region code of the registration authority."))
    expected = uscc_check_char(normalized[:17])
    if normalized[17] != expected:
        errors.append(
            _("The check character (the 18th) is wrong: expected “%(expected)s”, found “%(found)s”. Check the code for a typing error.")
            % {"expected": expected, "found": normalized[17]}
        )
    org = normalized[8:17]
    org_check = _org_code_check(org[:8])
    if org_check is not None and org_check != org[8]:
        warnings.append(
            _("The embedded organisation code %(org)s does not pass its own check (expected last character “%(expected)s”).")
            % {"org": org, "expected": org_check}
        )
    info = {
        "registration_authority_code": normalized[0],
        "registration_authority": USCC_AUTHORITIES.get(normalized[0], ""),
        "org_type_code": normalized[:2],
        "org_type": USCC_ORG_TYPES.get(normalized[:2], ""),
        "region_code": region,
        "organization_code": org,
    }
    return IdentityCheck(not errors, normalized, tuple(errors), tuple(warnings), info)


# --- 公民身份号码 (GB 11643-1999) --------------------------------------------------------------

# ISO 7064 MOD 11-2 weights of positions 1–17: 2^(18-i) mod 11.
RIC_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_RIC_CHECK = "10X98765432"  # check character for S mod 11 = 0 … 10


def ric_check_char(body: str) -> str:
    """Check character for the first 17 digits of an ID number."""
    total = sum(int(c) * w for c, w in zip(body, RIC_WEIGHTS, strict=True))
    return _RIC_CHECK[total % 11]


def _known_area(area: str) -> bool | None:
    """Whether python-stdnum's GB/T 2260 table knows the area code; None if it cannot tell."""
    try:
        from stdnum import numdb

        return bool(numdb.get("cn/loc").info(area)[0][1])
    except Exception:  # noqa: BLE001 - the lookup is advisory; never fail a check because of it
        return None


def check_ric(number: str | None, *, today: datetime.date | None = None) -> IdentityCheck:
    """Validate a resident ID number: 18 characters (17 digits + digit or X), a real birth date not in
    the future, the MOD 11-2 check. A 15-digit legacy number is upgraded (with a warning)."""
    normalized = _clean(number)
    today = today or datetime.date.today()
    errors: list[str] = []
    warnings: list[str] = []
    if not normalized:
        return IdentityCheck(False, normalized, (_("Enter the ID number."),))
    if len(normalized) == 15:
        if not normalized.isdigit():
            return IdentityCheck(False, normalized, (_("A 15-digit ID number must contain digits only."),))
        body = normalized[:6] + "19" + normalized[6:]
        normalized = body + ric_check_char(body)
        warnings.append(_("This is an old 15-digit ID number; it was converted to the 18-digit number %(n)s.") % {"n": normalized})
    elif len(normalized) != 18:
        return IdentityCheck(False, normalized, (_("An ID number has 18 characters; this one has %(n)d.") % {"n": len(normalized)},))
    for pos, ch in enumerate(normalized[:17], start=1):
        if not ch.isdigit() or not ch.isascii():
            errors.append(_("Character %(pos)d (“%(ch)s”) must be a digit.") % {"pos": pos, "ch": ch})
    if normalized[17] not in "0123456789X":
        errors.append(_("The last character must be a digit or X."))
    if errors:
        return IdentityCheck(False, normalized, tuple(errors), tuple(warnings))
    birth: datetime.date | None = None
    try:
        birth = datetime.date(int(normalized[6:10]), int(normalized[10:12]), int(normalized[12:14]))
    except ValueError:
        errors.append(_("Characters 7–14 (%(d)s) are not a valid birth date.") % {"d": normalized[6:14]})
    if birth is not None:
        if birth > today:
            errors.append(_("The birth date %(d)s is in the future.") % {"d": birth.isoformat()})
        elif birth.year < 1850:
            errors.append(_("The birth date %(d)s is not plausible.") % {"d": birth.isoformat()})
    expected = ric_check_char(normalized[:17])
    if normalized[17] != expected:
        errors.append(
            _("The check character (the 18th) is wrong: expected “%(expected)s”, found “%(found)s”. Check the number for a typing error.")
            % {"expected": expected, "found": normalized[17]}
        )
    region = normalized[:6]
    if not errors and _known_area(region) is False:
        warnings.append(
            _("The area code %(code)s is not in the known list of administrative divisions; check it if it was not issued recently.")
            % {"code": region}
        )
    info: dict = {"region_code": region}
    if birth is not None:
        info["birth_date"] = birth
    info["gender"] = "male" if int(normalized[16]) % 2 else "female"
    return IdentityCheck(not errors, normalized, tuple(errors), tuple(warnings), info)


# --- masking -----------------------------------------------------------------------------------


def _mask(value: str | None, head: int, tail: int, *, fixed: int | None = None) -> str:
    s = _clean(value)
    if not s:
        return ""
    if len(s) <= head + tail:
        return "*" * len(s)
    stars = fixed if fixed is not None else len(s) - head - tail
    return s[:head] + "*" * stars + s[len(s) - tail :]


def mask_ric(number: str | None) -> str:
    """``110105194912310021`` → ``110***********0021`` (first 3, last 4)."""
    return _mask(number, 3, 4)


def mask_mobile(mobile: str | None) -> str:
    """``13800000011`` → ``138****0011``."""
    return _mask(mobile, 3, 4)


def mask_uscc(code: str | None) -> str:
    """``91110000600037341L`` → ``911100***341L`` (first 6, ``***``, last 4)."""
    return _mask(code, 6, 4, fixed=3)
