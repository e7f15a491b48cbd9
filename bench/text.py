"""Splitting text into a thread (samvad.platforms.x.text.split_thread) is linear in its length.

Issue 16 found the split loop quadratic: 40,000 unbroken characters took 31 s. The text here is
what an office writes, in Hindi and English with mentions, hashtags, numbers, a link and an emoji
now and then; it is split at 10 KB, 100 KB and 1 MB. The targets are an absolute one for 1 MB and
a ratio (100 KB may take at most 12 times as long as 10 KB in the same run), which holds however
fast the machine is. Unbroken text (no spaces) is measured too, for the record. The baseline is
the naive way: each post grown word by word and weighed again whole after every word.
"""

import time

from bench import harness
from samvad.platforms.x import text as xtext

PARAMS = {"runs": 3}
TARGETS = {"split_1mb_s": ("<=", 1.0), "ratio_100kb_to_10kb": ("<=", 12)}

PARAGRAPH = (
    "डौसा जिले में हर घर जल अभियान के तहत 1,200 नए नल कनेक्शन दिए गए हैं। "
    "जलदाय विभाग के अधिकारियों ने बांदीकुई, सिकराय और लालसोट के गाँवों का दौरा किया. "
    "#हर_घर_जल @DmDausa Water connections were completed in Bandikui and Sikrai this week. "
    "पानी की गुणवत्ता की जाँच हर महीने होगी; शिकायत के लिए 181 पर कॉल करें। "
    "Officers met the sarpanch of every gram panchayat and listened to the villagers. "
    "आगामी शिविर 15 तारीख को होगा, जिसमें सभी योजनाओं की जानकारी दी जाएगी। "
    "Details: https://dausa.rajasthan.gov.in/jal?id=7 🙏\n\n"
)


def sample(size: int, unit: str = PARAGRAPH) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def naive_split(text: str, budget: int = xtext.MAX_WEIGHTED_LENGTH) -> list[str]:
    parts, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and xtext.weighted_length(candidate) > budget:
            parts.append(current)
            candidate = word
        current = candidate
    return [*parts, current]


def run(params: dict) -> dict:
    runs = int(params["runs"])
    timings = {}
    for label, size in (("10kb", 10_000), ("100kb", 100_000), ("1mb", 1_000_000)):
        text = sample(size)
        timings[label] = harness.repeat(lambda text=text: xtext.split_thread(text), runs=runs)
        timings[label]["parts"] = len(xtext.split_thread(text))
    unbroken = {}
    for label, size in (("10kb", 10_000), ("100kb", 100_000)):
        text = sample(size, "क्षa")
        unbroken[label] = harness.repeat(lambda text=text: xtext.split_thread(text), runs=runs)
    cpu_started = time.process_time()
    xtext.split_thread(sample(1_000_000))
    cpu_1mb = time.process_time() - cpu_started
    naive = harness.repeat(lambda: naive_split(sample(10_000)), runs=1, warmup=0)
    figures = {
        "split_10kb_s": timings["10kb"]["median_s"],
        "split_100kb_s": timings["100kb"]["median_s"],
        "split_1mb_s": timings["1mb"]["median_s"],
        "ratio_100kb_to_10kb": timings["100kb"]["median_s"] / timings["10kb"]["median_s"],
        "ratio_1mb_to_100kb": timings["1mb"]["median_s"] / timings["100kb"]["median_s"],
        "parts_1mb": timings["1mb"]["parts"],
        # On a shared machine wall time includes waiting for a core; CPU time does not.
        "split_1mb_cpu_s": cpu_1mb,
        "unbroken_split_10kb_s": unbroken["10kb"]["median_s"],
        "unbroken_split_100kb_s": unbroken["100kb"]["median_s"],
    }
    return {
        "figures": figures,
        "baseline": {
            "naive_split_10kb_s": naive["median_s"],
            "speedup_10kb": naive["median_s"] / timings["10kb"]["median_s"],
        },
        "notes": "medians of runs after one warm-up; unbroken text is a Hindi conjunct and a "
        "Latin letter repeated without spaces",
    }
