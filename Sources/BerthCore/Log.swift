import Glibc
import Synchronization

/// The process logger: one line per event on standard error, as text or JSON.
/// It is the only global Berth keeps (DESIGN.md §2).
public enum Log {
    public enum Level: Int, Sendable, Comparable {
        case debug, info, warning, error
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
        var name: String { ["debug", "info", "warning", "error"][rawValue] }
    }

    private struct Settings { var level: Level = .info; var json = false }
    private static let settings = Mutex(Settings())

    /// Sets the minimum level and the output format.
    public static func configure(level: Level, json: Bool) {
        settings.withLock { $0 = Settings(level: level, json: json) }
    }

    public static func debug(_ message: @autoclosure () -> String) { emit(.debug, message) }
    public static func info(_ message: @autoclosure () -> String) { emit(.info, message) }
    public static func warning(_ message: @autoclosure () -> String) { emit(.warning, message) }
    public static func error(_ message: @autoclosure () -> String) { emit(.error, message) }

    private static func emit(_ level: Level, _ message: () -> String) {
        let current = settings.withLock { $0 }
        guard level >= current.level else { return }
        let line: String
        if current.json {
            line = "{\"time\":\(JSONText.quote(timestamp())),\"level\":\"\(level.name)\",\"msg\":\(JSONText.quote(message()))}\n"
        } else {
            line = "\(timestamp()) \(level.name) \(message())\n"
        }
        writeLine(line)
    }

    /// Writes a raw line to standard error with one `write` call.
    public static func writeLine(_ line: String) {
        var copy = line
        copy.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { if errno == EINTR { continue }; return }
                offset += written
            }
        }
    }

    /// RFC 3339 UTC timestamp with milliseconds.
    public static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + "\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }
}
