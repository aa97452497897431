import Foundation
import Testing
import LocoCLI

@Suite struct ResumeHintTests {
    @Test func theHintRepeatsTheRunsOwnFlagsWithItsOutAndSeed() {
        let hint = ResumeHint.command("loco run", arguments: ["my set.csv", "--adapter", "arithmetic", "-o", "out.jsonl", "--no-re2", "--votes", "3", "--seed=9"],
                                      out: "out.jsonl", seed: 9)
        #expect(hint == "loco run 'my set.csv' --adapter arithmetic --no-re2 --votes 3 --resume out.jsonl --seed 9")
        // A drawn seed is pinned; an earlier --resume and -oFILE are replaced.
        #expect(ResumeHint.command("loco run", arguments: ["p.jsonl", "--resume", "r.jsonl", "-or.jsonl"], out: "r.jsonl", seed: 4)
                == "loco run p.jsonl --resume r.jsonl --seed 4")
        #expect(ResumeHint.shellQuoted("it's") == #"'it'\''s'"#)
    }
}
