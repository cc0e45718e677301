@testable import BerthAPI
@testable import BerthApp
import BerthCore
import BerthJobs
import BerthMetadata
import BerthScanner
import Foundation
import Glibc
import HTTPServer
import Synchronization
import Testing

/// `POST /api/v2.0/vulndb/{import,update}`, the `vulndb.update` job and `VulnDBUpdater` against our own HTTP
/// server on 127.0.0.1 serving osv.dev's layout, and the `vulndb` settings and command line.
@Suite struct VulnDBTests {
    struct Parts {
        let fixture: ScanAllFixture
        let service: VulnDBService
        let scans: any ScanStore
        let jobs: any JobStore
        let runner: JobRunner
        let data: String
        let handle: HTTPHandler
    }

    /// A real service on a temporary data directory and the fixture's SQLite database; `source` is the update URL.
    static func parts(source: String = "http://127.0.0.1:9") async throws -> Parts {
        let fixture = try await ScanAllFixture()
        let scans = try #require(ScanStoreFactory.store(on: fixture.metadata))
        let jobs = try #require(JobStoreFactory.store(on: fixture.metadata))
        let runner = JobRunner(store: jobs, configuration: JobRunnerConfiguration(
            nodeID: "test", concurrency: 1, pollInterval: .milliseconds(50), maxPollInterval: .milliseconds(200)))
        var template = Array("/tmp/berth-vulndb-XXXXXX".utf8CString)
        let data = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        var settings = VulnDBSettings()
        settings.source = source
        settings.maxImportBytes = 64 << 10
        let service = VulnDBService(dataDirectory: data, settings: settings, scans: scans, runner: runner)
        var router = HTTPRouter()
        VulnDBRoutes(api: fixture.api, database: service).register(on: &router)
        return Parts(fixture: fixture, service: service, scans: scans, jobs: jobs, runner: runner, data: data,
                     handle: router.handler())
    }

    static func upload(_ name: String, _ bytes: [UInt8], as user: String?) -> HTTPRequest {
        var headers = HTTPHeaders()
        if let user { headers["X-As"] = user }
        return HTTPRequest(method: .post, target: "/api/v2.0/vulndb/import?filename=" + name, headers: headers,
                           body: .bytes(bytes))
    }

    static let mini = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../BerthScannerTests/Fixtures/zip/PyPI-mini.zip").standardizedFileURL.path

    static func osvLine(_ id: String, ecosystem: String = "PyPI") -> String {
        #"{"id":"\#(id)","affected":[{"package":{"ecosystem":"\#(ecosystem)","name":"p-\#(id)"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2"}]}]}]}"#
    }

    static func stats(_ data: String) throws -> DatabaseStats? {
        try VulnerabilityDatabaseStore(directory: data + "/vulndb").loadStats()
    }

    @Test func onlyAdministratorsImportOrUpdate() async throws {
        let p = try await Self.parts()
        let body = Array((Self.osvLine("X-1") + "\n").utf8)
        #expect(try await p.handle(Self.upload("a.jsonl", body, as: nil)).status == 401)
        #expect(try await p.handle(Self.upload("a.jsonl", body, as: "bob")).status == 403)
        #expect(try await p.handle(ScanAllFixture.request(.post, "/vulndb/update", as: nil)).status == 401)
        #expect(try await p.handle(ScanAllFixture.request(.post, "/vulndb/update", as: "bob")).status == 403)
        #expect(try Self.stats(p.data) == nil)
        #expect(try await p.jobs.jobs(JobQuery()).isEmpty)
    }

