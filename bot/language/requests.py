"""Explicit requests to switch language: "English please", "请说中文", "¿hablas español?".

The names of the languages come from CLDR (Babel): each supported language named in each
supported language (plus traditional Chinese and the language's own name), with the forms
grammar derives from them ("по-русски", "na русском", "po polsku", "بالعربي", "英文"), plus a
few colloquial names CLDR does not list (普通话, castellano, 한국말...).  Languages served by
machine translation can be asked for the same way ("svenska please").

A name counts as a request when the rest of the message is request words only ("English?",
"auf Deutsch bitte", "can you speak english") or when a request word stands next to it
("hi, my order is late, can you answer in English"): "my Spanish guitar arrived broken" and
"I ordered an English dictionary" are not requests, nor is "I don't speak English".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from bot.language.codes import SUPPORTED

# Languages outside the 14 that customers can ask for (replies are machine-translated).
OTHER_TARGETS = (
    "sv", "fi", "da", "no", "cs", "sk", "hu", "ro", "bg", "hr", "sr", "sl", "uk", "el", "he",
    "fa", "ur", "hi", "bn", "th", "vi", "id", "ms", "tl", "ca", "lt", "lv", "et",
)  # fmt: skip
# How far (in words) a request word may stand from the language name.
WINDOW = 3

# Names CLDR does not give (colloquial, or without accents as typed).
_COLLOQUIAL = {
    "zh": "中文 汉语 漢語 普通话 普通話 国语 國語 华语 華語 中国话 中國話 "
    "mandarin mandarín mandarim mandarino",
    "en": "英文 inglese",
    "es": "castellano 西语 西語",
    "ko": "한국말 한글 韩文 韓文",
    "ja": "にほんご 日文",
    "ar": "عربي العربي",
    "nl": "hollands holandés holländisch",
    "tr": "터키어 türkisch",
    "ru": "по-русски русском",
    "id": "bahasa",
    "no": "bokmål",
}
# Names that are also ordinary words or country names: kept out of the table.
_NOT_NAMES = frozenset({"indonesia", "malay", "melayu"})

# Words that ask for a language (verbs of speaking, writing, answering, switching; "please").
_CUES = """
    speak speaks speaking talk talking reply respond answer write chat continue switch change
    translate understand please pls plz language
    habla hablas hablan hablar hable hablame hablen escribe escribir escribeme responde responder
    contesta contestar cambia cambiar idioma lengua favor porfa entiendes entiende
    parle parles parlez parler ecrire ecrivez ecris repondre repondez changer passer langue plait
    svp stp comprenez
    sprechen sprichst spricht sprecht schreiben schreib schreibt antworten antworte wechseln
    umstellen sprache bitte verstehen verstehst
    fala falar falam fale falem escreve escrever escreva responda mudar trocar lingua pfv
    entende
    parla parli parlare parlate parlami scrivi scrivere scrivete rispondi rispondere rispondete
    cambiare favore piacere capisci
    spreek spreekt spreken praat praten schrijf schrijven antwoord antwoorden wisselen
    overschakelen taal alstublieft alsjeblieft aub graag
    mowisz mowi mowicie mowic pisz pisac napisz napisac odpowiedz odpowiadac odpisz zmien
    zmienic jezyk jezyku prosze rozmawiac
    говорите говоришь говорить говорит пишите напишите писать ответьте отвечаите переидите
    переити переключите давайте язык языке пожалуиста общаться
    konus konusun konusur konusabilir konusalim konusuyor yaz yazin yazar cevap yanit degistir
    dil dilinde lutfen biliyor
    تكلم تتكلم تتكلمون تكلمني كلمني تحكي تحكون احكي اكتب اكتبلي رد ردوا الرد جاوب تجاوب لغة
    اللغة باللغة فضلك سمحت تعرف
    说 讲 說 講 用 请 請 回复 回復 回答 交流 沟通 溝通 聊 聊天 改成 换成 換成 切换 切換 懂 麻烦 麻煩
    話せ 話して 話す 話せますか 話せる お願いします おねがいします お願い 願います ください 下さい
    対応 返信 返事 書いて 切り替え 変えて 可能 できますか 出来ますか わかりますか 分かりますか
    말해 말해주세요 말씀해 말씀해주세요 해주세요 해줘 해 부탁해요 부탁드립니다 부탁합니다 답변
    대답 바꿔 바꿔주세요 대화 얘기 말
