/// The 95% interval that fits a score: Wilson's for a share of right answers (every item 0 or 1),
/// a percentile bootstrap over items for a mean of scores between 0 and 1 (ROUGE-L, token F1,
/// partial credit), where Wilson's formula assumes a spread the scores do not have.
public enum ScoreInterval {
    public enum Method: String, Sendable { case wilson, bootstrap }

    /// Resamples for the bootstrap; its generator is seeded, so the same items give the same interval.
    public static let resamples = 2000

    public static func ci95(_ values: [Double]) -> (low: Double, high: Double, method: Method)? {
        guard !values.isEmpty else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        if values.allSatisfy({ $0 == 0 || $0 == 1 }) {
            return WilsonInterval.ci95(mean, values.count).map { ($0.low, $0.high, .wilson) }
        }
        var generator = SplitMix64(seed: 0x10C0_11A1)
        var means: [Double] = []
        means.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var sum = 0.0
            for _ in 0..<values.count { sum += values[Int(generator.next() % UInt64(values.count))] }
            means.append(sum / Double(values.count))
        }
        means.sort()
        func r(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
        let low = means[Int(0.025 * Double(resamples))], high = means[min(resamples - 1, Int(0.975 * Double(resamples)))]
        return (r(low), r(high), .bootstrap)
    }
}

/// A small seeded generator (Steele, Lea and Flood's SplitMix64): the same sequence on every
/// machine, unlike the system's random numbers.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
