"""English questions read as Arabic ones (issue 11): the model reads Arabic passages about
twice as well for an Arabic question as for the same question in English (XQuAD's parallel
questions: drafts right ~0.5 against ~0.28). Here the English question is first translated into
Arabic by the model (three worked examples), asked as the bot asks an Arabic question
(retrieval, windows, prompt and checks), and the Arabic answer translated into English for the
question asked. On a spread
XQuAD English sample (a share made unanswerable), each row keeps the Arabic question, the
Arabic draft (right when it holds the parallel Arabic question's answer) and the English one.
Usage: python -m bench.question_first N SEED"""

import json
import statistics
import sys
import time

from bench.devsets import dev_bots, dev_sets
from bot.citations import is_refusal
from bot.metrics import contains_answer
from bot.settings import Settings

N = int(sys.argv[1]) if len(sys.argv) > 1 else 80
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 3
TO_ARABIC = [
    {"role": "system", "content": "You translate English questions into Modern Standard "
     "Arabic, word for word, keeping every name, number and date. Reply with the Arabic "
     "question only."},
    *({"role": role, "content": text} for pair in (
        ("Who opened the new car factory in Alexandria?",
         "من افتتح مصنع السيارات الجديد في الإسكندرية؟"),
        ("How much wheat did the country export in 2021?",
         "كم بلغت صادرات البلاد من القمح في عام 2021؟"),
        ("Which agreement did the prime minister say his country would leave?",
         "ما الاتفاقية التي قال رئيس الوزراء إن بلاده ستنسحب منها؟"),
    ) for role, text in zip(("user", "assistant"), pair, strict=True)),
]  # fmt: skip
TO_ENGLISH = (
    "You translate a short Arabic answer into English for the question asked. Keep "
    "names in their usual English spelling, numbers exactly as written, and the [n] "
    "markers. Reply with the English answer only."
)

settings = Settings()
arabic = dev_sets(settings)["xq-ar"].cases
arabic_answers = {case.id: case.answers for case in arabic}
arabic_questions = {case.id: case.question for case in arabic}
rows = []
for _, testset, bot in dev_bots(settings, ["xq-en"], N, SEED):
    generate = bot.generator.generate
    for case in testset.cases:
        t0 = time.perf_counter()
        asked = generate([*TO_ARABIC, {"role": "user", "content": case.question}], 64).strip()
        answer = bot.ask(asked)
        drafted = bool(answer.draft) and not is_refusal(answer.draft)
        english = ""
        if drafted:
            asking = f"Question: {case.question}\nArabic answer: {answer.draft.strip()}"
            english = generate([{"role": "system", "content": TO_ENGLISH},
                                {"role": "user", "content": asking}], 96).strip()  # fmt: skip
        right = not case.unanswerable and bool(contains_answer(english, case.answers))
        row = {"q": case.question, "asked": asked, "parallel": arabic_questions.get(case.id),
               "gold": case.answers,
               "unanswerable": case.unanswerable, "arabic": answer.draft,
               "arabic_right": drafted and not case.unanswerable
               and bool(contains_answer(answer.draft, arabic_answers.get(case.id, []))),
               "english": english, "checks": answer.checks, "refused": answer.refused,
               "draft_right": right, "right": right and not answer.refused,
               "seconds": round(time.perf_counter() - t0, 2)}  # fmt: skip
        print(json.dumps(row, ensure_ascii=False), flush=True)
        rows.append(row)
answerable = sum(not r["unanswerable"] for r in rows)
print(
    f"## arabic drafts right {sum(r['arabic_right'] for r in rows)}/{answerable}, english "
    f"drafts right {sum(r['draft_right'] for r in rows)}, right shown "
    f"{sum(r['right'] for r in rows)}, wrong shown "
    f"{sum(not r['refused'] and not r['right'] and not r['unanswerable'] for r in rows)}, "
    f"unanswerable shown {sum(not r['refused'] and r['unanswerable'] for r in rows)}/"
    f"{len(rows) - answerable}, median {statistics.median(r['seconds'] for r in rows):.2f} s"
)