"""
# Other words a bare request is made of ("can you ... in ...", "hi", "ok").
_FILLERS = """
    can could would will you u do does is are there anyone someone somebody who in to with me i
    we us want wanna like prefer need ok okay hi hello hey thanks thank the a an lets let s use
    from now on only agent person human support help
    en puedes puede pueden podemos usted tu alguien que quien hay me yo quiero prefiero por hola
    si vale gracias al a con el la de ahora mejor
    vous est ce quelqu'un quelqu un qui je voudrais veux prefere pourriez pouvez peux il merci
    bonjour oui d'accord le une un maintenant
    auf sie du konnen kannst konnten jemand der die ich mochte hatte gern gerne hallo ja danke
    mit mir uns das jetzt
    em voce vc pode podem alguem quero prefiro obrigado ola oi sim comigo agora
    puoi puo potete qualcuno che voglio vorrei preferisco per ciao grazie ora
    het je jij kunt kun kan iemand ik wil liever hoi dank bedankt mij nu
    w czy pan pani mozesz mozecie moze ktos kto chce wole czesc tak dziekuje ze mna mi teraz
    на по вы ты можете можешь можно кто-нибудь нибудь кто хочу мне со мнои здравствуите привет
    да ок спасибо теперь
    mi mu musunuz misiniz musun misin biri birisi var istiyorum tercih merhaba evet tamam
    tesekkurler benimle olarak ile simdi
    هل ممكن احد في انا اريد ابغى ابي ودي مرحبا السلام عليكم نعم تمام شكرا معي لو من
    吗 嗎 吧 呢 会 會 可以 能 能不能 可不可以 会不会 會不會 有没有人 有沒有人 有人 我要 我想
    想要 我 你 您 好吗 好嗎 谢谢 謝謝 你好 您好 在吗 在嗎 一下 跟 和 我们 我們 说话 說話 讲话 講話
    的 人 客服 好 行
    请问 請問 嗯 哦 改 成 换 換 到 吧
    で を に は が か ですか すみません こんにちは お 私 もらえますか できる ね よ の 方 ありがとう
    로 으로 로요 요 는 은 도 좀 저 제가 저랑 네 안녕하세요 감사합니다 수 있나요 있어요 되나요 돼요
    가능 가능한가요 가능해요 할 줄 아세요 알아요 하시는 분 주세요 해요 하실
"""
# Words before a name that deny the request ("I don't speak English", "no hablo inglés").
_NEGATIONS = """
    not no dont don didnt didn cant cannot never doesnt doesn t ni nunca pas ne jamais nicht kein
    keine nie nao nunca non mai niet geen nooit не нет degil hayir لا ما مش مو 不 没 沒 别 別 不会 不會
"""
# The same after the name, in languages that put it there ("日本語話せない", "영어 못해요").
_NEGATIONS_AFTER = frozenset({"ない", "ません", "못", "못해요", "몰라요", "안", "不会", "不會"})
# Words that begin with a name but are not requests ("中文版" Chinese edition, "说明书" manual).
_NOT_REQUESTS = "说明 说明书 說明 說明書 用户 用戶 用法 使用 讲解 講解 版 字幕"

_SPACE_FREE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u3130-\u318f]")
_WORD = re.compile(r"[^\W\d_]+")
_KEEP_MARKS = {"\u3099", "\u309a"}  # kana voicing marks: で is not て


def _fold(text: str) -> str:
    """Lower case without accents ("Türkçe" -> "turkce", "inglés" -> "ingles", "الإنجليزية"
    -> "الانجليزية"), kana and Hangul unchanged."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ı", "i").replace("ł", "l"))
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch) or ch in _KEEP_MARKS)
    return unicodedata.normalize("NFC", kept)


