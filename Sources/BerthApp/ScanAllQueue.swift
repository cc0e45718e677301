import BerthAPI
import BerthMetadata
import Dispatch

/// Queues the scans of one scan-all run: each digest once, recorded in the ledger in chunks (when a chunk
/// is full, or every two seconds so progress shows early), so a resumed run skips what it queued.
struct ScanAllQueue {
    private(set) var execution: ScanAllExecution
    private var queued: Set<String>
    private var buffer: [String] = []
    private var lastFlush = DispatchTime.now()
    let ledger: ScanAllLedger
    let scanner: any ScanProvider

    init(execution: ScanAllExecution, queued: Set<String>, ledger: ScanAllLedger, scanner: any ScanProvider) {
        self.execution = execution
        self.queued = queued
        self.ledger = ledger
        self.scanner = scanner
    }

    /// Digests queued but not yet recorded.
    var buffered: Int { buffer.count }

    /// Requests a scan of `digest` unless this run already did (the same image in two repositories is
    /// scanned once: scans are stored per digest).
    mutating func add(repository: String, digest: String) async throws {
        guard queued.insert(digest).inserted else { return }
        try await scanner.requestScan(repository: repository, digest: digest)
        buffer.append(digest)
        let elapsed = DispatchTime.now().uptimeNanoseconds - lastFlush.uptimeNanoseconds
        if buffer.count >= ScanAllLedger.chunkSize || elapsed > 2_000_000_000 { try await flush() }
    }

    /// Records the rest and marks the run as fully queued.
    mutating func finish() async throws {
        try await flush()
        execution.enumerated = true
        try await ledger.save(execution)
    }

    private mutating func flush() async throws {
        lastFlush = DispatchTime.now()
        guard !buffer.isEmpty else { return }
        try await ledger.saveChunk(buffer, index: execution.chunks, trigger: execution.trigger)
        execution.chunks += 1
        execution.total += buffer.count
        buffer.removeAll(keepingCapacity: true)
        try await ledger.save(execution)
    }
}
