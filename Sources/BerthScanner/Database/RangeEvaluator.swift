/// OSV's range evaluation ("Evaluation" in the OSV schema) for one ecosystem's comparator.
public struct RangeEvaluator: Sendable {
    /// The ecosystem's version order.
    public let comparator: any VersionComparator

    public init(comparator: any VersionComparator) { self.comparator = comparator }

    /// Sorts a range's events by version; `introduced: 0` first; ties keep their given order.
    public func sorted(_ events: [RangeEvent]) -> [RangeEvent] {
        let indexed = events.enumerated().map { ($0.offset, $0.element) }
        return indexed.sorted { a, b in
            let za = Self.isZero(a.1), zb = Self.isZero(b.1)
            if za != zb { return za }
            if !za {
                let r = comparator.compare(a.1.version, b.1.version)
                if r != .equal { return r == .less }
            }
            return a.0 < b.0
        }.map(\.1)
    }

    static func isZero(_ e: RangeEvent) -> Bool {
        if case .introduced(let v) = e { return v == "0" }
        return false
    }

    /// Whether `version` lies in the range given by sorted `events`, and if so, the fixed version
    /// that ends the vulnerable stretch (nil when none does).
    public func evaluate(_ version: String, events: [RangeEvent]) -> (affected: Bool, fixed: String?) {
        var affected = false
        var limits: [String] = []
        for event in events {
            switch event {
            case .introduced(let v):
                if v == "0" || comparator.compare(version, v) != .less { affected = true }
            case .fixed(let v):
                if comparator.compare(version, v) != .less { affected = false }
            case .lastAffected(let v):
                if comparator.compare(version, v) == .greater { affected = false }
            case .limit(let v):
                limits.append(v)
            }
        }
        if affected, !limits.isEmpty,
           !limits.contains(where: { $0 == "*" || comparator.compare(version, $0) == .less }) {
            affected = false
        }
        guard affected else { return (false, nil) }
        let fixed = events.first { e in
            if case .fixed(let f) = e { return comparator.compare(version, f) == .less }
            return false
        }
        return (true, fixed?.version)
    }

    /// Whether an affected package entry covers `version`, with the fixed versions of matching ranges.
    public func evaluate(_ version: String, entry: AffectedPackage) -> (affected: Bool, fixed: [String]) {
        var affected = false
        var fixed: [String] = []
        for range in entry.ranges {
            let r = evaluate(version, events: range)
            if r.affected {
                affected = true
                if let f = r.fixed, !fixed.contains(f) { fixed.append(f) }
            }
        }
        if !affected, entry.versions.contains(where: { $0 == version || comparator.compare($0, version) == .equal }) {
            affected = true
        }
        if !affected, !entry.patched.isEmpty || !entry.unaffected.isEmpty, let f = evaluateRequirements(version, entry) {
            affected = true
            fixed = f
        }
        return (affected, fixed)
    }

    /// RubySec-style requirements: affected iff no patched and no unaffected set is satisfied. Returns
    /// the fixed versions (each patched set's lower bound above `version`, ascending), or nil if unaffected.
    func evaluateRequirements(_ version: String, _ entry: AffectedPackage) -> [String]? {
        let satisfied = { (set: [VersionConstraint]) in
            set.allSatisfy { $0.isSatisfied(by: version, comparator: comparator) }
        }
        guard !entry.patched.contains(where: satisfied), !entry.unaffected.contains(where: satisfied) else { return nil }
        var fixed: [String] = []
        for set in entry.patched {
            // A set's lower bound is its highest `>=`, `~>` or `=` version.
            let bounds = set.filter { [.greaterOrEqual, .pessimistic, .equal].contains($0.op) }.map(\.version)
            guard let bound = bounds.max(by: { comparator.compare($0, $1) == .less }) else { continue }
            if comparator.compare(bound, version) == .greater && !fixed.contains(bound) { fixed.append(bound) }
        }
        return fixed.sorted { comparator.compare($0, $1) == .less }
    }
}
