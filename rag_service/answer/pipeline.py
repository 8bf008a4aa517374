"""Question (+ history) -> standalone question -> contexts -> answer with checked citations, or a refusal."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rag_service.answer import prompts, quote
from rag_service.answer.checks import Checks
from rag_service.answer.cite import (
    SupportChecker,
    cited_sentences,
    clean_answer,
    collapse_keys,
    drop_keys,
    drop_repeats,
    move_source_lines,
    strip_unknown_keys,
)
from rag_service.answer.decide import Decision, decide
from rag_service.answer.evidence import EvidenceMeter, Sentence
from rag_service.answer.frame import Frame, about_notes, asks_own_work, is_personal, parse
from rag_service.answer.grounding import GroundingChecker
from rag_service.answer.payload import drop_links
from rag_service.answer.verify import Dropped, Verifier
from rag_service.index.store import Filters
from rag_service.links import linked
from rag_service.llm.backends import LLMHandle
from rag_service.retrieval.hybrid import HybridRetriever, RetrievalConfig
from rag_service.retrieval.window import clip_hit
from rag_service.settings import Settings
from rag_service.text import lexicon
from rag_service.text.injection import as_data_hit
from rag_service.text.names import specific_terms
from rag_service.types import Answer, Citation, Message, Related, ScoredChunk

_WORD = re.compile(r"[A-Za-z]{2,}")
_FAKE_FRAME = re.compile(r"^(\s*)(\[\d+\] \(|question:|sources:)", re.I | re.M)


def _findings(dropped: list[Dropped]) -> list[str]:
    """Why each sentence was dropped, as "check: detail" (the check names of answer/checks.py)."""
    return [f"{finding.check}: {finding}" for _, finding in dropped]


def _quote(text: str) -> str:
    """Context text cannot forge the prompt's framing (a source header or a new 'Question:' line)."""
    return _FAKE_FRAME.sub(lambda m: f"{m.group(1)}> {m.group(2)}", text)


@dataclass
class Prepared:
    """Everything decided before generation."""

    question: str
    hits: list[ScoredChunk]
    refused: bool
    timings: dict[str, float] = field(default_factory=dict)
    reason: str | None = None  # why it is refused before generation
    degraded: bool = False  # retrieved by BM25 alone (vector store unreachable)
    frame: Frame | None = None
    decision: Decision | None = None


@dataclass
class StreamEvent:
    kind: str  # sources | quote | token | answer
    data: Any


