#!/usr/bin/env python3
"""Writes writing-academic's second benchmark and its training set, from two sets of OpenAI's
`evals` 3.0.1.post1 (PyPI; MIT):

  abstract2title     254 article abstracts -> their title. The 50 of eval/benchmark.jsonl stay
                     held out (scripts/make-benchmarks.py); the other 204 are training.
  consensus_summary  362 sets of research claims with a question -> a one-sentence summary that
                     answers it from the claims. 100 chosen by a hash of their position are
                     eval/benchmark-summary.jsonl (ROUGE-L); the other 262 are training.

training/dataset.jsonl is recipe 2, the shipped adapter's (`python3 scripts/fine_tune.py
adapters/writing-academic`); recipe 1's titles and summaries alone are kept beside it as
training/recipe1-dataset.jsonl. Recipe 2 adds to them what students ask of a sentence, made from the same two sets' own sentences (so no
new source): 320 proofreading requests, each sentence with one to three errors put in by seeded
rules (a confused word, a dropped article, agreement, a misspelt or doubled letter, a lower-case
start; one in six left correct, answered unchanged) and corrected back to the author's sentence,
and 160 requests to rewrite an informal version (contractions, "a lot of", "kinda", "really")
formally, answered with the author's sentence. Requests are phrased here, in several ways, none
taken from a benchmark.

The "Summary: " that every consensus_summary answer starts with is dropped from `expected` and
from the completions: it is the set's formatting, not the summary. Queries are written as
scripts/make-benchmarks.py writes abstract2title's: the set's instruction, a blank line, the text.

Recipe 3 (training-thesis/training/dataset.jsonl) is recipe 2 with thesis statements from a
source of its own, Perspectrum (Chen et al. 2019; GitHub CogComp/perspectrum, CC BY-SA 4.0,
claims from idebate, debatewise and procon with the perspectives that support or undermine
each): a request for a thesis for or against a claim, answered with one perspective of that
side. The thesis benchmark asks about IBM ArgKP-2021's 31 debate motions, so a claim on any of
their topics (THESIS_TOPICS_HELD_OUT) is left out, and the requests are phrased here, none as
the benchmark phrases them. Recipe 4 (training-thesis-two/) answers each with two reasons of the
side in one sentence, about as long as a summary. Recipe 5 (training-paraphrase/) is recipe 2 with
paraphrases from the same source: a perspective asked to be reworded, answered with a crowd
worker's rewording of it. Recipe 6 (training-thesis-few/) is recipe 2 with a third of recipe 3's
theses (its first 80), so that fewer short answers teach the other tasks their length. Reads the
snapshot `fetch` brings (folder in $PERSPECTRUM).

Needs the built tools (the prompts come from loco-route and loco-prompt).

    python3 scripts/make-writing-data.py
"""
import hashlib, io, json, os, random, re, sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import adapter_prompts  # noqa: E402
from adapter_prompts import normalised  # noqa: E402
import datasets_env  # noqa: E402

ADAPTER = "writing-academic"
SUMMARY_ITEMS = 100
TITLES = "OpenAI evals 3.0.1.post1 abstract2title (MIT)"
SUMMARIES = "OpenAI evals 3.0.1.post1 consensus_summary (MIT)"


def samples(wheel, name):
    with wheel.open(f"evals/registry/data/{name}/samples.jsonl") as f:
        return [json.loads(line) for line in io.TextIOWrapper(f, "utf-8") if line.strip()]


def query(sample):
    return "\n\n".join(m["content"].strip() for m in sample["input"])


def summary(ideal):
    text = ideal if isinstance(ideal, str) else ideal[0]
    return text.strip().removeprefix("Summary:").strip()


PROOFREAD = ["Proofread: {s}", "Fix the grammar in this sentence: {s}", "Check my spelling and grammar:\n\n{s}",
             "correct this: {s}", "Edit this sentence for mistakes: \"{s}\"", "Please fix any errors.\n\n{s}",
             "is this sentence right? {s}", "Grammar check: {s}"]
FORMAL = ["Rewrite this more formally: {s}", "Make this sentence sound academic: {s}", "formal version pls: {s}",
          "Rewrite in a formal register:\n\n{s}", "How would I say this in an essay? {s}"]
