"""Synthetic text in the six languages for bench/search.py: each language's real words
(the domain's) and made-up ones from its script's syllables, drawn with Zipf-like
frequencies, so a corpus has words in a third of its posts and words in a handful."""

from __future__ import annotations

import random
from itertools import accumulate

LANGS = ("en", "fr", "es", "ru", "ar", "zh")


def _words(text: str) -> list[str]:
    return text.split()


WORDS = {
    "en": _words(
        """
    biosafety capacity building national framework risk assessment management living
    modified organisms regulatory authority public awareness participation detection
    identification laboratory customs officers training regional cooperation funding
    project sustainability stakeholders ministry agriculture environment trade
    socio-economic considerations liability redress protocol clearing-house
    decision-makers guidance experience lessons learned implementation monitoring
    compliance transboundary movement information sharing database inspectors border
    control scientific expertise universities research institutes legislation policy
    draft review consultation workshop survey results priorities needs gaps
    resources support donors partnership indicators evaluation report strategy
    action plan outcomes outputs coordination mechanism
    """
    ),
    "fr": _words(
        """
    biosécurité renforcement des capacités cadre national évaluation risques gestion
    organismes vivants modifiés autorité réglementaire sensibilisation participation
    publique détection identification laboratoire douanes agents formation
    coopération régionale financement projet durabilité parties prenantes ministère
    agriculture environnement commerce considérations socio-économiques
    responsabilité réparation protocole centre d'échange décideurs orientations
    expérience enseignements mise en œuvre suivi respect mouvements transfrontières
    échange d'informations inspecteurs contrôle frontalier expertise scientifique
    universités recherche législation politique projet examen consultation atelier
    enquête résultats priorités besoins lacunes ressources soutien développement
    """
    ),
    "es": _words(
        """
    bioseguridad creación de capacidad marco nacional evaluación del riesgo gestión
    organismos vivos modificados autoridad reguladora concienciación participación
    pública detección identificación laboratorio aduanas funcionarios capacitación
    cooperación regional financiación proyecto sostenibilidad interesados ministerio
    agricultura medio ambiente comercio consideraciones socioeconómicas
    responsabilidad compensación protocolo centro de intercambio orientación
    experiencia lecciones aplicación seguimiento cumplimiento movimientos
    transfronterizos información inspectores control fronterizo conocimientos
    científicos universidades investigación legislación política revisión consulta
    taller encuesta resultados prioridades necesidades recursos apoyo
    """
    ),
    "ru": _words(
        """
    биобезопасность создание потенциала национальная система оценка рисков
    управление живые измененные организмы регулирующий орган информированность
    общественности участие выявление идентификация лаборатория таможня сотрудники
    обучение региональное сотрудничество финансирование проект устойчивость
    заинтересованные стороны министерство сельское хозяйство окружающая среда
    торговля социально-экономические соображения ответственность возмещение протокол
    механизм посредничества руководство опыт уроки осуществление мониторинг
    соблюдение трансграничное перемещение обмен информацией инспекторы пограничный
    контроль научная экспертиза университеты исследования законодательство политика
    проект обзор консультации семинар опрос результаты приоритеты потребности
    """
    ),
    "ar": _words(
        """
    السلامة الأحيائية بناء القدرات الإطار الوطني تقييم المخاطر إدارة الكائنات الحية
    المحورة السلطة التنظيمية التوعية العامة المشاركة الكشف التحديد المختبر الجمارك
    الموظفون التدريب التعاون الإقليمي التمويل المشروع الاستدامة أصحاب المصلحة
    الوزارة الزراعة البيئة التجارة الاعتبارات الاجتماعية والاقتصادية المسؤولية الجبر
    البروتوكول غرفة تبادل المعلومات صناع القرار التوجيه الخبرة الدروس المستفادة
    التنفيذ الرصد الامتثال النقل عبر الحدود تبادل المعلومات المفتشون مراقبة الحدود
    الخبرة العلمية الجامعات البحث التشريعات السياسات المسودة الاستعراض المشاورات
    حلقة العمل
    """
    ),
    "zh": _words(
        """
    生物安全 能力建设 国家框架 风险评估 风险管理 改性活生物体 监管机构
    公众意识 公众参与 检测 鉴定 实验室 海关 官员 培训 区域合作 资金 项目
    可持续性 利益攸关方 部委 农业 环境 贸易 社会经济因素 赔偿责任 补救
    议定书 信息交换所 决策者 指导 经验 教训 执行 监测 遵守 越境转移
    信息共享 检查员 边境管制 科学专长 大学 研究 立法 政策 草案 审查 协商
    讲习班 调查 结果 优先事项 需求 差距 资源 支持
    """
    ),
}

