import ArgumentParser
import Foundation
import LocoCLI
import LocoGen
import LocoKit
import LocoAnswers
import LocoEngines

extension AnswerExtractor.Format: ExpressibleByArgument {}

struct LocoGenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loco-gen",
        abstract: "Generate answers for each record's prompt on a local engine.",
        discussion: """
            Reads records with `messages` or `prompt` (from loco-prompt) and adds `model`, \
            `backend` and `samples` [{text, tokens, ms, done_reason}] (`ms` is the wall time of the \
            request or batch that produced the sample). With Ollama the chat \
            `messages` go to /api/chat; with llama-server the raw `prompt` goes to /completion (where \
            the record has `answer_start`, the prompt ends with the answer's start and each sample's \
            `text` is that start and what the engine wrote after it); with \
            --backend openai (vLLM, a gateway, llama-server's /v1) the `messages` go to /v1/chat/completions \
            under the adapter's `served_model` or --model, with the key from LOCO_API_KEY. Several --url make \
            a pool: each record goes to the engine with the fewest requests in flight, a failing engine \
            is taken out for a while and its records go to the others, and each record is written \
            once, in input order (docs/scaling.md). \
            A record whose adapter has weights in the registry gets its LoRA: llama-server applies \
            the file it loaded with --lora to that request alone (`lora` [{id, scale}]; switching \
            adapters never restarts it), Ollama answers as model locollm-NAME; the record says \
            `lora`. An engine without the adapter gives an error record saying how to install it \
            (docs/adapters.md). \
            Each record is written as soon as it is done; on a terminal a progress line on \
            stderr counts records, tokens and tokens/s. Ctrl-C or SIGTERM abandons the record in \
            flight and exits (130/143) with every finished record written; --resume FILE then \
            carries on where it stopped. An engine that cannot be reached gives \
            one line on stderr saying how to start it, and error records. A busy engine (HTTP 503 or \
            429) is retried (--retries); a missing model (404) is not, and says how to get it. A \
            request with no complete answer within --timeout seconds (a hung engine, a stream that \
            trickles too slowly) is abandoned and becomes an error record; the batch goes on.

            \(LocoCLI.exitCodesHelp)
            """,
        version: LocoCLI.version)

    @Option(help: "Samples to draw per record (for loco-vote). They are produced together: llama-server's n_cmpl (up to its --parallel slots at a time) or concurrent requests to Ollama (up to OLLAMA_NUM_PARALLEL).")
    var samples = 1

    @Flag(help: "Stop drawing samples once the leading answer can no longer be overtaken: a majority first, then one at a time. Records `sampling` {requested, drawn}.")
    var earlyStop = false

    @Option(help: ArgumentHelp("Stop early also by Adaptive-Consistency's Beta rule: once the chance that the leading answer beats the runner-up, under a uniform prior, reaches c (0.5 < c < 1). 0.85 stops when the first two samples agree (0.875); 0.95 waits for 4 of 4. It can elect what all N would not have: a stated risk. Implies --early-stop; records sampling.stop_confidence.", valueName: "c"))
    var stopConfidence: Double?

    @Option(help: ArgumentHelp("With --early-stop: how answers are read, as loco-vote --format (default: the adapter's answer_format).", valueName: "format"))
    var format: AnswerExtractor.Format?

    @Option(help: ArgumentHelp("A multiple-choice question (`choices`, or options the query lays out in lines lettered A, B, C…) whose answer is read as a choice: `score` has llama-server score each option's likelihood after `choice_prompt` (loco-prompt's: the question without its options) less after `choice_null_prompt` (no question; an option's score there is asked once a run, so a quiz's repeated \"True\"/\"False\" cost one request each after the first question) and answers with the best, one sample \"B. its text\" with `option_scores`; `generate` lets the model write its answer. Engines that cannot score generate.", valueName: "how"))
    var choices: ChoiceAnswering = .score

    @OptionGroup var sampling: SamplingOptions

    @Option(help: "Retries when the engine says it is busy (HTTP 503/429, e.g. still loading), with backoff from 0.5 s doubling to at most 8 s, jittered.")
    var retries = 4

    @Option(help: ArgumentHelp("Continue an interrupted run: skip records whose id already has a result in FILE and append the rest to it (instead of writing to stdout). Error records in FILE are run again.", valueName: "file"))
    var resume: String?

    @Option(help: ArgumentHelp("Records sent to the engines at once, each on its own connection; output keeps input order. With several --url, requests go to the engine with the fewest in flight. [default: the number of engines]", valueName: "n"))
    var parallel: Int?

    @Option(help: ArgumentHelp("How many records to expect, for the progress line's share done and time left (loco eval passes it).", valueName: "n"))
    var total: Int?

    @Flag(help: "With --backend openai: ask for a streamed answer (server-sent events).")
    var stream = false

    @OptionGroup var engine: EngineOptions

    @OptionGroup var registryOptions: RegistryOptions

    func validate() throws {
        guard samples >= 1 else { throw ValidationError("--samples must be at least 1") }
        if let stopConfidence, let problem = MajorityVote.problem(withConfidence: stopConfidence) { throw ValidationError(problem) }
        guard retries >= 0 else { throw ValidationError("--retries cannot be negative") }
        if let parallel, parallel < 1 { throw ValidationError("--parallel must be at least 1") }
        if let total, total < 1 { throw ValidationError("--total must be at least 1") }
    }

    func run() throws {
        let settings: EngineSettings
        let drawn: Sampling
        do {
            settings = try engine.settings()
            drawn = try sampling.sampling()
        } catch {
            LocoCLI.fail("loco-gen", error)
        }
        let engines = Engines(settings: settings, stream: stream)
        // The registry says which adapters have weights (applied per request), their served
        // model names, and answer formats for early stop.
        var stage = GenStage(engines: engines, registry: registryOptions.loadIfAvailable(tool: "loco-gen"), samples: samples,
                             temperature: drawn.temperature(samples: samples), seed: drawn.seed, maxTokens: drawn.maxTokens,
                             earlyStop: earlyStop, stopConfidence: stopConfidence)
        stage.retry.retries = retries
        stage.answerFormat = format
        stage.choices = choices
        var resumeFile: ResumeFile?
        if let resume {
            do { resumeFile = try ResumeFile.prepare(resume) } catch { LocoCLI.fail("loco-gen", error) }
            printError("loco-gen: resuming \(resume): \(resumeFile!.summary)")
        }
        let started = Date()
        let total = self.total
        let outcome = LocoCLI.run(&stage, flushEachRecord: true, resume: resumeFile, parallelism: parallel ?? settings.urls.count) { stage, outcome in
            let seconds = Date().timeIntervalSince(started)
            let rate = seconds > 0 ? Double(stage.generatedTokens) / seconds : 0
            var line = "loco-gen: \(outcome.records) records, \(outcome.errors) errors, \(stage.generatedTokens) tokens, "
                + String(format: "%.1f tokens/s", rate)
            if let total, total > 0 {
                line += Progress.remaining(done: outcome.records + outcome.skipped, total: total, thisRun: outcome.records, seconds: seconds)
            }
            return line
        }
        throw ExitCode(outcome.exitCode)
    }
}

LocoCLI.main(LocoGenCommand.self, example: #"echo '{"query":"What is 2+3?"}' | loco-prompt | loco-gen --backend llama-server --max-tokens 32 | jq -r '.samples[0].text'"#)
