"""The six UN languages the product speaks, and how a reader's language is chosen."""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str  # what the switcher shows: each language in its own words
    rtl: bool = False

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.code)


LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language("ar", "العربية", rtl=True),
        Language("zh", "中文"),
        Language("en", "English"),
        Language("fr", "Français"),
        Language("ru", "Русский"),
        Language("es", "Español"),
    )
}
CODES = tuple(LANGUAGES)
SOURCE_LANGUAGE = "en"  # the language of the msgids


def language(code: str | None) -> Language:
    """The language for `code` ("fr", "fr-CA", "zh_Hans"), English when unknown."""
    return LANGUAGES.get(base_code(code or "") or "", LANGUAGES[SOURCE_LANGUAGE])


def base_code(tag: str) -> str | None:
    """ "fr-CA" → "fr"; None for anything that is not one of the six."""
    code = tag.strip().replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


def from_accept_language(header: str | None) -> str | None:
    """The best of the six for an Accept-Language header, or None."""
    if not header:
        return None
    preferred: list[tuple[float, str]] = []
    for index, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and quality > 0:
            # Stable: equal weights keep the header's order.
            preferred.append((-quality, f"{index:03d}{tag}"))
    tags = [entry[3:] for _, entry in sorted(preferred)]
    return next((code for tag in tags if (code := base_code(tag))), None)
