"""The question's words marked in the passages (issue 11, `bot/marking.py`,
`SANAD_MARK_WORDS`): on a spread dev sample every question is asked as the bot asks it with
the marks off, then on. Prints one JSON row a question, then, for each way, the drafts right,
the right and wrong answers and the unanswerable questions shown.
Usage: python -m bench.marked N SEED SETS   (SETS: xq-ar,arcd)"""

import sys

from bench.devsets import compare, dev_bots
from bot.settings import Settings

N = int(sys.argv[1]) if len(sys.argv) > 1 else 80
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 3
SETS = sys.argv[3].split(",") if len(sys.argv) > 3 else ["xq-ar", "arcd"]


def marking(on: bool):
    def choose(bot) -> None:
        bot.mark_words = on

    return choose


if __name__ == "__main__":
    compare(dev_bots(Settings(), SETS, N, SEED), {"plain": marking(False), "marked": marking(True)})