class AnswerPipeline:
    """The one code path behind /v1/chat, `notes-rag ask` and eval runs."""

    def __init__(self, retriever: HybridRetriever, settings: Settings, llm: LLMHandle | None) -> None:
        self.retriever = retriever
        self.settings = settings
        self.llm = llm
        key = settings.answer.fence_key
        self.fence_key = key.encode() if key else secrets.token_bytes(16)
        self.checker = SupportChecker(retriever.index.embedder)
        self.grounding = GroundingChecker(retriever.index.embedder.is_common_word, Checks(settings.answer.checks_off))
        self.meter = EvidenceMeter(
            self.checker,
            self.grounding.tokenizer,
            settings.answer.extractive_lexical_weight,
            settings.answer.list_chars,
            # through the index each time: its BM25 is rebuilt when another process writes (live index)
            knows=lambda stem: retriever.index.bm25.knows(stem),
            common=retriever.index.embedder.is_common_word,
            says=self.grounding.says,
        )
        index = retriever.index
        self.verifier = Verifier(
            self.checker, self.grounding, settings.answer.support_threshold, paper_cards=lambda: index.paper_cards
        )

    @property
    def backend(self) -> str:
        return self.llm.name if self.llm else "extractive"

    # ---- steps ----------------------------------------------------------------------------------------------
    def condense(self, message: str, history: list[Message]) -> str:
        """A standalone question: the LLM rewrites follow-ups when there is one; otherwise a follow-up (pronoun or
        'and ...') is prefixed with the previous user question so retrieval keeps its topic."""
        previous = [m.content for m in history if m.role == "user"]
        if not previous or not lexicon.FOLLOW_UP.search(message):
            return message
        if self.llm is not None:
            from llama_index.core.llms import ChatMessage

            turns = "\n".join(f"{m.role}: {m.content[:500]}" for m in history[-6:])
            text = prompts.CONDENSE.format(history=turns, message=message)
            out = self.llm.llm.chat([ChatMessage(role="user", content=text)]).message.content or ""
            out = out.strip().split("\n")[0].strip()
            if 5 < len(out) < 400:
                return out
        return f"{previous[-1]} {message}"

    def prepare(
        self,
        message: str,
        history: list[Message],
        k: int | None = None,
        filters: Filters | None = None,
        config: RetrievalConfig | None = None,
    ) -> Prepared:
        t0 = time.perf_counter()
        question = self.condense(message, history)
        condense_ms = (time.perf_counter() - t0) * 1000
        a = self.settings.answer
        if (about_notes(question) or is_personal(question)) and not (filters or {}).get("type"):
            # a question about the notes or the user's own doing: only the notes can say, and the gate and the claim
            # check read the notes alone for such a question, so paper chunks would only take their slots
            filters = {**(filters or {}), "type": "note"}
        result = self.retriever.retrieve(question, k or a.max_contexts, filters, config, note_margin=a.note_margin)
        # Sources are data: what reads as an instruction to an assistant is withheld from every later step (prompt,
        # evidence, checks, quotes), so a planted line can neither steer the model nor pass as a supported claim;
        # read on the whole window, before it is cut, so no cut leaves half an instruction unrecognised.
        hits = [as_data_hit(h, self.settings.injection) for h in result.hits]
        # A paper hit comes as a wide window; the prompt gets the part around the matched chunk, and the support
        # check and citations see exactly that part.
        limit = self.settings.answer.context_chars
        hits = [
            clip_hit(h, limit, specific_terms(question), self.grounding.says) if len(h.chunk.text) > limit else h
            for h in hits
        ]
        timings = {"condense_ms": round(condense_ms, 2), **result.timings}
        # the question parsed once, the evidence measured once, one fitted decision (answer/decide.py)
        t1 = time.perf_counter()
        frame = parse(question, self.grounding.tokenizer)
        evidence = self.meter.measure(frame, hits, result.best_similarity, result.best_passage)
        decision = decide(evidence, a.decision, a.min_evidence)
        timings["decide_ms"] = round((time.perf_counter() - t1) * 1000, 2)
        reason = decision.reason
        return Prepared(
            question=question,
            hits=hits,
            refused=reason is not None,
            timings=timings,
            reason=reason,
            frame=frame,
            decision=decision,
            degraded=result.degraded,
        )

    def messages(self, prep: Prepared) -> list[Any]:
        """System + user messages; contexts are wrapped as quoted data with their numbers and labels."""
        from llama_index.core.llms import ChatMessage

        parts = [(n, prep.hits[n - 1].chunk.source.label(), _quote(text)) for n, text in self.contexts(prep)]
        # keyed by a secret and the prompt's own text: a source's text cannot close its fence, and a run is repeatable;
        # a fence some source happens to hold is drawn again
        fence, salt = "", 0
        while not fence or any(fence in text for _, _, text in parts):
            message = repr((prep.question, parts, salt)).encode()
            fence, salt = f"source-{hmac.new(self.fence_key, message, hashlib.sha256).hexdigest()[:6]}", salt + 1
        contexts = "\n\n".join(
            prompts.CONTEXT.format(n=str(n), label=label, text=text, fence=fence) for n, label, text in parts
        )
        question = prompts.QUESTION.format(contexts=contexts, question=prep.question, fence=fence)
        return [
            ChatMessage(role="system", content=prompts.SYSTEM.format()),
            ChatMessage(role="user", content=question),
        ]

    def contexts(self, prep: Prepared) -> list[tuple[int, str]]:
        """What the model reads of each context, by key: the evidence sentences within answer.prompt_chars (the
        claim and support checks still read the whole context), or every context whole when the budget is 0."""
        budget = self.settings.answer.prompt_chars
        sentences = prep.decision.evidence.sentences if prep.decision else []
        if budget and sentences:
            return sorted(quote.excerpts(sentences, budget).items())
        return [(n, h.chunk.text) for n, h in enumerate(prep.hits, start=1)]

    def first_quote(self, prep: Prepared) -> Sentence | None:
        """The best-ranked evidence sentence that passes the claim checks: sent to a reader before the model starts,
        and put under the model's answer when the answer does not say it."""
        sentences = prep.decision.evidence.sentences if prep.decision else []
        asked = self.verifier.asked(prep.hits, prep.question)
        floor = self.settings.answer.extractive_min_similarity
        return quote.first(sentences, floor, lambda line: self._holds(prep, line, asked))

    def extractive(self, prep: Prepared) -> str:
        """No-LLM answer: the best-matching evidence sentences that pass the checks, quoted (quote.extractive)."""
        sentences = prep.decision.evidence.sentences if prep.decision else []
        asked = self.verifier.asked(prep.hits, prep.question)
        return quote.extractive(
            sentences, self.settings.answer.extractive_min_similarity, lambda line: self._holds(prep, line, asked)
        )

    def finish(
        self, prep: Prepared, raw: str, timings: dict[str, float], lead: Sentence | None | bool = True
    ) -> Answer:
        """Map and check citations; decide refusal. ``lead``: the quote for under a model's answer (True: find it)."""
        t0 = time.perf_counter()
        labels = [h.chunk.source.label() for h in prep.hits]
        text = move_source_lines(drop_repeats(clean_answer(raw, labels)))
        if self.llm is not None and len(_WORD.findall(drop_keys(text))) < 2 and not asks_own_work(prep.question):
            # the small model sometimes answers with a key alone or a key and the context's label: quote the
            # contexts instead, checked the same way (not for questions about the user's own work, where a quoted
            # number would pass for theirs)
            text = move_source_lines(drop_repeats(clean_answer(self.extractive(prep), labels)))
            timings["extractive_fallback_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        text = drop_links(text, prep.question, [linked(h.chunk.source, self.settings).url or "" for h in prep.hits])
        text, model_keys = strip_unknown_keys(text, len(prep.hits))
        text = self.verifier.strip_unheld_references(prep.hits, text)
        asked = self.verifier.asked(prep.hits, prep.question)
        text, inferred = self.verifier.recite(prep.hits, asked, text)
        text = collapse_keys(text)
        text, dropped, main_failed = self.verifier.check_claims(prep.hits, asked, text)
        if not main_failed:
            text, weak = self.verifier.drop_unsupported(prep.hits, asked, text)
            dropped += weak
        if main_failed or len(drop_keys(text).split()) < 3:  # or keys alone: "[1] [2] [3]"
            timings["check_ms"] = round((time.perf_counter() - t0) * 1000, 2)
            return self._refusal(prep, "unsupported_claim" if main_failed else "no_support", timings, dropped)
        sentences, citations = self._citations(prep, text, model_keys, inferred)
        timings["check_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        declined = bool(lexicon.DECLINE.search(text)) and not any(c.supported for c in citations)
        if declined or not any(c.supported for c in citations):
            # An answer none of whose citations is supported by what it cites is not shown.
            return self._refusal(prep, "model_declined" if declined else "no_support", timings, dropped)
        if (
            prep.frame is not None
            and prep.frame.value
            and not any(self.verifier.gives_asked_value(s, prep.hits, asked) for s in sentences)
            and self.grounding.checks.find("no_value", "an amount was asked and none is given")
        ):
            # an amount was asked and no sentence gives one of what was asked: the sources do not hold the value, or
            # the model would have copied it; an amount in a sentence about something else is no answer either
            return self._refusal(prep, "no_value", timings, dropped)
        if self.llm is not None and "extractive_fallback_ms" not in timings and self.settings.answer.lead_quote:
            # decided on the model's own sentences above: the quote never turns a refusal into an answer
            found = self.first_quote(prep) if lead is True else lead or None
            extra = quote.lead_line(found, drop_keys(text), self.grounding.tokenizer) if found else None
            if found and extra:
                text = f"{text}\n{extra}"
                inferred.add(found.n)
                sentences, citations = self._citations(prep, text, model_keys, inferred)
                timings["quote_ms"] = round((time.perf_counter() - t0) * 1000 - timings["check_ms"], 2)
        return Answer(
            answer=text,
            dropped=[sentence for sentence, _ in dropped],
            findings=_findings(dropped),
            citations=citations,
            refused=False,
            related=self._related(prep),
            question=prep.question,
            backend=self.backend,
            timings=timings,
            degraded=prep.degraded,
        )

    def _holds(self, prep: Prepared, sentence: str, asked: str) -> bool:
        """A sentence the system adds passes the claim check and the support check the model's sentences pass."""
        kept, dropped, _ = self.verifier.check_claims(prep.hits, asked, sentence)
        if dropped:
            return False
        _, weak = self.verifier.drop_unsupported(prep.hits, asked, kept)
        return not weak

    def _citations(
        self, prep: Prepared, text: str, model_keys: list[int], inferred: set[int]
    ) -> tuple[list[Any], list[Citation]]:
        """The answer's cited sentences and one citation per key they use, its support the weakest of them."""
        sentences = cited_sentences(text)
        kept = {k for s in sentences for k in s.keys}
        used = [n for n in model_keys + sorted(n for n in inferred if n not in model_keys) if n in kept]
        citations: list[Citation] = []
        for n in sorted(used):  # listed as a reader looks them up: [1], [2], ...
            hit = prep.hits[n - 1]
            citing = [s.text for s in sentences if n in s.keys and s.text] or [text]
            supports = [self.checker.support(s, hit.chunk.text) for s in citing]
            weakest = min(supports, key=lambda s: s.score)  # every sentence citing [n] must be supported
            citations.append(
                Citation(
                    n=n,
                    chunk_id=hit.chunk.id,
                    source=hit.chunk.source,
                    quote=weakest.quote,
                    supported=weakest.score >= self.settings.answer.support_threshold,
                    support=weakest.score,
                    also_in=hit.also_in,
                    inferred=n not in model_keys,
                )
            )
        return sentences, citations

    def _related(self, prep: Prepared) -> list[Related]:
        return [
            Related(chunk_id=h.chunk.id, source=h.chunk.source, score=round(h.dense_score or 0.0, 4))
            for h in prep.hits[:5]
        ]

    def _refusal(
        self, prep: Prepared, reason: str, timings: dict[str, float], dropped: list[Dropped] | None = None
    ) -> Answer:
        return Answer(
            answer=self._near_miss(prep) if reason == "not_in_sources" else prompts.REFUSAL,
            dropped=[sentence for sentence, _ in dropped or []],
            findings=_findings(dropped or []),
            refused=True,
            refusal_reason=reason,
            related=self._related(prep),
            question=prep.question,
            backend=self.backend,
            timings=timings,
            degraded=prep.degraded,
        )

    def _near_miss(self, prep: Prepared) -> str:
        """Say what the sources do have and what they lack, so a refusal still points somewhere."""
        d, f = prep.decision, prep.frame
        usable = [h for h in prep.hits if h.chunk.source.type == "note"] if f and f.personal else prep.hits
        if d is None or not d.evidence.found or not d.evidence.weakest or not usable:
            return prompts.REFUSAL
        e = d.evidence
        return prompts.NEAR_MISS.format(
            found=", ".join(e.found[:3]), where=usable[0].chunk.source.label(), missing=", ".join(e.weakest[:3])
        )

    def warm_up(self) -> None:
        """One tiny generation with the fixed system prompt, so the model is loaded and llama.cpp holds the prompt
        prefix every request starts with."""
        if self.llm is None:
            return
        from llama_index.core.llms import ChatMessage

        self.llm.llm.chat(
            [ChatMessage(role="system", content=prompts.SYSTEM.format()), ChatMessage(role="user", content="Hi")],
            max_tokens=1,
        )

    # ---- entry points ---------------------------------------------------------------------------------------
    def stream(
        self,
        message: str,
        history: list[Message] | None = None,
        k: int | None = None,
        filters: Filters | None = None,
        config: RetrievalConfig | None = None,
    ) -> Iterator[StreamEvent]:
        """A ``sources`` event as soon as retrieval is done (the passages the answer will quote), a ``quote`` event
        with the best source sentence that passes the claim checks (when the question is not refused first), token
        events as the answer is generated, then one ``answer`` event with the checked Answer."""
        t0 = time.perf_counter()
        prep = self.prepare(message, history or [], k, filters, config)
        timings = dict(prep.timings)
        timings["retrieve_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        yield StreamEvent("sources", prep.hits)
        if prep.refused or not prep.hits:
            yield StreamEvent("answer", self._refusal(prep, prep.reason or "weak_evidence", timings))
            return
        lead = self.first_quote(prep)
        timings["first_quote_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        if lead is not None:  # a first useful line while the model reads its prompt
            yield StreamEvent("quote", lead)
        t1 = time.perf_counter()
        if self.llm is None:
            raw = self.extractive(prep)
            timings["first_token_ms"] = round((time.perf_counter() - t1) * 1000, 2)
            yield StreamEvent("token", raw)
        else:
            parts: list[str] = []
            for chunk in self.llm.llm.stream_chat(self.messages(prep)):
                delta = chunk.delta or ""
                if delta:
                    if not parts:
                        timings["first_token_ms"] = round((time.perf_counter() - t1) * 1000, 2)
                    parts.append(delta)
                    yield StreamEvent("token", delta)
            raw = "".join(parts)
        timings["generate_ms"] = round((time.perf_counter() - t1) * 1000, 2)
        answer = self.finish(prep, raw, timings, lead)
        answer.timings["total_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        yield StreamEvent("answer", answer)

    def answer(
        self,
        message: str,
        history: list[Message] | None = None,
        k: int | None = None,
        filters: Filters | None = None,
        config: RetrievalConfig | None = None,
    ) -> Answer:
        """The complete answer (same path as streaming)."""
        final: Answer | None = None
        for event in self.stream(message, history, k, filters, config):
            if event.kind == "answer":
                final = event.data
        assert final is not None
        return final
