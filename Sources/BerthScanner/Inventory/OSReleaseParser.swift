/// Parses `os-release` files and names the OSV ecosystem of the system's packages.
enum OSReleaseParser {
    /// `KEY=value` pairs, with shell-style quotes and backslash escapes removed.
    static func fields(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: " \t\r")
            guard !line.hasPrefix("#"), let eq = line.firstIndex(of: "=") else { continue }
            var value = Substring(line[line.index(after: eq)...])
            if let q = value.first, q == "\"" || q == "'", value.count >= 2, value.last == q {
                value = value.dropFirst().dropLast()
            }
            out[String(line[line.startIndex..<eq])] = value.replacingBackslashes()
        }
        return out
    }

    /// The operating system described by `text`.
    static func parse(_ text: String, distroless: Bool) -> OperatingSystem {
        let f = fields(text)
        let id = (f["ID"] ?? "").lowercased()
        let version = f["VERSION_ID"] ?? ""
        let like = (f["ID_LIKE"] ?? "").lowercased().split(separator: " ")
        let family: String
        if ["debian", "ubuntu", "alpine"].contains(id) {
            family = id
        } else if ["rhel", "centos", "rocky", "almalinux", "fedora", "ol", "amzn"].contains(id)
                    || like.contains("rhel") || like.contains("fedora") {
            family = "redhat"
        } else if like.contains("debian") {
            family = "debian"
        } else {
            family = id
        }
        let major = version.split(separator: ".").first.map(String.init) ?? ""
        let ecosystem: String?
        switch id {
        case "rocky": ecosystem = major.isEmpty ? nil : "Rocky Linux:" + major
        case "almalinux": ecosystem = major.isEmpty ? nil : "AlmaLinux:" + major
        case "rhel", "centos": ecosystem = "Red Hat"
        default: ecosystem = Ecosystem.osvName(osID: id, versionID: version)
        }
        let pretty = f["PRETTY_NAME"] ?? ""
        return OperatingSystem(family: family, id: id, versionID: version, prettyName: pretty,
                               distroless: distroless || pretty.lowercased().contains("distroless"), ecosystem: ecosystem)
    }
}

extension Substring {
    /// Removes shell backslash escapes (`\"` → `"`).
    func replacingBackslashes() -> String {
        var out = ""
        var escaped = false
        for ch in self {
            if escaped { out.append(ch); escaped = false } else if ch == "\\" { escaped = true } else { out.append(ch) }
        }
        return out
    }
}
