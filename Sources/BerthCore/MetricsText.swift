/// Helpers for the Prometheus text exposition format 0.0.4.
enum MetricsText {
    static func header(_ text: inout String, _ name: String, _ help: String, _ type: String) {
        text += "# HELP \(name) \(escapeHelp(help))\n# TYPE \(name) \(type)\n"
    }

    static func sample(_ text: inout String, _ name: String, _ names: [String], _ values: [String], _ value: Double,
                       extra: (String, String)? = nil) {
        text += name
        appendLabels(&text, names, values, extra: extra)
        text += " "
        text += format(value)
        text += "\n"
    }

    static func histogram(_ text: inout String, _ name: String, _ names: [String], _ values: [String],
                          _ histogram: MetricsHistogram) {
        let snapshot = histogram.snapshot
        for (index, bound) in histogram.bounds.enumerated() {
            sample(&text, name + "_bucket", names, values, Double(snapshot.cumulative[index]), extra: ("le", format(bound)))
        }
        sample(&text, name + "_bucket", names, values, Double(snapshot.count), extra: ("le", "+Inf"))
        sample(&text, name + "_sum", names, values, snapshot.sum)
        sample(&text, name + "_count", names, values, Double(snapshot.count))
    }

    static func appendLabels(_ text: inout String, _ names: [String], _ values: [String], extra: (String, String)?) {
        guard !names.isEmpty || extra != nil else { return }
        text += "{"
        var first = true
        for (name, value) in zip(names, values) {
            if !first { text += "," }
            first = false
            text += "\(name)=\"\(escapeLabel(value))\""
        }
        if let (name, value) = extra {
            if !first { text += "," }
            text += "\(name)=\"\(value)\""
        }
        text += "}"
    }

    /// A sample value: integers without a fraction, `+Inf`, `-Inf`, `NaN`.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    static func escapeLabel(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return value }
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    static func escapeHelp(_ value: String) -> String {
        value.replacing("\\", with: "\\\\").replacing("\n", with: "\\n")
    }
}
