import Synchronization

/// Lets idle workers sleep until a timeout or until something (a local enqueue, shutdown) wakes them.
final class WakeSignal: Sendable {
    private struct Waiter {
        let continuation: CheckedContinuation<Void, Never>
        let timer: Task<Void, Never>?
    }

    private struct State {
        var generation: UInt64 = 0
        var nextID = 0
        var waiters: [Int: Waiter] = [:]
    }

    private let state = Mutex(State())

    /// A token to pass to `wait`: wakes after it are not missed.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// Wakes every current waiter.
    func signal() {
        let woken = state.withLock { state -> [Waiter] in
            state.generation &+= 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in woken {
            waiter.timer?.cancel()
            waiter.continuation.resume()
        }
    }

    /// Returns after `timeout`, or at the first `signal()` after `seen` (at once if one already came).
    func wait(seen: UInt64, timeout: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let id = state.withLock { state -> Int? in
                guard state.generation == seen else { return nil }
                state.nextID += 1
                state.waiters[state.nextID] = Waiter(continuation: continuation, timer: nil)
                return state.nextID
            }
            guard let id else { return continuation.resume() }
            let timer = Task { [weak self] in
                try? await Task.sleep(for: timeout)
                self?.expire(id)
            }
            let stillWaiting = state.withLock { state -> Bool in
                guard state.waiters[id] != nil else { return false }
                state.waiters[id] = Waiter(continuation: continuation, timer: timer)
                return true
            }
            if !stillWaiting { timer.cancel() }
        }
    }

    private func expire(_ id: Int) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
    }
}
