"""The web chat's page around Gradio's components: its style (both themes, phone and desktop)
and its script (direction, labels for screen readers, copying an answer as text, the article
view). Gradio takes them as `css` and `js` (run once the page is loaded)."""

from __future__ import annotations

import json

from bot.texts import TEXT

CSS = """
.sanad-intro *, .sanad-question, .sanad-message, .sanad-message * {
  unicode-bidi: plaintext; text-align: start; }
.sanad-message .answer { white-space: pre-wrap; }
.sanad-message a.cite { text-decoration: none; font-weight: 600; unicode-bidi: isolate; }
.sanad-message .unverified { margin-top: .5em; padding: .3em .6em; border-radius: 6px;
  background: #fff3cd; color: #664d03; border-inline-start: 4px solid #b58100; }
.sanad-message .sources { margin-top: .8em; border-top: 1px solid #ddd; padding-top: .4em;
  font-size: .92em; }
.sanad-message .sources-title { font-weight: 700; margin-bottom: .3em; }
.sanad-message .source { margin: .4em 0; scroll-margin-top: 1em; }
.sanad-message .source:target { outline: 2px solid #f0b429; border-radius: 4px; }
.sanad-message .source-file, #sanad-article .source-file { font-size: .9em; }
.sanad-message blockquote { margin: .2em 0; padding: 0 .6em; border-inline-start: 3px solid #ccc; }
/* the cited sentence: dark text on amber in both themes (contrast over 10:1) */
.sanad-message mark, #sanad-article mark { background: #ffe58a; color: #1f2328; }
.sanad-message.writing .answer { opacity: .75; font-style: italic; }
.sanad-message .draft-note { font-size: .85em; opacity: .8; margin-bottom: .2em; }
.sanad-message .withdrawn { margin-top: .5em; font-size: .9em; opacity: .85; }
.sanad-message .corrected { margin-top: .4em; font-size: .85em; opacity: .85; }
/* the articles table: the page's font, each cell in its own direction, nothing cut off */
#sanad-articles, #sanad-articles * { font-family: var(--body-text-font, system-ui), sans-serif
  !important; }
#sanad-articles td, #sanad-articles td *, #sanad-articles th, #sanad-articles th * {
  unicode-bidi: plaintext; text-align: start; }
#sanad-articles table { table-layout: auto; width: 100%; }
html[dir="rtl"] #sanad-articles table { direction: rtl; }
/* an empty question box (dir=auto has nothing to go by) shows its hint in the page's direction */
html[dir="rtl"] #sanad-question textarea:placeholder-shown { direction: rtl; }
/* the whole article, beside the chat (over it on a phone) */
#sanad-article { position: fixed; inset-block: 0; inset-inline-end: 0; z-index: 1000;
  width: min(560px, 100vw); overflow: auto; padding: 1em 1.2em; box-sizing: border-box;
  background: var(--background-fill-primary, #fff); color: var(--body-text-color, #111);
  box-shadow: 0 0 24px rgba(0, 0, 0, .25); }
#sanad-article[hidden] { display: none; }
#sanad-article .article-text { white-space: pre-wrap; line-height: 1.8; }
#sanad-article .article-head { display: flex; gap: .5em; align-items: start;
  justify-content: space-between; position: sticky; top: -1em; padding-block: .5em;
  background: var(--background-fill-primary, #fff); }
#sanad-article button { font-size: 1em; padding: .2em .8em; cursor: pointer; }
/* Gradio's primary (orange) and stop (red) buttons, and its footer links, are under 4.5:1
   with their text: darker shades of the same colours */
button.primary { background: #b93a06 !important; border-color: #b93a06 !important;
  color: #fff !important; }
button.stop { background: #b42318 !important; border-color: #b42318 !important;
  color: #fff !important; }
footer a, footer button, .show-api { color: var(--body-text-color) !important; opacity: 1
  !important; }
/* Gradio's own toolbar over the messages (a "clear" that bypasses New chat, and on a phone
   it covered the first message) */
#sanad-chat .icon-button-wrapper.top-panel { display: none; }
"""

