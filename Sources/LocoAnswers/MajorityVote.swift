import Foundation

/// The temperature votes sample at unless told otherwise. Measured on this 270M base: on 50
/// held-out arithmetic items, 5 votes at 0.3 score 0.56 (the arithmetic LoRA; 0.18 the base model)
/// against 0.46 (0.10) at 0.7, and the samples agree more, so early stop draws fewer
/// (docs/voting.md).
public let defaultVotingTemperature = 0.3

/// Self-consistency (Wang et al., 2023): the answer most samples agree on wins.
/// Samples with no extractable answer (nil) do not vote. A tie goes to the answer that appeared
/// first, so the result never depends on hashing order.
public struct MajorityVote: Equatable {
    public var answer: String
    /// Each distinct answer with its count, in the order first seen.
    public var votes: [(answer: String, count: Int)]
    /// The winner's share of all samples, voting or not, 0...1.
    public var agreement: Double

    public init?(_ answers: [String?]) {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for case let a? in answers {
            if counts[a] == nil { order.append(a) }
            counts[a, default: 0] += 1
        }
        guard var best = order.first else { return nil }
        for a in order where counts[a]! > counts[best]! { best = a }
        answer = best
        votes = order.map { ($0, counts[$0]!) }
        agreement = Double(counts[best]!) / Double(answers.count)
    }

    /// True when the leader can no longer be overtaken or tied by `remaining` more samples,
    /// so drawing them cannot change the result; or, given `confidence`, when Adaptive-Consistency's
    /// Beta rule is that sure of the leader (see `leaderConfidence`), which may stop sooner and
    /// then, with a stated risk, elect what the full vote would not have.
    public static func isSettled(_ answers: [String?], remaining: Int, confidence: Double? = nil) -> Bool {
        guard let vote = MajorityVote(answers) else { return remaining == 0 }
        let counts = vote.votes.map(\.count).sorted(by: >)
        let runnerUp = counts.count > 1 ? counts[1] : 0
        if counts[0] > runnerUp + remaining { return true }
        guard let confidence else { return false }
        return leaderConfidence(leader: counts[0], runnerUp: runnerUp) >= confidence
    }

    /// Adaptive-Consistency's Beta stopping rule (Aggarwal et al., 2023, "Let's Sample Step by
    /// Step"): with `leader` and `runnerUp` votes for the two leading answers and a uniform prior,
    /// the leader's share of the two is Beta(leader + 1, runnerUp + 1), and this is the chance
    /// that the share is above one half. For whole counts that is the chance that at most
    /// `leader` of `leader + runnerUp + 1` fair coin flips come up heads: 2:0 gives 0.875, 3:0
    /// 0.9375, 3:1 0.8125, a tie 0.5.
    public static func leaderConfidence(leader: Int, runnerUp: Int) -> Double {
        let flips = leader + runnerUp + 1
        var ways = 1.0, atMost = 0.0
        for heads in 0...leader {
            if heads > 0 { ways = ways * Double(flips - heads + 1) / Double(heads) }
            atMost += ways
        }
        return atMost / pow(2, Double(flips))
    }

    /// Why `confidence` cannot be a stopping level for the Beta rule (it must be above a tie's
    /// 0.5 and below certainty), or nil when it can.
    public static func problem(withConfidence confidence: Double) -> String? {
        confidence > 0.5 && confidence < 1 ? nil : "--stop-confidence must be above 0.5 and below 1, e.g. 0.85"
    }

    /// How many samples to draw first: the fewest that could settle the vote. A majority of
    /// `samples` under the certain rule; under the Beta rule, as many agreeing samples as reach
    /// `confidence`, if fewer.
    public static func firstBatch(samples: Int, confidence: Double?) -> Int {
        let majority = samples / 2 + 1
        guard let confidence else { return majority }
        var agreeing = 1
        while agreeing < majority && leaderConfidence(leader: agreeing, runnerUp: 0) < confidence { agreeing += 1 }
        return agreeing
    }

    public static func == (lhs: MajorityVote, rhs: MajorityVote) -> Bool {
        lhs.answer == rhs.answer && lhs.agreement == rhs.agreement
            && lhs.votes.map(\.answer) == rhs.votes.map(\.answer) && lhs.votes.map(\.count) == rhs.votes.map(\.count)
    }
}
