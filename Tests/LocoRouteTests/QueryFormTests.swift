import Foundation
import LocoKit
import LocoRegistry
import LocoTestSupport
import Testing
@testable import LocoRoute

/// Equations read from their form, and the route an adapter's `router_forms` gives them.
@Suite struct QueryFormTests {
    @Test(arguments: [
        ("Solve for x: −2x − 4(1 + 8x) = −174", "-2x - 4(1 + 8x) = -174"),
        ("What is x if −10 − 5x = 2(5x - 20)?", "-10 - 5x = 2(5x - 20)"),
        ("solve 8x + 4x = 12 for x", "8x + 4x = 12"),
        ("Solve 14*u + 45 = 5*u for u.", "14 * u + 45 = 5 * u"),
        ("Find the value of o in the equation: 15*o - 16 = 44", "15 * o - 16 = 44"),
        ("can u solve t/3 + 2 = 0 pls", "t / 3 + 2 = 0"),
        ("Find x. -15 = −2x + 5x", "-15 = -2x + 5x"),
        ("Find the value of q: 9q - 6 = q + 106", "9q - 6 = q + 106"),
        ("x = 2x - 5, what is x?", "x = 2x - 5"),
        ("If (1/2) ^ 25 (1/81) ^ k = 1/18 ^ 25, then k =", "(1 / 2)^25(1 / 81)^k = 1 / 18^25"),
        ("what is y when 3y × 2 = 18", "3y * 2 = 18"),
    ])
    func anEquationInOneUnknownIsRead(query: String, read: String) {
        #expect(QueryForm.equation.match(query) == read)
    }

    @Test(arguments: [
        "x = 5",                                         // an assignment: nothing to solve
        "y = 2*x + 1",                                   // two letters
        "n = n + 1",                                     // code's increment, not 0 = 1
        "What is 3 + 4 = ?",                             // no unknown
        "if a == 3 and b <= 4: c += 2",                  // comparisons and updates
        "f(x) = 3x + 2, find f(2)",                      // a function, not an unknown
        "E = mc2 and F = 9/5 C + 32",                    // words and two letters
        "set x=3 and y = 4 then add them",
        "the ratio 3:4 = 0.75",
        "100 m = 0.1 km, so how many m in 3 km?",       // quantities and units
        "1 h = 60 min",
        "We surveyed patients (n = 18) over a year.",    // a count in an abstract
        "What does this print?\nx = 2\ny = x * 3 + 1\nprint(y)",
        "def poly(xs, x):\n    \"\"\"(x - 1) * (x - 2) = 0 at x = 1\"\"\"\n    return 0",
        "what's 221 + 173?",
    ])
    func whatIsNotAnEquationInOneUnknownIsNotRead(query: String) {
        #expect(QueryForm.equation.match(query) == nil)
    }

    /// A paste of many `=` is read line by line once: reading the terms around each `=` from the
    /// line's start took time in the square of its length (a record of 200 KB of `x=1` kept
    /// `loco-route` busy for minutes). These come back at once, or the suite's time limit ends it.
    @Test func aLongPasteIsReadOnceAndStillFindsItsEquation() {
        let assignments = String(repeating: "x=1 ", count: 50_000)
        #expect(QueryForm.equation.match(assignments) == nil)
        #expect(QueryForm.equation.match(String(repeating: "1+", count: 50_000) + "1=" + String(repeating: "1=", count: 50_000)) == nil)
        let prose = String(repeating: "The committee met again. ", count: 8_000)
        #expect(QueryForm.equation.match(prose + "\nsolve 3x + 7 = 22 for x") == "3x + 7 = 22")
    }

    static let formsYAML = testRegistryYAML.replacingOccurrences(of: "    answer_format: number\n", with: "    answer_format: number\n    router_forms: [equation]\n")

    @Test func anEquationGoesToTheAdapterThatClaimsItWhateverTheWordsSay() throws {
        let registry = try Registry.parse(Self.formsYAML)
        #expect(registry["math-reasoning"]?.routerForms == ["equation"])
        // The keyword router alone sends this to writing-academic ("summarize"), or ties.
        var stage = try RouteStage(registry: registry, threshold: 0.5, explain: true)
        let input = #"{"query":"summarize how to solve 3x + 7 = 22 for x"}"# + "\n" + #"{"query":"summarize the essay"}"# + "\n"
        let (lines, _) = try runStage(&stage, input: input)
        let first = try object(lines[0])
        #expect(first["adapter"] == "math-reasoning")
        let route = try #require(first["route"]?.objectValue)
        #expect(route["router"] == "form")
        #expect(route["confidence"] == 1)
        #expect(route["note"]?.stringValue?.contains("3x + 7 = 22") == true)
        let second = try object(lines[1])
        #expect(second["adapter"] == "writing-academic")
        #expect(second["route"]?.objectValue?["router"] == "keyword")
        // Without the claim, the words decide.
        var plain = try RouteStage(registry: testRegistry(), threshold: 0.5)
        #expect(try object(runStage(&plain, input: input).0[0])["adapter"] == "writing-academic")
    }

    @Test func aFormNoOneKnowsOrTwoAdaptersClaimIsARegistryError() throws {
        let unknown = try Registry.parse(Self.formsYAML.replacingOccurrences(of: "[equation]", with: "[riddle]"))
        #expect(throws: ConfigError.self) { try FormRouter.forms(in: unknown) }
        let twice = try Registry.parse(Self.formsYAML.replacingOccurrences(of: "    system_prompt: \"Write well.\"\n",
                                                                            with: "    system_prompt: \"Write well.\"\n    router_forms: [equation]\n"))
        do {
            _ = try FormRouter.forms(in: twice)
            Issue.record("two adapters claiming one form were accepted")
        } catch let error as ConfigError {
            #expect(error.description.contains("both claim"))
        }
    }

    @Test func eachFoldRoutesBehindTheForms() throws {
        let queries = ["What is 12 plus 30?", "Compute 7 times 8.", "What is 45 minus 19?"].map { LabelledQuery(line: 0, query: $0, adapter: "math-reasoning", source: "sums") }
            + ["Summarize this essay.", "Proofread my essay.", "Paraphrase this essay."].map { LabelledQuery(line: 0, query: $0, adapter: "writing-academic", source: "essays") }
            + [LabelledQuery(line: 0, query: "Summarize: 3x + 7 = 22", adapter: "math-reasoning", source: "equations")]
        var evaluation = CrossSourceEvaluation(adapters: ["math-reasoning", "writing-academic"])
        evaluation.trainer.minSources = 1
        evaluation.trainer.minDocumentFrequency = 1
        let words = try evaluation.classifierPredictions(queries).first { $0.source == "equations" }
        evaluation.forms = [(.equation, "math-reasoning")]
        let formed = try evaluation.classifierPredictions(queries).first { $0.source == "equations" }
        #expect(words?.routed == "writing-academic")
        #expect(formed?.routed == "math-reasoning")
        #expect(formed?.confidence == 1)
    }
}
