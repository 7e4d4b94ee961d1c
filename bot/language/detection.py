"""Which language a chat message is written in.

Three kinds of evidence, strongest first:

1. The script.  Hangul is Korean, any kana is Japanese, Han without kana is Chinese (unless it
   holds Japanese-only kanji or words), Greek, Hebrew, Thai, Devanagari... name one language
   each; Arabic script is Arabic unless Persian/Urdu letters say otherwise; Cyrillic is Russian
   unless letters only Ukrainian (і ї є ґ), Belarusian, Serbian, Macedonian or Kazakh use say
   otherwise.  This fixes raw langdetect's worst chat errors (Chinese taken for Korean,
   Russian for Bulgarian).
2. For Latin-script text, langdetect's character n-gram profiles (langdetect 1.0.9, all 55
   languages, loaded once), scored exhaustively: the sum over every n-gram of
   log(P(n-gram | language) + smoothing), langdetect's own model and smoothing.  langdetect's
   `Detector` estimates the same product by random sampling (7 trials of up to 1000 draws),
   which is random unless seeded and 10-40x slower; the exhaustive sum is exact and
   deterministic (see scripts/eval_langid.py --baseline for the measured difference).
3. A lexicon of frequent chat words per supported language (greetings, thanks, yes/no,
   please, order/package/refund/broken/missing, function words), which decides one- to
   three-word messages where n-grams have too little to go on ("hola" is Welsh, "hallo"
   Finnish to raw langdetect), and the conversation's current language (`prior`), which
   wins ties and near-ties.

A language outside the 14 supported ones is named only when the n-grams are confident on a
message of several words (or its letters leave no doubt, e.g. Vietnamese tone marks).
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

from langdetect import DetectorFactory

from bot.language.codes import SUPPORTED, normalize

# langdetect's own Detector samples n-grams at random: seed it so that any use of it in this
# process (ours is exhaustive and needs no seed) gives the same answer every time.
DetectorFactory.seed = 0

DEFAULT_LANGUAGE = "en"

# Weights of the Latin-script score (in nats), from a grid search (n-gram weight 0.2-1.0 x
# lexicon weight 1.5-6) on our own ~170 tuning messages and the Tatoeba dev set; the held-out
# chat file was not used.  Only their ratio matters for the language (12-15 was best); the
# n-gram weight also scales confidences, since n-gram log-likelihoods are overconfident.
NGRAM_WEIGHT = 0.2
LEXICON_WEIGHT = 3.0  # per chat word of the language found in the message
# The conversation's language wins ties and near-ties: 1.5 made 99.7% of short Tatoeba
# sentences right with the right prior, and cost 1 point with a wrong one (2.5: 100% / 1.5).
PRIOR_WEIGHT = 1.5
# Another (not supported) language is named only if it has this probability against all the
# supported ones on a message of at least OTHER_MIN_WORDS words, or letters no supported
# language writes.  At 0.99 and 3 words no message of Tatoeba dev, our tuning set or the
# held-out chat file (8,716 in all) was misreported; 0.95 misreported 1 ("Haijo loves
# frikandels." as Norwegian) and found 6 more of our 81 other-language messages (60 vs 66).
OTHER_MIN_CONFIDENCE = 0.99
OTHER_MIN_WORDS = 3
# A weak prior for messages that fit two languages equally ("hallo": German or Dutch;
# "reembolso": Spanish or Portuguese): a quarter of the log of how many more people write the
# language online (en 1, es .6, pt .4, de .3, fr .3, it .15, tr .15, pl .1, nl .1).  It
# decides ties only: on Tatoeba dev, accuracy moved by +0.001 (a full log weight cost 0.003).
BASE_RATES = {
    "en": 0.58, "es": 0.45, "pt": 0.35, "de": 0.27, "fr": 0.27, "it": 0.1, "tr": 0.1, "pl": 0.0, "nl": 0.0,
}  # fmt: skip


@dataclass(frozen=True)
class Detection:
    """`language` is our ISO 639-1 code; `confidence` in [0, 1]; `words` counted as in
    `count_words`; `supported` is True for the 14 native languages; `script` is the script
    that decided ("latin", "han", "cyrillic", ..., "" for a message without letters)."""

    language: str
    confidence: float
    words: int
    supported: bool = True
    script: str = ""


# --------------------------------------------------------------------------------------------
# Cleaning and scripts

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Pasted HTML says nothing about the customer's language: script/style blocks and tags go.
_MARKUP = re.compile(r"<(script|style)\b.*?</\1\s*>|</?[A-Za-z][^<>]*>", re.IGNORECASE | re.DOTALL)
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_MENTION = re.compile(r"(?<!\w)@\w+")
# Order numbers, quantities, codes: ASCII letters glued to digits go with the digits
# ("SO-100231", "3x", "iPhone15"); letters of other scripts stay ("订单号SO-100231" -> "订单号").
_CODE = re.compile(r"[A-Za-z]*[\-_#/.:]?\d[\dA-Za-z\-_/#.:]*")

# (first code point, last code point, script), sorted; anything else that is a letter is "other".
_RANGES = sorted(
    [
        (0x0041, 0x005A, "latin"), (0x0061, 0x007A, "latin"), (0x00C0, 0x024F, "latin"),
        (0x1E00, 0x1EFF, "latin"), (0x0370, 0x03FF, "greek"), (0x1F00, 0x1FFF, "greek"),
        (0x0400, 0x052F, "cyrillic"), (0x0530, 0x058F, "armenian"), (0x0590, 0x05FF, "hebrew"),
        (0x0600, 0x06FF, "arabic"), (0x0750, 0x077F, "arabic"), (0x08A0, 0x08FF, "arabic"),
        (0xFB50, 0xFDFF, "arabic"), (0xFE70, 0xFEFF, "arabic"), (0x0900, 0x097F, "devanagari"),
        (0x0980, 0x09FF, "bengali"), (0x0A00, 0x0A7F, "gurmukhi"), (0x0A80, 0x0AFF, "gujarati"),
        (0x0B00, 0x0B7F, "oriya"), (0x0B80, 0x0BFF, "tamil"), (0x0C00, 0x0C7F, "telugu"),
        (0x0C80, 0x0CFF, "kannada"), (0x0D00, 0x0D7F, "malayalam"), (0x0D80, 0x0DFF, "sinhala"),
        (0x0E00, 0x0E7F, "thai"), (0x0E80, 0x0EFF, "lao"), (0x0F00, 0x0FFF, "tibetan"),
        (0x1000, 0x109F, "myanmar"), (0x10A0, 0x10FF, "georgian"), (0x1100, 0x11FF, "hangul"),
        (0x1200, 0x139F, "ethiopic"), (0x1780, 0x17FF, "khmer"), (0x3040, 0x309F, "kana"),
        (0x30A0, 0x30FF, "kana"), (0x31F0, 0x31FF, "kana"), (0x3130, 0x318F, "hangul"),
        (0x3400, 0x4DBF, "han"), (0x4E00, 0x9FFF, "han"), (0xA960, 0xA97F, "hangul"),
        (0xAC00, 0xD7AF, "hangul"), (0xF900, 0xFAFF, "han"), (0xFF66, 0xFF9F, "kana"),
        (0x20000, 0x2FFFF, "han"),
    ]
)  # fmt: skip
_STARTS = [start for start, _, _ in _RANGES]

# Scripts that name one language.
_SCRIPT_LANGUAGE = {
    "greek": "el", "hebrew": "he", "thai": "th", "bengali": "bn", "gurmukhi": "pa",
    "gujarati": "gu", "oriya": "or", "tamil": "ta", "telugu": "te", "kannada": "kn",
    "malayalam": "ml", "sinhala": "si", "lao": "lo", "tibetan": "bo", "myanmar": "my",
    "georgian": "ka", "ethiopic": "am", "khmer": "km", "armenian": "hy", "hangul": "ko",
    "kana": "ja",
}  # fmt: skip
# Scripts written without spaces: a run of n characters counts as ceil(n / chars-per-word).
_CHARS_PER_WORD = {"han": 2, "kana": 2, "thai": 4, "lao": 4, "khmer": 4, "myanmar": 4, "tibetan": 4}
# Weight of a character when choosing the main script: a Han character carries about as much
# as a short Latin word ("iPhone壳子收到是裂的" is Chinese).
_SCRIPT_WEIGHT = {"han": 3.0, "kana": 3.0, "hangul": 2.0}


_SCRIPT_OF: dict[str, str] = {}  # memo: chat uses few distinct characters


def _script(ch: str) -> str:
    script = _SCRIPT_OF.get(ch)
    if script is None:
        code = ord(ch)
        i = bisect_right(_STARTS, code) - 1
        script = _RANGES[i][2] if i >= 0 and _RANGES[i][0] <= code <= _RANGES[i][1] else "other"
        if len(_SCRIPT_OF) < 20000:
            _SCRIPT_OF[ch] = script
    return script


def strip_non_words(text: str) -> str:
    """The message without HTML markup, URLs, e-mails, @mentions, order numbers, digits, emoji and
    punctuation (apostrophes inside words are kept); runs of spaces collapsed."""
    text = unicodedata.normalize("NFC", text or "")
    text = _MARKUP.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _EMAIL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    text = _CODE.sub(" ", text)
    out = []
    for i, ch in enumerate(text):
        category = unicodedata.category(ch)
        if category[0] == "L" or category[0] == "M":
            out.append(ch)
        elif ch in "'’" and 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha():
            out.append("'")
        else:
            out.append(" ")
    return " ".join("".join(out).split())


def _script_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            script = _script(ch)
            counts[script] = counts.get(script, 0) + 1
    return counts


def count_words(text: str) -> int:
    """Words of a cleaned message; runs of Han/kana count one word per two characters, Thai
    and similar one per four (they are written without spaces)."""
    words = 0
    for token in text.split():
        run_script, run = "", 0
        latin_like = False
        for ch in token:
            script = _script(ch) if ch.isalpha() else ""
            if script in _CHARS_PER_WORD:
                if script != run_script and run:
                    words += math.ceil(run / _CHARS_PER_WORD[run_script])
                    run = 0
                run_script = script
                run += 1
            else:
                if run:
                    words += math.ceil(run / _CHARS_PER_WORD[run_script])
                    run, run_script = 0, ""
                if ch.isalpha():
                    latin_like = True
        if run:
            words += math.ceil(run / _CHARS_PER_WORD[run_script])
        # A spaced token (Latin, Cyrillic, Hangul...) is one word, even if glued to Han.
        words += 1 if latin_like else 0
    return words


# --------------------------------------------------------------------------------------------
# Folding and the chat lexicon

_FOLD_EXTRA = str.maketrans(
    {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "’": "'"}
)


def fold(text: str) -> str:
    """Lower case without accents, as customers often type: "Größe" -> "grosse", "não" -> "nao"."""
    text = text.lower().translate(_FOLD_EXTRA)
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


# Frequent words of customer chats, per language (typed as customers type them; folded below).
# Words shared by several languages are listed in each: they then weigh for none of them.
_LEXICON_TEXT = {
    "en": """
        hi hello hey hiya thanks thank thx ty cheers yes yeah yep yup nope please pls plz sorry
        help where when what why how who which whats wheres is are was were be been am i my me
        mine you your u ur we our us they them it its this that these those the a an and or but
        not dont didnt doesnt isnt wasnt cant couldnt havent hasnt wont still yet already just
        only have has had do does did can could would will should get got gotten received
        receive arrived arrive came come coming ordered order orders bought purchase purchased
        package parcel delivery delivered deliver shipping shipped shipment tracking track
        refund refunded return returned returning exchange replacement replace cancel cancelled
        item items product size wrong broken damaged missing late lost money back card box photo
        photos picture address email need want waiting wait today yesterday week days day
        morning afternoon evening bye goodbye great good fine any update news for of to in on at
        with from about after before again too very much more some all one two three anyone
        there here know working work works fix issue problem someone else instead color colour
        doesn't don't didn't can't isn't won't i'm it's let me now asap thank-you
        the be to of and a in that have it for not on with he as do at this but his by from they say her she
        or will one all would there their so up out if about get go make like time no him know take
        people into year good some could see other than then look come over think also back use way
        even new because give most im ive youre thats gonna wanna
        exactly right correct sure okey
    """,
    "es": """
        hola holaa buenas buenos dias tardes noches gracias muchas mil si sí no vale porfa favor
        por perdon disculpa disculpe ayuda ayudenme donde dónde cuando cuándo que qué como cómo
        porque quien cual cuanto cuánto es esta está estan están esto eso el la los las un una
        unos y o pero mi mis me yo tu tú usted su sus nosotros nada todavia todavía aun aún ya
        solo tengo tiene tienen hay hice hizo pedi pedí pedido pedidos compra compre compré llego
        llegó llegado llegaron llega recibi recibí recibido paquete envio envío enviar entrega
        entregado seguimiento reembolso devolucion devolución devolver cambio cambiar cancelar
        producto articulo artículo talla color roto rota rotos dañado dañada falta faltan
        equivocado equivocada tarde perdido dinero plata tarjeta caja foto fotos direccion
        dirección correo necesito quiero queria quería puedo pueden puede esperando espero hoy
        ayer semana dia día adios adiós chao bien con de del en para sin sobre despues después
        antes otra otro vez muy mucho mas más algo todo uno dos tres alguien aqui aquí nadie
        funciona arreglar problema q xq pq tambien también hasta
        de la que el en y a los se del las un por con no una su para es al lo como pero sus le ya o este
        porque entre muy sin sobre tambien me hasta hay donde quien desde todo nos todos uno les ni otros ese
        eso ellos esto mí antes algunos unos otro otras él tanto esa estos mucho nada muchos cual poco ella
        estar estas algunas nosotros ti tus ellas vosotros os mío mía tuyo suyo nuestro esos esas estoy estás
        estamos estáis estaba he has ha hemos han soy eres somos son era fue ser tienes tenemos voy vas va
        vamos van puedes hace hacer quieres quiere sé ver así
        correcto exacto claro queda grande pequeño
    """,
    "pt": """
        ola olá oi oii bom boa dia tarde noite obrigado obrigada valeu vlw sim nao não por favor
        pfv desculpa desculpe ajuda ajudem onde quando que como porque porquê quem qual quanto e
        é está estão isso isto o a os as um uma ou mas meu minha meus minhas eu voce você vc
        vocês voces seu sua nós nada ainda ja já so só tenho tem fiz pedi pedido pedidos compra
        comprei chegou chegaram chega recebi recebido pacote encomenda envio enviar entrega
        entregue rastreio rastreamento reembolso devolução devolver troca trocar cancelar
        produto item tamanho cor quebrado quebrada danificado danificada falta faltando errado
        errada atrasado perdido dinheiro cartão caixa foto fotos endereço email preciso quero
        queria posso podem pode esperando espero hoje ontem semana dias tchau legal bem com de
        do da dos das em no na para sem sobre depois antes outro outra vez muito mais algo tudo
        dois três alguém aqui ninguém funciona consertar problema cadê blz beleza tá tô também
        veio vieram ficou
        de a o que e do da em um para é com não uma os no se na por mais as dos como mas foi ao ele das tem
        à seu sua ou ser quando muito há nos já está eu também só pelo pela até isso ela entre era depois sem
        mesmo aos ter seus quem nas me esse eles estão você tinha foram essa num nem suas meu às minha numa
        pelos elas havia seja qual será nós tenho lhe deles essas esses pelas este fosse dele tu te vocês vos
        lhes meus minhas teu tua nosso nossa dela esta estes estas aquele aquela isto estou estava estamos
        sou somos vou vai vamos fazer agora ali lá
        isso exato certo claro grande pequeno
    """,
    "fr": """
        bonjour bonsoir salut slt bjr cc coucou merci beaucoup oui non ouais svp stp plait plaît
        désolé desole aide où ou quand quoi comment pourquoi qui quel quelle combien est c' ce
        cette le la les un une des et mais mon ma mes je j' moi tu vous votre vos nous rien
        encore déjà seulement qu' ai avez a fait commandé commande commandes acheté arrivé
        arrivée arrive reçu recu colis livraison livré livreur envoyer envoi suivi remboursement
        rembourser remboursé retour retourner échange échanger annuler article produit taille
        couleur cassé cassée abîmé endommagé manque manquant mauvais mauvaise retard perdu
        argent carte boîte photo photos adresse mail besoin veux voudrais peux pouvez attends
        attente aujourd'hui hier semaine jours revoir bien avec de du dans pour sans sur après
        avant autre fois très plus tout deux trois quelqu'un ici personne marche fonctionne
        problème pas ne n' d' l' m' s' ça ca toujours au aux suis sont
        de la le et les des en un du une que est pour qui dans a par plus pas au sur ne se ce il sont avec
        ou son aux mais comme on tout nous sa été elle leur être ont cette ses ces y si je vous ils lui fait
        bien même peut ma mon mes ton ta tes te me moi toi nos vos notre votre tu suis es sommes êtes était
        avais avait as avons vais va allons faire dois sais là ici aussi trop alors donc t'
        exactement d'accord voilà grand petit
    """,
    "de": """
        hallo hi hey moin servus grüß grüss gott guten tag morgen abend danke dankeschön schön
        vielen ja nein jo bitte sorry entschuldigung hilfe wo wann was wie warum wer welche
        wieviel ist sind war das die der den dem des ein eine einen einem und oder aber mein
        meine meinen ich mir mich du sie ihr wir nichts nix noch schon nur habe hab hat haben
        bestellt bestellung bestellungen gekauft angekommen ankommen kam gekommen erhalten
        bekommen paket lieferung geliefert zugestellt sendung sendungsverfolgung versand
        versendet rückerstattung erstattung rücksendung zurück zurückschicken umtausch
        umtauschen ersatz stornieren artikel produkt größe farbe kaputt beschädigt defekt fehlt
        fehlen falsch falsche falschen spät verloren geld karte karton foto fotos bilder adresse
        email brauche möchte will kann können warte warten heute gestern woche tage tschüss gut
        mit von zu zum zur im in für ohne auf nach vor andere mal sehr viel mehr etwas alles zwei
        drei jemand hier niemand funktioniert geht nicht kein keine problem immer
        der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden
        aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur
        oder aber vor zur bis mehr durch man sein wurde ins ich du wir ihr mir mich dir dich uns euch dein
        unser kein bin bist hast hatte kannst muss soll doch da dort jetzt
        genau stimmt klar passt dank
    """,
    "it": """
        ciao salve buongiorno buonasera grazie mille si sì no per favore piacere scusa scusate
        aiuto dove quando cosa come perché perche chi quale quanto è sono era il lo la i gli le
        un uno una e o ma mio mia miei io mi me tu lei voi noi niente nulla ancora già solo ho
        hai ha abbiamo hanno ordinato ordine ordini comprato acquistato arrivato arrivata
        arrivati ricevuto pacco spedizione consegna consegnato corriere tracciamento rimborso
        reso restituire cambio sostituzione annullare articolo prodotto taglia colore rotto
        rotta danneggiato manca mancante sbagliato sbagliata ritardo perso soldi carta scatola
        foto indirizzo mail bisogno voglio vorrei posso potete può aspettando aspetto oggi ieri
        settimana giorni arrivederci bene con di del della dei da dal in nel nella per senza su
        dopo prima altro altra volta molto più qualcosa tutto due tre qualcuno qui nessuno
        funziona problema non nn l' dov' c' un' all' dell' nell' sull' po'
        di e il la che in a per un è non una i le si con da del al lo mi ma come anche più ci sono della
        dei gli ho io tu lui lei noi voi loro mio mia tuo tua suo sua nostro ne se o questo questa quello
        quella ha hai abbiamo avete hanno sei siamo siete era essere fare fatto posso puoi può vorrei voglio
        devo molto poco tutto tutti niente là dove perché chi allora sempre mai domani
        esatto giusto certo grande piccolo
    """,
    "nl": """
        hallo hoi hey goedemorgen goedemiddag goedenavond dag bedankt dank dankjewel dankuwel je
        wel ja nee graag alstublieft alsjeblieft aub sorry excuus hulp waar wanneer wat hoe
        waarom wie welke hoeveel is zijn was het de een en of maar mijn ik me mij jij u jullie
        wij we niks niets nog al alleen heb hebt heeft hebben besteld bestelling bestellingen
        gekocht aangekomen kwam ontvangen gekregen pakket pakketje pakje levering geleverd
        bezorgd bezorger verzending verzonden terugbetaling terugbetalen terug retour
        retourneren terugsturen ruilen vervanging annuleren artikel product maat kleur kapot
        beschadigd stuk ontbreekt mist verkeerd verkeerde laat kwijt geld kaart doos foto fotos
        adres mail nodig wil wilt kan kunnen kunt wachten wacht vandaag gisteren week dagen doei
        goed met van voor zonder op na andere keer heel veel meer iets alles twee drie iemand
        hier niemand werkt doet niet geen probleem er daar
        de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om hem dan
        zou of wat mijn dit zo door over ze zich bij ook tot je mij uit daar haar naar heb hoe heeft hebben
        deze u want nog zal me zij nu geen omdat iets worden toch al waren veel meer doen toen moet ben
        zonder kan hun dus alles onder eens hier wie werd altijd wordt kunnen ons zelf tegen na wil kon
        niets uw iemand geweest
        klopt precies prima top
    """,
    "pl": """
        cześć czesc hej siema witam dzień dobry wieczór dzięki dziękuję bardzo tak nie proszę
        przepraszam pomoc pomocy gdzie kiedy co jak dlaczego czemu kto który ile jest są był
        była to ten ta te i lub albo ale moja moje mój mojego ja mi mnie ty pan pani wy my nic
        jeszcze już tylko mam ma mamy mają zamówiłem zamówiłam zamówienie zamówienia kupiłem
        kupiłam przyszło przyszedł przyszła doszło dotarło dostałem dostałam otrzymałem paczka
        paczki paczkę przesyłka przesyłki dostawa dostawy kurier wysyłka śledzenie zwrot zwrotu
        zwrócić wymiana wymienić anulować anuluj produkt rozmiar kolor zepsuty zepsuta uszkodzony
        uszkodzona brakuje zły zła błędny spóźniona zgubiona pieniądze kasa kasę karta pudełko
        zdjęcie zdjęcia adres mail potrzebuję chcę chce mogę możecie czekam dzisiaj dziś wczoraj
        tydzień dni pa dobrze z ze od do w we na dla bez po przed inny inna raz więcej coś
        wszystko dwa trzy ktoś tu nikt działa problem się czy
        i w nie na się z do to że a o jak ale po co tak jest za od czy jego ja ty on ona my wy oni mnie mi
        cię ci go jej nam was im już tylko jeszcze bardzo może być był była było są będzie mam masz ma mamy
        macie mają który która które tego tej tym ten ta te tu tam gdzie kiedy dlaczego bo więc też ze przez
        dla bez pod nad przed między także lub albo jaki jaka
        dokładnie zgadza racja jasne dobra
    """,
    "tr": """
        merhaba selam slm mrb günaydın iyi günler akşamlar teşekkürler teşekkür ederim tşk sağol
        sağolun saol evet hayır lütfen pardon özür yardım nerede nerde ne zaman nasıl neden kim
        hangi kaç bu şu o ve veya ama benim ben bana beni sen siz biz hiçbir hiç hala hâlâ henüz
        zaten sadece var yok aldım sipariş siparişim siparişimi siparişi verdim geldi gelmedi
        ulaştı teslim kargo kargom paket paketi gönderi gönderin takip iade iadesi değişim
        değiştirmek iptal ürün ürünü beden renk kırık bozuk hasarlı eksik yanlış geç kayıp para
        param kart kutu fotoğraf adres mail lazım istiyorum ister bekliyorum bugün dün hafta gün
        görüşürüz ile için de da mi mı mu mü çok daha bir iki üç kimse burada çalışmıyor sorun
        tamam değil edildi
        bir ve bu da de için ile ne o çok daha gibi ama en kadar var yok ben sen biz siz onlar benim senin
        onun bizim sizin bana sana ona bunu şu şey mi mı mu mü değil nasıl neden niye nerede kim hangi her
        hiç bazı sonra önce şimdi bugün dün yarın burada orada çünkü fakat ya veya hem ise eğer olarak olan
        oldu olur olsun yaptım
        aynen doğru tabii
    """,
}

# Chat words every language uses: evidence for none (langdetect's n-grams would otherwise
# make "ok merci" Polish).
_NEUTRAL = frozenset(
    "ok okay okey oki okk k kk lol xd xdd haha hahaha hehe hihi wow oh ah eh hm hmm mmm ehm uh "
    "ohh ahh ooh aah uhh".split()
)

_LEXICON: dict[str, frozenset[str]] = {
    lang: frozenset(fold(word) for word in words.split()) for lang, words in _LEXICON_TEXT.items()
}
# How many supported languages list each word: a word in many lists says little.
_WORD_LANGUAGES: dict[str, tuple[str, ...]] = {}
for _lang, _words in _LEXICON.items():
    for _word in _words:
        _WORD_LANGUAGES[_word] = _WORD_LANGUAGES.get(_word, ()) + (_lang,)

_TOKEN = re.compile(r"[^\W\d_]+'?", re.UNICODE)


def _tokens(folded: str) -> list[str]:
    """Words, with an elided article or pronoun kept with its apostrophe ("l'", "c'", "j'")."""
    return _TOKEN.findall(folded)


# Letters that, among the supported Latin-script languages, only one uses.
_LETTER_CUES = {
    "es": "ñ¿¡",
    "de": "ß",
    "pt": "ãõ",
    "pl": "łąęśźżćń",
    "tr": "ğış",
    "fr": "œ",
}
# Letters that none of the supported languages writes (Czech ř, Nordic å ø, Hungarian ő,
# Romanian ș, Baltic ā ė, Vietnamese ơ ư and tone marks...): each counts against all of them,
# and with one of them a short message can be named as another language.
_FOREIGN_LETTERS = frozenset(
    "čšžěřůýďťňľĺŕåøæðþőűășțāēīūļņķģėųįơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
)
# langdetect profiles of other scripts, left out of Latin-script scoring.
_NON_LATIN = frozenset("ar bg bn el fa gu he hi ja kn ko mk ml mr ne pa ru ta te th uk ur zh".split())

# --------------------------------------------------------------------------------------------
# Han-only text: Chinese or Japanese?

# Japanese forms of characters that Chinese writes differently (shinjitai), and kanji words
# of Japanese shop chats that Chinese does not use.
_JA_HAN = set(
    "発売円様払済変戻単気図労帰悪楽対広検験険県読続転伝黒実歳込辺働"
    "駅鉄関営証従処拡恵桜権歩薬覚訳収択沢覧効壊弁徳"
)
_JA_WORDS = ("返金", "返品", "注文", "配達", "送料", "至急", "宜しく", "領収書", "御座", "下さい")
# Simplified and traditional Chinese forms that Japanese does not use, and Chinese function
# words and particles.
_ZH_HAN = set(
    "们这说货钱发没吗呢吧么个对还过时为东买卖给让问题应该谢请单码换坏邮递运费车门开关头见长尔样从现里后间经业机动电话语书写"
    "們這說貨錢發沒嗎麼對讓應單號碼壞遞"
    "的了我你他她是在有不很也都就要想能可以那哪什怎谁把被和跟再又才刚已嘛哦嗯呀啦喂亲吧啊"
    "款裹收"  # 退款 (refund), 包裹 (parcel), 收到 (received): Japanese says 返金, 小包, 受け取る
)


# --------------------------------------------------------------------------------------------
# langdetect's profiles, scored exhaustively


class _Profiles:
    """langdetect's n-gram probabilities as a log matrix (n-grams x languages), loaded once."""

    _lock = threading.Lock()
    _instance: _Profiles | None = None

    def __init__(self) -> None:
        import numpy as np
        from langdetect.detector import Detector
        from langdetect.detector_factory import PROFILES_DIRECTORY

        factory = DetectorFactory()
        factory.load_profile(PROFILES_DIRECTORY)
        self.languages = [normalize(code) for code in factory.langlist]  # "zh-cn" -> "zh"
        self.index = {word: row for row, word in enumerate(factory.word_lang_prob_map)}
        probabilities = np.array(list(factory.word_lang_prob_map.values()), dtype=np.float32)
        # langdetect's smoothing: each n-gram multiplies P by (alpha / BASE_FREQ + p).
        smoothing = Detector.ALPHA_DEFAULT / Detector.BASE_FREQ
        self.log = np.log(probabilities + smoothing).astype(np.float32)
        self.columns = {lang: i for i, lang in enumerate(self.languages)}
        self.np = np

    @classmethod
    def get(cls) -> _Profiles:
        if cls._instance is None:
            with cls._lock:
                if cls._instance is None:
                    cls._instance = cls()
        return cls._instance

    def ngrams(self, text: str) -> list[int]:
        """Rows of the 1-3 character n-grams of each word, padded with spaces as langdetect
        does ("hola" -> h o l a, " h" ho ol la "a ", " ho" hol ola "la ")."""
        from langdetect.utils.ngram import NGram

        get = self.index.get
        grams = []
        for word in text.split():
            if not word.isascii():
                word = "".join(ch if ch < "\u0080" else NGram.normalize(ch) for ch in word)
            padded = f" {word} "
            size = len(padded)
            grams.extend(padded[i] for i in range(1, size - 1))
            grams.extend(padded[i : i + 2] for i in range(size - 1))
            grams.extend(padded[i : i + 3] for i in range(size - 2))
        return [row for row in map(get, grams) if row is not None]

    def scores(self, text: str, languages: tuple[str, ...] | None = None) -> dict[str, float]:
        """Log-likelihood of `text` per language (all of langdetect's, or `languages`)."""
        rows = self.ngrams(text)
        if not rows:
            return {}
        totals = self.log[rows].sum(axis=0)
        out: dict[str, float] = {}
        for lang, column in self.columns.items():
            if languages is None or lang in languages:
                value = float(totals[column])
                if lang not in out or value > out[lang]:  # zh-cn and zh-tw both map to "zh"
                    out[lang] = value
        return out


