import BerthCore
import Glibc
import HTTPServer

/// Administration of the vulnerability database for the portal: `POST /api/v2.0/vulndb/import` (one
/// file in the body, its kind from `?filename=`) and `POST /api/v2.0/vulndb/update` (queues the
/// `vulndb.update` job). System administrators only.
public struct VulnDBRoutes: Sendable {
    let api: HarborAPI
    let database: any VulnDBAdministration

    /// File name endings the importer understands.
    static let extensions = ["zip", "jsonl", "json", "tsv"]

    public init(api: HarborAPI, database: any VulnDBAdministration) {
        self.api = api
        self.database = database
    }

    /// Adds the routes to `router`.
    public func register(on router: inout HTTPRouter) {
        let api = self.api, database = self.database
        api.route(&router, .post, "/vulndb/import") { call in
            guard call.principal.isSysadmin else { throw api.denial(call) }
            let name = call.request.queryValue("filename") ?? ""
            guard let ext = Self.fileExtension(name) else {
                throw HarborError.badRequest("query parameter filename must name a .zip, .jsonl, .json or .tsv file")
            }
            let path = try database.stagingPath(fileExtension: ext)
            defer { unlink(path) }
            try await Self.store(call.request.body, to: path, limit: database.maxImportBytes)
            do {
                let result = try await database.importFile(at: path, displayName: name)
                return try HarborResponder.json(result, status: 201)
            } catch let rejected as VulnDBImportRejected {
                throw HarborError.badRequest("\(name) was not imported: \(rejected.description)")
            }
        }
        api.route(&router, .post, "/vulndb/update") { call in
            guard call.principal.isSysadmin else { throw api.denial(call) }
            let id = try await database.queueUpdate(requester: call.principal.name)
            return try HarborResponder.json(["job_id": id], status: 202)
        }
    }

    /// The lower-cased extension of a supported file name, nil otherwise.
    static func fileExtension(_ name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[name.index(after: dot)...].lowercased()
        return extensions.contains(ext) ? ext : nil
    }

    /// Streams a request body to a new file, refusing more than `limit` bytes.
    static func store(_ body: HTTPRequestBody, to path: String, limit: Int64) async throws {
        if let length = body.contentLength, length > limit {
            throw HarborError.badRequest("the file is larger than the \(limit)-byte import limit")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw HarborError(.internalServerError, "cannot stage the upload") }
        defer { close(fd) }
        var total: Int64 = 0
        for try await chunk in body where !chunk.isEmpty {
            total += Int64(chunk.count)
            guard total <= limit else { throw HarborError.badRequest("the file is larger than the \(limit)-byte import limit") }
            // File writes run on the blocking pool, never on the cooperative one.
            let written = try await BlockingPool.shared.run { Self.writeAll(fd, chunk) }
            guard written else { throw HarborError(.internalServerError, "cannot stage the upload") }
        }
        guard total > 0 else { throw HarborError.badRequest("the request body is empty: send the file as the body") }
    }

    /// Writes all of `bytes` to `fd`; false on an I/O error.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }
}
