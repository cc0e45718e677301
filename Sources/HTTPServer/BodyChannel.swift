import Synchronization

/// The hand-off of request-body chunks from an event loop (producer) to a handler (consumer).
/// Buffered bytes above the high-water mark pause the producer until the consumer catches up.
final class BodyChannel: Sendable {
    /// What the consumer asks of the event loop.
    enum Signal: Sendable { case sendContinue, resumeReading }

    /// The state of the body when the handler has answered.
    struct Outcome { var finished: Bool; var continuePending: Bool }

    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        var buffered = 0
        var peakBuffered = 0
        var finished = false
        var failure: HTTPServerError?
        var waiter: CheckedContinuation<[UInt8]?, any Error>?
        var paused = false
        var expectContinue: Bool
        var continueRequested = false
        var abandoned = false
    }

    private enum Step { case value([UInt8]?), failure(HTTPServerError), wait }

    private let state: Mutex<State>
    private let highWater: Int
    private let signal: @Sendable (Signal) -> Void

    init(highWater: Int, expectContinue: Bool, signal: @escaping @Sendable (Signal) -> Void) {
        self.highWater = max(1, highWater)
        self.signal = signal
        state = Mutex(State(expectContinue: expectContinue))
    }

    /// The most bytes ever buffered at once.
    var peakBuffered: Int { state.withLock { $0.peakBuffered } }

    // MARK: producer (event loop)

    /// Delivers a chunk. Returns false when the producer must pause reading.
    func push(_ bytes: [UInt8]) -> Bool {
        var waiter: CheckedContinuation<[UInt8]?, any Error>?
        let keepReading = state.withLock { s -> Bool in
            if s.abandoned || s.failure != nil { return true }
            if let w = s.waiter { s.waiter = nil; waiter = w; return true }
            s.chunks.append(bytes)
            s.buffered += bytes.count
            s.peakBuffered = max(s.peakBuffered, s.buffered)
            if s.buffered >= highWater { s.paused = true; return false }
            return true
        }
        waiter?.resume(returning: bytes)
        return keepReading
    }

    /// Whether the consumer gave up on the body (its bytes are being discarded).
    var isAbandoned: Bool { state.withLock { $0.abandoned } }

    /// Marks the end of the body.
    func finish() {
        let waiter = state.withLock { s -> CheckedContinuation<[UInt8]?, any Error>? in
            s.finished = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Fails the body unless it was already complete; the consumer's next read throws `error`.
    func fail(_ error: HTTPServerError) {
        let waiter = state.withLock { s -> CheckedContinuation<[UInt8]?, any Error>? in
            if s.finished { return nil }
            if s.failure == nil { s.failure = error }
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(throwing: error)
    }

    // MARK: consumer (handler)

    /// The next chunk, or nil at the end of the body.
    func next() async throws -> [UInt8]? {
        switch step(registering: nil) {
        case .value(let value): return value
        case .failure(let error): throw error
        case .wait: break
        }
        return try await withCheckedThrowingContinuation { continuation in
            switch step(registering: continuation) {
            case .value(let value): continuation.resume(returning: value)
            case .failure(let error): continuation.resume(throwing: error)
            case .wait: break
            }
        }
    }

    private func step(registering waiter: CheckedContinuation<[UInt8]?, any Error>?) -> Step {
        var signals: [Signal] = []
        let result = state.withLock { s -> Step in
            if s.head < s.chunks.count {
                let chunk = s.chunks[s.head]
                s.chunks[s.head] = []
                s.head += 1
                if s.head == s.chunks.count { s.chunks.removeAll(keepingCapacity: true); s.head = 0 }
                s.buffered -= chunk.count
                if s.paused && s.buffered <= highWater / 2 { s.paused = false; signals.append(.resumeReading) }
                return .value(chunk)
            }
            if let failure = s.failure { return .failure(failure) }
            if s.finished { return .value(nil) }
            if s.paused { s.paused = false; signals.append(.resumeReading) }
            if s.expectContinue && !s.continueRequested {
                s.continueRequested = true
                signals.append(.sendContinue)
            }
            if let waiter { s.waiter = waiter }
            return .wait
        }
        for signal in signals { self.signal(signal) }
        return result
    }

    /// Called once the handler has answered: discards buffered bytes and reports the body's state.
    func abandon() -> Outcome {
        var resume = false
        let outcome = state.withLock { s -> Outcome in
            s.abandoned = true
            s.chunks = []
            s.head = 0
            s.buffered = 0
            resume = s.paused
            s.paused = false
            return Outcome(finished: s.finished || s.failure != nil,
                           continuePending: s.expectContinue && !s.continueRequested)
        }
        if resume { signal(.resumeReading) }
        return outcome
    }
}
