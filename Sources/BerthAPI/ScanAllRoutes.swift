import BerthAuth
import BerthMetadata
import HTTPServer

/// Harbor's scan-all endpoints: the schedule (`/system/scanAll/schedule`: GET, POST, PUT; POST with type
/// Manual scans everything now) and the progress of the latest run (`/scans/all/metrics`,
/// `/scans/schedule/metrics`). System administrators only, as in Harbor.
public struct ScanAllRoutes: Sendable {
    let api: HarborAPI
    let scanAll: any ScanAllProvider

    public init(api: HarborAPI, scanAll: any ScanAllProvider) {
        self.api = api
        self.scanAll = scanAll
    }

    /// Harbor's `ScheduleObj` and `Schedule` bodies.
    struct ScheduleObject: Codable, Sendable {
        var type: String?
        var cron: String?
        var next_scheduled_time: String?
    }
    struct ScheduleBody: Codable, Sendable {
        var id: Int64?
        var status: String?
        var creation_time: String?
        var update_time: String?
        var schedule: ScheduleObject?
    }

    /// Adds the routes to `router`.
    public func register(on router: inout HTTPRouter) {
        let api = self.api, scanAll = self.scanAll
        api.route(&router, .get, "/system/scanAll/schedule") { call in
            try Self.requireAdmin(api, call)
            return try HarborResponder.json(Self.body(try await scanAll.schedule()))
        }
        api.route(&router, .post, "/system/scanAll/schedule") { call in
            try Self.requireAdmin(api, call)
            let (type, cron) = try await Self.requested(call)
            switch type {
            case "Manual":
                guard try await scanAll.startScanAll(requester: call.principal.name) else {
                    throw HarborError(.preconditionFailed, "a previous scan all job is still running")
                }
            case "None":
                _ = try await scanAll.removeSchedule()
            default:
                guard try await scanAll.schedule() == nil else {
                    throw HarborError.conflict("a scan all schedule already exists; update or delete it instead")
                }
                _ = try await scanAll.saveSchedule(type: type, cron: cron)
            }
            return HarborResponder.created(HarborAPI.base + "/system/scanAll/schedule")
        }
        api.route(&router, .put, "/system/scanAll/schedule") { call in
            try Self.requireAdmin(api, call)
            let (type, cron) = try await Self.requested(call)
            switch type {
            case "Manual": throw HarborError.badRequest("the scan all schedule cannot be of type Manual")
            case "None": _ = try await scanAll.removeSchedule()
            default: _ = try await scanAll.saveSchedule(type: type, cron: cron)
            }
            return HarborResponder.empty()
        }
        api.route(&router, .get, "/scans/all/metrics") { call in
            try Self.requireAdmin(api, call)
            return try HarborResponder.json(try await scanAll.metrics(scheduledOnly: false))
        }
        api.route(&router, .get, "/scans/schedule/metrics") { call in
            try Self.requireAdmin(api, call)
            return try HarborResponder.json(try await scanAll.metrics(scheduledOnly: true))
        }
    }

    /// 401 for anonymous callers, 403 for anyone but a system administrator.
    static func requireAdmin(_ api: HarborAPI, _ call: HarborAPI.Call) throws {
        guard call.principal.isSysadmin else { throw api.denial(call) }
    }

    /// The schedule type (with Harbor's casing) and cron of a request body.
    static func requested(_ call: HarborAPI.Call) async throws -> (type: String, cron: String) {
        let body = try await HarborResponder.decode(ScheduleBody.self, from: call.request)
        guard let schedule = body.schedule, let raw = schedule.type, !raw.isEmpty else {
            throw HarborError.badRequest("schedule.type is required")
        }
        let known = ["None", "Hourly", "Daily", "Weekly", "Custom", "Manual", "Schedule"]
        guard let type = known.first(where: { $0.lowercased() == raw.lowercased() }) else {
            throw HarborError.badRequest("unknown schedule type \(raw)")
        }
        // Harbor's portal sends "Schedule" for a custom cron in some versions.
        return (type == "Schedule" ? "Custom" : type, schedule.cron ?? "")
    }

    /// Harbor's `Schedule` body; type None when there is no schedule.
    static func body(_ schedule: ScanAllSchedule?) -> ScheduleBody {
        guard let schedule else { return ScheduleBody(schedule: ScheduleObject(type: "None", cron: "")) }
        return ScheduleBody(id: 1, status: "Scheduled", creation_time: ListingTime.format(schedule.createdAt),
                            update_time: ListingTime.format(schedule.updatedAt),
                            schedule: ScheduleObject(type: schedule.type, cron: schedule.cron,
                                                     next_scheduled_time: schedule.nextFireAt.map(ListingTime.format)))
    }
}
