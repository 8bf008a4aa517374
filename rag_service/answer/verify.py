"""After generation: every answer sentence checked against what it cites. Keys a small model got wrong are repaired,
uncited supported sentences get the key of their best source, and sentences whose numbers, names or own-work claims
the cited sources lack are dropped (the first one failing refuses the whole answer)."""

from __future__ import annotations

import re
from collections.abc import Callable

from rag_service.answer.checks import Finding
from rag_service.answer.cite import CitedSentence, SupportChecker, cited_sentences, split_sentences
from rag_service.answer.grounding import GroundingChecker
from rag_service.answer.payload import foreign
from rag_service.answer.values import is_number_dump
from rag_service.text.names import author_names, coined_names, specific_terms
from rag_service.text.numbers import gives_a_value, is_number, numbers
from rag_service.text.regions import LIST_MARKER
from rag_service.types import ScoredChunk

Dropped = tuple[str, Finding]  # a sentence taken out of an answer, and why
Coined = dict[str, tuple[str, ...]]  # paper id -> the names every page of it carries (coined, its authors)

_YES_NO = re.compile(r"^\W*(?:is|are|was|were|does|do|did|can|could|will|would|should|has|have)\b", re.I)
# a reference in parentheses: "(Aghajanyan et al., 2020)", "(Wei and Zhou, 2022)", "(2023)"
_PAREN_REF = re.compile(
    r"\s*\((?:see\s+)?(?:([A-Z][A-Za-z'’-]+)(?:\s+et\s+al\.?|\s+(?:and|&)\s+[A-Z][A-Za-z'’-]+)?,?\s+)?((?:19|20)\d\d)[a-z]?\)"
)


