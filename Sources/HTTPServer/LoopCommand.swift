import BerthCore

/// Work handed to an event loop from other threads (handler tasks, the server).
enum LoopCommand {
    /// Start (or fully send) a response: head bytes (maybe with the body appended), an optional file, and
    /// whether the response ends here.
    case respond(Connection, bytes: [UInt8], file: FileRegion?, ends: Bool, close: Bool, status: Int, route: String?)
    /// More response bytes; `done` resumes once they are written.
    case write(Connection, [UInt8], done: CheckedContinuation<Void, any Error>?)
    /// The response is complete.
    case end(Connection)
    /// The response cannot be completed (stream failed): close the connection.
    case abort(Connection)
    /// The handler started reading a body that expects `100 Continue`.
    case sendContinue(Connection)
    /// The handler consumed enough body to resume reading the socket.
    case resumeReading(Connection)
    /// Stop accepting; close idle connections.
    case beginShutdown
    /// Close everything and end the loop thread.
    case stop
}
