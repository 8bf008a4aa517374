// notes-rag local reader: /papers/<id>?page=N&hl=<quote> shows the page rendered by the server with the quote's
// words marked (GET /v1/papers/<id>/pages/N.png and .../highlight?q=); when the quote runs on over the page break,
// the next page is shown too with the rest marked.
"use strict";

const $ = (sel) => document.querySelector(sel);
const params = new URLSearchParams(location.search);
const paper = decodeURIComponent(location.pathname.replace(/^\/papers\//, ""));
const quote = params.get("hl") || "";
let page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
let pages = null;

async function api(path) {
  const resp = await keyedFetch(path);  // key.js
  if (!resp.ok) {
    let detail = resp.statusText;
    try { detail = (await resp.json()).detail || detail; } catch (_) { /* not JSON */ }
    throw new Error(detail);
  }
  return resp;
}

const base = `/v1/papers/${encodeURIComponent(paper)}`;

async function showPage(n, marks) {
  const img = new Image();
  img.alt = `Page ${n} of ${paper}`;
  const resp = await api(`${base}/pages/${n}.png`);
  pages = parseInt(resp.headers.get("X-Page-Count") || "0", 10) || pages;
  img.src = URL.createObjectURL(await resp.blob());
  await img.decode();
  const figure = document.createElement("figure");
  figure.className = "page";
  figure.dataset.page = String(n);
  figure.append(img);
  for (const b of marks ? marks.boxes : []) {
    const mark = document.createElement("div");
    mark.className = "mark";
    Object.assign(mark.style, {left: `${b.x0 * 100}%`, top: `${b.y0 * 100}%`,
      width: `${(b.x1 - b.x0) * 100}%`, height: `${(b.y1 - b.y0) * 100}%`});
    figure.append(mark);
  }
  if (marks) figure.dataset.found = String(marks.found);
  $("#pages").append(figure);
  return figure;
}

async function marksOn(n) {
  if (!quote) return null;
  return (await api(`${base}/pages/${n}/highlight?q=${encodeURIComponent(quote)}`)).json();
}

let loading = 0;  // a newer load() makes an older one stop adding pages

async function load() {
  const mine = ++loading;
  $("#pages").replaceChildren();
  $("#status").textContent = "Loading…";
  document.body.dataset.ready = "false";
  try {
    const marks = await marksOn(page);
    if (mine !== loading) return;
    if (marks) pages = marks.pages;
    const first = await showPage(page, marks);
    // a cited window may start a page or two before its quote, and a quote may run on over the page break: the
    // following pages (up to 3) until the quote is all marked
    let found = marks ? marks.found : 1;
    for (let n = page + 1; found < 0.95 && n <= Math.min(page + 3, pages || page); n++) {
      const rest = await marksOn(n);
      if (mine !== loading) return;
      if (rest && rest.boxes.length) {
        await showPage(n, rest);
        found += rest.found;
      }
    }
    const marked = document.querySelector(".mark");
    (marked || first).scrollIntoView({block: "center"});
    $("#status").textContent = quote
      ? (marked ? "The quoted passage is marked." : "The quoted passage was not found on this page.")
      : "";
  } catch (err) {
    $("#status").textContent = `Could not open the paper: ${err.message}`;
  }
  $("#where").textContent = `${paper}, page ${page}${pages ? " of " + pages : ""}`;
  document.body.dataset.ready = "true";
}

function go(n) {
  if (n < 1 || (pages && n > pages)) return;
  page = n;
  params.set("page", String(n));
  history.replaceState(null, "", `${location.pathname}?${params}`);
  load();
}

$("#prev").addEventListener("click", () => go(page - 1));
$("#next").addEventListener("click", () => go(page + 1));
$("#pdf").addEventListener("click", async () => {
  const blob = await (await api(`${base}/pdf`)).blob();
  window.open(URL.createObjectURL(blob) + `#page=${page}`, "_blank", "noopener");
});
load();
