import Testing
@testable import LocoAnswers

@Suite struct VotingRuleTests {
    @Test func samplesWithoutAnAnswerDoNotVote() {
        let v = MajorityVote([nil, "7", nil, "7", "8"])!
        #expect(v.answer == "7")
        #expect(v.agreement == 0.4)
        #expect(MajorityVote([nil, nil]) == nil)
    }

    @Test func allDifferentGoesToTheFirstSeen() {
        let v = MajorityVote(["3", "1", "2"])!
        #expect(v.answer == "3")
        #expect(v.votes.map(\.count) == [1, 1, 1])
    }

    @Test func settledWhenTheLeaderCannotBeCaught() {
        #expect(MajorityVote.isSettled(["4", "4", "4"], remaining: 2))
        #expect(!MajorityVote.isSettled(["4", "4", "5"], remaining: 2))
        #expect(MajorityVote.isSettled(["4", "4", "5", "4"], remaining: 1))
        #expect(!MajorityVote.isSettled(["4", "5", "4", "5"], remaining: 1))
        #expect(!MajorityVote.isSettled([nil, nil, nil], remaining: 2))
        #expect(MajorityVote.isSettled(["1"], remaining: 0))
    }

    @Test func theBetaRuleIsAdaptiveConsistencysAndStopsOnlyWhereItIsThatSure() {
        // P(Beta(v1 + 1, v2 + 1) > 1/2), worked by hand: 2:0 7/8, 3:0 15/16, 3:1 26/32, 1:1 1/2.
        #expect(MajorityVote.leaderConfidence(leader: 2, runnerUp: 0) == 0.875)
        #expect(MajorityVote.leaderConfidence(leader: 3, runnerUp: 0) == 0.9375)
        #expect(MajorityVote.leaderConfidence(leader: 3, runnerUp: 1) == 0.8125)
        #expect(MajorityVote.leaderConfidence(leader: 1, runnerUp: 1) == 0.5)
        #expect(abs(MajorityVote.leaderConfidence(leader: 4, runnerUp: 0) - 31.0 / 32) < 1e-12)

        #expect(MajorityVote.isSettled(["4", "4"], remaining: 3, confidence: 0.85), "two agreeing: 0.875")
        #expect(!MajorityVote.isSettled(["4", "4"], remaining: 3, confidence: 0.9))
        #expect(!MajorityVote.isSettled(["4", "4"], remaining: 3), "without a confidence, 3 more could overturn 2")
        #expect(!MajorityVote.isSettled(["4", "5", "4"], remaining: 2, confidence: 0.85), "2:1 is only 0.6875")
        #expect(MajorityVote.isSettled(["4", nil, "4"], remaining: 2, confidence: 0.85), "a sample with no answer does not count against")
        #expect(MajorityVote.isSettled(["4", "4", "4"], remaining: 2, confidence: 0.99), "the certain rule still applies")

        // The first batch is the fewest samples that could settle the vote.
        #expect(MajorityVote.firstBatch(samples: 5, confidence: nil) == 3)
        #expect(MajorityVote.firstBatch(samples: 5, confidence: 0.85) == 2)
        #expect(MajorityVote.firstBatch(samples: 5, confidence: 0.95) == 3, "4 agreeing would be needed; a majority comes first")
        #expect(MajorityVote.firstBatch(samples: 9, confidence: 0.95) == 4)
    }
}
