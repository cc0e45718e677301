import BerthCore
import HTTPServer

/// Formats access-log entries, one line each on standard error.
enum AccessLogWriter {
    @Sendable static func write(_ entry: AccessLogEntry) {
        let milliseconds = Int(entry.durationSeconds * 1000)
        Log.writeLine("\(Log.timestamp()) access \(entry.remoteAddress) \"\(entry.method) \(entry.target)\" "
            + "\(entry.status) \(entry.bytesSent) \(milliseconds)ms\n")
    }
}
