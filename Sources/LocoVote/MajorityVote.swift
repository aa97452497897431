/// Self-consistency (Wang et al., 2023): the answer most samples agree on wins.
/// A tie goes to the answer that appeared first, so the result never depends on hashing order.
public struct MajorityVote: Equatable {
    public var answer: String
    /// Each distinct answer with its count, in the order first seen.
    public var votes: [(answer: String, count: Int)]
    /// The winner's share of the samples, 0...1.
    public var agreement: Double

    public init?(_ answers: [String]) {
        guard !answers.isEmpty else { return nil }
        var order: [String] = []
        var counts: [String: Int] = [:]
        for a in answers {
            if counts[a] == nil { order.append(a) }
            counts[a, default: 0] += 1
        }
        var best = order[0]
        for a in order where counts[a]! > counts[best]! { best = a }
        answer = best
        votes = order.map { ($0, counts[$0]!) }
        agreement = Double(counts[best]!) / Double(answers.count)
    }

    public static func == (lhs: MajorityVote, rhs: MajorityVote) -> Bool {
        lhs.answer == rhs.answer && lhs.agreement == rhs.agreement
            && lhs.votes.map(\.answer) == rhs.votes.map(\.answer) && lhs.votes.map(\.count) == rhs.votes.map(\.count)
    }
}