def warm_up() -> None:
    """Load langdetect's profiles and the language-request tables now (a second or two)
    instead of in the first customer's turn."""
    from bot.language.requests import warm_up as warm_up_requests

    _Profiles.get()
    warm_up_requests()


def _softmax(scores: dict[str, float]) -> dict[str, float]:
    if not scores:
        return {}
    top = max(scores.values())
    exps = {lang: math.exp(value - top) for lang, value in scores.items()}
    total = sum(exps.values())
    return {lang: value / total for lang, value in exps.items()}


def _best(probabilities: dict[str, float]) -> tuple[str, float]:
    lang = max(probabilities, key=probabilities.__getitem__)
    return lang, probabilities[lang]


# --------------------------------------------------------------------------------------------
# Per-script decisions


def _han(text: str, prior: str | None, words: int) -> tuple[str, float]:
    """Han characters without kana: Chinese, unless Japanese-only kanji or words say Japanese."""
    ja = sum(ch in _JA_HAN for ch in text) + sum(2 * text.count(word) for word in _JA_WORDS)
    zh = sum(ch in _ZH_HAN for ch in text)
    if ja > zh:
        return "ja", 0.95 if ja >= 2 else 0.85
    if zh > 0:
        return "zh", 0.99
    # Nothing tells them apart (e.g. "交換希望"): the conversation's language if it is one of
    # the two, else Chinese, by far the more likely writer of Han-only text.
    if prior == "ja":
        return "ja", 0.6
    return "zh", 0.9 if words >= 2 else 0.8


