"""Ways of reading compared on spread dev samples (issue 11): the answer prompt over the
adaptive or 4 sentence windows, Arabic answers copied from the passages ("copy", the bot with
`copy_arabic`; "bot" writes them freely), and "sentence first" (a grammar-picked passage
number, its sentence re-read, then the answer; prompts/read.*.txt). Prints one JSON row a
question and a summary a set; "arfirst" (English questions): the answer written in Arabic,
then translated; "copyen": the same with the Arabic answer copied from the passages; "each":
the question asked of every window alone, the surest draft that passes the checks kept.
Usage: python -m bench.reading [N] [bot,bot4,copy,first,first4,arfirst,copyen,each,bot@PROMPT]
[SETS]
SETS: xq-ar,xq-en,arcd
"bot@PROMPT" answers with prompts/PROMPT.<lang>.txt instead of the answer prompt; "bot%last"
reads the windows best last (nearest the question), "bot%doc" in their articles' order."""

import json
import statistics
import sys
import time

from bench.devsets import dev_sets
from bot.citations import MARKER_GROUP, is_refusal
from bot.core import format_passages
from bot.evaluation import index_corpus
from bot.generation import text_of
from bot.metrics import contains_answer, token_f1
from bot.settings import Settings
from bot.testsets import select
from bot.wiring import build_bot, sentence_embedder
from prompts import chat_messages
from retrieval.focus import SentenceFocus

N = int(sys.argv[1]) if len(sys.argv) > 1 else 25
VARIANTS = sys.argv[2].split(",") if len(sys.argv) > 2 else ["bot", "first", "first4"]
s = Settings()
sets = dev_sets(s)
if len(sys.argv) > 3:
    sets = {name: sets[name] for name in sys.argv[3].split(",")}
gen = None


def chatml(messages):
    return (
        "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
        + "<|im_start|>assistant\n"
    )


def first(bot, q, lang, windows):
    from llama_cpp import LlamaGrammar

    llm = bot.generator._llm
    n = len(windows)
    msgs = chat_messages("read", lang, passages=format_passages(windows), question=q)
    prompt = chatml(msgs) + "["
    t0 = time.perf_counter()
    out = llm.create_completion(
        prompt,
        max_tokens=1,
        temperature=0.0,
        grammar=LlamaGrammar.from_string(f"root ::= [0-{n}]", verbose=False),
    )
    k = int(out["choices"][0]["text"] or 0)
    pick = time.perf_counter() - t0
    if k == 0:
        return "", pick, pick, k
    label = "Answer:" if lang == "en" else "الإجابة:"
    prompt += f"{k}] {windows[k - 1].text}\n{label}"
    text = ""
    ft = None
    for chunk in llm.create_completion(
        prompt, max_tokens=80, temperature=0.0, stop=["\n", "<|im_end|>"], stream=True
    ):
        piece = chunk["choices"][0]["text"]
        if piece and ft is None:
            ft = time.perf_counter() - t0
        text += piece
    text = text.strip()
    if f"[{k}]" not in text:
        text += f" [{k}]"
    return text, ft or pick, time.perf_counter() - t0, k


TRANSLATE = (
    "You translate a short Arabic answer into English for the question asked. Keep "
    "names in their usual English spelling, numbers exactly as written, and the [n] "
    "markers. Reply with the English answer only."
)


def arabic_first(bot, q, windows, copy=False):
    """For an English question: the answer written in Arabic from the Arabic passages (the
    span copied, as Arabic questions are answered; with `copy`, kept to the passages' words),
    then that answer translated."""
    if not windows:  # declined for relevance, as the bot does
        return "", 0.0, 0.0, ""
    t0 = time.perf_counter()
    prompt = "copy" if copy else "answer"
    bot.copy_arabic = copy  # the bot's own rule over these windows (None when not copying)
    rule = bot.copy_rule(windows, "ar")
    messages = chat_messages(prompt, "ar", passages=format_passages(windows), question=q)
    arabic = text_of(bot.generator.stream(messages, 96, copy=rule))
    first = time.perf_counter() - t0
    if not arabic.strip() or is_refusal(arabic):
        return "", first, first, arabic
    english = bot.generator.generate(
        [
            {"role": "system", "content": TRANSLATE},
            {"role": "user", "content": f"Question: {q}\nArabic answer: {arabic.strip()}"},
        ],
        96,
    )
    return english.strip(), first, time.perf_counter() - t0, arabic


class Only:
    """Only the k-th window (0-based) the inner focus finds; none when it finds fewer."""

    def __init__(self, windows, k):
        self.windows, self.k = windows, k

    def focus(self, question, passages):
        return self.windows[self.k : self.k + 1]


