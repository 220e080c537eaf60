"""The regular expression of each family of temporal expressions, assembled from a lexicon's words.

Group names are terse and suffixed by the date part they belong to (`dnuma`: the first date's day
number); matches.py is the one place that gives them meaning. The expression itself is the `body`
group; words around it that only give context (a clitic, "in") stay outside.
"""

from __future__ import annotations

from .lexicon import Lexicon

START = r"(?<![\w])"  # a word starts here
END = r"(?![\w])"  # a word ends here
NUM_START = r"(?<![\w.,/\-])"  # a number starts here (not inside 1,500 or 15/5)
NUM_END = r"(?![\w%]|[.,/\-]\d)"  # a number ends here
DIGITS_START = r"(?<![\d.,/])"  # digits inside an expression (after an attached "and": "1 and2") start here


def _g(name: str, pattern: str) -> str:
    return f"(?P<{name}>{pattern})"


class Builder:
    """Pattern fragments for one lexicon; `s` suffixes keep group names unique within a pattern."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        alt = lex.alt
        conj = alt(lex.conjunctions) if lex.conjunctions else ""
        prep = alt(lex.prepositions) if lex.prepositions else ""
        self.clitic = f"(?:{conj}?{prep}?)" if conj or prep else ""
        self.conj_clitic = f"(?:{conj}?)" if conj else ""
        self.lead = START + self.clitic  # word start plus optional clitics, outside the body
        self.months = alt(lex.months)
        self.gregorian = alt(w for w, (cal, _) in lex.months.items() if cal == "gregorian")
        self.weekday = alt(lex.weekdays)
        self.wd_prefix = alt(lex.weekday_prefixes)
        self.linker = alt(lex.linkers)
        self.ordinal = alt(lex.ordinals)
        self.day_suffix = alt(lex.day_suffixes) if lex.day_suffixes else ""
        self.of = alt(lex.of_words)
        self.article_word = alt(lex.article_words) if lex.article_words else ""
        self.month_prefix = alt(lex.month_prefixes)
        self.qa = alt(lex.qual_after)
        self.qb = alt(lex.qual_before)
        self.year_prefix = alt(lex.year_prefixes)
        self.year_dual = alt(lex.year_dual_prefixes)
        self.hijri_suffix = alt(lex.hijri_year_suffixes)
        self.greg_suffix = alt(lex.year_suffixes)
        self.number = alt(lex.numbers)
        self.singular = alt(lex.unit_singular)
        self.plural = alt(lex.unit_plural)
        self.dual = alt(lex.unit_dual)
        self.year_units = alt(w for w, u in lex.unit_singular.items() if u == "year")
        self.month_year_units = alt(w for w, u in lex.unit_singular.items() if u in ("month", "year"))
        self.rel_units = alt(w for w, u in lex.unit_singular.items() if u != "day")
        self.month_units = alt(w for w, u in lex.unit_singular.items() if u == "month")
        self.week_units = alt(w for w, u in lex.unit_singular.items() if u == "week")

    # -- pieces -------------------------------------------------------------------------------
    def day(self, s: str) -> str:
        article = f"(?:{self.article_word}\\s+)?" if self.article_word else ""
        suffix = f"(?:{self.day_suffix})?" if self.day_suffix else ""
        digits = _g(f"dnum{s}", r"\d{1,2}") + r"(?!\d)" + suffix
        return f"{article}(?:{DIGITS_START}{digits}|{_g(f'dword{s}', self.ordinal)})"

    def month(self, s: str) -> str:
        paren = rf"\s*\(\s*{self.gregorian}(?:\s+{_g(f'pq{s}', self.qa)})?\s*\)"
        slash = rf"\s*/\s*{self.months}"
        return _g(f"month{s}", self.months) + rf"(?:{paren}|{slash})?"

    def year(self, s: str) -> str:
        digits = DIGITS_START + _g(f"year{s}", r"\d{4}") + r"(?!\d)"
        suffix = rf"(?:\s*{_g(f'hsuf{s}', self.hijri_suffix)}{END}|\s?{self.greg_suffix}{END})?"
        return digits + suffix + NUM_END

    def year_tail(self, s: str) -> str:
        return rf"\s*,?\s*(?:{self.year_prefix}\s+)?{self.year(s)}"

    def year_rel(self, s: str) -> str:
        unit = self.year_units
        before = rf"{_g(f'yqb{s}', self.qb)}\s+{unit}(?:\s+{_g(f'yqa{s}', self.qa)})?"
        return rf"(?:{before}|{unit}\s+{_g(f'yqc{s}', self.qa)})"

    def tail(self, s: str) -> str:
        """What may follow a month: a year, a qualifier, or 'of last year'."""
        return (
            rf"(?:{self.year_tail(s)}|\s+{_g(f'qual{s}', self.qa)}{END}"
            rf"|\s+(?:{self.of}\s+)?{_g(f'yrel{s}', self.year_rel(s))}{END})?"
        )

    def weekday_lead(self) -> str:
        linker = rf"(?:{self.linker}\s+)?" if self.lex.linkers else ""
        prefix = rf"(?:{self.wd_prefix}\s+)?" if self.lex.weekday_prefixes else ""
        return rf"{prefix}(?:{_g('wd', self.weekday)}\s*,?\s*{linker})?"

    def month_unit(self, s: str) -> str:
        """A month named by the unit word and a qualifier (this month, next month)."""
        unit = _g(f"unit{s}", self.month_units)  # the engine requires a qualifier on either side
        return rf"(?:{_g(f'uqb{s}', self.qb)}\s+)?{unit}(?:\s+{_g(f'uqa{s}', self.qa)})?"

    # -- families -----------------------------------------------------------------------------
    def date_patterns(self) -> list[str]:
        out = []
        lead = self.weekday_lead()
        if "dm" in self.lex.date_orders:
            body = rf"{lead}{self.day('a')}(?:\s+{self.of})?\s+(?:{self.month_prefix}\s+)?{self.month('a')}"
            out.append(rf"{self.lead}{_g('body', body + self.tail('a'))}")
        if "md" in self.lex.date_orders:
            body = rf"{lead}{self.month('a')}\s+{self.day('a')}{END}(?:{self.year_tail('a')})?"
            out.append(rf"{self.lead}{_g('body', body)}")
        return out

    def month_day_patterns(self) -> list[str]:
        """A day of a month named by a unit: the twenty-first of the current month, the 3rd of next month."""
        body = rf"{self.weekday_lead()}{self.day('a')}\s+{self.of}\s+{self.month_unit('u')}"
        return [rf"{self.lead}{_g('body', body)}{END}"]

    def month_week_patterns(self) -> list[str]:
        """A numbered week of a month: the first week of May, the last week of next month."""
        lex = self.lex
        number = rf"(?:{_g('wo', self.ordinal)}|{_g('wl', lex.alt(lex.last_week_words))})"
        target = rf"(?:(?:{self.month_prefix}\s+)?{self.month('a')}{self.tail('a')}|{self.month_unit('u')})"
        article = rf"(?:{self.article_word}\s+)?" if self.article_word else ""
        orders = [
            rf"{self.week_units}\s+{number}",  # unit first (Arabic)
            rf"{article}{number}\s+{self.week_units}",  # ordinal first (English)
        ]
        of = rf"\s+{self.of}\s+"
        return [rf"{self.lead}{_g('body', o + of + target)}{END}" for o in orders]

    def range_patterns(self) -> list[str]:
        r = self.lex.ranges
        lex = self.lex
        start = rf"(?:{_g('rs', lex.alt(r['from'] + r['between'] + r['dual_days']))}\s+)?"
        sep = rf"(?:\s*-\s*|\s+{lex.alt(r['to'])}\s+|\s+{lex.alt(r['and'])}\s*)"
        out = []
        if "dm" in lex.date_orders:
            a = rf"{self.day('a')}(?:(?:\s+{self.of})?\s+{self.month('a')}(?:{self.year_tail('a')})?)?"
            month_b = rf"(?:{self.month_prefix}\s+)?{self.month('b')}{self.tail('b')}"
            b = rf"{self.day('b')}(?:\s+{self.of})?\s+{month_b}"
            out.append(rf"{self.lead}{_g('body', start + a + sep + b)}")
        if "md" in lex.date_orders:
            a = rf"{self.month('a')}\s+{self.day('a')}(?:,?\s+{self.year('a')})?"
            b = rf"(?:{self.month('b')}\s+)?{self.day('b')}(?:,?\s+{self.year('b')})?{END}"
            out.append(rf"{self.lead}{_g('body', start + a + sep + b)}")
        months_a = rf"(?:{self.month_prefix}\s+)?{self.month('a')}(?:{self.year_tail('a')})?"
        months_b = rf"(?:{self.month_prefix}\s+)?{self.month('b')}{self.tail('b')}"
        strict_start = rf"{_g('rs', lex.alt(r['from'] + r['between']))}\s+"
        out.append(rf"{self.lead}{_g('body', strict_start + months_a + sep + months_b)}{END}")
        years_start = (
            rf"(?:{_g('rs', lex.alt(r['from'] + r['between']))}\s+)?"
            rf"{_g('yp', f'{self.year_dual}|{self.year_prefix}')}\s+"
        )
        years_start_alt = rf"{_g('rs2', lex.alt(r['from'] + r['between']))}\s+"
        years = rf"{self.year('a')}{sep}(?:{self.year_prefix}\s+)?{self.year('b')}"
        out.append(rf"{self.lead}{_g('body', f'(?:{years_start}|{years_start_alt})' + years)}")
        return out

    def numeric_patterns(self) -> list[str]:
        lead = rf"(?:{self.wd_prefix}\s+)?(?:{_g('wd', self.weekday)}\s*,?\s*)?"
        # the separator may be spaced ("21 / 7 / 1440"), the same way both times
        one_two, four, sep = r"\d{1,2}", r"\d{4}", r" ?[/.\-] ?"
        dmy = NUM_START + _g("n1", one_two) + _g("sep", sep) + _g("n2", one_two) + "(?P=sep)" + _g("n3", four)
        ymd = NUM_START + _g("y", four) + _g("sep", sep) + _g("m", one_two) + "(?P=sep)" + _g("d", one_two)
        end = r"(?!\d|[/.\-]\d)"
        return [
            rf"{self.lead}{_g('body', lead + dmy)}{end}",
            rf"{self.lead}{_g('body', lead + ymd)}{end}",
        ]

    def month_patterns(self) -> list[str]:
        lead = rf"(?:{_g('mqb', self.qb)}\s+)?(?:{_g('mp', self.month_prefix)}\s+)?"
        body = lead + self.month("a") + self.tail("a")
        return [rf"{self.lead}{_g('body', body)}{END}"]

    def part_patterns(self) -> list[str]:
        part = _g("part", self.lex.alt(self.lex.parts))
        sep = rf"[\s\-]+(?:{self.of}\s+)?"
        targets = [
            rf"(?:{self.month_prefix}\s+)?{self.month('a')}{self.tail('a')}",
            self.unit_rel("u"),
            _g("defunit", self.lex.alt(self.lex.definite(self._part_unit_words()))),
            rf"(?:{self.year_prefix}\s+)?{self.year('y')}",
        ]
        return [rf"{self.lead}{_g('body', part + sep + t)}{END}" for t in targets]

    def _part_unit_words(self) -> list[str]:
        return [w for w, u in self.lex.unit_singular.items() if u in ("week", "month", "year")]

    def unit_rel(self, s: str) -> str:
        unit = _g(f"unit{s}", self.rel_units)
        return rf"(?:{_g(f'uqb{s}', self.qb)}\s+)?{unit}(?:\s+{_g(f'uqa{s}', self.qa)})?"

    def unit_patterns(self) -> list[str]:
        lex = self.lex
        earlier = _g("ew", lex.alt(lex.earlier_words + lex.later_words))
        today = _g("today", lex.alt(k for k, v in lex.relative_days.items() if v == 0))
        relative = rf"{earlier}(?:\s+{self.of})?\s+(?:{self.unit_rel('u')}|{today})"
        return [
            rf"{self.lead}{_g('body', self.unit_rel('u'))}{END}",
            rf"{self.lead}{_g('body', relative)}{END}",
        ]

    def season_patterns(self) -> list[str]:
        season = _g("season", self.lex.alt(self.lex.seasons))
        of = rf"(?:{self.of}\s+)?"
        bodies = [
            _g("sqb", self.qb) + r"\s+" + season,
            season + r"\s+" + _g("sqa", self.qa),
            season + r"\s+" + of + self.year_rel("y"),
        ]
        explicit = season + r"\s+" + of + rf"(?:{self.year_prefix}\s+)?" + self.year("y")
        return [rf"{self.lead}{_g('body', b)}{END}" for b in bodies] + [rf"{self.lead}{_g('body', explicit)}"]

    def shift_patterns(self) -> list[str]:
        lex = self.lex
        digits = r"\d{1,3}"
        count = "(?:" + _g("n", digits) + "|" + _g("nw", self.number) + ")"
        unit = _g("u", f"{self.plural}|{self.singular}")
        counted = rf"(?:{count}\s+{unit}|{_g('ud', self.dual)}|{_g('us', self.singular)})"
        out = []
        before = lex.shifts["ago_before"] + lex.shifts["later_before"]
        if before:
            body = _g("sb", lex.alt(before)) + r"\s+" + counted
            out.append(rf"{self.lead}{_g('body', body)}{END}")
        after = lex.shifts["ago_after"] + lex.shifts["later_after"]
        if after:
            body = counted + r"\s+" + _g("sa", lex.alt(after))
            out.append(rf"{self.lead}{_g('body', body)}{END}")
        return out

    def window_patterns(self) -> list[str]:
        lex = self.lex
        prefix = rf"(?:{_g('wp', lex.alt(lex.window_prefixes))}\s+)?"
        article = rf"(?:{self.article_word}\s+)?" if self.article_word else ""
        units = _g("wu", f"{self.plural}|{self.dual}")
        digits = r"\d{1,3}"
        count = "(?:" + _g("wn", digits) + "|" + _g("wnw", self.number) + ")"
        after = prefix + units + rf"(?:\s+{count})?\s+" + _g("wqa", self.qa)
        before = prefix + article + _g("wqb", self.qb) + rf"\s+(?:{count}\s+)?" + units
        return [rf"{self.lead}{_g('body', after)}{END}", rf"{self.lead}{_g('body', before)}{END}"]

    def relday_patterns(self) -> list[str]:
        lex = self.lex
        before = rf"(?:{_g('tod', lex.alt(lex.time_before))}\s+)?"
        prefix = rf"(?:{_g('dp', self.wd_prefix)}\s+)?"
        after = rf"(?:\s+{_g('toda', lex.alt(lex.time_after))})?"
        weekday = rf"(?:(?:\s*,\s*|\s*\(\s*|\s+){_g('wd', self.weekday)}(?:\s*\))?)?"
        body = before + prefix + _g("rel", lex.alt(lex.relative_days)) + after + weekday
        return [rf"{self.lead}{_g('body', body)}{END}"]

    def weekday_patterns(self) -> list[str]:
        body = (
            rf"(?:{_g('tod', self.lex.alt(self.lex.time_before))}\s+)?"
            rf"(?:{_g('dp', self.wd_prefix)}\s+)?(?:{_g('wqb', self.qb)}\s+)?{_g('wd', self.weekday)}"
            rf"(?:\s+{_g('wqa', self.qa)})?"
        )
        return [rf"{self.lead}{_g('body', body)}{END}"]

    def anaphora_patterns(self) -> list[str]:
        return [rf"{self.lead}{_g('body', _g('ana', self.lex.alt(self.lex.anaphora)))}{END}"]

    def year_patterns(self) -> list[str]:
        lex = self.lex
        context = lex.alt(lex.year_context)
        prefixed = _g("yp", self.year_prefix) + r"\s+" + self.year("a")
        suffix = rf"(?:\s*{_g('hsufa', self.hijri_suffix)}|{self.greg_suffix}){END}"
        marked = NUM_START + _g("yeara", r"\d{4}") + suffix
        return [
            rf"{self.lead}{_g('body', prefixed)}",
            rf"{self.lead}{context}\s+{_g('body', self.year('a'))}",
            _g("body", marked),
        ]

    def blockers(self) -> list[str]:
        lex = self.lex
        number = NUM_START + r"\d[\d,.]*"
        quantity = lex.alt(lex.quantity_words)
        names = lex.alt(lex.name_cues)
        return [
            rf"{number}\s*(?:-\s*)?{quantity}(?!\w)",
            rf"{self.lead}{names}[\s\-]*\d+(?:\s+{self.months})?{END}",
        ]
