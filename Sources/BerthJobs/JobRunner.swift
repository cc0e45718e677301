import BerthCore
import BerthMetadata
import Synchronization

/// Runs jobs from a `JobStore` on this node: `concurrency` workers claim due jobs of the registered
/// types, run their handlers, and record the outcome. Idle workers poll with growing waits and are
/// woken at once by a local `enqueue`. While a job runs, a watchdog heartbeats its lease; it cancels
/// the handler when the job's timeout passes (a failed attempt, retried with backoff), when a stop
/// was requested (the job ends Stopped) or when the lease was lost (nothing is recorded). Handlers
/// must honour task cancellation.
public final class JobRunner: Sendable {
    private struct State {
        var handlers: [String: JobHandler] = [:]
        var workers: [Task<Void, Never>] = []
        var stopping = false
    }

    /// How one attempt ended, as the worker saw it.
    private enum Outcome: Sendable {
        case succeeded, failed(String), timedOut, stopRequested, leaseLost, cancelled
    }

    private let store: any JobStore
    /// The settings it was created with.
    public let configuration: JobRunnerConfiguration
    private let state = Mutex(State())
    private let wakeSignal = WakeSignal()

    public init(store: any JobStore, configuration: JobRunnerConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    /// Sets the handler for jobs of `type` (replacing an earlier one). Register before `start()`, or
    /// call `wake()` afterwards so idle workers pick the new type up.
    public func register(_ type: String, handler: @escaping JobHandler) {
        state.withLock { $0.handlers[type] = handler }
    }

    /// Starts the workers. Calling it again does nothing.
    public func start() {
        state.withLock { state in
            guard state.workers.isEmpty, !state.stopping else { return }
            state.workers = (0..<configuration.concurrency).map { index in
                Task { [self] in await work(worker: "\(configuration.nodeID)/\(index)") }
            }
        }
    }

    /// Enqueues a job and wakes this node's idle workers.
    @discardableResult
    public func enqueue(_ request: JobRequest) async throws -> JobEnqueueResult {
        let result = try await store.enqueue(request)
        wake()
        return result
    }

    /// Makes idle workers poll now.
    public func wake() { wakeSignal.signal() }

    /// Stops claiming, lets running jobs finish for up to `gracePeriod`, then cancels them (they are
    /// released back to Pending without counting the attempt) and waits for the workers to end.
    public func shutdown(gracePeriod: Duration = .seconds(30)) async {
        let workers = state.withLock { state -> [Task<Void, Never>] in
            state.stopping = true
            return state.workers
        }
        wakeSignal.signal()
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for worker in workers { await worker.value }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: gracePeriod)
                return false
            }
            if await group.next() == false {
                Log.warning("jobs: grace period over, cancelling running jobs on \(self.configuration.nodeID)")
                for worker in workers { worker.cancel() }
            }
            group.cancelAll()
        }
    }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    private func work(worker: String) async {
        var idle = configuration.pollInterval
        while !isStopping {
            let seen = wakeSignal.generation
            let types = state.withLock { Array($0.handlers.keys) }.sorted()
            if !types.isEmpty {
                do {
                    if let job = try await store.claim(worker: worker, types: types) {
                        await execute(job, worker: worker)
                        idle = configuration.pollInterval
                        continue
                    }
                } catch {
                    Log.warning("jobs: \(worker) could not claim a job: \(error)")
                }
            }
            if isStopping { break }
            await wakeSignal.wait(seen: seen, timeout: idle)
            idle = min(idle * 2, configuration.maxPollInterval)
        }
    }

    private func execute(_ job: Job, worker: String) async {
        guard let handler = state.withLock({ $0.handlers[job.type] }) else {
            _ = try? await store.release(job.lease)
            return
        }
        let context = JobContext(job: job, worker: worker, store: store)
        let outcome = await withTaskGroup(of: Outcome?.self) { group -> Outcome in
            group.addTask {
                do {
                    try await handler(job, context)
                    return .succeeded
                } catch {
                    return Task.isCancelled ? .cancelled : .failed(String(describing: error))
                }
            }
            group.addTask { await self.watch(job) }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .cancelled
        }
        await record(outcome, of: job)
    }

    /// Heartbeats until the job's timeout; returns why the job must end, or nil when cancelled because
    /// the handler ended first. The local deadline comes a little before the lease ends (a tenth of the
    /// timeout, at least 250 ms when the timeout allows, at most 2 s), so that the timed-out attempt is
    /// normally recorded before another worker may claim the job again.
    private func watch(_ job: Job) async -> Outcome? {
        let margin = min(2_000, max(job.timeoutMillis / 10, min(job.timeoutMillis / 4, 250)))
        let deadline = ContinuousClock.now + .milliseconds(job.timeoutMillis - margin)
        while true {
            let remaining = deadline - .now
            if remaining <= .zero { return .timedOut }
            do {
                try await Task.sleep(for: min(remaining, configuration.heartbeatInterval))
            } catch {
                return nil
            }
            if ContinuousClock.now >= deadline { return .timedOut }
            switch try? await store.heartbeat(job.lease, progress: nil, message: nil) {
            case .stopRequested: return .stopRequested
            case .lost: return .leaseLost
            case .held, nil: continue
            }
        }
    }

    private func record(_ outcome: Outcome, of job: Job) async {
        let lease = job.lease
        let delay = configuration.retry.delayMillis(afterAttempt: job.attempts)
        do {
            switch outcome {
            case .succeeded:
                _ = try await store.complete(lease, message: nil)
            case .failed(let message):
                Log.info("jobs: job \(job.id) (\(job.type)) attempt \(job.attempts) failed: \(message)")
                _ = try await store.fail(lease, error: message, retryDelayMillis: delay)
            case .timedOut:
                Log.info("jobs: job \(job.id) (\(job.type)) attempt \(job.attempts) timed out")
                _ = try await store.fail(lease, error: "timed out after \(job.timeoutMillis) ms", retryDelayMillis: delay)
            case .stopRequested:
                _ = try await store.markStopped(lease)
            case .leaseLost:
                Log.warning("jobs: job \(job.id) lost its lease; its outcome is not recorded")
            case .cancelled:
                _ = try await store.release(lease)
            }
        } catch {
            Log.error("jobs: could not record the outcome of job \(job.id): \(error); its lease will expire")
        }
    }
}