@dataclass(frozen=True)
class _Tables:
    names: dict[tuple[str, ...], str]  # folded token sequence -> language
    longest: int  # longest name, in tokens
    vocabulary: dict[str, tuple[str, ...]]  # space-free words by first character, longest first
    cues: frozenset[str]
    fillers: frozenset[str]
    negations: frozenset[str]


def _derived(name: str, display: str) -> set[str]:
    """Forms grammar makes of a CLDR name: "русский" -> "по-русски", "на русском";
    "polski" -> "po polsku", "polskim"; "العربية" -> "عربي", "بالعربية", "بالعربي";
    "英语" -> "英文"; "英語" (ja) stays."""
    forms = {name}
    lower = name.lower()
    if display in ("ru", "uk") and lower.endswith(("ский", "цкий", "ський", "цький")):
        stem = lower[:-2]
        forms |= {f"по-{stem}и", f"на {stem}ом", f"{stem}ом"}
    if display == "uk" and lower.endswith(("ська", "цька")):
        forms |= {lower[:-1] + "ою"}
    if display == "pl" and lower.endswith(("ski", "cki", "zki")):
        forms |= {f"po {lower[:-1]}u", lower + "m"}
    if display == "ar" and name.startswith("ال"):
        stem = name[2:]
        adjective = stem[:-1] if stem.endswith("ة") else stem
        forms |= {"ب" + name, adjective, "بال" + adjective, "ال" + adjective}
    if display.startswith("zh") and name.endswith(("语", "語")):
        forms.add(name[:-1] + "文")
    return forms


def _tokenize(text: str, vocabulary: dict[str, tuple[str, ...]]) -> list[str]:
    """Folded words ("parlez-vous" and "s'il" are two each); runs of Han, kana and Hangul are
    cut into known words (longest first), other characters of those runs standing alone."""
    tokens: list[str] = []
    for word in _WORD.findall(_fold(text)):
        if not _SPACE_FREE.search(word):
            tokens.append(word)
            continue
        i = 0
        while i < len(word):
            for known in vocabulary.get(word[i], ()):
                if word.startswith(known, i):
                    tokens.append(known)
                    i += len(known)
                    break
            else:
                # Unknown: a Latin/Cyrillic stretch stays whole, a CJK character stands alone.
                j = i + 1
                if not _SPACE_FREE.match(word[i]):
                    while j < len(word) and not _SPACE_FREE.match(word[j]):
                        j += 1
                tokens.append(word[i:j])
                i = j
    return tokens


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    # Through Locale, never `localedata.load(merge_inherited=False)`: Babel caches what that
    # loads, and every later Locale of that language would lack its inherited data (currency
    # symbols: "24,90 EUR" instead of "24,90 €").  About a second, once, in warm_up().
    def names_in(display: str) -> dict[str, str]:
        try:
            return dict(Locale.parse(display).languages)
        except (UnknownLocaleError, ValueError):
            return {}

    displays = {display: names_in(display) for display in (*SUPPORTED, "zh_Hant")}
    raw: dict[str, set[str]] = {}
    for target in (*SUPPORTED, *OTHER_TARGETS):
        forms: set[str] = set()
        babel_target = {"no": "nb", "tl": "fil"}.get(target, target)
        own = displays.get(target) or names_in(target) or names_in(babel_target)
        sources = {**displays, babel_target: own}
        for display, names in sources.items():
            name = names.get(target) or names.get(babel_target)
            if name:
                forms |= _derived(name, display)
        forms |= set(_COLLOQUIAL.get(target, "").split())
        raw[target] = {form for form in forms if _fold(form) not in _NOT_NAMES}

    cue_words = {_fold(word) for word in _CUES.split()}
    filler_words = {_fold(word) for word in _FILLERS.split()}
    negations = {_fold(word) for word in _NEGATIONS.split()}
    space_free = cue_words | filler_words | negations | _NEGATIONS_AFTER | set(_NOT_REQUESTS.split())
    for forms in raw.values():
        for form in forms:
            folded = _fold(form)
            if _SPACE_FREE.search(folded):
                space_free.add(folded)
                # "中文版" (Chinese edition) is one word, not the name "中文" and "版".
                space_free |= {folded + suffix for suffix in _NOT_REQUESTS.split()}
    by_first: dict[str, list[str]] = {}
    for word in sorted((w for w in space_free if _SPACE_FREE.search(w)), key=len, reverse=True):
        by_first.setdefault(word[0], []).append(word)
    vocabulary = {first: tuple(words) for first, words in by_first.items()}

    names: dict[tuple[str, ...], str] = {}
    for target, forms in raw.items():
        for form in forms:
            key = tuple(_tokenize(form, vocabulary))
            # A name two languages share (e.g. "Russisch" in German and Dutch) keeps its first.
            if key and key not in names:
                names[key] = target
    return _Tables(
        names=names,
        longest=max(len(key) for key in names),
        vocabulary=vocabulary,
        cues=frozenset(cue_words),
        fillers=frozenset(filler_words),
        negations=frozenset(negations),
    )


