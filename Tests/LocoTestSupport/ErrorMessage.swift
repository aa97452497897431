/// The error `body` throws, as the user reads it, or a sentence saying nothing was thrown (which
/// no expected message equals, so the test fails and says why).
public func errorMessage(_ what: String, _ body: () throws -> Void) -> String {
    do {
        try body()
        return "\(what) was read without an error"
    } catch {
        return "\(error)"
    }
}
