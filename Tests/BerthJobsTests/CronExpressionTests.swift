@testable import BerthJobs
import Testing

/// Seconds since the epoch for a UTC date and time.
func utc(_ year: Int64, _ month: Int, _ day: Int, _ hour: Int64 = 0, _ minute: Int64 = 0, _ second: Int64 = 0) -> Int64 {
    CivilDate(year: year, month: month, day: day).daysSinceEpoch * 86_400 + hour * 3_600 + minute * 60 + second
}

@Suite("Cron expressions")
struct CronExpressionTests {
    /// Reference values from Python's calendar.timegm.
    static let referenceDates: [(CivilDate, Int64)] = [
        (CivilDate(year: 2024, month: 1, day: 1), 1_704_067_200),
        (CivilDate(year: 2028, month: 2, day: 29), 1_835_395_200),
        (CivilDate(year: 2000, month: 2, day: 29), 951_782_400),
        (CivilDate(year: 1969, month: 12, day: 31), -86_400),
        (CivilDate(year: 1900, month: 3, day: 1), -2_203_891_200),
    ]

    @Test(arguments: referenceDates)
    func civilDatesMatchReferenceTimestamps(date: CivilDate, timestamp: Int64) {
        #expect(date.daysSinceEpoch * 86_400 == timestamp)
        #expect(CivilDate(daysSinceEpoch: timestamp / 86_400) == date)
    }

