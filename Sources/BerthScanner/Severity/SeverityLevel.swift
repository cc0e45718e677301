/// Harbor's severity levels, ordered `none < unknown < low < medium < high < critical`.
public enum SeverityLevel: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case none = 0, unknown, low, medium, high, critical

    public static func < (a: SeverityLevel, b: SeverityLevel) -> Bool { a.rawValue < b.rawValue }

    /// Harbor's spelling: `None`, `Unknown`, `Low`, `Medium`, `High`, `Critical`.
    public var description: String {
        switch self {
        case .none: return "None"
        case .unknown: return "Unknown"
        case .low: return "Low"
        case .medium: return "Medium"
        case .high: return "High"
        case .critical: return "Critical"
        }
    }

    /// Parses Harbor's spelling (case-insensitive).
    public init?(harborName: String) {
        guard let level = Self.allCases.first(where: { $0.description.lowercased() == harborName.lowercased() }) else {
            return nil
        }
        self = level
    }

    /// The qualitative rating of a CVSS score: 0 None, 0.1-3.9 Low, 4-6.9 Medium, 7-8.9 High, 9-10 Critical.
    public init(cvssScore score: Double) {
        switch score {
        case ..<0.05: self = .none
        case ..<3.95: self = .low
        case ..<6.95: self = .medium
        case ..<8.95: self = .high
        default: self = .critical
        }
    }

    /// Maps a vendor label (Ubuntu priority, Red Hat impact, Azure Linux severity, …).
    public init(vendorLabel: String) {
        switch vendorLabel.lowercased() {
        case "negligible", "low", "minor": self = .low
        case "medium", "moderate": self = .medium
        case "high", "important": self = .high
        case "critical": self = .critical
        case "none": self = .none
        default: self = .unknown
        }
    }
}

/// Where a reported severity came from.
public enum SeveritySource: Sendable, Hashable, CustomStringConvertible {
    /// The advisory's own CVSS vector, scored by us.
    case recordVector
    /// The imported CVE severity table, with the table row's own source label (`nvd`, `cna:…`, …).
    case cvssTable(String)
    /// A vendor's label (`ubuntu`, `redhat`, `azurelinux`).
    case vendor(String)
    /// Nothing known.
    case unknown

    public var description: String {
        switch self {
        case .recordVector: return "advisory"
        case .cvssTable(let s): return "cvss-table:" + s
        case .vendor(let v): return "vendor:" + v
        case .unknown: return "unknown"
        }
    }
}

/// A resolved severity: level, score and vector when known, and its origin.
public struct SeverityAssessment: Sendable, Hashable {
    public var level: SeverityLevel
    public var score: Double?
    public var vector: String?
    public var source: SeveritySource

    public init(level: SeverityLevel, score: Double? = nil, vector: String? = nil, source: SeveritySource) {
        self.level = level
        self.score = score
        self.vector = vector
        self.source = source
    }

    /// Unknown severity.
    public static let unknown = SeverityAssessment(level: .unknown, source: .unknown)
}