def _arabic(text: str, words: int, prior: str | None) -> tuple[str, float]:
    """Arabic script: Arabic, unless Urdu or Persian letters (or langdetect, confidently) say
    otherwise.  Persian and Urdu keyboards type ک and ی where Arabic ones type ك and ي."""
    urdu = sum(ch in "ٹڈڑںےہھ" for ch in text)
    persian = sum(ch in "پچژگکی" for ch in text)
    arabic = sum(ch in "ةيكىأإ" for ch in text)
    if urdu >= 1 and urdu + persian > arabic:
        return "ur", 0.95 if urdu >= 2 else 0.8
    if persian >= 2 and persian > arabic:
        return "fa", 0.95
    if prior in ("fa", "ur") and not arabic:  # nothing against the conversation's language
        return prior, 0.9
    probabilities = _softmax(
        {k: NGRAM_WEIGHT * v for k, v in _Profiles.get().scores(text, ("ar", "fa", "ur")).items()}
    )
    if probabilities:
        lang, p = _best(probabilities)
        if lang != "ar" and p >= OTHER_MIN_CONFIDENCE and words >= OTHER_MIN_WORDS and arabic == 0:
            return lang, p
    return "ar", 0.99 if words >= 2 or arabic else 0.95


_UKRAINIAN_WORDS = frozenset("дякую будь ласка що це вже ще немає отримав отримала замовлення гроші".split())
_RUSSIAN_ONLY = set("ыэё")


