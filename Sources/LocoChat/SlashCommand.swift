/// What a line starting with `/` asks for.
public enum SlashCommand: Equatable {
    case adapter(String)      // a name, "auto" or "none"
    case votes(Int)
    case re2(Bool)
    case clear, stats, help, quit

    public static let summary = """
        /adapter NAME|auto|none   pin NAME or the base model (none) for every message, or route each message again (auto)
        /votes N                  draw N samples and keep the majority answer (1: stream one answer)
        /re2 on|off               read the question twice (on by default)
        /clear                    forget the conversation; the next message is routed again
        /stats                    this session's turns, tokens and speed
        /help                     this list
        /quit                     leave (so do Ctrl-D and end of input)
        """

    /// nil for a line that is not a command; a thrown message for one that is wrong.
    public static func parse(_ line: String) throws -> SlashCommand? {
        guard line.hasPrefix("/") else { return nil }
        let words = line.dropFirst().split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let argument = words.count > 1 ? words[1] : nil
        switch words.first ?? "" {
        case "adapter":
            guard let argument else { throw ChatError("/adapter needs a name, auto or none") }
            return .adapter(argument)
        case "votes":
            guard let argument, let n = Int(argument), (1...20).contains(n) else { throw ChatError("/votes needs a number from 1 to 20") }
            return .votes(n)
        case "re2":
            switch argument {
            case "on": return .re2(true)
            case "off": return .re2(false)
            default: throw ChatError("/re2 takes on or off")
            }
        case "clear": return .clear
        case "stats": return .stats
        case "help", "?": return .help
        case "quit", "exit", "q": return .quit
        default: throw ChatError("unknown command \(line.split(separator: " ").first ?? ""): /help lists them")
        }
    }
}

public struct ChatError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
