import FoundationEssentials
import Testing
@testable import BerthScanner

/// Every line of the official version vectors (`Fixtures/vectors/*.txt`) must hold.
@Suite struct VersionVectorTests {
    struct Vector: CustomStringConvertible {
        var line: Int
        var lhs: String
        var op: String
        var rhs: String
        var description: String { "\(line): \(lhs) \(op) \(rhs)" }
    }

    /// Parses `A OP B` lines; `#` and `//` start comments; trailing `# …` after a tab is dropped.
    static func vectors(_ file: String) throws -> (pairs: [Vector], singles: [String]) {
        let text = try FixtureFiles.text(FixtureFiles.path("vectors/" + file))
        var pairs: [Vector] = [], singles: [String] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw)
            if let tab = line.firstIndex(of: "\t") { line = line[line.startIndex..<tab] }
            line = line.drop { $0 == " " }
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("//") { continue }
            let f = line.split(separator: " ")
            if f.count == 3 {
                pairs.append(Vector(line: n + 1, lhs: String(f[0]), op: String(f[1]), rhs: String(f[2])))
            } else if f.count == 1 {
                singles.append(String(f[0]))
            }
        }
        return (pairs, singles)
    }

    static let files: [(String, any VersionComparator)] = [
        ("dpkg.txt", DpkgVersionComparator()),
        ("apk.txt", APKVersionComparator()),
        ("rpm.txt", RPMVersionComparator(labels: false)),
        ("pep440.txt", PEP440VersionComparator()),
        ("osv-scalibr-semver.txt", SemanticVersionComparator()),
        ("osv-scalibr-maven.txt", MavenVersionComparator()),
        ("osv-scalibr-redhat.txt", RPMVersionComparator()),
        ("osv-scalibr-alpine.txt", APKVersionComparator(dialect: .apkTools2)),
        ("osv-scalibr-pypi.txt", PEP440VersionComparator()),
        ("osv-scalibr-rubygems.txt", RubyGemsVersionComparator()),
        ("osv-scalibr-nuget.txt", NuGetVersionComparator()),
    ]

    static func holds(_ v: Vector, _ c: any VersionComparator) -> Bool {
        switch v.op {
        case "<": return c.compare(v.lhs, v.rhs) == .less && c.compare(v.rhs, v.lhs) == .greater
        case ">": return c.compare(v.lhs, v.rhs) == .greater && c.compare(v.rhs, v.lhs) == .less
        case "=": return c.compare(v.lhs, v.rhs) == .equal && c.compare(v.rhs, v.lhs) == .equal
        default: return false
        }
    }

    /// With the shared bundle present, every vector file there is one checked here, and its copy in
    /// `Fixtures/vectors` is identical (so the in-repository run covers all of them too).
    @Test func everySharedVectorFileIsCovered() throws {
        guard let shared = FixtureFiles.sharedVulnDB else { return }
        let names = try FileManager.default.contentsOfDirectory(atPath: shared + "/vectors").filter { $0.hasSuffix(".txt") }
        #expect(names.count >= 11)
        #expect(Set(names) == Set(Self.files.map(\.0)))
        for name in names {
            #expect(try FixtureFiles.text(shared + "/vectors/" + name) == FixtureFiles.text(FixtureFiles.path("vectors/" + name)),
                    "Fixtures/vectors/\(name) differs from the shared copy")
        }
    }

    @Test func apkDialectsAgreeOnValidVersions() throws {
        let (pairs, _) = try Self.vectors("osv-scalibr-alpine.txt")
        let v2 = APKVersionComparator(dialect: .apkTools2), v3 = APKVersionComparator()
        var checked = 0
        for p in pairs where v3.isValid(p.lhs) && v3.isValid(p.rhs) && !p.lhs.contains("~") {
            let zeros = [p.lhs, p.rhs].contains { $0.contains(".0") && $0.split(separator: ".").dropFirst().contains { $0.hasPrefix("0") && $0.count > 1 } }
            if zeros { continue }
            #expect(v2.compare(p.lhs, p.rhs) == v3.compare(p.lhs, p.rhs), "\(p)")
            checked += 1
        }
        #expect(checked > 500)
    }

    @Test(arguments: files.map(\.0))
    func vectorFile(_ file: String) throws {
        let comparator = try #require(Self.files.first { $0.0 == file }).1
        let (pairs, singles) = try Self.vectors(file)
        #expect(pairs.count > 20, "too few vectors read from \(file)")
        var failures: [String] = []
        for v in pairs {
            let ok: Bool
            switch v.op {
            case "<": ok = comparator.compare(v.lhs, v.rhs) == .less && comparator.compare(v.rhs, v.lhs) == .greater
            case ">": ok = comparator.compare(v.lhs, v.rhs) == .greater && comparator.compare(v.rhs, v.lhs) == .less
            case "=": ok = comparator.compare(v.lhs, v.rhs) == .equal && comparator.compare(v.rhs, v.lhs) == .equal
            default:
                guard let apk = comparator as? APKVersionComparator else { ok = false; break }
                switch v.op {
                case "~": ok = apk.fuzzyEqual(v.lhs, v.rhs)
                case "!~": ok = !apk.fuzzyEqual(v.lhs, v.rhs)
                case "<~": ok = apk.compare(v.lhs, v.rhs, fuzzy: true) == .less
                case ">~": ok = apk.compare(v.lhs, v.rhs, fuzzy: true) == .greater
                default: ok = false
                }
            }
            if !ok, file == "osv-scalibr-alpine.txt", Self.holds(v, APKVersionComparator(dialect: .apkTools3)) {
                // This file mixes apk-tools 2 and 3 answers for *invalid* strings (it says so in its comments);
                // the official apk.txt passes fully with apk-tools 3, so each line must hold under one of them.
                continue
            }
            if !ok { failures.append(v.description) }
        }
        for s in singles {
            let invalid = s.hasPrefix("!")
            let version = invalid ? String(s.dropFirst()) : s
            if comparator.isValid(version) == invalid { failures.append("validity of '\(s)'") }
        }
        #expect(failures.isEmpty, "\(file): \(failures.count) failures:\n\(failures.prefix(40).joined(separator: "\n"))")
    }
}
