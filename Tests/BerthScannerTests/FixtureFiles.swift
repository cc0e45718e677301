import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Locates test data: the in-repo `Fixtures` directory and the shared `../shared/vulndb` bundle.
enum FixtureFiles {
    /// The repository root, found from this file's path (`<root>/Tests/BerthScannerTests/FixtureFiles.swift`).
    static var repositoryRoot: String {
        var file = #filePath
        if let real = realpath(file, nil) {
            file = String(cString: real)
            free(real)
        }
        var parts = file.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }

    /// `Tests/BerthScannerTests/Fixtures/<name>`.
    static func path(_ name: String) -> String {
        repositoryRoot + "/Tests/BerthScannerTests/Fixtures/" + name
    }

    /// The shared vulnerability bundle, or nil (tests then skip with a printed reason).
    static var sharedVulnDB: String? {
        let candidate = repositoryRoot + "/../shared/vulndb"
        if FileManager.default.fileExists(atPath: candidate + "/README.md") { return candidate }
        print("SKIP: shared vulnerability data not found at \(candidate)")
        return nil
    }

    static func text(_ path: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return String(decoding: data, as: UTF8.self)
    }
}