@dataclass(frozen=True)
class _Mention:
    language: str
    start: int
    end: int  # exclusive


def _mentions(tokens: list[str], tables: _Tables) -> list[_Mention]:
    found, i = [], 0
    while i < len(tokens):
        for size in range(min(tables.longest, len(tokens) - i), 0, -1):
            language = tables.names.get(tuple(tokens[i : i + size]))
            if language:
                found.append(_Mention(language, i, i + size))
                i += size
                break
        else:
            i += 1
    return found


def _cue_next_to(tokens: list[str], mention: _Mention, tables: _Tables) -> bool:
    """A request word within WINDOW words of the name, with only request words between:
    "could you reply to me in English" yes, "the Turkish towels please" no."""
    for step, edge in ((-1, mention.start - 1), (1, mention.end)):
        i = edge
        while 0 <= i < len(tokens) and abs(i - edge) < WINDOW:
            if tokens[i] in tables.cues:
                return True
            if tokens[i] not in tables.fillers:
                break
            i += step
    return False


def _analyse(text: str) -> tuple[str | None, bool]:
    """(requested language or None, whether the message is nothing but the request)."""
    if not text or not text.strip():
        return None, False
    tables = _tables()
    tokens = _tokenize(text, tables.vocabulary)
    mentions = _mentions(tokens, tables)
    if not mentions:
        return None, False
    in_names = {i for m in mentions for i in range(m.start, m.end)}
    rest = [token for i, token in enumerate(tokens) if i not in in_names]
    only_request_words = all(token in tables.fillers or token in tables.cues for token in rest)
    chosen, previous_end = None, 0
    for mention in mentions:
        before = tokens[max(previous_end, mention.start - 2) : mention.start]
        previous_end = mention.end
        after = tokens[mention.end : mention.end + 2]
        if any(token in tables.negations for token in before) or any(t in _NEGATIONS_AFTER for t in after):
            continue
        if only_request_words or _cue_next_to(tokens, mention, tables):
            chosen = mention.language  # the last one wins: "not Spanish, English please"
    return chosen, chosen is not None and only_request_words and len(mentions) == 1


def warm_up() -> None:
    """Build the table of language names now (about a second) instead of on first use."""
    _tables()


def requested_language(text: str) -> str | None:
    """The language the customer explicitly asks for, as our code, or None.

    "English please", "can you speak english", "请说中文", "¿hablas español?", "auf Deutsch
    bitte", "по-русски пожалуйста", "日本語でお願いします", "한국어로 해주세요", "بالعربي",
    "Türkçe lütfen", "in het Nederlands", "po polsku", "svenska?" -> en zh es de ru ja ko ar tr
    nl pl sv.  Not: "my Spanish guitar arrived broken", "I don't speak English".
    """
    return _analyse(text)[0]


def is_language_request_only(text: str) -> bool:
    """True when the message is nothing but the request ("English please", "en español",
    "can you speak english?"), so the bot can just confirm the switch."""
    return _analyse(text)[1]
