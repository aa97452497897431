import Foundation
import Testing

/// `loco completions bash|zsh|fish`, loaded into the real shells, completing real words.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zsh") && FileManager.default.isExecutableFile(atPath: "/usr/bin/fish"),
                "needs zsh and fish: run scripts/test.sh"))
struct CompletionTests {
    @Test func bashCompletesCommandsAdapterNamesAndEachToolsFlags() throws {
        let r = try shell(#"""
            source <(loco completions bash)
            COMP_WORDS=(loco ad); COMP_CWORD=1; _loco; echo "${COMPREPLY[*]}"
            COMP_WORDS=(loco query --adapter s); COMP_CWORD=3; _loco; echo "${COMPREPLY[*]}"
            COMP_WORDS=(loco engine re); COMP_CWORD=2; _loco; echo "${COMPREPLY[*]}"
            COMPREPLY=(); COMP_WORDS=(loco-gen --max-t); COMP_CWORD=1; COMP_LINE="loco-gen --max-t"; COMP_POINT=16
            _loco-gen loco-gen --max-t loco-gen; echo "${COMPREPLY[*]}"
            """#)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.lines == ["adapters", "sentiment", "restart", "--max-tokens"])
    }

    @Test func zshRegistersEachCompletionWithCompsys() throws {
        // Driving zsh's line editor needs a terminal; this checks what compinit will call.
        let r = try shell(#"""
            zsh -fc 'autoload -U compinit && compinit -u; source <(loco completions zsh)
                     print -- $_comps[loco] $_comps[loco-gen] $_comps[loco-adapters]'
            """#)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.lines == ["_loco _loco-gen _loco-adapters"])
        let parsed = try shell("loco completions zsh > /tmp/loco-zsh.$$ && zsh -n /tmp/loco-zsh.$$; s=$?; rm -f /tmp/loco-zsh.$$; exit $s")
        #expect(parsed.status == 0, "\(parsed.stderr)")
    }

    @Test func fishCompletesFromTheRegistry() throws {
        let r = try shell(#"fish -c 'loco completions fish | source; complete -C "loco eval m"; complete -C "loco-score --met"'"#)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.lines.first == "math-reasoning")
        #expect(r.lines.contains { $0.hasPrefix("--metric") })
    }

    static let flag = try! NSRegularExpression(pattern: #"(?:^|[\[ |])(--[a-z0-9-]+|-o)\b"#)

    /// Every command `loco --help` names, and every flag its usage line shows, completes in all
    /// three shells: the completions are made from one list, and this keeps it and the help alike.
    @Test func everyCommandAndFlagInTheHelpCompletesInEveryShell() throws {
        let help = try shell("loco --help").stdout
        var usage: [String: Set<String>] = [:]
        for line in help.split(separator: "\n") where line.hasPrefix("  loco ") {
            let words = line.split(separator: " ")
            let command = String(words[1])
            guard command.allSatisfy({ $0.isLetter }) else { continue }
            // The usage itself: what follows two spaces is the command's description.
            let text = String(line.dropFirst(2)).components(separatedBy: "  ")[0]
            let flags = Self.flag.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range(at: 1), in: text).map { String(text[$0]) } }
            usage[command, default: []].formUnion(flags)
        }
        #expect(usage.keys.contains("grade") && usage["eval"]?.contains("--ablation") == true, "\(usage)")
        let commands = usage.keys.sorted()
        let bash = try shell("source <(loco completions bash); COMP_WORDS=(loco ''); COMP_CWORD=1; _loco; printf '%s\\n' \"${COMPREPLY[@]}\"").lines
        let zsh = try shell(#"zsh -fc 'autoload -U compinit && compinit -u; source <(loco completions zsh); compadd() { shift $(( ${@[(i)--]} )); print -l -- "$@" }; _files() {}; words=(loco ""); CURRENT=2; _loco'"#).lines
        let fish = try shell(#"fish -c 'loco completions fish | source; complete -C "loco "' | cut -f1"#).lines
        for (name, offered) in [("bash", bash), ("zsh", zsh), ("fish", fish)] {
            #expect(Set(commands).isSubset(of: Set(offered)), "\(name) does not complete \(Set(commands).subtracting(offered).sorted())")
        }
        for command in commands {
            let flags = usage[command] ?? []
            guard !flags.isEmpty else { continue }
            let bashFlags = try shell("source <(loco completions bash); COMP_WORDS=(loco \(command) -); COMP_CWORD=2; _loco; printf '%s\\n' \"${COMPREPLY[@]}\"").lines
            let zshFlags = try shell(#"zsh -fc 'autoload -U compinit && compinit -u; source <(loco completions zsh); compadd() { shift $(( ${@[(i)--]} )); print -l -- "$@" }; _files() {}; words=(loco \#(command) -); CURRENT=3; _loco'"#).lines
            let fishFlags = try shell(#"fish -c 'loco completions fish | source; complete -C "loco \#(command) -"' | cut -f1"#).lines
            for (name, offered) in [("bash", bashFlags), ("zsh", zshFlags), ("fish", fishFlags)] {
                // fish offers -o as -o and long flags as --flag.
                #expect(flags.isSubset(of: Set(offered)), "\(name): loco \(command) lacks \(flags.subtracting(offered).sorted())")
            }
        }
    }

    @Test func anUnknownShellIsAOneLineError() throws {
        let r = try shell("loco completions powershell")
        #expect(r.status == 2)
        #expect(r.stderr == "loco: completions: give bash, zsh or fish, e.g. source <(loco completions bash)\n")
    }
}
