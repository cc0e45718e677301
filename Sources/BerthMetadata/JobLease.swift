/// Proof of one claim: the job and the attempt number. Every update a worker makes carries it, so a
/// worker whose lease expired (and whose job was claimed again) can no longer change the job.
public struct JobLease: Sendable, Hashable {
    public let jobID: Int64
    public let attempt: Int

    public init(jobID: Int64, attempt: Int) {
        self.jobID = jobID
        self.attempt = attempt
    }
}
