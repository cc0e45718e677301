import Foundation

/// The outcome of one `curl` (or other tool) run.
struct ToolResult {
    var status: Int32
    var stdout: [UInt8]
    var stderr: String
}

/// Runs an external tool without blocking a cooperative thread; output goes through temp files.
func runTool(_ executable: String, _ arguments: [String]) async throws -> ToolResult {
    let dir = FileManager.default.temporaryDirectory.path
    let token = UUID().uuidString
    let outPath = "\(dir)/berth-tool-\(token).out", errPath = "\(dir)/berth-tool-\(token).err"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    defer {
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    process.standardInput = FileHandle.nullDevice
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
        do { try process.run() } catch { continuation.resume(throwing: error) }
    }
    let out = (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data()
    let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    return ToolResult(status: status, stdout: [UInt8](out), stderr: err)
}

/// `curl` against 127.0.0.1 with a CA file; `extra` goes before the URLs.
func curl(_ extra: [String], cacert: String?, urls: [String]) async throws -> ToolResult {
    var arguments = ["-sS", "-v", "--max-time", "60"]
    if let cacert { arguments += ["--cacert", cacert] }
    return try await runTool("/usr/bin/curl", arguments + extra + urls)
}
