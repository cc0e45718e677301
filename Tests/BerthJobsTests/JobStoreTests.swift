import BerthMetadata
import Testing

@Suite("Job store (SQLite and PostgreSQL)")
struct JobStoreTests {
    @Test(arguments: JobStoreBackend.kinds)
    func enqueueClaimCompleteAndList(kind: String) async throws {
        let clock = ManualClock(), store = try JobStoreBackend.make(kind).open(clock.jobClock)
        let first = try await store.enqueue(JobRequest(type: "scan", payload: "{\"digest\":\"a\"}", timeoutMillis: 5_000))
        let second = try await store.enqueue(JobRequest(type: "gc"))
        #expect(first.created && second.created && first.job.id != second.job.id)
        #expect(first.job.status == .pending && first.job.runAfter == clock.now)

        #expect(try await store.claim(worker: "n/0", types: ["replicate"]) == nil)
        let claimed = try #require(try await store.claim(worker: "n/0", types: ["scan", "gc"]))
        #expect(claimed.id == first.job.id && claimed.status == .running && claimed.attempts == 1)
        #expect(claimed.worker == "n/0" && claimed.leaseExpiresAt == clock.now + 5_000)
        #expect(claimed.payload == "{\"digest\":\"a\"}")

        #expect(try await store.heartbeat(claimed.lease, progress: 40, message: "layer 2 of 5") == .held)
        #expect(try await store.job(id: claimed.id)?.progress == 40)
        #expect(try await store.complete(claimed.lease, message: "done"))
        #expect(try await !store.complete(claimed.lease, message: nil))
        let done = try #require(try await store.job(id: claimed.id))
        #expect(done.status == .success && done.progress == 100 && done.message == "done" && done.finishedAt == clock.now)

        #expect(try await store.jobs(JobQuery()).map(\.id) == [second.job.id, first.job.id])
        #expect(try await store.jobs(JobQuery(status: .success)).map(\.id) == [first.job.id])
        #expect(try await store.jobs(JobQuery(type: "gc")).map(\.id) == [second.job.id])
        #expect(try await store.jobs(JobQuery(beforeID: second.job.id)).map(\.id) == [first.job.id])
        #expect(try await store.jobs(JobQuery(limit: 1)).count == 1)
        #expect(try await store.job(id: 9_999) == nil)
        #expect(try await store.counts(type: nil) == [.success: 1, .pending: 1])
        #expect(try await store.counts(type: "gc") == [.pending: 1])
    }

    @Test func factoryPicksTheStoreOfTheMetadataDatabase() async throws {
        let metadata = try SQLiteMetadataStore(path: try temporaryDirectory() + "/m.db")
        let store = try #require(JobStoreFactory.store(on: metadata))
        #expect(store is SQLiteJobStore)
        let id = try await store.enqueue(JobRequest(type: "t")).job.id
        #expect(try await SQLiteJobStore(metadata: metadata).job(id: id)?.type == "t")
    }

    @Test(arguments: JobStoreBackend.kinds)
    func dueTimeAndOrderAreRespected(kind: String) async throws {
        let clock = ManualClock(), store = try JobStoreBackend.make(kind).open(clock.jobClock)
        let later = try await store.enqueue(JobRequest(type: "t", runAfter: clock.now + 1_000)).job
        let now = try await store.enqueue(JobRequest(type: "t")).job
        #expect(try await store.claim(worker: "w", types: [])?.id == now.id)
        #expect(try await store.claim(worker: "w", types: []) == nil)
        clock.advance(by: 1_000)
        #expect(try await store.claim(worker: "w", types: [])?.id == later.id)
    }

    @Test(arguments: JobStoreBackend.kinds)
    func dedupeKeyYieldsOneJob(kind: String) async throws {
        let store = try JobStoreBackend.make(kind).open(.system)
        let first = try await store.enqueue(JobRequest(type: "scan", dedupeKey: "scan:sha256:1"))
        let again = try await store.enqueue(JobRequest(type: "scan", payload: "other", dedupeKey: "scan:sha256:1"))
        #expect(first.created && !again.created && again.job == first.job)
        #expect(try await store.jobs(JobQuery()).count == 1)
    }

    @Test(arguments: JobStoreBackend.kinds)
    func failuresRetryWithTheGivenDelayUntilAttemptsRunOut(kind: String) async throws {
        let clock = ManualClock(), store = try JobStoreBackend.make(kind).open(clock.jobClock)
        let id = try await store.enqueue(JobRequest(type: "t", maxAttempts: 3)).job.id
        for attempt in 1...3 {
            let job = try #require(try await store.claim(worker: "w", types: ["t"]))
            #expect(job.attempts == attempt)
            let delay = Int64(100 << attempt)
            let status = try await store.fail(job.lease, error: "boom \(attempt)", retryDelayMillis: delay)
            #expect(status == (attempt < 3 ? .pending : .error))
            let stored = try #require(try await store.job(id: id))
            #expect(stored.lastError == "boom \(attempt)")
            if attempt < 3 {
                #expect(stored.runAfter == clock.now + delay && stored.finishedAt == nil)
                #expect(try await store.claim(worker: "w", types: ["t"]) == nil)
                clock.advance(by: delay)
            } else {
                #expect(stored.finishedAt == clock.now)
            }
        }
        clock.advance(by: 1_000_000)
        #expect(try await store.claim(worker: "w", types: ["t"]) == nil)
        #expect(try await store.retry(id: id))
        #expect(try await store.claim(worker: "w", types: ["t"])?.attempts == 1)
    }

