import Foundation
import Testing
@testable import LocoEval
import LocoEngines
import LocoKit
import LocoRegistry
import LocoRoute
import LocoTestSupport

/// A pass's records are resumed only when nothing they depend on changed: for the passes the
/// router decides, that includes the router model and the forms adapters claim.
@Suite struct RecordSettingsTests {
    static let root = checkoutRoot

    func router(bias: Double) -> RouterModel {
        RouterModel(labels: ["arithmetic", nil], bias: [bias, 0], featureNames: ["w:sum"], weights: [1, 0], training: [:])
    }

    func settings(_ answerer: BenchmarkPass.Answerer, router: RouterModel?, registry given: Registry? = nil) throws -> JSONObject {
        let registry = try given ?? Registry.load(Self.root.appendingPathComponent("adapters/registry.yaml"))
        let context = EvalContext(registry: registry, routerModel: router,
                                  engines: Engines(settings: EngineSettings(backend: .llamaServer, url: "http://127.0.0.1:1", model: nil, timeout: 1)),
                                  maxTokens: 64, limit: nil, votingTemperature: 0.7, output: FileManager.default.temporaryDirectory, parallelism: nil)
        let pass = BenchmarkPass(name: "p", benchmarkOf: "arithmetic", answerer: answerer)
        return try #require(context.recordSettings(pass, benchmarkSHA256: "abc").objectValue)
    }

    @Test func aRetrainedRouterStartsTheRoutedPassesAgainAndLeavesTheForcedOnes() throws {
        let before = router(bias: 0.5), after = router(bias: 0.25)
        #expect(before.fingerprint != after.fingerprint && before.fingerprint == router(bias: 0.5).fingerprint)
        for answerer in [BenchmarkPass.Answerer.routed, .rightAdapter] {
            let old = try settings(answerer, router: before), new = try settings(answerer, router: after)
            #expect(old["router_sha256"]?.stringValue == before.fingerprint)
            #expect(JSONWriter.string(.object(old)) != JSONWriter.string(.object(new)), "\(answerer): records of the old router are not resumed")
        }
        for answerer in [BenchmarkPass.Answerer.forced(nil), .forced("arithmetic")] {
            let old = try settings(answerer, router: before), new = try settings(answerer, router: after)
            #expect(old["router_sha256"] == nil)
            #expect(JSONWriter.string(.object(old)) == JSONWriter.string(.object(new)), "\(answerer): no router decides, its records stand")
        }
    }

    @Test func aFormClaimedOrGivenUpStartsTheRoutedPassesAgain() throws {
        let url = Self.root.appendingPathComponent("adapters/registry.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("    router_forms: [equation]\n"))
        let claimed = try Registry.parse(text, location: url)
        let unclaimed = try Registry.parse(text.replacingOccurrences(of: "    router_forms: [equation]\n", with: ""), location: url)
        let model = router(bias: 0.5)
        for answerer in [BenchmarkPass.Answerer.routed, .rightAdapter] {
            let with = try settings(answerer, router: model, registry: claimed), without = try settings(answerer, router: model, registry: unclaimed)
            #expect(with["router_forms"] == ["equation": "math-reasoning"])
            #expect(without["router_forms"] == nil, "a registry without forms keeps the stamps made before forms existed")
        }
        for answerer in [BenchmarkPass.Answerer.forced(nil), .forced("arithmetic")] {
            let with = try settings(answerer, router: model, registry: claimed), without = try settings(answerer, router: model, registry: unclaimed)
            #expect(JSONWriter.string(.object(with)) == JSONWriter.string(.object(without)))
        }
    }
}
