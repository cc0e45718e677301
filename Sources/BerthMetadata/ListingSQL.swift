/// Turns a `ListingQuery` into SQL fragments over a whitelist of columns, with bound parameters.
struct ListingSQL {
    /// `AND`-joined predicates (empty when there is no filter) and their parameters, in order.
    var predicates: [String] = []
    var parameters: [SQLValue] = []
    /// The `ORDER BY` list, always ending with the unique tiebreak keys.
    var orderBy: String = ""

    /// The largest number of values an OR-list may carry.
    static let maxListValues = 100

    init(_ query: ListingQuery, columns: [ListingColumn], defaultSort: [ListingSort], tiebreak: [String]) throws {
        let byKey = Dictionary(columns.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        for term in query.terms {
            guard let column = byKey[term.key] else { throw ListingError.unknownKey(term.key) }
            try add(term.condition, on: column)
        }
        var order: [String] = []
        var used: Set<String> = []
        for sort in query.sort.isEmpty ? defaultSort : query.sort {
            guard let column = byKey[sort.key], column.sortable else { throw ListingError.unknownKey(sort.key) }
            guard used.insert(column.expression).inserted else { continue }
            order.append(column.expression + (sort.descending ? " DESC" : " ASC"))
        }
        let descendingTiebreak = (query.sort.isEmpty ? defaultSort : query.sort).first?.descending ?? false
        for key in tiebreak where used.insert(key).inserted {
            order.append(key + (descendingTiebreak ? " DESC" : " ASC"))
        }
        orderBy = order.joined(separator: ", ")
    }

    /// `WHERE …` for the predicates plus `extra` (already parameterised by the caller), or "".
    func whereClause(_ extra: [String] = []) -> String {
        let all = extra + predicates
        return all.isEmpty ? "" : "WHERE " + all.joined(separator: " AND ")
    }

    private mutating func add(_ condition: ListingCondition, on column: ListingColumn) throws {
        let expression = column.expression
        let predicate: String
        switch condition {
        case .equals(let value):
            predicate = "\(expression) = ?"
            parameters.append(try Self.value(value, column))
        case .fuzzy(let value):
            guard column.kind == .text else { throw ListingError.invalidValue(key: column.key, value: value) }
            predicate = "\(expression) LIKE ? ESCAPE '\\'"
            parameters.append(.text("%" + Self.escapeLike(value) + "%"))
        case .range(let low, let high):
            var parts: [String] = []
            if let low, !low.isEmpty {
                parts.append("\(expression) >= ?")
                parameters.append(try Self.value(low, column))
            }
            if let high, !high.isEmpty {
                parts.append("\(expression) <= ?")
                parameters.append(try Self.value(high, column))
            }
            guard !parts.isEmpty else { return }
            predicate = parts.joined(separator: " AND ")
        case .anyOf(let values):
            guard !values.isEmpty, values.count <= Self.maxListValues else {
                throw ListingError.invalidValue(key: column.key, value: "\(values.count) values")
            }
            predicate = "\(expression) IN (" + values.map { _ in "?" }.joined(separator: ", ") + ")"
            for value in values { parameters.append(try Self.value(value, column)) }
        }
        if let wrapper = column.wrapper {
            predicates.append(wrapper.split(separator: "{}", omittingEmptySubsequences: false).joined(separator: predicate))
        } else {
            predicates.append("(" + predicate + ")")
        }
    }

    private static func value(_ text: String, _ column: ListingColumn) throws -> SQLValue {
        switch column.kind {
        case .text:
            return .text(text)
        case .integer:
            guard let number = Int64(text) else { throw ListingError.invalidValue(key: column.key, value: text) }
            return .integer(number)
        case .time:
            guard let seconds = ListingTime.parse(text) else { throw ListingError.invalidValue(key: column.key, value: text) }
            return .integer(seconds)
        }
    }

    /// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
    static func escapeLike(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