SYLLABLES = {
    "en": _words("ka lo ri ven ta mor pel sin dra qui bex nor tal vi ush em"),
    "fr": _words("ré ma lé tou çon vè bri dé nou qua pê su lin gé ô"),
    "es": _words("ña ro bi ción te lu cor mé ga fi ño pre sal tú qui"),
    "ru": _words("ка ло ри вен та мор пе син дра кви бек нор тал ви ус ём"),
    "ar": _words("كا لو ري فن تا مر بل سن در كي بك نر طل في وش"),
    # Made-up Chinese words from 1,500 characters, as varied as a real text's pairs.
    "zh": [chr(code) for code in range(0x4E00, 0x4E00 + 4500, 3)],
}
FATHA, KASRA, DAMMA = "\u064e", "\u0650", "\u064f"


class Corpus:
    def __init__(self, rng: random.Random, invented: int = 3000) -> None:
        self.words: dict[str, list[str]] = {}
        self.weights: dict[str, list[float]] = {}
        for lang in LANGS:
            base = list(dict.fromkeys(WORDS[lang]))
            made: set[str] = set()
            while len(made) < invented:
                made.add("".join(rng.choices(SYLLABLES[lang], k=rng.randint(2, 4))))
            words = base + sorted(made - set(base))
            rng.shuffle(words)
            self.words[lang] = words
            # Zipf: the word of rank r is drawn in proportion to 1 / (r + 1).
            self.weights[lang] = list(accumulate(1 / (rank + 1) for rank in range(len(words))))

    def draw(self, rng: random.Random, lang: str, count: int) -> list[str]:
        return rng.choices(self.words[lang], cum_weights=self.weights[lang], k=count)

    def sentence(self, rng: random.Random, lang: str, count: int) -> str:
        words = self.draw(rng, lang, count)
        if lang == "zh":
            return "".join(words) + "。"
        if lang == "ar" and rng.random() < 0.3:
            words = [_vocalized(rng, w) if rng.random() < 0.3 else w for w in words]
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def body(self, rng: random.Random, lang: str) -> str:
        paragraphs = [
            " ".join(self.sentence(rng, lang, rng.randint(6, 18)) for _ in range(rng.randint(1, 4)))
            for _ in range(rng.randint(1, 3))
        ]
        if rng.random() < 0.2:
            paragraphs[0] = "**" + paragraphs[0][:40] + "**" + paragraphs[0][40:]
        return "\n\n".join(paragraphs)

    def queries(self, rng: random.Random) -> dict[str, list[str]]:
        """Typical searches: one word and two words across the range of frequencies,
        in every language."""
        one, two = [], []
        for lang in LANGS:
            words = self.words[lang]
            one += [words[rank] for rank in (0, 4, 40, 400, 2500)]
            two += [f"{words[a]} {words[b]}" for a, b in ((1, 9), (3, 150), (25, 1200))]
        rng.shuffle(one)
        rng.shuffle(two)
        return {"one word": one, "two words": two}


def _vocalized(rng: random.Random, word: str) -> str:
    """An Arabic word with some short vowels written, as careful writers do."""
    return "".join(
        c + (rng.choice((FATHA, KASRA, DAMMA)) if rng.random() < 0.4 else "") for c in word
    )
