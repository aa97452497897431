import Foundation
import Testing

/// `loco chat` against the real engine: piped, and in a real terminal (tmux).
extension RealEngine {
    @Suite struct ChatTests {
        var url: String { E2E.engineURL! }

        @Test func pipedMessagesStreamAnswersToStdoutAndNotesToStderr() throws {
            let input = "What is the capital of France?\\nAnd of Italy?\\n/stats\\n/adapter none\\n/votes 3\\nWhat is 2 + 2?\\n/nope\\n"
            let r = try shell("printf '\(input)' | loco chat --backend llama-server --url \(url) --max-tokens 24", environment: ["LOCO_URL": url, "LOCO_BACKEND": "llama-server"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.lines.count == 3, "one line per answer: \(r.stdout)")
            #expect(r.lines.allSatisfy { !$0.hasPrefix(" ") && !$0.hasPrefix("[") })
            let notes = r.stderr.split(separator: "\n").map(String.init)
            #expect(notes.first?.hasPrefix("[routed to ") == true, "\(notes)")
            #expect(notes.filter { $0.hasPrefix("[routed to ") }.count <= 2, "a note only when the route changes: \(notes)")
            #expect(notes.contains { $0.hasPrefix("[2 turns, ") }, "\(notes)")
            #expect(notes.contains("[answering with the base model]"))
            #expect(notes.contains { $0.hasPrefix("[votes: ") && $0.contains(" of 3 samples") })
            #expect(notes.last == "error: unknown command /nope: /help lists them")
            let stats = notes.filter { $0.contains(" tokens/s · ") }
            #expect(stats.count == 3 && stats[2].hasPrefix("[the base model · "), "\(stats)")
        }

        @Test func theStreamedAnswerIsTheEnginesAnswerToTheRequestTheBatchToolsSend() throws {
            let question = "Name three primary colours."
            let chatEngine = try RecordingProxy(), batchEngine = try RecordingProxy()
            let chat = try shell("echo \(quoted(question)) | loco-chat --backend llama-server --url \(chatEngine.url) --adapter none --no-log --max-tokens 24 --seed 1")
            #expect(chat.status == 0, "\(chat.stderr)")
            let batch = try shell("jq -cn --arg q \(quoted(question)) '{query: $q}' | loco-route --adapter none | loco-prompt | loco-gen --backend llama-server --url \(batchEngine.url) --seed 1 --max-tokens 24")
            #expect(batch.status == 0, "\(batch.stderr)")
            // The same request but for streaming; the text shown is the engine's answer to it, trimmed.
            var streamed = try #require(try chatEngine.generationRequests().first), whole = try #require(try batchEngine.generationRequests().first)
            #expect(streamed.removeValue(forKey: "stream") as? Bool == true)
            whole.removeValue(forKey: "stream")
            #expect(try canonical(streamed) == canonical(whole))
            let answer = try #require(try chatEngine.answers().first)
            #expect(chat.stdout == answer.trimmingCharacters(in: .whitespacesAndNewlines) + "\n")
        }

        @Test func theChosenAdapterAnswersWithItsLoRAAndALongChatIsTrimmedWithANote() throws {
            let engine = try ExtraEngines(ports: [8189], arguments: ExtraEngines.shippedLoRAs)
            let reviews = ["A gorgeous, moving film.", "A dull, lifeless mess.", "Funny and warm.", "Tedious and overlong.", "A triumph."]
            let input = reviews.map { "Is the sentiment of this movie review positive or negative? \($0)" }.joined(separator: "\n") + "\n"
            let r = try shell("printf '%s' \(quoted(input)) | loco-chat --backend llama-server --url \(engine.urls[0]) --no-log --context 120 --max-tokens 8")
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.lines.allSatisfy { ["positive", "negative"].contains($0) }, "\(r.stdout)")
            #expect(r.stderr.contains("[routed to sentiment (classifier "))
            #expect(r.stderr.contains("[sentiment (LoRA) · "))
            #expect(r.stderr.contains("[history trimmed: the oldest "), "\(r.stderr)")
        }

        @Test func aRealTerminalGetsAPromptLineEditingAndHistory() throws {
            let session = "loco-chat-\(getpid())"
            let env = "LOCO_NO_LOG=1 PATH=\(E2E.bin):$PATH"
            // A server of the test's own (-L), never the user's. The server outlives the command that
            // starts it, and would keep the socket by which Foundation learns that a child has exited:
            // that command would look alive until the server ends. Python's subprocess closes every
            // inherited descriptor, so tmux runs through it.
            func tmux(_ args: String) throws -> ShellResult {
                try shell("python3 -c 'import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))' tmux -L \(session) \(args)", timeout: 30)
            }
            _ = try tmux("new-session -d -s \(session) -x 120 -y 30 \(quoted("\(env) loco-chat --backend llama-server --url \(url) --max-tokens 400 --adapter none"))")
            defer {
                _ = try? tmux("kill-server")
                _ = try? shell("rm -f \"${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/\(session)\"")
            }
            func screen() throws -> String { try tmux("capture-pane -p -t \(session)").stdout }
            /// The screen once it shows `text`, or the last screen seen.
            func waitFor(_ text: String, seconds: Double = 60) throws -> (Bool, String) {
                let deadline = Date().addingTimeInterval(seconds)
                var last = ""
                while Date() < deadline {
                    last = try screen()
                    if last.contains(text) { return (true, last) }
                    usleep(200_000)
                }
                return (false, last)
            }
            let (started, first) = try waitFor("/help lists the commands")
            #expect(started, "\(first)")
            let (prompted, shown) = try waitFor("\n>")  // capture-pane drops the trailing space
            #expect(prompted, "a prompt: \(shown)")
            // Ctrl-C stops the answer being generated (400 tokens take seconds), not the chat. The base
            // model answers (--adapter none): a math LoRA would answer "count to 300" in one short line.
            _ = try tmux("send-keys -t \(session) 'Count from 1 to 300, one number per line.' Enter")
            usleep(2_000_000)
            _ = try tmux("send-keys -t \(session) C-c")
            let (stopped, afterStop) = try waitFor("[stopped]")
            #expect(stopped, "\(afterStop)")
            _ = try tmux("send-keys -t \(session) 'What is 2 + 2?' Enter")
            let (answered, second) = try waitFor(" tokens/s · ")
            #expect(answered, "a stats line after the answer: \(second)")
            // Up arrow brings the last message back; Ctrl-A, typing and Ctrl-K edit it in place.
            _ = try tmux("send-keys -t \(session) Up C-a '/stats' C-k Enter")
            let (edited, third) = try waitFor("[1 turns, ")
            #expect(edited, "\(third)")
            _ = try tmux("send-keys -t \(session) C-d")
            usleep(500_000)
            #expect(try tmux("has-session -t \(session)").status != 0, "Ctrl-D leaves")
        }
    }
}
