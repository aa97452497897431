import ArgumentParser
import Foundation
import LocoCLI
import LocoKit
import LocoRoute

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show, correct and export the local routing log.",
        discussion: """
            `loco query` (and `loco-route --log`) append each routed query to a SQLite file on \
            this machine: $LOCO_ROUTING_LOG, else $XDG_DATA_HOME/locollm/routing.sqlite \
            (~/.local/share/locollm/routing.sqlite). It holds the query, the adapter chosen, \
            the router, its confidence, and your correction if you make one. Nothing sends it \
            anywhere. Turn logging off with LOCO_NO_LOG=1 (or `loco query --no-log`); delete \
            it with `loco-route log clear`.

              loco-route log show                  the newest entries
              loco-route log correct 12 code-python
              loco-route log correct last none     (the last one was for the base model)
              loco-route log export                labelled JSON Lines, as `train` reads
              loco-route train --from-log adapters/router/train.jsonl -o model.json
            """,
        subcommands: [Show.self, Correct.self, Export.self, Path.self, Clear.self],
        defaultSubcommand: Show.self)

    static func open() -> RoutingLog {
        do { return try RoutingLog(url: RoutingLog.defaultURL()) } catch { LocoCLI.fail("loco-route log", error) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The newest entries, one per line.")
        @Option(help: "How many entries.") var limit = 20

        func run() throws {
            let entries: [RoutingLog.Entry]
            do { entries = try LogCommand.open().entries(limit: limit) } catch { LocoCLI.fail("loco-route log", error) }
            if entries.isEmpty { printError("loco-route: the routing log is empty") }
            for entry in entries.reversed() {
                let routed = entry.adapter ?? baseCandidate
                let corrected = entry.correction.map { " -> \($0)" } ?? ""
                let query = entry.query.split(whereSeparator: \.isNewline).joined(separator: " ")
                print("\(entry.id)\t\(entry.time)\t\(routed)\(corrected)\t\(entry.router) \(String(format: "%.2f", entry.confidence))\t\(query.prefix(70))")
            }
        }
    }

    struct Correct: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say which adapter should have answered an entry.")
        @Argument(help: ArgumentHelp("The entry's id (from `show`), or `last`.", valueName: "id")) var id: String
        @Argument(help: ArgumentHelp("An adapter name, or `none` for the base model.", valueName: "adapter")) var adapter: String
        @OptionGroup var registryOptions: RegistryOptions

        func run() throws {
            do {
                let registry = try registryOptions.load()
                let target = adapter == "none" || adapter == baseCandidate ? nil : adapter
                if let target, registry[target] == nil {
                    throw ConfigError("unknown adapter '\(target)' (known: \(registry.names.joined(separator: ", ")), or none)")
                }
                let log = LogCommand.open()
                let entryID: Int
                if id == "last" {
                    guard let last = try log.lastID() else { throw ConfigError("the routing log is empty") }
                    entryID = last
                } else {
                    guard let number = Int(id) else { throw ConfigError("'\(id)' is not an entry id (a number, or last)") }
                    entryID = number
                }
                try log.correct(id: entryID, adapter: target)
                printError("loco-route: entry \(entryID) now says \(target ?? "the base model"); `loco-route train --from-log` will learn it")
            } catch { LocoCLI.fail("loco-route log correct", error) }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Corrected and user-chosen entries as labelled JSON Lines.")
        func run() throws {
            let entries: [RoutingLog.Entry]
            do { entries = try LogCommand.open().entries() } catch { LocoCLI.fail("loco-route log", error) }
            for entry in entries {
                guard let label = entry.label else { continue }
                print(JSONWriter.string(["id": .string("log-\(entry.id)"), "query": .string(entry.query), "adapter": JSONValue(label), "source": "routing-log"]))
            }
        }
    }

    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Where the log is.")
        func run() throws { print(RoutingLog.defaultURL().path) }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete every entry.")
        func run() throws {
            do { try LogCommand.open().clear() } catch { LocoCLI.fail("loco-route log", error) }
            printError("loco-route: the routing log is empty now")
        }
    }
}
