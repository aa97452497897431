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

    @Test func anUnknownShellIsAOneLineError() throws {
        let r = try shell("loco completions powershell")
        #expect(r.status == 2)
        #expect(r.stderr == "loco: completions: give bash, zsh or fish, e.g. source <(loco completions bash)\n")
    }
}
