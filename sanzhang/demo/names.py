"""Plausible, deterministic Chinese personal data for the demo county (all of it invented)."""

from __future__ import annotations

import datetime
import random

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严赖"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红梅鑫波斌宇浩凯健俊帆帅旭宁龙林欣"
    "佳怡子涵晨阳雨婷思雪文博志远建国建华春生秋菊冬梅海燕金凤德福永康长青新民小东晓辉丹琳"
)
PHONE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "157",
    "158",
    "159",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)
AREA_CODE = "361030"  # 广昌县
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))
    return rng.choice(SURNAMES) + given


def phone(rng: random.Random) -> str:
    return rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def id_number(
    rng: random.Random, birth: datetime.date, male: bool, taken: set[str] | None = None
) -> str:
    """A valid ID number; with `taken`, one not in it (and added to it): real numbers are
    unique, and the register finds people by them. Stepping to the next free sequence draws
    nothing more from `rng`, so the rest of the demo stays as it was."""
    sequence = rng.randrange(500) * 2 + (1 if male else 0)
    while True:
        body = f"{AREA_CODE}{birth:%Y%m%d}{sequence:03d}"
        total = sum(int(digit) * weight for digit, weight in zip(body, ID_WEIGHTS, strict=True))
        number = body + ID_CHECK[total % 11]
        if taken is None or number not in taken:
            break
        sequence = (sequence + 2) % 1000
    if taken is not None:
        taken.add(number)
    return number


def birth_date(rng: random.Random, oldest: int = 1935, youngest: int = 2020) -> datetime.date:
    year = rng.randint(oldest, youngest)
    return datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
