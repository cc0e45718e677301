@testable import BerthJobs
import BerthMetadata
import Testing

@Suite("Job scheduler")
struct JobSchedulerTests {
    @Test(arguments: JobStoreBackend.kinds)
    func scheduleFiredByTwoNodesYieldsOneJobPerFiring(kind: String) async throws {
        let backend = try JobStoreBackend.make(kind)
        let clock = ManualClock(utc(2024, 1, 1, 0, 0, 30) * 1_000)
        let nodes = [try backend.open(clock.jobClock), try backend.open(clock.jobClock)]
        let schedulers = nodes.map { JobScheduler(store: $0, clock: clock.jobClock) }
        try await schedulers[0].save(id: "gc", cron: "0 */5 * * * *", jobType: "gc", payload: "{\"dry\":false}")
        #expect(try await schedulers[1].tick().isEmpty)  // nothing due yet

        for round in 1...3 {
            clock.advance(by: 5 * 60_000)
            let created = try await withThrowingTaskGroup(of: [Job].self) { group in
                for index in 0..<6 { group.addTask { try await schedulers[index % 2].tick() } }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(created.count == 1)
            let fire = utc(2024, 1, 1, 0, Int64(5 * round)) * 1_000
            #expect(created.first?.runAfter == fire && created.first?.dedupeKey == "schedule:gc@\(fire)")
            #expect(created.first?.payload == "{\"dry\":false}" && created.first?.type == "gc")
            #expect(try await nodes[1].schedule(id: "gc")?.lastFiredAt == fire)
        }
        #expect(try await nodes[0].jobs(JobQuery(type: "gc")).count == 3)
    }

    @Test(arguments: JobStoreBackend.kinds)
    func racingFireCallsOnTheStoreCreateOneJob(kind: String) async throws {
        let backend = try JobStoreBackend.make(kind)
        let nodes = [try backend.open(.system), try backend.open(.system)]
        try await nodes[0].saveSchedule(JobSchedule(id: "s", cron: "* * * * *", jobType: "t", lastFiredAt: 0,
                                                    createdAt: 0, updatedAt: 0))
        let created = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<16 {
                group.addTask { try await nodes[index % 2].fireSchedule(id: "s", at: 60_000) == nil ? 0 : 1 }
            }
            return try await group.reduce(0, +)
        }
        #expect(created == 1)
        #expect(try await nodes[1].fireSchedule(id: "s", at: 60_000) == nil)
        #expect(try await nodes[1].fireSchedule(id: "s", at: 30_000) == nil)  // never backwards
        #expect(try await nodes[1].fireSchedule(id: "s", at: 120_000) != nil)
        #expect(try await nodes[0].jobs(JobQuery()).count == 2)
    }

    @Test func missedFiringsCoalesceAndDisabledOrRemovedSchedulesDoNotFire() async throws {
        let clock = ManualClock(utc(2024, 1, 1) * 1_000)
        let store = try JobStoreBackend.sqlite().open(clock.jobClock)
        let scheduler = JobScheduler(store: store, clock: clock.jobClock)
        let saved = try await scheduler.save(id: "hourly", cron: "@hourly", jobType: "retention")
        #expect(saved.lastFiredAt == clock.now && saved.enabled)
        try await scheduler.save(id: "off", cron: "* * * * * *", jobType: "x", enabled: false)

        clock.advance(by: 5 * 3_600_000 + 1_000)  // five firings missed while no node ran
        let created = try await scheduler.tick()
        #expect(created.map(\.runAfter) == [utc(2024, 1, 1, 5) * 1_000])
        #expect(try await scheduler.tick().isEmpty)

        // Saving again keeps the creation time and does not fire the past.
        let resaved = try await scheduler.save(id: "hourly", cron: "*/30 * * * *", jobType: "retention")
        #expect(resaved.createdAt == saved.createdAt && resaved.cron == "*/30 * * * *")
        #expect(try await scheduler.tick().isEmpty)
        clock.advance(by: 30 * 60_000)
        #expect(try await scheduler.tick().count == 1)

        #expect(try await scheduler.remove(id: "hourly"))
        #expect(try await !scheduler.remove(id: "hourly"))
        clock.advance(by: 3_600_000)
        #expect(try await scheduler.tick().isEmpty)
        #expect(try await store.jobs(JobQuery()).count == 2)
    }

    @Test func purgeMaintenanceJobDeletesOldFinishedJobs() async throws {
        let clock = ManualClock()
        let store = try JobStoreBackend.sqlite().open(clock.jobClock)
        let old = try await store.enqueue(JobRequest(type: "t")).job
        _ = try await store.complete(try #require(try await store.claim(worker: "w", types: ["t"])).lease, message: nil)
        clock.advance(by: 10_000)
        let runner = JobRunner(store: store, configuration: JobRunnerConfiguration(nodeID: "n", pollInterval: .milliseconds(20)))
        JobMaintenance.registerPurge(on: runner, store: store, retentionMillis: 5_000, clock: clock.jobClock)
        let scheduler = JobScheduler(store: store, clock: clock.jobClock)
        let schedule = try await JobMaintenance.schedulePurge(with: scheduler)
        #expect(schedule.jobType == JobMaintenance.purgeType)
        runner.start()
        let purge = try await runner.enqueue(JobRequest(type: JobMaintenance.purgeType)).job
        #expect(try await eventually { try await store.job(id: purge.id)?.status == .success })
        await runner.shutdown()
        #expect(try await store.job(id: old.id) == nil)
        #expect(try await store.job(id: purge.id)?.message == "removed 1 finished jobs")
    }

    @Test func invalidCronIsRefusedOnSave() async throws {
        let store = try JobStoreBackend.sqlite().open(.system)
        let scheduler = JobScheduler(store: store)
        await #expect(throws: CronError.fieldCount(3)) {
            try await scheduler.save(id: "bad", cron: "* * *", jobType: "t")
        }
        #expect(try await store.schedules().isEmpty)
    }

    @Test func backgroundSchedulerFeedsTheRunner() async throws {
        let store = try JobStoreBackend.sqlite().open(.system), recorder = Recorder()
        let runner = JobRunner(store: store, configuration: JobRunnerConfiguration(
            nodeID: "n", concurrency: 1, pollInterval: .seconds(5), maxPollInterval: .seconds(5)))
        runner.register("tick") { job, _ in recorder.note(job.dedupeKey ?? "") }
        runner.start()
        let scheduler = JobScheduler(store: store, interval: .milliseconds(100), onEnqueue: { runner.wake() })
        try await scheduler.save(id: "every-second", cron: "* * * * * *", jobType: "tick")
        scheduler.start()
        // The runner polls only every 5 s, so a prompt run shows the scheduler woke it.
        #expect(await eventually(timeout: .seconds(4)) { recorder.events.count >= 2 })
        await scheduler.shutdown()
        await runner.shutdown(gracePeriod: .seconds(2))
        #expect(recorder.events.allSatisfy { $0.hasPrefix("schedule:every-second@") })
        #expect(Set(recorder.events).count == recorder.events.count)
    }
}
