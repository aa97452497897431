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
    /// so drawing them cannot change the result.
    public static func isSettled(_ answers: [String?], remaining: Int) -> Bool {
        guard let vote = MajorityVote(answers) else { return remaining == 0 }
        let counts = vote.votes.map(\.count).sorted(by: >)
        let runnerUp = counts.count > 1 ? counts[1] : 0
        return counts[0] > runnerUp + remaining
    }

    public static func == (lhs: MajorityVote, rhs: MajorityVote) -> Bool {
        lhs.answer == rhs.answer && lhs.agreement == rhs.agreement
            && lhs.votes.map(\.answer) == rhs.votes.map(\.answer) && lhs.votes.map(\.count) == rhs.votes.map(\.count)
    }
}