    @Test func civilDatesRoundTripAndWeekdaysCycle() {
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            #expect(CivilDate(daysSinceEpoch: days).daysSinceEpoch == days)
            #expect(CivilDate.weekday(daysSinceEpoch: days + 1) == (CivilDate.weekday(daysSinceEpoch: days) + 1) % 7)
        }
        #expect(CivilDate.weekday(daysSinceEpoch: 0) == 4)  // 1970-01-01 was a Thursday
        #expect(CivilDate.weekday(daysSinceEpoch: CivilDate(year: 2024, month: 1, day: 7).daysSinceEpoch) == 0)
    }

    @Test(arguments: [(String, Int64, Int64)]([
        ("*/15 * * * *", utc(2024, 1, 1, 0, 7, 30), utc(2024, 1, 1, 0, 15)),
        ("0 0 29 2 *", utc(2024, 3, 1), utc(2028, 2, 29)),
        ("0 0 * * MON", utc(2024, 1, 3), utc(2024, 1, 8)),
        ("0 0 13 * FRI", utc(2024, 1, 1), utc(2024, 1, 5)),
        ("0 0 5 * MON", utc(2024, 1, 5), utc(2024, 1, 8)),
        ("59 23 31 12 *", utc(2023, 12, 31, 23, 59), utc(2024, 12, 31, 23, 59)),
        ("*/30 * * * * *", utc(2024, 1, 1), utc(2024, 1, 1, 0, 0, 30)),
        ("0 0 0 * * *", utc(2024, 1, 1), utc(2024, 1, 2)),
        ("0 9-17/2 * * 1-5", utc(2024, 1, 5, 17), utc(2024, 1, 8, 9)),
        ("0 9-17/2 * * 1-5", utc(2024, 1, 1, 9, 0, 1), utc(2024, 1, 1, 11)),
        ("0 0 1 JAN,jul *", utc(2024, 1, 2), utc(2024, 7, 1)),
        ("0 0 * * 7", utc(2024, 1, 1), utc(2024, 1, 7)),
        ("0 0 * * SUN", utc(2024, 1, 1), utc(2024, 1, 7)),
        ("@hourly", utc(2024, 1, 1, 0, 0, 1), utc(2024, 1, 1, 1)),
        ("@daily", utc(2024, 2, 28, 13), utc(2024, 2, 29)),
        ("@weekly", utc(2024, 1, 1), utc(2024, 1, 7)),
        ("@monthly", utc(2024, 12, 15), utc(2025, 1, 1)),
        ("@yearly", utc(2024, 1, 1), utc(2025, 1, 1)),
        ("0 30 2 ? * *", utc(2024, 1, 1, 2, 30), utc(2024, 1, 2, 2, 30)),
        ("15/20 * * * *", utc(2024, 1, 1, 0, 36), utc(2024, 1, 1, 0, 55)),
        ("0 0 31 * *", utc(2024, 1, 31), utc(2024, 3, 31)),
        ("0 0 0 1 1 *", utc(1969, 6, 1), utc(1970, 1, 1)),
    ]))
    func nextFiring(expression: String, after: Int64, expected: Int64) throws {
        let cron = try CronExpression(expression)
        #expect(cron.next(after: after) == expected)
        #expect(cron.matches(expected))
        #expect(cron.previous(atOrBefore: expected) == expected)
        #expect(cron.previous(atOrBefore: expected - 1).map { $0 <= after } ?? true)
    }

    @Test(arguments: [(String, Int64, Int64)]([
        ("0 0 1 1 *", utc(2024, 6, 1), utc(2024, 1, 1)),
        ("0 0 1 1 *", utc(2024, 1, 1), utc(2024, 1, 1)),
        ("*/15 * * * *", utc(2024, 1, 1, 0, 14, 59), utc(2024, 1, 1)),
        ("0 0 29 2 *", utc(2027, 1, 1), utc(2024, 2, 29)),
        ("0 12 * * 1-5", utc(2024, 1, 7, 23), utc(2024, 1, 5, 12)),
        ("10,20 * * * * *", utc(2024, 1, 1, 5, 0, 15), utc(2024, 1, 1, 5, 0, 10)),
    ]))
    func previousFiring(expression: String, atOrBefore time: Int64, expected: Int64) throws {
        #expect(try CronExpression(expression).previous(atOrBefore: time) == expected)
    }

    /// `next` and `previous` agree with a second-by-second scan of `matches`.
    @Test(arguments: ["*/7 * * * * *", "5,10-12 */3 * * * *", "0 0-59/20 1,3 * * *", "30 * * 29 2 *", "0 0 * * * FRI"])
    func searchesAgreeWithLinearScan(expression: String) throws {
        let cron = try CronExpression(expression)
        var time = utc(2024, 2, 28, 23, 50)
        let limit = utc(2024, 3, 2)
        var expected = time + 1
        var last: Int64?
        var firings = 0
        while let next = cron.next(after: time), next < limit {
            while !cron.matches(expected) { expected += 1 }
            #expect(next == expected)
            #expect(cron.previous(atOrBefore: next) == next)
            if let last { #expect(cron.previous(atOrBefore: next - 1) == last) }
            last = next
            time = next
            expected = next + 1
            firings += 1
        }
        #expect(firings > 0)
    }

    @Test(arguments: [(String, CronError)]([
        ("* * * *", .fieldCount(4)),
        ("* * * * * * *", .fieldCount(7)),
        ("", .fieldCount(0)),
        ("60 * * * *", .invalidField("minute", "60")),
        ("*/0 * * * *", .invalidField("minute", "*/0")),
        ("5-1 * * * *", .invalidField("minute", "5-1")),
        ("a * * * *", .invalidField("minute", "a")),
        ("* 24 * * *", .invalidField("hour", "24")),
        ("* * 0 * *", .invalidField("day of month", "0")),
        ("* * * 13 *", .invalidField("month", "13")),
        ("* * * * 8", .invalidField("day of week", "8")),
        ("? * * * *", .invalidField("minute", "?")),
        ("1,,2 * * * *", .invalidField("minute", "")),
        ("1/2/3 * * * *", .invalidField("minute", "1/2/3")),
        ("-1 * * * *", .invalidField("minute", "-1")),
        ("61 * * * * *", .invalidField("second", "61")),
        ("0 0 30 2 *", .neverFires),
        ("0 0 31 4,6 *", .neverFires),
        ("@often", .fieldCount(1)),
    ]))
    func rejectsMalformedExpressions(expression: String, error: CronError) {
        #expect(throws: error) { try CronExpression(expression) }
    }

    @Test func fiveFieldsFireAtSecondZeroAndSixFieldsTakeSeconds() throws {
        let five = try CronExpression("* * * * *"), six = try CronExpression("15 * * * * *")
        #expect(five.next(after: utc(2024, 1, 1, 0, 0, 0)) == utc(2024, 1, 1, 0, 1, 0))
        #expect(six.next(after: utc(2024, 1, 1, 0, 0, 15)) == utc(2024, 1, 1, 0, 1, 15))
        #expect(!five.matches(utc(2024, 1, 1, 0, 1, 1)))
        #expect(five.description == "* * * * *")
    }
}
