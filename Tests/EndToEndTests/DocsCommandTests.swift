import Foundation
import Testing

/// Every ```sh block of the architecture page and the lessons runs, as written, against a real
/// engine that has the shipped adapters loaded, so the teaching docs never rot.
extension RealEngine {
    @Suite(.enabled(if: ExtraEngines.available, "needs LOCO_TEST_LLAMA_SERVER and LOCO_TEST_GGUF: run scripts/test.sh"))
    struct DocsCommandTests {
        static let pages = ["docs/architecture.md", "docs/teaching/1-route.md", "docs/teaching/2-prompt.md",
                            "docs/teaching/3-generate.md", "docs/teaching/4-vote.md", "docs/teaching/5-score.md"]

        static func blocks(_ page: String) throws -> [String] {
            let text = try String(contentsOf: E2E.root.appendingPathComponent(page), encoding: .utf8)
            return text.components(separatedBy: "```sh\n").dropFirst().map { $0.components(separatedBy: "\n```")[0] }
        }

        @Test func everyLessonHasCommands() throws {
            for page in DocsCommandTests.pages {
                #expect(try !DocsCommandTests.blocks(page).isEmpty, "\(page) has no commands")
            }
            let lessons = try FileManager.default.contentsOfDirectory(atPath: E2E.root.appendingPathComponent("docs/teaching").path)
                .filter { $0.hasSuffix(".md") && $0 != "README.md" }.map { "docs/teaching/" + $0 }
            #expect(Set(lessons).isSubset(of: Set(DocsCommandTests.pages)), "a lesson this test does not run")
        }

        @Test func commandsRunAsWritten() throws {
            let engine = try ExtraEngines(ports: [8190], arguments: ExtraEngines.shippedLoRAs)
            let env = ["LOCO_BACKEND": "llama-server", "LOCO_URL": engine.urls[0]]
            for page in DocsCommandTests.pages {
            for block in try DocsCommandTests.blocks(page) {
                for command in block.split(separator: "\n").map(String.init) where !command.hasPrefix("#") {
                    let r = try shell("set -e; " + command, environment: env, timeout: 240)
                    #expect(r.status == 0, "\(page): \(command)\n\(r.stderr)")
                    #expect(!r.stdout.isEmpty, "\(page): \(command) printed nothing")
                }
            }
            }
        }
    }
}
