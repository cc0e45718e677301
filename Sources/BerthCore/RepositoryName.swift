/// A repository name per the OCI distribution spec grammar:
/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*`, at most 255 characters.
public struct RepositoryName: Hashable, Sendable, CustomStringConvertible, Comparable {
    public static let maximumLength = 255
    public let value: String

    public init?(_ text: String) {
        guard !text.isEmpty, text.utf8.count <= Self.maximumLength else { return nil }
        for component in text.split(separator: "/", omittingEmptySubsequences: false) {
            guard Self.isValidComponent(component.utf8) else { return nil }
        }
        value = text
    }

    /// The first path segment; in Berth this is the project.
    public var project: String { String(value.split(separator: "/", maxSplits: 1)[0]) }
    public var description: String { value }
    public static func < (lhs: RepositoryName, rhs: RepositoryName) -> Bool { lhs.value < rhs.value }

    private static func isAlnum(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) }

    /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
    static func isValidComponent(_ bytes: Substring.UTF8View) -> Bool {
        var iterator = Array(bytes)[...]
        guard let first = iterator.first, isAlnum(first) else { return false }
        var index = iterator.startIndex
        while index < iterator.endIndex {
            // run of alnum
            while index < iterator.endIndex, isAlnum(iterator[index]) { index += 1 }
            if index == iterator.endIndex { return true }
            // separator
            let sepStart = index
            switch iterator[index] {
            case UInt8(ascii: "."):
                index += 1
            case UInt8(ascii: "_"):
                index += 1
                if index < iterator.endIndex, iterator[index] == UInt8(ascii: "_") { index += 1 }
            case UInt8(ascii: "-"):
                while index < iterator.endIndex, iterator[index] == UInt8(ascii: "-") { index += 1 }
            default:
                return false
            }
            guard index > sepStart, index < iterator.endIndex, isAlnum(iterator[index]) else { return false }
        }
        iterator = []
        return true
    }
}
