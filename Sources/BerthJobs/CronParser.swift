/// Turns cron text into six `CronField`s (seconds, minutes, hours, days of month, months, days of week).
enum CronParser {
    private struct Spec {
        let name: String
        let range: ClosedRange<Int>
        let names: [String]
        /// Index of the first name (months start at 1, weekdays at 0).
        let nameBase: Int
    }

    private static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    private static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    private static let specs = [
        Spec(name: "second", range: 0...59, names: [], nameBase: 0),
        Spec(name: "minute", range: 0...59, names: [], nameBase: 0),
        Spec(name: "hour", range: 0...23, names: [], nameBase: 0),
        Spec(name: "day of month", range: 1...31, names: [], nameBase: 1),
        Spec(name: "month", range: 1...12, names: monthNames, nameBase: 1),
        // 7 is accepted as Sunday and folded onto 0.
        Spec(name: "day of week", range: 0...7, names: dayNames, nameBase: 0),
    ]

    private static let macros = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    static func fields(of text: String) throws(CronError) -> [CronField] {
        let trimmed = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        var parts = trimmed
        if parts.count == 1, let expansion = macros[parts[0].lowercased()] {
            parts = expansion.split(separator: " ").map(String.init)
        }
        switch parts.count {
        case 5: parts.insert("0", at: 0)
        case 6: break
        default: throw .fieldCount(parts.count)
        }
        var fields: [CronField] = []
        for (part, spec) in zip(parts, specs) {
            fields.append(try field(part, spec))
        }
        if fields[5].contains(7) {
            fields[5].bits = (fields[5].bits | 1) & ~(1 << 7)
        }
        return fields
    }

    private static func field(_ text: String, _ spec: Spec) throws(CronError) -> CronField {
        var bits: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            bits |= try itemBits(String(item), spec)
        }
        return CronField(bits: bits, isWildcard: text.hasPrefix("*") || text.hasPrefix("?"))
    }

    private static func itemBits(_ item: String, _ spec: Spec) throws(CronError) -> UInt64 {
        let invalid = CronError.invalidField(spec.name, item)
        let pieces = item.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count <= 2, let rangeText = pieces.first, !rangeText.isEmpty else { throw invalid }
        var step = 1
        if pieces.count == 2 {
            guard let parsed = Int(pieces[1]), parsed > 0 else { throw invalid }
            step = parsed
        }
        let range: ClosedRange<Int>
        if rangeText == "*" || rangeText == "?" {
            guard rangeText == "*" || spec.name.hasPrefix("day") else { throw invalid }
            range = spec.range
        } else if let dash = rangeText.firstIndex(of: "-") {
            guard let low = value(rangeText[..<dash], spec),
                  let high = value(rangeText[rangeText.index(after: dash)...], spec), low <= high else { throw invalid }
            range = low...high
        } else {
            guard let single = value(rangeText, spec) else { throw invalid }
            // "5/15" means from 5 to the end, every 15.
            range = pieces.count == 2 ? single...spec.range.upperBound : single...single
        }
        var bits: UInt64 = 0
        for number in stride(from: range.lowerBound, through: range.upperBound, by: step) {
            bits |= 1 << UInt64(number)
        }
        return bits
    }

    private static func value(_ text: Substring, _ spec: Spec) -> Int? {
        let number: Int?
        if let index = spec.names.firstIndex(of: text.uppercased()) {
            number = index + spec.nameBase
        } else if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            number = Int(text)
        } else {
            number = nil
        }
        guard let number, spec.range.contains(number) else { return nil }
        return number
    }
}