    @Test(arguments: JobStoreBackend.kinds)
    func expiredLeaseIsClaimedAgainAndTheOldWorkerIsFencedOut(kind: String) async throws {
        let clock = ManualClock(), store = try JobStoreBackend.make(kind).open(clock.jobClock)
        let id = try await store.enqueue(JobRequest(type: "t", maxAttempts: 2, timeoutMillis: 1_000)).job.id
        let dead = try #require(try await store.claim(worker: "dead/0", types: ["t"]))
        clock.advance(by: 999)
        #expect(try await store.claim(worker: "live/0", types: ["t"]) == nil)
        clock.advance(by: 1)
        let live = try #require(try await store.claim(worker: "live/0", types: ["t"]))
        #expect(live.id == id && live.attempts == 2 && live.worker == "live/0")
        #expect(try await store.heartbeat(dead.lease, progress: 10, message: nil) == .lost)
        #expect(try await !store.complete(dead.lease, message: nil))
        #expect(try await store.fail(dead.lease, error: "late", retryDelayMillis: 0) == nil)
        #expect(try await store.heartbeat(live.lease, progress: 10, message: nil) == .held)
        // The second lease expires too: no attempt is left, so the job ends in Error.
        clock.advance(by: 1_000)
        #expect(try await store.claim(worker: "other/0", types: ["t"]) == nil)
        let failed = try #require(try await store.job(id: id))
        #expect(failed.status == .error && failed.lastError?.contains("lease expired") == true)
    }

    @Test(arguments: JobStoreBackend.kinds)
    func stopEndsPendingJobsAtOnceAndAsksRunningOnes(kind: String) async throws {
        let clock = ManualClock(), store = try JobStoreBackend.make(kind).open(clock.jobClock)
        let pending = try await store.enqueue(JobRequest(type: "p")).job
        let running = try await store.enqueue(JobRequest(type: "r", timeoutMillis: 1_000)).job
        let claimed = try #require(try await store.claim(worker: "w", types: ["r"]))
        #expect(try await store.stop(id: pending.id)?.status == .stopped)
        #expect(try await store.claim(worker: "w", types: ["p"]) == nil)
        let asked = try #require(try await store.stop(id: running.id))
        #expect(asked.status == .running && asked.stopRequested)
        #expect(try await store.heartbeat(claimed.lease, progress: nil, message: nil) == .stopRequested)
        #expect(try await store.markStopped(claimed.lease))
        #expect(try await store.job(id: running.id)?.status == .stopped)
        #expect(try await store.stop(id: 12_345) == nil)

        // A stop requested on a job whose node died ends it when the lease expires.
        let orphan = try await store.enqueue(JobRequest(type: "o", timeoutMillis: 500)).job
        _ = try #require(try await store.claim(worker: "dead", types: ["o"]))
        _ = try await store.stop(id: orphan.id)
        clock.advance(by: 500)
        #expect(try await store.claim(worker: "w", types: ["o"]) == nil)
        #expect(try await store.job(id: orphan.id)?.status == .stopped)
    }

    @Test(arguments: JobStoreBackend.kinds)
    func releaseGivesTheAttemptBack(kind: String) async throws {
        let store = try JobStoreBackend.make(kind).open(.system)
        _ = try await store.enqueue(JobRequest(type: "t", maxAttempts: 1))
        let first = try #require(try await store.claim(worker: "a", types: ["t"]))
        #expect(try await store.release(first.lease))
        let again = try #require(try await store.claim(worker: "b", types: ["t"]))
        #expect(again.id == first.id && again.attempts == 1)
    }

    @Test(arguments: JobStoreBackend.kinds)
    func jobsSurviveReopeningTheStore(kind: String) async throws {
        let backend = try JobStoreBackend.make(kind)
        let id: Int64
        do {
            let store = try backend.open(.system)
            id = try await store.enqueue(JobRequest(type: "durable", payload: "{\"n\":1}", dedupeKey: "d")).job.id
            let other = try await store.enqueue(JobRequest(type: "done")).job
            let claimed = try #require(try await store.claim(worker: "w", types: ["done"]))
            #expect(claimed.id == other.id)
            #expect(try await store.complete(claimed.lease, message: nil))
        }
        let reopened = try backend.open(.system)
        #expect(try await reopened.jobs(JobQuery(status: .success)).count == 1)
        #expect(try await reopened.enqueue(JobRequest(type: "durable", dedupeKey: "d")).created == false)
        let job = try #require(try await reopened.claim(worker: "w2", types: ["durable"]))
        #expect(job.id == id && job.payload == "{\"n\":1}")
    }

    @Test(arguments: JobStoreBackend.kinds)
    func purgeDeletesOnlyOldFinishedJobs(kind: String) async throws {
        let clock = ManualClock(), store = try JobStoreBackend.make(kind).open(clock.jobClock)
        _ = try await store.enqueue(JobRequest(type: "t"))
        let claimed = try #require(try await store.claim(worker: "w", types: ["t"]))
        _ = try await store.complete(claimed.lease, message: nil)
        _ = try await store.enqueue(JobRequest(type: "t"))
        #expect(try await store.purge(finishedBefore: clock.now) == 0)
        clock.advance(by: 10)
        #expect(try await store.purge(finishedBefore: clock.now) == 1)
        #expect(try await store.jobs(JobQuery()).map(\.status) == [.pending])
    }

    @Test(arguments: JobStoreBackend.kinds)
    func concurrentClaimsOnTwoNodesNeverShareAJob(kind: String) async throws {
        let backend = try JobStoreBackend.make(kind)
        let nodes = [try backend.open(.system), try backend.open(.system)]
        for index in 0..<40 { _ = try await nodes[index % 2].enqueue(JobRequest(type: "t", payload: "\(index)")) }
        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var mine: [Int64] = []
                    while let job = try await nodes[worker % 2].claim(worker: "w\(worker)", types: ["t"]) {
                        mine.append(job.id)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claimed.count == 40 && Set(claimed).count == 40)
    }
}