# the labels the script gives controls Gradio leaves unnamed for a screen reader
LABELS = {
    language: {key: TEXT[language][key] for key in
               ("placeholder", "close", "article_view", "sources", "loading_article")}
    for language in ("en", "ar")
}  # fmt: skip

JS = """
() => {
  const LABELS = __LABELS__;
  const tags = (navigator.languages && navigator.languages.length)
    ? navigator.languages : [navigator.language || "en"];
  const first = tags.map((t) => t.toLowerCase())
    .find((t) => t.startsWith("ar") || t.startsWith("en")) || "en";
  const lang = first.startsWith("ar") ? "ar" : "en";
  const L = LABELS[lang];
  // the page reads in the browser's language: Arabic right to left
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";

  // Gradio renders as it goes: name and orient controls whenever they appear
  const tidy = () => {
    const box = document.querySelector("#sanad-question textarea");
    if (box && box.getAttribute("dir") !== "auto") box.setAttribute("dir", "auto");
    if (box && !box.getAttribute("aria-label")) box.setAttribute("aria-label", L.placeholder);
  };
  new MutationObserver(tidy).observe(document.body, { childList: true, subtree: true });
  tidy();

  // "Copy" on a message: the answer and its sources as text, not the page's markup
  const asText = (value) => {
    if (typeof value !== "string" || !value.includes("sanad-")) return value;
    const doc = new DOMParser().parseFromString(value, "text/html");
    const question = doc.querySelector(".sanad-question");
    if (question) return question.textContent.trim();
    const parts = [];
    const answer = doc.querySelector(".answer");
    if (answer) parts.push(answer.textContent.trim());
    const sources = doc.querySelectorAll(".source");
    if (sources.length) {
      const title = doc.querySelector(".sources-title");
      parts.push((title ? title.textContent.trim() : L.sources) + ":");
      sources.forEach((source) => {
        const head = source.querySelector(".source-head");
        const quote = source.querySelector("mark") || source.querySelector("blockquote");
        const said = quote ? quote.textContent.trim() : "";
        parts.push(`${head ? head.textContent.trim() : ""}\\n«${said}»`);
      });
    }
    return parts.join("\\n\\n") || doc.body.textContent.trim();
  };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    const write = navigator.clipboard.writeText.bind(navigator.clipboard);
    navigator.clipboard.writeText = (value) => write(asText(value));
  }

  // a source's file name opens the whole article beside the chat, at the cited sentence
  const panel = document.createElement("aside");
  panel.id = "sanad-article";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", L.article_view);
  document.body.appendChild(panel);
  const close = () => { panel.hidden = true; panel.innerHTML = ""; };
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") close(); });
  const root = ((window.gradio_config && window.gradio_config.root) || "").replace(/\\/$/, "");
  const call = async (name, data) => {
    const started = await fetch(`${root}/gradio_api/call/${name}`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ data }), credentials: "include",
    });
    const { event_id } = await started.json();
    const stream = await (await fetch(`${root}/gradio_api/call/${name}/${event_id}`,
      { credentials: "include" })).text();
    const line = stream.split("\\n").find((l) => l.startsWith("data:") && l.length > 6);
    return JSON.parse(line.slice(5))[0];
  };
  document.addEventListener("click", async (e) => {
    const link = e.target.closest && e.target.closest("a.source-open");
    if (!link) return;
    e.preventDefault();
    const query = new URL(link.getAttribute("href"), location.href).searchParams;
    panel.hidden = false;
    panel.textContent = L.loading_article;
    const html = await call("article", [query.get("article"), Number(query.get("from")),
                                        Number(query.get("to")), lang]);
    panel.innerHTML = html;
    const button = panel.querySelector("button.close");
    if (button) { button.addEventListener("click", close); button.focus(); }
    const mark = panel.querySelector("mark");
    if (mark) mark.scrollIntoView({ block: "center" });
  });
}
""".replace("__LABELS__", json.dumps(LABELS, ensure_ascii=False))
