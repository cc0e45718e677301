import BerthCore
internal import CLinuxShim

extension EventLoop {
    private static let continueBytes = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Runs one command on the loop thread.
    func perform(_ command: LoopCommand) {
        switch command {
        case let .respond(connection, bytes, file, ends, close, status, route):
            guard connection.isOpen else { file?.close(); return }
            connection.status = status
            connection.route = route
            connection.responseStarted = true
            if close { connection.closeAfterResponse = true }
            enqueue(.bytes(bytes, offset: 0, done: nil), on: connection)
            if let file { enqueue(.file(fd: file.fd, offset: file.offset, remaining: file.length), on: connection) }
            if ends { enqueue(.end, on: connection) }
            flush(connection)
        case let .write(connection, bytes, done):
            guard connection.isOpen else { done?.resume(throwing: HTTPServerError.connectionClosed); return }
            enqueue(.bytes(bytes, offset: 0, done: done), on: connection)
            flush(connection)
        case let .end(connection):
            guard connection.isOpen else { return }
            enqueue(.end, on: connection)
            flush(connection)
        case let .abort(connection):
            close(connection)
        case let .sendContinue(connection):
            guard connection.isOpen, connection.inFlight, !connection.bodyDone, !connection.continueSent,
                  !connection.responseStarted else { return }
            connection.continueSent = true
            connection.lastBodyProgress = now
            enqueue(.bytes(Self.continueBytes, offset: 0, done: nil), on: connection)
            flush(connection)
        case let .resumeReading(connection):
            guard connection.isOpen, connection.readPaused else { return }
            connection.readPaused = false
            connection.lastBodyProgress = now
            readAvailable(connection)
        case .beginShutdown:
            beginShutdown()
        case .stop:
            stopping = true
        }
    }

    private func enqueue(_ item: Connection.OutboundItem, on connection: Connection) {
        if !connection.hasPendingOutput { connection.lastWriteProgress = now }
        connection.outbound.append(item)
    }

    private func beginShutdown() {
        shuttingDown = true
        if listenFD >= 0 {
            berth_close(listenFD)
            listenFD = -1
        }
        for case let connection? in connections where !connection.inFlight && !connection.hasPendingOutput {
            close(connection)
        }
    }

    /// Enforces the idle, head, body-stall and write-stall timeouts.
    func sweep() {
        let c = configuration
        for case let connection? in connections where connection.isOpen {
            if connection.hasPendingOutput {
                if now - connection.lastWriteProgress > Double(c.bodyStallTimeoutSeconds) { close(connection) }
                continue
            }
            if !connection.inFlight {
                if let tls = connection.tls, !tls.isEstablished {
                    // A TLS handshake counts as reading the request head (slow clients are cut off).
                    if now - connection.headStart > Double(c.headReadTimeoutSeconds) { close(connection) }
                } else if connection.hasBufferedInput {
                    if now - connection.headStart > Double(c.headReadTimeoutSeconds) { close(connection) }
                } else if now - connection.idleSince > Double(c.idleTimeoutSeconds) {
                    close(connection)
                }
                continue
            }
            let waitingForClient = !connection.bodyDone && !connection.readPaused && !connection.readEOF
                && (!connection.expectContinue || connection.continueSent)
            if waitingForClient && now - connection.lastBodyProgress > Double(c.bodyStallTimeoutSeconds) {
                if connection.responseEnded { close(connection); continue }
                connection.channel?.fail(.bodyTimeout)
                connection.closeAfterResponse = true
                connection.readEOF = true
                updateInterest(connection)
            }
        }
    }
}
