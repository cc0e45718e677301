@testable import BerthJobs
import BerthMetadata
import Synchronization
import Testing

/// Records what handlers saw, shared between tasks.
final class Recorder: Sendable {
    private let state = Mutex<(events: [String], times: [ContinuousClock.Instant], running: Set<Int64>, overlaps: Int)>(
        ([], [], [], 0))

    func note(_ event: String) {
        state.withLock {
            $0.events.append(event)
            $0.times.append(.now)
        }
    }

    var events: [String] { state.withLock { $0.events } }
    var times: [ContinuousClock.Instant] { state.withLock { $0.times } }
    var overlaps: Int { state.withLock { $0.overlaps } }

    /// Marks a job as running here; counts a second concurrent run of the same job anywhere.
    func begin(_ id: Int64) { state.withLock { if !$0.running.insert(id).inserted { $0.overlaps += 1 } } }
    func end(_ id: Int64) { state.withLock { _ = $0.running.remove(id) } }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
}

@Suite("Job runner", .serialized)
struct JobRunnerTests {
    static func configuration(_ node: String, concurrency: Int = 2, heartbeat: Duration = .milliseconds(50),
                              retryBase: Int64 = 50) -> JobRunnerConfiguration {
        JobRunnerConfiguration(nodeID: node, concurrency: concurrency, pollInterval: .milliseconds(20),
                               maxPollInterval: .milliseconds(200), heartbeatInterval: heartbeat,
                               retry: RetryPolicy(baseMillis: retryBase, maximumMillis: 10_000, jitter: 0))
    }