def _cyrillic(text: str, words: int, prior: str | None) -> tuple[str, float]:
    """Cyrillic: Russian, unless letters other languages alone use say otherwise."""
    lower = text.lower()
    letters = set(lower)
    if letters & set("әғқңөұүһ"):
        return "kk", 0.95
    if "ў" in letters:
        return "be", 0.95
    if letters & set("ѓќѕ"):
        return "mk", 0.95
    if letters & set("ђћ") or (letters & set("љњџј") and not letters & _RUSSIAN_ONLY):
        return "sr", 0.95
    if letters & set("іїєґ"):
        return "uk", 0.99
    tokens = lower.split()
    if tokens and sum(token in _UKRAINIAN_WORDS for token in tokens) * 2 >= len(tokens):
        return "uk", 0.9
    if prior in ("uk", "be", "bg", "mk", "sr", "kk") and not letters & _RUSSIAN_ONLY:
        return prior, 0.9  # nothing against the conversation's language
    if not letters & _RUSSIAN_ONLY and words >= 4:
        # Bulgarian and Macedonian have no ы э ё; langdetect must still be sure.
        probabilities = _softmax(
            {k: NGRAM_WEIGHT * v for k, v in _Profiles.get().scores(lower, ("ru", "bg", "mk", "uk")).items()}
        )
        if probabilities:
            lang, p = _best(probabilities)
            if lang != "ru" and p >= 0.99:
                return lang, p
    return "ru", 0.99 if words >= 2 else 0.95