    @Test func importsAFileAndRefusesBadOnes() async throws {
        let p = try await Self.parts()
        let lines = (1...3).map { Self.osvLine("X-\($0)") }.joined(separator: "\n")
        let created = try await p.handle(Self.upload("feed.jsonl", Array(lines.utf8), as: "admin"))
        #expect(created.status == 201)
        let body = ScanAllFixture.object(created)
        #expect(body["imported"] as? Int == 3 && body["records"] as? Int == 3)
        #expect((body["ecosystems"] as? [String: Int]) == ["PyPI": 3])
        #expect(try Self.stats(p.data)?.records == 3)

        let zip = try #require(FileManager.default.contents(atPath: Self.mini))
        let zipped = try await p.handle(Self.upload("PyPI.zip", Array(zip), as: "admin"))
        #expect(zipped.status == 201)
        #expect(try Self.stats(p.data)?.records ?? 0 > 3)
        let before = try Self.stats(p.data)

        for (name, bytes, words) in [("broken.zip", Array("not a zip".utf8), "broken.zip"),
                                     ("x.jsonl", Array(#"{"no":"id"}"#.utf8), "no advisory"),
                                     ("x.exe", Array("MZ".utf8), ".zip"),
                                     ("big.jsonl", [UInt8](repeating: 0x20, count: 65 << 10), "limit"),
                                     ("empty.json", [], "empty")] {
            let response = try await p.handle(Self.upload(name, bytes, as: "admin"))
            #expect(response.status == 400, "\(name)")
            let message = ((ScanAllFixture.object(response)["errors"] as? [[String: Any]])?.first?["message"] as? String) ?? ""
            #expect(message.contains(words), "\(name): \(message)")
        }
        #expect(try Self.stats(p.data) == before)
        // No staged upload is left behind.
        let left = try FileManager.default.contentsOfDirectory(atPath: p.data + "/vulndb").filter { $0.hasPrefix(".upload") }
        #expect(left.isEmpty)
    }

    /// Serves `files` (path → bytes) on 127.0.0.1, 404 for anything else, counting requests.
    final class Hits: Sendable {
        let paths = Mutex<[String]>([])
        func callAsFunction() -> [String] { paths.withLock { $0 } }
    }

    static func withMirror(_ files: [String: [UInt8]], _ body: (String, Hits) async throws -> Void) async throws {
        let hits = Hits()
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.eventLoops = 1
        let server = HTTPServer(configuration: configuration) { request in
            hits.paths.withLock { $0.append(request.path) }
            guard let bytes = files[request.path] else { return HTTPResponse(status: 404) }
            return HTTPResponse(status: 200, body: .bytes(bytes))
        }
        try server.start()
        do {
            try await body("http://127.0.0.1:\(server.boundPort)", hits)
        } catch {
            await server.shutdown(gracePeriodSeconds: 0)
            throw error
        }
        await server.shutdown(gracePeriodSeconds: 0)
    }

    @Test func updateJobDownloadsTheEcosystemsOfStoredInventories() async throws {
        let zip = Array(try #require(FileManager.default.contents(atPath: Self.mini)))
        try await Self.withMirror(["/PyPI/all.zip": zip]) { url, hits in
            let p = try await Self.parts(source: url)
            let inventory = ImageInventory(os: nil, packages: [
                InventoryPackage(package: InstalledPackage(ecosystem: "PyPI", name: "jinja2", version: "2.0", kind: .language),
                                 layerDigest: "sha256:1", path: "x")], layerDigests: ["sha256:1"])
            try await p.scans.saveScan(ScanRecord(digest: "sha256:aa", status: "Success",
                                                  inventoryJSON: String(decoding: try JSONEncoder().encode(inventory), as: UTF8.self)))
            let queued = try await p.handle(ScanAllFixture.request(.post, "/vulndb/update", as: "admin"))
            #expect(queued.status == 202)
            let id = try #require(ScanAllFixture.object(queued)["job_id"] as? Int)
            p.runner.start()
            let done = try await ScanAllServiceTests.eventually {
                try await p.jobs.job(id: Int64(id))?.status == .success
            }
            await p.runner.shutdown(gracePeriod: .milliseconds(100))
            #expect(done)
            #expect(hits() == ["/PyPI/all.zip"])
            #expect(try Self.stats(p.data)?.recordsPerEcosystem["PyPI"] ?? 0 > 0)
        }
    }

    @Test func failedDownloadKeepsTheDatabase() async throws {
        let zip = Array(try #require(FileManager.default.contents(atPath: Self.mini)))
        try await Self.withMirror(["/PyPI/all.zip": zip, "/Debian/all.zip": zip]) { url, hits in
            var template = Array("/tmp/berth-vulndb-XXXXXX".utf8CString)
            let data = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
            var settings = VulnDBSettings()
            settings.source = url
            let updater = VulnDBUpdater(dataDirectory: data, settings: settings, scans: nil)
            let first = try await updater.update(ecosystems: ["PyPI", "Debian:12"])
            #expect(first.downloaded == ["Debian", "PyPI"])            // Debian:12 is a 404, Debian is served
            #expect(hits().contains("/Debian:12/all.zip"))
            let path = data + "/vulndb/vulndb.bin"
            let before = FileManager.default.contents(atPath: path)
            do {
                _ = try await updater.update(source: url + "/", ecosystems: ["npm"])
                Issue.record("a 404 must fail the update")
            } catch let error as VulnDBDownloadError {
                #expect(error.status == 404 && error.description.contains(url + "/npm/all.zip"))
            }
            #expect(FileManager.default.contents(atPath: path) == before)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: data + "/vulndb").filter { $0.hasPrefix(".update") }
            #expect(leftovers.isEmpty)
        }
    }

    @Test func ecosystemsInUsePageThroughInventories() async throws {
        let p = try await Self.parts()
        let names = ["Debian:12", "PyPI", "Go", "Alpine:v3.20", "PyPI"]
        for (i, name) in names.enumerated() {
            let inventory = ImageInventory(os: nil, packages: [
                InventoryPackage(package: InstalledPackage(ecosystem: name, name: "n\(i)", version: "1"), layerDigest: "l", path: "p")],
                layerDigests: [])
            try await p.scans.saveScan(ScanRecord(digest: "sha256:\(i)", status: "Success",
                                                  inventoryJSON: String(decoding: try JSONEncoder().encode(inventory), as: UTF8.self)))
        }
        try await p.scans.saveScan(ScanRecord(digest: "sha256:9", status: "Pending"))   // no inventory yet
        #expect(try await VulnDBUpdater.ecosystemsInUse(p.scans, pageSize: 2) == Set(names))
        #expect(try await p.scans.inventories(after: "sha256:3", limit: 10).map(\.digest) == ["sha256:4"])
    }

    @Test func settingsAndCommandLine() throws {
        let json = #"{"vulndb":{"source":"http://127.0.0.1:8080/osv","update_schedule":"0 3 * * *"}}"#
        var configuration = try JSONDecoder().decode(BerthConfiguration.self, from: Data(json.utf8))
        #expect(configuration.vulndb.source == "http://127.0.0.1:8080/osv")
        #expect(configuration.vulndb.jobCron == "0 0 3 * * *")
        try configuration.applyEnvironment { ["BERTH_VULNDB_SOURCE": "https://mirror.example/osv",
                                              "BERTH_VULNDB_UPDATE_SCHEDULE": ""][$0] }
        #expect(configuration.vulndb.source == "https://mirror.example/osv" && configuration.vulndb.jobCron == nil)
        try configuration.validate()
        #expect(BerthConfiguration().vulndb.source == VulnDBSettings.defaultSource)
        for bad in [("ftp://x", ""), ("http://x", "0 0 3 * * *"), ("http://x", "61 * * * *")] {
            var settings = VulnDBSettings()
            (settings.source, settings.updateSchedule) = bad
            #expect(throws: ConfigurationError.self) { try settings.validate() }
        }
        let update = try VulnDBCommand.parse(["update", "--data", "/d", "--source", "http://m", "--ecosystem", "PyPI",
                                              "--ecosystem", "Debian:12"])
        #expect(update.action == .update(source: "http://m", ecosystems: ["PyPI", "Debian:12"]))
        #expect(update.stores.dataDirectory == "/d")
        #expect(try VulnDBCommand.parse(["update"]).action == .update(source: nil, ecosystems: []))
        #expect(throws: ConfigurationError.self) { try VulnDBCommand.parse(["update", "file.zip"]) }
        #expect(throws: ConfigurationError.self) { try VulnDBCommand.parse(["import", "--source", "http://m", "a.zip"]) }
        #expect(VulnDBUpdater.pathSegment("Rocky Linux:9") == "Rocky%20Linux:9")
    }
}
