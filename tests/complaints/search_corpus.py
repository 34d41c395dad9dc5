"""Generated complaint texts for the keyword search's recall test and the 100k
measurement (docs/search.md): financial words people write, common characters
between them, now and then full-width letters, digits and a phone number, so terms
of two to six characters hit anything from a handful of rows to a fifth of them."""

from __future__ import annotations

import random

WORDS = [
    "理财",
    "盗刷",
    "扣费",
    "信用卡",
    "年费",
    "贷款",
    "提前还款",
    "违约金",
    "手机银行",
    "转账",
    "征信",
    "逾期",
    "催收",
    "保险",
    "存款",
    "利息",
    "冻结",
    "吞卡",
    "柜员",
    "网点",
    "排队",
    "态度",
    "客服",
    "电话",
    "短信",
    "验证码",
    "账户",
    "基金",
    "收益",
    "亏损",
    "风险评估",
    "双录",
    "销售",
    "误导",
    "退还",
    "赔偿",
    "道歉",
    "解释",
    "核实",
    "录像",
    "凭证",
    "员工",
    "外包",
    "骚扰",
    "亲友",
    "房贷",
    "车贷",
    "利率",
    "上浮",
    "分期",
    "手续费",
    "挂失",
    "补卡",
    "密码",
    "限额",
    "跨行",
    "汇款",
    "到账",
    "延迟",
    "理财经理",
    "风险等级",
    "保本",
    "承诺",
    "宣传",
    "不符",
    "投诉",
    "处理",
    "答复",
    "满意",
]
FILLER = "的了在是我有和就不人都一个上也很到说要去你会着没看好自己这那他她们时候因为所以但是已经"
FULL_WIDTH = "ＡＢＣＡＴＭ１２３"


def text(rng: random.Random, length: int = 120) -> str:
    parts: list[str] = []
    size = 0
    while size < length:
        r = rng.random()
        if r < 0.45:
            piece = rng.choice(WORDS)
        elif r < 0.97:
            piece = "".join(rng.choice(FILLER) for _ in range(rng.randint(1, 4)))
        elif r < 0.985:
            piece = f"138{rng.randrange(10**8):08d}"
        else:
            piece = rng.choice(FULL_WIDTH) * rng.randint(1, 3)
        parts.append(piece)
        size += len(piece)
        if rng.random() < 0.1:
            parts.append(rng.choice("，。 "))
    return "".join(parts)


def terms(rng: random.Random, samples: list[str], n: int = 50) -> list[str]:
    """``n`` distinct terms of 2–6 characters: half known words, half substrings cut
    from the samples (some of which occur once or never elsewhere)."""
    chosen: list[str] = []
    words = [w for w in WORDS if 2 <= len(w) <= 6]
    while len(chosen) < n // 2:
        w = rng.choice(words)
        if w not in chosen:
            chosen.append(w)
    while len(chosen) < n:
        s = rng.choice(samples)
        k = rng.randint(2, 6)
        if len(s) <= k:
            continue
        i = rng.randrange(len(s) - k)
        t = s[i : i + k]
        if t.strip() == t and " " not in t and t not in chosen and not any(c in "，。" for c in t):
            chosen.append(t)
    return chosen
