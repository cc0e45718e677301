@testable import BerthMetadata
import Synchronization
import Testing

@Suite("AsyncGate")
struct AsyncGateTests {
    @Test func admitsOneCallerAtATime() async throws {
        let gate = AsyncGate()
        let counters = Counters()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    try await gate.run {
                        counters.enter()
                        await Task.yield()
                        try await Task.sleep(nanoseconds: 100_000)
                        counters.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(counters.snapshot == Counters.Values(inside: 0, most: 1, finished: 50))
    }

    @Test func releasesTheGateWhenTheBodyThrows() async throws {
        struct Boom: Error {}
        let gate = AsyncGate()
        await #expect(throws: Boom.self) { try await gate.run { () async throws -> Int in throw Boom() } }
        #expect(try await gate.run { 7 } == 7)
    }
}

/// Counts callers inside the gate.
private final class Counters: Sendable {
    struct Values: Equatable {
        var inside = 0, most = 0, finished = 0
    }

    private let values = Mutex(Values())

    var snapshot: Values { values.withLock { $0 } }

    func enter() {
        values.withLock { values in
            values.inside += 1
            values.most = max(values.most, values.inside)
        }
    }

    func leave() {
        values.withLock { values in
            values.inside -= 1
            values.finished += 1
        }
    }
}
