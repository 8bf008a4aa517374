// notes-rag chat page: plain JS over /v1/chat (SSE: sources, quote, token, citations, done) and /v1/sources.
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const log = $("#log");
const tip = $("#tip");
let history = [];

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("data-") || k.startsWith("aria-") || k === "role" || k === "href" || k === "target" ||
             k === "rel" || k === "tabindex" || k === "id") node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function label(src) {
  if (src.type === "paper") {
    const pages = src.page_end ? `pp. ${src.page}-${src.page_end}` : `p. ${src.page}`;
    const path = (src.heading_path || []).slice(1).join(" › ");
    return `${src.title || src.paper_id}${path ? " › " + path : ""} (${pages})`;
  }
  return [src.file].concat(src.heading_path || []).join(" › ");
}

// where a source opens: a paper in this server's reader (the page, the quoted span marked), a note at its heading
function href(source, quote) {
  if (!source.local_url) return source.url || "#";
  return quote ? `${source.local_url}&hl=${encodeURIComponent(quote.slice(0, 400))}` : source.local_url;
}

// the API, with the key (key.js) and a JSON body
const api = (path, init = {}) => keyedFetch(path, init, {"Content-Type": "application/json"});

// ---- the quote tooltip of a citation chip (hover or keyboard focus) ------------------------------------------
function showTip(chip) {
  const c = chip._citation;
  tip.replaceChildren(
    el("div", {class: "where"}, label(c.source)),
    c.supported ? "" : el("div", {class: "flag"}, "Not supported by this source"),
    el("div", {class: "quote"}, c.quote ? `“${c.quote}”` : ""),
  );
  tip.hidden = false;
  const r = chip.getBoundingClientRect();
  tip.style.left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + innerWidth - tip.offsetWidth - 8)) + "px";
  tip.style.top = (window.scrollY + r.bottom + 6) + "px";
}
const hideTip = () => { tip.hidden = true; };
document.addEventListener("keydown", (e) => { if (e.key === "Escape") hideTip(); });

function chip(n, citation) {
  const a = el("a", {
    class: "chip" + (citation.supported ? "" : " unsupported"),
    href: href(citation.source), target: "_blank", rel: "noopener", "data-n": n, "aria-describedby": "tip",
    "aria-label": `source ${n}: ${label(citation.source)}${citation.supported ? "" : " (not supported)"}`,
  }, String(n));
  a._citation = citation;
  for (const ev of ["mouseenter", "focus"]) a.addEventListener(ev, () => showTip(a));
  for (const ev of ["mouseleave", "blur"]) a.addEventListener(ev, hideTip);
  return a;
}

// ---- one question and its answer ----------------------------------------------------------------------------
function renderAnswer(box, answer) {
  const byN = Object.fromEntries((answer.citations || []).map((c) => [c.n, c]));
  const parts = answer.answer.split(/(\[\d+\])/);
  box.replaceChildren(...parts.map((p) => {
    const m = p.match(/^\[(\d+)\]$/);
    return m && byN[m[1]] ? chip(Number(m[1]), byN[m[1]]) : document.createTextNode(p);
  }));
}

function sourcesList(title, items) {
  return el("div", {class: "passages"}, el("h3", {}, title),
    el("ol", {}, items.map(({n, source, text}) => el("li", {value: n},
      // a paper's text here is already cut around its matched part: its first sentence is what it was found by
      el("a", {href: href(source, text && firstSentence(text)), target: "_blank", rel: "noopener"}, label(source)),
      // the paper's own address stays as the external link
      source.local_url && source.url ? [" ", el("a", {class: "external", href: source.url, target: "_blank",
        rel: "noopener", "aria-label": `${label(source)} at its publisher`}, "↗")] : []))));
}

function firstSentence(text) {
  const m = text.replace(/\s+/g, " ").match(/^.{40,300}?[.!?](?=\s|$)/);
  return m ? m[0] : text.slice(0, 300);
}

const REASONS = {
  not_in_sources: "Not in your sources", weak_evidence: "Nothing close in your sources",
  unsupported_claim: "The answer was not supported by its sources", no_support: "No cited source supports the answer",
  no_value: "The answer gave no value for what was asked",
  model_declined: "The model found no answer in the sources",
};

