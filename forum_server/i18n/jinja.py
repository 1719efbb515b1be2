"""The same translation and formatting in every Jinja environment: pages, e-mail and
the HTML/PDF report each have their own environment, and all speak the language of the
work at hand (`using_language`, or the request's)."""

from __future__ import annotations

from jinja2 import Environment

from forum_server.i18n.catalogues import active
from forum_server.i18n.formatting import (
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_relative,
)


def install_i18n(env: Environment) -> None:
    """Adds `_`, `gettext`, `ngettext` and `pgettext` and the filters `datetime`, `date`,
    `number`, `percent` and `ago`. New-style gettext: `_("Hello %(name)s", name=x)` escapes `x`
    in an autoescaped template and fails loudly on a missing placeholder."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: active().gettext(message),
        ngettext=lambda singular, plural, n: active().ngettext(singular, plural, n),
        pgettext=lambda context, message: active().pgettext(context, message),
        newstyle=True,
    )
    env.filters.update(
        datetime=format_datetime,
        date=format_date,
        number=format_number,
        percent=format_percent,
        ago=format_relative,
    )
