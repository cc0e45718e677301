/// The durable job queue and the schedule table, shared by every node of a cluster.
///
/// Delivery is at least once: a claimed job holds a lease until `timeoutMillis` after the claim; when
/// the lease expires (its node died or hung) the job is claimable again while attempts remain. Every
/// change a worker makes carries its `JobLease`, so a worker that lost its lease changes nothing.
/// Implemented on SQLite (`SQLiteJobStore`) and PostgreSQL (`PostgresJobStore`, claims with
/// `FOR UPDATE SKIP LOCKED`).
public protocol JobStore: Sendable {
    // MARK: Queue

    /// Adds a job (Pending). With a dedupe key already used, returns the existing job, `created` false.
    func enqueue(_ request: JobRequest) async throws -> JobEnqueueResult
    /// Claims the oldest due job of one of `types` (any type when empty) for `worker`: a Pending job whose
    /// `runAfter` has come, or a Running one whose lease expired with attempts left. The job becomes
    /// Running with one more attempt and a lease until now + its timeout. Also finishes expired jobs
    /// that have no attempt left (Error) or were asked to stop (Stopped).
    func claim(worker: String, types: [String]) async throws -> Job?
    /// Records progress (0 to 100, and a message when given) and reports the lease's state.
    func heartbeat(_ lease: JobLease, progress: Int?, message: String?) async throws -> JobLeaseState
    /// Marks the attempt successful. False when the lease was lost.
    func complete(_ lease: JobLease, message: String?) async throws -> Bool
    /// Records a failed attempt: Pending again after `retryDelayMillis` while attempts remain, Error after
    /// the last one, Stopped if a stop was requested. Nil when the lease was lost.
    func fail(_ lease: JobLease, error: String, retryDelayMillis: Int64) async throws -> JobStatus?
    /// Gives the job back without counting the attempt (a node shutting down): Pending, due now.
    func release(_ lease: JobLease) async throws -> Bool
    /// Acknowledges a requested stop: the attempt ended and the job is Stopped.
    func markStopped(_ lease: JobLease) async throws -> Bool
    /// Stops a job: a Pending one at once, a Running one by asking its worker (see `heartbeat`).
    /// Returns the job afterwards, nil when there is no such job.
    func stop(id: Int64) async throws -> Job?
    /// Puts a finished (Error or Stopped) job back to Pending with a fresh set of attempts. False when
    /// the job is not in such a state.
    func retry(id: Int64) async throws -> Bool

    // MARK: Status

    func job(id: Int64) async throws -> Job?
    /// Jobs matching the query, newest first.
    func jobs(_ query: JobQuery) async throws -> [Job]
    /// How many jobs are in each status (statuses with none are absent), optionally of one type.
    func counts(type: String?) async throws -> [JobStatus: Int]
    /// Deletes finished jobs that finished before `cutoff`; returns how many.
    func purge(finishedBefore cutoff: Int64) async throws -> Int

    // MARK: Schedules

    /// Creates or replaces a schedule. `lastFiredAt` only ever moves forward.
    func saveSchedule(_ schedule: JobSchedule) async throws
    func schedule(id: String) async throws -> JobSchedule?
    /// All schedules, by id.
    func schedules() async throws -> [JobSchedule]
    /// False when there was no such schedule.
    func deleteSchedule(id: String) async throws -> Bool
    /// In one transaction, moves the schedule's `lastFiredAt` to `fireTime` and enqueues its job for that
    /// firing, unless the firing was already recorded (by this node or another). Returns the job only
    /// when this call created it.
    func fireSchedule(id: String, at fireTime: Int64) async throws -> Job?
}