CONFUSED = [("their", "there"), ("there", "their"), ("its", "it's"), ("than", "then"), ("affect", "effect"),
            ("effect", "affect"), ("were", "was"), ("was", "were"), ("is", "are"), ("are", "is"), ("has", "have"),
            ("have", "has"), ("these", "this"), ("much", "many"), ("which", "witch"), ("to", "too")]
INFORMAL = [("do not", "don't"), ("does not", "doesn't"), ("is not", "isn't"), ("are not", "aren't"), ("cannot", "can't"),
            ("it is", "it's"), ("there is", "there's"), ("many", "a lot of"), ("very", "really"), ("approximately", "about"),
            ("however", "but"), ("therefore", "so"), ("children", "kids"), ("somewhat", "kinda"), ("obtain", "get"),
            ("demonstrate", "show"), ("investigate", "look into"), ("significant", "big"), ("increase", "go up")]


def sentences(texts):
    """(sentence, source): sentences of 8 to 30 words from these (text, source), once each, in a fixed order."""
    seen = {}
    for text, source in texts:
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.replace("\n", " ")):
            sentence = sentence.strip().lstrip("- ").strip()
            words = sentence.split()
            if 8 <= len(words) <= 30 and sentence[0].isupper() and sentence.endswith(".") and "claim:" not in sentence:
                seen.setdefault(sentence, source)
    return sorted(seen.items(), key=lambda t: hashlib.sha256(f"sentence:{t[0]}".encode()).hexdigest())


def misspelt(word, rng):
    i = rng.randrange(1, len(word) - 1)
    return rng.choice([word[:i] + word[i + 1:], word[:i] + word[i] + word[i:], word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]])


def with_errors(sentence, rng):
    """The sentence with one to three errors a learner makes."""
    words = sentence.split(" ")
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(5)
        if kind == 0:
            spots = [i for i, w in enumerate(words) if any(w.lower() == a for a, _ in CONFUSED)]
            if spots:
                i = rng.choice(spots)
                words[i] = dict(CONFUSED)[words[i].lower()]
                continue
        if kind == 1:
            spots = [i for i, w in enumerate(words[:-1]) if w.lower() in ("the", "a", "an") and i > 0]
            if spots:
                del words[rng.choice(spots)]
                continue
        if kind == 2:
            spots = [i for i, w in enumerate(words) if len(w) > 4 and w.endswith("s") and w.isalpha() and not w.endswith("ss")]
            if spots:
                i = rng.choice(spots)
                words[i] = words[i][:-1]
                continue
        if kind == 3:
            words[0] = words[0].lower()
            continue
        spots = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if spots:
            i = rng.choice(spots)
            words[i] = misspelt(words[i], rng)
    return " ".join(words)


def informal(sentence, rng):
    text = sentence
    for formal, casual in INFORMAL:
        text = re.sub(rf"\b{formal}\b", casual, text)
        text = re.sub(rf"\b{formal.capitalize()}\b", casual.capitalize(), text)
    if text == sentence or rng.random() < 0.5:
        text = text[0].lower() + text[1:]
    if rng.random() < 0.4:
        text = text.rstrip(".") + rng.choice([" lol", "", " tbh", " i think"])
    return text


def sentence_edits(texts, evaluated):
    """Recipe 2's proofreading and formal rewrites, from these texts' own sentences."""
    rng = random.Random(2)
    pool = [(s, source) for s, source in sentences(texts) if normalised(s) not in evaluated]
    rows = []
    for n, (sentence, source) in enumerate(pool[:320]):
        broken = sentence if n % 6 == 5 else with_errors(sentence, rng)
        rows.append({"id": f"proofread-{n}", "query": PROOFREAD[n % len(PROOFREAD)].format(s=broken), "completion": " " + sentence, "source": source})
    for n, (sentence, source) in enumerate(pool[320:480]):
        casual = informal(sentence, rng)
        rows.append({"id": f"formal-{n}", "query": FORMAL[n % len(FORMAL)].format(s=casual), "completion": " " + sentence, "source": source})
    return rows