class Verifier:
    """Sentence-level checks of a generated answer against the contexts it was written from."""

    def __init__(
        self,
        checker: SupportChecker,
        grounding: GroundingChecker,
        support_threshold: float,
        paper_cards: Callable[[], dict[str, str]] | None = None,
    ) -> None:
        self.checker = checker
        self.grounding = grounding
        self.threshold = support_threshold
        self.paper_cards = paper_cards  # paper id -> card, read for the names a paper coins and its authors
        # a copy: one context holds this share of a sentence's words while what it cites holds at most cited_share
        self.copy_share, self.cited_share = 0.9, 0.6

    def coined(self, hits: list[ScoredChunk]) -> Coined:
        """Paper id -> the names it coins and its authors, for the papers among the hits: read once per answer."""
        if self.paper_cards is None:
            return {}
        cards = self.paper_cards()
        papers = dict.fromkeys(h.chunk.source.paper_id for h in hits if h.chunk.source.type == "paper")
        return {p: coined_names(cards[p]) + author_names(cards[p]) for p in papers if p and p in cards}

    def _headed(self, hits: list[ScoredChunk], coined: Coined) -> str:
        """The contexts as indexed, heading path or paper title first (a claim may name what only the heading says);
        a cited paper page also carries the names its paper coins, its authors and the question's names its window
        holds beyond the clipped part, names only: they bring no number."""
        text = "\n".join(h.chunk.index_text for h in hits)
        papers = dict.fromkeys(h.chunk.source.paper_id for h in hits if h.chunk.source.type == "paper")
        names = [n for p in papers if p in coined for n in coined[p]] + [n for h in hits for n in h.window_names]
        return f"{text}\n({', '.join(names)})" if names else text

    def asked(self, hits: list[ScoredChunk], question: str) -> str:
        """The question as the claim checks read it: a name no context holds was weighed by the answerability
        decision and is no reason to drop a sentence; a name some context holds still binds an answer's value to the
        context that names it."""
        said = "\n".join(h.chunk.index_text for h in hits)
        unheld = [t for t in specific_terms(question) if not is_number(t) and not self.grounding.says(t, said)]
        for name in unheld:
            question = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", " ", question)
        return question

    def strip_unheld_references(self, hits: list[ScoredChunk], text: str) -> str:
        """A parenthetical reference a small model appends ("(Author et al., 2020)") whose year or author what the
        sentence cites does not hold is removed, so the sentence is checked on what it says; a reference its source
        holds stays."""
        for raw in split_sentences(text):
            refs = list(_PAREN_REF.finditer(raw))
            parsed = cited_sentences(raw)
            if not refs or len(parsed) != 1:
                continue
            cited = [hits[n - 1] for n in parsed[0].keys if 0 < n <= len(hits)] or hits
            said = "\n".join(h.chunk.index_text for h in cited)
            kept = raw
            for m in refs:
                author, year = m.group(1), m.group(2)
                if year not in said or (author and author not in said):
                    kept = kept.replace(m.group(), "", 1)
            if kept != raw:
                text = text.replace(raw, kept, 1)
        return text

    def gives_asked_value(self, sentence: CitedSentence, hits: list[ScoredChunk], question: str) -> bool:
        """The sentence gives an amount of what the question asks. A terse answer (a number alone) borrows its
        subject from the question, so its number must stand, in the context it cites, in a sentence about it."""
        if not gives_a_value(sentence.text):
            return False
        if self.grounding.about_question(sentence.text, question):
            return True
        words = [w for w in self.grounding.tokenizer(sentence.text) if not is_number(w)]
        if len(words) > 3:  # a sentence about something else, not an elliptical one
            return False
        wanted = numbers(sentence.text)
        cited = [hits[n - 1].chunk.text for n in sentence.keys if 0 < n <= len(hits)]
        return any(
            numbers(line) & wanted and self.grounding.about_question(line, question)
            for text in cited
            for line in split_sentences(text)
        )

    def entails(self, sentence: str, joint: str, is_paper: bool, question: str = "") -> bool:
        """The one definition of "these passages say this sentence": support score at the threshold and the claims
        hold (its numbers and names; an own-work claim needs a note). ALCE's judge in eval."""
        return self.checker.support(sentence, joint).score >= self.threshold and not self.grounding.claim_problems(
            sentence, joint, is_paper, question
        )

    def findings(
        self,
        sentence: str,
        ctx: list[ScoredChunk],
        question: str,
        coined: Coined,
        short: bool = False,
    ) -> list[Finding]:
        """What every claim check finds wrong with the sentence against the contexts it cites, read together (ALCE's
        joint support). A list item or fragment (``short``) is checked for its language, numbers and names only."""
        return self._whole(sentence, question, short) or self._claims(sentence, ctx, question, coined, short)

    def _whole(self, sentence: str, question: str, short: bool) -> list[Finding]:
        """The checks of the sentence alone, whatever it cites: its language, and a table's numbers strung together."""
        checks = self.grounding.checks
        if foreign(sentence, question, self.grounding.common) and (
            other := checks.find("language", "not in the language of the question")
        ):
            return other
        if not short and is_number_dump(sentence):
            return checks.find("number_dump", "a table's numbers strung together")
        return []

    def _claims(
        self, sentence: str, ctx: list[ScoredChunk], question: str, coined: Coined, short: bool = False
    ) -> list[Finding]:
        """The checks of the sentence against the contexts: numbers, names, counts, own work, where a number sits."""
        found = self.grounding.claim_problems(sentence, self._headed(ctx, coined), _all_papers(ctx), question)
        if short:
            return found
        return (
            found
            + self.grounding.unbound_numbers(sentence, ctx, question)
            + self.grounding.unowned_numbers(sentence, ctx, question)
        )

    def check_claims(self, hits: list[ScoredChunk], question: str, text: str) -> tuple[str, list[Dropped], bool]:
        """Drop the sentences whose numbers, names or "my ..." claims are not in the sources they cite (or, uncited,
        in any context). Returns the kept text, each dropped sentence with its first finding, and whether the main
        (first) claim failed."""
        found: list[Dropped] = []
        main_failed = False
        coined = self.coined(hits)
        for i, raw in enumerate(split_sentences(text)):
            parsed = cited_sentences(raw)
            if len(parsed) != 1 or not re.search(r"[^\W\d_]", parsed[0].text):  # a list number alone says nothing
                continue
            sent = parsed[0]
            cited = [hits[n - 1] for n in sent.keys if 0 < n <= len(hits)]
            short = len(sent.text.split()) < 3  # a list item or a fragment: only its numbers and names are checked
            # cited: what it cites, together, must hold it (ALCE's joint support); uncited: some context must
            if cited:
                failing = self.findings(sent.text, cited, question, coined, short)
            else:  # the first context that holds it ends the search; none: the first one's finding
                failing = self._whole(sent.text, question, short)
                for h in [] if failing else hits:
                    if not (found_here := self.findings(sent.text, [h], question, coined, short)):
                        failing = []
                        break
                    failing = failing or found_here
            if failing:
                found.append((sent.text, failing[0]))
                text = text.replace(raw, "", 1)  # in place, so the lines of a list stay lines
                main_failed = main_failed or (i == 0 and not short)
        return _tidy(text), found, main_failed

    def drop_unsupported(self, hits: list[ScoredChunk], question: str, text: str) -> tuple[str, list[Dropped]]:
        """Drop cited sentences their sources, together, do not support (score under the threshold), so a filler
        sentence does not mark a true answer's citation unsupported; kept when nothing else would be left (that
        answer is refused as it is). Sentences that only restate the question go in any case."""
        weak: list[tuple[str, Finding]] = []
        empty: list[tuple[str, Finding]] = []
        kept = 0
        asked = set(self.grounding.tokenizer(question))
        yes_no = bool(_YES_NO.match(question))  # a yes/no question is answered in its own words
        checks = self.grounding.checks
        for raw in split_sentences(text):
            parsed = cited_sentences(raw)
            if len(parsed) != 1 or len(parsed[0].text.split()) < 3:
                continue
            words = set(self.grounding.tokenizer(parsed[0].text))
            if words and words <= asked and not yes_no and checks.on("restates_question"):
                empty += [(raw, f) for f in checks.find("restates_question", "it only restates the question")]
                continue
            cited = [hits[n - 1] for n in parsed[0].keys if 0 < n <= len(hits)]
            weak_score = cited and self.checker.support(parsed[0].text, _text(cited)).score < self.threshold
            if weak_score and checks.on("support"):
                weak += [(raw, f) for f in checks.find("support", "what it cites does not support it")]
            else:
                kept += 1
        gone = empty + (weak if kept else [])
        for raw, _ in gone:
            text = text.replace(raw, "", 1)
        return _tidy(text), [(cited_sentences(raw)[0].text, f) for raw, f in gone]

    def _passes(self, hits: list[ScoredChunk], question: str, sentence: str, keys: list[int], coined: Coined) -> bool:
        """The cited contexts, together, support the sentence and pass the claim checks (the test check_claims applies
        afterwards, so a sentence is never re-cited to a context that then fails it)."""
        cited = [hits[n - 1] for n in keys]
        support = self.checker.support(sentence, _text(cited)).score
        return support >= self.threshold and not self._claims(sentence, cited, question, coined)

    def recite(self, hits: list[ScoredChunk], question: str, text: str) -> tuple[str, set[int]]:
        """Each sentence cited to where it is said, so its deep link opens there. A small model numbers a true sentence
        with the wrong source, with one that merely supports it, or with none. A sentence is re-cited when what it
        cites fails the support or claim check, or when one other context holds (nearly) all of its words while what
        it cites holds few (a copy, inflected or not): to the passing context holding most of its words, then the best
        supporting. A short list item goes to the first context holding it word for word. Keys marked
        ``inferred``; a sentence no context passes is left for the claim check."""
        moved: set[int] = set()
        coined = self.coined(hits)
        words = [set(self.checker.tokenizer(h.chunk.text, closed_compounds=False)) for h in hits]
        for raw in split_sentences(text):
            parsed = cited_sentences(raw)
            if len(parsed) != 1:
                continue
            sent = parsed[0]
            keys = [n for n in sent.keys if 0 < n <= len(hits)]
            if len(sent.text.split()) < 3:
                item = _squeezed(LIST_MARKER.sub("", sent.text)).strip()
                verbatim = [n for n, h in enumerate(hits, start=1) if len(item) >= 3 and f" {item} " in _squeezed(h)]
                if not keys and verbatim and sent.text in text:
                    text = text.replace(sent.text, f"{sent.text} [{verbatim[0]}]", 1)
                    moved.add(verbatim[0])
                continue
            own = set(self.checker.tokenizer(sent.text, closed_compounds=False))  # "resource-intensive": two words
            share = [len(own & w) / len(own) if own else 0.0 for w in words]
            cited_share = len(own & set().union(*(words[n - 1] for n in keys))) / len(own) if keys and own else 0.0
            copied = max(share, default=0.0) >= self.copy_share and cited_share <= self.cited_share
            holds = bool(keys) and self._passes(hits, question, sent.text, keys, coined)
            if holds and not copied:
                continue
            support = [self.checker.support(sent.text, h.chunk.text).score for h in hits]
            order = sorted(range(len(hits)), key=lambda i: (-share[i] if copied else 0.0, -support[i]))
            to = next(
                (
                    i + 1
                    for i in order
                    if i + 1 not in keys
                    and (not holds or share[i] >= self.copy_share)  # a passing key moves only to the copy's source
                    and support[i] >= self.threshold
                    and self._passes(hits, question, sent.text, [i + 1], coined)
                ),
                None,
            )
            if to is None and not keys and support and max(support) >= self.threshold:
                to = order[0] + 1  # uncited and supported: the best source, though a check may drop it later
            if to is not None and raw in text:
                text = text.replace(raw, _recited(raw, to), 1)
                moved.add(to)
        return text, moved


def _recited(raw: str, key: int) -> str:
    """The sentence with its keys replaced by ``key``."""
    return re.sub(r"\s*\[\d+(?:\s*[,;]\s*\d+)*\]", "", raw).rstrip() + f" [{key}]"


def _text(hits: list[ScoredChunk]) -> str:
    """What several contexts say together."""
    return "\n".join(h.chunk.text for h in hits)


def _all_papers(hits: list[ScoredChunk]) -> bool:
    return all(h.chunk.source.type == "paper" for h in hits)


def _squeezed(hit: ScoredChunk | str) -> str:
    """Lowercase words between single spaces, for a word-for-word match."""
    text = hit if isinstance(hit, str) else hit.chunk.text
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


def _tidy(text: str) -> str:
    """The gaps that removed sentences leave: blank lines and runs of spaces."""
    return re.sub(r"[ \t]{2,}", " ", re.sub(r"\n\s*\n+", "\n", text)).strip()
