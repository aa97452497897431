import ArgumentParser
import Foundation
import LocoChat
import LocoQuery
import LocoRoute
import LocoCLI
import LocoKit
import LocoAnswers
import LocoEngines

struct LocoChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loco-chat",
        abstract: "Talk with the routed stack: answers stream as they are generated.",
        discussion: """
            Every message is routed (classifier, else keywords): a new question the router is sure \
            of gets its own adapter, with a note when the route changes, and a follow-up it is not \
            sure of keeps the conversation's adapter. /adapter NAME pins one (none: the base \
            model) until /adapter auto. Routes are kept in the routing log like `loco query`'s \
            (off: --no-log or LOCO_NO_LOG=1). \
            Earlier turns go back to the engine each time and the oldest are dropped, with a note, \
            when they no longer fit --context. After each answer a line gives the adapter, tokens, \
            tokens/s and time. On a terminal you get line editing and history (arrow keys, \
            Ctrl-R; kept in $XDG_STATE_HOME/locollm/chat_history unless logging is off); piped, \
            each input line is a message, answers go to stdout and notes to stderr.

            \(SlashCommand.summary)
            """,
        version: LocoCLI.version)

    @Option(help: ArgumentHelp("Answer with this adapter (none: the base model) instead of routing.", valueName: "name"))
    var adapter: String?

    @Option(help: "Samples per message; more than 1 votes and shows the majority answer (/votes N changes it).")
    var votes = 1

    @Flag(help: "Ask each question once, without RE2 (/re2 on|off changes it).")
    var noRe2 = false

    @Option(help: "Tokens the conversation may fill, answer included; older turns are dropped beyond it.")
    var context = 1536

    @OptionGroup var sampling: SamplingOptions

    @Flag(help: "Keep routes out of the routing log and lines out of the chat history file.")
    var noLog = false

    @OptionGroup var engine: EngineOptions
    @OptionGroup var registryOptions: RegistryOptions

    func validate() throws {
        guard (1...20).contains(votes) else { throw ValidationError("--votes must be from 1 to 20") }
    }

    func run() throws {
        let session: ChatSession
        let logging = !noLog && !RoutingLog.isDisabled()
        do {
            let (registry, model) = try StandardRouter.load(registry: registryOptions.registry)
            if let adapter, adapter != "none", registry[adapter] == nil {
                throw ConfigError("no adapter '\(adapter)'; the registry has \(registry.names.joined(separator: ", "))")
            }
            // The session pins adapters itself (/adapter NAME), so the pipeline always routes.
            let drawn = try sampling.sampling()
            guard context > drawn.maxTokens else { throw ConfigError("--context (\(context)) must be larger than --max-tokens (\(drawn.maxTokens))") }
            let query = QuerySettings(votes: votes, earlyStop: true, stopConfidence: nil, reRead: !noRe2, sampling: drawn, adapter: nil)
            let pipeline = try QueryPipeline(registry: registry, routerModel: model, engines: Engines(settings: try engine.settings()),
                                             settings: query, routingLog: logging ? try RoutingLog.openUnlessDisabled() : nil)
            var chat = ChatSession.Settings()
            chat.contextTokens = context
            chat.sampling = drawn
            session = ChatSession(pipeline: pipeline, forcedAdapter: adapter, settings: chat)
        } catch {
            LocoCLI.fail("loco-chat", error)
        }
        if isatty(0) == 1 {
            Terminal(session: session, historyFile: logging ? Terminal.historyURL() : nil).run()
        } else {
            let output = PipedOutput()
            while let line = readLine(strippingNewline: true) {
                if !session.handle(line, output: output) { break }
            }
        }
    }
}

LocoCLI.main(LocoChatCommand.self, example: #"printf 'What is 12 * 7?\n/stats\n' | loco-chat --backend llama-server"#)
