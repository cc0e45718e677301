/// An ordered list of header fields with case-insensitive lookup by name.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (name: String, value: String)

    @usableFromInline var fields: [Element]

    /// Creates an empty header list.
    public init() { fields = [] }

    /// Creates a header list from name/value pairs, keeping their order.
    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { (name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    init(fields: [Element]) { self.fields = fields }

    /// The number of fields.
    public var count: Int { fields.count }

    /// The first value for `name` (case-insensitive). Setting replaces all values; `nil` removes them.
    public subscript(name: String) -> String? {
        get {
            for field in fields where Self.namesEqual(field.name, name) { return field.value }
            return nil
        }
        set {
            guard let newValue else { remove(name); return }
            if let index = fields.firstIndex(where: { Self.namesEqual($0.name, name) }) {
                fields[index] = (name: name, value: newValue)
                var next = index + 1
                while next < fields.count {
                    if Self.namesEqual(fields[next].name, name) { fields.remove(at: next) } else { next += 1 }
                }
            } else {
                fields.append((name: name, value: newValue))
            }
        }
    }

    /// Every value for `name` (case-insensitive), in order.
    public func values(_ name: String) -> [String] {
        fields.filter { Self.namesEqual($0.name, name) }.map(\.value)
    }

    /// Whether a field named `name` is present.
    public func contains(_ name: String) -> Bool {
        fields.contains { Self.namesEqual($0.name, name) }
    }

    /// Appends a field, keeping existing ones with the same name.
    public mutating func add(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    /// Removes every field named `name` (case-insensitive).
    public mutating func remove(_ name: String) {
        fields.removeAll { Self.namesEqual($0.name, name) }
    }

    public func makeIterator() -> IndexingIterator<[Element]> { fields.makeIterator() }

    /// ASCII case-insensitive comparison of two header names.
    static func namesEqual(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        var i = x.makeIterator(), j = y.makeIterator()
        while let c = i.next(), let d = j.next() {
            if c != d && lowercase(c) != lowercase(d) { return false }
        }
        return true
    }

    @inline(__always) static func lowercase(_ c: UInt8) -> UInt8 {
        (c >= 65 && c <= 90) ? c | 0x20 : c
    }
}