async function ask(question) {
  const scope = document.querySelector("input[name=scope]:checked").value;
  const turn = el("article", {class: "turn"}, el("p", {class: "question"}, question));
  const box = el("div", {class: "answer", "aria-busy": "true"});
  const verdict = el("p", {class: "verdict"}, "Searching…");
  turn.append(box, verdict);
  log.append(turn);
  turn.scrollIntoView({block: "end"});
  const body = {message: question, history: history.slice(-6), stream: true};
  if (scope) body.filters = {type: scope};
  const t0 = performance.now();
  const resp = await api("/v1/chat", {method: "POST", body: JSON.stringify(body)});
  if (!resp.ok) {
    let detail = await resp.text();
    try { detail = JSON.parse(detail).detail || detail; } catch (_) { /* not JSON */ }
    box.removeAttribute("aria-busy");
    verdict.replaceChildren(el("span", {class: "error", role: "alert"}, `Error ${resp.status}: ${detail}`));
    return;
  }
  const reader = resp.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let final = null;
  for (;;) {
    const {value, done} = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, {stream: true});
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = (block.match(/^event: (.*)$/m) || [])[1];
      const data = JSON.parse((block.match(/^data: (.*)$/m) || [])[1] || "null");
      if (event === "sources") {
        turn.dataset.sourcesMs = String(performance.now() - t0);
        turn.insertBefore(sourcesList("Sources found", data.sources), box);
        verdict.textContent = "Writing the answer…";
      } else if (event === "quote") {
        // a first useful line while the model reads; the checked answer replaces it (and quotes it when needed)
        turn.dataset.quoteMs = String(performance.now() - t0);
        const where = data.source.type === "paper" ? "In the paper" : "In your notes";
        turn.insertBefore(el("blockquote", {class: "first-quote"}, `${where}: “${data.text}” `,
          el("a", {class: "chip", href: href(data.source, data.text), target: "_blank", rel: "noopener"},
            String(data.n))), box);
      } else if (event === "token") {
        if (!turn.dataset.firstTokenMs) turn.dataset.firstTokenMs = String(performance.now() - t0);
        box.append(data.text);
      } else if (event === "done") {
        final = data;
      } else if (event === "error") {
        verdict.replaceChildren(el("span", {class: "error", role: "alert"}, data.detail || "The answer failed."));
      }
    }
  }
  box.removeAttribute("aria-busy");
  if (!final) return;
  turn.querySelector(".first-quote")?.remove();
  if (final.refused) {
    turn.classList.add("refused");
    box.textContent = final.answer;
    verdict.replaceChildren(el("span", {class: "badge"}, REASONS[final.refusal_reason] || "Refused"));
    if (final.related && final.related.length)
      turn.append(sourcesList("Closest sources", final.related.map((r, i) => ({n: i + 1, source: r.source}))));
  } else {
    renderAnswer(box, final);
    const unsupported = (final.citations || []).filter((c) => !c.supported).length;
    verdict.textContent = unsupported ? `${unsupported} citation(s) not supported by the cited source` : "";
  }
  if (final.dropped && final.dropped.length)
    turn.append(el("p", {class: "dropped"}, "Left out, not supported by the sources: " + final.dropped.join(" / ")));
  turn.dataset.done = "true";
  history.push({role: "user", content: question}, {role: "assistant", content: final.answer});
}

$("#ask-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const q = $("#q").value.trim();
  if (!q) return;
  $("#q").value = "";
  $("#ask").disabled = true;
  ask(q).finally(() => { $("#ask").disabled = false; $("#q").focus(); });
});
$("#q").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); $("#ask-form").requestSubmit(); }
});
$("#new-chat").addEventListener("click", () => { history = []; log.replaceChildren(); $("#q").focus(); });
$("#key-button").addEventListener("click", () => askKey());

// ---- views: chat | sources (tabs with arrow-key navigation) ---------------------------------------------------
const tabs = [$("#tab-chat"), $("#tab-sources")];
function select(tab) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    $("#" + t.getAttribute("aria-controls")).hidden = !on;
  }
  tab.focus();
  if (tab.id === "tab-sources") loadSources();
}
for (const t of tabs) {
  t.addEventListener("click", () => select(t));
  t.addEventListener("keydown", (e) => {
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") select(tabs[(tabs.indexOf(t) + 1) % tabs.length]);
  });
}

// text addressed to an assistant (or no reader sees): listed so the user can read it; no answer step reads it
function flaggedList(flagged) {
  if (!flagged.length) return "";
  return el("details", {class: "flagged"}, el("summary", {}, `${flagged.length} flagged as instructions to an assistant`),
    el("ul", {}, flagged.map((f) => el("li", {}, `line ${f.line} (${f.where}): ${f.text}`))));
}

async function loadSources() {
  const resp = await api("/v1/sources");
  const tbody = $("#sources-table tbody");
  if (!resp.ok) { $("#sources-summary").textContent = `Error ${resp.status}`; return; }
  const {sources} = await resp.json();
  const notes = sources.filter((s) => s.type === "note");
  $("#sources-summary").textContent =
    `${notes.length} notes and ${sources.length - notes.length} papers, ` +
    `${sources.reduce((a, s) => a + s.chunks, 0)} chunks.`;
  const titles = Object.fromEntries(sources.map((s) => [s.key.replace(/^paper:/, ""), s.title || s.key]));
  tbody.replaceChildren(...sources.map((s) => el("tr", {"data-key": s.key},
    el("td", {}, s.local_url  // a paper opens in the local reader
      ? el("a", {href: s.local_url, target: "_blank", rel: "noopener"},
           s.title && s.title !== s.key ? `${s.title} (${s.key})` : s.key)
      : (s.title && s.title !== s.key ? `${s.title} (${s.key})` : s.key), flaggedList(s.flagged || [])),
    el("td", {}, s.type),
    el("td", {}, String(s.chunks)),
    el("td", {class: "links"}, s.type === "note"
      ? (s.links_to.length ? "cites " + s.links_to.map((p) => titles[p] || p).join("; ") : "")
      : (s.linked_from.length ? "cited by " + [...new Set(s.linked_from.map((l) => l.file))].join(", ") : "")),
    el("td", {}, s.ingested_at ? new Date(s.ingested_at).toLocaleString() : ""),
  )));
}