PERSPECTRUM_REPO, PERSPECTRUM_COMMIT = "CogComp/perspectrum", "b42c27b85f20f2a35c0a0895698fa242ccf160ab"
PERSPECTRUM = f"Perspectrum (Chen et al. 2019; CC BY-SA 4.0), GitHub {PERSPECTRUM_REPO} at {PERSPECTRUM_COMMIT[:7]}"
THESES = 240
THESIS_FOR = ["Write a thesis statement supporting this claim: {}", "thesis statement for my essay, im arguing that {}",
              "Suggest a one-sentence thesis for an argumentative essay that agrees with: {}",
              "What would be a good thesis if my essay defends the position \"{}\"?",
              "Draft a thesis statement in favor of the proposition: {}"]
THESIS_AGAINST = ["Write a thesis statement opposing this claim: {}", "thesis statement for my essay, im arguing it is wrong that {}",
                  "Suggest a one-sentence thesis for an argumentative essay that disagrees with: {}",
                  "What would be a good thesis if my essay rejects the position \"{}\"?",
                  "Draft a thesis statement against the proposition: {}"]
# The topics of ArgKP-2021's 31 motions (eval/benchmark-thesis.jsonl), as word stems: a claim
# that names one is not trained on, so the thesis figure is on topics the adapter never argued.
THESIS_TOPICS_HELD_OUT = ["suicide", "euthanas", "homeschool", "home school", "vaccin", "social media", "social network",
                          "usa", "united states", "america", "celiba", "marriage", "marry", "uniform", "capital punishment",
                          "death penalty", "intellectual property", "copyright", "patent", "gun", "firearm", "arms",
                          "austerity", "atheis", "religio", "god", "libertarian", "cloning", "clone", "private military",
                          "mercenar", "child actor", "guantanamo", "affirmative action", "retire", "nuclear weapon",
                          "urbani", "compulsory voting", "voting", "vote", "cannabis", "marijuana", "prostitut",
                          "sex selection", "flag", "women in combat", "combat", "journalis", "newspaper", "space",
                          "vocational", "child perform", "child star", "drug", "military", "army", "nuclear", "weapon",
                          "media", "press", "news", "pira", "dying", "detention", "church", "priest", "divorc", "polygam",
                          "city", "cities", "pension", "genetic", "designer bab", "deficit", "spending cut", "nasa",
                          "mars", "moon", "apprentice", "trade school", "download"]
# A perspective that states a claim (six words or more, with a verb of its own), not a heading
# ("Economic benefits of the dam for Ethiopia").
CLAIM_VERB = re.compile(r"\b(is|are|was|were|be|should|will|would|can|could|must|has|have|does|do|did|not|cannot)\b|n't", re.IGNORECASE)


def perspectrum(path):
    """A JSON file of the Perspectrum snapshot."""
    return json.loads(datasets_env.snapshot_file(PERSPECTRUM_REPO, PERSPECTRUM_COMMIT, f"data/dataset/{path}", "PERSPECTRUM"))


def perspectrum_claims():
    """Perspectrum's claims off the thesis benchmark's topics, and its pool of perspectives by id."""
    held = re.compile(r"\b(" + "|".join(map(re.escape, THESIS_TOPICS_HELD_OUT)) + ")", re.IGNORECASE)
    pool = {p["pId"]: p["text"].strip() for p in perspectrum("perspective_pool_v1.0.json")}
    return [c for c in perspectrum("perspectrum_with_answers_v1.0.json") if not held.search(c["text"])], pool


def lowered(sentence):
    """The sentence with its first letter in lower case, unless its first word is a name or an acronym."""
    first = sentence.split()[0]
    return sentence if first == "I" or any(c.isupper() for c in first[1:]) else sentence[0].lower() + sentence[1:]


def sentence_like(text):
    """Not a headline in title case ("Nature Suggests That Same Sex Marriage is Illogical"), a
    question, or a fragment that starts at its verb ("Can only travel so far")."""
    words = [w for w in text.split() if len(w) > 3]
    headline = sum(w[0].isupper() for w in words) > len(words) / 2
    return not headline and "?" not in text and not CLAIM_VERB.fullmatch(text.split()[0])


