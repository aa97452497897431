/// What a user types to carry an interrupted run on: the run's own arguments (its adapter, votes,
/// prompt flags…), its OUT given to --resume, and its seed pinned, so the resumed run is the same
/// run and not a new one that happens to share a file.
public enum ResumeHint {
    /// `loco run 'my set.csv' --adapter arithmetic --resume out.jsonl --seed 42`
    public static func command(_ command: String, arguments: [String], out: String, seed: Int) -> String {
        var kept: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext { skipNext = false; continue }
            if ["-o", "--output", "--resume", "--seed"].contains(argument) { skipNext = true; continue }
            if ["--output=", "--resume=", "--seed="].contains(where: argument.hasPrefix) { continue }
            if argument.hasPrefix("-o"), argument.count > 2, !argument.hasPrefix("--") { continue }
            kept.append(argument)
        }
        return ([command] + (kept + ["--resume", out, "--seed", String(seed)]).map(shellQuoted)).joined(separator: " ")
    }

    /// A word as a shell reads it back: bare when it is safe, else in single quotes.
    public static func shellQuoted(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
        if !word.isEmpty, word.allSatisfy(safe.contains) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
