@testable import BerthAPI
import BerthCore
import BerthMetadata
import HTTPServer
import Synchronization
import Testing

/// `/system/scanAll/schedule` and `/scans/*/metrics`: who may call them, and Harbor's shapes and statuses.
@Suite struct ScanAllRoutesTests {
    /// A provider that remembers what it was asked.
    final class FakeScanAll: ScanAllProvider {
        struct State {
            var schedule: ScanAllSchedule?
            var started: [String] = []
            var busy = false
        }
        let state = Mutex(State())

        func schedule() async throws -> ScanAllSchedule? { state.withLock { $0.schedule } }
        func saveSchedule(type: String, cron: String) async throws -> ScanAllSchedule {
            let saved = ScanAllSchedule(type: type, cron: cron.isEmpty ? "0 0 0 * * *" : cron, createdAt: 1_700_000_000,
                                        updatedAt: 1_700_000_100, nextFireAt: 1_700_010_800)
            state.withLock { $0.schedule = saved }
            return saved
        }
        func removeSchedule() async throws -> Bool {
            state.withLock { state in
                defer { state.schedule = nil }
                return state.schedule != nil
            }
        }
        func startScanAll(requester: String) async throws -> Bool {
            state.withLock { state in
                guard !state.busy else { return false }
                state.started.append(requester)
                state.busy = true
                return true
            }
        }
        func metrics(scheduledOnly: Bool) async throws -> ScanAllStats {
            ScanAllStats(total: 3, completed: 1, metrics: ["Success": 1, "Error": 0, "Running": 1, "Pending": 1],
                         requester: "admin", ongoing: true, trigger: scheduledOnly ? "Schedule" : "Manual")
        }
    }

    static func handler(_ fixture: ScanAllFixture, _ provider: FakeScanAll) -> HTTPHandler {
        var router = HTTPRouter()
        ScanAllRoutes(api: fixture.api, scanAll: provider).register(on: &router)
        return router.handler()
    }

    @Test func onlySystemAdministratorsReadOrWrite() async throws {
        let fixture = try await ScanAllFixture()
        let provider = FakeScanAll()
        let handle = Self.handler(fixture, provider)
        let manual = #"{"schedule":{"type":"Manual"}}"#
        for (method, path, body) in [(HTTPMethod.post, "/system/scanAll/schedule", manual),
                                     (.put, "/system/scanAll/schedule", #"{"schedule":{"type":"Daily"}}"#),
                                     (.get, "/system/scanAll/schedule", nil), (.get, "/scans/all/metrics", nil),
                                     (.get, "/scans/schedule/metrics", nil)] {
            let anonymous = try await handle(ScanAllFixture.request(method, path, as: nil, json: body))
            #expect(anonymous.status == 401, "\(method) \(path)")
            let bob = try await handle(ScanAllFixture.request(method, path, as: "bob", json: body))
            #expect(bob.status == 403, "\(method) \(path)")
        }
        #expect(provider.state.withLock { $0.started.isEmpty && $0.schedule == nil })
        let started = try await handle(ScanAllFixture.request(.post, "/system/scanAll/schedule", as: "admin", json: manual))
        #expect(started.status == 201)
        #expect(provider.state.withLock { $0.started } == ["admin"])
        let again = try await handle(ScanAllFixture.request(.post, "/system/scanAll/schedule", as: "admin", json: manual))
        #expect(again.status == 412)
    }

    @Test func schedulesInHarborsShape() async throws {
        let fixture = try await ScanAllFixture()
        let provider = FakeScanAll()
        let handle = Self.handler(fixture, provider)
        let none = ScanAllFixture.object(try await handle(ScanAllFixture.request(.get, "/system/scanAll/schedule", as: "admin")))
        #expect((none["schedule"] as? [String: Any])?["type"] as? String == "None")

        let custom = #"{"schedule":{"type":"custom","cron":"0 0 3 * * *"}}"#
        #expect(try await handle(ScanAllFixture.request(.post, "/system/scanAll/schedule", as: "admin", json: custom)).status == 201)
        let body = ScanAllFixture.object(try await handle(ScanAllFixture.request(.get, "/system/scanAll/schedule", as: "admin")))
        let schedule = body["schedule"] as? [String: Any]
        #expect(schedule?["type"] as? String == "Custom")
        #expect(schedule?["cron"] as? String == "0 0 3 * * *")
        #expect(schedule?["next_scheduled_time"] as? String == ListingTime.format(1_700_010_800))
        #expect(body["creation_time"] as? String == ListingTime.format(1_700_000_000))
        // A second schedule conflicts; PUT replaces; Manual cannot be a schedule; None removes it.
        #expect(try await handle(ScanAllFixture.request(.post, "/system/scanAll/schedule", as: "admin", json: custom)).status == 409)
        #expect(try await handle(ScanAllFixture.request(.put, "/system/scanAll/schedule", as: "admin",
                                                        json: #"{"schedule":{"type":"Weekly"}}"#)).status == 200)
        #expect(provider.state.withLock { $0.schedule?.type } == "Weekly")
        #expect(try await handle(ScanAllFixture.request(.put, "/system/scanAll/schedule", as: "admin",
                                                        json: #"{"schedule":{"type":"Manual"}}"#)).status == 400)
        #expect(try await handle(ScanAllFixture.request(.put, "/system/scanAll/schedule", as: "admin",
                                                        json: #"{"schedule":{"type":"Sometimes"}}"#)).status == 400)
        #expect(try await handle(ScanAllFixture.request(.put, "/system/scanAll/schedule", as: "admin",
                                                        json: #"{"schedule":{}}"#)).status == 400)
        #expect(try await handle(ScanAllFixture.request(.put, "/system/scanAll/schedule", as: "admin",
                                                        json: #"{"schedule":{"type":"None"}}"#)).status == 200)
        #expect(provider.state.withLock { $0.schedule } == nil)
    }

    @Test func metricsInHarborsStatsShape() async throws {
        let fixture = try await ScanAllFixture()
        let handle = Self.handler(fixture, FakeScanAll())
        let all = ScanAllFixture.object(try await handle(ScanAllFixture.request(.get, "/scans/all/metrics", as: "admin")))
        #expect(all["total"] as? Int == 3 && all["completed"] as? Int == 1 && all["ongoing"] as? Bool == true)
        #expect(all["trigger"] as? String == "Manual" && all["requester"] as? String == "admin")
        #expect((all["metrics"] as? [String: Int]) == ["Success": 1, "Error": 0, "Running": 1, "Pending": 1])
        let scheduled = ScanAllFixture.object(try await handle(ScanAllFixture.request(.get, "/scans/schedule/metrics", as: "admin")))
        #expect(scheduled["trigger"] as? String == "Schedule")
    }
}