def _devanagari(text: str, words: int, prior: str | None) -> tuple[str, float]:
    """Devanagari: Hindi, unless langdetect is sure it is Marathi or Nepali."""
    if prior in ("mr", "ne"):
        return prior, 0.9
    if words >= 4:
        probabilities = _softmax(
            {k: NGRAM_WEIGHT * v for k, v in _Profiles.get().scores(text, ("hi", "mr", "ne")).items()}
        )
        if probabilities:
            lang, p = _best(probabilities)
            if lang != "hi" and p >= 0.99:
                return lang, p
    return "hi", 0.95


# --------------------------------------------------------------------------------------------
# Latin script


def _without_names(text: str) -> str:
    """Drops capitalised words inside a sentence ("Tom", "AirPods", "Samsung"): names and
    brands say nothing of the customer's language.  Kept when they are half the message
    (Title Case typing, or a German sentence of nouns)."""
    words = text.split()
    capitalised = [i > 0 and word[:1].isupper() and not word.isupper() for i, word in enumerate(words)]
    if sum(capitalised) * 2 >= len(words):
        return " ".join(words)
    return " ".join(word for word, name in zip(words, capitalised) if not name)


def _lexicon_hits(folded: str) -> dict[str, float]:
    """How many chat words of each supported Latin-script language the message holds."""
    hits = dict.fromkeys(_LEXICON, 0.0)
    for token in _tokens(folded):
        for lang in _WORD_LANGUAGES.get(token) or _WORD_LANGUAGES.get(token.rstrip("'")) or ():
            hits[lang] += 1.0
    return hits


