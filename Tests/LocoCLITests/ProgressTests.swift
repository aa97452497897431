import Testing
import LocoCLI

@Suite struct ProgressTests {
    @Test func shareDoneAndTimeLeft() {
        #expect(Progress.remaining(done: 25, total: 100, thisRun: 25, seconds: 50) == ", 25/100 (25%), about 2m30s left")
        // Resumed: 40 were done before; 10 this run in 20 s, 50 to go at 2 s each.
        #expect(Progress.remaining(done: 50, total: 100, thisRun: 10, seconds: 20) == ", 50/100 (50%), about 1m40s left")
        #expect(Progress.remaining(done: 100, total: 100, thisRun: 100, seconds: 9) == ", 100/100 (100%)")
        #expect(Progress.remaining(done: 0, total: 10, thisRun: 0, seconds: 0) == ", 0/10 (0%)")
        #expect(Progress.duration(7200 + 61) == "2h01m")
    }
}
