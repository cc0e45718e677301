import BerthMetadata

/// Orders a project list by Harbor's `sort` keys for `GET /projects`: `name`, `creation_time` and
/// `update_time`, each ascending or (with a leading `-`) descending; ties fall back to the name.
enum ProjectListSort {
    /// The keys `GET /projects?sort=` accepts.
    static let keys: Set<String> = ["name", "creation_time", "update_time"]

    /// `projects` in the order `sort` asks for; 400 for a key Harbor does not sort projects by.
    static func apply(_ sort: [ListingSort], to projects: [ProjectRecord]) throws(HarborError) -> [ProjectRecord] {
        guard !sort.isEmpty else { return projects }
        for item in sort where !keys.contains(item.key) {
            throw .badRequest("projects cannot be sorted by \(item.key)")
        }
        return projects.sorted { a, b in
            for item in sort {
                let order = compare(a, b, item.key)
                if order != 0 { return item.descending ? order > 0 : order < 0 }
            }
            return a.name < b.name
        }
    }

    /// -1, 0 or 1 as `a` sorts before, with or after `b` by `key`.
    private static func compare(_ a: ProjectRecord, _ b: ProjectRecord, _ key: String) -> Int {
        switch key {
        case "creation_time": return a.createdAt == b.createdAt ? 0 : (a.createdAt < b.createdAt ? -1 : 1)
        case "update_time": return a.updatedAt == b.updatedAt ? 0 : (a.updatedAt < b.updatedAt ? -1 : 1)
        default: return a.name == b.name ? 0 : (a.name < b.name ? -1 : 1)
        }
    }
}