def _latin(text: str, prior: str | None, words: int) -> tuple[str, float]:
    """Latin script: n-grams of all languages, plus chat words and letters of the supported
    ones, plus the prior.  Returns the best supported language and its probability among
    them, or another language when the evidence for it is strong (see module docstring)."""
    lowered = text.lower()
    ngram = _Profiles.get().scores(lowered)  # with accents: "não" is Portuguese evidence
    hits = _lexicon_hits(fold(text))
    scores = {lang: NGRAM_WEIGHT * value for lang, value in ngram.items() if lang not in _NON_LATIN}
    for lang in _LEXICON:
        scores[lang] = scores.get(lang, -1e9) + LEXICON_WEIGHT * hits[lang]
    special = [ch for ch in lowered if not ch.isascii()]
    for lang, letters in _LETTER_CUES.items():
        count = sum(ch in letters for ch in special)
        if count:
            scores[lang] += LEXICON_WEIGHT * min(count, 2)
    foreign = min(sum(ch in _FOREIGN_LETTERS for ch in special), 2)
    for lang in _LEXICON:
        scores[lang] -= LEXICON_WEIGHT * foreign
    if prior in scores:
        scores[prior] += PRIOR_WEIGHT
    for lang, bonus in BASE_RATES.items():
        scores[lang] += bonus

    supported = _softmax({lang: scores[lang] for lang in _LEXICON})
    best, confidence = _best(supported)
    everything = _softmax(scores)
    top = max(everything, key=everything.__getitem__)
    if top not in SUPPORTED:
        # Letters no supported language writes (Vietnamese tones, Romanian ș, Czech ř...), or
        # confident n-grams on a message of several words.  Confidence is the probability that
        # it is none of the supported languages (close relatives such as Danish and Norwegian
        # share it), the named language being the likeliest of the others.
        other = 1.0 - sum(p for lang, p in everything.items() if lang in SUPPORTED)
        confident = other >= OTHER_MIN_CONFIDENCE and words >= OTHER_MIN_WORDS
        if foreign or confident or (top == prior and other >= 0.5):  # the prior wins near-ties
            return top, other
    return best, confidence


