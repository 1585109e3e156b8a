"""Chinese text to features: character bigrams (plus whole Latin words).

Character n-grams (unigrams and bigrams) need no dictionary and cost nothing at start-up, unlike a word segmenter that
builds its dictionary in every new process (see the README's benchmark notes). Bigrams carry most
of what two-character Chinese words carry, and a statement in the client's words shares many of
them with the catalog's own client phrasings.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from operator import add
from typing import Callable

# Bigrams that only carry how people talk, not what they need.
STOP_GRAMS = frozenset("""
我们 你们 他们 咱们 自己 希望 想让 想要 能不能 不能 能否 可以 一下 一些 一个 这个 那个 什么 怎么 怎样
时候 的时 候能 的话 就是 还是 但是 因为 所以 如果 现在 每次 经常 总是 老是 有没 没有有 一直 已经 这些
那些 还有 比较 非常 特别 太多 很多 有些 或者 而且 然后 以后 之后 之前 的人 的事 们的 我的 了一 一下子
能让 让他 让我 帮我 给我 我想 想把 想在 最好 问题 方面 公司 我们的 单位
""".split())

_LATIN = re.compile(r"[a-z0-9]+")
_CJK = re.compile(r"[\u3400-\u9fff]+")


_WIFI = re.compile(r"wi[-\s·]?fi")  # Wi-Fi, WI FI, wi·fi: one word, as the need words write it


# Words whose characters, read across their own boundary, spell a need word of another sense (电视|频道 holds
# 视频, 电视台 no video call): a space keeps the need word from being found there. One table, longest first.
SPLIT_WORDS: dict[str, str] = {"电视频道": "电视 频道", "电视频": "电视 频"}
_SPLIT = re.compile("|".join(sorted(map(re.escape, SPLIT_WORDS), key=len, reverse=True)))
# 专线 after a kind of transport (货运专线, 客运专线, 驳船专线, 物流专线) is a scheduled route for goods or people,
# no data line: it is read as 班线, the transport word for it, so neither the need word nor the phrasings'
# 专线 meet it.
_ROUTE = re.compile(r"(?<=货运|客运|快运|航运|物流|班车|公交|驳船|船运|运输|旅游|冷链)专线")


def normalize(text: str) -> str:
    text = _WIFI.sub("wifi", unicodedata.normalize("NFKC", text).casefold())
    if "专线" in text:
        text = _ROUTE.sub("班线", text)
    return _SPLIT.sub(lambda m: SPLIT_WORDS[m.group(0)], text) if "电视频" in text else text


# Cantonese function words -> Mandarin, for the matcher's copy of a statement only (the documents
# quote the client's own words). Longest first; 系 is left out (系统, 联系, 系安全带 are Mandarin).
CANTONESE: dict[str, str] = {
    "有冇": "有没有", "冇得": "不能", "冇": "没有", "唔得": "不行", "唔该": "谢谢", "唔": "不",
    "屋企": "家里", "啲": "些", "嘅": "的", "喺": "在", "睇下": "看看", "睇": "看", "咗": "了",
    "点样": "怎么", "点解": "为什么", "边度": "哪里", "边个": "谁", "乜嘢": "什么", "咩": "什么",
    "讲嘢": "说话", "嘢": "东西", "搞掂": "搞定", "佢哋": "他们", "我哋": "我们", "你哋": "你们", "佢": "他",
    "几多": "多少", "成日": "经常", "而家": "现在", "揾": "找", "畀": "给",
    "俾": "给", "攞": "拿", "嗰度": "那里", "呢度": "这里", "嗰": "那", "呢个": "这个", "日日": "每天",
    "琴日": "昨天", "听日": "明天", "倾偈": "聊天",
    # 边 is 哪 only after these (旁边, 周边, 河边 are Mandarin); 打唔入 is 打不进; 一个钟 is an hour
    # (边条, 返工, 蚊子 are Mandarin too, so only 十蚊, 百蚊 … are 块)
    "去到边": "去到哪", "喺边": "在哪", "边间": "哪间", "边架": "哪辆", "边位": "哪位",
    "边处": "哪里", "咗去边": "了去哪", "咗边": "了哪里", "唔知": "不知道", "打唔入": "打不进", "入唔到": "进不去", "一次过": "一次性", "咁": "这样",
    "仲有": "还有", "仲要": "还要", "仲想": "还想", "嚟": "来", "揸车": "开车", "返嚟": "回来",
    "返去": "回去", "放工": "下班", "几点返工": "几点上班", "返工时间": "上班时间", "个钟头": "个小时", "个钟": "个小时",
    "十蚊": "十块", "百蚊": "百块", "千蚊": "千块", "万蚊": "万块", "几蚊": "几块",
    # Teochew and Hakka (阮 we, 伊 he, 无在 not in, 涯兜 we, 毋 not; 看得着 is 看得到 in both)
    "阮": "我们", "伊讲": "他说", "无在": "不在", "涯兜": "我们", "𠊎兜": "我们", "毋知": "不知道", "毋": "不",
    "看得着": "看得到", "睇得着": "看得到", "晓得": "知道", "看不着": "看不到", "睇唔着": "看不到",
    # where, watching and moving (入嚟 comes in, 入面 inside, 睇住 watching, 企喺度 standing there, 行过去 walks
    # over, 袋住 carrying), at once (即刻), cannot get through or in (拨唔入, 落唔到)
    "入嚟": "进来", "入面": "里面", "睇住": "看着", "企喺度": "站在那里", "喺度": "在这里", "行过去": "走过去",
    "行过嚟": "走过来", "袋住": "带着", "即刻": "马上", "拨唔入": "拨不进", "唔入": "不进", "落唔到": "下不了",
    "落单": "下单", "唔使": "不用",
    "听电话": "接电话", "行开": "走开", "唔记得": "忘了", "睇实": "盯着", "搵": "找",
    "返公司": "回公司", "返总部": "回总部", "上唔到网": "上不了网", "冇人应": "没人接", "系咪": "是不是",
    "点知": "怎么知道", "告伊": "告他", "啱啱": "刚刚", "嗰阵": "那时", "落雨": "下雨", "唔识": "不会",
    # Teochew, Minnan and Hakka words no Mandarin text has (甚物 what, 无法度 no way, 知影 know, 厝 home, 伊人 he,
    # 无人晓 nobody knows, 时时知 always know, 贵过头 too dear); Cantonese 撳 press, 边部 which one, 今日 today
    "甚物": "什么", "啥物": "什么", "无法度": "没办法", "知影": "知道", "在厝": "在家", "厝里": "家里", "厝内": "家里",
    "伊人": "他", "无人晓": "没人知道", "无人知": "没人知道", "时时知": "随时知道", "贵过头": "太贵",
    "撳": "按", "毋使": "不用", "开得着": "能开", "边部": "哪部", "今日": "今天",
    # Cantonese 得 before a count is 只有 (得一条电话线)
    "得一条": "只有一条", "得一部": "只有一部", "得一间": "只有一间", "得一台": "只有一台", "得一个号": "只有一个号",
    # 仲 is 还 before a negation or 系 (仲未入 not yet in, 仲冇, 仲系 still is; 仲裁 is Mandarin), and 系 is 是 after
    # these (已经系你们的短号, 都系, 唔系; 系统, 联系 stay)
    "仲未": "还没", "仲冇": "还没有", "仲系": "还是", "已经系": "已经是", "都系": "都是", "唔系": "不是", "就系": "就是",
}
_CANTONESE = re.compile("|".join(sorted(map(re.escape, CANTONESE), key=len, reverse=True)))
# Teochew 甲 is 和 (温度甲时间, 办公室甲手机), except in Mandarin words (甲方, 甲级, 指甲, 装甲 …)
_JIA = re.compile(r"(?<=[\u3400-\u9fff])(?<![指盔装铠龟美山花])甲(?=[\u3400-\u9fff])(?![方级醛等类乙午板鱼壳虫状子骨苯烷醇肝流天基型])")
# Teochew and Hakka 个 is 的 (每只缸个温度, 山上个药): read so only when the statement speaks either
_SOUTHERN = re.compile(r"阮|(?<![天生])涯|𠊎|毋|伊讲|伊人|甚物|啥物|无法度|知影|厝")
_GE = re.compile(r"(?<![0-9一二三四五六七八九十两几这那哪每各整半某单多好个挨逐百千万数找请买装拉打发开搞弄做换招雇配加办写建设要有是])个(?![个人月钟小])")


# Teochew and Hakka 欲 is 想 (阮欲申请), 寻 is 找 (寻谁人盖章): read so only when the statement speaks either
_YU = re.compile(r"(?<![食情贪私畅随求爱色物])欲(?![望念速])")
_XUN = re.compile(r"(?<![搜追探找])寻(?![找常求觅味访])")
# Teochew, Minnan and Hakka 伊 is 他 (伊回来才签得到, 伊今日跑了几个点), 无人 is 没人 (无人接): read so only when the
# statement or its client speaks either; Mandarin names keep theirs (伊利, 伊朗, 木乃伊, 无人机)
_YI = re.compile(r"(?<![木乃莱])伊(?![利朗拉斯始犁春宁甸丽妹人])")
_WUREN = re.compile(r"无人(?![机驾])")
# Cantonese and Hakka 同 is 跟 before someone spoken to (发短信同老客户讲…); Mandarin words keep theirs (同事, 同一 …)
_TONG = re.compile(r"(?<![共相一等如不会])同(?![事学行一时样意步期比等类款城乡年龄级伴胞])(?=[^，。；！？,;!?]{1,8}?(讲|说))")


def speaks_southern(text: str) -> bool:
    """Whether a text speaks Teochew, Minnan or Hakka-flavoured Chinese (阮, 𠊎, 毋, 甚物, 厝, 温度甲时间 …)."""
    return _SOUTHERN.search(text) is not None or _JIA.search(text) is not None


def mandarin(text: str, southern: bool = False) -> str:
    """A statement with Cantonese (or Teochew, Hakka) function words put in Mandarin (有冇人帮我们 ->
    有没有人帮我们), so the need words and phrasings, written in Mandarin, meet it. The southern readings
    (个 的, 欲 想, 寻 找, 伊 他, 甲 和) apply when the statement speaks so, or ``southern``: its client does
    in other statements (a client who writes 阮 in one writes 欲 in the next without it)."""
    southern = southern or speaks_southern(text)
    text = _CANTONESE.sub(lambda m: CANTONESE[m.group(0)], text)
    if "同" in text and "讲" in text:
        text = _TONG.sub("跟", text)
    if southern:
        text = _YU.sub("想", _XUN.sub("找", _GE.sub("的", _JIA.sub("和", text))))
        text = _WUREN.sub("没人", _YI.sub("他", text))
    return text


def grams(text: str) -> tuple[str, ...]:
    """The features of a text: CJK characters and character bigrams, Latin words and numbers.

    Single characters let 签批 meet 审批 and 签字; IDF keeps the common ones from counting much.
    Each feature once, sorted: sums over a text's features then add in the same order in every
    process (a set's order follows the per-process string hash), so scores are the same to the
    last bit from run to run, and an index stored by one run is exactly the one another builds.
    """
    text = normalize(text)
    out: set[str] = set(_LATIN.findall(text))
    for run in _CJK.findall(text):
        out.update(run)
        out.update(map(add, run, run[1:]))  # the bigrams, in order
    return tuple(sorted(out - STOP_GRAMS))


CUE_GAP = 8  # how many characters a "*" in a cue may stand for


@lru_cache(maxsize=4096)
def _cue_test(cue: str) -> Callable[[str], bool]:
    """Whether a normalised text holds the cue: a substring test for a cue without "*" (most of
    them; compiling each as a pattern was a tenth of a one-proposal run), else its pattern's search."""
    parts = normalize(cue).split("*")
    if len(parts) == 1:
        literal = parts[0]
        return lambda text: literal in text
    pattern = re.compile(f".{{0,{CUE_GAP}}}?".join(re.escape(part) for part in parts))
    return lambda text: pattern.search(text) is not None


def contains(text: str, cue: str) -> bool:
    """Whether a cue occurs in a text (after width/case folding).

    A ``*`` in the cue stands for up to eight characters, so ``找*供应商`` meets
    “找一家便宜点的供应商” but not “供应商交货全靠电话催”.
    """
    return _cue_test(cue)(normalize(text))


class CueFinder:
    """Which of many cues occur in a text, as :func:`contains` decides, testing only likely ones.

    Each cue is filed under the first one or two characters of its longest literal part, which
    any text holding the cue must contain; a text is tested only against the cues filed under its
    own characters and bigrams, so the cost follows the text, not the number of cues.
    """

    def __init__(self, cues):
        self.by_anchor: dict[str, list[str]] = {}
        self.always: list[str] = []  # cues with no literal part, e.g. "*"
        for cue in dict.fromkeys(cues):
            parts = [part for part in normalize(cue).split("*") if part]
            if parts:
                self.by_anchor.setdefault(max(parts, key=len)[:2], []).append(cue)
            else:
                self.always.append(cue)

    def found(self, text: str) -> set[str]:
        text = normalize(text)
        anchors = self.by_anchor.keys() & {*text, *map(add, text, text[1:])}
        tried = [cue for anchor in anchors for cue in self.by_anchor[anchor]] + self.always
        return {cue for cue in tried if _cue_test(cue)(text)}