def each_window(bot, focus, q):
    """The "each" way: the question asked of every window alone; the answer that passes the checks
    with the model's highest certainty is kept ("draft": the likeliest draft of all)."""
    windows = focus.focus(q, bot.retriever.search(q))
    answers = []
    for k in range(len(windows)):
        bot.focus = Only(windows, k)
        answers.append(bot.ask(q))
    drafts = [a for a in answers if a.draft and not is_refusal(a.draft)]
    shown = [a for a in drafts if not a.refused]
    best = max(drafts, key=lambda a: a.confidence() or 0.0, default=None)
    kept = max(shown, key=lambda a: a.confidence() or 0.0, default=None)
    return best, kept, answers


class Ordered:
    """The windows in another order: "last" (best nearest the question, read last), "doc"
    (each article's windows in the article's order, articles best first); "" as found."""

    def __init__(self, focus, order):
        self.inner, self.order = focus, order

    def focus(self, question, passages):
        windows = self.inner.focus(question, passages)
        if self.order == "last":
            return windows[::-1]
        if self.order == "doc":
            rank = {}
            for w in windows:
                rank.setdefault(w.doc_id, len(rank))
            return sorted(windows, key=lambda w: (rank[w.doc_id], w.start))
        if self.order:
            raise ValueError(f"unknown order {self.order}")
        return windows


results = {}
for name, ts in sets.items():
    ts = select(ts, N, 7)
    store, _ = index_corpus(ts, s)
    bot = build_bot(s.model_copy(update={}), generator=gen, store=store)
    if gen is None:
        bot.warm_up()
        gen = bot.generator
    focus_default = bot.focus
    focus4 = SentenceFocus(sentence_embedder(s), max_windows=4, min_windows=4, lead=None, other=0.0)
    for c in ts.cases:
        row = {"set": name, "q": c.question, "gold": c.answers}
        for v in VARIANTS:
            t0 = time.perf_counter()
            way, _, prompt = v.partition("@")  # "bot@answer2": the bot with another prompt
            way, _, order = way.partition("%")  # "bot%last": the windows in another order
            if way in ("bot", "bot4", "copy"):
                bot.focus = Ordered(focus_default if way != "bot4" else focus4, order)
                bot.prompt = prompt or "answer"
                bot.copy_arabic = way == "copy"
                a = bot.ask(c.question)
                row[v] = {
                    "draft": a.draft,
                    "refused": a.refused,
                    "checks": a.checks,
                    "first": a.timings.get("first_token"),
                    "total": a.timings["total"],
                    "contains": contains_answer(a.draft, c.answers)
                    if a.draft and not is_refusal(a.draft)
                    else 0.0,
                    "final": 0.0 if a.refused else contains_answer(a.text, c.answers),
                    "f1": token_f1(MARKER_GROUP.sub("", a.draft or ""), c.answers),
                }
            elif v == "each":
                best, kept, answers = each_window(bot, focus_default, c.question)
                row[v] = {
                    "draft": best.draft if best else "",
                    "answer": kept.text if kept else "",
                    "all": [(a.draft, a.confidence(), a.checks) for a in answers],
                    "refused": kept is None,
                    "first": None,
                    "total": time.perf_counter() - t0,
                    "contains": contains_answer(best.draft, c.answers) if best else 0.0,
                    "final": contains_answer(kept.text, c.answers) if kept else 0.0,
                }
            elif v in ("arfirst", "copyen"):
                passages = bot.retriever.search(c.question)
                windows = focus_default.focus(c.question, passages)
                if not windows or not bot.relevant(windows, "en"):
                    windows = []
                text, ft, total, arabic = arabic_first(bot, c.question, windows, v == "copyen")
                row[v] = {
                    "draft": text,
                    "arabic": arabic,
                    "refused": not text,
                    "first": ft,
                    "total": total,
                    "contains": contains_answer(text, c.answers) if text else 0.0,
                }
            else:
                passages = bot.retriever.search(c.question)
                f = focus_default if v == "first" else focus4
                windows = f.focus(c.question, passages)
                lang = "ar" if c.lang == "ar" else "en"
                text, ft, total, k = first(bot, c.question, lang, windows)
                ret = time.perf_counter() - t0 - total
                row[v] = {
                    "draft": text,
                    "refused": not text,
                    "k": k,
                    "first": ft + ret,
                    "total": total + ret,
                    "contains": contains_answer(text, c.answers) if text else 0.0,
                    "window_has": contains_answer(" ".join(w.text for w in windows), c.answers),
                }
        print(json.dumps(row, ensure_ascii=False), flush=True)
        results.setdefault(name, []).append(row)
    for v in VARIANTS:
        rows = results[name]
        contains = statistics.mean(r[v]["contains"] for r in rows)
        final = statistics.mean(r[v].get("final", 0.0) for r in rows)
        f1 = statistics.mean(r[v].get("f1", 0.0) for r in rows)
        declined = statistics.mean(r[v]["refused"] for r in rows)
        first = statistics.median(r[v]["first"] or 0 for r in rows)
        total = statistics.median(r[v]["total"] for r in rows)
        summary = (f"contains {contains:.3f} final {final:.3f} f1 {f1:.3f} declined {declined:.3f} "
                   f"first {first:.2f} total {total:.2f}")  # fmt: skip
        print(f"## {name} {v}: {summary}", flush=True)