def thesis_requests(reasons=1):
    """Theses for and against Perspectrum's claims off the benchmark's topics. Recipe 3 (one
    reason) answers with the first perspective of the side asked that states a claim. Recipe 4
    (two reasons) joins two of the side's clusters of rewordings into one sentence, from each the
    shortest rewording that states a claim as a sentence (`sentence_like`), so that its theses
    run about as long as a summary rather than twice as long."""
    claims, pool = perspectrum_claims()
    claims.sort(key=lambda c: hashlib.sha256(f"thesis:{c['cId']}".encode()).hexdigest())
    rows = []
    for claim in claims:
        text = claim["text"].strip().rstrip(".")
        for side, asks in (("SUPPORT", THESIS_FOR), ("UNDERMINE", THESIS_AGAINST)):
            clusters = ([pool[pid] for pid in p["pids"]] for p in claim["perspectives"] if p["stance_label_3"] == side)
            claims_of = ([t for t in c if len(t.split()) >= 6 and CLAIM_VERB.search(t)] for c in clusters)
            if reasons == 1:
                stated = [c[0] for c in claims_of if c]
            else:
                stated = [min(c, key=len) for c in ([t for t in c if sentence_like(t)] for c in claims_of) if c]
            if len(stated) < reasons or len(rows) == THESES:
                continue
            answer = ", and ".join(t.rstrip(" .") if n == 0 else lowered(t.rstrip(" .")) for n, t in enumerate(stated[:reasons])) + "."
            ask = asks[len(rows) // 2 % len(asks)]
            lead = text if ask.endswith(": {}") or "\"{}\"" in ask else text[0].lower() + text[1:]
            rows.append({"id": f"thesis-{claim['cId']}-{side.lower()}", "query": ask.format(lead),
                         "completion": " " + answer[0].upper() + answer[1:], "source": PERSPECTRUM})
    return rows


PARAPHRASES = 240
# Written here; none is one of the paraphrase benchmark's five requests (eval/benchmark-cross.jsonl).
PARAPHRASE_ASKS = ["Reword this sentence: {}", "Put this in other words:\n\n{}", "paraphrase pls: {}",
                   "Can you rewrite this so it doesn't sound copied? {}", "Express the same idea differently: \"{}\""]


def paraphrase_requests():
    """Recipe 5's paraphrases: in each of Perspectrum's clusters of rewordings (crowd workers
    restating one perspective), its first sentence asked to be reworded and answered with the
    rewording that shares between a quarter and three quarters of its words, the nearest to half,
    so that the answer changes the wording rather than copying it. Claims on the thesis
    benchmark's topics are left out here too, so no answer restates one of its key points."""
    def words(text):
        return set(re.findall(r"[a-z']+", text.lower()))
    def shared(a, b):
        return len(words(a) & words(b)) / len(words(a) | words(b))
    claims, pool = perspectrum_claims()
    rows = []
    for claim in claims:
        for perspective in claim["perspectives"]:
            texts = [pool[pid] for pid in perspective["pids"] if len(pool[pid].split()) >= 6 and sentence_like(pool[pid])]
            candidates = [t for t in texts[1:] if 0.25 <= shared(texts[0], t) <= 0.75] if texts else []
            if candidates:
                answer = min(candidates, key=lambda t: abs(shared(texts[0], t) - 0.5)).rstrip(" .") + "."
                rows.append({"id": f"paraphrase-{claim['cId']}-{perspective['pids'][0]}", "query": texts[0],
                             "completion": " " + answer[0].upper() + answer[1:], "source": PERSPECTRUM})
    rows.sort(key=lambda r: hashlib.sha256(f"paraphrase:{r['id']}".encode()).hexdigest())
    rows = rows[:PARAPHRASES]
    for n, row in enumerate(rows):
        row["query"] = PARAPHRASE_ASKS[n % len(PARAPHRASE_ASKS)].format(row["query"])
    return rows


def main():
    evals = datasets_env.wheel("evals==3.0.1.post1")
    titles, claims = samples(evals, "abstract2title"), samples(evals, "consensus_summary")

    ranked = sorted(range(len(claims)), key=lambda i: hashlib.sha256(f"bench:consensus_summary:{i}".encode()).hexdigest())
    held = set(ranked[:SUMMARY_ITEMS])
    benchmark = [{"id": f"consensus-summary-{i}", "query": query(claims[i]), "expected": summary(claims[i]["ideal"]), "source": SUMMARIES}
                 for i in sorted(held, key=ranked.index)]
    path = os.path.join(ROOT, "adapters", ADAPTER, "eval", "benchmark-summary.jsonl")
    with open(path, "w") as out:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in benchmark)
    print(f"eval/benchmark-summary.jsonl: {len(benchmark)} items, sha256 {hashlib.sha256(open(path, 'rb').read()).hexdigest()}")

    # Held out by id and by text: abstract2title repeats some abstracts under other numbers.
    evaluated = set()
    for name in ("benchmark.jsonl", "benchmark-summary.jsonl"):
        with open(os.path.join(ROOT, "adapters", ADAPTER, "eval", name)) as f:
            for line in filter(str.strip, f):
                item = json.loads(line)
                evaluated |= {item["id"], normalised(item["query"])}
    rows = [{"id": f"abstract2title-{i}", "query": query(s), "completion": " " + s["ideal"].strip(), "source": TITLES}
            for i, s in enumerate(titles)]
    rows += [{"id": f"consensus-summary-{i}", "query": query(s), "completion": " " + summary(s["ideal"]), "source": SUMMARIES}
             for i, s in enumerate(claims)]
    rows = [r for r in rows if r["id"] not in evaluated and normalised(r["query"]) not in evaluated]
    # Sentences only from items that stay training (their abstracts and claims).
    kept = {r["id"] for r in rows}
    trained_texts = [(s["input"][-1]["content"], TITLES) for i, s in enumerate(titles) if f"abstract2title-{i}" in kept]
    trained_texts += [(s["input"][-1]["content"], SUMMARIES) for i, s in enumerate(claims) if f"consensus-summary-{i}" in kept]
    edits = sentence_edits(trained_texts, evaluated | adapter_prompts.evaluated_questions())
    unique = {}
    for r in rows:
        unique.setdefault(normalised(r["query"]), r)
    rows = list(unique.values())
    rows.sort(key=lambda r: hashlib.sha256(f"order:{r['id']}".encode()).hexdigest())
    adapter_prompts.write_training_set(ADAPTER, rows, ensure_ascii=False, name="recipe1-dataset.jsonl")
    print(f"training/recipe1-dataset.jsonl: {len(rows)} titles and summaries")

    rows = rows + edits
    rows.sort(key=lambda r: hashlib.sha256(f"order:{r['id']}".encode()).hexdigest())
    adapter_prompts.write_training_set(ADAPTER, rows, ensure_ascii=False)
    kinds = [r["id"].split("-")[0] for r in rows]
    print(f"training/dataset.jsonl (recipe 2): {kinds.count('abstract2title')} titles, {kinds.count('consensus')} summaries, "
          f"{kinds.count('proofread')} proofreading, {kinds.count('formal')} formal rewrites")

    # Recipes 3 to 6: recipe 2 and rows from Perspectrum, each in a folder of its own.
    theses = thesis_requests()
    for recipe, folder, extra, what in ((3, "training-thesis", theses, "thesis statements"),
                                        (4, "training-thesis-two", thesis_requests(reasons=2), "thesis statements of two reasons"),
                                        (5, "training-paraphrase", paraphrase_requests(), "paraphrases"),
                                        (6, "training-thesis-few", theses[:THESES // 3], "thesis statements")):
        extra = [r for r in extra if normalised(r["query"]) not in evaluated]
        recipe_rows = sorted(rows + extra, key=lambda r: hashlib.sha256(f"order:{r['id']}".encode()).hexdigest())
        adapter_prompts.write_training_set(ADAPTER, recipe_rows, ensure_ascii=False, folder=f"{folder}/training")
        print(f"{folder}/training/dataset.jsonl (recipe {recipe}): recipe 2 and {len(extra)} {what}")


if __name__ == "__main__":
    main()
