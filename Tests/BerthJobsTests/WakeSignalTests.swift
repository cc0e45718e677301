@testable import BerthJobs
import Testing

@Suite("Wake signal")
struct WakeSignalTests {
    @Test func signalEndsAWaitEarlyAndTimeoutEndsItOtherwise() async {
        let signal = WakeSignal()
        let start = ContinuousClock.now
        await signal.wait(seen: signal.generation, timeout: .milliseconds(50))
        #expect(ContinuousClock.now - start >= .milliseconds(50))

        let seen = signal.generation
        let waiter = Task {
            await signal.wait(seen: seen, timeout: .seconds(30))
            return ContinuousClock.now
        }
        try? await Task.sleep(for: .milliseconds(50))
        let signalled = ContinuousClock.now
        signal.signal()
        let woke = await waiter.value
        #expect(woke - signalled < .seconds(5))
    }

    @Test func aSignalBeforeTheWaitIsNotMissed() async {
        let signal = WakeSignal()
        let seen = signal.generation
        signal.signal()
        let start = ContinuousClock.now
        await signal.wait(seen: seen, timeout: .seconds(30))
        #expect(ContinuousClock.now - start < .seconds(5))
    }
}
