import BerthMetadata
import FoundationEssentials

/// One run of scan all, kept in the settings table of the shared database so that every node reports the
/// same progress and a restarted run resumes where it was. The digests it queued are stored in chunks
/// (`ScanAllLedger`); the run's id is the id of its `scan.all` job.
struct ScanAllExecution: Codable, Sendable, Equatable {
    /// The `scan.all` job's id.
    var id: Int64
    /// `Manual` or `Schedule`.
    var trigger: String
    var requester: String
    /// Unix seconds.
    var startedAt: Int64
    /// Digests queued so far.
    var total: Int
    /// Chunks of queued digests written so far.
    var chunks: Int
    /// True once every artifact was queued.
    var enumerated: Bool
}

/// Where scan-all runs are stored: the latest run of each trigger, and the digests each one queued, in
/// chunks under keys reused by the next run of the same trigger (so the table does not grow).
struct ScanAllLedger: Sendable {
    let store: any IdentityStore

    /// Digests per stored chunk.
    static let chunkSize = 500

    private static func key(_ trigger: String) -> String { "scan_all.execution.\(trigger.lowercased())" }
    private static func chunkKey(_ trigger: String, _ index: Int) -> String { "scan_all.\(trigger.lowercased()).chunk.\(index)" }

    /// The latest run with `trigger` (`Manual` or `Schedule`).
    func latest(trigger: String) async throws -> ScanAllExecution? {
        guard let json = try await store.setting(Self.key(trigger)) else { return nil }
        return try? JSONDecoder().decode(ScanAllExecution.self, from: Data(json.utf8))
    }

    /// The latest run of any trigger.
    func latest() async throws -> ScanAllExecution? {
        let runs = [try await latest(trigger: "Manual"), try await latest(trigger: "Schedule")].compactMap { $0 }
        return runs.max { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
    }

    func save(_ execution: ScanAllExecution) async throws {
        try await store.setSetting(Self.key(execution.trigger), String(decoding: try JSONEncoder().encode(execution), as: UTF8.self))
    }

    /// Stores chunk `index` of a run's digests.
    func saveChunk(_ digests: [String], index: Int, trigger: String) async throws {
        try await store.setSetting(Self.chunkKey(trigger, index), String(decoding: try JSONEncoder().encode(digests), as: UTF8.self))
    }

    /// Every digest the run queued, in order.
    func digests(of execution: ScanAllExecution) async throws -> [String] {
        var all: [String] = []
        for index in 0..<execution.chunks {
            guard let json = try await store.setting(Self.chunkKey(execution.trigger, index)),
                  let chunk = try? JSONDecoder().decode([String].self, from: Data(json.utf8)) else { continue }
            all += chunk
        }
        return all
    }
}
