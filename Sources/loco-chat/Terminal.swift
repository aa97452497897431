import CEditLine
import Foundation
import LocoChat
import LocoKit

/// Piped: answers on stdout, one per line; notes on stderr.
final class PipedOutput: ChatOutput {
    func answer(_ piece: String) { FileHandle.standardOutput.write(Data(piece.utf8)) }
    func endAnswer() { FileHandle.standardOutput.write(Data("\n".utf8)) }
    func note(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
}

/// On a terminal: a prompt with line editing and history (libedit), everything on stdout.
final class Terminal: ChatOutput {
    let session: ChatSession
    let historyFile: URL?

    init(session: ChatSession, historyFile: URL?) {
        self.session = session
        self.historyFile = historyFile
    }

    static func historyURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return URL(fileURLWithPath: state).appendingPathComponent("locollm/chat_history")
    }

    func answer(_ piece: String) {
        FileHandle.standardOutput.write(Data(piece.utf8))
    }

    func endAnswer() { FileHandle.standardOutput.write(Data("\n".utf8)) }

    func note(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    func run() {
        using_history()
        stifle_history(1000)
        if let historyFile {
            try? FileManager.default.createDirectory(at: historyFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            read_history(historyFile.path)
        }
        note("loco chat: /help lists the commands, Ctrl-C stops an answer, Ctrl-D leaves.")
        Interruption.install()
        while let raw = readline("> ") {
            let line = String(cString: raw)
            free(raw)
            Interruption.rearm()
            if !line.trimmingCharacters(in: .whitespaces).isEmpty { add_history(line) }
            if !session.handle(line, output: self) { break }
        }
        if let historyFile {
            write_history(historyFile.path)
            chmod(historyFile.path, 0o600)
        }
    }
}