# --------------------------------------------------------------------------------------------


def detect(text: str, prior: str | None = None) -> Detection:
    """The language of one chat message.

    `prior` is the conversation's current language (any spelling); it wins ties and near-ties
    and is returned, with confidence 0, for a message without letters ("SO-100231", "👍").
    """
    prior_code = normalize(prior) or None
    cleaned = strip_non_words(text)
    counts = _script_counts(cleaned)
    words = count_words(cleaned)
    if not counts:
        fallback = prior_code or DEFAULT_LANGUAGE
        return Detection(fallback, 0.0, 0, fallback in SUPPORTED, "")

    weighted = {script: n * _SCRIPT_WEIGHT.get(script, 1.0) for script, n in counts.items()}
    script = max(weighted, key=weighted.__getitem__)
    if script in ("han", "kana") and counts.get("kana"):
        script = "kana"  # any kana makes Han text Japanese
    if script == "latin" or script == "other":
        # Keep only the Latin words: a stray emoji-like symbol or foreign word must not count.
        latin_text = "".join(ch if ch in " '" or _script(ch) == "latin" else " " for ch in cleaned)
        if script == "other" and not latin_text.strip():
            fallback = prior_code or DEFAULT_LANGUAGE
            return Detection(fallback, 0.0, words, fallback in SUPPORTED, "other")
        latin_text = " ".join(word for word in latin_text.split() if fold(word) not in _NEUTRAL)
        if not latin_text:  # "ok", "lol": nothing to tell the language by
            fallback = prior_code or DEFAULT_LANGUAGE
            return Detection(fallback, 0.0, words, fallback in SUPPORTED, "latin")
        language, confidence = _latin(_without_names(latin_text), prior_code, words)
        script = "latin"
    else:
        only = "".join(ch if ch == " " or (ch.isalpha() and _script(ch) == script) else " " for ch in cleaned)
        only = " ".join(only.split())
        if script == "han":
            language, confidence = _han(only, prior_code, words)
        elif script == "arabic":
            language, confidence = _arabic(only, words, prior_code)
        elif script == "cyrillic":
            language, confidence = _cyrillic(only, words, prior_code)
        elif script == "devanagari":
            language, confidence = _devanagari(only, words, prior_code)
        else:
            language = _SCRIPT_LANGUAGE[script]
            confidence = 0.99 if words >= 2 or len(only) >= 3 else 0.9
    confidence = min(1.0, max(0.0, round(confidence, 4)))
    return Detection(language, confidence, words, language in SUPPORTED, script)
