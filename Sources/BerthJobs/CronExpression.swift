/// A cron schedule evaluated in UTC, at one-second resolution.
///
/// Accepts the classic five fields (`minute hour day-of-month month day-of-week`, firing at second 0)
/// and Harbor's six-field form with seconds first. Each field takes `*`, `?` (day fields), numbers,
/// lists (`1,15`), ranges (`1-5`), steps (`*/10`, `0-30/5`, `5/15`), month names (`JAN`…`DEC`) and day
/// names (`SUN`…`SAT`; 0 and 7 are Sunday). Also `@yearly`, `@annually`, `@monthly`, `@weekly`,
/// `@daily`, `@midnight` and `@hourly`. When both day fields are restricted (neither starts with `*` or
/// `?`), a day matches if either matches, as in cron.
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    let seconds: CronField
    let minutes: CronField
    let hours: CronField
    let daysOfMonth: CronField
    let months: CronField
    let daysOfWeek: CronField

    /// The text it was parsed from.
    public let description: String

    /// How many days ahead (or back) a search looks: past two leap days that may be eight years apart.
    private static let searchDays: Int64 = 366 * 9

    /// Parses `text`; throws `CronError` when it is malformed or can never fire.
    public init(_ text: String) throws(CronError) {
        description = text
        let fields = try CronParser.fields(of: text)
        seconds = fields[0]
        minutes = fields[1]
        hours = fields[2]
        daysOfMonth = fields[3]
        months = fields[4]
        daysOfWeek = fields[5]
        guard next(after: 0) != nil else { throw .neverFires }
    }

    /// Whether the schedule fires at `time` (seconds since the Unix epoch).
    public func matches(_ time: Int64) -> Bool {
        let day = floorDivide(time, 86_400)
        let second = Int(time - day * 86_400)
        return matchesDay(day) && hours.contains(second / 3_600) && minutes.contains(second / 60 % 60)
            && seconds.contains(second % 60)
    }

    /// The first firing strictly after `time` (seconds since the Unix epoch), nil if none within years.
    public func next(after time: Int64) -> Int64? {
        let start = time + 1
        let firstDay = floorDivide(start, 86_400)
        var day = firstDay
        while day - firstDay <= Self.searchDays {
            if matchesDay(day), let second = earliestSecond(from: day == firstDay ? Int(start - day * 86_400) : 0) {
                return day * 86_400 + Int64(second)
            }
            day += 1
        }
        return nil
    }

    /// The last firing at or before `time` (seconds since the Unix epoch), nil if none within years.
    public func previous(atOrBefore time: Int64) -> Int64? {
        let lastDay = floorDivide(time, 86_400)
        var day = lastDay
        while lastDay - day <= Self.searchDays {
            if matchesDay(day), let second = latestSecond(upTo: day == lastDay ? Int(time - day * 86_400) : 86_399) {
                return day * 86_400 + Int64(second)
            }
            day -= 1
        }
        return nil
    }

    private func matchesDay(_ day: Int64) -> Bool {
        let date = CivilDate(daysSinceEpoch: day)
        guard months.contains(date.month) else { return false }
        let byMonthDay = daysOfMonth.contains(date.day)
        let byWeekday = daysOfWeek.contains(CivilDate.weekday(daysSinceEpoch: day))
        if !daysOfMonth.isWildcard && !daysOfWeek.isWildcard { return byMonthDay || byWeekday }
        return byMonthDay && byWeekday
    }

    /// The earliest matching second of a day at or after `start` (seconds into the day).
    private func earliestSecond(from start: Int) -> Int? {
        let (startHour, startMinute, startSecond) = (start / 3_600, start / 60 % 60, start % 60)
        var hour = hours.first(atOrAfter: startHour)
        while let h = hour {
            var minute = minutes.first(atOrAfter: h == startHour ? startMinute : 0)
            while let m = minute {
                let fromSecond = (h == startHour && m == startMinute) ? startSecond : 0
                if let s = seconds.first(atOrAfter: fromSecond) { return h * 3_600 + m * 60 + s }
                minute = minutes.first(atOrAfter: m + 1)
            }
            hour = hours.first(atOrAfter: h + 1)
        }
        return nil
    }

    /// The latest matching second of a day at or before `end` (seconds into the day).
    private func latestSecond(upTo end: Int) -> Int? {
        let (endHour, endMinute, endSecond) = (end / 3_600, end / 60 % 60, end % 60)
        var hour = hours.last(atOrBefore: endHour)
        while let h = hour {
            var minute = minutes.last(atOrBefore: h == endHour ? endMinute : 59)
            while let m = minute {
                let toSecond = (h == endHour && m == endMinute) ? endSecond : 59
                if let s = seconds.last(atOrBefore: toSecond) { return h * 3_600 + m * 60 + s }
                minute = minutes.last(atOrBefore: m - 1)
            }
            hour = hours.last(atOrBefore: h - 1)
        }
        return nil
    }

    private func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }
}