    @Test func retryPolicyDoublesUpToTheMaximum() {
        let policy = RetryPolicy(baseMillis: 100, maximumMillis: 1_000, jitter: 0)
        #expect((1...6).map { policy.delayMillis(afterAttempt: $0) } == [100, 200, 400, 800, 1_000, 1_000])
        #expect(policy.delayMillis(afterAttempt: 500) == 1_000)
        let jittered = RetryPolicy(baseMillis: 100, maximumMillis: 1_000, jitter: 0.5)
        for _ in 0..<50 { #expect((100...150).contains(jittered.delayMillis(afterAttempt: 1))) }
    }

    @Test(arguments: JobStoreBackend.kinds)
    func failingHandlerIsRetriedWithGrowingBackoffThenSucceeds(kind: String) async throws {
        let store = try JobStoreBackend.make(kind).open(.system), recorder = Recorder()
        let runner = JobRunner(store: store, configuration: Self.configuration("a", retryBase: 150))
        runner.register("flaky") { job, context in
            recorder.note("attempt \(job.attempts)")
            try await context.report(progress: 50, message: "halfway")
            if job.attempts < 3 { throw TestFailure(description: "transient \(job.attempts)") }
        }
        runner.start()
        let id = try await runner.enqueue(JobRequest(type: "flaky", maxAttempts: 5)).job.id
        #expect(try await eventually { try await store.job(id: id)?.status == .success })
        await runner.shutdown(gracePeriod: .seconds(5))
        #expect(recorder.events == ["attempt 1", "attempt 2", "attempt 3"])
        let times = recorder.times
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        #expect(gaps.count == 2 && gaps[0] >= .milliseconds(150) && gaps[1] >= .milliseconds(300))
        let job = try #require(try await store.job(id: id))
        #expect(job.attempts == 3 && job.lastError == "transient 2" && job.progress == 100)
    }

    @Test(arguments: JobStoreBackend.kinds)
    func handlerThatOverrunsItsTimeoutIsCancelledAndRetried(kind: String) async throws {
        let store = try JobStoreBackend.make(kind).open(.system), recorder = Recorder()
        let runner = JobRunner(store: store, configuration: Self.configuration("a"))
        runner.register("slow") { job, _ in
            recorder.note("start \(job.attempts)")
            if job.attempts == 1 {
                do { try await Task.sleep(for: .seconds(30)) } catch { recorder.note("cancelled"); throw error }
            }
        }
        runner.start()
        let id = try await runner.enqueue(JobRequest(type: "slow", maxAttempts: 2, timeoutMillis: 1_000)).job.id
        #expect(try await eventually { try await store.job(id: id)?.status == .success })
        await runner.shutdown(gracePeriod: .seconds(5))
        #expect(recorder.events == ["start 1", "cancelled", "start 2"])
        #expect(try await store.job(id: id)?.lastError?.contains("timed out") == true)
    }

    @Test(arguments: JobStoreBackend.kinds)
    func jobOfADeadNodeIsRunAgainAfterItsLeaseExpires(kind: String) async throws {
        let backend = try JobStoreBackend.make(kind)
        let deadNode = try backend.open(.system), store = try backend.open(.system), recorder = Recorder()
        let id = try await store.enqueue(JobRequest(type: "t", maxAttempts: 3, timeoutMillis: 400)).job.id
        // A node claims the job and dies without a word.
        _ = try #require(try await deadNode.claim(worker: "dead/0", types: ["t"]))
        let runner = JobRunner(store: store, configuration: Self.configuration("live"))
        runner.register("t") { job, _ in recorder.note("\(job.worker ?? "") attempt \(job.attempts)") }
        runner.start()
        #expect(try await eventually { try await store.job(id: id)?.status == .success })
        await runner.shutdown(gracePeriod: .seconds(5))
        #expect(recorder.events.count == 1 && recorder.events[0].hasSuffix("attempt 2"))
        #expect(recorder.events[0].hasPrefix("live/"))
    }

    @Test(arguments: JobStoreBackend.kinds)
    func stoppingARunningJobCancelsItsHandler(kind: String) async throws {
        let store = try JobStoreBackend.make(kind).open(.system), recorder = Recorder()
        let runner = JobRunner(store: store, configuration: Self.configuration("a"))
        runner.register("long") { _, _ in
            recorder.note("started")
            do { try await Task.sleep(for: .seconds(30)) } catch { recorder.note("cancelled"); throw error }
        }
        runner.start()
        let id = try await runner.enqueue(JobRequest(type: "long", maxAttempts: 3)).job.id
        #expect(await eventually { recorder.events == ["started"] })
        _ = try await store.stop(id: id)
        #expect(try await eventually { try await store.job(id: id)?.status == .stopped })
        await runner.shutdown(gracePeriod: .seconds(5))
        #expect(recorder.events == ["started", "cancelled"])
        #expect(try await store.job(id: id)?.attempts == 1)
    }

    @Test(arguments: JobStoreBackend.kinds)
    func twoNodesRunEveryJobExactlyOnceAndNeverConcurrently(kind: String) async throws {
        let backend = try JobStoreBackend.make(kind), recorder = Recorder()
        let stores = [try backend.open(.system), try backend.open(.system)]
        let runners = stores.enumerated().map { index, store in
            JobRunner(store: store, configuration: Self.configuration("node\(index)", concurrency: 3))
        }
        for runner in runners {
            runner.register("work") { job, context in
                recorder.begin(job.id)
                recorder.note("\(job.id)")
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...15)))
                recorder.end(job.id)
            }
            runner.start()
        }
        var ids: [Int64] = []
        for index in 0..<60 { ids.append(try await runners[index % 2].enqueue(JobRequest(type: "work")).job.id) }
        #expect(try await eventually(timeout: .seconds(30)) {
            try await stores[0].jobs(JobQuery(status: .success, limit: 1_000)).count == 60
        })
        for runner in runners { await runner.shutdown(gracePeriod: .seconds(5)) }
        #expect(recorder.overlaps == 0)
        #expect(recorder.events.sorted() == ids.map(String.init).sorted())
        let workers = Set(try await stores[1].jobs(JobQuery(limit: 1_000)).compactMap { $0.worker?.split(separator: "/").first })
        #expect(workers == ["node0", "node1"])
    }

    @Test(arguments: JobStoreBackend.kinds)
    func shutdownAfterTheGracePeriodReleasesTheRunningJob(kind: String) async throws {
        let store = try JobStoreBackend.make(kind).open(.system), recorder = Recorder()
        let runner = JobRunner(store: store, configuration: Self.configuration("a"))
        runner.register("long") { _, _ in
            recorder.note("started")
            try await Task.sleep(for: .seconds(30))
        }
        runner.start()
        let id = try await runner.enqueue(JobRequest(type: "long", maxAttempts: 1)).job.id
        #expect(await eventually { recorder.events == ["started"] })
        let started = ContinuousClock.now
        await runner.shutdown(gracePeriod: .milliseconds(200))
        #expect(ContinuousClock.now - started < .seconds(10))
        let job = try #require(try await store.job(id: id))
        #expect(job.status == .pending && job.attempts == 0)
    }
}
