/// The 95% Wilson score interval of a proportion: what a score over n items is worth. The gate
/// passes an adapter when the lower end clears the base model; loco-score's summary and the
/// report show it beside every score.
public enum WilsonInterval {
    /// For a proportion p over n items, rounded to 3 places; nil for no items.
    public static func ci95(_ p: Double, _ n: Int) -> (low: Double, high: Double)? {
        guard n > 0 else { return nil }
        let z2 = 1.96 * 1.96, nd = Double(n)
        let centre = (p + z2 / (2 * nd)) / (1 + z2 / nd)
        let half = 1.96 * ((p * (1 - p)) / nd + z2 / (4 * nd * nd)).squareRoot() / (1 + z2 / nd)
        func r(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
        return (r(max(0, centre - half)), r(min(1, centre + half)))
    }
}
